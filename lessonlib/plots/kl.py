"""Figures of Chapter 5: forward and reverse KL fits, KL landscapes, mean-field ellipses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from scipy import stats

from lessonlib._validation import (
    as_float_array,
    as_scalar,
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
]


def plot_kl_fits(
    weights: Sequence[float],
    means: Sequence[float],
    stds: Sequence[float],
    fits: Mapping[str, tuple[float, float]],
    *,
    ax: Axes | None = None,
    xlim: tuple[float, float] | None = None,
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

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_kl_fits([0.5, 0.5], [-2, 2], [1, 1], {"forward": (0.0, 2.24)})
    """
    m = as_float_array(means, "means", ndim=1)
    s = as_float_array(stds, "stds", ndim=1)
    check_mapping(fits, "fits", "(mean, std)")
    ax = get_axes(ax)
    lo, hi = xlim if xlim is not None else (np.min(m - 4 * s), np.max(m + 4 * s))
    grid = np.linspace(lo, hi, 600)
    ax.fill_between(
        grid,
        np.exp(mixture_logpdf(grid, weights, m, s)),
        color=PALETTE["sky"],
        alpha=0.5,
        label="p (mixture)",
    )
    for i, (label, pair) in enumerate(fits.items()):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"`fits[{label!r}]` must be a (mean, std) pair; got {pair!r}.")
        qm, qs = pair
        qs = as_scalar(qs, f"fits[{label!r}] std")
        if qs <= 0:
            raise ValueError(f"`fits[{label!r}]` std must be > 0; got {qs}.")
        ax.plot(
            grid,
            stats.norm.pdf(grid, as_scalar(qm, f"fits[{label!r}] mean"), qs),
            color=series_colour(i),
            ls=series_linestyle(i),
            lw=2,
            label=label,
        )
    ax.set_xlim(lo, hi)
    ax.set_xlabel("$x$")
    ax.set_ylabel("density")
    ax.legend(fontsize="small", loc="upper right")
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
    check_mapping(curves, "curves", "values")
    ax = get_axes(ax)
    for i, (label, values) in enumerate(curves.items()):
        v = as_float_array(values, f"curves[{label!r}]", ndim=1)
        if v.size != g.size:
            raise ValueError(f"`curves[{label!r}]` must have {g.size} values; got {v.size}.")
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

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_mean_field_ellipses([0, 0], [[1, 0.8], [0.8, 1]], {"reverse": [0.6, 0.6]})
    """
    m = as_float_array(mean, "mean", ndim=1)
    c = as_float_array(cov, "cov", ndim=2)
    if m.size != 2 or c.shape != (2, 2):
        raise ValueError("`mean` must have 2 entries and `cov` shape (2, 2).")
    check_mapping(fits, "fits", "(std1, std2)")
    ax = get_axes(ax)
    t = np.linspace(0, 2 * np.pi, 300)
    circle = np.vstack([np.cos(t), np.sin(t)])
    evals, evecs = np.linalg.eigh(c)
    pts = m[:, None] + 2 * evecs @ (np.sqrt(np.maximum(evals, 0))[:, None] * circle)
    ax.fill(pts[0], pts[1], color=PALETTE["sky"], alpha=0.5, label="p (2-sigma)")
    for i, (label, stds) in enumerate(fits.items()):
        sd = as_float_array(stds, f"fits[{label!r}]", ndim=1)
        if sd.size != 2:
            raise ValueError(f"`fits[{label!r}]` must have 2 standard deviations.")
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
    ax.legend(fontsize="small", loc="upper left")
    return ax
