"""Chapter 2 figures draw what they are given (lessonlib.plots.priors)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from _figures import hline_y, labels, line, vline_x, xy  # noqa: E402
from scipy import stats  # noqa: E402

from lessonlib import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_beta_posterior_draws_prior_likelihood_posterior_and_estimates():
    h, t, a, b = 3, 5, 1.5, 3.0  # a != b and h != t: a swap of either pair shows
    ax = plots.plot_beta_posterior(h, t, a, b)
    theta, post = xy(line(ax, "posterior Beta(4.5, 8)"))
    np.testing.assert_allclose(post, stats.beta.pdf(theta, h + a, t + b), rtol=1e-10)
    _, prior = xy(line(ax, "prior Beta(1.5, 3)"))
    np.testing.assert_allclose(prior, stats.beta.pdf(theta, a, b), rtol=1e-10)
    _, lik = xy(line(ax, "likelihood (3H, 5T)"))  # theta^h (1-theta)^t, scaled to area 1
    np.testing.assert_allclose(lik, stats.beta.pdf(theta, h + 1, t + 1), rtol=1e-10)
    assert 0 < theta[0] < 0.01 and 0.99 < theta[-1] < 1
    assert vline_x(ax, "MLE 0.375") == pytest.approx(h / (h + t))
    assert vline_x(ax, "MAP (mode) 0.333") == pytest.approx((h + a - 1) / (h + t + a + b - 2))
    assert vline_x(ax, "posterior mean 0.360") == pytest.approx((h + a) / (h + t + a + b))


def test_beta_posterior_without_data_or_mode():
    ax = plots.plot_beta_posterior(0, 0, 0.5, 0.5)  # U-shaped: the posterior is the prior
    theta, post = xy(line(ax, "posterior Beta(0.5, 0.5)"))
    np.testing.assert_allclose(post, stats.beta.pdf(theta, 0.5, 0.5), rtol=1e-10)
    assert "MAP: no unique mode" in labels(ax)
    assert not any(text.startswith(("likelihood", "MLE")) for text in labels(ax))


def test_coefficient_paths_draw_each_coefficient_against_the_strength():
    lam = np.array([0.01, 0.1, 1.0, 10.0])
    coefs = np.random.default_rng(2).normal(size=(4, 7))  # more paths than series colours
    ax = plots.plot_coefficient_paths(lam, coefs, title="ridge")
    for j in range(7):
        np.testing.assert_array_equal(xy(line(ax, f"$w_{{{j + 1}}}$")), [lam, coefs[:, j]])
    styles = {(ln.get_color(), ln.get_linestyle()) for ln in ax.lines if ln.get_label()[0] == "$"}
    assert len(styles) == 7  # every path can be told apart
    zero = [ln for ln in ax.lines if np.all(xy(ln)[1] == 0)]
    assert zero and ax.get_xscale() == "log" and ax.get_title() == "ridge"


def test_estimates_vs_n_draws_each_estimator_and_the_truth():
    n = [1, 10, 100]
    est = {"MLE": [1.0, 0.6, 0.52], "MAP": [0.6, 0.55, 0.51]}
    ax = plots.plot_estimates_vs_n(n, est, 0.5)
    for name, values in est.items():
        np.testing.assert_array_equal(xy(line(ax, name)), [n, values])
    assert line(ax, "MLE").get_marker() != line(ax, "MAP").get_marker()
    assert hline_y(ax, "true value") == 0.5


def test_curve_fits_draw_the_data_the_fits_and_the_truth():
    x, y = [0.0, 0.5, 1.0], [0.1, 0.4, 1.1]
    grid = [0.0, 0.5, 1.0]
    fits = {"degree 1": [0.0, 0.5, 1.0], "degree 9": [0.1, 0.3, 1.2]}
    ax = plots.plot_curve_fits(x, y, grid, fits, truth=[0.0, 0.45, 0.9])
    for name, values in fits.items():
        np.testing.assert_array_equal(xy(line(ax, name)), [grid, values])
    np.testing.assert_array_equal(xy(line(ax, "true function")), [grid, [0.0, 0.45, 0.9]])
    np.testing.assert_array_equal(xy(line(ax, "training data")), [x, y])
    lo, hi = ax.get_ylim()
    assert lo < min(y) and hi > max(y)
