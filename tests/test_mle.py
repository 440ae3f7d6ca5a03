"""lessonlib.mle against independent oracles (scipy, scikit-learn) on data no chapter uses."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from lessonlib import datasets, mle
from lessonlib.exceptions import ConvergenceWarning


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


# --- bernoulli -------------------------------------------------------------------------------


def test_bernoulli_mle_matches_scipy_fit(rng):
    flips = rng.random(500) < 0.37
    # scipy's likelihood maximizer over a fine grid is the independent oracle.
    grid = np.linspace(0.001, 0.999, 9_981)
    loglik = stats.bernoulli.logpmf(flips[:, None], grid[None, :]).sum(axis=0)
    assert abs(mle.bernoulli_mle(flips) - grid[np.argmax(loglik)]) <= 1e-4
    assert mle.bernoulli_mle(flips) == flips.mean()


def test_bernoulli_mle_accepts_booleans_and_lists():
    assert mle.bernoulli_mle([True, False, True, True]) == 0.75
    assert mle.bernoulli_mle((0, 0, 1)) == pytest.approx(1 / 3)


def test_bernoulli_log_likelihood_matches_scipy(rng):
    theta = np.linspace(0.01, 0.99, 50)
    flips = rng.integers(0, 2, size=37)
    h = int(flips.sum())
    expected = stats.bernoulli.logpmf(flips[:, None], theta[None, :]).sum(axis=0)
    np.testing.assert_allclose(mle.bernoulli_log_likelihood(theta, h, 37 - h), expected, rtol=1e-12)


def test_bernoulli_log_likelihood_boundaries_are_exact():
    # theta = 1 makes a tail impossible (-inf) but all-heads data certain (log 1 = 0).
    assert mle.bernoulli_log_likelihood(1.0, 0, 1) == -np.inf
    assert mle.bernoulli_log_likelihood(1.0, 3, 0) == 0.0
    assert mle.bernoulli_log_likelihood(0.0, 0, 4) == 0.0


def test_bernoulli_log_likelihood_does_not_underflow():
    value = mle.bernoulli_log_likelihood(0.5, 600_000, 400_000)
    assert np.isfinite(value) and np.isclose(value, 1_000_000 * np.log(0.5))


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 50), st.integers(0, 50))
def test_bernoulli_mle_maximizes_log_likelihood(h, t):
    if h + t == 0:
        return
    grid = np.linspace(0, 1, 2001)
    ll = mle.bernoulli_log_likelihood(grid, h, t)
    assert ll.max() <= mle.bernoulli_log_likelihood(h / (h + t), h, t) + 1e-12


def test_sample_bernoulli_mles_is_reproducible_and_unbiased():
    a = mle.sample_bernoulli_mles(0.2, 50, 40_000, np.random.default_rng(7))
    b = mle.sample_bernoulli_mles(0.2, 50, 40_000, np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    assert abs(a.mean() - 0.2) < 5 * np.sqrt(0.2 * 0.8 / 50 / 40_000)
    assert a.var() == pytest.approx(stats.binom.var(50, 0.2) / 50**2, rel=0.05)


@pytest.mark.parametrize(
    ("flips", "error", "match"),
    [
        ([], ValueError, "`flips` must have at least 1 element"),
        ([0, 1, 2], ValueError, "`flips` must contain only 0/1"),
        ([0.5, 1], ValueError, "`flips` must contain only 0/1"),
        ([0, np.nan], ValueError, "`flips` must contain only finite numbers"),
        ([[0, 1]], ValueError, "`flips` must be 1-D"),
        ("HTH", TypeError, "`flips` must be an array of numbers"),
        (None, TypeError, "`flips` must be an array of numbers"),
    ],
)
def test_bernoulli_mle_rejects_bad_flips(flips, error, match):
    with pytest.raises(error, match=match):
        mle.bernoulli_mle(flips)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((1.2, 1, 1), ValueError, r"`theta` must contain probabilities in \[0, 1\]"),
        ((-0.1, 1, 1), ValueError, r"`theta` must contain probabilities in \[0, 1\]"),
        ((0.5, -1, 1), ValueError, "`heads` must be >= 0"),
        ((0.5, 1, 2.5), ValueError, "`tails` must be a whole number"),
        ((0.5, "3", 1), TypeError, "`heads` must be a non-negative integer count"),
        ((np.nan, 1, 1), ValueError, "`theta` must contain only finite numbers"),
    ],
)
def test_bernoulli_log_likelihood_rejects_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        mle.bernoulli_log_likelihood(*args)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((1.5, 10, 5), ValueError, r"`theta` must be a probability in \[0, 1\]"),
        ((0.5, 0, 5), ValueError, "`n_flips` must be >= 1"),
        ((0.5, 10, 0), ValueError, "`n_repeats` must be >= 1"),
        ((0.5, 10, 5, "seed"), TypeError, "`rng` must be a numpy Generator"),
    ],
)
def test_sample_bernoulli_mles_rejects_bad_input(args, error, match):
    if len(args) == 3:
        args = (*args, np.random.default_rng(0))
    with pytest.raises(error, match=match):
        mle.sample_bernoulli_mles(*args)


# --- gaussian --------------------------------------------------------------------------------


def test_gaussian_mle_matches_scipy_norm_fit(rng):
    x = rng.normal(-3.0, 2.5, size=333)
    mean, var = mle.gaussian_mle(x)
    loc, scale = stats.norm.fit(x)
    assert mean == pytest.approx(loc, rel=1e-12)
    assert var == pytest.approx(scale**2, rel=1e-12)


def test_gaussian_mle_is_stable_for_large_offsets():
    x = 1e9 + np.array([1.0, 2.0, 3.0, 4.0])
    assert mle.gaussian_mle(x)[1] == pytest.approx(1.25, rel=1e-9)


def test_gaussian_nll_matches_scipy_logpdf(rng):
    y = rng.normal(size=25)
    pred = rng.normal(size=25)
    expected = -stats.norm.logpdf(y, loc=pred, scale=np.sqrt(0.7)).sum()
    assert mle.gaussian_nll(y, pred, 0.7) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (([1.0], [1.0, 2.0], 1.0), ValueError, "`y` and `y_pred` must have the same length"),
        (([1.0], [1.0], 0.0), ValueError, "`noise_var` must be > 0"),
        (([1.0], [1.0], -1.0), ValueError, "`noise_var` must be > 0"),
        (([1.0], [1.0], np.inf), ValueError, "`noise_var` must be finite"),
        (([1.0], [1.0], [1.0]), TypeError, "`noise_var` must be a real number"),
        (([], [], 1.0), ValueError, "`y` must have at least 1 element"),
        (([np.inf], [1.0], 1.0), ValueError, "`y` must contain only finite numbers"),
    ],
)
def test_gaussian_nll_rejects_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        mle.gaussian_nll(*args)


@pytest.mark.parametrize("x", [[], [np.nan, 1.0], "abc", [["a"]]])
def test_gaussian_mle_rejects_bad_input(x):
    with pytest.raises((ValueError, TypeError), match="`x` must"):
        mle.gaussian_mle(x)


# --- softmax and cross-entropy ---------------------------------------------------------------


def test_softmax_is_stable_and_normalized():
    # Naive exp(1000) overflows; the log-sum-exp form does not.
    p = mle.softmax([[1000.0, 1000.0, -1000.0]])
    np.testing.assert_allclose(p, [[0.5, 0.5, 0.0]], atol=1e-300)
    q = mle.softmax(np.random.default_rng(1).normal(size=(4, 6)))
    np.testing.assert_allclose(q.sum(axis=1), 1.0)


def test_softmax_rejects_scalar():
    with pytest.raises(ValueError, match="`logits` must have at least one axis"):
        mle.softmax(1.0)


def test_cross_entropy_matches_sklearn_log_loss(rng):
    probs = mle.softmax(rng.normal(size=(30, 4)))
    labels = np.arange(30) % 4
    assert mle.cross_entropy(labels, probs) == pytest.approx(log_loss(labels, probs), rel=1e-12)
    one_hot = np.eye(4)[labels]
    assert mle.cross_entropy(one_hot, probs) == pytest.approx(log_loss(labels, probs), rel=1e-12)


def test_cross_entropy_is_infinite_for_impossible_label():
    assert mle.cross_entropy([0], [[0.0, 1.0]]) == np.inf


@pytest.mark.parametrize(
    ("labels", "probs", "error", "match"),
    [
        ([0], [0.3], ValueError, "`probs` must be 2-D"),
        ([0], [[1.2, -0.2]], ValueError, r"`probs` must contain probabilities in \[0, 1\]"),
        ([0], [[0.5, 0.6]], ValueError, "`probs` must have rows that sum to 1"),
        ([2], [[0.5, 0.5]], ValueError, "`labels` must be integer classes in 0..1"),
        ([0.5], [[0.5, 0.5]], ValueError, "`labels` must be integer classes"),
        ([0, 1], [[0.5, 0.5]], ValueError, "`labels` and `probs` must have the same length"),
        ([[1, 0, 0]], [[0.5, 0.5]], ValueError, "`labels` must have the shape of `probs`"),
        ([[0.7, 0.7]], [[0.5, 0.5]], ValueError, "`labels` must have rows that sum to 1"),
        ([0], [[np.nan, 1.0]], ValueError, "`probs` must contain only finite numbers"),
        ("a", [[0.5, 0.5]], TypeError, "`labels` must be an array of numbers"),
    ],
)
def test_cross_entropy_rejects_bad_input(labels, probs, error, match):
    with pytest.raises(error, match=match):
        mle.cross_entropy(labels, probs)


# --- logistic regression ---------------------------------------------------------------------


def _sklearn_mle(X, y):
    return LogisticRegression(C=np.inf, tol=1e-12, max_iter=100_000).fit(X, y)


def test_binary_logistic_matches_sklearn_coefficients(rng):
    X = rng.normal(size=(150, 3))
    logits = 0.4 + X @ np.array([1.0, -2.0, 0.5])
    y = (rng.random(150) < 1 / (1 + np.exp(-logits))).astype(int)
    fit = mle.fit_logistic_regression(X, y)
    ref = _sklearn_mle(X, y)
    np.testing.assert_allclose(fit.coef[1], ref.coef_[0], rtol=1e-5, atol=1e-6)
    assert fit.intercept[1] == pytest.approx(ref.intercept_[0], rel=1e-5, abs=1e-6)
    np.testing.assert_allclose(fit.coef[0], 0.0)
    # The reported log-likelihood is the oracle's log-loss times n.
    assert -fit.log_likelihood == pytest.approx(150 * log_loss(y, ref.predict_proba(X)), rel=1e-7)


def test_multiclass_logistic_matches_sklearn_probabilities(rng):
    X, y = datasets.make_gaussian_classes(
        40, [[0, 0, 0], [1, 1, 0], [0, 1, 1], [1, 0, 1]], 1.2, rng
    )
    fit = mle.fit_logistic_regression(X, y)
    ref = _sklearn_mle(X, y)
    X_new = rng.normal(size=(20, 3))
    np.testing.assert_allclose(fit.predict_proba(X_new), ref.predict_proba(X_new), atol=1e-6)


def test_logistic_gradient_is_zero_at_the_fit(rng):
    X, y = datasets.make_gaussian_classes(30, [[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]], 1.0, rng)
    fit = mle.fit_logistic_regression(X, y)
    resid = fit.predict_proba(X) - np.eye(3)[y]
    np.testing.assert_allclose(resid.T @ np.column_stack([np.ones(len(y)), X]), 0.0, atol=1e-8)


def test_logistic_tol_zero_runs_exactly_max_iter_and_running_out_warns(rng):
    X, y = datasets.make_gaussian_classes(30, [[0.0, 0.0], [1.0, 1.0]], 1.5, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exact = mle.fit_logistic_regression(X, y, max_iter=12, tol=0)
    assert exact.n_iter == 12 and not exact.converged and len(exact.objective_history) == 13
    fit = mle.fit_logistic_regression(X, y)
    assert fit.converged and fit.n_iter < 12
    assert exact.log_likelihood == pytest.approx(fit.log_likelihood, rel=1e-12)
    # Newton with backtracking never lowers the likelihood.
    assert np.all(np.diff(fit.objective_history) >= -1e-12 * abs(fit.log_likelihood))
    assert fit.objective_history[-1] == fit.log_likelihood
    with pytest.warns(ConvergenceWarning, match="fit_logistic_regression did not converge in 1"):
        short = mle.fit_logistic_regression(X, y, max_iter=1)
    assert short.n_iter == 1 and not short.converged


def test_logistic_separable_data_raise():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    with pytest.raises(ValueError, match="linearly separable"):
        mle.fit_logistic_regression(X, [0, 0, 1, 1])


@pytest.mark.parametrize(
    ("X", "y", "error", "match"),
    [
        ([[0.0], [1.0]], [0, 1, 1], ValueError, "`X` and `y` must have the same length"),
        ([0.0, 1.0], [0, 1], ValueError, "`X` must be 2-D"),
        ([[0.0], [1.0]], [0, 0], ValueError, "`y` must contain every class"),
        ([[0.0], [1.0], [2.0]], [0, 2, 2], ValueError, "`y` must contain every class"),
        ([[0.0], [1.0]], [0, 0.5], ValueError, "`y` must contain integer class labels"),
        ([[0.0], [np.nan]], [0, 1], ValueError, "`X` must contain only finite numbers"),
    ],
)
def test_logistic_rejects_bad_input(X, y, error, match):
    with pytest.raises(error, match=match):
        mle.fit_logistic_regression(X, y)


def test_logistic_rejects_negative_tol():
    with pytest.raises(ValueError, match="`tol` must be >= 0"):
        mle.fit_logistic_regression([[0.0], [1.0], [0.5]], [0, 1, 1], tol=-1.0)


def test_predict_proba_checks_columns(rng):
    X, y = datasets.make_gaussian_classes(30, [[0.0, 0.0], [1.0, 1.0]], 1.5, rng)
    fit = mle.fit_logistic_regression(X, y)
    with pytest.raises(ValueError, match="`X` must have 2 columns"):
        fit.predict_proba(np.zeros((3, 3)))


def test_logistic_quasi_separated_data_raise():
    # x = 1 carries both labels; every other point is on its class's side: quasi-complete
    # separation. Newton would return weights near 23 that keep growing with more steps.
    X = np.array([[0.0], [1.0], [1.0], [2.0]])
    with pytest.raises(ValueError, match="quasi-completely"):
        mle.fit_logistic_regression(X, [0, 0, 1, 1])


@given(
    x=st.lists(st.integers(-3, 3), min_size=2, max_size=12),
    labels=st.lists(st.integers(0, 1), min_size=12, max_size=12),
)
@settings(max_examples=200, deadline=None)
def test_separation_check_matches_the_one_dimensional_rule(x, labels):
    # In 1-D with an intercept, the MLE fails to exist exactly when one class lies entirely
    # on one side of the other, ties on the boundary allowed -- unless every point sits on
    # the boundary (all x equal), where the margins are all zero and the MLE is p = mean(y).
    y = np.array(labels[: len(x)])
    xs = np.array(x, dtype=float)
    if y.min() == y.max():
        return
    a, b = xs[y == 0], xs[y == 1]
    expected = (a.max() <= b.min() or b.max() <= a.min()) and np.ptp(xs) > 0
    Xt = np.column_stack([np.ones(xs.size), xs])
    assert mle._separating_direction_exists(Xt, y, 2) == expected


# --- Fisher information, standard errors and Wald intervals ---------------------------


def test_fisher_information_is_the_expected_curvature():
    # Oracle: minus the expected second derivative of log p(x | theta), by central
    # differences of scipy's Bernoulli log-pmf, averaged over x in {0, 1}.
    from scipy import stats

    for theta in [0.05, 0.3, 0.5, 0.83]:
        h = 1e-4
        curv = [
            (
                stats.bernoulli.logpmf(x, theta + h)
                - 2 * stats.bernoulli.logpmf(x, theta)
                + stats.bernoulli.logpmf(x, theta - h)
            )
            / h**2
            for x in (0, 1)
        ]
        expected = -((1 - theta) * curv[0] + theta * curv[1])
        assert mle.bernoulli_fisher_information(theta) == pytest.approx(expected, rel=1e-5)
        # ... and the variance of the score x / theta - (1 - x) / (1 - theta).
        score_var = theta * (1 / theta) ** 2 + (1 - theta) * (1 / (1 - theta)) ** 2
        assert mle.bernoulli_fisher_information(theta) == pytest.approx(score_var)


def test_standard_error_and_wald_interval_match_scipy():
    from scipy import stats

    h, t = 37, 63
    p = h / (h + t)
    se = np.sqrt(p * (1 - p) / (h + t))
    assert mle.bernoulli_standard_error(h, t) == pytest.approx(se, rel=1e-14)
    for level in [0.5, 0.9, 0.95, 0.99]:
        lo, hi = mle.bernoulli_wald_interval(h, t, level)
        ref = stats.norm.interval(level, loc=p, scale=se)
        np.testing.assert_allclose([lo, hi], ref, rtol=1e-12)
    assert mle.bernoulli_standard_error(3, 0) == 0.0  # all heads: zero curvature-based error


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: mle.bernoulli_fisher_information(0.0), ValueError, "`theta` must be strictly"),
        (lambda: mle.bernoulli_fisher_information(1.5), ValueError, "`theta` must be a prob"),
        (lambda: mle.bernoulli_fisher_information("0.3"), TypeError, "`theta` must be a real"),
        (lambda: mle.bernoulli_standard_error(0, 0), ValueError, "`heads` and `tails` must"),
        (lambda: mle.bernoulli_standard_error(-1, 2), ValueError, "`heads` must be >= 0"),
        (lambda: mle.bernoulli_wald_interval(3, 2, 1.0), ValueError, "`level` must be strictly"),
        (lambda: mle.bernoulli_wald_interval(3, 2.5), ValueError, "`tails` must be a whole"),
    ],
)
def test_fisher_and_wald_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
