"""Figures of Chapter 1: likelihoods, the bias of the variance MLE, losses as likelihoods."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from scipy import stats

from lessonlib._validation import (
    as_count,
    as_float_array,
    as_positive_int,
    as_positive_scalar,
    as_probability,
)
from lessonlib.mle import bernoulli_log_likelihood
from lessonlib.plots._common import (
    check_mapping,
    get_axes,
    series_colour,
    series_linestyle,
)
from lessonlib.style import PALETTE

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
        raise ValueError("`heads + tails` must be >= 1; with no flips the likelihood is flat.")
    ax = get_axes(ax)
    theta = np.linspace(0.0, 1.0, as_positive_int(n_grid, "n_grid", minimum=3))
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
    true_variance = as_positive_scalar(true_variance, "true_variance")
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
    check_mapping(curves, "curves", "curve values")
    ax = get_axes(ax)
    jitter = np.linspace(-0.03, 0.03, xx.size)
    ax.plot(xx, yy + jitter, "o", color=PALETTE["black"], alpha=0.35, ms=4, label="data")
    for i, (name, values) in enumerate(curves.items()):
        ax.plot(
            gg,
            as_float_array(values, f"curves[{name!r}]", ndim=1),
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
    """Histogram of simulated MLEs with the asymptotic normal N(theta, theta(1-theta)/n).

    The curve's variance is the inverse Fisher information of n flips, the
    smallest variance an unbiased estimator can have (the Cramer-Rao bound).

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
    ax = get_axes(ax)
    # Bins one step of 1/n wide (capped for readability), centred on the attainable values.
    n_bins = min(n + 1, 60)
    edges = np.linspace(-0.5 / (n_bins - 1), 1 + 0.5 / (n_bins - 1), n_bins + 1)
    ax.hist(
        est,
        bins=edges,
        density=True,
        color=PALETTE["sky"],
        alpha=0.7,
        label=f"simulated MLEs, n = {n}",
    )
    sd = np.sqrt(th * (1 - th) / n)
    if sd > 0:
        grid = np.linspace(*xlim, 400)
        ax.plot(
            grid,
            stats.norm.pdf(grid, th, sd),
            color=PALETTE["vermillion"],
            label=r"$N(\theta, \theta(1-\theta)/n)$ (Fisher bound)",
        )
    ax.axvline(th, color=PALETTE["black"], lw=1, ls=":", label=rf"true $\theta = {th:.2f}$")
    ax.set_xlim(*xlim)
    ax.set_xlabel(r"estimate $\hat\theta$")
    ax.set_ylabel("density")
    ax.legend(loc="upper left")
    return ax
