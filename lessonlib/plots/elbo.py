"""Figures of Chapter 4: the ELBO over q, q against the posterior, VI against a grid."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from scipy import stats

from lessonlib._validation import (
    as_float_array,
    as_limits,
    as_positive_array,
    as_scalar,
    as_scale,
    check_drawable,
    check_length,
    check_nonnegative_array,
    check_same_size,
    check_shape,
    check_span,
    fail,
)
from lessonlib.plots._common import (
    get_axes,
)
from lessonlib.style import PALETTE

__all__ = [
    "plot_elbo_surface",
    "plot_q_vs_posterior",
    "plot_vi_vs_grid",
    "plot_iwae_bounds",
]


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
    check_shape(
        z, "elbo", (qs.size, qm.size), "len(q_stds) x len(q_means)", against=["q_stds", "q_means"]
    )
    check_drawable(qm, "q_means", "grid values")
    check_drawable(qs, "q_stds", "grid values")
    check_drawable(z, "elbo", "contour values")
    pm = float(check_drawable(as_scalar(post_mean, "post_mean"), "post_mean", "a marker"))
    ps = float(check_drawable(as_scale(post_std, "post_std"), "post_std", "a marker"))
    if log_evidence is None:
        values, label = z, "ELBO"
    else:
        le = as_scalar(log_evidence, "log_evidence")
        with np.errstate(over="ignore", invalid="ignore"):
            gap = le - z
        check_drawable(gap, ["log_evidence", "elbo"], "a gap log p(x) - ELBO")
        values, label = np.log10(np.maximum(gap, 1e-12)), r"$\log_{10}$ gap = KL(q $\|$ posterior)"
    ax = get_axes(ax)
    cs = ax.contourf(qm, qs, values, levels=20, cmap="viridis")
    ax.figure.colorbar(cs, ax=ax, label=label)
    ax.plot(
        [pm],
        [ps],
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
    ylim: tuple[float, float] | None = None,
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
    ylim : (float, float), optional
        y-range (default: matplotlib's automatic limits). A player passes limits that
        hold for all its frames, so the axis does not rescale between them.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_q_vs_posterior(0.0, 1.0, 0.5, 0.8, log_evidence=-3.0, elbo=-3.2)
    """
    pm, ps = as_scalar(post_mean, "post_mean"), as_scalar(post_std, "post_std")
    qm, qs = as_scalar(q_mean, "q_mean"), as_scalar(q_std, "q_std")
    ps, qs = as_scale(ps, "post_std"), as_scale(qs, "q_std")
    le, el = as_scalar(log_evidence, "log_evidence"), as_scalar(elbo, "elbo")
    if xlim is None:  # 4.5 posterior standard deviations either side of the posterior mean
        with np.errstate(over="ignore", invalid="ignore"):
            lo, hi = pm - 4.5 * ps, pm + 4.5 * ps
        lo, hi = check_span(lo, hi, ["post_mean", "post_std"], "an x-range (mean +- 4.5 std)")
    else:
        lo, hi = as_limits(xlim, "xlim")
    if ylim is not None:
        ylim = as_limits(ylim, "ylim")
    # The densities peak at 1 / (sqrt(2 pi) std); the legend shows the gap log p(x) - ELBO.
    check_drawable(1 / (np.sqrt(2 * np.pi) * min(ps, qs)), ["post_std", "q_std"], "density peaks")
    check_drawable(qm, "q_mean", "a mean")
    with np.errstate(over="ignore", invalid="ignore"):
        gap = le - el
    check_drawable(gap, ["log_evidence", "elbo"], "a gap log p(x) - ELBO")
    grid = np.linspace(lo, hi, 500)
    with np.errstate(over="ignore", under="ignore"):  # far tails underflow to 0, as drawn
        post_pdf, q_pdf = stats.norm.pdf(grid, pm, ps), stats.norm.pdf(grid, qm, qs)
    ax = get_axes(ax)
    ax.plot(
        grid,
        post_pdf,
        color=PALETTE["black"],
        lw=2,
        label=r"exact posterior $p(\mu \mid x)$",
    )
    ax.fill_between(
        grid,
        q_pdf,
        color=PALETTE["vermillion"],
        alpha=0.35,
        label=rf"$q = N({qm:.2f}, {qs:.2f}^2)$",
    )
    ax.plot([], [], " ", label=rf"$\log p(x)$ = {le:.3f}")
    ax.plot([], [], " ", label=f"ELBO = {el:.3f}")
    ax.plot([], [], " ", label=rf"gap = KL = {gap:.3f}")
    ax.set_xlim(lo, hi)
    if ylim is not None:
        ax.set_ylim(*ylim)
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
    check_shape(dens, "posterior", (b.size, a.size), "len(w2) x len(w1)", against=["w2", "w1"])
    check_nonnegative_array(dens, "posterior")
    if not dens.max() > 0:
        fail("posterior", "have some positive density", "all zeros")
    check_drawable(a, "w1", "grid values")
    check_drawable(b, "w2", "grid values")
    check_drawable(dens, "posterior", "densities")
    m = check_length(as_float_array(q_mean, "q_mean", ndim=1), "q_mean", 2, "(w1, w2)")
    s = check_length(as_positive_array(q_std, "q_std", ndim=1), "q_std", 2, "(w1, w2)")
    # The 2-sigma ellipse and the axis limits reach 2.2 stds beyond the mean.
    with np.errstate(over="ignore", invalid="ignore"):
        reach = np.concatenate([m - 2.2 * s, m + 2.2 * s])
    check_drawable(reach, ["q_mean", "q_std"], "an ellipse (mean +- 2.2 std)")
    ax = get_axes(ax)
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
    # Zoom to where the posterior has mass (density above 1e-3 of its peak) and to q's
    # 2-sigma ellipse, so the picture fills the axes.
    rows, cols = np.nonzero(dens >= 1e-3 * dens.max())
    x_lo = min(a[cols].min(), m[0] - 2.2 * s[0])
    x_hi = max(a[cols].max(), m[0] + 2.2 * s[0])
    y_lo = min(b[rows].min(), m[1] - 2.2 * s[1])
    y_hi = max(b[rows].max(), m[1] + 2.2 * s[1])
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi + 0.35 * (y_hi - y_lo))  # headroom for the legend
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.legend(fontsize="small", loc="upper center", ncols=2, frameon=False)
    return ax


def plot_iwae_bounds(
    n_particles: Sequence[int],
    bounds: Sequence[float],
    std_errors: Sequence[float],
    log_evidence: float,
    *,
    ax: Axes | None = None,
) -> Axes:
    """Plot importance-weighted bounds against the number of particles K, with log p(x).

    Parameters
    ----------
    n_particles : sequence of int
        The K values (x-axis, log scale).
    bounds, std_errors : sequence of float
        Estimated L_K and its standard error at each K (drawn as 2-standard-error bars).
    log_evidence : float
        The exact log p(x), drawn as a horizontal line.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_iwae_bounds([1, 10, 100], [-5.0, -4.6, -4.52], [0.02, 0.01, 0.005], -4.5)
    """
    k = as_float_array(n_particles, "n_particles", ndim=1)
    b = as_float_array(bounds, "bounds", ndim=1)
    se = as_float_array(std_errors, "std_errors", ndim=1)
    check_same_size({"n_particles": k, "bounds": b, "std_errors": se}, "one per K")
    if np.any(k < 1):
        fail("n_particles", "be >= 1 (drawn on a log axis)", k[k < 1][:3].tolist())
    check_nonnegative_array(se, "std_errors")
    check_drawable(k, "n_particles", "K values")
    le = float(check_drawable(as_scalar(log_evidence, "log_evidence"), "log_evidence", "a line"))
    with np.errstate(over="ignore", invalid="ignore"):  # the error bars reach 2 std errors
        reach = np.concatenate([b - 2 * se, b + 2 * se])
    check_drawable(reach, ["bounds", "std_errors"], "error bars (bound +- 2 std errors)")
    ax = get_axes(ax)
    ax.axhline(le, color=PALETTE["black"], lw=1.5, label=r"exact $\log p(x)$")
    ax.errorbar(
        k,
        b,
        yerr=2 * se,
        color=PALETTE["vermillion"],
        marker="o",
        capsize=3,
        label=r"$\mathcal{L}_K$ ($\pm$ 2 standard errors)",
    )
    ax.set_xscale("log")
    ax.set_xlabel("K (importance samples)")
    ax.set_ylabel("bound (nats)")
    ax.legend(fontsize="small", loc="lower right")
    return ax
