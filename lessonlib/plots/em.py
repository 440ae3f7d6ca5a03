"""Figures of Chapter 3: mixture fits, optimization traces, template recovery."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from scipy import stats

from lessonlib._validation import (
    as_float_array,
    as_positive_array,
    as_positive_int,
)
from lessonlib.plots._common import (
    check_mapping,
    get_axes,
    series_colour,
)
from lessonlib.style import PALETTE

__all__ = [
    "plot_gmm_state",
    "plot_loglik_history",
    "plot_template_recovery",
]


def plot_gmm_state(
    x: Sequence[float],
    weights: Sequence[float],
    means: Sequence[float],
    stds: Sequence[float],
    *,
    ax: Axes | None = None,
    iteration: int | None = None,
    loglik: float | None = None,
    bins: int = 40,
    xlim: tuple[float, float] | None = None,
) -> Axes:
    """Plot a data histogram with each weighted Gaussian component and the mixture density.

    Parameters
    ----------
    x : sequence of float
        Data.
    weights, means, stds : sequence of float
        The mixture, one entry per component, in lessonlib's mixture order: weights,
        means, standard deviations (> 0).
    ax : matplotlib Axes, optional
        Where to draw.
    iteration : int, optional
        EM iteration shown in the title.
    loglik : float, optional
        Log-likelihood shown in the title.
    bins : int, default 40
        Histogram bins.
    xlim : (float, float), optional
        x-range (default: the data range plus a margin); fixing it keeps frames aligned.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_gmm_state([-1.0, -0.8, 1.1, 1.3], [0.5, 0.5], [-1, 1], [0.3, 0.3])
    """
    xa = as_float_array(x, "x", ndim=1)
    w = as_float_array(weights, "weights", ndim=1)
    mu = as_float_array(means, "means", ndim=1)
    sd = as_positive_array(stds, "stds")
    if not (w.shape == mu.shape == sd.shape):
        raise ValueError(
            "`weights`, `means` and `stds` must have one entry per component; "
            f"got shapes {w.shape}, {mu.shape} and {sd.shape}."
        )
    ax = get_axes(ax)
    lo, hi = xlim if xlim is not None else (xa.min() - 1.0, xa.max() + 1.0)
    grid = np.linspace(lo, hi, 400)
    ax.hist(
        xa,
        bins=as_positive_int(bins, "bins"),
        range=(lo, hi),
        density=True,
        color=PALETTE["sky"],
        alpha=0.45,
        label="data",
    )
    total = np.zeros_like(grid)
    for j in range(mu.size):
        comp = w[j] * stats.norm.pdf(grid, mu[j], sd[j])
        total += comp
        ax.plot(
            grid,
            comp,
            color=series_colour(j),
            ls="--",
            label=rf"$\pi_{j + 1}$={w[j]:.2f}, $\mu_{j + 1}$={mu[j]:.2f}",
        )
    ax.plot(grid, total, color=PALETTE["black"], lw=2, label="mixture")
    ax.set_xlim(lo, hi)
    parts = []
    if iteration is not None:
        parts.append(f"iteration {iteration}")
    if loglik is not None:
        parts.append(f"log-likelihood {loglik:.2f}")
    if parts:
        ax.set_title(", ".join(parts))
    ax.set_xlabel("$x$")
    ax.set_ylabel("density")
    ax.legend(fontsize="small", loc="upper right")
    return ax


def plot_loglik_history(
    histories: Mapping[str, Sequence[float]],
    *,
    ax: Axes | None = None,
    ylabel: str = "log-likelihood",
    xlabel: str = "EM iteration",
    steps: Sequence[float] | None = None,
) -> Axes:
    """Plot one or more optimization traces (EM log-likelihoods, ELBOs) against the step.

    Parameters
    ----------
    histories : mapping of str to sequence of float
        Label -> values, the initial value first.
    ax : matplotlib Axes, optional
        Where to draw.
    ylabel, xlabel : str, optional
        Axis labels.
    steps : sequence of float, optional
        x-values shared by every trace (default 0, 1, 2, ...).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_loglik_history({"run": [-10.0, -8.0, -7.5, -7.4]})
    """
    check_mapping(histories, "histories", "values")
    ax = get_axes(ax)
    for i, (label, values) in enumerate(histories.items()):
        v = as_float_array(values, f"histories[{label!r}]", ndim=1)
        xs = np.arange(v.size) if steps is None else as_float_array(steps, "steps", ndim=1)
        if xs.size != v.size:
            raise ValueError(f"`steps` must have {v.size} values; got {xs.size}.")
        ax.plot(xs, v, marker="o", ms=3, color=series_colour(i), label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize="small")
    return ax


def plot_template_recovery(
    truth: Sequence[float],
    estimate: Sequence[float],
    example: Sequence[float],
    *,
    ax: Axes | None = None,
) -> Axes:
    """Plot a true template, its EM estimate and one noisy shifted observation.

    Parameters
    ----------
    truth, estimate, example : sequence of float
        Signals of equal length; align ``estimate`` to ``truth`` first.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_template_recovery([0, 1, 0], [0.1, 0.9, 0.0], [1.2, -0.3, 0.4])
    """
    t = as_float_array(truth, "truth", ndim=1)
    e = as_float_array(estimate, "estimate", ndim=1)
    y = as_float_array(example, "example", ndim=1)
    if not (t.size == e.size == y.size):
        raise ValueError("`truth`, `estimate` and `example` must have the same length.")
    ax = get_axes(ax)
    pos = np.arange(t.size)
    ax.plot(pos, y, color=PALETTE["sky"], lw=1, label="one observation (shifted, noisy)")
    ax.plot(pos, t, color=PALETTE["black"], lw=2.5, label="true template")
    ax.plot(pos, e, color=PALETTE["vermillion"], lw=2, ls="--", label="EM estimate")
    ax.set_xlabel("sample index")
    ax.set_ylabel("signal")
    ax.legend(fontsize="small")
    return ax
