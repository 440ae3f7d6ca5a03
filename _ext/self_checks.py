"""Self-checks on the published page: one copy of their library per site.

Each question displayed by :mod:`lessonlib.selfcheck` carries the JavaScript and CSS
all questions share, so that a downloaded notebook works on its own. On the web page
one copy is enough: this extension writes it once, as ``_static/lessonlib-selfcheck.js``,
loads it on the pages that ask questions, and cuts the copies out of their HTML.
The printed book uses each question's Markdown form, which needs nothing of this.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from lessonlib.selfcheck import LIB_END, LIB_START, library_script

SCRIPT = "lessonlib-selfcheck.js"
_LIBRARY = re.compile(re.escape(LIB_START) + ".*?" + re.escape(LIB_END), re.S)
_ASKS = "window.lessonlibQuiz.show("


def _write_library(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / SCRIPT
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(library_script(), encoding="utf-8")


def _strip_copies(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    for node in list(doctree.findall(nodes.raw)):
        if LIB_START in node.astext():
            node.replace_self(nodes.raw("", _LIBRARY.sub("", node.astext()), format="html"))


def _load_on_pages_with_checks(app, pagename, templatename, context, doctree) -> None:
    if _ASKS in context.get("body", ""):
        app.add_js_file(SCRIPT)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", _strip_copies)
    app.connect("html-page-context", _load_on_pages_with_checks)
    app.connect("build-finished", _write_library)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
