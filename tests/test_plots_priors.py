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
    mean_line = vline_x(ax, "posterior mean = P(next H) 0.360")
    assert mean_line == pytest.approx((h + a) / (h + t + a + b))


def test_beta_posterior_without_data_or_mode():
    ax = plots.plot_beta_posterior(0, 0, 0.5, 0.5)  # U-shaped: the posterior is the prior
    theta, post = xy(line(ax, "posterior Beta(0.5, 0.5)"))
    np.testing.assert_allclose(post, stats.beta.pdf(theta, 0.5, 0.5), rtol=1e-10)
    assert "MAP: no unique mode" in labels(ax)
    assert not any(text.startswith(("likelihood", "MLE")) for text in labels(ax))


def test_coefficient_paths_draw_each_coefficient_against_the_strength():
    # oracle: each drawn path is the column of `coefs` passed in
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
    # oracle: the drawn series and truth line are the inputs
    n = [1, 10, 100]
    est = {"MLE": [1.0, 0.6, 0.52], "MAP": [0.6, 0.55, 0.51]}
    ax = plots.plot_estimates_vs_n(n, est, 0.5)
    for name, values in est.items():
        np.testing.assert_array_equal(xy(line(ax, name)), [n, values])
    assert line(ax, "MLE").get_marker() != line(ax, "MAP").get_marker()
    assert hline_y(ax, "true value") == 0.5


def test_curve_fits_draw_the_data_the_fits_and_the_truth():
    # oracle: the drawn curves and points are the inputs
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


def test_beta_posterior_shades_the_credible_interval_and_shows_an_mle_at_one():
    ax = plots.plot_beta_posterior(3, 0, 2, 2)
    (band,) = [c for c in ax.collections if c.get_label().startswith("95% credible")]
    xs = band.get_paths()[0].vertices[:, 0]
    lo, hi = stats.beta.interval(0.95, 5, 2)
    assert lo <= xs.min() < lo + 0.01 and hi - 0.01 < xs.max() <= hi
    assert "95% credible [0.36, 0.96]" in labels(ax)
    assert "posterior mean = P(next H) 0.714" in labels(ax)
    assert ax.get_xlim()[1] > 1.0  # the MLE line at theta = 1 is inside the axes


def test_shrinkage_rules_draw_soft_threshold_and_ridge_scaling():
    # oracle: sign(z) max(|z| - lam, 0) and z / (1 + lam) written out
    ax = plots.plot_shrinkage_rules(0.7)
    z, lasso = xy(line(ax, "lasso: soft-threshold"))
    np.testing.assert_allclose(lasso, np.sign(z) * np.maximum(np.abs(z) - 0.7, 0), atol=1e-12)
    _, ridge = xy(line(ax, r"ridge $z / (1 + \lambda)$"))
    np.testing.assert_allclose(ridge, z / 1.7, rtol=1e-12)


def test_penalty_geometry_finds_the_constrained_minimizers():
    from scipy import optimize

    c, H, r = np.array([2.0, 0.8]), np.array([[1.0, 0.3], [0.3, 0.6]]), 1.0
    ax = plots.plot_penalty_geometry(c, H, r)
    found = ax.constrained_minimizers

    def loss(w):
        return 0.5 * (w - c) @ H @ (w - c)

    # Oracle: scipy's SLSQP with the ball as a constraint (the L1 one split by sign).
    l2 = optimize.minimize(
        loss, [0.5, 0.5], constraints=[{"type": "ineq", "fun": lambda w: r**2 - w @ w}]
    ).x
    np.testing.assert_allclose(found["l2"], l2, atol=2e-3)
    l1 = optimize.minimize(
        loss,
        [0.5, 0.1],
        bounds=[(0, None), (0, None)],
        constraints=[{"type": "ineq", "fun": lambda w: r - w.sum()}],
    ).x
    np.testing.assert_allclose(found["l1"], l1, atol=2e-3)
    assert found["l1"][1] == 0.0 and np.all(found["l2"] != 0.0)


def test_lambda_curve_marks_the_best_penalty():
    # oracle: the argmin (argmax) of the three scores, by hand
    ax = plots.plot_lambda_curve([0.1, 1.0, 10.0], [3.0, 1.0, 2.0], label="CV")
    assert vline_x(ax, r"best $\lambda$ = 1") == 1.0
    ax = plots.plot_lambda_curve([0.1, 1.0, 10.0], [3.0, 1.0, 2.0], best="max")
    assert vline_x(ax, r"best $\lambda$ = 0.1") == 0.1


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plots.plot_shrinkage_rules(-1.0), ValueError, "`lam` must be >= 0"),
        (lambda: plots.plot_penalty_geometry([0.1, 0.1], np.eye(2), 1.0), ValueError, "`w_ls`"),
        (lambda: plots.plot_penalty_geometry([2, 1], -np.eye(2), 1.0), ValueError, "`hessian`"),
        (lambda: plots.plot_lambda_curve([0.0, 1.0], [1, 2]), ValueError, "`lams` must be > 0"),
        (lambda: plots.plot_lambda_curve([1.0], [1.0], best="x"), ValueError, "`best` must be"),
    ],
)
def test_new_chapter2_plots_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
