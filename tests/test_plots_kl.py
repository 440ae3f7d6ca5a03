"""Chapter 5 figures draw what they are given (lessonlib.plots.kl)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from _figures import fill_by_label, fill_top, line, normal_pdf, trapezoid, xy  # noqa: E402
from matplotlib import colors as mcolors  # noqa: E402

from lessonlib import plots  # noqa: E402
from lessonlib.plots._common import series_colour  # noqa: E402

WEIGHTS, MEANS, STDS = np.array([0.3, 0.7]), np.array([-2.0, 1.5]), np.array([0.6, 1.2])
#: Forward fit by moment matching (closed form), written out here as the oracle.
FWD_MEAN = float(WEIGHTS @ MEANS)
FWD_STD = float(np.sqrt(WEIGHTS @ (STDS**2 + MEANS**2) - FWD_MEAN**2))
REV_MEAN, REV_STD = 1.45, 1.1


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _mixture(x):
    return sum(w * normal_pdf(x, m, s) for w, m, s in zip(WEIGHTS, MEANS, STDS))


def test_kl_fits_draws_the_mixture_as_a_density():
    ax = plots.plot_kl_fits(WEIGHTS, MEANS, STDS, {"forward KL fit": (FWD_MEAN, FWD_STD)})
    x, p = fill_top(fill_by_label(ax, "p (mixture)"))
    np.testing.assert_allclose(p, _mixture(x), rtol=1e-9)
    assert x[0] == pytest.approx(-2.0 - 4 * 0.6) and x[-1] == pytest.approx(1.5 + 4 * 1.2)
    assert trapezoid(p, x) == pytest.approx(1.0, abs=2e-4)


def test_kl_fits_draws_each_fit_under_its_own_label():
    fits = {"forward KL fit": (FWD_MEAN, FWD_STD), "reverse KL fit": (REV_MEAN, REV_STD)}
    ax = plots.plot_kl_fits(WEIGHTS, MEANS, STDS, fits, xlim=(-8.0, 8.0))
    for i, (name, (mean, std)) in enumerate(fits.items()):
        x, y = xy(line(ax, name))
        np.testing.assert_allclose(y, normal_pdf(x, mean, std), rtol=1e-10)
        assert line(ax, name).get_color() == series_colour(i)
    x, y = xy(line(ax, "forward KL fit"))
    # The forward fit covers both modes: its peak is that of N(FWD_MEAN, FWD_STD^2).
    assert y.max() == pytest.approx(1 / np.sqrt(2 * np.pi * FWD_STD**2), rel=1e-4)
    assert ax.get_xlim() == (-8.0, 8.0)


def test_kl_landscape_draws_each_curve_and_its_own_local_minima():
    # oracle: the local minima of the curves built here, by hand
    g = np.linspace(-3, 3, 601)
    tilted = (g**2 - 4) ** 2 + g  # minima near -2.03 and 1.97, the left one deeper
    single = (g - 0.7) ** 2
    ax = plots.plot_kl_landscape(g, {"reverse": tilted, "forward": single})
    np.testing.assert_array_equal(xy(line(ax, "reverse")), [g, tilted])
    np.testing.assert_array_equal(xy(line(ax, "forward")), [g, single])
    (two,) = [ln for ln in ax.lines if ln.get_label() == "local minima (2)"]
    (one,) = [ln for ln in ax.lines if ln.get_label() == "local minima (1)"]
    left, right = (
        np.argmin(np.where(g < 0, tilted, np.inf)),
        np.argmin(np.where(g > 0, tilted, np.inf)),
    )
    np.testing.assert_array_equal(xy(two), [g[[left, right]], tilted[[left, right]]])
    np.testing.assert_array_equal(xy(one), [[g[np.argmin(single)]], [single.min()]])


def test_mean_field_ellipses_have_radius_two_sd():
    mean = np.array([1.0, -0.5])
    cov = np.array([[2.0, 0.9], [0.9, 1.0]])
    fits = {
        "forward (matches marginals)": np.sqrt(np.diag(cov)),
        "reverse (matches conditionals)": 1 / np.sqrt(np.diag(np.linalg.inv(cov))),
    }
    ax = plots.plot_mean_field_ellipses(mean, cov, fits)
    (p,) = ax.patches
    d = p.get_xy() - mean
    mahalanobis = np.sqrt(np.einsum("ni,ij,nj->n", d, np.linalg.inv(cov), d))
    np.testing.assert_allclose(mahalanobis, 2.0, rtol=1e-9)  # the 2-sigma contour of p
    assert p.get_label() == "p (2-sigma)"
    for name, sd in fits.items():
        x, y = xy(line(ax, name))
        np.testing.assert_allclose(np.hypot((x - mean[0]) / sd[0], (y - mean[1]) / sd[1]), 2.0)
        assert (x.max() - x.min()) == pytest.approx(2 * 2 * sd[0], rel=1e-3)  # full width 4 sd
        assert (y.max() - y.min()) == pytest.approx(2 * 2 * sd[1], rel=1e-3)


def test_reverse_kl_surface_marks_the_global_and_local_optima():
    # oracle: the markers are the optima passed in
    m, s = np.linspace(-2, 2, 21), np.geomspace(0.5, 2, 11)
    values = m[None] ** 2 + np.log(s[:, None]) ** 2
    ax = plots.plot_reverse_kl_surface(m, s, values, [(0.0, 1.0), (1.5, 0.7)])
    (star,) = [ln for ln in ax.lines if ln.get_label() == "global optimum"]
    (local,) = [ln for ln in ax.lines if ln.get_label() == "local optimum"]
    assert (xy(star)[0][0], xy(star)[1][0]) == (0.0, 1.0)
    assert (xy(local)[0][0], xy(local)[1][0]) == (1.5, 0.7)
    assert ax.get_yscale() == "log"


def test_reverse_kl_surface_star_has_the_best_reverse_fits_colour():
    # Chapter 5 draws the best reverse fit at series index 1 next to this surface; the
    # star must not take the forward fit's colour (series 0).
    m, s = np.linspace(-2, 2, 21), np.geomspace(0.5, 2, 11)
    values = m[None] ** 2 + np.log(s[:, None]) ** 2
    ax = plots.plot_reverse_kl_surface(m, s, values, [(0.0, 1.0)])
    (star,) = [ln for ln in ax.lines if ln.get_label() == "global optimum"]
    fits = plots.plot_kl_fits([0.5, 0.5], [-2, 2], [1, 1], {"a": (0, 1), "b": (0, 2)})
    assert mcolors.same_color(star.get_color(), fits.lines[1].get_color())
    assert not mcolors.same_color(star.get_color(), fits.lines[0].get_color())


def test_reverse_kl_surface_rejects_bad_input():
    m, s = np.linspace(-2, 2, 5), np.geomspace(0.5, 2, 4)
    with pytest.raises(ValueError, match="`values`"):
        plots.plot_reverse_kl_surface(m, s, np.zeros((5, 4)), [(0.0, 1.0)])
    with pytest.raises(ValueError, match="`optima` must have at least one"):
        plots.plot_reverse_kl_surface(m, s, np.zeros((4, 5)), [])
    with pytest.raises(TypeError, match="`optima` must be a list"):
        plots.plot_reverse_kl_surface(m, s, np.zeros((4, 5)), (x for x in [(0.0, 1.0)]))
    with pytest.raises(TypeError, match=r"`optima\[0\]` must be a \(mean, std\) pair"):
        plots.plot_reverse_kl_surface(m, s, np.zeros((4, 5)), [(0.0, 1.0, 2.0)])
    with pytest.raises(ValueError, match="`values` must vary over the grid"):
        plots.plot_reverse_kl_surface(m, s, np.zeros((4, 5)), [(0.0, 1.0)])


def test_kl_fits_colours_keep_one_meaning_and_leave_legend_room():
    ax = plots.plot_kl_fits(
        WEIGHTS,
        MEANS,
        STDS,
        {"forward": (FWD_MEAN, FWD_STD), "rev": (REV_MEAN, REV_STD)},
        colours=[0, 2],
    )
    assert line(ax, "rev").get_color() == series_colour(2)
    tallest = max(normal_pdf(REV_MEAN, REV_MEAN, REV_STD), _mixture(np.linspace(-5, 5, 999)).max())
    assert ax.get_ylim()[1] == pytest.approx(1.5 * tallest, rel=1e-2)


def test_mean_field_bounding_box_is_p_extent():
    cov = np.array([[2.0, 1.2], [1.2, 1.0]])
    ax = plots.plot_mean_field_ellipses([0, 0], cov, {"f": [1.0, 1.0]}, bounding_box=True)
    x, y = xy(line(ax, "bounding box of p"))
    assert x.max() == pytest.approx(2 * np.sqrt(2.0)) and y.max() == pytest.approx(2.0)


def test_kl_fits_styles_p_and_each_fit_apart():
    """p is the sky-blue filled density; each fit a 2-pt line in its own series style."""
    from lessonlib.style import PALETTE

    fits = {"forward KL fit": (FWD_MEAN, FWD_STD), "reverse KL fit": (REV_MEAN, REV_STD)}
    ax = plots.plot_kl_fits(WEIGHTS, MEANS, STDS, fits, ylim=(0.0, 0.5))
    assert mcolors.same_color(
        fill_by_label(ax, "p (mixture)").get_facecolor()[0][:3], PALETTE["sky"]
    )
    styles = {(line(ax, n).get_linestyle(), line(ax, n).get_linewidth()) for n in fits}
    assert len(styles) == 2 and {w for _, w in styles} == {2.0}
    assert ax.get_ylim() == (0.0, 0.5) and ax.get_xlabel() == "$x$"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (dict(fits={"q": (0.0, 1.0, 2.0)}), TypeError, r"`fits\['q'\]` must be a \(mean, std\)"),
        (dict(fits={"q": (0.0, -1.0)}), ValueError, r"`fits\['q'\]` must be > 0"),
        (dict(fits={"q": (0.0, 1.0)}, colours=[0, 1]), ValueError, "`colours` must have one"),
        (dict(fits={"q": (0.0, 1.0)}, colours=[-1]), ValueError, "`colours` must be >= 0"),
        (dict(fits={}), ValueError, "`fits` must be a non-empty mapping"),
        (dict(fits={"q": (0.0, 1.0)}, xlim=(1.0, 0.0)), ValueError, "`xlim` must be an increasing"),
        (dict(fits={"q": (0.0, 1.0)}, means=[0.0]), ValueError, "`weights`, `means` and `stds`"),
        (dict(fits={"q": (0.0, 1.0)}, stds=[1.0, 0.0]), ValueError, "`stds` must be > 0"),
        (dict(fits={"q": (0.0, 1.0)}, ax="ax"), TypeError, "`ax` must be a matplotlib Axes"),
    ],
)
def test_kl_fits_rejects_bad_input_by_name(kwargs, error, match):
    args = {**dict(weights=WEIGHTS, means=MEANS, stds=STDS), **kwargs}
    with pytest.raises(error, match=match):
        plots.plot_kl_fits(**args)


ELLIPSES = dict(mean=[0.0, 0.0], cov=[[1.0, 0.5], [0.5, 1.0]], fits={"f": [0.8, 0.8]})
SURFACE = dict(
    q_means=[0.0, 1.0, 2.0], q_stds=[0.5, 1.0], values=[[1, 0.5, 1], [2, 1, 2]], optima=[(1, 1)]
)
LANDSCAPE = dict(q_means=[0.0, 1.0, 2.0], curves={"r": [1.0, 0.5, 1.0]})


@pytest.mark.parametrize(
    ("name", "kwargs", "match"),
    [
        ("plot_mean_field_ellipses", dict(mean=[0.0, 0.0, 0.0]), "`mean` must have 2 entries"),
        ("plot_mean_field_ellipses", dict(cov=[[1, 0.5], [0.4, 1]]), "`cov` must be a symmetric"),
        ("plot_mean_field_ellipses", dict(fits={"f": [1.0]}), r"`fits\['f'\]` must have 2"),
        ("plot_mean_field_ellipses", dict(fits={"f": [1.0, 0.0]}), r"`fits\['f'\]` must be > 0"),
        ("plot_reverse_kl_surface", dict(q_means=[0.0, 1.0]), "`values`, `q_stds` and `q_means`"),
        ("plot_kl_landscape", dict(curves={"r": [1.0, 2.0]}), r"`curves\['r'\]` and `q_means`"),
    ],
)
def test_kl_figures_reject_bad_input_by_name(name, kwargs, match):
    base = {
        "plot_mean_field_ellipses": ELLIPSES,
        "plot_reverse_kl_surface": SURFACE,
        "plot_kl_landscape": LANDSCAPE,
    }[name]
    with pytest.raises(ValueError, match=match):
        getattr(plots, name)(**{**base, **kwargs})


def test_mean_field_ellipses_are_closed_and_centred_with_the_box_around_the_mean():
    from lessonlib.style import PALETTE

    # oracle: closed ellipses, and the box corners mean +- 2 sqrt(Sigma_ii), written out
    mean, cov = np.array([1.5, -0.5]), np.array([[2.0, 0.6], [0.6, 1.0]])
    ax = plots.plot_mean_field_ellipses(mean, cov, {"f": [1.0, 0.5]})
    assert "bounding box of p" not in [ln.get_label() for ln in ax.lines]  # off by default
    ax = plots.plot_mean_field_ellipses(mean, cov, {"f": [1.0, 0.5]}, bounding_box=True)
    x, y = xy(line(ax, "bounding box of p"))
    hw = 2 * np.sqrt(np.diag(cov))
    np.testing.assert_allclose(x, mean[0] + hw[0] * np.array([-1, 1, 1, -1, -1]))
    np.testing.assert_allclose(y, mean[1] + hw[1] * np.array([-1, -1, 1, 1, -1]))
    fx, fy = xy(line(ax, "f"))
    assert (fx[0], fy[0]) == pytest.approx((fx[-1], fy[-1]))  # a closed curve
    assert fx.max() == pytest.approx(mean[0] + 2.0) and fy.min() == pytest.approx(
        mean[1] - 1.0, abs=1e-4
    )
    assert (fx.max() + fx.min()) / 2 == pytest.approx(mean[0], abs=1e-3)
    p_edge = ax.patches[0].get_path().vertices
    assert p_edge[:, 0].max() == pytest.approx(mean[0] + hw[0], rel=1e-4)
    assert mcolors.same_color(ax.patches[0].get_facecolor()[:3], mcolors.to_rgb(PALETTE["sky"]))


def test_kl_landscape_marks_the_first_point_of_a_flat_minimum_in_the_curve_colour():
    # oracle: the one local minimum of [3, 1, 1, 3, 0.5, 2] at a plateau and the one at index 4
    g = np.arange(6.0)
    v = np.array([3.0, 1.0, 1.0, 3.0, 0.5, 2.0])
    ax = plots.plot_kl_landscape(g, {"r": v, "f": (g - 2.0) ** 2})
    minima = line(ax, "local minima (2)")
    np.testing.assert_array_equal(xy(minima), [[1.0, 4.0], [1.0, 0.5]])
    assert line(ax, "r").get_color() == minima.get_color() == series_colour(0)
    assert line(ax, "f").get_color() == series_colour(1) and line(ax, "r").get_linewidth() == 2
