"""Make the built book self-contained and downloadable.

Math is typeset by a local copy of MathJax, and each chapter page offers its
executed notebook for download next to its MyST source.

Jupyter Book 1 loads MathJax 3 from a public CDN by default, so a page opened
without a network (a classroom, a plane, a downloaded copy) shows raw TeX. This
extension points Sphinx at the MathJax 3 distribution that the PyPI package
``sphinx-mathjax-offline`` (in requirements.txt) ships, and copies what the pages
need into ``_build/html/_static/mathjax`` when the build finishes. Nothing
third-party is committed to the repository.

The ``tex-svg`` component draws glyphs as inline SVG paths instead of loading web
fonts, so math also renders for a book opened straight from disk (``file://``),
where browsers refuse to load fonts.
"""

from __future__ import annotations

import importlib.metadata
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

_MATHJAX_DIR = "mathjax"
_MATHJAX_ENTRY = "tex-svg.js"
# The combined TeX-input/SVG-output component, plus the pieces it may load lazily
# (TeX extensions via \require or autoload, the accessibility and menu helpers).
_MATHJAX_PARTS = (_MATHJAX_ENTRY, "input/tex", "a11y", "ui", "adaptors")


def mathjax_source() -> Path:
    """Directory of the MathJax 3 files installed by sphinx-mathjax-offline."""
    try:
        files = importlib.metadata.files("sphinx-mathjax-offline") or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for f in files:
        if f.name == _MATHJAX_ENTRY and f.parent.name == "mathjax":
            return Path(f.locate()).parent
    raise RuntimeError(
        "MathJax not found: pip install sphinx-mathjax-offline (it is in requirements.txt)."
    )


def _configure(app: Sphinx) -> None:
    app.config.mathjax_path = f"{_MATHJAX_DIR}/{_MATHJAX_ENTRY}"


def _copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    src = mathjax_source()
    dest = Path(app.outdir) / "_static" / _MATHJAX_DIR
    for part in _MATHJAX_PARTS:
        s, d = src / part, dest / part
        if s.is_dir():
            shutil.copytree(s, d, dirs_exist_ok=True)
        elif s.exists():
            d.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(s, d)
    logger.info("offline_assets: copied MathJax from %s", src)


def _offer_executed_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """Add the executed notebook to the page's download menu (as `.ipynb`).

    myst-nb writes each executed chapter to ``_build/jupyter_execute``; copying it
    next to the page's MyST source lets sphinx-book-theme offer both downloads.
    Runs before the theme builds its header buttons (priority 501).
    """
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():
        return
    _drop_merged_stream_leftovers(executed)
    dest = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, dest)
    context["ipynb_source"] = f"{pagename}.ipynb"


def _drop_merged_stream_leftovers(path: Path) -> None:
    """Remove the stream outputs that myst-nb already merged into the first one.

    With ``nb_merge_streams`` myst-nb appends the text of every later stdout chunk to
    the cell's first stdout output, but leaves the later chunks in the notebook it
    saves, so the downloaded notebook would print those lines twice.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for name in ("stdout", "stderr"):
            streams = [
                o for o in cell.outputs if o.get("output_type") == "stream" and o.name == name
            ]
            if len(streams) < 2:
                continue
            rest = "".join(o.text for o in streams[1:])
            if streams[0].text.endswith(rest):
                drop = {id(o) for o in streams[1:]}
                cell.outputs = [o for o in cell.outputs if id(o) not in drop]
                changed = True
    if changed:
        nbformat.write(nb, path)


def _drop_duplicate_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """Remove inline scripts that were added twice.

    With launch buttons switched off, Jupyter Book 1 still registers sphinx-thebe's
    inline configuration twice; the second copy redeclares a ``const`` and the
    browser reports a SyntaxError on every page.
    """
    seen, kept = set(), []
    for script in context.get("script_files", []):
        attrs = getattr(script, "attributes", {}) or {}
        # The two copies differ only in how "no file" is spelled (None vs "").
        key = (getattr(script, "filename", None) or "", attrs.get("body"))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app: Sphinx) -> dict:
    mathjax_source()  # fail early, with the remedy, if the package is missing
    app.connect("builder-inited", _configure)
    app.connect("build-finished", _copy_mathjax)
    app.connect("html-page-context", _offer_executed_notebook, priority=400)
    app.connect("html-page-context", _drop_duplicate_scripts, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
