"""The code follows STYLE.md's lint and format rules (ruff, configured in pyproject.toml)."""

import subprocess
import sys

from _book import ROOT

PATHS = ["lessonlib", "tests", "benchmarks", "conftest.py", "_ext"]


def _ruff(*args):
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *PATHS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_check_is_clean():
    result = _ruff("check", "--no-cache")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]


def test_ruff_format_is_clean():
    result = _ruff("format", "--check", "--no-cache")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
