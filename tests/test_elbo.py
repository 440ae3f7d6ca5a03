"""lessonlib.elbo against quadrature, Monte Carlo, finite differences and scikit-learn."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, stats
from sklearn.decomposition import PCA

from lessonlib import elbo

X_OBS = np.array([0.4, -1.2, 2.3, 0.9, 1.7])
MODEL = dict(noise_std=1.3, prior_mean=0.5, prior_std=0.8)


def _log_joint_scalar(mu):
    return stats.norm.logpdf(X_OBS, mu, MODEL["noise_std"]).sum() + stats.norm.logpdf(
        mu, MODEL["prior_mean"], MODEL["prior_std"]
    )


def test_posterior_and_evidence_match_quadrature():
    log_z = elbo.normal_mean_log_evidence(X_OBS, **MODEL)
    z, _ = integrate.quad(lambda m: np.exp(_log_joint_scalar(m) - log_z), -30, 30, epsabs=1e-13)
    assert np.log(z) == pytest.approx(0.0, abs=1e-9)
    post = elbo.normal_mean_posterior(X_OBS, **MODEL)
    mean, std = post.mean, post.std
    m1, _ = integrate.quad(lambda m: m * np.exp(_log_joint_scalar(m) - log_z), -30, 30)
    m2, _ = integrate.quad(lambda m: m**2 * np.exp(_log_joint_scalar(m) - log_z), -30, 30)
    assert mean == pytest.approx(m1, abs=1e-9) and std == pytest.approx(
        np.sqrt(m2 - m1**2), rel=1e-8
    )


@pytest.mark.parametrize(("qm", "qs"), [(0.0, 0.3), (1.5, 1.0), (-2.0, 0.05)])
def test_elbo_matches_quadrature(qm, qs):
    def integrand(m):
        return stats.norm.pdf(m, qm, qs) * (_log_joint_scalar(m) - stats.norm.logpdf(m, qm, qs))

    expected, _ = integrate.quad(integrand, qm - 12 * qs, qm + 12 * qs, epsabs=1e-12)
    assert elbo.normal_mean_elbo(X_OBS, qm, qs, **MODEL) == pytest.approx(expected, abs=1e-8)


def test_elbo_matches_monte_carlo_with_fixed_seed():
    def log_joint(z):
        return np.array([_log_joint_scalar(v) for v in z[:, 0]])

    est = elbo.mc_elbo(log_joint, [0.7], [0.4], 20_000, np.random.default_rng(12))
    assert est == pytest.approx(elbo.normal_mean_elbo(X_OBS, 0.7, 0.4, **MODEL), abs=0.02)


@given(qm=st.floats(-5, 5), qs=st.floats(0.01, 5))
@settings(max_examples=200, deadline=None)
def test_elbo_never_exceeds_log_evidence(qm, qs):
    gap = elbo.normal_mean_log_evidence(X_OBS, **MODEL) - elbo.normal_mean_elbo(
        X_OBS, qm, qs, **MODEL
    )
    post = elbo.normal_mean_posterior(X_OBS, **MODEL)
    mean, std = post.mean, post.std
    kl = np.log(std / qs) + (qs**2 + (qm - mean) ** 2) / (2 * std**2) - 0.5
    assert gap >= -1e-10 and gap == pytest.approx(kl, rel=1e-9, abs=1e-9)


def test_elbo_broadcasts_over_a_grid():
    out = elbo.normal_mean_elbo(X_OBS, np.linspace(-1, 1, 4)[None, :], np.ones((3, 1)), **MODEL)
    assert out.shape == (3, 4)


def _grad_log_joint(z):
    s, m0, s0 = MODEL["noise_std"], MODEL["prior_mean"], MODEL["prior_std"]
    return np.sum(X_OBS[None, :] - z, axis=1, keepdims=True) / s**2 - (z - m0) / s0**2


def _log_joint(z):
    s, m0, s0 = MODEL["noise_std"], MODEL["prior_mean"], MODEL["prior_std"]
    mu = z[:, 0]
    return stats.norm.logpdf(X_OBS[None, :], mu[:, None], s).sum(axis=1) + stats.norm.logpdf(
        mu, m0, s0
    )


def test_gradient_estimators_are_unbiased():
    qm, qs = 0.2, 0.5
    h = 1e-6
    d_mean = (
        elbo.normal_mean_elbo(X_OBS, qm + h, qs, **MODEL)
        - elbo.normal_mean_elbo(X_OBS, qm - h, qs, **MODEL)
    ) / (2 * h)
    d_log_std = (
        elbo.normal_mean_elbo(X_OBS, qm, qs * np.exp(h), **MODEL)
        - elbo.normal_mean_elbo(X_OBS, qm, qs * np.exp(-h), **MODEL)
    ) / (2 * h)
    for grads in (
        elbo.reparam_gradients(_grad_log_joint, [qm], [qs], 200_000, np.random.default_rng(1)),
        elbo.score_gradients(_log_joint, [qm], [qs], 200_000, np.random.default_rng(2)),
    ):
        se = grads.std(axis=0) / np.sqrt(grads.shape[0])
        assert abs(grads[:, 0].mean() - d_mean) < 5 * se[0]
        assert abs(grads[:, 1].mean() - d_log_std) < 5 * se[1]


def test_vi_recovers_a_gaussian_posterior_exactly():
    post = elbo.normal_mean_posterior(X_OBS, **MODEL)
    mean, std = post.mean, post.std
    fit = elbo.fit_gaussian_vi(
        _log_joint, _grad_log_joint, [0.0], np.random.default_rng(3), n_steps=4000, lr=0.01
    )
    assert fit.mean[0] == pytest.approx(mean, abs=0.02)
    assert fit.std[0] == pytest.approx(std, rel=0.05)


def test_vi_matches_grid_posterior_of_a_non_conjugate_model():
    # Poisson counts with a log-rate and a N(0, 1) prior: the posterior is not Gaussian.
    counts = np.array([3, 5, 2, 4, 6, 1])

    def log_joint(z):
        eta = z[:, 0]
        return np.sum(counts) * eta - counts.size * np.exp(eta) - 0.5 * eta**2

    def grad(z):
        return np.sum(counts) - counts.size * np.exp(z) - z

    fit = elbo.fit_gaussian_vi(log_joint, grad, [0.0], np.random.default_rng(4), n_steps=4000)
    grid = np.linspace(-2, 4, 20_001)
    lp = log_joint(grid[:, None])
    p = np.exp(lp - lp.max())
    p /= p.sum()
    grid_mean = np.sum(p * grid)
    grid_std = np.sqrt(np.sum(p * (grid - grid_mean) ** 2))
    assert fit.mean[0] == pytest.approx(grid_mean, abs=0.02)
    assert fit.std[0] == pytest.approx(grid_std, rel=0.1)
    assert fit.objective_history[-1] > fit.objective_history[0]
    assert fit.n_iter == 4000 and not fit.converged  # fixed budget, no stopping test
    np.testing.assert_array_equal(fit.history_steps, np.arange(0, 4001, 50))


def _ppca_data(seed, n=400, dim=5, k=2):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, k)) @ rng.normal(0, 2, (dim, k)).T + rng.normal(0, 0.6, (n, dim))


def test_ppca_mle_matches_eigen_formula_and_scipy_loglik():
    X = _ppca_data(20)
    fit_mle = elbo.ppca_mle(X, 2)
    W, mean, noise_var = fit_mle.W, fit_mle.mean, fit_mle.noise_var
    cov = np.cov(X.T, bias=True)
    evals = np.sort(np.linalg.eigvalsh(cov))[::-1]
    assert noise_var == pytest.approx(evals[2:].mean(), rel=1e-12)
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(W.T @ W)), np.sort(evals[:2] - noise_var))
    model_cov = W @ W.T + noise_var * np.eye(5)
    expected = stats.multivariate_normal(mean, model_cov).logpdf(X).sum()
    assert elbo.ppca_loglik(X, W, mean, noise_var) == pytest.approx(expected, rel=1e-12)


def test_ppca_mle_is_a_maximum():
    X = _ppca_data(21)
    fit_mle = elbo.ppca_mle(X, 2)
    W, mean, noise_var = fit_mle.W, fit_mle.mean, fit_mle.noise_var
    best = elbo.ppca_loglik(X, W, mean, noise_var)
    rng = np.random.default_rng(0)
    for _ in range(20):
        W2 = W + 0.02 * rng.normal(size=W.shape)
        assert elbo.ppca_loglik(X, W2, mean, noise_var * np.exp(0.02 * rng.normal())) < best


def test_ppca_agrees_with_sklearn_pca():
    X = _ppca_data(22)
    n = X.shape[0]
    pca = PCA(n_components=2).fit(X)
    # sklearn's PCA.score is the pPCA log-likelihood of its own (ddof=1) fit ...
    cov_sk = pca.get_covariance()
    expected = stats.multivariate_normal(pca.mean_, cov_sk).logpdf(X).mean()
    assert pca.score(X) == pytest.approx(expected, rel=1e-10)
    # ... which is the MLE's covariance rescaled by n / (n - 1).
    fit_mle = elbo.ppca_mle(X, 2)
    W, noise_var = fit_mle.W, fit_mle.noise_var
    np.testing.assert_allclose(W @ W.T + noise_var * np.eye(5), cov_sk * (n - 1) / n, atol=1e-10)


def test_linear_vae_gradient_matches_finite_differences():
    X = _ppca_data(23, n=30, dim=4)
    Xc = X - X.mean(axis=0)
    params = np.random.default_rng(5).normal(0, 0.3, 2 * 4 * 2 + 1 + 2)
    _, grad = elbo._vae_elbo_and_grad(params, Xc, 2)
    numeric = optimize.approx_fprime(params, lambda p: elbo._vae_elbo_and_grad(p, Xc, 2)[0], 1e-6)
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-3)


def test_linear_vae_reaches_ppca_mle():
    X = _ppca_data(24)
    fit = elbo.fit_linear_vae(X, 2, np.random.default_rng(6))
    fit_mle = elbo.ppca_mle(X, 2)
    W, mean, noise_var = fit_mle.W, fit_mle.mean, fit_mle.noise_var
    ll_mle = elbo.ppca_loglik(X, W, mean, noise_var)
    ll_vae = elbo.ppca_loglik(X, fit.W, fit.mean, fit.noise_var)
    bound = elbo.linear_vae_elbo(X, fit.W, fit.V, fit.noise_var, fit.enc_std, fit.mean)
    assert bound <= ll_vae + 1e-9 <= ll_mle + 1e-8
    assert ll_mle - bound < 1e-3
    assert fit.n_iter == 8000 and not fit.converged
    assert fit.history_steps[-1] == 8000 and len(fit.objective_history) == len(fit.history_steps)
    assert fit.objective_history[-1] == pytest.approx(bound, rel=1e-12)


def test_adam_fits_run_their_budget_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = elbo.fit_linear_vae(_ppca_data(25, n=50), 1, np.random.default_rng(0), n_steps=7)
    assert fit.n_iter == 7 and fit.history_steps.tolist() == [0]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: elbo.normal_mean_posterior([], 1, 0, 1), ValueError, "`x` must have at least"),
        (lambda: elbo.normal_mean_posterior([1.0], 0, 0, 1), ValueError, "`noise_std` must be > 0"),
        (lambda: elbo.normal_mean_log_evidence([1.0], 1, 0, -1), ValueError, "`prior_std`"),
        (lambda: elbo.normal_mean_elbo([1.0], 0, 0.0, 1, 0, 1), ValueError, "`q_std` must be > 0"),
        (lambda: elbo.normal_mean_elbo([1.0], np.nan, 1, 1, 0, 1), ValueError, "`q_mean`"),
        (
            lambda: elbo.mc_elbo(lambda z: z, [0.0], [1.0, 2.0], 5, np.random.default_rng()),
            ValueError,
            "`q_std` must have the shape",
        ),
        (
            lambda: elbo.mc_elbo(lambda z: z, [0.0], [1.0], 5, np.random.default_rng()),
            ValueError,
            "`log_joint` must return shape",
        ),
        (
            lambda: elbo.mc_elbo("f", [0.0], [1.0], 5, np.random.default_rng()),
            TypeError,
            "callable",
        ),
        (
            lambda: elbo.mc_elbo(lambda z: z[:, 0], [0.0], [1.0], 0, np.random.default_rng()),
            ValueError,
            "`n_samples`",
        ),
        (lambda: elbo.ppca_mle(np.ones((5, 3)), 3), ValueError, "`latent_dim` must be smaller"),
        (lambda: elbo.ppca_mle(np.ones((5, 3)), 0), ValueError, "`latent_dim` must be >= 1"),
        (lambda: elbo.ppca_mle(np.ones((1, 3)), 1), ValueError, "at least 2 rows"),
        (
            lambda: elbo.ppca_loglik(np.ones((5, 3)), np.ones((2, 1)), np.zeros(3), 1.0),
            ValueError,
            "`W` must have 3 rows",
        ),
        (
            lambda: elbo.ppca_loglik(np.ones((5, 3)), np.ones((3, 1)), np.zeros(3), 0.0),
            ValueError,
            "`noise_var`",
        ),
        (
            lambda: elbo.fit_linear_vae(np.ones((5, 3)), 5, np.random.default_rng()),
            ValueError,
            "`latent_dim`",
        ),
        (
            lambda: elbo.linear_vae_elbo(
                np.ones((5, 3)), np.ones((3, 1)), np.ones((1, 2)), 1.0, [1.0], np.zeros(3)
            ),
            ValueError,
            "must have agreeing shapes",
        ),
    ],
)
def test_bad_input_is_rejected(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- Second edition: baseline score gradients, IWAE, Normal-Gamma CAVI -------------------------


def _true_elbo_grad(qm, qs):
    post = elbo.normal_mean_posterior(X_OBS, **MODEL)
    n = X_OBS.size
    prec = n / MODEL["noise_std"] ** 2 + 1 / MODEL["prior_std"] ** 2
    # d ELBO / d m = -prec (m - post_mean); d ELBO / d log s = 1 - prec s^2
    return np.array([-prec * (qm - post.mean), 1 - prec * qs**2])


def _lj(z):
    mu = z[:, 0]
    return stats.norm.logpdf(X_OBS[None, :], mu[:, None], MODEL["noise_std"]).sum(
        axis=1
    ) + stats.norm.logpdf(mu, MODEL["prior_mean"], MODEL["prior_std"])


@pytest.mark.parametrize("baseline", [None, -12.0])
def test_score_gradients_baseline_is_unbiased(baseline):
    qm, qs, n = 0.2, 0.3, 200_000
    g = elbo.score_gradients_baseline(
        _lj, [qm], [qs], n, np.random.default_rng(5), baseline=baseline
    )
    se = g.std(axis=0) / np.sqrt(n)
    assert np.all(np.abs(g.mean(axis=0) - _true_elbo_grad(qm, qs)) < 4 * se)


def test_score_gradients_baseline_variance_ignores_an_added_constant():
    qm, qs, n = 0.2, 0.3, 50_000
    shifted = lambda z: _lj(z) + 1000.0  # noqa: E731
    plain = elbo.score_gradients(shifted, [qm], [qs], n, np.random.default_rng(6))
    base = elbo.score_gradients_baseline(shifted, [qm], [qs], n, np.random.default_rng(6))
    base0 = elbo.score_gradients_baseline(_lj, [qm], [qs], n, np.random.default_rng(6))
    np.testing.assert_allclose(base, base0, rtol=1e-8, atol=1e-8)  # leave-one-out removes it
    assert np.all(plain.var(axis=0) > 100 * base.var(axis=0))


def test_score_gradients_baseline_rejects_bad_input():
    with pytest.raises(ValueError, match="`n_samples`"):
        elbo.score_gradients_baseline(_lj, [0.0], [1.0], 1, np.random.default_rng(0))
    with pytest.raises(TypeError, match="`baseline`"):
        elbo.score_gradients_baseline(_lj, [0.0], [1.0], 5, np.random.default_rng(0), baseline="b")


def test_iwae_bound_k1_is_the_elbo_and_grows_to_log_evidence():
    qm, qs = 0.1, 0.25
    exact_elbo = elbo.normal_mean_elbo(X_OBS, qm, qs, **MODEL)
    log_ev = elbo.normal_mean_log_evidence(X_OBS, **MODEL)
    one = elbo.iwae_bound(_lj, [qm], [qs], 1, 40_000, np.random.default_rng(7))
    assert abs(one.bound - exact_elbo) < 4 * one.std_error
    bounds = [
        elbo.iwae_bound(_lj, [qm], [qs], k, 4000, np.random.default_rng(k)) for k in (5, 50, 500)
    ]
    assert all(b.bound <= log_ev + 4 * b.std_error for b in bounds)
    assert one.bound < bounds[0].bound < bounds[1].bound < bounds[2].bound
    assert log_ev - bounds[2].bound < 0.3 * (log_ev - exact_elbo)


def test_iwae_bound_is_exact_at_the_posterior():
    post = elbo.normal_mean_posterior(X_OBS, **MODEL)
    out = elbo.iwae_bound(_lj, [post.mean], [post.std], 3, 10, np.random.default_rng(0))
    assert out.bound == pytest.approx(elbo.normal_mean_log_evidence(X_OBS, **MODEL), abs=1e-10)
    assert out.std_error < 1e-10


def test_iwae_bound_rejects_bad_input():
    with pytest.raises(ValueError, match="`n_repeats`"):
        elbo.iwae_bound(_lj, [0.0], [1.0], 3, 1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="`n_particles`"):
        elbo.iwae_bound(_lj, [0.0], [1.0], 0, 5, np.random.default_rng(0))


NG_X = np.array([0.9, 1.7, -0.3, 1.2, 2.4, 0.5])
NG_PRIOR = dict(prior_mean=0.5, prior_kappa=2.0, prior_shape=3.0, prior_rate=2.5)


def test_normal_gamma_log_evidence_matches_2d_quadrature():
    def integrand(tau, mu):
        lik = stats.norm.logpdf(NG_X, mu, 1 / np.sqrt(tau)).sum()
        prior = stats.norm.logpdf(
            mu, NG_PRIOR["prior_mean"], 1 / np.sqrt(NG_PRIOR["prior_kappa"] * tau)
        ) + stats.gamma.logpdf(tau, NG_PRIOR["prior_shape"], scale=1 / NG_PRIOR["prior_rate"])
        return np.exp(lik + prior)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        val, _ = integrate.dblquad(integrand, -6, 8, 1e-8, 12, epsabs=1e-14, epsrel=1e-10)
    assert elbo.normal_gamma_log_evidence(NG_X, **NG_PRIOR) == pytest.approx(np.log(val), abs=1e-6)


def test_normal_gamma_elbo_matches_monte_carlo_and_stays_below_the_evidence():
    q = dict(q_mean=1.0, q_std=0.4, q_shape=5.0, q_rate=4.0)
    r = np.random.default_rng(8)
    n = 400_000
    mu = r.normal(q["q_mean"], q["q_std"], n)
    tau = r.gamma(q["q_shape"], 1 / q["q_rate"], n)
    log_p = (
        stats.norm.logpdf(NG_X[None], mu[:, None], 1 / np.sqrt(tau)[:, None]).sum(axis=1)
        + stats.norm.logpdf(mu, NG_PRIOR["prior_mean"], 1 / np.sqrt(NG_PRIOR["prior_kappa"] * tau))
        + stats.gamma.logpdf(tau, NG_PRIOR["prior_shape"], scale=1 / NG_PRIOR["prior_rate"])
    )
    log_q = stats.norm.logpdf(mu, q["q_mean"], q["q_std"]) + stats.gamma.logpdf(
        tau, q["q_shape"], scale=1 / q["q_rate"]
    )
    vals = log_p - log_q
    value = elbo.normal_gamma_elbo(NG_X, **q, **NG_PRIOR)
    assert abs(value - vals.mean()) < 4 * vals.std() / np.sqrt(n)
    assert value < elbo.normal_gamma_log_evidence(NG_X, **NG_PRIOR)


def test_cavi_reaches_the_numerical_maximum_of_the_mean_field_elbo():
    fit = elbo.fit_cavi_normal_gamma(NG_X, **NG_PRIOR)
    assert fit.converged and np.all(np.diff(fit.objective_history) >= -1e-12)

    def neg(t):
        return -elbo.normal_gamma_elbo(
            NG_X, t[0], np.exp(t[1]), np.exp(t[2]), np.exp(t[3]), **NG_PRIOR
        )

    res = optimize.minimize(neg, [0.0, 0.0, 0.0, 0.0], method="BFGS", options={"gtol": 1e-9})
    assert -res.fun == pytest.approx(fit.objective_history[-1], abs=1e-8)
    np.testing.assert_allclose(
        [fit.mean, fit.std, fit.shape, fit.rate], [res.x[0], *np.exp(res.x[1:])], rtol=1e-4
    )
    # q(mu)'s mean is the exact posterior mean.
    n = NG_X.size
    exact = (NG_PRIOR["prior_kappa"] * NG_PRIOR["prior_mean"] + NG_X.sum()) / (
        NG_PRIOR["prior_kappa"] + n
    )
    assert fit.mean == pytest.approx(exact, rel=1e-12)


def test_cavi_and_normal_gamma_reject_bad_input():
    with pytest.raises(ValueError, match="`prior_kappa`"):
        elbo.fit_cavi_normal_gamma(NG_X, 0.0, -1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="`q_shape`"):
        elbo.normal_gamma_elbo(NG_X, 0.0, 1.0, 0.0, 1.0, **NG_PRIOR)
    with pytest.raises(ValueError, match="`prior_rate`"):
        elbo.normal_gamma_log_evidence(NG_X, 0.0, 1.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="`max_iter`"):
        elbo.fit_cavi_normal_gamma(NG_X, **NG_PRIOR, max_iter=0)


def test_linear_vae_with_held_noise_collapses_weak_directions():
    r = np.random.default_rng(9)
    X = r.normal(size=(400, 4)) * np.array([3.0, 0.6, 0.5, 0.4])
    fit = elbo.fit_linear_vae(X, 2, np.random.default_rng(1), n_steps=4000, noise_var=1.0)
    assert fit.noise_var == pytest.approx(1.0)
    col = np.sum(fit.W**2, axis=0)
    # One direction has variance 9 > 1 (active: |w|^2 = 9 - 1 roughly); the rest < 1 collapse.
    assert col.max() > 5 and col.min() < 1e-3
    assert fit.enc_std[np.argmin(col)] == pytest.approx(1.0, abs=1e-2)


def test_fit_gaussian_vi_final_lr_settles_on_the_posterior():
    post = elbo.normal_mean_posterior(X_OBS, **MODEL)

    def grad(z):
        return (
            np.sum(X_OBS[None, :] - z, axis=1, keepdims=True) / MODEL["noise_std"] ** 2
            - (z - MODEL["prior_mean"]) / MODEL["prior_std"] ** 2
        )

    fit = elbo.fit_gaussian_vi(
        _lj, grad, [0.0], np.random.default_rng(2), n_steps=3000, lr=0.05, final_lr=1e-4
    )
    assert fit.mean[0] == pytest.approx(post.mean, abs=5e-3)
    assert fit.std[0] == pytest.approx(post.std, rel=1e-2)


def test_linear_vae_elbo_equals_the_ppca_likelihood_at_the_exact_posterior_encoder():
    """Oracle: scipy's multivariate normal log-density of x ~ N(mean, W W^T + noise I).

    With the encoder set to the exact posterior q(z | x) = N(M^-1 W^T (x - mean), noise M^-1),
    M = W^T W + noise I, the ELBO equals the log-likelihood; any other encoder is below it.
    """
    rng = np.random.default_rng(5)
    X = rng.normal(size=(40, 3)) * [2.0, 1.0, 0.3] + [1.0, -2.0, 0.5]
    W, mean, noise = np.array([[1.5], [0.4], [-0.2]]), np.array([1.0, -2.0, 0.5]), 0.7
    M = W.T @ W + noise
    V = np.linalg.solve(M, W.T)
    enc_std = np.sqrt(noise / np.diag(M))
    cov = W @ W.T + noise * np.eye(3)
    exact = stats.multivariate_normal(mean, cov).logpdf(X).sum()
    assert elbo.linear_vae_elbo(X, W, V, noise, enc_std, mean) == pytest.approx(exact, rel=1e-10)
    assert elbo.linear_vae_elbo(X, W, 0.5 * V, noise, enc_std, mean) < exact
