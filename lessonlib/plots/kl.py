"""Figures of Chapter 5: forward and reverse KL fits, KL landscapes, mean-field ellipses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import NullFormatter, ScalarFormatter
from scipy import stats

from lessonlib._validation import (
    as_flag,
    as_float_array,
    as_limits,
    as_mean_std,
    as_nonnegative_int,
    as_positive_array,
    check_drawable,
    check_length,
    check_same_size,
    check_shape,
    check_span,
    fail,
)
from lessonlib.kl import mixture_logpdf
from lessonlib.plots._common import (
    check_mapping,
    get_axes,
    series_colour,
    series_linestyle,
)
from lessonlib.style import PALETTE

__all__ = [
    "plot_kl_fits",
    "plot_kl_landscape",
    "plot_mean_field_ellipses",
    "plot_reverse_kl_surface",
]


def plot_kl_fits(
    weights: Sequence[float],
    means: Sequence[float],
    stds: Sequence[float],
    fits: Mapping[str, tuple[float, float]],
    *,
    ax: Axes | None = None,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    colours: Sequence[int] | None = None,
) -> Axes:
    """Plot a Gaussian mixture p and one or more Gaussian approximations q.

    Parameters
    ----------
    weights, means, stds : sequence of float
        The mixture p.
    fits : mapping of str to (float, float)
        Label -> (mean, std) of each q; the label appears in the legend (put the KL
        value in it).
    ax : matplotlib Axes, optional
        Where to draw.
    xlim : (float, float), optional
        x-range (default: 4 stds beyond the outermost components).
    ylim : (float, float), optional
        y-range (default: from 0 to 1.5 times the tallest curve, which leaves room for
        the legend above the curves).
    colours : sequence of int, optional
        Series index of each fit (its colour and line style), so that one meaning keeps
        one colour across figures; default 0, 1, 2, ...

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_kl_fits([0.5, 0.5], [-2, 2], [1, 1], {"forward": (0.0, 2.24)})
    """
    m = as_float_array(means, "means", ndim=1)
    s = as_positive_array(stds, "stds", ndim=1)
    w = as_float_array(weights, "weights", ndim=1)
    check_same_size({"weights": w, "means": m, "stds": s}, "one per component")
    check_mapping(fits, "fits", "(mean, std)")
    pairs = {label: as_mean_std(pair, f"fits[{label!r}]") for label, pair in fits.items()}
    if xlim is None:  # 4 stds beyond the outermost components
        with np.errstate(over="ignore", invalid="ignore"):
            lo, hi = np.min(m - 4 * s), np.max(m + 4 * s)
        lo, hi = check_span(lo, hi, ["means", "stds"], "an x-range (means +- 4 stds)")
    else:
        lo, hi = as_limits(xlim, "xlim")
    if ylim is not None:
        ylim = as_limits(ylim, "ylim")
    if colours is None:
        order = list(range(len(fits)))
    elif isinstance(colours, (str, bytes)) or not hasattr(colours, "__len__"):
        fail("colours", "be a sequence of series indices", type(colours).__name__, error=TypeError)
    else:
        order = [as_nonnegative_int(c, "colours") for c in colours]
        if len(order) != len(fits):
            fail("colours", f"have one entry per fit ({len(fits)})", len(order))
    # The curves peak at most at 1 / (sqrt(2 pi) std): the tallest drawn height.
    stds_drawn = np.concatenate([s, [qs for _, qs in pairs.values()]])
    check_drawable(1 / (np.sqrt(2 * np.pi) * stds_drawn.min()), ["stds", "fits"], "density peaks")
    for label, (qm, _) in pairs.items():
        check_drawable(qm, f"fits[{label!r}]", "a mean")
    grid = np.linspace(lo, hi, 600)
    p_density = np.exp(mixture_logpdf(grid, w, m, s))
    ax = get_axes(ax)
    tallest = float(p_density.max())
    ax.fill_between(
        grid,
        p_density,
        color=PALETTE["sky"],
        alpha=0.5,
        label="p (mixture)",
    )
    for i, (label, (qm, qs)) in enumerate(pairs.items()):
        with np.errstate(over="ignore", under="ignore"):  # far tails underflow to 0, as drawn
            q_density = stats.norm.pdf(grid, qm, qs)
        tallest = max(tallest, float(q_density.max()))
        ax.plot(
            grid,
            q_density,
            color=series_colour(order[i]),
            ls=series_linestyle(order[i]),
            lw=2,
            label=label,
        )
    ax.set_xlim(lo, hi)
    ax.set_ylim(*(ylim if ylim is not None else (0.0, 1.5 * tallest)))
    ax.set_xlabel("$x$")
    ax.set_ylabel("density")
    ax.legend(fontsize="small", loc="upper center", ncols=2, frameon=False)
    return ax


def plot_kl_landscape(
    q_means: Sequence[float],
    curves: Mapping[str, Sequence[float]],
    *,
    ax: Axes | None = None,
) -> Axes:
    """Plot KL objectives against q's mean, marking each curve's local minima.

    Parameters
    ----------
    q_means : sequence of float
        The q means evaluated.
    curves : mapping of str to sequence of float
        Label -> KL value at each q mean (e.g. reverse and forward KL at a fixed std).
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> g = np.linspace(-3, 3, 61)
    >>> ax = plot_kl_landscape(g, {"reverse": (g**2 - 4) ** 2 / 10})
    """
    g = as_float_array(q_means, "q_means", ndim=1)
    check_drawable(g, "q_means", "x values")
    check_mapping(curves, "curves", "values")
    drawn = {}
    for label, values in curves.items():
        name = f"curves[{label!r}]"
        v = as_float_array(values, name, ndim=1)
        check_length(v, name, g.size, "one per q mean", against=["q_means"])
        drawn[label] = check_drawable(v, name, "KL values")
    ax = get_axes(ax)
    for i, (label, v) in enumerate(drawn.items()):
        ax.plot(g, v, color=series_colour(i), lw=2, label=label)
        inner = np.flatnonzero((v[1:-1] < v[:-2]) & (v[1:-1] <= v[2:])) + 1
        ax.plot(
            g[inner],
            v[inner],
            "o",
            color=series_colour(i),
            ms=7,
            label=f"local minima ({inner.size})",
        )
    ax.set_xlabel("q mean")
    ax.set_ylabel("KL (nats)")
    ax.legend(fontsize="small")
    return ax


def plot_mean_field_ellipses(
    mean: Sequence[float],
    cov: Sequence[Sequence[float]],
    fits: Mapping[str, Sequence[float]],
    *,
    ax: Axes | None = None,
    bounding_box: bool = False,
) -> Axes:
    """Two-sigma ellipse of a correlated 2-D Gaussian with axis-aligned factorized fits.

    Parameters
    ----------
    mean : sequence of float of length 2
    cov : array_like of shape (2, 2)
        Covariance of p.
    fits : mapping of str to sequence of float
        Label -> the two standard deviations of a factorized q (centred at ``mean``).
    ax : matplotlib Axes, optional
        Where to draw.
    bounding_box : bool, default False
        Also draw the axis-aligned box that just contains p's ellipse (half-widths
        2 sqrt(Sigma_ii)).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_mean_field_ellipses([0, 0], [[1, 0.8], [0.8, 1]], {"reverse": [0.6, 0.6]})
    """
    m = check_length(as_float_array(mean, "mean", ndim=1), "mean", 2, "(z1, z2)")
    c = check_shape(as_float_array(cov, "cov", ndim=2), "cov", (2, 2), "a 2 x 2 covariance")
    check_drawable(m, "mean", "a centre")
    check_drawable(c, "cov", "a covariance (its square roots are drawn)")
    if not np.allclose(c, c.T) or np.any(np.diag(c) < 0):
        fail("cov", "be a symmetric covariance with a non-negative diagonal", _short(c))
    check_mapping(fits, "fits", "(std1, std2)")
    q_stds_of = {}
    for label, stds in fits.items():
        name = f"fits[{label!r}]"
        sd = check_length(as_positive_array(stds, name, ndim=1), name, 2, "two stds")
        q_stds_of[label] = check_drawable(sd, name, "ellipse radii")
    bounding_box = as_flag(bounding_box, "bounding_box")
    ax = get_axes(ax)
    t = np.linspace(0, 2 * np.pi, 300)
    circle = np.vstack([np.cos(t), np.sin(t)])
    evals, evecs = np.linalg.eigh(c)
    pts = m[:, None] + 2 * evecs @ (np.sqrt(np.maximum(evals, 0))[:, None] * circle)
    ax.fill(pts[0], pts[1], color=PALETTE["sky"], alpha=0.5, label="p (2-sigma)")
    if bounding_box:
        hw = 2 * np.sqrt(np.diag(c))
        ax.plot(
            m[0] + hw[0] * np.array([-1, 1, 1, -1, -1]),
            m[1] + hw[1] * np.array([-1, -1, 1, 1, -1]),
            color=PALETTE["black"],
            ls=":",
            lw=1,
            label="bounding box of p",
        )
    for i, (label, sd) in enumerate(q_stds_of.items()):
        ax.plot(
            m[0] + 2 * sd[0] * circle[0],
            m[1] + 2 * sd[1] * circle[1],
            color=series_colour(i),
            ls=series_linestyle(i),
            lw=2,
            label=label,
        )
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1.0))
    return ax


def plot_reverse_kl_surface(
    q_means: Sequence[float],
    q_stds: Sequence[float],
    values: Sequence[Sequence[float]],
    optima: Sequence[tuple[float, float]],
    *,
    ax: Axes | None = None,
) -> Axes:
    """Contours of KL(q || p) over q's mean and (log-scaled) std, with its optima marked.

    Parameters
    ----------
    q_means, q_stds : sequence of float
        Grid axes (x: q mean, y: q std > 0, drawn on a log scale).
    values : array_like of shape (len(q_stds), len(q_means))
        Reverse KL at each grid point.
    optima : sequence of (float, float)
        (mean, std) of each local optimum, the global one first: it is drawn as a
        star in series colour 1 (the colour :func:`plot_kl_fits` gives a fit at
        series index 1, which Chapter 5 uses for the best reverse fit), the others as
        white circles.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> m, s = np.linspace(-2, 2, 21), np.geomspace(0.5, 2, 11)
    >>> v = m[None] ** 2 + np.log(s[:, None]) ** 2
    >>> ax = plot_reverse_kl_surface(m, s, v, [(0.0, 1.0)])
    """
    qm = as_float_array(q_means, "q_means", ndim=1)
    qs = as_positive_array(q_stds, "q_stds", ndim=1)  # > 0: drawn on a log scale
    z = as_float_array(values, "values", ndim=2)
    check_shape(
        z, "values", (qs.size, qm.size), "len(q_stds) x len(q_means)", against=["q_stds", "q_means"]
    )
    for arr, name in [(qm, "q_means"), (qs, "q_stds"), (z, "values")]:
        check_drawable(arr, name, "grid values")
    if not isinstance(optima, (list, tuple)):
        fail("optima", "be a list of (mean, std) pairs", type(optima).__name__, error=TypeError)
    if len(optima) == 0:
        fail("optima", "have at least one (mean, std) pair (the global optimum)", "[]")
    points = [as_mean_std(pair, f"optima[{i}]") for i, pair in enumerate(optima)]
    for i, point in enumerate(points):
        check_drawable(point, f"optima[{i}]", "a marker")
    if np.ptp(z) == 0:
        fail("values", "vary over the grid (a constant surface has no contours)", "a constant")
    ax = get_axes(ax)
    levels = np.quantile(z, np.linspace(0, 0.6, 16))
    cs = ax.contourf(qm, qs, z, levels=np.unique(levels), cmap="viridis_r", extend="max")
    ax.figure.colorbar(cs, ax=ax, label="KL(q || p) (nats)")
    for i, (om, osd) in enumerate(points):
        ax.plot(
            [om],
            [osd],
            marker="*" if i == 0 else "o",
            ms=16 if i == 0 else 9,
            color=series_colour(1) if i == 0 else "white",
            mec="black",
            ls="none",
            label="global optimum" if i == 0 else ("local optimum" if i == 1 else None),
        )
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("q mean")
    ax.set_ylabel("q standard deviation (log scale)")
    ax.legend(fontsize="small", loc="upper right")
    return ax


def _short(arr: np.ndarray) -> str:
    return np.array2string(arr, precision=3)
