"""Let `pytest --nbval chapters` run the book's Jupytext (MyST markdown) notebooks.

nbval only collects ``.ipynb`` files. The chapters are ``.md`` files with a
Jupytext header, so this hook hands each of them to nbval's own collector after
reading it with Jupytext. Every code cell becomes one test item that fails if
the cell raises. A run that finds chapters but collects no cells is an error,
so `pytest --nbval chapters` can never pass by collecting nothing.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import nbformat
import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).parent
CHAPTERS = ROOT / "chapters"


def is_chapter_notebook(path: Path) -> bool:
    """True for a MyST-markdown notebook (Jupytext header with a kernelspec)."""
    if path.suffix != ".md":
        return False
    head = path.read_text(encoding="utf-8")[:2000]
    return head.startswith("---") and "kernelspec:" in head and "format_name: myst" in head


@contextmanager
def _jupytext_reader():
    import jupytext

    real_read = nbformat.read

    def read(fp, as_version, **kwargs):
        if str(fp).endswith(".md"):
            return jupytext.read(str(fp), as_version=as_version)
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
