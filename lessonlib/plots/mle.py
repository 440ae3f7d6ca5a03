"""Figures used by the chapters.

Every function takes ``ax=None`` (a new figure is made when it is None), draws
with the book's palette, labels its axes, adds a legend and returns the Axes.
None of them calls ``plt.show()`` or changes global settings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from scipy import stats

from lessonlib._validation import (
    as_count,
    as_float_array,
    as_positive_int,
    as_positive_scalar,
    as_probability,
    as_scalar,
)
from lessonlib.kl import mixture_logpdf
from lessonlib.mle import bernoulli_log_likelihood, sample_bernoulli_mles
from lessonlib.priors import beta_binomial_map, beta_binomial_mean
from lessonlib.style import PALETTE

__all__ = [
    "plot_bernoulli_likelihood",
    "plot_variance_bias",
    "plot_loss_argmin",
    "plot_probability_curves",
    "plot_sampling_distribution",
    "plot_mle_sampling_experiment",
    "plot_beta_posterior",
    "plot_coefficient_paths",
    "plot_estimates_vs_n",
    "plot_curve_fits",
    "plot_gmm_state",
    "plot_loglik_history",
    "plot_template_recovery",
    "plot_elbo_surface",
    "plot_q_vs_posterior",
    "plot_vi_vs_grid",
    "plot_kl_fits",
    "plot_kl_landscape",
    "plot_mean_field_ellipses",
]


#: Colours for the curves of one figure, in order (the data and references use others).
_SERIES_COLOURS = [PALETTE["vermillion"], PALETTE["blue"], PALETTE["green"], PALETTE["purple"]]


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, Axes):
        raise TypeError(f"`ax` must be a matplotlib Axes or None; got {type(ax).__name__}.")
    return ax


def _check_mapping(value: object, name: str, what: str) -> Mapping:
    if not isinstance(value, Mapping) or not value:
        raise TypeError(f"`{name}` must be a non-empty mapping of label -> {what}.")
    return value


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
    ax = _axes(ax)
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
    ax = _axes(ax)
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
    ax = _axes(ax)
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
    _check_mapping(curves, "curves", "curve values")
    ax = _axes(ax)
    jitter = np.linspace(-0.03, 0.03, xx.size)
    ax.plot(xx, yy + jitter, "o", color=PALETTE["black"], alpha=0.35, ms=4, label="data")
    styles = ["-", "--", ":", "-."]
    colours = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["purple"]]
    for i, (name, values) in enumerate(curves.items()):
        ax.plot(
            gg,
            as_float_array(values, f"curves[{name!r}]", ndim=1),
            ls=styles[i % 4],
            color=colours[i % 4],
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
    ax = _axes(ax)
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


def plot_mle_sampling_experiment(
    n_flips: int,
    theta: float,
    *,
    seed: int = 0,
    n_repeats: int = 4000,
    ax: Axes | None = None,
) -> Axes:
    """Simulate `n_repeats` experiments of `n_flips` flips and plot the MLEs' histogram.

    The generator is seeded from (`seed`, `n_flips`, `theta`), so a given
    setting always draws the same figure, whichever order settings are visited.

    Parameters
    ----------
    n_flips : int
        Flips per experiment.
    theta : float
        True heads probability.
    seed : int, default 0
        Base seed.
    n_repeats : int, default 4000
        Number of simulated experiments.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_mle_sampling_experiment(10, 0.3, n_repeats=100)
    """
    n = as_positive_int(n_flips, "n_flips")
    th = as_probability(theta, "theta")
    rng = np.random.default_rng([as_count(seed, "seed"), n, int(round(th * 1e6))])
    estimates = sample_bernoulli_mles(th, n, n_repeats, rng)
    return plot_sampling_distribution(estimates, th, n, ax=ax)


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
    ax = _axes(ax)
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
    ax = _axes(ax)
    colours = list(PALETTE.values())
    for j in range(w.shape[1]):
        ax.plot(lam, w[:, j], color=colours[j % len(colours)], label=f"$w_{{{j + 1}}}$")
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
    _check_mapping(estimates, "estimates", "values")
    ax = _axes(ax)
    colours = [PALETTE["blue"], PALETTE["vermillion"], PALETTE["green"], PALETTE["purple"]]
    markers = ["o", "s", "^", "D"]
    for i, (label, values) in enumerate(estimates.items()):
        v = as_float_array(values, f"estimates[{label!r}]", ndim=1)
        if v.size != n.size:
            raise ValueError(f"`estimates[{label!r}]` must have {n.size} values; got {v.size}.")
        ax.plot(n, v, marker=markers[i % 4], color=colours[i % 4], label=label)
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
    _check_mapping(fits, "fits", "curve values")
    ax = _axes(ax)
    if truth is not None:
        ax.plot(
            g,
            as_float_array(truth, "truth", ndim=1),
            color=PALETTE["black"],
            ls=":",
            label="true function",
        )
    colours = _SERIES_COLOURS
    styles = ["-", "--", "-.", ":"]
    for i, (label, values) in enumerate(fits.items()):
        curve = as_float_array(values, f"fits[{label!r}]", ndim=1)
        if curve.size != g.size:
            raise ValueError(f"`fits[{label!r}]` must have {g.size} values; got {curve.size}.")
        ax.plot(g, curve, color=colours[i % 4], ls=styles[i % 4], lw=2, label=label)
    ax.plot(xa, ya, "o", color=PALETTE["black"], ms=5, label="training data")
    span = ya.max() - ya.min()
    ax.set_ylim(ya.min() - 0.6 * span - 0.1, ya.max() + 0.6 * span + 0.1)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.legend(fontsize="small")
    return ax


def plot_gmm_state(
    x: Sequence[float],
    means: Sequence[float],
    variances: Sequence[float],
    weights: Sequence[float],
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
    means, variances, weights : sequence of float
        Mixture parameters, one entry per component.
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
    >>> ax = plot_gmm_state([-1.0, -0.8, 1.1, 1.3], [-1, 1], [0.1, 0.1], [0.5, 0.5])
    """
    xa = as_float_array(x, "x", ndim=1)
    mu = as_float_array(means, "means", ndim=1)
    var = as_float_array(variances, "variances", ndim=1)
    w = as_float_array(weights, "weights", ndim=1)
    if np.any(var <= 0):
        raise ValueError("`variances` must be > 0.")
    if not (mu.size == var.size == w.size):
        raise ValueError("`means`, `variances` and `weights` must have the same length.")
    ax = _axes(ax)
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
    colours = [
        PALETTE["vermillion"],
        PALETTE["blue"],
        PALETTE["green"],
        PALETTE["purple"],
        PALETTE["orange"],
    ]
    total = np.zeros_like(grid)
    for j in range(mu.size):
        comp = w[j] * stats.norm.pdf(grid, mu[j], np.sqrt(var[j]))
        total += comp
        ax.plot(
            grid,
            comp,
            color=colours[j % 5],
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
    _check_mapping(histories, "histories", "values")
    ax = _axes(ax)
    colours = list(PALETTE.values())
    for i, (label, values) in enumerate(histories.items()):
        v = as_float_array(values, f"histories[{label!r}]", ndim=1)
        xs = np.arange(v.size) if steps is None else as_float_array(steps, "steps", ndim=1)
        if xs.size != v.size:
            raise ValueError(f"`steps` must have {v.size} values; got {xs.size}.")
        ax.plot(xs, v, marker="o", ms=3, color=colours[i % len(colours)], label=label)
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
    ax = _axes(ax)
    pos = np.arange(t.size)
    ax.plot(pos, y, color=PALETTE["sky"], lw=1, label="one observation (shifted, noisy)")
    ax.plot(pos, t, color=PALETTE["black"], lw=2.5, label="true template")
    ax.plot(pos, e, color=PALETTE["vermillion"], lw=2, ls="--", label="EM estimate")
    ax.set_xlabel("sample index")
    ax.set_ylabel("signal")
    ax.legend(fontsize="small")
    return ax


def plot_elbo_surface(
    q_means: Sequence[float],
    q_stds: Sequence[float],
    elbo: Sequence[Sequence[float]],
    post_mean: float,
    post_std: float,
    *,
    ax: Axes | None = None,
    log_evidence: float | None = None,
) -> Axes:
    """Draw filled contours of the ELBO over a grid of Gaussian q, marking the exact posterior.

    Parameters
    ----------
    q_means, q_stds : sequence of float
        Grid axes (x: q mean, y: q std).
    elbo : array_like of shape (len(q_stds), len(q_means))
        ELBO at each grid point.
    post_mean, post_std : float
        The exact posterior, where the ELBO peaks.
    ax : matplotlib Axes, optional
        Where to draw.
    log_evidence : float, optional
        If given, contours show the gap log p(x) - ELBO instead (= KL(q || posterior)).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> m, s = np.linspace(-1, 1, 5), np.linspace(0.5, 2, 4)
    >>> ax = plot_elbo_surface(m, s, -(m[None] ** 2) - (s[:, None] - 1) ** 2, 0.0, 1.0)
    """
    qm = as_float_array(q_means, "q_means", ndim=1)
    qs = as_float_array(q_stds, "q_stds", ndim=1)
    z = as_float_array(elbo, "elbo", ndim=2)
    if z.shape != (qs.size, qm.size):
        raise ValueError(
            f"`elbo` must have shape (len(q_stds), len(q_means)) = {(qs.size, qm.size)}; "
            f"got {z.shape}."
        )
    ax = _axes(ax)
    if log_evidence is None:
        cs = ax.contourf(qm, qs, z, levels=20, cmap="viridis")
        label = "ELBO"
    else:
        gap = as_scalar(log_evidence, "log_evidence") - z
        cs = ax.contourf(qm, qs, np.log10(np.maximum(gap, 1e-12)), levels=20, cmap="viridis")
        label = r"$\log_{10}$ gap = KL(q $\|$ posterior)"
    ax.figure.colorbar(cs, ax=ax, label=label)
    ax.plot(
        [as_scalar(post_mean, "post_mean")],
        [as_scalar(post_std, "post_std")],
        marker="*",
        ms=16,
        color=PALETTE["vermillion"],
        mec="white",
        ls="none",
        label="exact posterior",
    )
    ax.set_xlabel("q mean")
    ax.set_ylabel("q standard deviation")
    ax.legend(loc="upper right")
    return ax


def plot_q_vs_posterior(
    post_mean: float,
    post_std: float,
    q_mean: float,
    q_std: float,
    *,
    log_evidence: float,
    elbo: float,
    ax: Axes | None = None,
    xlim: tuple[float, float] | None = None,
) -> Axes:
    """Plot the exact posterior and a Gaussian q, with log p(x), the ELBO and their gap.

    Parameters
    ----------
    post_mean, post_std : float
        Exact Gaussian posterior.
    q_mean, q_std : float
        The approximation q.
    log_evidence, elbo : float
        Shown in the legend together with the gap log p(x) - ELBO.
    ax : matplotlib Axes, optional
        Where to draw.
    xlim : (float, float), optional
        x-range (default: 4.5 posterior stds either side of the posterior mean).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_q_vs_posterior(0.0, 1.0, 0.5, 0.8, log_evidence=-3.0, elbo=-3.2)
    """
    pm, ps = as_scalar(post_mean, "post_mean"), as_scalar(post_std, "post_std")
    qm, qs = as_scalar(q_mean, "q_mean"), as_scalar(q_std, "q_std")
    if ps <= 0 or qs <= 0:
        raise ValueError("`post_std` and `q_std` must be > 0.")
    le, el = as_scalar(log_evidence, "log_evidence"), as_scalar(elbo, "elbo")
    ax = _axes(ax)
    lo, hi = xlim if xlim is not None else (pm - 4.5 * ps, pm + 4.5 * ps)
    grid = np.linspace(lo, hi, 500)
    ax.plot(
        grid,
        stats.norm.pdf(grid, pm, ps),
        color=PALETTE["black"],
        lw=2,
        label=r"exact posterior $p(\mu \mid x)$",
    )
    ax.fill_between(
        grid,
        stats.norm.pdf(grid, qm, qs),
        color=PALETTE["vermillion"],
        alpha=0.35,
        label=rf"$q = N({qm:.2f}, {qs:.2f}^2)$",
    )
    ax.plot([], [], " ", label=rf"$\log p(x)$ = {le:.3f}")
    ax.plot([], [], " ", label=f"ELBO = {el:.3f}")
    ax.plot([], [], " ", label=rf"gap = KL = {le - el:.3f}")
    ax.set_xlim(lo, hi)
    ax.set_xlabel(r"$\mu$")
    ax.set_ylabel("density")
    ax.legend(fontsize="small", loc="upper right")
    return ax


def plot_vi_vs_grid(
    w1: Sequence[float],
    w2: Sequence[float],
    posterior: Sequence[Sequence[float]],
    q_mean: Sequence[float],
    q_std: Sequence[float],
    *,
    ax: Axes | None = None,
) -> Axes:
    """Contours of a 2-D posterior computed on a grid, with a Gaussian q's 1- and 2-sigma ellipses.

    Parameters
    ----------
    w1, w2 : sequence of float
        Grid axes.
    posterior : array_like of shape (len(w2), len(w1))
        Posterior density on the grid.
    q_mean, q_std : sequence of float
        Mean and per-coordinate stds of the (mean-field) q.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> g = np.linspace(-3, 3, 31)
    >>> dens = np.exp(-0.5 * (g[None] ** 2 + g[:, None] ** 2))
    >>> ax = plot_vi_vs_grid(g, g, dens, [0, 0], [1, 1])
    """
    a, b = as_float_array(w1, "w1", ndim=1), as_float_array(w2, "w2", ndim=1)
    dens = as_float_array(posterior, "posterior", ndim=2)
    if dens.shape != (b.size, a.size):
        raise ValueError(f"`posterior` must have shape {(b.size, a.size)}; got {dens.shape}.")
    m = as_float_array(q_mean, "q_mean", ndim=1)
    s = as_float_array(q_std, "q_std", ndim=1)
    if m.size != 2 or s.size != 2:
        raise ValueError("`q_mean` and `q_std` must have 2 entries.")
    ax = _axes(ax)
    ax.contour(a, b, dens, levels=8, colors=PALETTE["blue"], linewidths=1)
    ax.plot([], [], color=PALETTE["blue"], label="exact posterior (grid)")
    t = np.linspace(0, 2 * np.pi, 200)
    for k, ls in [(1, "-"), (2, "--")]:
        ax.plot(
            m[0] + k * s[0] * np.cos(t),
            m[1] + k * s[1] * np.sin(t),
            color=PALETTE["vermillion"],
            ls=ls,
            lw=2,
            label=f"VI q, {k}-sigma",
        )
    ax.plot([m[0]], [m[1]], "x", color=PALETTE["vermillion"], ms=10, label="VI mean")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.legend(fontsize="small")
    return ax


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
    _check_mapping(fits, "fits", "(mean, std)")
    ax = _axes(ax)
    lo, hi = xlim if xlim is not None else (np.min(m - 4 * s), np.max(m + 4 * s))
    grid = np.linspace(lo, hi, 600)
    ax.fill_between(
        grid,
        np.exp(mixture_logpdf(grid, weights, m, s)),
        color=PALETTE["sky"],
        alpha=0.5,
        label="p (mixture)",
    )
    colours = _SERIES_COLOURS
    styles = ["-", "--", "-.", ":"]
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
            color=colours[i % 4],
            ls=styles[i % 4],
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
    _check_mapping(curves, "curves", "values")
    ax = _axes(ax)
    colours = _SERIES_COLOURS
    for i, (label, values) in enumerate(curves.items()):
        v = as_float_array(values, f"curves[{label!r}]", ndim=1)
        if v.size != g.size:
            raise ValueError(f"`curves[{label!r}]` must have {g.size} values; got {v.size}.")
        ax.plot(g, v, color=colours[i % 4], lw=2, label=label)
        inner = np.flatnonzero((v[1:-1] < v[:-2]) & (v[1:-1] <= v[2:])) + 1
        ax.plot(
            g[inner],
            v[inner],
            "o",
            color=colours[i % 4],
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
    _check_mapping(fits, "fits", "(std1, std2)")
    ax = _axes(ax)
    t = np.linspace(0, 2 * np.pi, 300)
    circle = np.vstack([np.cos(t), np.sin(t)])
    evals, evecs = np.linalg.eigh(c)
    pts = m[:, None] + 2 * evecs @ (np.sqrt(np.maximum(evals, 0))[:, None] * circle)
    ax.fill(pts[0], pts[1], color=PALETTE["sky"], alpha=0.5, label="p (2-sigma)")
    colours = _SERIES_COLOURS
    styles = ["-", "--", "-.", ":"]
    for i, (label, stds) in enumerate(fits.items()):
        sd = as_float_array(stds, f"fits[{label!r}]", ndim=1)
        if sd.size != 2:
            raise ValueError(f"`fits[{label!r}]` must have 2 standard deviations.")
        ax.plot(
            m[0] + 2 * sd[0] * circle[0],
            m[1] + 2 * sd[1] * circle[1],
            color=colours[i % 4],
            ls=styles[i % 4],
            lw=2,
            label=label,
        )
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    ax.legend(fontsize="small", loc="upper left")
    return ax
