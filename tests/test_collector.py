"""The root conftest really makes `pytest --nbval chapters` run Jupytext markdown notebooks."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A test chapter
"""


def _cell(source, tags=None):
    meta = f":tags: {tags}\n\n" if tags else ""
    return f"\n```{{code-cell}} ipython3\n{meta}{source}\n```\n"


@pytest.fixture
def book(pytester):
    shutil.copy(ROOT / "conftest.py", pytester.path / "conftest.py")
    (pytester.path / "chapters").mkdir()
    return pytester


def test_every_cell_of_a_markdown_notebook_runs(book):
    text = HEADER + _cell("x = 21") + _cell("assert x * 2 == 42", tags="[remove-cell]")
    (book.path / "chapters" / "ok.md").write_text(text)
    result = book.runpytest_subprocess("--nbval", "--nbval-current-env", "chapters")
    result.assert_outcomes(passed=2)


def test_a_cell_that_raises_fails(book):
    text = HEADER + _cell("x = 1") + _cell("assert x == 2, 'wrong lesson'")
    (book.path / "chapters" / "bad.md").write_text(text)
    result = book.runpytest_subprocess("--nbval", "--nbval-current-env", "chapters")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*wrong lesson*"])


def test_collecting_nothing_is_an_error(book):
    (book.path / "chapters" / "notes.md").write_text("# Just prose, no Jupytext header\n")
    result = book.runpytest_subprocess("--nbval", "chapters")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*collected no notebook cells*"])


def test_a_cell_that_prints_something_else_than_the_build_fails():
    """The reproducibility check: a second run must print and glue what the build did."""
    import types

    from conftest import compare_with_build

    def item(printed, glued):
        reference = {
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "x = 1\n"}],
            "glue": {"value": {"data": {"text/plain": "1.0"}}},
        }
        outputs = [
            {"output_type": "stream", "name": "stdout", "text": printed},
            {
                "output_type": "display_data",
                "data": {"application/papermill.record/text/plain": glued},
                "metadata": {"scrapbook": {"name": "value"}},
            },
        ]
        cell = types.SimpleNamespace(metadata={"lessonlib_reference": reference})
        return types.SimpleNamespace(cell=cell, test_outputs=outputs)

    compare_with_build(item("x = 1\n", "1.0"))  # identical: passes
    with pytest.raises(pytest.fail.Exception, match="stream output differs"):
        compare_with_build(item("x = 2\n", "1.0"))
    with pytest.raises(pytest.fail.Exception, match="glue output differs"):
        compare_with_build(item("x = 1\n", "1.5"))


def test_reproducibility_ignores_only_the_digits_of_rounding_noise():
    import importlib.util

    spec = importlib.util.spec_from_file_location("book_conftest", ROOT / "conftest.py")
    book = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(book)
    same = book.round_long_floats
    assert same("0.9410133495753361 2.5469067662735694") == same(
        "0.9410133495753359 2.546906766273569"
    )
    assert same("0.27222222222222225") != same("0.27222222232222225")  # 10th digit counts
    assert same("lambda = 20.0, test MSE 0.218") == "lambda = 20.0, test MSE 0.218"
