"""Figures of Chapter 2: Beta posteriors, regularization paths, MAP versus MLE."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from scipy import stats

from lessonlib._validation import (
    as_float_array,
    as_positive_int,
    as_scalar,
)
from lessonlib.plots._common import (
    SERIES_COLOURS,
    check_mapping,
    get_axes,
    series_colour,
    series_linestyle,
    series_marker,
)
from lessonlib.priors import beta_binomial_map, beta_binomial_mean
from lessonlib.style import PALETTE

__all__ = [
    "plot_beta_posterior",
    "plot_coefficient_paths",
    "plot_estimates_vs_n",
    "plot_curve_fits",
]


def plot_beta_posterior(
    heads: int,
    tails: int,
    a: float,
    b: float,
    *,
    ax: Axes | None = None,
    n_grid: int = 801,
) -> Axes:
    """Plot a Beta(a, b) prior, the coin likelihood and the Beta posterior, with estimates marked.

    The likelihood is scaled to integrate to 1 so the three curves share an axis.
    The MLE is marked when there is data, the MAP estimate when the posterior has
    a unique mode, and the posterior mean always.

    Parameters
    ----------
    heads, tails : int
        Observed counts (both may be 0: the posterior is then the prior).
    a, b : float
        Prior parameters, > 0.
    ax : matplotlib Axes, optional
        Where to draw.
    n_grid : int, default 801
        Number of theta values (the open interval avoids infinite densities at 0 and 1).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_beta_posterior(3, 0, 2, 2)
    """
    mean = beta_binomial_mean(heads, tails, a, b)  # validates every argument
    h, t = int(heads), int(tails)
    ax = get_axes(ax)
    theta = np.linspace(0.0, 1.0, as_positive_int(n_grid, "n_grid", minimum=3) + 2)[1:-1]
    prior = stats.beta.pdf(theta, a, b)
    post = stats.beta.pdf(theta, h + a, t + b)
    ax.plot(theta, prior, color=PALETTE["sky"], ls="--", label=f"prior Beta({a:g}, {b:g})")
    top = max(np.max(post), np.max(prior))
    if h + t > 0:
        lik = stats.beta.pdf(theta, h + 1, t + 1)  # likelihood, normalized over theta
        ax.plot(theta, lik, color=PALETTE["orange"], ls="-.", label=f"likelihood ({h}H, {t}T)")
        top = max(top, np.max(lik))
        ax.axvline(h / (h + t), color=PALETTE["orange"], lw=1, label=f"MLE {h / (h + t):.3f}")
    ax.plot(
        theta, post, color=PALETTE["blue"], lw=2.2, label=f"posterior Beta({h + a:g}, {t + b:g})"
    )
    try:
        mode = beta_binomial_map(h, t, a, b)
        ax.axvline(mode, color=PALETTE["vermillion"], ls="--", label=f"MAP (mode) {mode:.3f}")
    except ValueError:
        ax.plot([], [], " ", label="MAP: no unique mode")
    ax.axvline(mean, color=PALETTE["green"], ls=":", lw=2, label=f"posterior mean {mean:.3f}")
    ax.set_ylim(0, min(top, 12.0) * 1.1)
    ax.set_xlim(0, 1)
    ax.set_xlabel(r"heads probability $\theta$")
    ax.set_ylabel("density")
    ax.legend(loc="upper left", fontsize="small")
    return ax


def plot_coefficient_paths(
    strengths: Sequence[float],
    coefs: Sequence[Sequence[float]],
    *,
    ax: Axes | None = None,
    title: str = "",
    xlabel: str = r"penalty strength $\lambda$",
) -> Axes:
    """Plot each fitted coefficient against the regularization strength (log x-axis).

    Parameters
    ----------
    strengths : sequence of float
        Positive penalty strengths, one per fit.
    coefs : array_like of shape (len(strengths), d)
        The coefficients of each fit.
    ax : matplotlib Axes, optional
        Where to draw.
    title : str, optional
        Axes title.
    xlabel : str, optional
        Label of the x-axis.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_coefficient_paths([0.1, 1, 10], [[1, 2], [0.8, 1.5], [0.2, 0.5]])
    """
    lam = as_float_array(strengths, "strengths", ndim=1)
    if np.any(lam <= 0):
        raise ValueError("`strengths` must be > 0 (they are drawn on a log axis).")
    w = as_float_array(coefs, "coefs", ndim=2)
    if w.shape[0] != lam.size:
        raise ValueError(
            f"`coefs` must have one row per strength; got {w.shape[0]} rows for {lam.size}."
        )
    ax = get_axes(ax)
    for j in range(w.shape[1]):
        # Solid lines first; past the last series colour the line style changes instead.
        ax.plot(
            lam,
            w[:, j],
            color=series_colour(j),
            ls=series_linestyle(j // len(SERIES_COLOURS)),
            label=f"$w_{{{j + 1}}}$",
        )
    ax.axhline(0.0, color=PALETTE["black"], lw=0.8)
    ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("coefficient")
    if title:
        ax.set_title(title)
    ax.legend(ncol=2, fontsize="small")
    return ax


def plot_estimates_vs_n(
    n_values: Sequence[int],
    estimates: Mapping[str, Sequence[float]],
    truth: float,
    *,
    ax: Axes | None = None,
) -> Axes:
    """Plot several estimators' values against the sample size (log x-axis).

    Parameters
    ----------
    n_values : sequence of int
        Sample sizes.
    estimates : mapping of str to sequence of float
        Label -> the estimate at each sample size.
    truth : float
        The true parameter, drawn as a dotted line.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_estimates_vs_n([1, 10, 100], {"MLE": [1.0, 0.8, 0.71]}, 0.7)
    """
    n = as_float_array(n_values, "n_values", ndim=1)
    check_mapping(estimates, "estimates", "values")
    ax = get_axes(ax)
    for i, (label, values) in enumerate(estimates.items()):
        v = as_float_array(values, f"estimates[{label!r}]", ndim=1)
        if v.size != n.size:
            raise ValueError(f"`estimates[{label!r}]` must have {n.size} values; got {v.size}.")
        ax.plot(n, v, marker=series_marker(i), color=series_colour(i), label=label)
    ax.axhline(as_scalar(truth, "truth"), color=PALETTE["black"], ls=":", label="true value")
    ax.set_xscale("log")
    ax.set_xlabel("number of observations $n$")
    ax.set_ylabel("estimate")
    ax.legend()
    return ax


def plot_curve_fits(
    x: Sequence[float],
    y: Sequence[float],
    grid: Sequence[float],
    fits: Mapping[str, Sequence[float]],
    *,
    ax: Axes | None = None,
    truth: Sequence[float] | None = None,
) -> Axes:
    """Plot data points and fitted curves evaluated on a grid.

    Parameters
    ----------
    x, y : sequence of float
        The training points.
    grid : sequence of float
        Where the curves are evaluated.
    fits : mapping of str to sequence of float
        Label -> curve values on ``grid``.
    ax : matplotlib Axes, optional
        Where to draw.
    truth : sequence of float, optional
        The noise-free function on ``grid``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_curve_fits([0, 1], [0, 1], [0, 0.5, 1], {"line": [0, 0.5, 1]})
    """
    xa, ya = as_float_array(x, "x", ndim=1), as_float_array(y, "y", ndim=1)
    g = as_float_array(grid, "grid", ndim=1)
    check_mapping(fits, "fits", "curve values")
    ax = get_axes(ax)
    if truth is not None:
        ax.plot(
            g,
            as_float_array(truth, "truth", ndim=1),
            color=PALETTE["black"],
            ls=":",
            label="true function",
        )
    for i, (label, values) in enumerate(fits.items()):
        curve = as_float_array(values, f"fits[{label!r}]", ndim=1)
        if curve.size != g.size:
            raise ValueError(f"`fits[{label!r}]` must have {g.size} values; got {curve.size}.")
        ax.plot(g, curve, color=series_colour(i), ls=series_linestyle(i), lw=2, label=label)
    ax.plot(xa, ya, "o", color=PALETTE["black"], ms=5, label="training data")
    span = ya.max() - ya.min()
    ax.set_ylim(ya.min() - 0.6 * span - 0.1, ya.max() + 0.6 * span + 0.1)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.legend(fontsize="small")
    return ax
