"""The machinery shared by every interactive lesson: live controls and page players.

Every interactive lesson exists twice. In JupyterLab, :func:`interactive_figure`
wires ipywidgets sliders to a drawing function that re-runs in the kernel. On the
published web page there is no kernel, so :func:`page_player` renders the same
drawing function once per combination of control values ahead of time and ships
the frames with a few lines of inline JavaScript: moving a slider swaps the
frame, so every control on the page changes what is shown.

ipywidgets is imported lazily, on the first live control, so the rest of
lessonlib works without it.
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

__all__ = ["PagePlayer", "page_player", "interactive_figure"]

DrawFunction = Callable[..., Any]


def import_ipywidgets():
    """Return the ipywidgets module, or raise an ImportError that says how to install it."""
    try:
        import ipywidgets
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "The live controls need ipywidgets: pip install ipywidgets (it is in requirements.txt)."
        ) from exc
    return ipywidgets


def nearest(values: Sequence, target: float):
    """Return the entry of `values` closest to `target` (a player's starting position)."""
    return min(values, key=lambda v: abs(v - target))


def check_controls(controls: object) -> dict[str, list]:
    """Return a page player's controls as name -> list of at least two values."""
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


def show_figure(out, draw_on: DrawFunction, figsize: tuple[float, float], text: str) -> None:
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
    ctrl = check_controls(controls)
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
    widgets = import_ipywidgets()
    if not callable(draw):
        raise TypeError(f"`draw` must be callable; got {type(draw).__name__}.")
    if not isinstance(controls, Mapping) or not controls:
        raise TypeError("`controls` must be a non-empty mapping of name -> ipywidgets control.")
    out = widgets.Output()

    def redraw(*_: object) -> None:
        values = {name: ctrl.value for name, ctrl in controls.items()}
        show_figure(out, lambda ax: draw(ax=ax, **values), figsize, f"Figure for {values}")

    for ctrl in controls.values():
        ctrl.observe(redraw, names="value")
    box = widgets.VBox([*controls.values(), out])
    box.controls = dict(controls)
    box.redraw = redraw
    redraw()
    return box
