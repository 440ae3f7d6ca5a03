"""Every figure of every executed chapter is where its source says, once.

A figure cell is a code cell whose metadata declares a MyST-NB figure (caption, name).
In the build's executed notebooks each figure cell must show exactly one image and every
other cell none. This catches a figure that is lost or that turns up in a later cell (as
happened with matplotlib < 3.9 under IPython 9), whether or not a cross-reference points
at it.
"""

import nbformat
import pytest
from _book import ROOT, chapter_sources, require

EXECUTED = ROOT / "_build" / "jupyter_execute" / "chapters"
IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg")


def _code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def _is_player(output) -> bool:
    # A page player also carries a PNG strip of its frames, for the printed book; it is
    # the player, not a figure, and is counted by its own test below.
    return 'class="lessonlib-player"' in "".join(output.get("data", {}).get("text/html", ""))


def _image_count(cell) -> int:
    return sum(
        any(kind in output.get("data", {}) for kind in IMAGE_TYPES)
        for output in cell.outputs
        if not _is_player(output)
    )


def expected_images(source_cell) -> int:
    """One image for a declared figure cell, none for any other cell."""
    return int("figure" in source_cell.metadata.get("mystnb", {}))


def misplaced_figures(source_nb, executed_nb) -> list[str]:
    """Describe each code cell whose image count differs from what its source declares."""
    problems = []
    source_cells, executed_cells = _code_cells(source_nb), _code_cells(executed_nb)
    if [c.source.strip() for c in source_cells] != [c.source.strip() for c in executed_cells]:
        return ["the executed notebook's code cells differ from the source: rebuild the book"]
    for number, (src, run) in enumerate(zip(source_cells, executed_cells), start=1):
        want, got = expected_images(src), _image_count(run)
        if want and any(o.get("output_type") == "execute_result" for o in run.outputs):
            problems.append(f"code cell {number}: a figure cell also shows its return value")
        if want != got:
            first_line = src.source.strip().splitlines()[0] if src.source.strip() else ""
            problems.append(f"code cell {number} ({first_line[:50]!r}): {got} images, want {want}")
    return problems


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: p.name)
def test_each_figure_cell_shows_exactly_its_figure(source):
    import jupytext

    executed = EXECUTED / f"{source.stem}.ipynb"
    require(executed.exists(), f"{executed} is missing: build the book first")
    source_nb = jupytext.read(source)
    assert any(expected_images(c) for c in _code_cells(source_nb)), "no figure declared"
    assert misplaced_figures(source_nb, nbformat.read(executed, as_version=4)) == []


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def _cell(source, images=0, figure=False):
    cell = nbformat.v4.new_code_cell(source)
    if figure:
        cell.metadata["mystnb"] = {"figure": {"caption": "c", "name": "fig-x"}}
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": "AA=="}) for _ in range(images)
    ]
    return cell


def test_a_lost_or_displaced_figure_is_reported():
    source = _nb(_cell("a", figure=True), _cell("b"), _cell("c", figure=True))
    good = _nb(_cell("a", 1, True), _cell("b", 0), _cell("c", 1, True))
    lost = _nb(_cell("a", 0, True), _cell("b", 0), _cell("c", 1, True))
    displaced = _nb(_cell("a", 0, True), _cell("b", 0), _cell("c", 2, True))
    stray = _nb(_cell("a", 1, True), _cell("b", 1), _cell("c", 1, True))
    assert misplaced_figures(source, good) == []
    assert len(misplaced_figures(source, lost)) == 1
    assert len(misplaced_figures(source, displaced)) == 2
    assert "code cell 2" in misplaced_figures(source, stray)[0]
    stale = _nb(_cell("a", 1, True), _cell("B", 0), _cell("c", 1, True))
    assert "rebuild" in misplaced_figures(source, stale)[0]


def test_a_figure_cell_that_also_shows_its_return_value_is_reported():
    source = _nb(_cell("a", figure=True))
    run = _nb(_cell("a", 1, True))
    run.cells[0].outputs.append(
        nbformat.v4.new_output("execute_result", data={"text/plain": "<Axes>"}, execution_count=1)
    )
    assert "return value" in misplaced_figures(source, run)[0]


@pytest.mark.parametrize("source", chapter_sources(), ids=lambda p: p.name)
def test_each_lesson_cell_shows_one_player_with_its_print_strip(source):
    import jupytext

    executed = EXECUTED / f"{source.stem}.ipynb"
    require(executed.exists(), f"{executed} is missing: build the book first")
    cells = zip(_code_cells(jupytext.read(source)), _code_cells(nbformat.read(executed, 4)))
    lessons = [run for src, run in cells if "_widget(" in src.source]
    assert lessons
    for run in lessons:
        players = [o for o in run.outputs if _is_player(o)]
        assert len(players) == 1 and "image/png" in players[0]["data"]
