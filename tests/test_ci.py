"""`.ci/run` runs exactly the two README Quickstart commands."""

import re

from _book import ROOT


def _quickstart_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quickstart_has_exactly_two_commands():
    commands = _quickstart_commands()
    assert len(commands) == 2
    assert commands[0] == (
        "python -m pip install -r requirements.txt && jupyter-book build . -W -n --keep-going"
    )


def test_ci_runs_the_readme_commands_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert [line for line in ci if line in _quickstart_commands()] == _quickstart_commands()
    assert "set -euo pipefail" in ci


def _requirements(path):
    """Requirement lines of a pip requirements file (comments, options and local paths left out)."""
    from packaging.requirements import Requirement

    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith(("-", "."))]


def _pins(path):
    return {req.name.lower(): str(req.specifier)[2:] for req in _requirements(path)}


def test_the_lock_pins_every_package_within_the_declared_ranges():
    lock = ROOT / "requirements.txt"
    text = lock.read_text()
    assert "uv pip compile requirements.in -o requirements.txt" in text  # how it was made
    assert all(str(req.specifier).startswith("==") for req in _requirements(lock))
    pins = _pins(lock)
    for req in _requirements(ROOT / "requirements.in"):
        assert req.specifier.contains(pins[req.name.lower()]), (req, pins[req.name.lower()])
    # Readers install the same local packages; no machine paths or private indexes.
    assert re.findall(r"^(-e \.|\./jupyter-config)(?=\s|$)", text, re.M) == [
        "-e .",
        "./jupyter-config",
    ]
    assert not re.search(r"file:|/work/|/opt/|/tmp/|--(extra-)?index-url|--find-links", text)


def test_the_floors_file_pins_each_direct_dependency_at_its_lower_bound():
    from packaging.version import Version

    floors = _pins(ROOT / ".ci" / "floors.txt")
    for req in _requirements(ROOT / "requirements.in"):
        lower = [spec.version for spec in req.specifier if spec.operator == ">="]
        assert lower and Version(floors[req.name.lower()]) == Version(lower[0]), req


def test_ci_runs_the_floors_and_newest_lanes():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".ci/lane run floors 3.11 --constraints .ci/floors.txt" in ci
    assert ".ci/lane run newest 3.13 --warnings-as-errors" in ci
    lane = (ROOT / ".ci" / "lane").read_text(encoding="utf-8")
    assert "jupyter-book build . -W -n --keep-going" in lane
    assert "python -m pytest --nbval tests chapters" in lane
    # The browser suites run (strictly) in the locked lane, the README's own commands.
    assert "--ignore=tests/test_browser.py --ignore=tests/test_jupyterlab_browser.py" in lane
    assert "--ignore=tests/test_pdf.py" in lane
