"""Let `pytest --nbval chapters` run the book's Jupytext (MyST markdown) notebooks.

nbval only collects ``.ipynb`` files. The chapters are ``.md`` files with a
Jupytext header, so this hook hands each of them to nbval's own collector after
reading it with Jupytext. Every code cell becomes one test item that fails if
the cell raises. A run that finds chapters but collects no cells is an error,
so `pytest --nbval chapters` can never pass by collecting nothing.

Reproducibility comes for free: when the book has been built, each cell gets the
outputs of the build's execution (``_build/jupyter_execute``) as its reference, so
nbval's own comparison checks that a second run in a fresh kernel prints the same
text, the same glued values and the same page players. Images are not compared
(nbval's default); cells whose output is removed from the page (the live ipywidgets)
are not compared either, as widget model ids are random. If the build is older than
a chapter, the comparison is skipped, unless LESSONLIB_REQUIRE_BROWSER=1 (CI), where
a stale or missing build is an error.
"""

from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import nbformat
import pytest

pytest_plugins = ["pytester"]

# Property tests draw the same examples on every run, so CI's verdict does not depend on luck.
try:
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("book", derandomize=True)
    _hypothesis_settings.load_profile("book")
except ImportError:  # pragma: no cover - hypothesis is in requirements.txt
    pass

ROOT = Path(__file__).parent
CHAPTERS = ROOT / "chapters"
BUILT_NOTEBOOKS = ROOT / "_build" / "jupyter_execute" / "chapters"


def strict() -> bool:
    """CI (LESSONLIB_REQUIRE_BROWSER=1) may not skip checks that need the built book."""
    return os.environ.get("LESSONLIB_REQUIRE_BROWSER") == "1"


def is_chapter_notebook(path: Path) -> bool:
    """True for a MyST-markdown notebook (Jupytext header with a kernelspec)."""
    if path.suffix != ".md":
        return False
    head = path.read_text(encoding="utf-8")[:2000]
    return head.startswith("---") and "kernelspec:" in head and "format_name: myst" in head


def _code_sources(nb) -> list[str]:
    return [cell.source.strip() for cell in nb.cells if cell.cell_type == "code"]


def with_reference_outputs(nb, path: Path):
    """Attach the build's outputs to each code cell of `nb` (read from `path`).

    They are kept in the cell metadata, not as outputs, so nbval itself does not compare
    them; :func:`compare_with_build` below does, after each cell has run.
    """
    if not (ROOT / "_config.yml").exists():
        return nb  # not the book (e.g. a scratch directory in the collector's own tests)
    built = BUILT_NOTEBOOKS / f"{path.stem}.ipynb"
    glue_file = BUILT_NOTEBOOKS / f"{path.stem}.glue.json"
    if not built.exists():
        if strict():
            raise pytest.UsageError(f"{built} is missing: build the book before the tests.")
        return nb
    reference = nbformat.read(built, as_version=4)
    if _code_sources(reference) != _code_sources(nb):
        if strict():
            raise pytest.UsageError(f"{built} is older than {path.name}: rebuild the book first.")
        return nb
    glued = json.loads(glue_file.read_text()) if glue_file.exists() else {}
    ref_cells = iter(cell for cell in reference.cells if cell.cell_type == "code")
    for cell in nb.cells:
        if cell.cell_type == "code":
            ref = next(ref_cells)
            if "remove-output" not in cell.metadata.get("tags", []):
                cell.metadata["lessonlib_reference"] = {"outputs": ref.outputs, "glue": glued}
    return nb


# A float written with 11 or more significant digits shows rounding noise in its last
# digits, which can differ between two runs of the same code (numpy's SIMD reductions
# depend on memory alignment). Such numbers are compared to 10 significant digits; the
# book never prints more than that (AUTHORING.md).
_LONG_FLOAT = re.compile(r"-?\d*\.\d{10,}(?:e[-+]?\d+)?|-?\d{2,}\.\d{9,}(?:e[-+]?\d+)?")


def round_long_floats(text: str) -> str:
    """Rewrite each float of 11+ significant digits in `text` with 10 of them."""
    return _LONG_FLOAT.sub(lambda m: format(float(m.group()), ".10g"), text)


def _comparable(outputs) -> dict[str, list[str]]:
    """Text printed, HTML displayed and values glued by a cell (images and reprs left out)."""
    out: dict[str, list[str]] = {"stream": [], "html": [], "glue": []}
    for output in outputs:
        if output.get("output_type") == "stream":
            out["stream"].append(output.get("text", ""))
            continue
        data = output.get("data", {})
        scrap = output.get("metadata", {}).get("scrapbook")
        if scrap:
            value = data.get("application/papermill.record/text/plain", data.get("text/plain"))
            out["glue"].append(f"{scrap['name']} = {value}")
        elif "text/html" in data:
            out["html"].append(data["text/html"])
    out["stream"] = [round_long_floats("".join(out["stream"]))]
    out["glue"] = [round_long_floats(line) for line in out["glue"]]
    return out


def compare_with_build(item) -> None:
    """Fail if a cell's second run (this one) differs from the build's run."""
    reference = item.cell.metadata.get("lessonlib_reference")
    if reference is None or item.test_outputs is None:
        return
    now = _comparable(item.test_outputs)
    built = _comparable(reference["outputs"])
    # The build moves glued values out of the cell outputs into <chapter>.glue.json.
    names = [line.split(" = ", 1)[0] for line in now["glue"]]
    built["glue"] = [
        round_long_floats(
            f"{name} = {reference['glue'].get(name, {}).get('data', {}).get('text/plain')}"
        )
        for name in names
    ]
    for kind in ("stream", "html", "glue"):
        if now[kind] != built[kind]:
            pytest.fail(
                f"not reproducible: this run's {kind} output differs from the book build's "
                f"(same code, fresh kernel).\nbuild: {str(built[kind])[:600]}\n"
                f"now:   {str(now[kind])[:600]}",
                pytrace=False,
            )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    outcome = yield
    if type(item).__name__ == "IPyNbCell" and outcome.excinfo is None:
        compare_with_build(item)


@contextmanager
def _jupytext_reader():
    import jupytext

    real_read = nbformat.read

    def read(fp, as_version, **kwargs):
        if str(fp).endswith(".md"):
            return with_reference_outputs(jupytext.read(str(fp), as_version=as_version), Path(fp))
        return real_read(fp, as_version, **kwargs)

    with mock.patch.object(nbformat, "read", read):
        yield


def _markdown_notebook_class():
    from nbval.plugin import IPyNbFile

    class MarkdownNotebook(IPyNbFile):
        """An nbval notebook read from a Jupytext markdown file."""

        def collect(self):
            with _jupytext_reader():
                yield from super().collect()

        def setup(self):
            # The kernel nbval starts here inherits this, as the build's kernels do
            # (_ext/page_players.py): each lesson's one call renders its page player,
            # so this run can be compared with the build's.
            with mock.patch.dict(os.environ, {"LESSONLIB_STATIC_PAGE": "1"}):
                super().setup()

    return MarkdownNotebook


def pytest_collect_file(file_path: Path, parent):
    opt = parent.config.option
    if not (getattr(opt, "nbval", False) or getattr(opt, "nbval_lax", False)):
        return None
    if is_chapter_notebook(Path(file_path)):
        return _markdown_notebook_class().from_parent(parent, path=file_path)
    return None


def pytest_collection_modifyitems(session, config, items):
    if not (getattr(config.option, "nbval", False) or getattr(config.option, "nbval_lax", False)):
        return
    asked_for_chapters = any(
        Path(arg.split("::")[0]).resolve() == CHAPTERS.resolve()
        or CHAPTERS.resolve() in Path(arg.split("::")[0]).resolve().parents
        for arg in config.args
    )
    cells = [item for item in items if type(item).__name__ == "IPyNbCell"]
    if asked_for_chapters and not cells:
        raise pytest.UsageError(
            "--nbval was asked to run chapters/ but collected no notebook cells; "
            "check the Jupytext headers of chapters/*.md."
        )
