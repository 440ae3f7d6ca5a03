"""Chapter 3 figures draw what they are given (lessonlib.plots.em)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from _figures import line, line_labels, normal_pdf, trapezoid, xy  # noqa: E402

from lessonlib import plots  # noqa: E402

WEIGHTS, MEANS, STDS = [0.3, 0.7], [-1.5, 2.0], [0.5, 1.5]  # variances 0.25 and 2.25


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _gmm_axes():
    x = np.random.default_rng(3).normal(size=200)
    return x, plots.plot_gmm_state(
        x, WEIGHTS, MEANS, STDS, iteration=4, loglik=-312.345, xlim=(-9.0, 12.0)
    )


def test_gmm_components_are_weighted_normals_with_the_right_peaks():
    _, ax = _gmm_axes()
    comps = [ln for ln in ax.lines if ln.get_label().startswith(r"$\pi_")]
    assert [ln.get_label() for ln in comps] == [
        r"$\pi_1$=0.30, $\mu_1$=-1.50",
        r"$\pi_2$=0.70, $\mu_2$=2.00",
    ]
    for comp, w, mu, sd in zip(comps, WEIGHTS, MEANS, STDS):
        grid, y = xy(comp)
        np.testing.assert_allclose(y, w * normal_pdf(grid, mu, sd), rtol=1e-10)
        # The peak, at the mean, is w / sqrt(2 pi sigma^2) (to the grid's resolution).
        assert y.max() == pytest.approx(w / np.sqrt(2 * np.pi * sd**2), rel=2e-3)
        assert grid[np.argmax(y)] == pytest.approx(mu, abs=grid[1] - grid[0])


def test_gmm_mixture_is_the_sum_of_components_and_integrates_to_one():
    _, ax = _gmm_axes()
    grid, total = xy(line(ax, "mixture"))
    comps = [xy(ln)[1] for ln in ax.lines if ln.get_label().startswith(r"$\pi_")]
    np.testing.assert_allclose(total, np.sum(comps, axis=0), rtol=1e-12)
    assert grid[0] == -9.0 and grid[-1] == 12.0
    assert trapezoid(total, grid) == pytest.approx(1.0, abs=1e-4)


def test_gmm_histogram_is_a_density_of_the_data_and_title_names_the_state():
    x, ax = _gmm_axes()
    widths = np.array([b.get_width() for b in ax.patches])
    heights = np.array([b.get_height() for b in ax.patches])
    assert len(ax.patches) == 40 and np.sum(widths * heights) == pytest.approx(1.0)
    counts, _ = np.histogram(x, bins=40, range=(-9.0, 12.0))
    np.testing.assert_allclose(heights * widths, counts / x.size, atol=1e-12)
    assert ax.get_title() == "iteration 4, log-likelihood -312.35"


def test_loglik_history_draws_each_trace_against_its_steps():
    # oracle: the drawn traces are the inputs against their steps
    hist = {"EM": [-10.0, -8.0, -7.5], "ELBO": [-12.0, -9.0, -8.8]}
    ax = plots.plot_loglik_history(hist, steps=[0, 10, 20], ylabel="objective")
    for name, values in hist.items():
        np.testing.assert_array_equal(xy(line(ax, name)), [[0, 10, 20], values])
    assert line(ax, "EM").get_color() != line(ax, "ELBO").get_color()
    ax = plots.plot_loglik_history({"run": [-3.0, -2.0, -1.5, -1.4]})
    np.testing.assert_array_equal(xy(line(ax, "run")), [[0, 1, 2, 3], [-3.0, -2.0, -1.5, -1.4]])
    assert ax.get_xlabel() == "EM iteration"


def test_template_recovery_draws_truth_estimate_and_observation_under_their_labels():
    # oracle: the drawn signals are the inputs
    truth, est, obs = [0.0, 1.0, 0.2], [0.1, 0.9, 0.0], [1.2, -0.3, 0.4]
    ax = plots.plot_template_recovery(truth, est, obs)
    np.testing.assert_array_equal(xy(line(ax, "true template")), [[0, 1, 2], truth])
    np.testing.assert_array_equal(xy(line(ax, "EM estimate")), [[0, 1, 2], est])
    np.testing.assert_array_equal(
        xy(line(ax, "one observation (shifted, noisy)")), [[0, 1, 2], obs]
    )
    assert len(line_labels(ax)) == 3


def test_gmm_state_colours_points_by_responsibility_and_keeps_limits():
    # oracle: resp @ palette written out
    from matplotlib.colors import to_rgb

    from lessonlib.plots._common import series_colour

    x = np.array([-1.0, 0.0, 2.0])
    resp = np.array([[1.0, 0.0], [0.5, 0.5], [0.1, 0.9]])
    ax = plots.plot_gmm_state(
        x, WEIGHTS, MEANS, STDS, resp=resp, ylim=(-0.05, 0.6), iteration=2, stage="E-step"
    )
    (dots,) = ax.collections
    palette = np.array([to_rgb(series_colour(0)), to_rgb(series_colour(1))])
    np.testing.assert_allclose(dots.get_facecolors()[:, :3], resp @ palette, atol=1e-12)
    np.testing.assert_array_equal(dots.get_offsets()[:, 0], x)
    assert ax.get_ylim() == (-0.05, 0.6) and ax.get_title().startswith("iteration 2, E-step")
    assert -0.05 < dots.get_offsets()[0, 1] < 0  # the row of dots sits below the bars


def test_em_bound_draws_both_curves_the_touch_and_the_maximum():
    # oracle: the touch and the maximum of the curves built here, by hand
    grid = np.linspace(-2.0, 2.0, 81)
    ll = -(grid**2)
    lb = ll - (grid - 0.5) ** 2  # touches at 0.5, maximal at 0.25
    ax = plots.plot_em_bound(grid, ll, lb, 0.5)
    np.testing.assert_array_equal(xy(line(ax, r"log-likelihood $\log p(x\mid\theta)$")), [grid, ll])
    np.testing.assert_array_equal(xy(line(ax, "lower bound built at the E-step")), [grid, lb])
    np.testing.assert_allclose(xy(line(ax, "current parameters (touch)")), [[0.5], [-0.25]])
    np.testing.assert_allclose(xy(line(ax, "bound's maximum (M-step)")), [[0.25], [-0.125]])


def test_shift_posteriors_image_is_the_posterior_sorted_by_true_shift():
    # oracle: the rows sorted by np.argsort of the true shifts
    rng = np.random.default_rng(4)
    post = rng.dirichlet(np.ones(5), size=12)
    shifts = rng.integers(0, 5, size=12)
    ax = plots.plot_shift_posteriors(post, shifts, n_show=10)
    (image,) = ax.images
    order = np.argsort(shifts[:10], kind="stable")
    np.testing.assert_array_equal(image.get_array(), post[:10][order])
    assert image.get_clim() == (0.0, 1.0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: plots.plot_em_bound([0, 1], [0, 1], [0], 0.5), "`grid`, `loglik` and `bound`"),
        (lambda: plots.plot_em_bound([1, 0], [0, 1], [0, 1], 0.5), "`grid` must be increasing"),
        (lambda: plots.plot_em_bound([0, 1], [0, 1], [0, 1], 3.0), "`current` must lie"),
        (lambda: plots.plot_shift_posteriors([[0.5, 0.5]], [2]), "`true_shifts` must be"),
        (lambda: plots.plot_shift_posteriors([[0.5, 0.6]], [0]), "`posterior` must have rows"),
        (
            lambda: plots.plot_gmm_state([0.0, 1.0], [1.0], [0.0], [1.0], resp=[[1.0]]),
            "`resp` must have shape",
        ),
        (
            lambda: plots.plot_gmm_state([0.0, 1.0], [1.0], [0.0], [1.0], ylim=(1.0, 0.0)),
            "`ylim` must be an increasing",
        ),
    ],
)
def test_bad_input_is_rejected(call, match):
    with pytest.raises(ValueError, match=match):
        call()
