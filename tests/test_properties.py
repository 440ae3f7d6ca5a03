"""Claims of the book that must hold on any data (hypothesis), and numerical stress tests.

Oracles here are log-space formulas written out independently, scipy, or
invariances (rescaling the data must rescale the estimates exactly).
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import special, stats

from lessonlib import elbo, em, kl, mle, priors

finite = st.floats(-50, 50, allow_nan=False)
scale = st.floats(1e-3, 1e3)


@given(
    thetas=hnp.arrays(float, st.integers(1, 8), elements=st.floats(0.0, 1.0)),
    raw_prior=hnp.arrays(float, 8, elements=st.floats(0.0, 1.0)),
    heads=st.integers(0, 20_000),
    tails=st.integers(0, 20_000),
)
@settings(max_examples=150, deadline=None)
def test_discrete_posterior_is_a_distribution(thetas, raw_prior, heads, tails):
    prior = raw_prior[: thetas.size]
    assume(prior.sum() > 0)
    prior = prior / prior.sum()
    try:
        post = priors.discrete_posterior(thetas, prior, heads, tails)
    except ValueError as exc:  # only when the data are impossible under every hypothesis
        assert "probability 0" in str(exc)
        return
    assert np.all(post >= 0) and post.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(post[prior == 0] == 0)


@given(pm=finite, ps=scale, qm=finite, qs=scale)
@settings(max_examples=150, deadline=None)
def test_kl_normal_is_non_negative_and_zero_only_at_equality(pm, ps, qm, qs):
    value = kl.kl_normal(pm, ps, qm, qs)
    assert value >= 0
    assert kl.kl_normal(pm, ps, pm, ps) == 0.0
    if abs(pm - qm) > 1e-6 * (ps + qs) or abs(ps / qs - 1) > 1e-6:
        assert value > 0


@given(seed=st.integers(0, 10_000), dim=st.integers(1, 5))
@settings(max_examples=100, deadline=None)
def test_kl_mvn_is_non_negative_and_zero_at_equality(seed, dim):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(dim, dim)), rng.normal(size=(dim, dim))
    pc, qc = A @ A.T + 0.1 * np.eye(dim), B @ B.T + 0.1 * np.eye(dim)
    pm, qm = rng.normal(size=dim), rng.normal(size=dim)
    assert kl.kl_mvn(pm, pc, qm, qc) > 0
    assert kl.kl_mvn(pm, pc, pm, pc) == pytest.approx(0.0, abs=1e-10)


@given(
    w=st.floats(0.05, 0.95),
    sep=st.floats(0, 10),
    qm=st.floats(-8, 8),
    qs=st.floats(0.2, 5),
    direction=st.sampled_from(["forward", "reverse"]),
)
@settings(max_examples=100, deadline=None)
def test_kl_to_a_mixture_is_non_negative(w, sep, qm, qs, direction):
    value = kl.kl_mixture_normal([w, 1 - w], [-sep / 2, sep / 2], [1.0, 1.0], qm, qs, direction)
    assert value >= -1e-12


@given(seed=st.integers(0, 10_000), k=st.integers(1, 5), spread=st.floats(1e-3, 1e3))
@settings(max_examples=100, deadline=None)
def test_responsibilities_are_distributions_and_m_step_weights_too(seed, k, spread):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, spread, 60)
    w = rng.dirichlet(np.ones(k))
    resp, ll = em.e_step(x, w, rng.normal(0, spread, k), spread * rng.uniform(0.01, 2, k))
    assert np.all((resp >= 0) & (resp <= 1)) and np.isfinite(ll)
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, atol=1e-12)
    if np.all(resp.sum(axis=0) > 0):  # a component no point reaches has no M-step
        new_w, _, _ = em.m_step(x, resp, variance_prior=(1.0, spread**2))
        assert new_w.sum() == pytest.approx(1.0, abs=1e-12)


@given(seed=st.integers(0, 10_000), n=st.integers(2, 40), d=st.integers(1, 8))
@settings(max_examples=100, deadline=None)
def test_ridge_norm_shrinks_as_the_prior_tightens(seed, n, d):
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(n, d)), rng.normal(size=n)
    assume(np.linalg.norm(X.T @ y) > 1e-6)
    norms = [np.linalg.norm(priors.ridge_map(X, y, 1.0, tv)) for tv in (1e3, 10.0, 0.1, 1e-3)]
    assert all(a > b for a, b in zip(norms, norms[1:]))


@given(seed=st.integers(0, 10_000), d=st.integers(1, 10))
@settings(max_examples=100, deadline=None)
def test_lasso_zeros_grow_as_the_scale_shrinks(seed, d):
    # Orthogonal design: the lasso soft-thresholds each coefficient, so sparsity is monotone.
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(30, d)))
    y = Q @ rng.normal(0, 3, d) + 0.1 * rng.normal(size=30)
    zeros = [int(np.sum(priors.lasso_map(Q, y, 1.0, b) == 0)) for b in (100.0, 1.0, 0.3, 0.1, 1e-3)]
    assert zeros == sorted(zeros) and zeros[-1] == d


# ---------------------------------------------------------------- numerical stress


def test_gmm_loglik_on_ten_million_points_matches_chunked_scipy():
    rng = np.random.default_rng(50)
    x = rng.normal(0, 2, 10_000_000)
    w, m, v = np.array([0.4, 0.6]), np.array([-1.0, 1.5]), np.array([0.8, 2.0])
    expected = 0.0
    for chunk in np.array_split(x, 20):
        expected += special.logsumexp(
            np.log(w) + stats.norm.logpdf(chunk[:, None], m, np.sqrt(v)), axis=1
        ).sum()
    assert em.gmm_loglik(x, w, m, np.sqrt(v)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("factor", [1e-6, 1.0, 1e6])
def test_em_is_exactly_scale_equivariant(factor):
    # Variances from 1e-12 to 1e12: rescaling the data rescales every estimate.
    rng = np.random.default_rng(51)
    x = np.concatenate([rng.normal(-2, 0.5, 150_000), rng.normal(1, 1.0, 150_000)])
    start = dict(weights=[0.5, 0.5], means=[-1.0, 0.5], stds=[1.0, 1.0])
    base = em.fit_gmm_1d(x, **start, max_iter=20, tol=0)
    scaled = em.fit_gmm_1d(
        x * factor,
        start["weights"],
        [m * factor for m in start["means"]],
        [s * factor for s in start["stds"]],
        max_iter=20,
        tol=0,
    )
    np.testing.assert_allclose(scaled.means, base.means * factor, rtol=1e-9)
    np.testing.assert_allclose(scaled.stds, base.stds * factor, rtol=1e-9)
    np.testing.assert_allclose(scaled.weights, base.weights, rtol=1e-9)
    assert scaled.loglik == pytest.approx(base.loglik - x.size * np.log(factor), rel=1e-9)


def test_tiny_probabilities_and_many_flips_stay_finite():
    ll = mle.bernoulli_log_likelihood(1e-300, heads=3, tails=40_000)
    assert ll == pytest.approx(3 * math.log(1e-300) + 40_000 * math.log1p(-1e-300), rel=1e-14)
    post = priors.discrete_posterior([1e-300, 0.5], [0.5, 0.5], heads=2, tails=30_000)
    log_a = math.log(0.5) + 2 * math.log(1e-300) + 30_000 * math.log1p(-1e-300)
    log_b = math.log(0.5) + 30_002 * math.log(0.5)
    # The nearly-impossible-coin hypothesis wins by e^19000 here; check both in log space.
    assert post[1] == pytest.approx(math.exp(-np.logaddexp(0.0, log_a - log_b)), abs=1e-300)
    assert post[0] == pytest.approx(math.exp(-np.logaddexp(0.0, log_b - log_a)), rel=1e-12)
    close = priors.discrete_posterior([1e-300, 1e-299], [0.5, 0.5], heads=1, tails=10)
    assert close[1] == pytest.approx(10 / 11, rel=1e-9)


@pytest.mark.parametrize("s", [1e-12, 1e-6, 1e6, 1e12])
def test_kl_normal_with_extreme_scales(s):
    assert kl.kl_normal(0.0, s, 0.0, s) == 0.0
    assert kl.kl_normal(0.0, s, 0.0, 1.0) == pytest.approx(-math.log(s) + s * s / 2 - 0.5)
    assert kl.kl_normal(0.0, 1.0, 0.0, s) == pytest.approx(math.log(s) + 1 / (2 * s * s) - 0.5)


@pytest.mark.parametrize("q_std", [1e-12, 1e-3, 1e3, 1e12])
def test_elbo_with_extreme_q_std_stays_below_the_evidence(q_std):
    x = [0.3, -0.2, 1.1]
    value = elbo.normal_mean_elbo(x, 0.2, q_std, 1.0, 0.0, 1.0)
    assert np.isfinite(value) and value < elbo.normal_mean_log_evidence(x, 1.0, 0.0, 1.0)


@pytest.mark.parametrize("ratio", [1e-12, 1.0, 1e12])
def test_ridge_with_extreme_prior_strengths(ratio):
    rng = np.random.default_rng(52)
    X, y = rng.normal(size=(50, 4)), rng.normal(size=50)
    w = priors.ridge_map(X, y, noise_var=ratio, prior_var=1.0)
    expected = np.linalg.solve(X.T @ X + ratio * np.eye(4), X.T @ y)
    np.testing.assert_allclose(w, expected, rtol=1e-8, atol=1e-20)


def test_em_on_a_million_points_matches_sklearn():
    from sklearn.mixture import GaussianMixture

    rng = np.random.default_rng(53)
    x = np.concatenate([rng.normal(-3, 1, 600_000), rng.normal(2, 0.5, 400_000)])
    ours = em.fit_gmm_1d(x, [0.5, 0.5], [-1.0, 1.0], [1.0, 1.0], max_iter=5, tol=0)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = GaussianMixture(
            2,
            max_iter=5,
            tol=0.0,
            reg_covar=0.0,
            weights_init=[0.5, 0.5],
            means_init=[[-1.0], [1.0]],
            precisions_init=np.ones((2, 1, 1)),
        ).fit(x[:, None])
    assert ours.loglik == pytest.approx(sk.score(x[:, None]) * x.size, rel=1e-9)
