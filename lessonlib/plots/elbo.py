"""Figures of Chapter 4: the ELBO over q, q against the posterior, VI against a grid."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from scipy import stats

from lessonlib._validation import (
    as_float_array,
    as_scalar,
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
    if z.shape != (qs.size, qm.size):
        raise ValueError(
            f"`elbo` must have shape (len(q_stds), len(q_means)) = {(qs.size, qm.size)}; "
            f"got {z.shape}."
        )
    ax = get_axes(ax)
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
    if ps <= 0 or qs <= 0:
        raise ValueError("`post_std` and `q_std` must be > 0.")
    le, el = as_scalar(log_evidence, "log_evidence"), as_scalar(elbo, "elbo")
    ax = get_axes(ax)
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
    if dens.shape != (b.size, a.size):
        raise ValueError(f"`posterior` must have shape {(b.size, a.size)}; got {dens.shape}.")
    m = as_float_array(q_mean, "q_mean", ndim=1)
    s = as_float_array(q_std, "q_std", ndim=1)
    if m.size != 2 or s.size != 2:
        raise ValueError("`q_mean` and `q_std` must have 2 entries.")
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
    if not (k.size == b.size == se.size):
        raise ValueError(
            "`n_particles`, `bounds` and `std_errors` must have the same length; got "
            f"{k.size}, {b.size} and {se.size}."
        )
    if np.any(k < 1) or np.any(se < 0):
        raise ValueError("`n_particles` must be >= 1 and `std_errors` >= 0.")
    le = as_scalar(log_evidence, "log_evidence")
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
