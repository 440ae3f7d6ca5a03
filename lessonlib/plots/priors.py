"""Figures of Chapter 2: Beta posteriors, regularization paths, MAP versus MLE."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from scipy import stats

from lessonlib._validation import (
    as_float_array,
    as_nonnegative_scalar,
    as_positive_int,
    as_positive_scalar,
    as_scalar,
    as_text,
    check_allocation,
    check_choice,
    check_drawable,
    check_length,
    check_representable,
    check_same_size,
    check_span,
    fail,
)
from lessonlib.plots._common import (
    SERIES_COLOURS,
    check_mapping,
    get_axes,
    series_colour,
    series_linestyle,
    series_marker,
)
from lessonlib.priors import (
    beta_binomial_map,
    beta_binomial_mean,
    beta_credible_interval,
    soft_threshold,
)
from lessonlib.style import PALETTE

__all__ = [
    "plot_beta_posterior",
    "plot_coefficient_paths",
    "plot_estimates_vs_n",
    "plot_curve_fits",
    "plot_shrinkage_rules",
    "plot_penalty_geometry",
    "plot_lambda_curve",
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
    a unique mode, and the posterior mean (which is also the predictive probability
    of heads on the next flip) always; the 95 % equal-tailed credible interval is
    shaded under the posterior.

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
    n_grid = as_positive_int(n_grid, "n_grid", minimum=3)
    check_allocation((n_grid + 2,), "n_grid", "a grid")
    ax = get_axes(ax)
    theta = np.linspace(0.0, 1.0, n_grid + 2)[1:-1]
    prior = stats.beta.pdf(theta, a, b)
    post = stats.beta.pdf(theta, h + a, t + b)
    ax.plot(theta, prior, color=PALETTE["sky"], ls="--", label=f"prior Beta({a:g}, {b:g})")
    top = max(np.max(post), np.max(prior))
    if h + t > 0:
        lik = stats.beta.pdf(theta, h + 1, t + 1)  # likelihood, normalized over theta
        ax.plot(theta, lik, color=PALETTE["orange"], ls="-.", label=f"likelihood ({h}H, {t}T)")
        top = max(top, np.max(lik))
        ax.axvline(h / (h + t), color=PALETTE["orange"], lw=1.5, label=f"MLE {h / (h + t):.3f}")
    ax.plot(
        theta, post, color=PALETTE["blue"], lw=2.2, label=f"posterior Beta({h + a:g}, {t + b:g})"
    )
    try:
        mode = beta_binomial_map(h, t, a, b)
        ax.axvline(mode, color=PALETTE["vermillion"], ls="--", label=f"MAP (mode) {mode:.3f}")
    except ValueError:
        ax.plot([], [], " ", label="MAP: no unique mode")
    ax.axvline(
        mean,
        color=PALETTE["green"],
        ls=":",
        lw=2,
        label=f"posterior mean = P(next H) {mean:.3f}",
    )
    lo, hi = beta_credible_interval(h, t, a, b, 0.95)
    inside = (theta >= lo) & (theta <= hi)
    ax.fill_between(
        theta[inside],
        post[inside],
        color=PALETTE["blue"],
        alpha=0.15,
        label=f"95% credible [{lo:.2f}, {hi:.2f}]",
    )
    ax.set_ylim(0, min(top, 12.0) * 1.1)
    # A little room past 0 and 1, so an estimate at an end (the MLE after HHH) shows.
    ax.set_xlim(-0.02, 1.02)
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
        fail("strengths", "be > 0 (they are drawn on a log axis)", lam[lam <= 0][:3].tolist())
    check_drawable(lam, "strengths", "penalty strengths")
    w = as_float_array(coefs, "coefs", ndim=2)
    if w.shape[0] != lam.size:
        fail(
            ["coefs", "strengths"],
            f"fit together: one row per strength ({lam.size})",
            f"{w.shape[0]} rows",
        )
    check_drawable(w, "coefs", "coefficients")
    title, xlabel = as_text(title, "title"), as_text(xlabel, "xlabel")
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
    if np.any(n < 1):
        fail("n_values", "be sample sizes >= 1 (drawn on a log axis)", n[n < 1][:3].tolist())
    check_drawable(n, "n_values", "sample sizes")
    check_mapping(estimates, "estimates", "values")
    curves = {}
    for label, values in estimates.items():
        name = f"estimates[{label!r}]"
        curves[label] = check_drawable(
            check_length(
                as_float_array(values, name, ndim=1),
                name,
                n.size,
                "one per n",
                against=["n_values"],
            ),
            name,
            "estimates",
        )
    true_value = float(check_drawable(as_scalar(truth, "truth"), "truth", "a true value"))
    ax = get_axes(ax)
    for i, (label, v) in enumerate(curves.items()):
        ax.plot(n, v, marker=series_marker(i), color=series_colour(i), label=label)
    ax.axhline(true_value, color=PALETTE["black"], ls=":", label="true value")
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
    check_same_size({"x": xa, "y": ya}, "one y per x")
    for arr, name in [(xa, "x"), (g, "grid")]:
        check_drawable(arr, name, "x values")
    check_mapping(fits, "fits", "curve values")
    curves = {}
    for label, values in fits.items():
        name = f"fits[{label!r}]"
        curve = as_float_array(values, name, ndim=1)
        check_length(curve, name, g.size, "one per grid x", against=["grid"])
        curves[label] = check_drawable(curve, name, "curve values")
    if truth is not None:
        truth = check_length(as_float_array(truth, "truth", ndim=1), "truth", g.size, "on `grid`")
        check_drawable(truth, "truth", "curve values")
    # The y-range: the data's, widened by 60 % of its span on each side plus 0.1.
    with np.errstate(over="ignore", invalid="ignore"):
        span = ya.max() - ya.min()
        ylim = (ya.min() - 0.6 * span - 0.1, ya.max() + 0.6 * span + 0.1)
    ylim = check_span(*ylim, "y", "a y-range (the data's, widened by 60 % of its span)")
    ax = get_axes(ax)
    if truth is not None:
        ax.plot(g, truth, color=PALETTE["black"], ls=":", label="true function")
    for i, (label, curve) in enumerate(curves.items()):
        ax.plot(g, curve, color=series_colour(i), ls=series_linestyle(i), lw=2, label=label)
    ax.plot(xa, ya, "o", color=PALETTE["black"], ms=5, label="training data")
    ax.set_ylim(*ylim)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.legend(fontsize="small")
    return ax


def plot_shrinkage_rules(lam: float, *, ax: Axes | None = None, z_max: float = 3.0) -> Axes:
    """Plot the one-feature lasso (soft-threshold) and ridge (scaling) against least squares.

    For one standardized feature with least-squares weight z, the lasso with penalty
    ``lam |w|`` returns ``soft_threshold(z, lam)`` (exactly 0 on ``|z| <= lam``) and
    ridge with ``0.5 lam w^2`` returns ``z / (1 + lam)``.

    Parameters
    ----------
    lam : float
        Penalty lam >= 0 (the same number in both rules).
    ax : matplotlib Axes, optional
        Where to draw.
    z_max : float, default 3
        The horizontal axis runs over [-z_max, z_max].

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_shrinkage_rules(1.0)
    """
    lm = as_nonnegative_scalar(lam, "lam")
    zm = as_positive_scalar(z_max, "z_max")
    check_drawable(lm, "lam", "a threshold (it is drawn)")
    check_drawable(zm, "z_max", "a plotted range")
    ax = get_axes(ax)
    z = np.linspace(-zm, zm, 601)
    ax.plot(z, z, color=PALETTE["black"], ls=":", label="least squares $w = z$")
    ax.plot(z, z / (1 + lm), color=series_colour(0), lw=2, label=r"ridge $z / (1 + \lambda)$")
    ax.plot(
        z,
        soft_threshold(z, lm),
        color=series_colour(1),
        ls="--",
        lw=2,
        label="lasso: soft-threshold",
    )
    ax.axvspan(
        -lm, lm, color=PALETTE["orange"], alpha=0.12, label=r"$|z| \leq \lambda$: lasso gives 0"
    )
    ax.set_xlabel("least-squares weight $z$")
    ax.set_ylabel("penalized weight $w$")
    ax.legend(fontsize="small", loc="upper left")
    return ax


def _ball_boundary(kind: str, radius: float, n: int = 4001) -> np.ndarray:
    angle = np.linspace(0, 2 * np.pi, n)
    circle = np.column_stack([np.cos(angle), np.sin(angle)])
    if kind == "l2":
        return radius * circle
    return radius * circle / np.abs(circle).sum(axis=1, keepdims=True)


def plot_penalty_geometry(
    w_ls: Sequence[float],
    hessian: Sequence[Sequence[float]],
    radius: float,
    *,
    ax: Axes | None = None,
) -> Axes:
    """Draw the L1 and L2 balls of one radius with the loss contour that first touches each.

    The loss is the quadratic ``0.5 (w - w_ls)^T H (w - w_ls)``. The constrained
    minimizer over each ball is found on a fine grid of its boundary (``w_ls`` must
    lie outside both balls), and the loss contour through it is drawn. The L1
    ball's corners sit on the axes, so its touching point often has a zero
    coordinate; the round L2 ball's rarely does.

    Parameters
    ----------
    w_ls : sequence of 2 float
        The unconstrained minimizer (least-squares weights).
    hessian : array_like of shape (2, 2)
        Symmetric positive-definite curvature of the loss.
    radius : float
        Radius of both balls, > 0.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
        With ``ax.constrained_minimizers`` set to ``{"l1": w, "l2": w}``.

    Examples
    --------
    >>> ax = plot_penalty_geometry([2.0, 0.8], [[1.0, 0.3], [0.3, 0.6]], 1.0)
    >>> bool(ax.constrained_minimizers["l1"][1] == 0.0)
    True
    """
    c = check_length(as_float_array(w_ls, "w_ls", ndim=1), "w_ls", 2, "a point in the plane")
    check_drawable(c, "w_ls", "a point")
    H = as_float_array(hessian, "hessian", ndim=2)
    if H.shape != (2, 2) or not np.allclose(H, H.T) or np.any(np.linalg.eigvalsh(H) <= 0):
        fail("hessian", "be a symmetric positive-definite 2 x 2 matrix", _short(H))
    r = as_positive_scalar(radius, "radius")
    check_drawable(r, "radius", "a radius")
    if np.abs(c).sum() <= r or np.linalg.norm(c) <= r:
        fail(
            ["w_ls", "radius"], "put `w_ls` outside both balls", f"|w_ls|_1 = {np.abs(c).sum():.3g}"
        )
    span = 1.3 * max(np.abs(c).max(), r)
    g = np.linspace(-span, span, 301)
    W1, W2 = np.meshgrid(g, g)
    D = np.stack([W1 - c[0], W2 - c[1]], axis=-1)
    with np.errstate(over="ignore", invalid="ignore"):
        loss = 0.5 * np.einsum("...i,ij,...j->...", D, H, D)
    check_representable(loss, ["w_ls", "hessian", "radius"], "loss values over the drawn square")
    check_drawable(loss, ["w_ls", "hessian", "radius"], "loss contours")
    ax = get_axes(ax)
    found = {}
    for i, (kind, name) in enumerate([("l1", "L1 ball (lasso)"), ("l2", "L2 ball (ridge)")]):
        edge = _ball_boundary(kind, r)
        d = edge - c
        values = 0.5 * np.einsum("ni,ij,nj->n", d, H, d)  # within the square: finite
        best = edge[np.argmin(values)]
        if kind == "l1":  # snap the corner the grid lands on exactly onto the axis
            best = np.where(np.abs(best) < 1e-9 * r, 0.0, best)
        found[kind] = best
        colour = series_colour(i)
        ax.fill(edge[:, 0], edge[:, 1], color=colour, alpha=0.18, label=name)
        ax.contour(W1, W2, loss, levels=[values.min()], colors=[colour], linewidths=1.5)
        ax.plot(
            *best,
            "o",
            color=colour,
            ms=7,
            label=f"{kind.upper()} solution ({best[0]:.2f}, {best[1]:.2f})",
        )
    ax.plot(*c, "x", color=PALETTE["black"], ms=8, label="least squares")
    ax.axhline(0, color=PALETTE["black"], lw=0.6)
    ax.axvline(0, color=PALETTE["black"], lw=0.6)
    ax.set_aspect("equal")
    ax.set_xlim(-span, span)
    ax.set_ylim(-span, span)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.legend(fontsize="x-small", loc="lower left")
    ax.constrained_minimizers = found
    return ax


def _short(arr: np.ndarray) -> str:
    return np.array2string(arr, precision=3) if arr.size <= 6 else f"shape {arr.shape}"


def plot_lambda_curve(
    lams: Sequence[float],
    values: Sequence[float],
    *,
    best: str = "min",
    ax: Axes | None = None,
    label: str = "",
    ylabel: str = "",
) -> Axes:
    """Plot a model-selection score against the penalty lam (log axis) and mark its best lam.

    Parameters
    ----------
    lams : sequence of float
        Penalties, > 0.
    values : sequence of float
        The score at each lam (a cross-validation error, a log evidence).
    best : {"min", "max"}, default "min"
        Whether the best lam minimizes or maximizes the score.
    ax : matplotlib Axes, optional
        Where to draw.
    label, ylabel : str, optional
        Legend label of the curve and label of the y-axis.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_lambda_curve([0.1, 1, 10], [3.0, 1.0, 2.0])
    """
    lam = as_float_array(lams, "lams", ndim=1)
    if np.any(lam <= 0):
        fail("lams", "be > 0 (they are drawn on a log axis)", lam[lam <= 0][:3].tolist())
    check_drawable(lam, "lams", "penalties")
    v = as_float_array(values, "values", ndim=1)
    if v.size != lam.size:
        fail(["values", "lams"], f"fit together: one value per lam ({lam.size})", v.size)
    check_drawable(v, "values", "scores")
    choice = check_choice(best, "best", ["min", "max"])
    label, ylabel = as_text(label, "label"), as_text(ylabel, "ylabel")
    ax = get_axes(ax)
    i = int(np.argmin(v) if choice == "min" else np.argmax(v))
    ax.plot(lam, v, color=series_colour(0), marker=".", label=label or None)
    ax.axvline(
        lam[i], color=PALETTE["vermillion"], ls="--", label=rf"best $\lambda$ = {lam[i]:.3g}"
    )
    ax.set_xscale("log")
    ax.set_xlabel(r"penalty $\lambda$")
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.legend(fontsize="small")
    return ax
