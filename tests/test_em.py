"""lessonlib.em against scikit-learn, scipy and brute force, on data Chapter 3 does not use."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture

from lessonlib import em
from lessonlib.exceptions import CollapseError, ConvergenceWarning


def _mixture_data(seed, n=600):
    rng = np.random.default_rng(seed)
    return np.concatenate(
        [rng.normal(-2.5, 0.8, n // 2), rng.normal(0.7, 0.5, n // 4), rng.normal(3.1, 1.1, n // 4)]
    )


@pytest.mark.parametrize("n_iter", [1, 5, 40])
def test_fit_matches_sklearn_iteration_for_iteration(n_iter):
    x = _mixture_data(31)
    m0, v0, w0 = np.array([-1.0, 0.2, 1.5]), np.array([2.0, 1.0, 0.5]), np.array([0.2, 0.5, 0.3])
    ours = em.fit_gmm_1d(x, w0, m0, np.sqrt(v0), max_iter=n_iter, tol=0)
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
    np.testing.assert_allclose(ours.stds, np.sqrt(sk.covariances_.ravel()), rtol=1e-10)
    np.testing.assert_allclose(ours.weights, sk.weights_, rtol=1e-10)
    np.testing.assert_allclose(ours.responsibilities, sk.predict_proba(x[:, None]), atol=1e-10)
    assert ours.loglik / x.size == pytest.approx(sk.score(x[:, None]), rel=1e-12)
    assert ours.n_iter == n_iter and len(ours.param_history) == n_iter + 1
    assert not ours.converged  # tol=0 never tests convergence


def test_tol_zero_runs_exactly_max_iter_without_warning():
    x = _mixture_data(30, n=200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for max_iter in (0, 1, 7, 300):
            fit = em.fit_gmm_1d(x, [0.5, 0.5], [-2.0, 2.0], [1.0, 1.0], max_iter=max_iter, tol=0)
            assert fit.n_iter == max_iter and len(fit.objective_history) == max_iter + 1
            assert not fit.converged
        mra = em.fit_mra(np.eye(4)[[0, 1, 2, 3, 1]], 0.5, np.ones(4), max_iter=9, tol=0)
        assert mra.n_iter == 9 and len(mra.objective_history) == 10 and not mra.converged


def test_running_out_of_iterations_warns_and_flags():
    x = _mixture_data(29, n=300)
    with pytest.warns(ConvergenceWarning, match="fit_gmm_1d did not converge in 2 iterations"):
        fit = em.fit_gmm_1d(x, [0.5, 0.5], [-2.0, 2.0], [1.0, 1.0], max_iter=2)
    assert fit.n_iter == 2 and not fit.converged
    obs, _ = em.make_mra_data([0.0, 3.0, 1.0, 0.0], 200, 0.5, np.random.default_rng(1))
    with pytest.warns(ConvergenceWarning, match="fit_mra"):
        mra = em.fit_mra(obs, 0.5, init=np.ones(4), max_iter=1)
    assert mra.n_iter == 1 and not mra.converged
    with pytest.warns(ConvergenceWarning):
        restarts = em.fit_gmm_restarts(x, 2, 2, np.random.default_rng(0), max_iter=1)
    assert not any(f.converged for f in restarts.fits)


def test_fit_converges_to_sklearn_with_same_tolerance():
    x = _mixture_data(32)
    init = dict(weights=[1 / 3] * 3, means=[-2.0, 0.0, 2.0], stds=[1.0, 1.0, 1.0])
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
    assert ours.converged and sk.converged_ and ours.n_iter == len(ours.objective_history) - 1
    np.testing.assert_allclose(np.sort(ours.means), np.sort(sk.means_.ravel()), atol=1e-5)
    assert ours.loglik / x.size == pytest.approx(sk.score(x[:, None]), rel=1e-9)


def test_history_starts_at_initial_parameters():
    x = _mixture_data(33, n=100)
    fit = em.fit_gmm_1d(x, [0.5, 0.5], [-1.0, 1.0], [1.0, 1.0], max_iter=3, tol=0)
    assert fit.loglik_history[0] == pytest.approx(em.gmm_loglik(x, [0.5, 0.5], [-1, 1], [1, 1]))
    for (w, mu, sd), ll in zip(fit.param_history, fit.loglik_history):
        assert ll == pytest.approx(em.gmm_loglik(x, w, mu, sd), rel=1e-12)
    np.testing.assert_array_equal(fit.objective_history, fit.loglik_history)  # no prior
    np.testing.assert_allclose(fit.responsibilities.sum(axis=1), 1.0)


def test_gmm_loglik_matches_scipy():
    x = _mixture_data(34, n=50)
    w, m, sd = np.array([0.3, 0.7]), np.array([-1.0, 2.0]), np.array([0.5, 3.0])
    expected = special.logsumexp(np.log(w) + stats.norm.logpdf(x[:, None], m, sd), axis=1).sum()
    assert em.gmm_loglik(x, w, m, sd) == pytest.approx(expected, rel=1e-13)


def test_gmm_loglik_far_in_the_tails_is_finite_and_exact():
    # 1e3 standard deviations out: every density underflows, the log-sum-exp does not.
    x = np.array([1e3, -2e3])
    ll = em.gmm_loglik(x, [0.5, 0.5], [0.0, 1.0], [1.0, 1.0])
    expected = special.logsumexp(
        np.log(0.5) + stats.norm.logpdf(x[:, None], [0.0, 1.0], 1.0), axis=1
    ).sum()
    assert np.isfinite(ll) and ll == pytest.approx(expected, rel=1e-14)
    assert np.all(stats.norm.pdf(x[:, None], [0.0, 1.0], 1.0) == 0.0)


def test_fit_handles_points_far_in_the_tails():
    x = np.append(_mixture_data(35, n=200), [400.0])
    one = em.fit_gmm_1d(x, [1.0], [0.0], [1.0], max_iter=5, tol=0)
    assert one.means[0] == pytest.approx(x.mean()) and one.variances[0] == pytest.approx(x.var())
    # Two components: the far point would get a collapsing component of its own; with a
    # variance prior every number stays finite.
    fit = em.fit_gmm_1d(x, [0.5, 0.5], [-2.0, 2.0], [1.0, 1.0], variance_prior=(2.0, 0.5))
    assert np.all(np.isfinite(fit.loglik_history)) and np.all(np.isfinite(fit.means))


@given(seed=st.integers(0, 10_000), k=st.integers(1, 4))
@settings(max_examples=60, deadline=None)
def test_loglik_never_decreases(seed, k):
    rng = np.random.default_rng(seed)
    x = rng.normal(rng.normal(0, 3, k)[rng.integers(0, k, 150)], rng.uniform(0.3, 2.0))
    start = rng.normal(0, 3, k)
    try:
        fit = em.fit_gmm_1d(x, np.full(k, 1 / k), start, rng.uniform(0.5, 2, k), max_iter=80, tol=0)
    except CollapseError:
        return  # a collapse is reported, never a silent NaN
    diffs = np.diff(fit.loglik_history)
    assert np.all(diffs >= -1e-9 * np.abs(fit.loglik_history[1:]))


@given(seed=st.integers(0, 10_000))
@settings(max_examples=40, deadline=None)
def test_map_em_log_posterior_never_decreases(seed):
    rng = np.random.default_rng(seed)
    x = np.append(rng.normal(0, 1, 25), rng.uniform(3, 6))
    fit = em.fit_gmm_1d(
        x, [0.9, 0.1], [0.0, x[-1]], [1.0, 0.1], variance_prior=(2.0, 0.3), max_iter=200, tol=0
    )
    lp = fit.objective_history
    assert np.all(np.diff(lp) >= -1e-9 * np.abs(lp[1:]))
    prior = stats.invgamma(2.0, scale=0.3).logpdf(fit.variances).sum()
    assert lp[-1] == pytest.approx(fit.loglik + prior, rel=1e-12)


def test_map_em_variance_update_is_the_posterior_mode():
    # With one component the MAP-EM fixed point is the inverse-gamma posterior mode.
    rng = np.random.default_rng(36)
    x = rng.normal(1.0, 2.0, 80)
    fit = em.fit_gmm_1d(x, [1.0], [0.0], [1.0], variance_prior=(3.0, 2.0))
    ss = np.sum((x - x.mean()) ** 2)
    assert fit.variances[0] == pytest.approx((ss + 2 * 2.0) / (80 + 2 * (3.0 + 1)), rel=1e-9)


def test_collapse_is_reported_and_map_em_prevents_it():
    rng = np.random.default_rng(37)
    x = np.append(rng.normal(0, 1, 30), 5.0)
    with pytest.raises(CollapseError, match="collapsed"):
        em.fit_gmm_1d(x, [0.9, 0.1], [0.0, 5.0], [1.0, 0.3])
    fit = em.fit_gmm_1d(x, [0.9, 0.1], [0.0, 5.0], [1.0, 0.3], variance_prior=(2.0, 0.5))
    assert fit.converged and fit.variances.min() > 0.05


@pytest.mark.parametrize("scale", [1e-9, 1.0, 1e9])
def test_collapse_is_relative_to_the_data_scale(scale):
    # Two points 1e-9 (in data units) apart next to a cluster: one component fits the pair
    # with a variance ~1e-19 of the data's, an unbounded-likelihood degenerate fit.
    x = scale * np.array([0.0, 1e-9, 5.0, 6.0, 7.0])
    with pytest.raises(CollapseError, match="below 1e-12 times the data's variance"):
        em.fit_gmm_1d(x, [0.5, 0.5], scale * np.array([0.0, 6.0]), scale * np.ones(2))
    # The same pair alone is well posed: its variance IS the data's (2.5e-19 scale^2).
    pair = em.fit_gmm_1d(x[:2], [1.0], [0.0], [scale])
    assert pair.converged and pair.variances[0] == pytest.approx(np.var(x[:2]), rel=1e-9)
    # A variance prior on the data's scale keeps the component finite.
    fit = em.fit_gmm_1d(
        x,
        [0.5, 0.5],
        scale * np.array([0.0, 6.0]),
        scale * np.ones(2),
        variance_prior=(2.0, 0.1 * scale**2),
    )
    assert fit.converged and fit.variances.min() > 1e-3 * scale**2


def test_collapse_of_an_empty_component_and_of_constant_data():
    x = np.concatenate([np.linspace(-1, 1, 50), [40.0]])
    # The right component keeps only the far point, and its variance goes to zero.
    with pytest.raises(CollapseError, match="component 1 collapsed"):
        em.fit_gmm_1d(x, [0.5, 0.5], [0.0, 39.0], [1.0, 1.0])
    # A component no point reaches has no mean: an error, with or without a prior.
    empty = np.column_stack([np.ones(6), np.zeros(6)])
    for prior in (None, (2.0, 1.0)):
        with pytest.raises(CollapseError, match="component 1 collapsed: it lost its points"):
            em.m_step(np.arange(6.0), empty, variance_prior=prior)
    # A dwindling component that still has a fraction of a point is not an error.
    w, _, sd = em.m_step(np.arange(6.0), np.column_stack([np.ones(6) - 1e-3, np.full(6, 1e-3)]))
    assert w[1] == pytest.approx(1e-3) and np.all(sd > 0)
    with pytest.raises(CollapseError, match="collapsed"):
        em.fit_gmm_1d(np.full(5, 2.0), [1.0], [0.0], [1.0])
    assert isinstance(CollapseError("x"), ValueError)


def test_restarts_keep_the_best():
    x = np.concatenate(
        [np.random.default_rng(s).normal(c, 0.4, 100) for s, c in enumerate([-7, 0, 7])]
    )
    res = em.fit_gmm_restarts(x, 3, 8, np.random.default_rng(0), max_iter=2000)
    assert res.best.loglik == max(f.loglik for f in res.fits)
    assert len(res.fits) + res.n_collapsed == 8
    np.testing.assert_allclose(np.sort(res.best.means), [-7, 0, 7], atol=0.15)


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
    assert np.all(np.diff(fit.objective_history) >= -1e-8)
    assert fit.converged and fit.n_iter == len(fit.objective_history) - 1
    np.testing.assert_allclose(fit.shift_posterior.sum(axis=1), 1.0)


def test_mra_data_shifts_are_the_ones_applied():
    obs, shifts = em.make_mra_data(np.arange(6.0), 5, 1e-9, np.random.default_rng(41))
    for y, s in zip(obs, shifts):
        np.testing.assert_allclose(y, np.roll(np.arange(6.0), s), atol=1e-6)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: em.fit_gmm_1d([1.0], [0.5, 0.5], [0, 1], [1, 1]), ValueError, "at least as many"),
        (lambda: em.fit_gmm_1d([1.0, 2.0], [0.5, 0.5], [0, 1], [1, 0]), ValueError, "`stds`"),
        (lambda: em.fit_gmm_1d([1.0, 2], [0.5, 0.6], [0, 1], [1, 1]), ValueError, "sum to 1"),
        (lambda: em.fit_gmm_1d([1.0, 2], [1.5, -0.5], [0, 1], [1, 1]), ValueError, ">= 0"),
        (lambda: em.fit_gmm_1d([1.0, np.nan], [1], [0], [1]), ValueError, "`x` must contain only"),
        (lambda: em.fit_gmm_1d([1.0, 2], [0.5, 0.5], [0, 1], [1]), ValueError, "one entry per"),
        (lambda: em.fit_gmm_1d([1.0, 2], [1], [0], [1], tol=-1), ValueError, "`tol` must be >= 0"),
        (lambda: em.e_step([1.0, 2], [1], [0], [1], out=np.empty((2, 2))), ValueError, "`out`"),
        (lambda: em.e_step([1.0, 2], [1], [0], [1], out=[[0.0], [0.0]]), TypeError, "`out`"),
        (lambda: em.e_step([1.0, 2], [1], [0], [-1]), ValueError, "`stds` must be > 0"),
        (lambda: em.m_step([1.0, 2], [[1.0], [1.0], [1.0]]), ValueError, "same length"),
        (lambda: em.m_step([1.0, 2], [[0.5, 0.6], [1.0, 0.0]]), ValueError, "sum to 1"),
        (lambda: em.m_step([1.0, 2], [[1.5, -0.5], [1.0, 0.0]]), ValueError, "`resp`"),
        (lambda: em.m_step([1.0, 2], [1.0, 1.0]), ValueError, "`resp` must be 2-D"),
        (
            lambda: em.fit_gmm_1d([1.0, 2], [1], [0], [1], variance_prior=3),
            TypeError,
            "`variance_prior` must be",
        ),
        (
            lambda: em.fit_gmm_1d([1.0, 2], [1], [0], [1], variance_prior=(1, -1)),
            ValueError,
            r"`variance_prior\[1\]`",
        ),
        (lambda: em.gmm_loglik("abc", [1], [0], [1]), TypeError, "`x` must be"),
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
        (
            lambda: em.gmm_lower_bound([1.0, 2.0], [[1.0], [1.0]], [0.5, 0.5], [0, 1], [1, 1]),
            ValueError,
            "`resp` must have shape",
        ),
        (
            lambda: em.gmm_lower_bound(
                [1.0, 2.0], [[0.7, 0.7], [1, 0]], [0.5, 0.5], [0, 1], [1, 1]
            ),
            ValueError,
            "`resp` must have rows that sum to 1",
        ),
        (lambda: em.gmm_bic([1.0, 2.0], [1.0], [0.0], [0.0]), ValueError, "`stds` must be > 0"),
        (lambda: em.gmm_bic("ab", [1.0], [0.0], [1.0]), TypeError, "`x` must be"),
        (
            lambda: em.em_half_steps([1.0, 2.0], [1.0], [0.0], [1.0], 0),
            ValueError,
            "`n_steps` must be >= 1",
        ),
        (
            lambda: em.em_half_steps([1.0, 2.0], [1.0], [0.0], [1.0], 2.5),
            ValueError,
            "`n_steps`",
        ),
        (lambda: em.fit_kmeans_1d([1.0], [0.0, 1.0]), ValueError, "`x` must have at least"),
        (lambda: em.fit_kmeans_1d([1.0, 2.0], [[0.0]]), ValueError, "`centers` must be 1-D"),
        (
            lambda: em.fit_kmeans_1d([0.0, 0.1, 0.2], [0.0, 50.0]),
            CollapseError,
            "center 1 lost all its points of `x`",
        ),
        (
            lambda: em.fit_kmeans_1d([0.0, 1.0], [0.0, 1.0], max_iter=0),
            ValueError,
            "`max_iter` must be >= 1",
        ),
        (
            lambda: em.fit_bivariate_missing([0, 1, 2, 3], [0, 1, 0, 1], [1, 1, 1, 0]),
            TypeError,
            "`observed` must be an array of booleans",
        ),
        (
            lambda: em.fit_bivariate_missing(
                [0, 1, 2, 3], [0, 1, 0, 1], [True, True, False, False]
            ),
            ValueError,
            "`observed` must mark at least 3",
        ),
        (
            lambda: em.fit_bivariate_missing([0, 1, 2], [0, 1, 0, 1], [True] * 3),
            ValueError,
            "`y` and `x` must have the same length",
        ),
        (
            lambda: em.fit_bivariate_missing([1, 1, 1, 1], [0, 1, 0, 1], [True] * 4),
            ValueError,
            "`x` must contain at least 2 distinct values",
        ),
        (
            lambda: em.fit_bivariate_missing([0, 1, 2, 3], [0, 2, 4, 6], [True] * 4),
            ValueError,
            "`x` and `y` must not lie on a line",
        ),
        (
            lambda: em.fit_bivariate_missing([0, 1, 2], [0, np.nan, 1], [True, False, True]),
            ValueError,
            "`y` must contain only finite numbers",
        ),
    ],
)
def test_bad_input_is_rejected(call, error, match):
    with pytest.raises(error, match=match):
        call()


def _oracle_responsibilities(x, w, m, sd):
    """Textbook E-step with scipy.stats.norm densities (no log-space tricks)."""
    joint = w * stats.norm.pdf(x[:, None], m, sd)
    return joint / joint.sum(axis=1, keepdims=True), float(np.log(joint.sum(axis=1)).sum())


def test_e_step_matches_scipy_norm():
    x = _mixture_data(42, n=200)
    w, m, sd = np.array([0.2, 0.5, 0.3]), np.array([-2.0, 0.5, 3.0]), np.array([0.7, 0.6, 1.2])
    resp, ll = em.e_step(x, w, m, sd)
    expected, expected_ll = _oracle_responsibilities(x, w, m, sd)
    assert resp.shape == (x.size, 3)
    np.testing.assert_allclose(resp, expected, rtol=1e-12, atol=1e-15)
    assert ll == pytest.approx(expected_ll, rel=1e-13)
    # `out=` is filled and returned, in either memory order.
    for order in "FC":
        buf = np.empty((x.size, 3), order=order)
        got, ll_out = em.e_step(x, w, m, sd, out=buf)
        assert got is buf and ll_out == ll
        np.testing.assert_array_equal(buf, resp)


def test_e_step_is_pure():
    x = _mixture_data(43, n=50)
    args = [np.array([0.4, 0.6]), np.array([-1.0, 1.0]), np.array([1.0, 2.0])]
    copies = [x.copy()] + [a.copy() for a in args]
    first, _ = em.e_step(x, *args)
    second, _ = em.e_step(x, *args)
    np.testing.assert_array_equal(first, second)
    for before, after in zip(copies, [x, *args]):
        np.testing.assert_array_equal(before, after)


def test_m_step_matches_closed_form_weighted_moments():
    rng = np.random.default_rng(44)
    x = rng.normal(0, 2, 120)
    resp = rng.dirichlet(np.ones(3), size=x.size)
    w, m, sd = em.m_step(x, resp)
    for j in range(3):
        r = resp[:, j]
        mean = np.average(x, weights=r)
        assert w[j] == pytest.approx(r.mean(), rel=1e-13)
        assert m[j] == pytest.approx(mean, rel=1e-12)
        assert sd[j] ** 2 == pytest.approx(np.average((x - mean) ** 2, weights=r), rel=1e-12)
    # MAP variance: the inverse-gamma posterior mode formula.
    _, _, sd_map = em.m_step(x, resp, variance_prior=(2.0, 0.5))
    nk, scatter = resp.sum(axis=0), np.sum(resp * (x[:, None] - m) ** 2, axis=0)
    np.testing.assert_allclose(sd_map**2, (scatter + 2 * 0.5) / (nk + 2 * 3.0), rtol=1e-12)


def test_fit_composes_the_public_steps():
    x = _mixture_data(45, n=300)
    fit = em.fit_gmm_1d(x, [0.3, 0.7], [-1.0, 1.0], [1.0, 1.0], max_iter=6, tol=0)
    params = ([0.3, 0.7], [-1.0, 1.0], [1.0, 1.0])
    for it in range(7):
        resp, ll = em.e_step(x, *params)
        assert ll == pytest.approx(fit.loglik_history[it], rel=1e-13)
        for got, want in zip(fit.param_history[it], params):
            np.testing.assert_allclose(got, want, rtol=1e-12)
        params = em.m_step(x, resp)
    np.testing.assert_allclose(fit.responsibilities, em.e_step(x, *fit.param_history[-1])[0])


def test_lower_bound_is_tight_at_the_e_step_and_below_elsewhere():
    x = _mixture_data(46, n=150)
    theta = (np.array([0.3, 0.7]), np.array([-2.0, 1.5]), np.array([0.8, 1.4]))
    other = (np.array([0.6, 0.4]), np.array([-1.0, 2.5]), np.array([1.2, 0.6]))
    resp, ll = em.e_step(x, *theta)
    assert em.gmm_lower_bound(x, resp, *theta) == pytest.approx(ll, rel=1e-13)
    # Brute force with scipy: Q(theta' | theta) + entropy of the responsibilities.
    log_joint = np.log(other[0]) + stats.norm.logpdf(x[:, None], other[1], other[2])
    expected = np.sum(resp * log_joint) - np.sum(resp * np.log(resp))
    bound = em.gmm_lower_bound(x, resp, *other)
    assert bound == pytest.approx(expected, rel=1e-12)
    # The gap is KL(resp || posterior at `other`), summed over points.
    post, ll_other = em.e_step(x, *other)
    kl = np.sum(resp * (np.log(resp) - np.log(post)))
    assert ll_other - bound == pytest.approx(kl, rel=1e-9) and kl > 0
    # A one-hot responsibility with a zero-weight component is 0 log 0 = 0, not NaN.
    onehot = np.eye(2)[(x > 0).astype(int)]
    assert np.isfinite(em.gmm_lower_bound(x, onehot, *theta))


def test_bic_matches_sklearn():
    x = _mixture_data(47, n=400)
    for k in (1, 2, 3):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sk = GaussianMixture(k, reg_covar=0.0, tol=1e-10, max_iter=2000, random_state=0)
            sk.fit(x[:, None])
        w, mu, sd = sk.weights_, sk.means_.ravel(), np.sqrt(sk.covariances_.ravel())
        assert em.gmm_bic(x, w, mu, sd) == pytest.approx(sk.bic(x[:, None]), rel=1e-12)
        assert sk._n_parameters() == 3 * k - 1


def test_half_steps_are_the_e_and_m_steps_written_out():
    x = _mixture_data(48, n=200)
    params = ([0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])
    halves = em.em_half_steps(x, *params, 4)
    assert halves.stages == ("E", "M") * 4 and halves.iterations.tolist() == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
    for t in range(4):
        resp, ll = em.e_step(x, *params)
        new = em.m_step(x, resp)
        for frame, shown in ((2 * t, params), (2 * t + 1, new)):
            np.testing.assert_allclose(halves.responsibilities[frame], resp, rtol=1e-12)
            for got, want in zip(halves.params[frame], shown):
                np.testing.assert_allclose(got, want, rtol=1e-12)
        # After the E-step the bound touches; after the M-step it has risen but stays below.
        assert halves.bound[2 * t] == pytest.approx(ll, rel=1e-13)
        assert halves.loglik[2 * t] == pytest.approx(ll, rel=1e-13)
        assert halves.bound[2 * t + 1] >= halves.bound[2 * t]
        assert halves.loglik[2 * t + 1] >= halves.bound[2 * t + 1]
        assert halves.loglik[2 * t + 1] == pytest.approx(em.gmm_loglik(x, *new), rel=1e-13)
        params = new


def test_kmeans_matches_sklearn_lloyd():
    x = _mixture_data(49, n=500)
    init = np.array([-3.0, 0.0, 1.0])
    ours = em.fit_kmeans_1d(x, init)
    sk = KMeans(3, init=init[:, None], n_init=1, algorithm="lloyd", tol=0.0, max_iter=300)
    sk.fit(x[:, None])
    np.testing.assert_allclose(ours.centers, sk.cluster_centers_.ravel(), rtol=1e-12)
    np.testing.assert_array_equal(ours.labels, sk.labels_)
    assert ours.inertia == pytest.approx(sk.inertia_, rel=1e-10) and ours.converged
    assert np.all(np.diff(ours.objective_history) <= 1e-9)
    # The sigma -> 0 limit: with equal weights and a shared small std, the E-step's
    # responsibilities are the hard assignments and the M-step's means are the centres.
    resp, _ = em.e_step(x, np.full(3, 1 / 3), ours.centers, np.full(3, 1e-3))
    np.testing.assert_allclose(resp, np.eye(3)[ours.labels], atol=1e-12)
    np.testing.assert_allclose(em.m_step(x, resp)[1], ours.centers, rtol=1e-12)


def test_kmeans_warns_when_out_of_iterations():
    x = _mixture_data(50, n=300)
    with pytest.warns(ConvergenceWarning, match="fit_kmeans_1d did not converge in 1"):
        fit = em.fit_kmeans_1d(x, [-3.0, 0.0, 1.0], max_iter=1)
    assert not fit.converged and fit.n_iter == 1


def _anderson_mle(x, y, observed):
    """Closed-form MLE of a bivariate normal with y missing at random (Anderson, 1957)."""
    xo, yo = x[observed], y[observed]
    beta = np.mean((xo - xo.mean()) * (yo - yo.mean())) / xo.var()
    resid = np.mean((yo - yo.mean() - beta * (xo - xo.mean())) ** 2)
    mu_x, var_x = x.mean(), x.var()
    mu_y = yo.mean() + beta * (mu_x - xo.mean())
    cov = np.array([[var_x, beta * var_x], [beta * var_x, resid + beta**2 * var_x]])
    return np.array([mu_x, mu_y]), cov


@pytest.mark.parametrize("seed", [51, 52])
def test_missing_data_em_reaches_the_closed_form_mle(seed):
    rng = np.random.default_rng(seed)
    xy = rng.multivariate_normal([1.0, -2.0], [[2.0, 1.2], [1.2, 1.5]], size=400)
    observed = rng.uniform(size=400) < special.expit(1.5 - xy[:, 0])  # MAR: depends on x
    y = np.where(observed, xy[:, 1], 0.0)
    fit = em.fit_bivariate_missing(xy[:, 0], y, observed)
    mean, cov = _anderson_mle(xy[:, 0], xy[:, 1], observed)
    np.testing.assert_allclose(fit.mean, mean, rtol=1e-9)
    np.testing.assert_allclose(fit.cov, cov, rtol=1e-9)
    assert fit.converged and np.all(np.diff(fit.objective_history) >= -1e-9)
    # The objective is the observed-data log-likelihood, computed here with scipy.
    ll = stats.norm.logpdf(xy[:, 0], mean[0], np.sqrt(cov[0, 0])).sum()
    beta = cov[0, 1] / cov[0, 0]
    cond_sd = np.sqrt(cov[1, 1] - beta * cov[0, 1])
    ll += stats.norm.logpdf(
        xy[observed, 1], mean[1] + beta * (xy[observed, 0] - mean[0]), cond_sd
    ).sum()
    assert fit.objective_history[-1] == pytest.approx(ll, rel=1e-10)
    # No value missing: EM returns the plain MLE at once.
    full = em.fit_bivariate_missing(xy[:, 0], xy[:, 1], np.ones(400, bool))
    np.testing.assert_allclose(full.cov, np.cov(xy.T, bias=True), rtol=1e-10)


def test_fit_gmm_restarts_matches_scikit_learn_best_of_restarts():
    """Oracle: scikit-learn's GaussianMixture with n_init restarts reaches the same optimum."""
    rng = np.random.default_rng(11)
    x = np.concatenate(
        [rng.normal(-3, 0.5, 150), rng.normal(0.5, 0.8, 150), rng.normal(4, 0.6, 100)]
    )
    res = em.fit_gmm_restarts(x, 3, 8, np.random.default_rng(3), max_iter=500, tol=1e-10)
    gm = GaussianMixture(3, n_init=8, tol=1e-10, max_iter=500, reg_covar=0, random_state=0)
    gm.fit(x[:, None])
    assert res.best.loglik == pytest.approx(gm.score(x[:, None]) * x.size, rel=1e-6)
    order = np.argsort(gm.means_.ravel())
    np.testing.assert_allclose(np.sort(res.best.means), gm.means_.ravel()[order], atol=1e-4)
    assert res.best.loglik == max(f.loglik for f in res.fits)


def test_em_half_steps_frames_are_the_e_and_m_steps_written_out():
    """Oracle: responsibilities from scipy's normal density and the weighted-average M-step."""
    x = np.array([-1.0, -1.2, 0.9, 1.1, 0.3])
    w0, m0, s0 = np.array([0.5, 0.5]), np.array([-0.5, 0.8]), np.array([1.0, 1.0])
    steps = em.em_half_steps(x, w0, m0, s0, 1)
    dens = w0 * stats.norm.pdf(x[:, None], m0, s0)
    resp = dens / dens.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(steps.responsibilities[0], resp, rtol=1e-12)
    nk = resp.sum(axis=0)
    means = resp.T @ x / nk
    stds = np.sqrt((resp * (x[:, None] - means) ** 2).sum(axis=0) / nk)
    w1, m1, s1 = steps.params[1]
    np.testing.assert_allclose(w1, nk / x.size, rtol=1e-12)
    np.testing.assert_allclose(m1, means, rtol=1e-12)
    np.testing.assert_allclose(s1, stds, rtol=1e-12)
    assert steps.loglik[0] == pytest.approx(np.log(dens.sum(axis=1)).sum(), rel=1e-12)
    assert steps.bound[0] == pytest.approx(steps.loglik[0], rel=1e-12)
