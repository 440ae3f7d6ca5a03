"""The mechanical rules of AUTHORING.md, checked on every chapter's source."""

import asyncio
import inspect
import re
import shutil

import jupytext
import pytest
from _book import ROOT, chapter_sources

CHAPTERS = chapter_sources()
HIDDEN = ("remove-cell", "remove-input")  # code the page does not show


def _cells(path):
    return jupytext.read(path).cells


def _hidden(cell) -> bool:
    return any(tag in cell.metadata.get("tags", []) for tag in HIDDEN)


def _visible_code(path):
    return [c for c in _cells(path) if c.cell_type == "code" and not _hidden(c)]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_visible_code_lines_fit_79_characters(path):
    long = [
        line for cell in _visible_code(path) for line in cell.source.splitlines() if len(line) > 79
    ]
    assert long == []


PLUMBING = re.compile(r"\bglue\(|\bprose_value\(|^\s*assert\b|set_printoptions", re.M)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_plumbing_in_visible_code(path):
    found = [m.group() for c in _visible_code(path) for m in PLUMBING.finditer(c.source)]
    assert found == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_generators_derive_from_the_chapter_seed(path):
    code = "\n".join(c.source for c in _cells(path) if c.cell_type == "code")
    calls = re.findall(r"default_rng\(([^)]*)\)", code)
    assert calls and calls[0] == "SEED", "the first generator is default_rng(SEED)"
    assert all(re.match(r"SEED\b|\[SEED\b", args) for args in calls), calls
    assert not re.search(r"\bseed=\d", code), "literal seeds"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_prose_numbers_are_defined_before_their_paragraph(path):
    defined: set[str] = set()
    missing = []
    for cell in _cells(path):
        if cell.cell_type == "code" and _hidden(cell):
            defined |= set(re.findall(r"\b(\w+) = prose_value\(\s*\"\1\"", cell.source))
            defined |= {"*"} if "globals()[var] = prose_value(var" in cell.source else set()
        elif cell.cell_type == "markdown":
            assert "{glue:text}" not in cell.source, "numbers in prose use {eval}"
            for name in re.findall(r"\{eval\}`([^`]*)`", cell.source):
                if name not in defined and "*" not in defined:
                    missing.append(name)
    assert missing == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_hidden_cells_are_collapsed_in_jupyterlab(path):
    hidden = [c for c in _cells(path) if c.cell_type == "code" and _hidden(c)]
    assert hidden
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") is True for c in hidden)


def lab_save(path, tmp_path) -> str:
    """What JupyterLab writes back after opening `path` and starting its kernel."""
    shutil.copy(path, tmp_path / path.name)
    shutil.copy(ROOT / "jupytext.toml", tmp_path / "jupytext.toml")
    try:  # jupytext >= 1.17 serves Jupyter Server's async contents manager
        from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
        from jupytext.async_contentsmanager import build_async_jupytext_contents_manager_class

        manager = build_async_jupytext_contents_manager_class(AsyncLargeFileManager)(
            root_dir=str(tmp_path)
        )
    except ImportError:
        from jupyter_server.services.contents.largefilemanager import LargeFileManager
        from jupytext.contentsmanager import build_jupytext_contents_manager_class

        manager = build_jupytext_contents_manager_class(LargeFileManager)(root_dir=str(tmp_path))

    async def call(result):
        return await result if inspect.isawaitable(result) else result

    async def open_run_save():
        model = await call(manager.get(path.name, type="notebook", content=True))
        nb = model["content"]
        # What jupyterlab-myst stores after evaluating the prose's {eval} roles.
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown" and "{eval}" in "".join(cell["source"]):
                cell["metadata"]["user_expressions"] = [
                    {"expression": "x", "result": {"status": "ok", "data": {"text/plain": "1"}}}
                ]
        # What a running ipykernel reports to the notebook.
        nb["metadata"]["kernelspec"]["display_name"] = "Python 3 (ipykernel)"
        nb["metadata"]["language_info"] = {
            "name": "python",
            "version": "3.11.7",
            "pygments_lexer": "ipython3",
            "codemirror_mode": {"name": "ipython", "version": 3},
            "file_extension": ".py",
            "mimetype": "text/x-python",
            "nbconvert_exporter": "python",
        }
        await call(manager.save({"type": "notebook", "content": nb, "format": "json"}, path.name))

    asyncio.run(open_run_save())
    return (tmp_path / path.name).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_opening_and_saving_in_jupyterlab_leaves_the_chapter_unchanged(path, tmp_path):
    assert lab_save(path, tmp_path) == path.read_text(encoding="utf-8"), (
        f"normalize with: jupytext --to myst {path.relative_to(ROOT)} -o {path.relative_to(ROOT)}"
    )


def _sections_and_cells(path):
    section = None
    for cell in _cells(path):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("## "):
                    section = line[3:]
        yield section, cell


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_self_checks_are_declared_once_and_asked_through_the_chapter(path):
    cells = list(_sections_and_cells(path))
    declared = [c for _, c in cells if c.cell_type == "code" and "SelfCheck(" in c.source]
    assert len(declared) == 1 and _hidden(declared[0]), "one hidden declarations cell"
    assert len(re.findall(r"^\s*number\(", declared[0].source, re.M)) >= 2, "two numeric"
    asks = [(s, c) for s, c in cells if c.cell_type == "code" and "checks.ask(" in c.source]
    assert len(asks) >= 6
    assert all(c.source.count("checks.ask(") == 1 for _, c in asks)
    # Spread through the chapter: in at least four of its sections, not only at the end.
    assert len({s for s, _ in asks}) >= 4
    assert all("remove-input" in c.metadata.get("tags", []) for _, c in asks)
    code = [c for _, c in cells if c.cell_type == "code"]
    assert code[-1].source.strip() == "checks.answer_key()"
    assert cells[-1][0] == "Answers to the self-checks"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_self_check_numbers_are_computed_not_typed(path):
    import ast

    for cell in _cells(path):
        if cell.cell_type != "code" or "checks.ask(" not in cell.source:
            continue
        call = ast.parse(cell.source).body[-1].value
        assert isinstance(call, ast.Call) and ast.unparse(call.func) == "checks.ask"
        for kw in call.keywords:
            value = kw.value.operand if isinstance(kw.value, ast.UnaryOp) else kw.value
            assert not (
                isinstance(value, ast.Constant) and isinstance(value.value, (int, float))
            ), f"{kw.arg}={ast.unparse(kw.value)} is typed, not computed"
