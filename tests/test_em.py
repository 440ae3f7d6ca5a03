"""lessonlib.em against scikit-learn, scipy and brute force, on data Chapter 3 does not use."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats
from sklearn.mixture import GaussianMixture

from lessonlib import em


def _mixture_data(seed, n=600):
    rng = np.random.default_rng(seed)
    return np.concatenate(
        [rng.normal(-2.5, 0.8, n // 2), rng.normal(0.7, 0.5, n // 4), rng.normal(3.1, 1.1, n // 4)]
    )


@pytest.mark.parametrize("n_iter", [1, 5, 40])
def test_fit_matches_sklearn_iteration_for_iteration(n_iter):
    x = _mixture_data(31)
    m0, v0, w0 = np.array([-1.0, 0.2, 1.5]), np.array([2.0, 1.0, 0.5]), np.array([0.2, 0.5, 0.3])
    ours = em.fit_gmm_1d(x, m0, v0, w0, max_iter=n_iter, tol=1e-300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns that tol=0 never "converged"
        sk = GaussianMixture(
            3,
            max_iter=n_iter,
            tol=0.0,
            reg_covar=0.0,
            weights_init=w0,
            means_init=m0[:, None],
            precisions_init=(1 / v0)[:, None, None],
        ).fit(x[:, None])
    np.testing.assert_allclose(ours.means, sk.means_.ravel(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.variances, sk.covariances_.ravel(), rtol=1e-10)
    np.testing.assert_allclose(ours.weights, sk.weights_, rtol=1e-10)
    np.testing.assert_allclose(ours.responsibilities, sk.predict_proba(x[:, None]), atol=1e-10)
    assert ours.loglik / x.size == pytest.approx(sk.score(x[:, None]), rel=1e-12)
    assert ours.n_iter == n_iter and len(ours.param_history) == n_iter + 1


def test_fit_converges_to_sklearn_with_same_tolerance():
    x = _mixture_data(32)
    init = dict(means=[-2.0, 0.0, 2.0], variances=[1.0, 1.0, 1.0], weights=[1 / 3] * 3)
    ours = em.fit_gmm_1d(x, **init, tol=1e-12, max_iter=5000)
    sk = GaussianMixture(
        3,
        tol=1e-12,
        max_iter=5000,
        reg_covar=0.0,
        weights_init=init["weights"],
        means_init=np.array(init["means"])[:, None],
        precisions_init=np.ones((3, 1, 1)),
    ).fit(x[:, None])
    assert ours.converged and sk.converged_
    np.testing.assert_allclose(np.sort(ours.means), np.sort(sk.means_.ravel()), atol=1e-5)
    assert ours.loglik / x.size == pytest.approx(sk.score(x[:, None]), rel=1e-9)


def test_history_starts_at_initial_parameters():
    x = _mixture_data(33, n=100)
    fit = em.fit_gmm_1d(x, [-1.0, 1.0], [1.0, 1.0], [0.5, 0.5], max_iter=3)
    assert fit.loglik_history[0] == pytest.approx(em.gmm_loglik(x, [-1, 1], [1, 1], [0.5, 0.5]))
    for (mu, var, w), ll in zip(fit.param_history, fit.loglik_history):
        assert ll == pytest.approx(em.gmm_loglik(x, mu, var, w), rel=1e-12)
    np.testing.assert_allclose(fit.responsibilities.sum(axis=1), 1.0)


def test_gmm_loglik_matches_scipy():
    x = _mixture_data(34, n=50)
    m, v, w = np.array([-1.0, 2.0]), np.array([0.5, 3.0]), np.array([0.3, 0.7])
    expected = special.logsumexp(
        np.log(w) + stats.norm.logpdf(x[:, None], m, np.sqrt(v)), axis=1
    ).sum()
    assert em.gmm_loglik(x, m, v, w) == pytest.approx(expected, rel=1e-13)


def test_gmm_loglik_far_in_the_tails_is_finite_and_exact():
    # 1e3 standard deviations out: every density underflows, the log-sum-exp does not.
    x = np.array([1e3, -2e3])
    ll = em.gmm_loglik(x, [0.0, 1.0], [1.0, 1.0], [0.5, 0.5])
    expected = special.logsumexp(
        np.log(0.5) + stats.norm.logpdf(x[:, None], [0.0, 1.0], 1.0), axis=1
    ).sum()
    assert np.isfinite(ll) and ll == pytest.approx(expected, rel=1e-14)
    assert np.all(stats.norm.pdf(x[:, None], [0.0, 1.0], 1.0) == 0.0)


def test_fit_handles_points_far_in_the_tails():
    x = np.append(_mixture_data(35, n=200), [400.0])
    one = em.fit_gmm_1d(x, [0.0], [1.0], [1.0], max_iter=5)
    assert one.means[0] == pytest.approx(x.mean()) and one.variances[0] == pytest.approx(x.var())
    # Two components: the far point would get a collapsing component of its own; with a
    # variance prior every number stays finite.
    fit = em.fit_gmm_1d(x, [-2.0, 2.0], [1.0, 1.0], [0.5, 0.5], variance_prior=(2.0, 0.5))
    assert np.all(np.isfinite(fit.loglik_history)) and np.all(np.isfinite(fit.means))


@given(seed=st.integers(0, 10_000), k=st.integers(1, 4))
@settings(max_examples=60, deadline=None)
def test_loglik_never_decreases(seed, k):
    rng = np.random.default_rng(seed)
    x = rng.normal(rng.normal(0, 3, k)[rng.integers(0, k, 150)], rng.uniform(0.3, 2.0))
    start = rng.normal(0, 3, k)
    try:
        fit = em.fit_gmm_1d(x, start, rng.uniform(0.2, 3, k), np.full(k, 1 / k), max_iter=80)
    except RuntimeError:
        return  # a collapse is reported, never a silent NaN
    diffs = np.diff(fit.loglik_history)
    assert np.all(diffs >= -1e-9 * np.abs(fit.loglik_history[1:]))


@given(seed=st.integers(0, 10_000))
@settings(max_examples=40, deadline=None)
def test_map_em_log_posterior_never_decreases(seed):
    rng = np.random.default_rng(seed)
    x = np.append(rng.normal(0, 1, 25), rng.uniform(3, 6))
    fit = em.fit_gmm_1d(
        x, [0.0, x[-1]], [1.0, 0.01], [0.9, 0.1], variance_prior=(2.0, 0.3), max_iter=200
    )
    lp = fit.logpost_history
    assert np.all(np.diff(lp) >= -1e-9 * np.abs(lp[1:]))
    prior = stats.invgamma(2.0, scale=0.3).logpdf(fit.variances).sum()
    assert lp[-1] == pytest.approx(fit.loglik + prior, rel=1e-12)


def test_map_em_variance_update_is_the_posterior_mode():
    # With one component the MAP-EM fixed point is the inverse-gamma posterior mode.
    rng = np.random.default_rng(36)
    x = rng.normal(1.0, 2.0, 80)
    fit = em.fit_gmm_1d(x, [0.0], [1.0], [1.0], variance_prior=(3.0, 2.0))
    ss = np.sum((x - x.mean()) ** 2)
    assert fit.variances[0] == pytest.approx((ss + 2 * 2.0) / (80 + 2 * (3.0 + 1)), rel=1e-9)


def test_collapse_is_reported_and_map_em_prevents_it():
    rng = np.random.default_rng(37)
    x = np.append(rng.normal(0, 1, 30), 5.0)
    with pytest.raises(RuntimeError, match="collapsed onto a single point"):
        em.fit_gmm_1d(x, [0.0, 5.0], [1.0, 0.1], [0.9, 0.1])
    fit = em.fit_gmm_1d(x, [0.0, 5.0], [1.0, 0.1], [0.9, 0.1], variance_prior=(2.0, 0.5))
    assert fit.converged and fit.variances.min() > 0.05


def test_restarts_keep_the_best():
    x = np.concatenate(
        [np.random.default_rng(s).normal(c, 0.4, 100) for s, c in enumerate([-7, 0, 7])]
    )
    best, fits = em.fit_gmm_restarts(x, 3, 8, np.random.default_rng(0), max_iter=2000)
    assert best.loglik == max(f.loglik for f in fits)
    np.testing.assert_allclose(np.sort(best.means), [-7, 0, 7], atol=0.15)


def test_mra_shift_likelihood_matches_brute_force():
    rng = np.random.default_rng(38)
    y, t = rng.normal(size=(4, 9)), rng.normal(size=9)
    brute = np.array(
        [[stats.norm.logpdf(y[i], np.roll(t, s), 0.8).sum() for s in range(9)] for i in range(4)]
    )
    np.testing.assert_allclose(em._shift_log_lik(y, t, 0.8), brute, atol=1e-10)


def test_mra_recovers_template_up_to_shift():
    template = np.sin(np.linspace(0, 2 * np.pi, 24, endpoint=False)) + (np.arange(24) == 5) * 2.0
    obs, _ = em.make_mra_data(template, 1000, 0.7, np.random.default_rng(39))
    fit = em.fit_mra(obs, 0.7, init=np.random.default_rng(40).normal(size=24))
    err = min(np.linalg.norm(np.roll(fit.template, s) - template) for s in range(24))
    assert err / np.linalg.norm(template) < 0.1
    assert np.all(np.diff(fit.loglik_history) >= -1e-8)
    np.testing.assert_allclose(fit.shift_posterior.sum(axis=1), 1.0)


def test_mra_data_shifts_are_the_ones_applied():
    obs, shifts = em.make_mra_data(np.arange(6.0), 5, 1e-9, np.random.default_rng(41))
    for y, s in zip(obs, shifts):
        np.testing.assert_allclose(y, np.roll(np.arange(6.0), s), atol=1e-6)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: em.fit_gmm_1d([1.0], [0, 1], [1, 1], [0.5, 0.5]), ValueError, "at least as many"),
        (lambda: em.fit_gmm_1d([1.0, 2.0], [0, 1], [1, 0], [0.5, 0.5]), ValueError, "`variances`"),
        (lambda: em.fit_gmm_1d([1.0, 2], [0, 1], [1, 1], [0.5, 0.6]), ValueError, "sum to 1"),
        (lambda: em.fit_gmm_1d([1.0, 2], [0, 1], [1, 1], [1.5, -0.5]), ValueError, ">= 0"),
        (lambda: em.fit_gmm_1d([1.0, np.nan], [0], [1], [1]), ValueError, "`x` must contain only"),
        (lambda: em.fit_gmm_1d([1.0, 2], [0, 1], [1], [0.5, 0.5]), ValueError, "one entry per"),
        (
            lambda: em.fit_gmm_1d([1.0, 2], [0], [1], [1], variance_prior=3),
            TypeError,
            "`variance_prior` must be",
        ),
        (
            lambda: em.fit_gmm_1d([1.0, 2], [0], [1], [1], variance_prior=(1, -1)),
            ValueError,
            "variance_prior scale",
        ),
        (lambda: em.gmm_loglik("abc", [0], [1], [1]), TypeError, "`x` must be"),
        (lambda: em.fit_gmm_restarts([1.0], 2, 3, np.random.default_rng()), ValueError, "at least"),
        (lambda: em.fit_gmm_restarts([1.0, 2.0], 1, 3, 42), TypeError, "`rng` must be"),
        (
            lambda: em.make_mra_data([1.0, 2.0], 3, 0.0, np.random.default_rng()),
            ValueError,
            "`noise_std`",
        ),
        (
            lambda: em.fit_mra(np.zeros((3, 4)), 1.0, init=np.zeros(5)),
            ValueError,
            "`init` must have",
        ),
        (
            lambda: em.fit_mra(np.zeros(4), 1.0, init=np.zeros(4)),
            ValueError,
            "`observations` must be 2-D",
        ),
    ],
)
def test_bad_input_is_rejected(call, error, match):
    with pytest.raises(error, match=match):
        call()
