"""The printed book (``jupyter-book build . --builder pdflatex``): what differs from the web.

The LaTeX writer turns every section of the root page into a numbered chapter, so the
introduction's "Who it is for", "How to read it", ... would push the first real chapter
to Chapter 6. In the printed book the introduction is a preface instead: its sections
become unnumbered headings under one unnumbered "Preface" chapter, and the chapters are
numbered from 1, as on the web. This happens at write time, on the LaTeX builder's
assembled copy of the book, so the saved doctrees stay the same for the web build.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx


def _preface(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex" or docname != app.config.root_doc:
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None or top.get("lessonlib_preface"):  # the LaTeX builder resolves twice
        return
    top["lessonlib_preface"] = True
    # The root page's own sections; the chapters are inlined further down, inside the
    # toctree's wrapper, and are left alone.
    for section in [c for c in top.children if isinstance(c, nodes.section)]:
        title = section.next_node(nodes.title)
        heading = nodes.rubric("", "", *title.children, ids=section["ids"])
        body = [c for c in section.children if c is not title]
        section.replace_self([heading, *body])
    opening = nodes.raw(
        "", r"\chapter*{Preface}\addcontentsline{toc}{chapter}{Preface}", format="latex"
    )
    first = next((i for i, c in enumerate(top.children) if not isinstance(c, nodes.title)), 0)
    top.insert(first, opening)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", _preface)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
