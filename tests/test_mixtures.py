"""lessonlib.mixtures against scipy.stats, on mixtures the chapters do not use."""

import numpy as np
import pytest
from scipy import stats

from lessonlib import em, mixtures


def test_mixture_logpdf_matches_scipy_and_stays_finite():
    w, m, s = [0.3, 0.7], [-1.0, 2.0], [0.5, 1.5]
    x = np.linspace(-5, 5, 11)
    expected = np.log(0.3 * stats.norm.pdf(x, -1, 0.5) + 0.7 * stats.norm.pdf(x, 2, 1.5))
    np.testing.assert_allclose(mixtures.mixture_logpdf(x, w, m, s), expected, rtol=1e-12)
    assert np.isfinite(mixtures.mixture_logpdf(1e4, w, m, s))


def test_mixture_logpdf_keeps_the_shape_of_x_and_agrees_with_gmm_loglik():
    w, m, s = [0.2, 0.5, 0.3], [-2.0, 0.0, 3.0], [0.4, 1.0, 2.0]
    x = np.random.default_rng(3).normal(0, 3, (4, 5))
    out = mixtures.mixture_logpdf(x, w, m, s)
    assert out.shape == (4, 5)
    assert out.sum() == pytest.approx(em.gmm_loglik(x.ravel(), w, m, s), rel=1e-13)


def test_mixture_logpdf_stds_are_standard_deviations():
    # A swap to variances would change the density of N(0, 2^2) at 0 by a factor of 2.
    value = mixtures.mixture_logpdf(0.0, [1.0], [0.0], [2.0])
    assert float(value) == pytest.approx(stats.norm.logpdf(0.0, 0.0, 2.0), rel=1e-14)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: mixtures.mixture_logpdf(0.0, [0.5, 0.5], [0.0], [1.0, 1.0]),
            ValueError,
            "one entry per component",
        ),
        (lambda: mixtures.mixture_logpdf(0.0, [0.5, 0.6], [0, 1], [1, 1]), ValueError, "sum to 1"),
        (lambda: mixtures.mixture_logpdf(0.0, [1.5, -0.5], [0, 1], [1, 1]), ValueError, ">= 0"),
        (lambda: mixtures.mixture_logpdf(0.0, [1.0], [0.0], [0.0]), ValueError, "`stds` must"),
        (lambda: mixtures.mixture_logpdf("a", [1.0], [0.0], [1.0]), TypeError, "`x` must"),
    ],
)
def test_mixture_logpdf_rejects_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
