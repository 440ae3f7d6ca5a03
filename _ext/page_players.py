"""Page players on the published book: rendered by the build, light on the page.

1. Each interactive lesson is one call in its chapter (``widgets.*_widget(...)``). It
   shows live ipywidgets controls in JupyterLab and, when the book is built, the
   kernel-free page player: this extension sets ``LESSONLIB_STATIC_PAGE=1`` when Sphinx
   loads it, and the kernels that execute the chapters inherit the variable.
2. A player's frames travel inside the executed notebook as ``data:`` URIs, so the
   downloaded notebook works on its own. On the web page they become image files
   next to the page, which the browser loads only when a slider asks for them.
3. The printed book (the LaTeX/PDF build) cannot run a player: it shows the strip of
   representative frames the player also carries (``image/png``), and this extension
   adds a sentence under it saying what the web version lets the reader do.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from base64 import b64decode
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

STATIC_PAGE_ENV = "LESSONLIB_STATIC_PAGE"  # lessonlib.widgets.STATIC_PAGE_ENV
_FRAMES_DIR = "_images/players"
_DATA_BLOCK = re.compile(
    r'(<script type="application/json" class="lessonlib-player-data">)(.*?)(</script>)', re.S
)
_PNG_PREFIX = "data:image/png;base64,"


def _write_frame(outdir: Path, uri: str) -> str:
    """Write one data-URI frame to the frames folder; return its path from the site root."""
    data = b64decode(uri[len(_PNG_PREFIX) :])
    name = hashlib.sha1(data).hexdigest()[:16] + ".png"
    target = outdir / _FRAMES_DIR / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return f"{_FRAMES_DIR}/{name}"


def externalize_frames(html: str, outdir: Path, root_prefix: str) -> str:
    """Replace a player's data-URI frames by image files under ``outdir``.

    `root_prefix` leads from the page to the site root (``"../"`` for a chapter).
    The first frame is shown by the ``<img>`` tag; the rest load on demand.
    """

    def rewrite(match: re.Match) -> str:
        payload = json.loads(match.group(2).replace("<\\/", "</"))
        payload["frames"] = {
            key: root_prefix + _write_frame(outdir, uri) if uri.startswith(_PNG_PREFIX) else uri
            for key, uri in payload["frames"].items()
        }
        block = json.dumps(payload).replace("</", "<\\/")
        return match.group(1) + block + match.group(3)

    html = _DATA_BLOCK.sub(rewrite, html)
    return re.sub(
        r'(<img class="lessonlib-player-frame"[^>]*?src=")(data:image/png;base64,[^"]+)(")',
        lambda m: m.group(1) + root_prefix + _write_frame(outdir, m.group(2)) + m.group(3),
        html,
    )


def _externalize(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    depth = docname.count("/")
    prefix = "../" * depth
    for node in doctree.findall(nodes.raw):
        if "lessonlib-player" in node.astext() and _PNG_PREFIX in node.astext():
            new = externalize_frames(node.astext(), Path(app.outdir), prefix)
            node.replace_self(nodes.raw("", new, format="html"))


def player_strip_info(path: Path) -> dict | None:
    """The player facts stored in a frame strip's PNG text chunk, or None for other images."""
    if path.suffix.lower() != ".png" or not path.is_file():
        return None
    from PIL import Image

    with Image.open(path) as image:
        text = getattr(image, "text", {}).get("lessonlib-player")
    return json.loads(text) if text else None


def _explain_strips(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Under each printed player strip, say that the web version is interactive."""
    if app.builder.format == "html":
        return
    for image in list(doctree.findall(nodes.image)):
        if image.get("lessonlib_noted"):  # the LaTeX builder resolves its tree twice
            continue
        # The image collector (at read time) made "candidates" relative to the source
        # folder. This runs at write time, on the builder's copy of the doctree, so the
        # saved doctrees stay the same for every builder.
        relative = image.get("candidates", {}).get("*")
        if relative is None:
            continue
        info = player_strip_info(Path(app.srcdir, relative))
        if info is None:
            continue
        note = nodes.paragraph()
        note += nodes.emphasis(text=f"{info['title']}: ")
        note += nodes.Text(
            f"{info['shown']} of the {info['frames']} frames of an interactive player. "
            "In the web version of this book the controls step through all of them; "
            "in JupyterLab the same cell gives live controls."
        )
        note["classes"].append("lessonlib-player-print-note")
        image.parent.insert(image.parent.index(image) + 1, note)
        image["lessonlib_noted"] = True


def setup(app: Sphinx) -> dict:
    os.environ[STATIC_PAGE_ENV] = "1"
    app.connect("doctree-resolved", _externalize)
    app.connect("doctree-resolved", _explain_strips)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
