"""Mutation testing of the figures and two numerics modules, run by hand (never in CI).

Command (from the repository root; mutmut comes from PyPI and is not a requirement)::

    pip install mutmut
    python -m benchmarks.mutation            # about 15-20 minutes on 2 cores
    python -m benchmarks.mutation --survivors   # also list every surviving mutant

mutmut rewrites one small piece of code at a time (``<`` to ``<=``, ``2`` to ``3``,
``"min"`` to ``"max"``, an argument dropped...) and runs the tests that cover it; a
mutant the tests do not notice *survives*. Scope: every plotting module
(``lessonlib/plots/*.py``) with the figure tests, and ``lessonlib/mixtures.py`` and
``lessonlib/kl.py`` with their own test files only (``tests/test_plots*.py``,
``tests/test_mixtures.py``, ``tests/test_kl.py``), so a mutant counts as killed only
when the test file of its module notices it.

The run happens in a scratch copy (``--workdir``, default a new temporary directory):
the repository's package, the chosen test files and a ``pyproject.toml`` that
configures mutmut are copied there, so nothing in the repository changes. It runs
under ``nice -n 10`` and prints the killed / survived / other counts per module and
in total. The counts of the last runs are in BENCHMARKS.md ("Mutation testing").
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Modules mutated, as paths relative to the repository.
MUTATED = ["lessonlib/plots/*.py", "lessonlib/mixtures.py", "lessonlib/kl.py"]
#: The only tests run against the mutants (and the helpers they import).
TESTS = [
    "tests/test_plots.py",
    "tests/test_plots_mle.py",
    "tests/test_plots_priors.py",
    "tests/test_plots_em.py",
    "tests/test_plots_elbo.py",
    "tests/test_plots_kl.py",
    "tests/test_mixtures.py",
    "tests/test_kl.py",
]
#: Modules the tests import (test_plots takes its valid calls from test_hostile; not run).
HELPERS = ["tests/_figures.py", "tests/test_hostile.py"]

CONFIG = """\
[tool.mutmut]
source_paths = ["lessonlib"]
only_mutate = {only}
do_not_mutate = ["*/__init__.py"]
pytest_add_cli_args_test_selection = {tests}
pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:randomly", "-q"]
use_git_change_detection = false

[tool.pytest.ini_options]
filterwarnings = ["error::RuntimeWarning", "error:::lessonlib"]
"""


def prepare(workdir: Path, modules: list[str], tests: list[str]) -> None:
    """Copy the package and the chosen tests into `workdir` and write mutmut's configuration."""
    shutil.copytree(
        ROOT / "lessonlib", workdir / "lessonlib", ignore=shutil.ignore_patterns("__pycache__")
    )
    (workdir / "tests").mkdir()
    for name in tests + HELPERS:
        shutil.copy2(ROOT / name, workdir / name)
    (workdir / "pyproject.toml").write_text(
        CONFIG.format(only=json.dumps(modules), tests=json.dumps(tests))
    )


def counts(workdir: Path) -> dict[str, dict[str, int]]:
    """Return {module: {status: count}} from mutmut's results (every mutant, any status)."""
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    table: dict[str, dict[str, int]] = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if not sep or "__mutmut_" not in name:
            continue
        # mutmut names a mutant <module>.x_<function>__mutmut_<n> (xǁClassǁmethod for methods)
        match = re.match(r"(.+?)\.x[_ǁ]", name)
        module = match.group(1) if match else name
        table.setdefault(module, {}).setdefault(status.strip(), 0)
        table[module][status.strip()] += 1
    return table


def main(argv: list[str] | None = None) -> int:
    """Run mutmut over the chosen modules and print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, help="scratch directory (default: a new temp dir)")
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutants (cores)")
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    parser.add_argument(
        "--modules", nargs="+", default=MUTATED, help="paths (globs) to mutate, as in MUTATED"
    )
    parser.add_argument("--tests", nargs="+", default=TESTS, help="test files to run")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="lessonlib-mutation-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if not (workdir / "lessonlib").exists():
        prepare(workdir, args.modules, args.tests)
    print(f"mutating {args.modules} in {workdir}", flush=True)
    cmd = ["nice", "-n", "10", sys.executable, "-m", "mutmut", "run"]
    subprocess.run(cmd + ["--max-children", str(args.max_children)], cwd=workdir, check=False)
    table = counts(workdir)
    total: dict[str, int] = {}
    for module, by_status in sorted(table.items()):
        print(module, dict(sorted(by_status.items())))
        for status, n in by_status.items():
            total[status] = total.get(status, 0) + n
    print("total", dict(sorted(total.items())))
    if args.survivors:
        subprocess.run([sys.executable, "-m", "mutmut", "results"], cwd=workdir, check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
