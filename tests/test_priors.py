"""lessonlib.priors against scipy, scikit-learn, closed forms and brute-force grids.

None of these data sets appears in Chapter 2.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats
from sklearn.linear_model import Lasso, Ridge

from lessonlib import optim, priors
from lessonlib.exceptions import ConvergenceWarning


@pytest.mark.parametrize(
    ("h", "t", "a", "b"), [(3, 0, 2, 2), (12, 5, 3, 7), (0, 4, 1.5, 2.5), (40, 60, 0.8, 1.6)]
)
def test_beta_binomial_map_and_mean_match_scipy(h, t, a, b):
    post = stats.beta(h + a, t + b)
    grid = np.linspace(1e-9, 1 - 1e-9, 1_000_001)
    assert priors.beta_binomial_map(h, t, a, b) == pytest.approx(
        grid[np.argmax(post.logpdf(grid))], abs=2e-6
    )
    assert priors.beta_binomial_mean(h, t, a, b) == pytest.approx(post.mean(), rel=1e-12)


def test_hhh_erratum():
    assert priors.beta_binomial_map(3, 0, 2, 2) == 0.8 != 4 / 6
    assert priors.beta_binomial_mean(3, 0, 2, 2) == pytest.approx(5 / 7)


@pytest.mark.parametrize(
    ("h", "t", "a", "b", "expected"),
    [
        (0, 0, 0.5, 3, 0.0),  # alpha < 1 < beta: density decreasing
        (0, 0, 1, 3, 0.0),  # alpha = 1 < beta
        (0, 0, 0.5, 1, 0.0),  # alpha < 1 = beta
        (0, 0, 3, 0.5, 1.0),
        (2, 0, 1, 0.5, 1.0),  # alpha = 3, beta = 0.5
        (0, 0, 1, 0.5, 1.0),
    ],
)
def test_beta_binomial_map_on_the_boundary(h, t, a, b, expected):
    assert priors.beta_binomial_map(h, t, a, b) == expected


@pytest.mark.parametrize(("a", "b", "match"), [(1, 1, "flat"), (0.5, 0.5, "U-shaped")])
def test_beta_binomial_map_without_unique_mode(a, b, match):
    with pytest.raises(ValueError, match=match):
        priors.beta_binomial_map(0, 0, a, b)


@given(
    h=st.integers(0, 500),
    t=st.integers(0, 500),
    a=st.floats(1.01, 50),
    b=st.floats(1.01, 50),
)
@settings(max_examples=200, deadline=None)
def test_map_lies_between_mle_and_prior_mode(h, t, a, b):
    if h + t == 0:
        return
    mle, prior_mode = h / (h + t), (a - 1) / (a + b - 2)
    est = priors.beta_binomial_map(h, t, a, b)
    assert min(mle, prior_mode) - 1e-12 <= est <= max(mle, prior_mode) + 1e-12


def test_discrete_posterior_matches_direct_bayes():
    thetas = np.array([0.1, 0.35, 0.6, 0.9])
    prior = np.array([0.1, 0.2, 0.3, 0.4])
    h, t = 6, 9
    unnorm = prior * stats.binom.pmf(h, h + t, thetas)
    np.testing.assert_allclose(
        priors.discrete_posterior(thetas, prior, h, t), unnorm / unnorm.sum(), rtol=1e-12
    )


def test_discrete_posterior_does_not_underflow():
    thetas = np.array([0.49, 0.5, 0.51])
    post = priors.discrete_posterior(thetas, [1 / 3, 1 / 3, 1 / 3], heads=25_100, tails=24_900)
    log_lik = stats.binom.logpmf(25_100, 50_000, thetas)
    expected = np.exp(log_lik - np.logaddexp.reduce(log_lik))
    np.testing.assert_allclose(post, expected, rtol=1e-10)
    assert np.all(np.isfinite(post)) and post.sum() == pytest.approx(1.0)


def test_discrete_posterior_boundary_thetas_and_zero_prior():
    post = priors.discrete_posterior([0.0, 0.5, 1.0], [0.0, 0.5, 0.5], heads=3, tails=0)
    assert post[0] == 0.0 and post[2] == pytest.approx(8 / 9)
    with pytest.raises(ValueError, match="probability 0"):
        priors.discrete_posterior([0.0, 1.0], [0.5, 0.5], heads=1, tails=1)


def _regression(seed, n=35, d=5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    return X, X @ rng.normal(size=d) + rng.normal(size=n)


@pytest.mark.parametrize(("noise_var", "prior_var"), [(1.0, 0.1), (0.3, 5.0), (2.0, 1e-3)])
def test_ridge_map_matches_closed_form_and_sklearn(noise_var, prior_var):
    X, y = _regression(101)
    lam = noise_var / prior_var
    w = priors.ridge_map(X, y, noise_var, prior_var)
    np.testing.assert_allclose(w, np.linalg.solve(X.T @ X + lam * np.eye(5), X.T @ y), atol=1e-10)
    np.testing.assert_allclose(w, Ridge(alpha=lam, fit_intercept=False).fit(X, y).coef_, atol=1e-8)


def test_ridge_map_maximizes_log_posterior():
    X, y = _regression(7, d=3)

    def neg_log_post(w):
        return -(
            stats.norm.logpdf(y, X @ w, np.sqrt(0.5)).sum() + stats.norm.logpdf(w, 0, 2.0).sum()
        )

    res = optimize.minimize(neg_log_post, np.zeros(3), method="BFGS", options={"gtol": 1e-10})
    np.testing.assert_allclose(priors.ridge_map(X, y, 0.5, 4.0), res.x, atol=1e-6)


def test_ridge_more_features_than_points():
    X, y = _regression(3, n=5, d=20)
    w = priors.ridge_map(X, y, 1.0, 1.0)
    np.testing.assert_allclose(w, X.T @ np.linalg.solve(X @ X.T + np.eye(5), y), atol=1e-10)


@pytest.mark.parametrize(("noise_var", "scale"), [(1.0, 0.05), (0.5, 1.0), (1.0, 100.0)])
def test_lasso_map_matches_sklearn_with_alpha_over_n(noise_var, scale):
    X, y = _regression(202, n=60, d=8)
    w = priors.lasso_map(X, y, noise_var, scale)
    sk = Lasso(alpha=noise_var / scale / 60, fit_intercept=False, tol=1e-14, max_iter=1_000_000)
    np.testing.assert_allclose(w, sk.fit(X, y).coef_, atol=1e-7)


def test_lasso_map_maximizes_log_posterior_by_brute_force():
    X, y = _regression(5, n=20, d=2)
    w = priors.lasso_map(X, y, noise_var=1.0, laplace_scale=0.05)
    grid = np.linspace(-2, 2, 801)
    W1, W2 = np.meshgrid(grid, grid, indexing="ij")
    resid = y[None, None, :] - W1[..., None] * X[:, 0] - W2[..., None] * X[:, 1]
    obj = 0.5 * np.sum(resid**2, axis=-1) + (np.abs(W1) + np.abs(W2)) / 0.05
    i, j = np.unravel_index(np.argmin(obj), obj.shape)
    assert np.abs(w - [grid[i], grid[j]]).max() <= 0.01


def test_lasso_zero_column_and_sparsity_grows():
    X, y = _regression(9, n=50, d=6)
    X[:, 2] = 0.0
    zeros = [int(np.sum(priors.lasso_map(X, y, 1.0, s) == 0)) for s in (10.0, 0.1, 0.01, 1e-4)]
    assert zeros == sorted(zeros) and zeros[0] >= 1 and zeros[-1] == 6


def test_ridge_norm_shrinks_as_prior_tightens():
    X, y = _regression(13)
    norms = [np.linalg.norm(priors.ridge_map(X, y, 1.0, tv)) for tv in (100, 1, 0.1, 0.001)]
    assert np.all(np.diff(norms) < 0)


def test_dirichlet_smoothing_is_posterior_mean():
    counts = np.array([[5, 0, 2], [0, 0, 0]])
    out = priors.dirichlet_smoothing(counts, alpha=0.5)
    np.testing.assert_allclose(out[0], stats.dirichlet.mean([5.5, 0.5, 2.5]))
    np.testing.assert_allclose(out[1], [1 / 3] * 3)
    np.testing.assert_allclose(priors.dirichlet_smoothing([3, 1], 0), [0.75, 0.25])


def test_bigram_counts_and_perplexity():
    counts = priors.char_bigram_counts("abcab", "abc")
    assert counts[0, 1] == 2 and counts[1, 2] == 1 and counts[2, 0] == 1 and counts.sum() == 4
    probs = priors.dirichlet_smoothing(counts, 1.0)
    p = [probs[0, 1], probs[1, 0]]  # "aba"
    assert priors.bigram_perplexity(probs, "aba", "abc") == pytest.approx(
        np.exp(-np.mean(np.log(p)))
    )
    mle = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]], dtype=float)
    assert priors.bigram_perplexity(mle, "aba", "abc") == np.inf


def test_lasso_tol_zero_runs_every_sweep_and_running_out_warns():
    X, y = _regression(23, n=40, d=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exact = priors.lasso_map(X, y, 1.0, 0.5, tol=0, max_sweeps=500)
    np.testing.assert_allclose(exact, priors.lasso_map(X, y, 1.0, 0.5), atol=1e-9)
    with pytest.warns(ConvergenceWarning, match="lasso_map did not converge in 1 iterations"):
        priors.lasso_map(X, y, 1.0, 0.5, max_sweeps=1)


def test_adam_keeps_its_old_name():
    assert priors.adam is optim.adam


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: priors.beta_binomial_map(-1, 2, 1, 1), ValueError, "`heads` must be >= 0"),
        (lambda: priors.beta_binomial_map(1.5, 2, 1, 1), ValueError, "`heads` must be a whole"),
        (lambda: priors.beta_binomial_mean(1, 2, 0, 1), ValueError, "`a` must be > 0"),
        (lambda: priors.beta_binomial_mean(1, 2, 1, -2), ValueError, "`b` must be > 0"),
        (lambda: priors.beta_binomial_mean(1, "2", 1, 1), TypeError, "`tails` must be"),
        (lambda: priors.discrete_posterior([0.5, 1.2], [0.5, 0.5], 1, 1), ValueError, "`thetas`"),
        (lambda: priors.discrete_posterior([0.5, 0.6], [0.5, 0.6], 1, 1), ValueError, "sum to 1"),
        (lambda: priors.discrete_posterior([0.5, 0.6], [1.5, -0.5], 1, 1), ValueError, "`prior`"),
        (lambda: priors.discrete_posterior([0.5], [0.5, 0.5], 1, 1), ValueError, "same length"),
        (lambda: priors.ridge_map([[1.0]], [1.0, 2.0], 1, 1), ValueError, "same length"),
        (lambda: priors.ridge_map([[1.0]], [1.0], 0, 1), ValueError, "`noise_var` must be > 0"),
        (lambda: priors.ridge_map([[1.0]], [1.0], 1, -1), ValueError, "`prior_var` must be > 0"),
        (lambda: priors.ridge_map([1.0], [1.0], 1, 1), ValueError, "`X` must be 2-D"),
        (lambda: priors.ridge_map([[np.nan]], [1.0], 1, 1), ValueError, "`X` must contain only"),
        (lambda: priors.lasso_map([[1.0]], [1.0], 1, 0), ValueError, "`laplace_scale` must be"),
        (lambda: priors.dirichlet_smoothing([1, -1], 1), ValueError, "`counts` must be >= 0"),
        (lambda: priors.dirichlet_smoothing([1.5, 1], 1), ValueError, "whole numbers"),
        (lambda: priors.dirichlet_smoothing([1, 1], -1), ValueError, "`alpha` must be >= 0"),
        (lambda: priors.dirichlet_smoothing([0, 0], 0), ValueError, "an all-zero row"),
        (
            lambda: priors.char_bigram_counts("abz", "ab"),
            ValueError,
            "only characters of `alphabet`",
        ),
        (lambda: priors.char_bigram_counts("ab", "aa"), ValueError, "distinct characters"),
        (lambda: priors.bigram_perplexity([[1.0]], "ab", "ab"), ValueError, "`probs` must have"),
        (lambda: priors.lasso_map([[1.0]], [1.0], 1, 1, tol=-1), ValueError, "`tol` must be >= 0"),
    ],
)
def test_bad_input_is_rejected(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- predictive, credible intervals, soft-thresholding, evidence, cross-validation -----


def test_predictive_is_the_beta_binomial_pmf_and_the_rule_of_succession():
    for h, t, a, b in [(3, 0, 1, 1), (7, 3, 2.5, 0.7), (0, 0, 4, 1)]:
        ref = stats.betabinom.pmf(1, 1, h + a, t + b)  # P(1 head in 1 more flip)
        assert priors.beta_binomial_predictive(h, t, a, b) == pytest.approx(ref, rel=1e-12)
    assert priors.beta_binomial_predictive(3, 0, 1, 1) == pytest.approx((3 + 1) / (3 + 2))


def test_credible_interval_matches_scipy_beta_quantiles():
    for h, t, a, b, level in [(3, 0, 2, 2, 0.95), (12, 40, 0.5, 0.5, 0.8), (0, 0, 3, 9, 0.5)]:
        ref = stats.beta.interval(level, h + a, t + b)
        np.testing.assert_allclose(
            priors.beta_credible_interval(h, t, a, b, level), ref, rtol=1e-10
        )


def test_soft_threshold_is_the_one_feature_lasso():
    from sklearn.linear_model import Lasso

    rng = np.random.default_rng(7)
    x = rng.standard_normal(30)
    x /= np.linalg.norm(x)  # x^T x = 1: the lasso is soft-thresholding of x^T y
    for lam in [0.0, 0.3, 1.0, 5.0]:
        y = 2.0 * x + 0.2 * rng.standard_normal(30)
        z = x @ y
        ref = Lasso(alpha=lam / 30, fit_intercept=False, tol=1e-14, max_iter=100_000)
        if lam > 0:
            assert priors.soft_threshold(z, lam) == pytest.approx(
                ref.fit(x[:, None], y).coef_[0], abs=1e-10
            )
        assert priors.soft_threshold(z, lam) == pytest.approx(
            priors.lasso_map(x[:, None], y, 1.0, 1.0 / lam)[0] if lam > 0 else z, abs=1e-10
        )
    np.testing.assert_array_equal(priors.soft_threshold([-0.5, 0.5, 0.0], 0.5), [0.0, 0.0, 0.0])


def test_ridge_log_evidence_matches_scipy_multivariate_normal():
    rng = np.random.default_rng(3)
    for n, d in [(12, 3), (5, 8)]:  # more rows than columns, and fewer
        X = rng.standard_normal((n, d))
        y = rng.standard_normal(n)
        for s2, t2 in [(1.0, 1.0), (0.3, 20.0)]:
            cov = s2 * np.eye(n) + t2 * X @ X.T
            ref = stats.multivariate_normal(np.zeros(n), cov).logpdf(y)
            assert priors.ridge_log_evidence(X, y, s2, t2) == pytest.approx(ref, rel=1e-10)


def test_ridge_cv_error_matches_scikit_learn_kfold():
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold, cross_val_score

    rng = np.random.default_rng(4)
    X = rng.standard_normal((23, 4))
    y = X @ [1.0, -1.0, 0.5, 0.0] + rng.standard_normal(23)
    lams = np.array([0.01, 1.0, 30.0])
    ours = priors.ridge_cv_error(X, y, lams, n_folds=5)
    for lam, got in zip(lams, ours):
        # Per-fold mean errors weighted by fold size give the mean over all rows.
        folds = list(KFold(5).split(X))
        scores = -cross_val_score(
            Ridge(alpha=lam, fit_intercept=False),
            X,
            y,
            cv=folds,
            scoring="neg_mean_squared_error",
        )
        sizes = np.array([len(test) for _, test in folds])
        assert got == pytest.approx(np.sum(scores * sizes) / sizes.sum(), rel=1e-10)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: priors.beta_binomial_predictive(1, 1, 0, 1), ValueError, "`a` must be > 0"),
        (lambda: priors.beta_credible_interval(1, 1, 1, 1, 0.0), ValueError, "`level` must be"),
        (lambda: priors.beta_credible_interval(1, 1, 1, 1, "a"), TypeError, "`level` must be"),
        (lambda: priors.soft_threshold([1.0], -1.0), ValueError, "`lam` must be >= 0"),
        (lambda: priors.soft_threshold("x", 1.0), TypeError, "`z` must be"),
        (lambda: priors.ridge_log_evidence([[1.0]], [1.0], 0.0, 1.0), ValueError, "`noise_var`"),
        (lambda: priors.ridge_log_evidence([[1.0]], [1.0, 2.0], 1.0, 1.0), ValueError, "`X`"),
        (lambda: priors.ridge_cv_error([[1.0]] * 4, [1.0] * 4, [0.0]), ValueError, "`lams`"),
        (
            lambda: priors.ridge_cv_error([[1.0]] * 4, [1.0] * 4, [1.0], n_folds=5),
            ValueError,
            "`n_folds` must be at most",
        ),
    ],
)
def test_new_prior_helpers_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def _brute_bigram_counts(text, alphabet):
    counts = [[0] * len(alphabet) for _ in alphabet]
    for a, b in zip(text, text[1:]):
        counts[alphabet.index(a)][alphabet.index(b)] += 1
    return counts


def test_char_bigram_counts_match_a_brute_force_count():
    text, alphabet = "the cat sat on the mat", "acehmnost "
    np.testing.assert_array_equal(
        priors.char_bigram_counts(text, alphabet), _brute_bigram_counts(text, alphabet)
    )


def test_bigram_perplexity_is_exp_of_the_mean_negative_log_probability():
    """Oracle: the perplexity summed bigram by bigram with math.log; inf for an unseen bigram."""
    import math

    alphabet = "ab"
    probs = np.array([[0.2, 0.8], [0.6, 0.4]])
    text = "abbaab"
    logs = [math.log(probs[alphabet.index(a), alphabet.index(b)]) for a, b in zip(text, text[1:])]
    expected = math.exp(-sum(logs) / len(logs))
    assert priors.bigram_perplexity(probs, text, alphabet) == pytest.approx(expected, rel=1e-12)
    assert priors.bigram_perplexity([[1.0, 0.0], [0.5, 0.5]], "aab", alphabet) == math.inf
