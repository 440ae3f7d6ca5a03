"""Every public function has a docstring with a runnable example, and the examples pass."""

import doctest
import importlib
import inspect

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

MODULES = [
    "lessonlib.mle",
    "lessonlib.priors",
    "lessonlib.em",
    "lessonlib.elbo",
    "lessonlib.kl",
    "lessonlib.plots",
    *(f"lessonlib.plots.{topic}" for topic in ("mle", "priors", "em", "elbo", "kl")),
    "lessonlib.widgets",
    "lessonlib.widgets._player",
    *(f"lessonlib.widgets.{topic}" for topic in ("mle", "priors", "em", "elbo", "kl")),
    "lessonlib.datasets",
    "lessonlib.style",
]


def _public(module_name):
    module = importlib.import_module(module_name)
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isfunction(obj):
            yield f"{module_name}.{name}", obj


@pytest.mark.parametrize("module_name", MODULES)
def test_module_declares_all(module_name):
    module = importlib.import_module(module_name)
    assert module.__all__ and all(hasattr(module, n) for n in module.__all__)


@pytest.mark.parametrize(
    ("qualname", "func"), [pair for m in MODULES for pair in _public(m)], ids=lambda v: str(v)
)
def test_public_function_has_example(qualname, func):
    doc = inspect.getdoc(func) or ""
    assert "Examples" in doc and ">>>" in doc, f"{qualname} needs an Examples section"


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name):
    import matplotlib.pyplot as plt

    module = importlib.import_module(module_name)
    result = doctest.testmod(module, extraglobs={"np": np}, optionflags=doctest.ELLIPSIS)
    plt.close("all")
    assert result.attempted > 0 and result.failed == 0
