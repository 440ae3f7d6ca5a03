"""Chapter 1 figures draw what they are given (lessonlib.plots.mle)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from _figures import hline_y, labels, line, normal_pdf, vline_x, xy  # noqa: E402

from lessonlib import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_bernoulli_likelihood_draws_the_likelihood_and_its_maximum():
    # oracle: theta**7 (1 - theta)**3 written out; its maximum 7/10 by hand
    ax = plots.plot_bernoulli_likelihood(7, 3, n_grid=1001)
    theta, lik = xy(ax.lines[0])
    np.testing.assert_allclose(lik, theta**7 * (1 - theta) ** 3, rtol=1e-10, atol=1e-300)
    assert theta[0] == 0 and theta[-1] == 1 and theta.size == 1001
    assert theta[np.argmax(lik)] == pytest.approx(0.7)
    assert vline_x(ax, r"MLE $\hat\theta = 0.70$") == pytest.approx(0.7)


def test_variance_bias_draws_theory_simulations_and_truth():
    # oracle: (n - 1)/n sigma^2 written out; the drawn points are the inputs
    n = [2, 5, 10, 50]
    m0, m1 = [1.1, 1.9, 2.2, 2.45], [2.4, 2.45, 2.5, 2.52]
    ax = plots.plot_variance_bias(n, m0, m1, 2.5)
    grid, theory = xy(line(ax, r"theory $\frac{n-1}{n}\sigma^2$"))
    assert grid[0] == 2 and grid[-1] == 50
    np.testing.assert_allclose(theory, (grid - 1) / grid * 2.5, rtol=1e-12)
    np.testing.assert_array_equal(xy(line(ax, r"MLE, $1/n$ (simulated)")), [n, m0])
    np.testing.assert_array_equal(xy(line(ax, r"ddof=1, $1/(n-1)$ (simulated)")), [n, m1])
    assert hline_y(ax, r"true $\sigma^2$") == 2.5
    assert ax.get_xscale() == "log"


def test_loss_argmin_draws_both_losses_and_their_own_minima():
    # oracle: the minimizers 0.8 and 1.3 of the losses built here
    s = np.linspace(0, 2, 201)
    mse, nll = (s - 0.8) ** 2, 5 + 3 * (s - 1.3) ** 2  # different minimizers: a swap shows
    ax = plots.plot_loss_argmin(s, mse, nll)
    right = [other for other in ax.figure.axes if other is not ax][0]
    np.testing.assert_array_equal(xy(line(ax, "mean squared error (left)")), [s, mse])
    np.testing.assert_array_equal(xy(line(right, "Gaussian NLL (right)")), [s, nll])
    assert vline_x(ax, "argmin MSE") == pytest.approx(0.8)
    assert vline_x(right, "argmin NLL") == pytest.approx(1.3)
    assert labels(ax) == [
        "mean squared error (left)",
        "Gaussian NLL (right)",
        "argmin MSE",
        "argmin NLL",
    ]


def test_probability_curves_draw_each_curve_under_its_label():
    # oracle: the drawn curves and points are the inputs (jitter <= 0.03)
    x, y = [0.0, 1.0, 2.0, 3.0], [0, 0, 1, 1]
    grid = [0.0, 1.5, 3.0]
    curves = {"logistic": [0.1, 0.5, 0.9], "probit": [0.05, 0.5, 0.97]}
    ax = plots.plot_probability_curves(x, y, grid, curves)
    for name, values in curves.items():
        np.testing.assert_array_equal(xy(line(ax, name)), [grid, values])
    px, py = xy(line(ax, "data"))
    np.testing.assert_array_equal(px, x)
    assert np.all(np.abs(py - np.array(y)) <= 0.03 + 1e-12)  # jittered, never off its label
    assert line(ax, "logistic").get_color() != line(ax, "probit").get_color()


@pytest.mark.parametrize(("theta", "n_flips"), [(0.3, 10), (0.8, 25)])
def test_sampling_distribution_draws_a_density_histogram_and_the_fisher_normal(theta, n_flips):
    rng = np.random.default_rng(5)
    estimates = rng.binomial(n_flips, theta, size=400) / n_flips
    ax = plots.plot_sampling_distribution(estimates, theta, n_flips)
    bars = ax.patches
    widths = np.array([b.get_width() for b in bars])
    heights = np.array([b.get_height() for b in bars])
    centres = np.array([b.get_x() + b.get_width() / 2 for b in bars])
    # A density on the spacing 1/n of the attainable values: heights / n sum to 1.
    assert np.sum(heights) / n_flips == pytest.approx(1.0)
    # One bar per attainable value k/n, as tall as n times the share equal to it.
    np.testing.assert_allclose(centres, np.arange(n_flips + 1) / n_flips, atol=1e-12)
    share = np.array([np.mean(np.isclose(estimates, c)) for c in centres])
    np.testing.assert_allclose(heights / n_flips, share, atol=1e-12)
    # Up to n = 30 the bars are narrow point masses (a pmf).
    assert np.all(widths < 0.5 / n_flips)
    # The normal curve has the inverse Fisher information as its variance.
    grid, dens = xy(line(ax, r"$N(\theta, \theta(1-\theta)/n)$ (Fisher bound)"))
    sd = np.sqrt(theta * (1 - theta) / n_flips)
    np.testing.assert_allclose(dens, normal_pdf(grid, theta, sd), rtol=1e-10)
    assert vline_x(ax, rf"true $\theta = {theta:.2f}$") == theta


def test_sampling_distribution_zooms_in_an_inset_at_large_n():
    rng = np.random.default_rng(6)
    small = plots.plot_sampling_distribution(rng.binomial(30, 0.3, 200) / 30, 0.3, 30)
    assert small.child_axes == []
    est = rng.binomial(1000, 0.3, size=500) / 1000
    ax = plots.plot_sampling_distribution(est, 0.3, 1000)
    (inset,) = ax.child_axes
    lo, hi = inset.get_xlim()
    assert hi - lo == pytest.approx(0.12) and lo < 0.3 < hi
    assert ax.get_xlim() == (0.0, 1.0)  # the main axis stays fixed
    (outline,) = ax.patches  # one filled outline; the inset repeats it
    (inset_outline,) = inset.patches
    heights, edges, _ = outline.get_data()
    np.testing.assert_allclose(edges[:-1] + 0.5 / 1000, np.arange(1001) / 1000, atol=1e-12)
    share = np.bincount(np.rint(est * 1000).astype(int), minlength=1001) / est.size
    np.testing.assert_allclose(heights / 1000, share, atol=1e-12)
    np.testing.assert_array_equal(inset_outline.get_data()[0], heights)
