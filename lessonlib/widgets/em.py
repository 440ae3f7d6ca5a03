"""Chapter 3 lesson: EM on a 1-D Gaussian mixture, one step at a time."""

from __future__ import annotations

from lessonlib.em import fit_gmm_1d
from lessonlib.plots.em import plot_gmm_state
from lessonlib.widgets._player import (
    PagePlayer,
    import_ipywidgets,
    on_static_page,
    page_player,
    show_figure,
)

__all__ = ["em_step_widget", "em_step_player"]


def _em_lesson(x, weights, means, stds, n_steps):
    """Run EM for `n_steps` iterations once; return a drawing function and the last iteration.

    ``draw(ax, iteration)`` shows the parameters after that many EM iterations on
    a fixed x-range, so frames line up.
    """
    fit = fit_gmm_1d(x, weights, means, stds, max_iter=n_steps, tol=0)  # exactly n_steps
    xs = [float(v) for v in x]
    xlim = (min(xs) - 1.0, max(xs) + 1.0)

    def draw(ax, iteration):
        it = min(iteration, fit.n_iter)
        w, mu, sd = fit.param_history[it]
        title_loglik = fit.loglik_history[it]
        plot_gmm_state(xs, w, mu, sd, ax=ax, iteration=it, loglik=title_loglik, xlim=xlim)

    return draw, fit.n_iter


def em_step_widget(x, weights, means, stds, *, n_steps: int = 30):
    """Live Chapter 3 lesson: step EM on a 1-D mixture with "Step" and "Reset" buttons.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data.
    weights, means, stds : array_like of shape (k,)
        Starting mixture (weights, means, standard deviations).
    n_steps : int, default 30
        Iterations available (computed once, up front).

    Returns
    -------
    ipywidgets.VBox
        ``box.controls`` has the ``"step"`` and ``"reset"`` buttons and
        ``box.redraw()`` redraws; ``box.iteration`` is the iteration shown.

    Examples
    --------
    >>> box = em_step_widget([-1.0, -1.2, 0.9, 1.1], [0.5, 0.5], [-0.5, 0.8], [1, 1])
    >>> box.controls["step"].click()
    >>> box.iteration
    1
    """
    if on_static_page():
        return em_step_player(x, weights, means, stds, n_steps=n_steps)
    widgets = import_ipywidgets()
    draw, last = _em_lesson(x, weights, means, stds, n_steps)
    step = widgets.Button(description="Step", tooltip="one E-step and one M-step")
    reset = widgets.Button(description="Reset", tooltip="back to the starting parameters")
    out = widgets.Output()
    box = widgets.VBox([widgets.HBox([step, reset]), out])
    box.iteration = 0

    def redraw(*_: object) -> None:
        it = box.iteration
        show_figure(out, lambda ax: draw(ax, it), (6.4, 3.6), f"EM iteration {it}")

    def on_step(_):
        box.iteration = min(box.iteration + 1, last)
        redraw()

    def on_reset(_):
        box.iteration = 0
        redraw()

    step.on_click(on_step)
    reset.on_click(on_reset)
    box.controls = {"step": step, "reset": reset}
    box.redraw = redraw
    redraw()
    return box


def em_step_player(x, weights, means, stds, *, n_steps: int = 20, dpi: int = 100) -> PagePlayer:
    """Kernel-free counterpart of :func:`em_step_widget`: a slider over EM iterations.

    Parameters
    ----------
    x : array_like of shape (n,)
    weights, means, stds : array_like of shape (k,)
        Starting mixture (weights, means, standard deviations).
    n_steps : int, default 20
        Number of iterations pre-rendered (frames = n_steps + 1).
    dpi : int, default 100
        Display pixels per inch (frames are rendered at twice this density).

    Returns
    -------
    PagePlayer

    Examples
    --------
    >>> player = em_step_player([-1.0, -1.2, 0.9, 1.1], [0.5, 0.5], [-0.5, 0.8], [1, 1],
    ...                         n_steps=2, dpi=20)
    >>> len(player.frames)
    3
    """
    draw, last = _em_lesson(x, weights, means, stds, n_steps)
    return page_player(
        draw,
        {"iteration": list(range(last + 1))},
        alt=(
            "EM iteration {iteration}: histogram of the data with the two weighted Gaussian "
            "components and the mixture density; the title gives the log-likelihood"
        ),
        title="EM, one step at a time: drag the iteration (arrow keys step)",
        labels={"iteration": "EM iteration"},
        figsize=(6.4, 3.6),
        dpi=dpi,
    )
