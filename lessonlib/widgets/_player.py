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

import asyncio
import base64
import hashlib
import html
import io
import itertools
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lessonlib._validation import as_positive_int, check_callable, fail

__all__ = ["PagePlayer", "page_player", "interactive_figure", "on_static_page", "STATIC_PAGE_ENV"]

#: Set to "1" by the book build (``_ext/offline_assets.py``); the kernels that execute the
#: chapters inherit it, so each lesson's one call renders its page player there.
STATIC_PAGE_ENV = "LESSONLIB_STATIC_PAGE"

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


def on_static_page() -> bool:
    """Tell whether the book is being built for the web, where no kernel will run.

    Each lesson's ``*_widget()`` call returns its kernel-free :class:`PagePlayer` there
    and a live ipywidgets control everywhere else (JupyterLab, a downloaded notebook).

    Examples
    --------
    >>> on_static_page() in (True, False)
    True
    """
    return os.environ.get(STATIC_PAGE_ENV) == "1"


def nearest(values: Sequence, target: float):
    """Return the entry of `values` closest to `target` (a player's starting position)."""
    return min(values, key=lambda v: abs(v - target))


def check_controls(controls: object) -> dict[str, list]:
    """Return a page player's controls as name -> list of at least two values."""
    if not isinstance(controls, Mapping) or not controls:
        fail(
            "controls",
            "be a non-empty mapping of parameter name -> sequence of values",
            type(controls).__name__ if not isinstance(controls, Mapping) else "an empty mapping",
            error=TypeError,
        )
    out: dict[str, list] = {}
    for name, values in controls.items():
        if not isinstance(name, str) or not name.isidentifier():
            fail("controls", "have keys that are Python identifiers", repr(name))
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
            fail(f"controls[{name!r}]", "be a sequence of values", repr(values), error=TypeError)
        if len(values) < 2:
            fail(
                f"controls[{name!r}]",
                "offer at least 2 values (a control with one position would not respond)",
                len(values),
            )
        out[name] = list(values)
    return out


def _png_bytes(fig, palette_colors: int | None, *, compress_level: int = 6) -> str:
    """Encode the figure's canvas (drawn at its current dpi) as base64 PNG."""
    return base64.b64encode(_encode_png(fig, palette_colors, compress_level)).decode("ascii")


def _encode_png(
    fig, palette_colors: int | None, compress_level: int, text: dict | None = None
) -> bytes:
    """Encode the figure's canvas as PNG bytes, with optional text chunks."""
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    fig.canvas.draw()
    width, height = fig.canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    image = image.convert("RGB")
    if palette_colors:
        # Line art needs few colours: an adaptive palette makes each frame several times
        # smaller, which is what keeps lessons with many frames light.
        image = image.quantize(colors=palette_colors, method=Image.Quantize.FASTOCTREE)
    info = PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    buf = io.BytesIO()
    # Only the given text, and a fixed compression level: identical bytes on every run.
    image.save(buf, format="png", compress_level=compress_level, pnginfo=info)
    return buf.getvalue()


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

    fig, ax = plt.subplots(figsize=figsize, dpi=dpi)
    frames = []
    try:
        for i, values in enumerate(settings):
            if i:
                ax.cla()  # keeps the margins fixed by the first frame: frames do not jump
            draw(ax=ax, **values)
            if not i:
                fig.tight_layout()
            frames.append(_png_bytes(fig, palette_colors))
    finally:
        plt.close(fig)
    return frames


class _LiveFigure:
    """The one figure behind a live control: redrawn in place, rendered without pyplot.

    Rebuilding a figure (and its layout) for every slider step is most of the cost of a
    redraw; here the Axes is cleared and redrawn, and the layout is computed once.
    """

    def __init__(self, figsize: tuple[float, float]) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=figsize, dpi=100)
        FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot()
        self.laid_out = False
        self.pending = None

    def render(self, draw_on: DrawFunction) -> str:
        self.ax.cla()
        draw_on(self.ax)
        if not self.laid_out:
            self.figure.tight_layout()
            self.laid_out = True
        return _png_bytes(self.figure, None, compress_level=1)


#: Seconds a redraw waits for more control changes before it renders (fast repeated
#: clicks on "Step" render once, at the end, instead of queueing one render each).
COALESCE_SECONDS = 0.03


def show_figure(out, draw_on: DrawFunction, figsize: tuple[float, float], text: str) -> None:
    """Render ``draw_on(ax)`` and make it the only output of an ipywidgets Output.

    Setting ``out.outputs`` directly (rather than capturing display() inside
    ``with out:``) works with or without a running kernel, so the tests exercise
    the same code path as JupyterLab. In a running kernel the render waits
    :data:`COALESCE_SECONDS` for further changes and then draws the latest state once.
    """
    live = getattr(out, "_lessonlib_figure", None)
    if live is None or live.figure.get_size_inches().tolist() != list(figsize):
        live = _LiveFigure(figsize)
        out._lessonlib_figure = live

    def render() -> None:
        live.pending = None
        out.outputs = (
            {
                "output_type": "display_data",
                "data": {"image/png": live.render(draw_on), "text/plain": text},
                "metadata": {},
            },
        )

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no event loop (a script, the tests): draw now
        render()
        return
    if live.pending is not None:
        live.pending.cancel()
    live.pending = loop.call_later(COALESCE_SECONDS, render)


_PLAYER_JS = """
(function () {
  var root = document.getElementById("%(pid)s");
  var data = JSON.parse(root.querySelector("script.lessonlib-player-data").textContent);
  var img = root.querySelector("img.lessonlib-player-frame");
  var sliders = root.querySelectorAll("input[type=range]");
  function update() {
    var key = [];
    sliders.forEach(function (s) {
      key.push(s.value);
      var out = root.querySelector("output[data-for='" + s.dataset.control + "']");
      var text = data.labels[s.dataset.control][Number(s.value)];
      out.textContent = text;
      s.setAttribute("aria-valuetext", text);
    });
    key = key.join(",");
    img.src = data.frames[key];
    img.alt = data.alts[key];
    root.dataset.frame = key;
  }
  sliders.forEach(function (s) { s.addEventListener("input", update); });
  update();
})();
"""


def _value_text(value: object) -> str:
    """How a control value reads on the page and to a screen reader."""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


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
        The image source of each combination (a ``data:`` URI), keyed by comma-joined
        slider positions. The book build moves them into files loaded on demand.
    alts : dict of str to str
        Alt text for each frame.
    initial : dict of str to int
        Starting slider positions.
    title : str
        The player's heading, which also names its group of controls.
    labels : dict of str to str
        The human label of each control.
    size : (int, int)
        Display width and height of a frame in CSS pixels (frames are rendered at twice
        this density, for sharp text on high-density screens).
    """

    controls: dict
    frames: dict
    alts: dict
    initial: dict
    title: str
    labels: dict
    size: tuple

    @property
    def player_id(self) -> str:
        """A stable HTML id derived from the content, so rebuilds are byte-identical."""
        digest = hashlib.sha1(json.dumps(self.frames, sort_keys=True).encode()).hexdigest()
        return "lessonlib-player-" + digest[:12]

    def __repr__(self) -> str:
        # The text form (a terminal, a plain-text output): what it is, not its frames.
        names = ", ".join(self.labels[n] for n in self.controls)
        return f"PagePlayer({self.title!r}: {len(self.frames)} frames over {names})"

    @property
    def _print_control(self) -> str:
        """The control the printed strip steps through: the one with the most values."""
        return max(self.controls, key=lambda n: len(self.controls[n]))

    def print_keys(self) -> list[str]:
        """Return the keys of the frames the printed book shows.

        They are the first, middle and last position of the control with the most values,
        the other controls at their starting positions.
        """
        names = list(self.controls)
        main = self._print_control
        last = len(self.controls[main]) - 1
        keys = []
        for pos in dict.fromkeys([0, last // 2, last]):
            idx = [pos if n == main else self.initial[n] for n in names]
            keys.append(",".join(map(str, idx)))
        return keys

    def _repr_png_(self) -> bytes:
        """Return a strip of representative frames (:meth:`print_keys`) for the printed book.

        Notebook front ends and the web page prefer the HTML player; the PDF build,
        which cannot run JavaScript, takes this image. A text chunk marks it as a
        player's strip, so that the build can say under it that the web version is
        interactive.
        """
        import numpy as np
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from PIL import Image

        keys = self.print_keys()
        main = self._print_control
        position = list(self.controls).index(main)
        width, height = self.size
        panel = 3.4  # inches per frame: three fit a printed text width
        fig = Figure(figsize=(panel * len(keys), panel * height / width + 0.35), dpi=200)
        FigureCanvasAgg(fig)
        for i, key in enumerate(keys):
            ax = fig.add_axes((i / len(keys), 0, 1 / len(keys), 1 - 0.35 / fig.get_figheight()))
            png = base64.b64decode(self.frames[key].split(",", 1)[1])
            ax.imshow(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")))
            ax.set_axis_off()
            value = self.controls[main][int(key.split(",")[position])]
            ax.set_title(f"{self.labels[main]}: {_value_text(value)}", fontsize=9)
        facts = {"title": self.title, "shown": len(keys), "frames": len(self.frames)}
        return _encode_png(fig, 64, 6, {"lessonlib-player": json.dumps(facts)})

    def _repr_html_(self) -> str:
        pid = self.player_id
        texts = {k: [_value_text(v) for v in vals] for k, vals in self.controls.items()}
        payload = json.dumps({"frames": self.frames, "alts": self.alts, "labels": texts})
        first = ",".join(str(self.initial[k]) for k in self.controls)
        width, height = self.size
        rows = []
        for number, (name, vals) in enumerate(self.controls.items()):
            start = self.initial[name]
            cid = f"{pid}-c{number}"
            shown = html.escape(texts[name][start])
            rows.append(
                '<div style="display:flex;flex-wrap:wrap;align-items:center;gap:0 0.75em;'
                'margin:0.3em 0">'
                f'<label for="{cid}" style="color:inherit;min-width:12em">'
                f"{html.escape(self.labels[name])}</label>"
                f'<input id="{cid}" type="range" min="0" max="{len(vals) - 1}" step="1" '
                f'value="{start}" data-control="{html.escape(name)}" '
                f'aria-valuetext="{shown}" style="flex:1 1 10em;max-width:24em">'
                f'<output for="{cid}" data-for="{html.escape(name)}" '
                f'style="color:inherit;font-variant-numeric:tabular-nums">{shown}</output></div>'
            )
        return (
            f'<div class="lessonlib-player" id="{pid}" role="group" '
            f'aria-labelledby="{pid}-title" data-frame="{first}">'
            f'<p id="{pid}-title" style="margin:0;color:inherit">'
            f"<strong>{html.escape(self.title)}</strong></p>"
            f'<img class="lessonlib-player-frame" src="{self.frames[first]}" '
            f'alt="{html.escape(self.alts[first])}" width="{width}" height="{height}" '
            'style="max-width:100%;height:auto;background:#fff">'
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
    labels: Mapping[str, str] | None = None,
    initial: Mapping[str, Any] | None = None,
    figsize: tuple[float, float] = (7.0, 3.8),
    dpi: int = 100,
) -> PagePlayer:
    """Pre-render `draw` over every combination of control values for the web page.

    Parameters
    ----------
    draw : callable
        ``draw(ax=ax, **values)`` draws one frame on the given Axes. It must fix the
        axis limits itself, so that frames do not rescale as the sliders move.
    controls : mapping of str to sequence
        Parameter name -> the values its slider steps through (at least two).
        Keep the product of the lengths small: every combination is one PNG.
    alt : str
        Alt-text template, formatted with the frame's values, e.g.
        ``"Histogram of MLEs for n = {n_flips}"``.
    title : str, optional
        Heading shown above the figure; it also labels the group of controls.
    labels : mapping of str to str, optional
        Human label of each control (default: its name with spaces for underscores).
    initial : mapping, optional
        Starting value for some controls (default: the first value).
    figsize : (float, float), default (7.0, 3.8)
        Figure size in inches; with `dpi` it sets the displayed size (the text column).
    dpi : int, default 100
        CSS pixels per inch of `figsize`. Frames are rendered at twice this density.

    Returns
    -------
    PagePlayer
        Displays as self-contained HTML.

    Examples
    --------
    >>> def draw(ax, slope):
    ...     ax.plot([0, 1], [0, slope])
    ...     ax.set_ylim(0, 2)
    >>> player = page_player(draw, {"slope": [1, 2]}, alt="A line of slope {slope}", dpi=20)
    >>> len(player.frames), player.size
    (2, (140, 76))
    """
    check_callable(draw, "draw")
    ctrl = check_controls(controls)
    start = {name: 0 for name in ctrl}
    for name, value in (initial or {}).items():
        if name not in ctrl or value not in ctrl[name]:
            fail(f"initial[{name!r}]", f"be one of the values of `controls[{name!r}]`", repr(value))
        start[name] = ctrl[name].index(value)
    names = {name: name.replace("_", " ") for name in ctrl}
    for name, label in (labels or {}).items():
        if name not in ctrl or not isinstance(label, str) or not label.strip():
            fail("labels", "map control names to non-empty text", f"{name!r}: {label!r}")
        names[name] = label
    dpi = as_positive_int(dpi, "dpi")
    keys, settings = [], []
    for idx in itertools.product(*(range(len(v)) for v in ctrl.values())):
        keys.append(",".join(map(str, idx)))
        settings.append({name: ctrl[name][i] for name, i in zip(ctrl, idx)})
    pngs = _render_frames(draw, settings, figsize, 2 * dpi, palette_colors=32)
    frames = {key: "data:image/png;base64," + png for key, png in zip(keys, pngs)}
    alts = {key: alt.format(**values) for key, values in zip(keys, settings)}
    size = (round(figsize[0] * dpi), round(figsize[1] * dpi))
    return PagePlayer(ctrl, frames, alts, start, title, names, size)


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
    check_callable(draw, "draw")
    if not isinstance(controls, Mapping) or not controls:
        fail(
            "controls",
            "be a non-empty mapping of name -> ipywidgets control",
            type(controls).__name__ if not isinstance(controls, Mapping) else "an empty mapping",
            error=TypeError,
        )
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
