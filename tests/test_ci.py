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
