"""Figures of Chapter 3: mixture fits, optimization traces, template recovery."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from scipy import stats

from lessonlib._validation import (
    as_float_array,
    as_limits,
    as_nonnegative_int,
    as_positive_array,
    as_positive_int,
    as_scalar,
    as_text,
    check_allocation,
    check_drawable,
    check_probability_array,
    check_rows_sum_to_one,
    check_same_size,
    check_shape,
    check_span,
    fail,
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
    "plot_em_bound",
    "plot_shift_posteriors",
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
    ylim: tuple[float, float] | None = None,
    resp: Sequence[Sequence[float]] | None = None,
    stage: str | None = None,
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
    ylim : (float, float), optional
        y-range (default: matplotlib's); a player fixes it so frames do not rescale.
    resp : array_like of shape (n, k), optional
        Responsibilities: each point is drawn as a dot below the histogram, coloured
        by mixing the components' colours in these proportions (an E-step).
    stage : str, optional
        Text added to the title after the iteration, e.g. ``"E-step"``.

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
    sd = as_positive_array(stds, "stds", ndim=1)
    check_same_size({"weights": w, "means": mu, "stds": sd}, "one entry per component")
    check_probability_array(w, "weights")
    check_rows_sum_to_one(w, "weights")
    check_drawable(xa, "x", "data")
    check_drawable(mu, "means", "component means")
    check_drawable(sd, "stds", "component widths")
    r = None
    if resp is not None:
        r = as_float_array(resp, "resp", ndim=2)
        check_shape(r, "resp", (xa.size, mu.size), "points x components")
        check_probability_array(r, "resp")
        check_rows_sum_to_one(r, "resp")
    if ylim is not None:
        ylo, yhi = as_limits(ylim, "ylim")
    if xlim is None:  # the data range plus a margin of 1 on each side
        lo, hi = check_span(xa.min() - 1.0, xa.max() + 1.0, "x", "an x-range (data range +- 1)")
    else:
        lo, hi = as_limits(xlim, "xlim")
    bins = as_positive_int(bins, "bins")
    check_allocation((bins + 1,), "bins", "histogram edges")
    with np.errstate(over="ignore", divide="ignore"):
        # The tallest drawn heights: a histogram bar is at most bins / width, a component
        # peaks at w / (sqrt(2 pi) std).
        check_drawable(
            bins / (hi - lo), ["x", "xlim", "bins"], "histogram heights (<= bins / width)"
        )
        check_drawable(w / (np.sqrt(2 * np.pi) * sd), ["weights", "stds"], "component peaks")
    iteration = None if iteration is None else as_nonnegative_int(iteration, "iteration")
    loglik = None if loglik is None else as_scalar(loglik, "loglik")
    stage = None if stage is None else as_text(stage, "stage")
    grid = np.linspace(lo, hi, 400)
    # Each weighted component on the grid: w_j N(grid; mu_j, sd_j^2), finite for drawable inputs
    # once the squared standardized distance is computed without overflow.
    with np.errstate(over="ignore", under="ignore"):
        comps = w[:, None] * stats.norm.pdf(grid[None, :], mu[:, None], sd[:, None])
    ax = get_axes(ax)
    ax.hist(
        xa,
        bins=bins,
        range=(lo, hi),
        density=True,
        color=PALETTE["sky"],
        alpha=0.45,
        label="data",
    )
    total = np.zeros_like(grid)
    for j in range(mu.size):
        comp = comps[j]
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
    if ylim is not None:
        ax.set_ylim(ylo, yhi)
    if r is not None:
        # Each dot's colour is the responsibility-weighted mix of the component colours.
        palette = np.array([to_rgb(series_colour(j)) for j in range(mu.size)])
        colours = np.clip(r @ palette, 0.0, 1.0)
        y_dots = ax.get_ylim()[0] + 0.04 * np.diff(ax.get_ylim())[0]
        ax.scatter(
            xa,
            np.full(xa.size, y_dots),
            c=colours,
            s=14,
            zorder=3,
            label="points, coloured by responsibility",
        )
        ax.set_ylim(*ax.get_ylim())
    parts = []
    if iteration is not None:
        parts.append(f"iteration {iteration}")
    if stage is not None:
        parts.append(str(stage))
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
    ylabel, xlabel = as_text(ylabel, "ylabel"), as_text(xlabel, "xlabel")
    if steps is not None:
        steps = check_drawable(as_float_array(steps, "steps", ndim=1), "steps", "x values")
    traces = {}
    for label, values in histories.items():
        name = f"histories[{label!r}]"
        v = check_drawable(as_float_array(values, name, ndim=1), name, "values")
        xs = np.arange(v.size) if steps is None else steps
        check_same_size({"steps": xs, name: v}, "one step per value")
        traces[label] = xs, v
    ax = get_axes(ax)
    for i, (label, (xs, v)) in enumerate(traces.items()):
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
    check_same_size({"truth": t, "estimate": e, "example": y}, "one value per sample")
    for arr, name in [(t, "truth"), (e, "estimate"), (y, "example")]:
        check_drawable(arr, name, "signal values")
    ax = get_axes(ax)
    pos = np.arange(t.size)
    ax.plot(pos, y, color=PALETTE["sky"], lw=1, label="one observation (shifted, noisy)")
    ax.plot(pos, t, color=PALETTE["black"], lw=2.5, label="true template")
    ax.plot(pos, e, color=PALETTE["vermillion"], lw=2, ls="--", label="EM estimate")
    ax.set_xlabel("sample index")
    ax.set_ylabel("signal")
    ax.legend(fontsize="small")
    return ax


def plot_em_bound(
    grid: Sequence[float],
    loglik: Sequence[float],
    bound: Sequence[float],
    current: float,
    *,
    ax: Axes | None = None,
    xlabel: str = r"$\theta$",
) -> Axes:
    """Plot the log-likelihood along one parameter and EM's lower bound built at ``current``.

    The bound touches the log-likelihood at ``current`` (the E-step makes it tight);
    its maximum on the grid, marked, is where the M-step moves (Bishop's picture).

    Parameters
    ----------
    grid : sequence of float
        Parameter values, increasing.
    loglik, bound : sequence of float
        Log-likelihood and lower bound at each grid value.
    current : float
        The parameter value where the bound was built (inside the grid's range).
    ax : matplotlib Axes, optional
        Where to draw.
    xlabel : str, optional
        Label of the parameter axis.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> g = np.linspace(-1, 1, 5)
    >>> ax = plot_em_bound(g, -g**2, -g**2 - (g - 0.5) ** 2, 0.5)
    """
    g = as_float_array(grid, "grid", ndim=1, min_size=2)
    ll = as_float_array(loglik, "loglik", ndim=1)
    lb = as_float_array(bound, "bound", ndim=1)
    check_same_size({"grid": g, "loglik": ll, "bound": lb}, "one value per grid point")
    for arr, name in [(g, "grid"), (ll, "loglik"), (lb, "bound")]:
        check_drawable(arr, name, "values")
    xlabel = as_text(xlabel, "xlabel")
    if np.any(np.diff(g) <= 0):
        fail("grid", "be increasing", "a grid that is not")
    cur = as_scalar(current, "current")
    if not g[0] <= cur <= g[-1]:
        fail("current", f"lie in the grid's range [{g[0]:g}, {g[-1]:g}]", cur)
    ax = get_axes(ax)
    ax.plot(g, ll, color=PALETTE["black"], lw=2, label=r"log-likelihood $\log p(x\mid\theta)$")
    ax.plot(g, lb, color=series_colour(0), ls="--", lw=2, label="lower bound built at the E-step")
    touch = float(np.interp(cur, g, ll))
    ax.plot([cur], [touch], "o", color=series_colour(1), label="current parameters (touch)")
    best = int(np.argmax(lb))
    ax.plot([g[best]], [lb[best]], "s", color=series_colour(2), label="bound's maximum (M-step)")
    ax.axvline(g[best], color=series_colour(2), lw=0.8, ls=":")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("log-likelihood")
    ax.legend(fontsize="small")
    return ax


def plot_shift_posteriors(
    posterior: Sequence[Sequence[float]],
    true_shifts: Sequence[int],
    *,
    ax: Axes | None = None,
    n_show: int = 200,
) -> Axes:
    """Heat map of each observation's posterior over shifts, rows sorted by the true shift.

    Parameters
    ----------
    posterior : array_like of shape (n, L)
        Posterior probability of each cyclic shift for each observation (rows sum to 1).
    true_shifts : sequence of int, shape (n,)
        The shift actually applied to each observation, in ``0 .. L - 1``.
    ax : matplotlib Axes, optional
        Where to draw.
    n_show : int, default 200
        Number of observations shown (the first ``n_show``), then sorted.

    Returns
    -------
    matplotlib.axes.Axes
        The image's array is the shown rows of ``posterior`` in the sorted order.

    Examples
    --------
    >>> post = np.eye(4)[[2, 0, 3]]
    >>> ax = plot_shift_posteriors(post, [2, 0, 3])
    """
    p = as_float_array(posterior, "posterior", ndim=2)
    check_probability_array(p, "posterior")
    check_rows_sum_to_one(p, "posterior")
    s = as_float_array(true_shifts, "true_shifts", ndim=1)
    if s.size != p.shape[0]:
        fail(["true_shifts", "posterior"], "have the same length", f"{s.size} and {p.shape[0]}")
    if np.any(s != np.round(s)) or np.any(s < 0) or np.any(s >= p.shape[1]):
        fail("true_shifts", f"be integers in 0..{p.shape[1] - 1}", "other values")
    m = min(as_positive_int(n_show, "n_show"), p.shape[0])  # no allocation: a slice of p
    order = np.argsort(s[:m], kind="stable")
    ax = get_axes(ax)
    image = ax.imshow(
        p[:m][order], aspect="auto", cmap="Greys", vmin=0.0, vmax=1.0, interpolation="nearest"
    )
    ax.grid(False)  # grid lines would hide the thin peaks
    ax.figure.colorbar(image, ax=ax, label="posterior probability")
    ax.set_xlabel("shift")
    ax.set_ylabel("observation (sorted by its true shift)")
    return ax
