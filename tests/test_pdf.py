"""The printed book: ``jupyter-book build . --builder pdflatex`` makes one sane PDF.

Builds the PDF once, from scratch in a temporary folder, and checks what a reader of the
paper book gets: a page count in a sane range, every chapter title, every figure and every
player strip embedded, each figure's caption, each self-check with its answer, each
exercise with its solution, no unresolved reference ("??"), no LaTeX error and no
missing glyph in the log.

Needs XeLaTeX and latexmk (Debian: texlive-xetex, texlive-latex-extra, latexmk, xindy,
fonts-freefont-otf) and poppler-utils; skipped with a message where they are missing,
never in CI (LESSONLIB_REQUIRE_BROWSER=1, the same rule as the browser tests).
"""

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jupytext
import pytest
from _book import ROOT, chapter_sources, require

TOOLS = ["xelatex", "latexmk", "pdftotext", "pdfinfo", "pdfimages"]
JUPYTER_BOOK = str(Path(sys.executable).with_name("jupyter-book"))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    require(
        not missing,
        f"cannot build the PDF here: {', '.join(missing)} missing (apt-get install "
        "texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk xindy "
        "fonts-freefont-otf poppler-utils)",
    )
    # A clean build: the chapters execute afresh (an execution cache keys on the
    # chapters' text alone, so it could hold outputs of older library code).
    out = tmp_path_factory.mktemp("pdf")
    start = time.monotonic()
    result = subprocess.run(
        [JUPYTER_BOOK, "build", str(ROOT), "--builder", "pdflatex", "--path-output", str(out)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    seconds = time.monotonic() - start
    latex = out / "_build" / "latex"
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    path = latex / "book.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    images = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    (ROOT / "_build" / "test-artifacts").mkdir(parents=True, exist_ok=True)
    shutil.copy(path, ROOT / "_build" / "test-artifacts" / "book.pdf")
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    print(f"PDF: {pages} pages, built in {seconds:.0f} s")
    return {
        "text": text,
        "flat": " ".join(text.split()),
        "pages": pages,
        "images": [line for line in images.splitlines()[2:] if line.strip()],
        "log": (latex / "book.log").read_text(encoding="utf-8", errors="replace"),
        "tex": (latex / "book.tex").read_text(encoding="utf-8"),
        "latex": latex,
    }


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _chapters():
    for path in chapter_sources():
        yield path, jupytext.read(path)


def test_page_count_is_sane(pdf):
    assert 100 <= pdf["pages"] <= 400, pdf["pages"]


def test_no_latex_error_unresolved_reference_or_missing_glyph(pdf):
    log = pdf["log"]
    assert not re.search(r"^! ", log, re.M), re.findall(r"^! .*", log, re.M)[:5]
    assert "Missing character" not in log, re.findall(r"Missing character.*", log)[:5]
    # The log is the last LaTeX pass's: a reference still undefined is reported in it.
    assert not re.search(r"(Reference|Citation) `[^']*' on page \d+ undefined", log)
    assert "There were undefined references" not in log
    assert "??" not in pdf["text"]


def test_preface_then_chapters_numbered_from_one(pdf):
    flat = pdf["flat"]
    assert "Preface" in flat
    for number, (path, nb) in enumerate(_chapters(), start=1):
        title = next(line[2:] for line in nb.cells[0].source.splitlines() if line.startswith("# "))
        assert f"Chapter {number}. {title}" in flat, (path.name, title)


def test_every_figure_and_player_strip_is_embedded(pdf):
    included = re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{\{([^}]*)\}", pdf["tex"])
    assert included, "no image in the LaTeX source"
    # Each included image is a file the build wrote, and each is embedded in the PDF.
    for name in included:
        assert list(pdf["latex"].glob(name + ".*")), name
    assert len(pdf["images"]) >= len(included)
    figures = 0
    flat = _letters(pdf["text"])
    for path, nb in _chapters():
        for cell in nb.cells:
            caption = cell.metadata.get("mystnb", {}).get("figure", {}).get("caption")
            if caption:
                figures += 1
                # The caption's opening words up to its first formula, compared letters and
                # digits only (the text layer hyphenates and re-spaces lines).
                opening = " ".join(caption.split("$")[0].split()[:8])
                assert len(opening.split()) >= 3 and _letters(opening) in flat, (path.name, opening)
    assert len(included) >= figures


def test_each_player_is_printed_as_a_strip_with_its_sentence(pdf):
    calls = sum(
        len(re.findall(r"widgets\.\w+_widget\(", cell.source))
        for _, nb in _chapters()
        for cell in nb.cells
        if cell.cell_type == "code"
    )
    notes = re.findall(r"(\d+) of the (\d+) frames of an interactive player", pdf["flat"])
    assert len(notes) == calls > 0
    assert all(int(shown) == 3 < int(total) for shown, total in notes)
    assert pdf["flat"].count("the controls step through all of them") == calls


def test_every_self_check_is_printed_with_its_answer(pdf):
    flat = pdf["flat"]
    for number, (path, nb) in enumerate(_chapters(), start=1):
        asked = sum(cell.source.count("checks.ask(") for cell in nb.cells)
        assert asked >= 6, path.name
        for k in range(1, asked + 1):
            # Once as the question, once in the answer key.
            assert flat.count(f"Check {number}.{k}.") >= 2, (path.name, k)
        assert f"Answers to the self-checks of Chapter {number}." in flat
    # The interactive form needs a browser: none of its code reaches the paper.
    assert "lessonlibQuiz" not in pdf["tex"]


def test_every_exercise_is_printed_with_its_solution(pdf):
    flat = pdf["flat"]
    for number, (path, nb) in enumerate(_chapters(), start=1):
        source = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        exercises = source.count("```{exercise}")
        solutions = source.count("```{solution-start}")
        assert exercises == solutions > 0, path.name
        for k in range(1, exercises + 1):
            assert f"Exercise {number}.{k}" in flat, (path.name, k)
            assert f"Solution to Exercise {number}.{k}" in flat, (path.name, k)


def test_code_wraps_instead_of_running_off_the_page(pdf):
    # A line cut at the margin would be lost; Sphinx marks a wrapped line's continuation
    # with a hook (↪) and does not clip. No text-layer line is wider than the page allows.
    widths = [len(line) for line in pdf["text"].splitlines()]
    assert max(widths) <= 140, max(widths)
    assert "sphinxVerbatim" in pdf["tex"]
    assert not re.search(r"Overfull \\hbox \((\d{3,}|[6-9]\d)\.", pdf["log"]), re.findall(
        r"Overfull \\hbox \([\d.]+pt too wide\)[^\n]*", pdf["log"]
    )[:5]


def test_readme_says_how_to_get_the_pdf():
    readme = (ROOT / "README.md").read_text()
    assert "--builder pdflatex" in readme
    assert "_build/latex/book.pdf" in readme
