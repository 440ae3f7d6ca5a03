"""Make the built book self-contained: math is typeset by a local copy of MathJax.

Jupyter Book 1 loads MathJax 3 from a public CDN by default, so a page opened
without a network (a classroom, a plane, a downloaded copy) shows raw TeX. This
extension points Sphinx at MathJax 2.7, which the PyPI package
``jupyter-server-mathjax`` (in requirements.txt) ships, and copies the parts of
it the pages need into ``_build/html/_static/mathjax`` when the build finishes.
Nothing third-party is committed to the repository.

MathJax 2's SVG output draws glyphs from JavaScript data instead of web fonts, so
it also works for pages opened from ``file://``, where browsers refuse to load
fonts from disk.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# MathJax.js plus what the TeX-input / SVG-output configuration loads.
_MATHJAX_PARTS = ("MathJax.js", "LICENSE", "jax/input/TeX", "jax/element/mml", "jax/output/SVG",
                  "extensions")
_MATHJAX_DIR = "mathjax"

MATHJAX2_CONFIG = {
    "jax": ["input/TeX", "output/SVG"],
    "extensions": ["tex2jax.js"],
    "TeX": {"extensions": ["AMSmath.js", "AMSsymbols.js", "noErrors.js", "noUndefined.js"],
            "equationNumbers": {"autoNumber": "AMS"}},
    # Only typeset what Sphinx marked as math (and notebook outputs), as MathJax 3 would.
    "tex2jax": {
        "inlineMath": [["\\(", "\\)"]],
        "displayMath": [["\\[", "\\]"]],
        "processEscapes": True,
        "processClass": "tex2jax_process|mathjax_process|math|output_area",
        "ignoreClass": "tex2jax_ignore|mathjax_ignore|document",
    },
    "SVG": {"font": "TeX", "linebreaks": {"automatic": True}},
    "showMathMenu": False,
    "messageStyle": "none",
}


def mathjax_source() -> Path:
    """Directory of the MathJax 2 distribution installed with jupyter-server-mathjax."""
    import jupyter_server_mathjax

    return Path(jupyter_server_mathjax.__file__).parent / "static"


def _configure(app: Sphinx) -> None:
    # Runs after myst-parser's builder-inited hook (priority 900 > 500), which
    # would otherwise add a MathJax 3 configuration that MathJax 2 misreads.
    app.config.mathjax_path = f"{_MATHJAX_DIR}/MathJax.js"
    app.config.mathjax2_config = MATHJAX2_CONFIG
    app.config.mathjax3_config = None
    app.config.mathjax_options = {"defer": "defer"}


def _copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    src = mathjax_source()
    dest = Path(app.outdir) / "_static" / _MATHJAX_DIR
    for part in _MATHJAX_PARTS:
        s, d = src / part, dest / part
        if s.is_dir():
            shutil.copytree(s, d, dirs_exist_ok=True)
        else:
            d.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(s, d)
    logger.info("offline_assets: copied MathJax 2 from %s", src)


def setup(app: Sphinx) -> dict:
    src = mathjax_source()
    if not (src / "MathJax.js").exists():
        raise RuntimeError(f"MathJax.js not found under {src}; pip install jupyter-server-mathjax")
    app.connect("builder-inited", _configure, priority=900)
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
