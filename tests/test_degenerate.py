"""Degenerate but well-typed inputs: a clear error naming the argument, or a right answer.

Each case either asserts the exact error type and the argument's name in backticks,
or checks a finite answer against an independent oracle (closed forms, scipy,
scikit-learn, numpy.linalg). Also the producer -> consumer round trip: what a fit
returns at any representable scale is accepted by every function that takes it.
"""

import math
import re
import warnings

import numpy as np
import pytest
from scipy import stats
from sklearn.linear_model import Lasso

from lessonlib import datasets, elbo, em, kl, mixtures, mle, optim, priors
from lessonlib.exceptions import CollapseError

SUBNORMAL = 1e-320


def _raises(error, name, call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(error, match=re.escape(f"`{name}`")) as info:
            call()
    assert "got" in str(info.value)
    return info.value


# --- the round trip of a fit through its consumers, at every representable scale ----------


@pytest.mark.parametrize("scale", [1e-150, 1e-100, 1e-40, 1.0, 1e40, 1e100, 1e150])
def test_gmm_fit_is_accepted_by_every_consumer_at_any_scale(scale):
    rng = np.random.default_rng(7)
    base = np.concatenate([rng.normal(-2.0, 0.6, 120), rng.normal(1.5, 0.9, 80)])
    x = base * scale
    start = dict(weights=[0.5, 0.5], means=[-scale, scale], stds=[scale, scale])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = em.fit_gmm_1d(x, **start, max_iter=30, tol=0)
        ref = em.fit_gmm_1d(base, [0.5, 0.5], [-1.0, 1.0], [1.0, 1.0], max_iter=30, tol=0)
        params = (fit.weights, fit.means, fit.stds)
        ll = em.gmm_loglik(x, *params)
        resp, ll_e = em.e_step(x, *params)
        w2, m2, s2 = em.m_step(x, resp)
        logpdf = mixtures.mixture_logpdf(x, *params)
        forward = kl.fit_normal_to_mixture(*params, "forward")
        kl_fwd = kl.kl_mixture_normal(*params, forward.mean, forward.std, "forward")
        kl_rev = kl.kl_mixture_normal(*params, forward.mean, forward.std, "reverse")
        kl_self = kl.kl_normal(forward.mean, forward.std, forward.mean, forward.std)
    # oracle: EM is scale-equivariant, and a density's log changes by -log(scale) per point
    np.testing.assert_allclose(fit.means / scale, ref.means, rtol=1e-9)
    np.testing.assert_allclose(fit.stds / scale, ref.stds, rtol=1e-9)
    np.testing.assert_allclose(fit.weights, ref.weights, rtol=1e-9)
    expected = ref.loglik - x.size * math.log(scale)
    assert ll == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assert ll_e == pytest.approx(ll, rel=1e-12) and np.sum(logpdf) == pytest.approx(ll, rel=1e-9)
    oracle = np.log(
        sum(w * stats.norm.pdf(base, m, s) for w, m, s in zip(ref.weights, ref.means, ref.stds))
    )
    np.testing.assert_allclose(logpdf + math.log(scale), oracle, rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(m2 / scale, em.m_step(base, resp)[1], rtol=1e-9)
    np.testing.assert_allclose(s2 / scale, em.m_step(base, resp)[2], rtol=1e-9)
    np.testing.assert_allclose(w2, fit.weights, rtol=1e-6)
    # the forward fit is moment matching, scale-free: KL values do not depend on the scale
    ref_fwd = kl.fit_normal_to_mixture(ref.weights, ref.means, ref.stds, "forward")
    assert forward.mean / scale == pytest.approx(ref_fwd.mean, rel=1e-9, abs=1e-12)
    assert forward.std / scale == pytest.approx(ref_fwd.std, rel=1e-9)
    assert kl_fwd == pytest.approx(ref_fwd.kl, rel=1e-6, abs=1e-9)
    assert np.isfinite(kl_rev) and kl_rev >= 0 and kl_self == 0.0


def test_ppca_fit_is_accepted_by_ppca_loglik_at_any_scale():
    rng = np.random.default_rng(8)
    base = rng.normal(size=(80, 3)) * [3.0, 1.0, 0.5]
    ref = elbo.ppca_mle(base, 1)
    ref_ll = elbo.ppca_loglik(base, ref.W, ref.mean, ref.noise_var)
    for scale in (1e-150, 1e-50, 1e50, 1e150):
        fit = elbo.ppca_mle(base * scale, 1)
        ll = elbo.ppca_loglik(base * scale, fit.W, fit.mean, fit.noise_var)
        # oracle: a density in 3-D changes by -3 log(scale) per point under rescaling
        assert ll == pytest.approx(ref_ll - base.size * math.log(scale), rel=1e-9)
        assert fit.noise_var / scale**2 == pytest.approx(ref.noise_var, rel=1e-9)


def test_posterior_is_accepted_by_the_elbo_at_extreme_scales():
    for scale in (1e-150, 1.0, 1e150):
        x = np.array([0.3, -0.2, 1.1]) * scale
        post = elbo.normal_mean_posterior(x, scale, 0.0, scale)
        value = elbo.normal_mean_elbo(x, post.mean, post.std, scale, 0.0, scale)
        evidence = elbo.normal_mean_log_evidence(x, scale, 0.0, scale)
        # oracle: the exact posterior makes the ELBO equal log p(x) = log N(x; 0, s^2 (I + 11^T))
        cov = scale**2 * (np.eye(3) + np.ones((3, 3))) if scale < 1e100 else None
        if cov is not None:
            assert evidence == pytest.approx(
                stats.multivariate_normal(np.zeros(3), cov).logpdf(x), rel=1e-9
            )
        assert value == pytest.approx(evidence, rel=1e-9)


# --- tiny (subnormal) scales: a clear error, never an overflow warning ------------------


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("noise_var", lambda: mle.gaussian_nll([0.0, 1.0], [0.0, 0.0], SUBNORMAL)),
        ("stds", lambda: mixtures.mixture_logpdf(0.0, [1.0], [0.0], [SUBNORMAL])),
        ("stds", lambda: em.gmm_loglik([0.0], [1.0], [0.0], [SUBNORMAL])),
        ("noise_var", lambda: elbo.ppca_loglik([[0.0, 0.0]], [[1.0], [0.0]], [0, 0], SUBNORMAL)),
        ("noise_std", lambda: elbo.normal_mean_posterior([1.0], SUBNORMAL, 0.0, 1.0)),
        ("q_std", lambda: elbo.normal_mean_elbo([1.0], 0.0, SUBNORMAL, 1.0, 0.0, 1.0)),
        ("p_std", lambda: kl.kl_normal(0.0, SUBNORMAL, 0.0, 1.0)),
        ("noise_var", lambda: priors.ridge_map([[1.0]], [1.0], SUBNORMAL, 1.0)),
        ("laplace_scale", lambda: priors.lasso_map([[1.0]], [1.0], 1.0, SUBNORMAL)),
        ("a", lambda: priors.beta_binomial_mean(1, 1, SUBNORMAL, 1.0)),
        ("noise_std", lambda: datasets.make_linear_regression(3, 1, 0, SUBNORMAL, _rng())),
        ("noise_std", lambda: em.fit_mra(np.eye(3), SUBNORMAL, [1.0, 0, 0])),
        (
            "variance_prior[1]",
            lambda: em.fit_gmm_1d([0.0, 1], [1.0], [0.0], [1.0], variance_prior=(1.0, SUBNORMAL)),
        ),
        ("dx", lambda: kl.kl_on_grid([1.0], [1.0], SUBNORMAL)),
    ],
)
def test_subnormal_scales_are_rejected_by_name(name, call):
    _raises(ValueError, name, call)


def _rng():
    return np.random.default_rng(0)


def test_results_beyond_float64_are_errors_naming_the_arguments():
    _raises(ValueError, "noise_var", lambda: mle.gaussian_nll([1e300], [-1e300], 1e-300))
    _raises(ValueError, "q_std", lambda: kl.kl_normal(0.0, 1e300, 0.0, 1e-300))
    _raises(ValueError, "x", lambda: em.gmm_loglik([1e300], [1.0], [0.0], [1e-300]))
    _raises(ValueError, "lr", lambda: optim.adam(lambda w: w**3, [10.0], lr=1e300, n_steps=5))
    _raises(
        ValueError, "slope", lambda: datasets.make_linear_regression(50, 1e308, 1e308, 1, _rng())
    )


def test_huge_but_representable_arguments_give_right_answers():
    # oracle: the closed forms, rewritten by hand for these symmetric cases
    assert priors.beta_binomial_map(0, 0, 1e308, 1e308) == 0.5
    assert priors.beta_binomial_mean(0, 0, 1e308, 1e308) == 0.5
    np.testing.assert_allclose(mle.softmax([1e308, -1e308]), [1.0, 0.0])
    p = priors.dirichlet_smoothing([2**53, 2**53, 0], alpha=1e308)
    np.testing.assert_allclose(p, [1 / 3, 1 / 3, 1 / 3], rtol=1e-12)
    mean, var = mle.gaussian_mle([1e154, -1e154, 1e308 - 1e308])
    assert mean == 0.0 and var == pytest.approx(2 / 3 * 1e308, rel=1e-14)
    _raises(ValueError, "x", lambda: mle.gaussian_mle([1e308, -1e308]))  # variance 1e616
    # ridge with a prior that dominates any data: weights underflow to exactly 0
    assert np.all(priors.ridge_map([[1.0], [2.0]], [1.0, 2.0], 1e300, 1e-300) == 0.0)


# --- constant data, duplicate points, zero-variance columns --------------------------------


@pytest.mark.parametrize(
    ("error", "name", "call"),
    [
        (ValueError, "x", lambda: mle.gaussian_mle([3.0])),
        (ValueError, "x", lambda: mle.gaussian_mle([2.0, 2.0, 2.0])),
        (CollapseError, "x", lambda: em.fit_gmm_1d(np.full(6, 2.0), [0.5, 0.5], [0, 1], [1, 1])),
        (CollapseError, "x", lambda: em.fit_gmm_restarts(np.full(6, 2.0), 2, 3, _rng())),
        (ValueError, "X", lambda: elbo.ppca_mle(np.ones((10, 3)), 1)),
        (ValueError, "X", lambda: elbo.ppca_mle(np.outer(np.arange(10.0), [1.0, 2.0, 3.0]), 1)),
        (ValueError, "X", lambda: elbo.fit_linear_vae(np.ones((10, 3)), 1, _rng(), n_steps=5)),
        (
            ValueError,
            "X",
            lambda: mle.fit_logistic_regression(
                np.column_stack([np.ones(6), [0, 1, 2, 3, 1.5, 0.5]]), [0, 0, 1, 1, 0, 1]
            ),
        ),
        (
            ValueError,
            "X",
            lambda: mle.fit_logistic_regression(
                np.column_stack([[0, 1, 2, 3, 1.5, 0.5]] * 2), [0, 0, 1, 1, 0, 1]
            ),
        ),
        (ValueError, "counts", lambda: priors.dirichlet_smoothing([0, 0], 0)),
        (ValueError, "thetas", lambda: priors.discrete_posterior([0.0], [1.0], 1, 0)),
    ],
)
def test_constant_data_and_redundant_columns_are_errors_naming_the_argument(error, name, call):
    _raises(error, name, call)


def test_constant_data_with_a_variance_prior_is_a_right_answer():
    x = np.full(6, 2.0)
    fit = em.fit_gmm_1d(x, [1.0], [0.0], [1.0], variance_prior=(2.0, 0.5), max_iter=50, tol=0)
    # oracle: the MAP variance with zero scatter is 2 b / (n + 2 (a + 1))
    assert fit.means[0] == 2.0
    assert fit.variances[0] == pytest.approx(2 * 0.5 / (6 + 2 * 3.0), rel=1e-12)


def test_duplicate_points_fit_like_weighted_ones():
    x = np.array([-2.0, -2.0, -2.1, 1.0, 1.0, 1.2, 1.2])
    resp = np.column_stack([x < 0, x > 0]).astype(float)
    w, mu, sd = em.m_step(x, resp)
    # oracle: per-cluster sample moments (numpy), duplicates counted twice
    np.testing.assert_allclose(mu, [x[x < 0].mean(), x[x > 0].mean()])
    np.testing.assert_allclose(sd, [x[x < 0].std(), x[x > 0].std()])
    assert mle.gaussian_mle(x) == pytest.approx((x.mean(), x.var()))


def test_ridge_with_zero_and_zero_variance_columns_matches_lstsq():
    rng = np.random.default_rng(9)
    X = np.column_stack([rng.normal(size=20), np.zeros(20), np.ones(20), rng.normal(size=20)])
    y = rng.normal(size=20)
    for lam in (1e-300, 1e-3, 1.0, 1e3):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            w = priors.ridge_map(X, y, noise_var=lam, prior_var=1.0)
        # oracle: the augmented least-squares form of ridge, by numpy.linalg.lstsq
        aug_X = np.vstack([X, np.sqrt(lam) * np.eye(4)])
        aug_y = np.concatenate([y, np.zeros(4)])
        expected = np.linalg.lstsq(aug_X, aug_y, rcond=None)[0]
        np.testing.assert_allclose(w, expected, rtol=1e-7, atol=1e-10)
        assert abs(w[1]) < 1e-15


def test_ridge_with_duplicate_columns_splits_the_weight():
    rng = np.random.default_rng(10)
    x = rng.normal(size=30)
    y = 2.0 * x + 0.1 * rng.normal(size=30)
    w = priors.ridge_map(np.column_stack([x, x]), y, 1.0, 1.0)
    # oracle: numpy.linalg.solve on the (positive definite) normal equations
    expected = np.linalg.solve(np.outer([1, 1], [1, 1]) * (x @ x) + np.eye(2), [x @ y, x @ y])
    np.testing.assert_allclose(w, expected, rtol=1e-10)


def test_lasso_with_zero_and_constant_columns_matches_sklearn():
    rng = np.random.default_rng(11)
    X = np.column_stack([rng.normal(size=40), np.zeros(40), np.full(40, 3.0)])
    y = X[:, 0] * 1.5 + 0.5 + 0.1 * rng.normal(size=40)
    w = priors.lasso_map(X, y, noise_var=1.0, laplace_scale=0.5)
    sk = Lasso(alpha=2.0 / 40, fit_intercept=False, tol=1e-14, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(w, sk.coef_, atol=1e-7)
    assert w[1] == 0.0


def test_linear_vae_with_a_zero_variance_column_runs_to_a_finite_fit():
    rng = np.random.default_rng(12)
    X = np.column_stack([rng.normal(size=50) * 2, rng.normal(size=50), np.full(50, 4.0)])
    fit = elbo.fit_linear_vae(X, 1, rng, n_steps=500)
    ref = elbo.ppca_mle(X, 1)
    # oracle: the pPCA MLE (closed form) bounds the ELBO from above
    assert np.all(np.isfinite(fit.objective_history))
    assert fit.objective_history[-1] <= elbo.ppca_loglik(X, ref.W, ref.mean, ref.noise_var) + 1e-6


# --- pairs where a 3-tuple is given, scalars where a pair is expected ------------------------


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("betas", lambda: optim.adam(lambda w: w, [1.0], lr=0.1, n_steps=2, betas=0.9)),
        ("betas", lambda: optim.adam(lambda w: w, [1.0], lr=0.1, n_steps=2, betas=(0.9,) * 3)),
        (
            "variance_prior",
            lambda: em.fit_gmm_1d([0.0, 1], [1.0], [0.0], [1.0], variance_prior=2.0),
        ),
        ("variance_prior", lambda: em.m_step([0.0, 1], [[1.0], [1.0]], (1.0, 2.0, 3.0))),
        ("init", lambda: kl.fit_normal_to_mixture([1.0], [0.0], [1.0], "reverse", init=0.5)),
        ("init", lambda: kl.fit_normal_to_mixture([1.0], [0.0], [1.0], "reverse", (0, 1, 2))),
        ("q_mean", lambda: kl.kl_mixture_normal([1.0], [0.0], [1.0], [0.0, 1.0], 1.0, "forward")),
    ],
)
def test_wrong_tuple_lengths_are_type_errors_naming_the_argument(name, call):
    _raises(TypeError, name, call)


# --- callbacks that return NaN or inf ------------------------------------------------------


def _nan(z):
    return np.full(z.shape[0], np.nan)


def _inf_grad(z):
    return np.full_like(z, np.inf)


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("grad", lambda: optim.adam(lambda w: w * np.nan, [1.0], lr=0.1, n_steps=3)),
        ("grad", lambda: optim.adam(lambda w: w / 0.0, [1.0], lr=0.1, n_steps=3)),
        ("log_joint", lambda: elbo.mc_elbo(_nan, [0.0], [1.0], 5, _rng())),
        ("log_joint", lambda: elbo.score_gradients(_nan, [0.0], [1.0], 5, _rng())),
        ("grad_log_joint", lambda: elbo.reparam_gradients(_inf_grad, [0.0], [1.0], 5, _rng())),
        ("grad_log_joint", lambda: elbo.fit_gaussian_vi(_nan, _inf_grad, [0.0], _rng(), n_steps=3)),
        ("log_joint", lambda: elbo.fit_gaussian_vi(_nan, lambda z: -z, [0.0], _rng(), n_steps=3)),
    ],
)
def test_callbacks_returning_nan_or_inf_are_errors_naming_them(name, call):
    _raises(ValueError, name, call)


def test_callback_with_a_minus_inf_log_density_outside_its_support_is_named():
    # log p = -inf for z < 0: a q with mass there has ELBO -inf; lessonlib says which callback.
    def log_joint(z):
        return np.where(z[:, 0] > 0, -z[:, 0], -np.inf)

    _raises(ValueError, "log_joint", lambda: elbo.mc_elbo(log_joint, [0.0], [1.0], 50, _rng()))
