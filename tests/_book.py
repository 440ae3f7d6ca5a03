"""Helpers shared by the tests of the built website."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
ARTIFACTS = ROOT / "_build" / "test-artifacts"


def strict() -> bool:
    """True in CI (LESSONLIB_REQUIRE_BROWSER=1): checks that need the built book may not skip."""
    return os.environ.get("LESSONLIB_REQUIRE_BROWSER") == "1"


def require(condition: bool, reason: str) -> None:
    """Skip when `condition` fails -- unless CI demands the check (LESSONLIB_REQUIRE_BROWSER=1)."""
    if condition:
        return
    if strict():
        pytest.fail(f"{reason} (LESSONLIB_REQUIRE_BROWSER=1 forbids skipping)")
    pytest.skip(reason)


def built_pages() -> list[Path]:
    """The book's content pages: intro, reference and every chapter."""
    require(
        (HTML / "intro.html").exists(),
        "the book is not built; run `jupyter-book build . -W -n --keep-going` first",
    )
    chapters = sorted((HTML / "chapters").glob("*.html"))
    return [HTML / "intro.html", HTML / "reference.html", *chapters]


def chapter_sources() -> list[Path]:
    return sorted((ROOT / "chapters").glob("*.md"))
