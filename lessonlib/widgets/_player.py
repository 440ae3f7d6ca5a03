"""Interactive lessons: live ipywidgets controls and their kernel-free page players.

Every interactive lesson exists twice. In JupyterLab, :func:`interactive_figure`
wires ipywidgets sliders to a drawing function that re-runs in the kernel. On the
published web page there is no kernel, so :func:`page_player` renders the same
drawing function once per combination of control values ahead of time and ships
the frames with a few lines of inline JavaScript: moving a slider swaps the
frame, so every control on the page changes what is shown.

ipywidgets is imported lazily, so the rest of lessonlib works without it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lessonlib.elbo import normal_mean_elbo, normal_mean_log_evidence, normal_mean_posterior
from lessonlib.em import fit_gmm_1d
from lessonlib.kl import fit_normal_to_mixture, kl_mixture_normal
from lessonlib.plots import (
    plot_beta_posterior,
    plot_gmm_state,
    plot_kl_fits,
    plot_mle_sampling_experiment,
    plot_q_vs_posterior,
)

__all__ = [
    "PagePlayer",
    "page_player",
    "interactive_figure",
    "mle_sampling_widget",
    "mle_sampling_player",
    "beta_posterior_widget",
    "beta_posterior_player",
    "em_step_widget",
    "em_step_player",
    "elbo_widget",
    "elbo_player",
    "kl_fits_widget",
    "kl_fits_player",
]

DrawFunction = Callable[..., Any]


def _import_ipywidgets():
    try:
        import ipywidgets
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "The live controls need ipywidgets: pip install ipywidgets (it is in requirements.txt)."
        ) from exc
    return ipywidgets


def _nearest(values: Sequence, target: float):
    """Return the entry of `values` closest to `target` (a player's starting position)."""
    return min(values, key=lambda v: abs(v - target))


def _check_controls(controls: object) -> dict[str, list]:
    if not isinstance(controls, Mapping) or not controls:
        raise TypeError(
            "`controls` must be a non-empty mapping of parameter name -> sequence of values."
        )
    out: dict[str, list] = {}
    for name, values in controls.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"`controls` keys must be Python identifiers; got {name!r}.")
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
            raise TypeError(f"`controls[{name!r}]` must be a sequence of values; got {values!r}.")
        if len(values) < 2:
            raise ValueError(
                f"`controls[{name!r}]` must offer at least 2 values (a control with one "
                f"position would not respond); got {len(values)}."
            )
        out[name] = list(values)
    return out


def _png_bytes(fig, dpi: int, palette_colors: int | None) -> str:
    buf = io.BytesIO()
    # metadata={"Software": None} keeps the PNG bytes identical between runs.
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    data = buf.getvalue()
    if palette_colors:
        # Line art needs few colours: an adaptive palette makes each frame about four
        # times smaller, which is what keeps pages with hundreds of frames light.
        from PIL import Image

        image = Image.open(io.BytesIO(data)).convert("RGB")
        image = image.quantize(colors=palette_colors, method=Image.Quantize.MEDIANCUT)
        buf = io.BytesIO()
        image.save(buf, format="png", optimize=True)
        data = buf.getvalue()
    return base64.b64encode(data).decode("ascii")


def _render_frames(
    draw: DrawFunction,
    settings: list[dict],
    figsize: tuple[float, float],
    dpi: int,
    *,
    palette_colors: int | None = None,
) -> list[str]:
    """Draw each setting on one reused figure (creating a figure per frame is slow)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize)
    frames = []
    try:
        for i, values in enumerate(settings):
            if i:
                ax.cla()  # keeps the margins fixed by the first frame: frames do not jump
            draw(ax=ax, **values)
            if not i:
                fig.tight_layout()
            frames.append(_png_bytes(fig, dpi, palette_colors))
    finally:
        plt.close(fig)
    return frames


def _show_figure(out, draw_on: DrawFunction, figsize: tuple[float, float], text: str) -> None:
    """Render ``draw_on(ax)`` and make it the only output of an ipywidgets Output.

    Setting ``out.outputs`` directly (rather than capturing display() inside
    ``with out:``) works with or without a running kernel, so the tests exercise
    the same code path as JupyterLab.
    """
    (png,) = _render_frames(draw_on, [{}], figsize, dpi=100)
    out.outputs = (
        {
            "output_type": "display_data",
            "data": {"image/png": png, "text/plain": text},
            "metadata": {},
        },
    )


_PLAYER_JS = """
(function () {
  var root = document.getElementById("%(pid)s");
  var data = JSON.parse(root.querySelector("script.lessonlib-player-data").textContent);
  var img = root.querySelector("img");
  var sliders = root.querySelectorAll("input[type=range]");
  function update() {
    var key = [];
    sliders.forEach(function (s) {
      key.push(s.value);
      var out = root.querySelector("output[data-for='" + s.dataset.control + "']");
      out.textContent = data.labels[s.dataset.control][Number(s.value)];
    });
    key = key.join(",");
    img.src = "data:image/png;base64," + data.frames[key];
    img.alt = data.alts[key];
    root.dataset.frame = key;
  }
  sliders.forEach(function (s) { s.addEventListener("input", update); });
  update();
})();
"""


@dataclass(frozen=True)
class PagePlayer:
    """Pre-rendered frames of a figure over a grid of control values.

    Displaying it in a notebook (or on the built web page) shows one slider
    per control; moving a slider swaps in the frame for the new values, with no
    kernel and no network.

    Attributes
    ----------
    controls : dict of str to list
        The values each slider steps through.
    frames : dict of str to str
        Base64 PNG for each combination, keyed by comma-joined slider positions.
    alts : dict of str to str
        Alt text for each frame.
    initial : dict of str to int
        Starting slider positions.
    """

    controls: dict
    frames: dict
    alts: dict
    initial: dict
    title: str

    @property
    def player_id(self) -> str:
        """A stable HTML id derived from the content, so rebuilds are byte-identical."""
        digest = hashlib.sha1(json.dumps(self.frames, sort_keys=True).encode()).hexdigest()
        return "lessonlib-player-" + digest[:12]

    def _repr_html_(self) -> str:
        pid = self.player_id
        labels = {k: [str(v) for v in vals] for k, vals in self.controls.items()}
        payload = json.dumps({"frames": self.frames, "alts": self.alts, "labels": labels})
        first = ",".join(str(self.initial[k]) for k in self.controls)
        rows = []
        for name, vals in self.controls.items():
            start = self.initial[name]
            rows.append(
                f'<label style="display:block;margin:0.2em 0">'
                f"<code>{html.escape(name)}</code> = "
                f'<output data-for="{html.escape(name)}">{html.escape(str(vals[start]))}</output>'
                f'<input type="range" min="0" max="{len(vals) - 1}" step="1" value="{start}" '
                f'data-control="{html.escape(name)}" aria-label="{html.escape(name)}" '
                f'style="width:60%;vertical-align:middle;margin-left:1em"></label>'
            )
        return (
            f'<div class="lessonlib-player" id="{pid}" data-frame="{first}">'
            f'<p style="margin:0"><strong>{html.escape(self.title)}</strong></p>'
            f'<img src="data:image/png;base64,{self.frames[first]}" '
            f'alt="{html.escape(self.alts[first])}" style="max-width:100%">'
            + "".join(rows)
            # "</" cannot appear inside JSON produced from base64 and our labels,
            # but escape it anyway so the data block can never close the script tag.
            + '<script type="application/json" class="lessonlib-player-data">'
            + payload.replace("</", "<\\/")
            + "</script><script>"
            + _PLAYER_JS % {"pid": pid}
            + "</script></div>"
        )


def page_player(
    draw: DrawFunction,
    controls: Mapping[str, Sequence],
    *,
    alt: str,
    title: str = "Move the sliders",
    initial: Mapping[str, Any] | None = None,
    figsize: tuple[float, float] = (6.0, 3.4),
    dpi: int = 72,
) -> PagePlayer:
    """Pre-render `draw` over every combination of control values for the web page.

    Parameters
    ----------
    draw : callable
        ``draw(ax=ax, **values)`` draws one frame on the given Axes.
    controls : mapping of str to sequence
        Parameter name -> the values its slider steps through (at least two).
        Keep the product of the lengths small: every combination is one PNG.
    alt : str
        Alt-text template, formatted with the frame's values, e.g.
        ``"Histogram of MLEs for n = {n_flips}"``.
    title : str, optional
        Line shown above the figure.
    initial : mapping, optional
        Starting value for some controls (default: the first value).
    figsize : (float, float), default (6.0, 3.4)
        Figure size in inches.
    dpi : int, default 72
        Resolution of the frames; with figsize this sets the page weight.

    Returns
    -------
    PagePlayer
        Displays as self-contained HTML.

    Examples
    --------
    >>> def draw(ax, slope):
    ...     ax.plot([0, 1], [0, slope])
    >>> player = page_player(draw, {"slope": [1, 2]}, alt="A line of slope {slope}")
    >>> len(player.frames)
    2
    """
    if not callable(draw):
        raise TypeError(f"`draw` must be callable; got {type(draw).__name__}.")
    ctrl = _check_controls(controls)
    start = {name: 0 for name in ctrl}
    for name, value in (initial or {}).items():
        if name not in ctrl or value not in ctrl[name]:
            raise ValueError(
                f"`initial[{name!r}]` must be one of the values of `controls[{name!r}]`; "
                f"got {value!r}."
            )
        start[name] = ctrl[name].index(value)
    keys, settings = [], []
    for idx in itertools.product(*(range(len(v)) for v in ctrl.values())):
        keys.append(",".join(map(str, idx)))
        settings.append({name: ctrl[name][i] for name, i in zip(ctrl, idx)})
    pngs = _render_frames(draw, settings, figsize, dpi, palette_colors=32)
    frames = dict(zip(keys, pngs))
    alts = {key: alt.format(**values) for key, values in zip(keys, settings)}
    return PagePlayer(ctrl, frames, alts, start, title)


def interactive_figure(
    draw: DrawFunction,
    controls: Mapping[str, Any],
    *,
    figsize: tuple[float, float] = (6.4, 3.6),
):
    """Wire ipywidgets controls to a drawing function, live in JupyterLab.

    Parameters
    ----------
    draw : callable
        ``draw(ax=ax, **values)`` draws the figure for the current values.
    controls : mapping of str to ipywidgets.ValueWidget
        Parameter name -> the widget that sets it.
    figsize : (float, float), optional
        Figure size in inches.

    Returns
    -------
    ipywidgets.VBox
        The controls above an Output area that is redrawn whenever a control
        changes. ``box.controls`` maps names to the control widgets and
        ``box.redraw()`` redraws on demand.

    Examples
    --------
    >>> import ipywidgets as w
    >>> def draw(ax, slope):
    ...     ax.plot([0, 1], [0, slope])
    >>> box = interactive_figure(draw, {"slope": w.FloatSlider(value=1.0, min=0, max=2)})
    >>> box.controls["slope"].value = 2.0
    """
    widgets = _import_ipywidgets()
    if not callable(draw):
        raise TypeError(f"`draw` must be callable; got {type(draw).__name__}.")
    if not isinstance(controls, Mapping) or not controls:
        raise TypeError("`controls` must be a non-empty mapping of name -> ipywidgets control.")
    out = widgets.Output()

    def redraw(*_: object) -> None:
        values = {name: ctrl.value for name, ctrl in controls.items()}
        _show_figure(out, lambda ax: draw(ax=ax, **values), figsize, f"Figure for {values}")

    for ctrl in controls.values():
        ctrl.observe(redraw, names="value")
    box = widgets.VBox([*controls.values(), out])
    box.controls = dict(controls)
    box.redraw = redraw
    redraw()
    return box


#: Sample sizes offered by the Chapter 1 sampling-distribution lesson.
MLE_SAMPLING_SIZES = (1, 3, 10, 30, 100, 300, 1000)
#: True heads probabilities offered by the Chapter 1 lesson.
MLE_SAMPLING_THETAS = (0.1, 0.3, 0.5, 0.7)


def _mle_sampling_draw(seed: int, n_repeats: int) -> DrawFunction:
    """Return the drawing function shared by the live widget and the page player."""

    def draw(ax, n_flips, theta):
        plot_mle_sampling_experiment(n_flips, theta, seed=seed, n_repeats=n_repeats, ax=ax)

    return draw


def mle_sampling_widget(*, seed: int = 0, n_repeats: int = 4000):
    """Live Chapter 1 lesson: the sampling distribution of the coin MLE (n, theta).

    Parameters
    ----------
    seed : int, default 0
        Seed of the simulation; the same (n, theta) always gives the same figure.
    n_repeats : int, default 4000
        Simulated experiments per figure.

    Returns
    -------
    ipywidgets.VBox

    Examples
    --------
    >>> box = mle_sampling_widget(n_repeats=100)
    >>> box.controls["n_flips"].value = 1000
    """
    widgets = _import_ipywidgets()
    controls = {
        "n_flips": widgets.SelectionSlider(
            options=list(MLE_SAMPLING_SIZES), value=10, description="n flips"
        ),
        "theta": widgets.FloatSlider(
            value=0.3, min=0.05, max=0.95, step=0.05, description="true θ"
        ),
    }

    return interactive_figure(_mle_sampling_draw(seed, n_repeats), controls)


def mle_sampling_player(*, seed: int = 0, n_repeats: int = 4000) -> PagePlayer:
    """Kernel-free counterpart of :func:`mle_sampling_widget` for the web page.

    Parameters
    ----------
    seed : int, default 0
        Seed of the simulation.
    n_repeats : int, default 4000
        Simulated experiments per frame.

    Returns
    -------
    PagePlayer

    Examples
    --------
    One frame per (n, theta) pair:

    >>> len(MLE_SAMPLING_SIZES) * len(MLE_SAMPLING_THETAS)
    28
    """
    return page_player(
        _mle_sampling_draw(seed, n_repeats),
        {"n_flips": list(MLE_SAMPLING_SIZES), "theta": list(MLE_SAMPLING_THETAS)},
        alt=(
            "Histogram of {n_flips}-flip maximum-likelihood estimates of a coin with true "
            "theta {theta}, with the normal curve of the Fisher-information bound"
        ),
        title="Sampling distribution of the MLE: drag n and θ",
        initial={"n_flips": 10, "theta": 0.3},
    )


#: Prior parameters and counts offered by the Chapter 2 page player.
BETA_PRIOR_VALUES = (0.5, 2, 10)
BETA_COUNT_VALUES = (0, 3, 10)


def _beta_posterior_draw(ax, a, b, heads, tails):
    plot_beta_posterior(heads, tails, a, b, ax=ax)


def beta_posterior_widget():
    """Live Chapter 2 lesson: prior Beta(a, b) and data (heads, tails) -> posterior.

    Returns
    -------
    ipywidgets.VBox
        Sliders for a, b, heads and tails above the prior, likelihood and posterior
        with the MLE, MAP and posterior mean marked.

    Examples
    --------
    >>> box = beta_posterior_widget()
    >>> box.controls["heads"].value = 30
    """
    widgets = _import_ipywidgets()
    controls = {
        "a": widgets.FloatSlider(value=2.0, min=0.2, max=30.0, step=0.1, description="prior a"),
        "b": widgets.FloatSlider(value=2.0, min=0.2, max=30.0, step=0.1, description="prior b"),
        "heads": widgets.IntSlider(value=3, min=0, max=100, description="heads"),
        "tails": widgets.IntSlider(value=0, min=0, max=100, description="tails"),
    }
    return interactive_figure(_beta_posterior_draw, controls)


def beta_posterior_player(*, dpi: int = 60) -> PagePlayer:
    """Kernel-free counterpart of :func:`beta_posterior_widget` for the web page.

    Parameters
    ----------
    dpi : int, default 60
        Frame resolution (there are 81 frames; this sets the page weight).

    Returns
    -------
    PagePlayer

    Examples
    --------
    >>> sorted(BETA_COUNT_VALUES)
    [0, 3, 10]
    """
    return page_player(
        _beta_posterior_draw,
        {
            "a": list(BETA_PRIOR_VALUES),
            "b": list(BETA_PRIOR_VALUES),
            "heads": list(BETA_COUNT_VALUES),
            "tails": list(BETA_COUNT_VALUES),
        },
        alt=(
            "Beta({a}, {b}) prior, likelihood of {heads} heads and {tails} tails, and the "
            "posterior, with the MLE, MAP estimate and posterior mean marked"
        ),
        title="Prior meets data: drag the prior (a, b) and the counts",
        initial={"a": 2, "b": 2, "heads": 3, "tails": 0},
        figsize=(6.0, 3.4),
        dpi=dpi,
    )


def _em_draw(x, fit, xlim):
    def draw(ax, iteration):
        it = min(iteration, fit.n_iter)
        mu, var, w = fit.param_history[it]
        plot_gmm_state(x, mu, var, w, ax=ax, iteration=it, loglik=fit.loglik_history[it], xlim=xlim)

    return draw


def em_step_widget(x, means, variances, weights, *, n_steps: int = 30):
    """Live Chapter 3 lesson: step EM on a 1-D mixture with "Step" and "Reset" buttons.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data.
    means, variances, weights : array_like of shape (k,)
        Starting parameters.
    n_steps : int, default 30
        Iterations available (computed once, up front).

    Returns
    -------
    ipywidgets.VBox
        ``box.controls`` has the ``"step"`` and ``"reset"`` buttons and
        ``box.redraw()`` redraws; ``box.iteration`` is the iteration shown.

    Examples
    --------
    >>> box = em_step_widget([-1.0, -1.2, 0.9, 1.1], [-0.5, 0.8], [1, 1], [0.5, 0.5])
    >>> box.controls["step"].click()
    >>> box.iteration
    1
    """
    widgets = _import_ipywidgets()
    fit = fit_gmm_1d(x, means, variances, weights, max_iter=n_steps, tol=1e-300)
    xs = [float(v) for v in x]
    xlim = (min(xs) - 1.0, max(xs) + 1.0)
    draw = _em_draw(xs, fit, xlim)
    step = widgets.Button(description="Step", tooltip="one E-step and one M-step")
    reset = widgets.Button(description="Reset", tooltip="back to the starting parameters")
    out = widgets.Output()
    box = widgets.VBox([widgets.HBox([step, reset]), out])
    box.iteration = 0

    def redraw(*_: object) -> None:
        it = box.iteration
        _show_figure(out, lambda ax: draw(ax, it), (6.4, 3.6), f"EM iteration {it}")

    def on_step(_):
        box.iteration = min(box.iteration + 1, fit.n_iter)
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


def em_step_player(x, means, variances, weights, *, n_steps: int = 20, dpi: int = 60) -> PagePlayer:
    """Kernel-free counterpart of :func:`em_step_widget`: a slider over EM iterations.

    Parameters
    ----------
    x : array_like of shape (n,)
    means, variances, weights : array_like of shape (k,)
        Starting parameters.
    n_steps : int, default 20
        Number of iterations pre-rendered (frames = n_steps + 1).
    dpi : int, default 60
        Frame resolution.

    Returns
    -------
    PagePlayer

    Examples
    --------
    >>> player = em_step_player([-1.0, -1.2, 0.9, 1.1], [-0.5, 0.8], [1, 1], [0.5, 0.5],
    ...                         n_steps=2, dpi=20)
    >>> len(player.frames)
    3
    """
    fit = fit_gmm_1d(x, means, variances, weights, max_iter=n_steps, tol=1e-300)
    xs = [float(v) for v in x]
    xlim = (min(xs) - 1.0, max(xs) + 1.0)
    return page_player(
        _em_draw(xs, fit, xlim),
        {"iteration": list(range(fit.n_iter + 1))},
        alt=(
            "EM iteration {iteration}: histogram of the data with the two weighted Gaussian "
            "components and the mixture density; the title gives the log-likelihood"
        ),
        title="EM, one step at a time: drag the iteration (arrow keys step)",
        figsize=(6.4, 3.6),
        dpi=dpi,
    )


#: q means offered by the Chapter 4 page player, in posterior standard deviations from its mean.
ELBO_MEAN_OFFSETS = (-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3)
#: q standard deviations offered by the player, as multiples of the posterior's.
ELBO_STD_FACTORS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


def _elbo_draw(x, noise_std, prior_mean, prior_std):
    post_mean, post_std = normal_mean_posterior(x, noise_std, prior_mean, prior_std)
    log_evidence = normal_mean_log_evidence(x, noise_std, prior_mean, prior_std)
    xlim = (post_mean - 6 * post_std, post_mean + 6 * post_std)

    def draw(ax, q_mean, q_std):
        elbo = normal_mean_elbo(x, q_mean, q_std, noise_std, prior_mean, prior_std)
        plot_q_vs_posterior(
            post_mean,
            post_std,
            q_mean,
            q_std,
            log_evidence=log_evidence,
            elbo=elbo,
            ax=ax,
            xlim=xlim,
        )

    return draw, post_mean, post_std


def elbo_widget(x, noise_std: float, prior_mean: float, prior_std: float):
    """Live Chapter 4 lesson: move q's mean and std; watch the ELBO, log p(x) and the gap.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data of the Gaussian-mean model.
    noise_std, prior_mean, prior_std : float
        Model constants.

    Returns
    -------
    ipywidgets.VBox

    Examples
    --------
    >>> box = elbo_widget([0.5, 1.5], 1.0, 0.0, 1.0)
    >>> box.controls["q_std"].value = 0.2
    """
    widgets = _import_ipywidgets()
    draw, pm, ps = _elbo_draw(x, noise_std, prior_mean, prior_std)
    controls = {
        "q_mean": widgets.FloatSlider(
            value=round(pm - 2 * ps, 3),
            min=round(pm - 4 * ps, 3),
            max=round(pm + 4 * ps, 3),
            step=ps / 20,
            description="q mean",
        ),
        "q_std": widgets.FloatSlider(
            value=round(2 * ps, 3),
            min=round(0.2 * ps, 3),
            max=round(3 * ps, 3),
            step=ps / 20,
            description="q std",
        ),
    }
    return interactive_figure(draw, controls)


def elbo_player(x, noise_std: float, prior_mean: float, prior_std: float, *, dpi: int = 60):
    """Kernel-free counterpart of :func:`elbo_widget`: q's mean and std on a grid of frames.

    The grid is centred on the exact posterior and includes it, so the gap can be
    driven to zero on the page too.

    Parameters
    ----------
    x : array_like of shape (n,)
    noise_std, prior_mean, prior_std : float
    dpi : int, default 60

    Returns
    -------
    PagePlayer

    Examples
    --------
    One frame per (mean, std) pair; 0 and 1.0 put q on the posterior itself:

    >>> len(ELBO_MEAN_OFFSETS) * len(ELBO_STD_FACTORS), 0 in ELBO_MEAN_OFFSETS
    (63, True)
    """
    draw, pm, ps = _elbo_draw(x, noise_std, prior_mean, prior_std)
    means = [round(pm + k * ps, 3) for k in ELBO_MEAN_OFFSETS]
    stds = [round(f * ps, 3) for f in ELBO_STD_FACTORS]
    return page_player(
        draw,
        {"q_mean": means, "q_std": stds},
        alt=(
            "The exact posterior and a Gaussian q with mean {q_mean} and standard deviation "
            "{q_std}; the legend gives log p(x), the ELBO and the gap between them"
        ),
        title="Move q: the ELBO touches log p(x) only when q is the posterior",
        initial={"q_mean": _nearest(means, pm - 2 * ps), "q_std": _nearest(stds, 2 * ps)},
        dpi=dpi,
    )


#: Mode separations and left-mode weights offered by the Chapter 5 page player.
KL_SEPARATIONS = (0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0)  # 0 would make the weight irrelevant
KL_WEIGHTS = (0.5, 0.6, 0.7, 0.8, 0.9)


def _kl_fits_draw(ax, separation, weight):
    w = [weight, 1.0 - weight]
    m = [-separation / 2, separation / 2]
    s = [1.0, 1.0]
    fwd = fit_normal_to_mixture(w, m, s, "forward")
    rev = fit_normal_to_mixture(w, m, s, "reverse")  # starts at the heavier mode
    kl_f = kl_mixture_normal(w, m, s, *fwd, "forward")
    kl_r = kl_mixture_normal(w, m, s, *rev, "reverse")
    plot_kl_fits(
        w,
        m,
        s,
        {
            f"forward fit: KL(p||q) = {kl_f:.3f}": fwd,
            f"reverse fit: KL(q||p) = {kl_r:.3f}": rev,
        },
        ax=ax,
        xlim=(-9.0, 9.0),
    )
    ax.set_ylim(0, 0.62)


def kl_fits_widget():
    """Live Chapter 5 lesson: mode separation and weight -> both Gaussian fits and KLs.

    Returns
    -------
    ipywidgets.VBox

    Examples
    --------
    >>> box = kl_fits_widget()
    >>> box.controls["separation"].value = 7.5
    """
    widgets = _import_ipywidgets()
    controls = {
        "separation": widgets.FloatSlider(
            value=4.0, min=0.0, max=10.0, step=0.25, description="separation"
        ),
        "weight": widgets.FloatSlider(
            value=0.6, min=0.5, max=0.95, step=0.05, description="left weight"
        ),
    }
    return interactive_figure(_kl_fits_draw, controls)


def kl_fits_player(*, dpi: int = 60) -> PagePlayer:
    """Kernel-free counterpart of :func:`kl_fits_widget` for the web page.

    Parameters
    ----------
    dpi : int, default 60
        Frame resolution (40 frames).

    Returns
    -------
    PagePlayer

    Examples
    --------
    >>> len(KL_SEPARATIONS) * len(KL_WEIGHTS)
    40
    """
    return page_player(
        _kl_fits_draw,
        {"separation": list(KL_SEPARATIONS), "weight": list(KL_WEIGHTS)},
        alt=(
            "A two-mode mixture with modes {separation} apart and left weight {weight}, the "
            "forward-KL Gaussian fit spanning both modes and the reverse-KL fit on one mode"
        ),
        title="Two directions of KL: pull the modes apart",
        initial={
            "separation": _nearest(KL_SEPARATIONS, 4.0),
            "weight": _nearest(KL_WEIGHTS, 0.6),
        },
        dpi=dpi,
    )
