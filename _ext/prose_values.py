"""``{eval}`name``` in the prose: the glued value in the build, the live value in JupyterLab.

JupyterLab with jupyterlab-myst evaluates an ``{eval}`` role's expression in the
running kernel. myst-nb evaluates it only in its "inline" execution mode, which runs
every notebook on every build (no execution cache) and skips cells tagged
``remove-cell``. This book keeps the cache, so here the role is bound to a glued value
of the same name instead: a chapter computes ``name = prose_value("name", x, ".3f")``
(lessonlib.report) in a hidden cell before the paragraph, which glues the formatted
text for the build and leaves the variable for JupyterLab. A name that was not glued
is a build warning (an error under ``-W``), like a missing ``{glue:text}`` key.
"""

from __future__ import annotations

from myst_nb.ext.glue.roles import PasteTextRole
from sphinx.application import Sphinx


def _bind_eval_role(app: Sphinx) -> None:
    # myst-nb registers its own `eval` role when it is set up; this runs later.
    app.add_role("eval", PasteTextRole(), override=True)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _bind_eval_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
