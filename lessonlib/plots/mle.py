"""Figures of Chapter 1: likelihoods, the bias of the variance MLE, losses as likelihoods."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from scipy import stats

from lessonlib._validation import (
    as_count,
    as_float_array,
    as_limits,
    as_positive_int,
    as_probability,
    as_scale,
    check_allocation,
    check_drawable,
    check_probability_array,
    check_same_size,
    fail,
)
from lessonlib.mle import bernoulli_log_likelihood
from lessonlib.plots._common import (
    check_mapping,
    get_axes,
    series_colour,
    series_linestyle,
)
from lessonlib.style import PALETTE

#: Up to this n the bars are drawn narrow, as the point masses of a pmf.
PMF_UP_TO_N = 30
#: From this n on, an inset repeats the figure in a window of fixed width.
ZOOM_FROM_N = 100
#: Half the width of the inset's window.
ZOOM_HALF_WIDTH = 0.06

__all__ = [
    "plot_bernoulli_likelihood",
    "plot_variance_bias",
    "plot_loss_argmin",
    "plot_probability_curves",
    "plot_sampling_distribution",
]


def plot_bernoulli_likelihood(
    heads: int, tails: int, *, ax: Axes | None = None, n_grid: int = 501
) -> Axes:
    """Plot the likelihood theta**h (1 - theta)**t and mark its maximum h / n.

    Parameters
    ----------
    heads, tails : int
        Observed counts; at least one flip in total.
    ax : matplotlib Axes, optional
        Where to draw.
    n_grid : int, default 501
        Number of theta values on [0, 1].

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_bernoulli_likelihood(7, 3)
    """
    h, t = as_count(heads, "heads"), as_count(tails, "tails")
    if h + t == 0:
        fail(
            ["heads", "tails"],
            "add up to at least 1 flip (with no flips the likelihood is flat)",
            "0 and 0",
        )
    n_grid = as_positive_int(n_grid, "n_grid", minimum=3)
    check_allocation((n_grid,), "n_grid", "a grid")
    ax = get_axes(ax)
    theta = np.linspace(0.0, 1.0, n_grid)
    lik = np.exp(bernoulli_log_likelihood(theta, h, t))
    mle = h / (h + t)
    ax.plot(theta, lik, color=PALETTE["blue"], label=rf"$\theta^{{{h}}}(1-\theta)^{{{t}}}$")
    ax.axvline(mle, color=PALETTE["vermillion"], ls="--", label=rf"MLE $\hat\theta = {mle:.2f}$")
    ax.set_xlabel(r"heads probability $\theta$")
    ax.set_ylabel(r"likelihood $p(D \mid \theta)$")
    ax.legend()
    return ax


def plot_variance_bias(
    n_samples: Sequence[int],
    mean_mle: Sequence[float],
    mean_unbiased: Sequence[float],
    true_variance: float,
    *,
    ax: Axes | None = None,
) -> Axes:
    """Plot simulated averages of the 1/n and 1/(n-1) variance estimates against n.

    The theoretical mean of the MLE, (n - 1)/n * sigma**2, is drawn as a line.

    Parameters
    ----------
    n_samples : sequence of int
        Sample sizes simulated.
    mean_mle, mean_unbiased : sequence of float
        Average of the ddof=0 and ddof=1 estimates at each sample size.
    true_variance : float
        The sigma**2 used to simulate.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_variance_bias([2, 4], [0.5, 0.75], [1.0, 1.0], 1.0)
    """
    n = as_float_array(n_samples, "n_samples", ndim=1)
    m0 = as_float_array(mean_mle, "mean_mle", ndim=1)
    m1 = as_float_array(mean_unbiased, "mean_unbiased", ndim=1)
    if np.any(n < 1):
        fail("n_samples", "be sample sizes >= 1 (drawn on a log axis)", n[n < 1][:3].tolist())
    check_same_size({"n_samples": n, "mean_mle": m0, "mean_unbiased": m1}, "one per size")
    true_variance = as_scale(true_variance, "true_variance")
    check_drawable(n, "n_samples", "sample sizes")
    check_drawable(m0, "mean_mle", "averages")
    check_drawable(m1, "mean_unbiased", "averages")
    check_drawable(true_variance, "true_variance", "a variance")
    ax = get_axes(ax)
    grid = np.linspace(n.min(), n.max(), 200)
    ax.plot(
        grid,
        (grid - 1) / grid * true_variance,
        color=PALETTE["blue"],
        label=r"theory $\frac{n-1}{n}\sigma^2$",
    )
    ax.plot(n, m0, "o", color=PALETTE["blue"], label=r"MLE, $1/n$ (simulated)")
    ax.plot(n, m1, "s", color=PALETTE["green"], label=r"ddof=1, $1/(n-1)$ (simulated)")
    ax.axhline(true_variance, color=PALETTE["black"], lw=1, ls=":", label=r"true $\sigma^2$")
    ax.set_xscale("log")
    ax.set_xlabel("sample size $n$")
    ax.set_ylabel(r"average estimate of $\sigma^2$")
    ax.legend()
    return ax


def plot_loss_argmin(
    slopes: Sequence[float],
    mse: Sequence[float],
    nll: Sequence[float],
    *,
    ax: Axes | None = None,
) -> Axes:
    """Plot mean squared error and Gaussian NLL over a grid of slopes, marking both minima.

    The NLL is drawn on a second y-axis because the two losses differ in scale
    and offset; the point of the figure is that their minimizers coincide.

    Parameters
    ----------
    slopes : sequence of float
        Grid of slope values.
    mse, nll : sequence of float
        Loss values on the grid.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
        The left (MSE) axes; the NLL axes is its twin.

    Examples
    --------
    >>> ax = plot_loss_argmin([0.0, 1.0, 2.0], [1.0, 0.0, 1.0], [3.0, 2.0, 3.0])
    """
    s = as_float_array(slopes, "slopes", ndim=1)
    m = as_float_array(mse, "mse", ndim=1)
    v = as_float_array(nll, "nll", ndim=1)
    check_same_size({"slopes": s, "mse": m, "nll": v}, "one loss per slope")
    for arr, name in [(s, "slopes"), (m, "mse"), (v, "nll")]:
        check_drawable(arr, name, "values")
    ax = get_axes(ax)
    right = ax.twinx()
    h1 = ax.plot(s, m, color=PALETTE["blue"], label="mean squared error (left)")
    h2 = right.plot(s, v, color=PALETTE["vermillion"], ls="--", label="Gaussian NLL (right)")
    h3 = ax.axvline(s[np.argmin(m)], color=PALETTE["blue"], lw=1, label="argmin MSE")
    h4 = right.axvline(
        s[np.argmin(v)], color=PALETTE["vermillion"], lw=1, ls=":", label="argmin NLL"
    )
    ax.set_xlabel("slope")
    ax.set_ylabel("MSE")
    right.set_ylabel("negative log-likelihood")
    right.grid(False)
    ax.legend(handles=[*h1, *h2, h3, h4], loc="upper center")
    return ax


def plot_probability_curves(
    x: Sequence[float],
    labels: Sequence[int],
    grid: Sequence[float],
    curves: Mapping[str, Sequence[float]],
    *,
    ax: Axes | None = None,
) -> Axes:
    """Plot binary labels against one feature with fitted P(y = 1 | x) curves.

    Parameters
    ----------
    x, labels : sequence
        The feature and 0/1 labels of the training points.
    grid : sequence of float
        Feature values at which the curves were evaluated.
    curves : mapping of str to sequence of float
        Legend label -> P(y = 1 | x) on `grid`.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_probability_curves([0, 1], [0, 1], [0, 1], {"fit": [0.2, 0.8]})
    """
    xx = as_float_array(x, "x", ndim=1)
    yy = as_float_array(labels, "labels", ndim=1)
    gg = as_float_array(grid, "grid", ndim=1)
    check_same_size({"x": xx, "labels": yy}, "one label per point")
    if np.any((yy != 0) & (yy != 1)):
        fail("labels", "be 0 or 1", yy[(yy != 0) & (yy != 1)][:3].tolist())
    check_drawable(xx, "x", "feature values")
    check_drawable(gg, "grid", "feature values")
    check_mapping(curves, "curves", "curve values")
    probs = {}
    for name, values in curves.items():
        probs[name] = check_probability_array(
            as_float_array(values, f"curves[{name!r}]", ndim=1), f"curves[{name!r}]"
        )
        check_same_size({"grid": gg, f"curves[{name!r}]": probs[name]}, "one value per grid point")
    ax = get_axes(ax)
    jitter = np.linspace(-0.03, 0.03, xx.size)
    ax.plot(xx, yy + jitter, "o", color=PALETTE["black"], alpha=0.35, ms=4, label="data")
    for i, (name, values) in enumerate(probs.items()):
        ax.plot(
            gg,
            values,
            ls=series_linestyle(i),
            color=series_colour(i),
            label=name,
        )
    ax.set_xlabel("feature $x$")
    ax.set_ylabel(r"$P(y = 1 \mid x)$")
    ax.legend()
    return ax


def plot_sampling_distribution(
    estimates: Sequence[float],
    theta: float,
    n_flips: int,
    *,
    ax: Axes | None = None,
    xlim: tuple[float, float] = (0.0, 1.0),
) -> Axes:
    """Draw simulated MLEs as a pmf next to the normal N(theta, theta(1-theta)/n).

    The MLE of n flips takes only the n + 1 values k / n, so it is drawn as one bar
    per value of height n times its simulated probability (the density of a bar of
    the full spacing 1/n, so it compares with the normal curve): narrow bars (a pmf)
    up to n = 30. The curve's variance is the inverse Fisher information of n flips, the
    smallest variance an unbiased estimator can have (the Cramer-Rao bound). From
    n = 100 on, an inset repeats the picture in a window of width 0.12 around
    theta, so the narrowing stays visible where the main axis shows a spike.

    Parameters
    ----------
    estimates : sequence of float
        Simulated MLEs (fractions of heads).
    theta : float
        The true heads probability.
    n_flips : int
        Flips per simulated experiment.
    ax : matplotlib Axes, optional
        Where to draw.
    xlim : (float, float), default (0, 1)
        Horizontal range, kept fixed so that frames at different n compare.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_sampling_distribution([0.4, 0.5, 0.6], 0.5, 10)
    """
    est = as_float_array(estimates, "estimates", ndim=1)
    th = as_probability(theta, "theta")
    n = as_positive_int(n_flips, "n_flips")
    check_probability_array(est, "estimates")
    check_allocation((n + 2,), "n_flips", "one bar per possible estimate k / n")
    xlim = as_limits(xlim, "xlim")
    sd = np.sqrt(th * (1 - th) / n)
    if sd > 0:  # the normal curve peaks at 1 / (sqrt(2 pi) sd)
        with np.errstate(over="ignore", divide="ignore"):
            check_drawable(1 / (np.sqrt(2 * np.pi) * sd), ["theta", "n_flips"], "a curve peak")
    ax = get_axes(ax)
    _draw_sampling(ax, est, th, n, sd, xlim, legend=True)
    if n >= ZOOM_FROM_N:
        # At large n the histogram is a spike on [0, 1]: repeat it in an inset whose
        # window is the same width for every n, so the tightening stays visible.
        inset = ax.inset_axes([0.62, 0.42, 0.36, 0.5])
        lo = min(max(th - ZOOM_HALF_WIDTH, 0.0), 1.0 - 2 * ZOOM_HALF_WIDTH)
        _draw_sampling(inset, est, th, n, sd, (lo, lo + 2 * ZOOM_HALF_WIDTH), legend=False)
        inset.set_title(f"zoom: width {2 * ZOOM_HALF_WIDTH:g}", fontsize="small")
        inset.tick_params(labelsize="x-small")
        inset.set_yticks([])
    ax.set_xlim(*xlim)
    ax.set_xlabel(r"estimate $\hat\theta$")
    ax.set_ylabel(r"density (bar height = probability $\times$ n)")
    ax.legend(loc="upper left", fontsize="small")
    return ax


def _draw_sampling(ax, est, th, n, sd, xlim, *, legend):
    values = np.arange(n + 1) / n
    freq = np.bincount(np.rint(est * n).astype(np.intp), minlength=n + 1)[: n + 1] / est.size
    # The MLE takes only the n + 1 values k / n: one bar per value, of height
    # probability * n (the density of a bar of width 1/n; drawn narrower up to n = 30).
    label = f"simulated MLEs, n = {n}" if legend else None
    if n <= PMF_UP_TO_N:
        ax.bar(values, freq * n, width=0.35 / n, color=PALETTE["sky"], alpha=0.8, label=label)
    else:  # many values: one filled outline instead of thousands of bars
        edges = (np.arange(n + 2) - 0.5) / n
        ax.stairs(freq * n, edges, fill=True, color=PALETTE["sky"], alpha=0.8, label=label)
    if sd > 0:
        grid = np.linspace(*xlim, 400)
        ax.plot(
            grid,
            stats.norm.pdf(grid, th, sd),
            color=PALETTE["vermillion"],
            label=(r"$N(\theta, \theta(1-\theta)/n)$ (Fisher bound)" if legend else None),
        )
    ax.axvline(
        th,
        color=PALETTE["black"],
        lw=1,
        ls=":",
        label=(rf"true $\theta = {th:.2f}$" if legend else None),
    )
    ax.set_xlim(*xlim)
