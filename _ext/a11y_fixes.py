"""Accessibility repairs of HTML that the book's tools generate.

The bibliography (sphinxcontrib-bibtex through docutils) marks each entry with the
deprecated ARIA role ``doc-biblioentry`` inside a ``role="list"`` container, so
assistive technology finds a list without items (axe: aria-required-children,
aria-deprecated-role). Each entry becomes a ``listitem``.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def _repair(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _repair)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
