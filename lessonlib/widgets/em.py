"""Chapter 3 lesson: EM on a 1-D Gaussian mixture, one half-step (E or M) at a time."""

from __future__ import annotations

import numpy as np
from scipy import stats

from lessonlib.em import em_half_steps, gmm_loglik
from lessonlib.plots.em import plot_gmm_state
from lessonlib.widgets._player import (
    PagePlayer,
    import_ipywidgets,
    on_static_page,
    page_player,
    show_figure,
)

__all__ = ["em_step_widget", "em_step_player"]

_BINS = 40


def _step_names(n_iter: int) -> list[str]:
    """Names of the frames: the start, then "t: E-step" and "t: M-step" per iteration."""
    names = ["start"]
    for t in range(1, n_iter + 1):
        names += [f"{t}: E-step", f"{t}: M-step"]
    return names


def _em_lesson(x, weights, means, stds, n_steps):
    """Run EM for `n_steps` iterations once; return a drawing function and the frame names.

    Frame 0 is the start; frame ``2t - 1`` is the E-step of iteration t (the old
    Gaussians, the points coloured by their new responsibilities) and frame ``2t``
    its M-step (the Gaussians moved to fit those colours). ``draw(ax, position)``
    draws frame ``position`` with the same x- and y-limits for every frame.
    """
    halves = em_half_steps(x, weights, means, stds, n_steps)
    xs = np.asarray(x, dtype=float)
    xlim = (float(xs.min()) - 1.0, float(xs.max()) + 1.0)
    start_ll = gmm_loglik(xs, weights, means, stds)
    start = (
        np.asarray(weights, dtype=float),
        np.asarray(means, dtype=float),
        np.asarray(stds, dtype=float),
    )
    frames = [(start, None, start_ll, None, "start", 0)]
    for i, (stage, it) in enumerate(zip(halves.stages, halves.iterations)):
        frames.append(
            (
                halves.params[i],
                halves.responsibilities[i],
                float(halves.loglik[i]),
                float(halves.bound[i]),
                f"{stage}-step",
                int(it),
            )
        )
    # One y-range for every frame: the tallest histogram bar or mixture peak, plus room
    # below zero for the row of responsibility-coloured points.
    counts, _ = np.histogram(xs, bins=_BINS, range=xlim, density=True)
    grid = np.linspace(*xlim, 400)
    peak = max(
        float(np.max(np.sum(w * stats.norm.pdf(grid[:, None], mu, sd), axis=1)))
        for (w, mu, sd), *_ in frames
    )
    top = 1.15 * max(peak, float(counts.max()))
    ylim = (-0.1 * top, top)
    names = _step_names(halves.stages.count("E"))

    def draw(ax, position):
        pos = min(max(int(position), 0), len(frames) - 1)
        (w, mu, sd), resp, ll, bound, stage, it = frames[pos]
        plot_gmm_state(
            xs, w, mu, sd, ax=ax, xlim=xlim, ylim=ylim, resp=resp, bins=_BINS, iteration=None
        )
        if bound is None:
            ax.set_title(f"start: log-likelihood {ll:.2f}")
        else:
            ax.set_title(f"iteration {it}, {stage}: log-likelihood {ll:.2f}, bound {bound:.2f}")

    return draw, names


def em_step_widget(x, weights, means, stds, *, n_steps: int = 30):
    """Live Chapter 3 lesson: step EM on a 1-D mixture, one E- or M-half-step per click.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data.
    weights, means, stds : array_like of shape (k,)
        Starting mixture (weights, means, standard deviations).
    n_steps : int, default 30
        EM iterations available (computed once, up front): 2 n_steps half-steps.

    Returns
    -------
    ipywidgets.VBox or PagePlayer
        In a kernel, a box whose ``box.controls`` has the ``"step"`` (one half-step)
        and ``"reset"`` buttons; ``box.position`` is the frame shown (0 the start,
        ``2t - 1`` the E-step and ``2t`` the M-step of iteration t) and
        ``box.redraw()`` redraws. When the book is built, the page player of
        :func:`em_step_player`.

    Examples
    --------
    >>> box = em_step_widget([-1.0, -1.2, 0.9, 1.1], [0.5, 0.5], [-0.5, 0.8], [1, 1])
    >>> box.controls["step"].click()
    >>> box.position
    1
    """
    if on_static_page():
        return em_step_player(x, weights, means, stds, n_steps=n_steps)
    widgets = import_ipywidgets()
    draw, names = _em_lesson(x, weights, means, stds, n_steps)
    step = widgets.Button(description="Step", tooltip="one half-step: an E-step or an M-step")
    reset = widgets.Button(description="Reset", tooltip="back to the starting parameters")
    out = widgets.Output()
    box = widgets.VBox([widgets.HBox([step, reset]), out])
    box.position = 0

    def redraw(*_: object) -> None:
        pos = box.position
        show_figure(out, lambda ax: draw(ax, pos), (6.4, 3.6), f"EM {names[pos]}")

    def on_step(_):
        box.position = min(box.position + 1, len(names) - 1)
        redraw()

    def on_reset(_):
        box.position = 0
        redraw()

    step.on_click(on_step)
    reset.on_click(on_reset)
    box.controls = {"step": step, "reset": reset}
    box.redraw = redraw
    redraw()
    return box


def em_step_player(x, weights, means, stds, *, n_steps: int = 12, dpi: int = 100) -> PagePlayer:
    """Kernel-free counterpart of :func:`em_step_widget`: a slider over EM half-steps.

    Parameters
    ----------
    x : array_like of shape (n,)
    weights, means, stds : array_like of shape (k,)
        Starting mixture (weights, means, standard deviations).
    n_steps : int, default 12
        EM iterations pre-rendered: frames = 2 n_steps + 1 (the start, then an E-step
        and an M-step per iteration).
    dpi : int, default 100
        Display pixels per inch (frames are rendered at twice this density).

    Returns
    -------
    PagePlayer

    Examples
    --------
    >>> player = em_step_player([-1.0, -1.2, 0.9, 1.1], [0.5, 0.5], [-0.5, 0.8], [1, 1],
    ...                         n_steps=2, dpi=20)
    >>> len(player.frames), player.controls["step"][:3]
    (5, ['start', '1: E-step', '1: M-step'])
    """
    draw, names = _em_lesson(x, weights, means, stds, n_steps)
    index = {name: i for i, name in enumerate(names)}
    return page_player(
        lambda ax, step: draw(ax, index[step]),
        {"step": names},
        alt=(
            "EM at {step}: histogram of the data with the weighted Gaussian components and "
            "the mixture density; after an E-step the points below the axis are coloured by "
            "their responsibilities, after an M-step the components have moved to fit them; "
            "the title gives the log-likelihood and the lower bound"
        ),
        title="EM, one half-step at a time: drag the step (arrow keys step)",
        labels={"step": "EM half-step"},
        figsize=(6.4, 3.6),
        dpi=dpi,
    )
