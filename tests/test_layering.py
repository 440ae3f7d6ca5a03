"""The layering holds: numerics never load matplotlib or ipywidgets; figures never load ipywidgets.

Each check runs in a fresh interpreter, because the test session itself has long
imported both.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import lessonlib

PACKAGE = Path(lessonlib.__file__).parent
#: Every flat module of lessonlib is numerics (plots/ and widgets/ are the presentation layer).
NUMERICS = ["lessonlib"] + sorted(
    f"lessonlib.{path.stem}" for path in PACKAGE.glob("*.py") if path.stem != "__init__"
)
PRESENTATION = ("matplotlib", "ipywidgets")


def _loaded_after_import(modules: list[str]) -> set[str]:
    """Import `modules` in a fresh interpreter; return the top-level packages it loaded."""
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout))


def test_discovery_sees_the_known_numerics_modules():
    known = {"mle", "priors", "em", "elbo", "kl", "datasets", "_validation", "style"}
    assert {f"lessonlib.{name}" for name in known} <= set(NUMERICS)
    assert not {"lessonlib.plots", "lessonlib.widgets"} & set(NUMERICS)


def test_numerics_load_neither_matplotlib_nor_ipywidgets():
    loaded = _loaded_after_import(NUMERICS)
    assert "lessonlib" in loaded and "numpy" in loaded  # the probe really imported them
    assert not loaded & set(PRESENTATION), sorted(loaded & set(PRESENTATION))


@pytest.mark.parametrize("name", NUMERICS)
def test_each_numerics_module_alone_is_free_of_presentation(name):
    assert not _loaded_after_import([name]) & set(PRESENTATION)


def test_plots_do_not_load_ipywidgets():
    loaded = _loaded_after_import(["lessonlib.plots"])
    assert "matplotlib" in loaded and "ipywidgets" not in loaded


def test_widgets_import_ipywidgets_only_when_a_live_control_is_made():
    assert "ipywidgets" not in _loaded_after_import(["lessonlib.widgets"])


def test_the_presentation_layer_is_split_by_topic():
    topics = {"mle", "priors", "em", "elbo", "kl"}
    for layer, private in [("plots", "_common"), ("widgets", "_player")]:
        found = {path.stem for path in (PACKAGE / layer).glob("*.py")}
        assert found == topics | {"__init__", private}, layer
    assert not (PACKAGE / "plots.py").exists() and not (PACKAGE / "widgets.py").exists()
