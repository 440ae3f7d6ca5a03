"""The API inventory: no public lessonlib function may slip in untested.

For every name in a module's ``__all__`` this checks, by reading the test sources:
an *oracle* test (a test other than the bad-input ones that calls it), a
*bad-input* test (a test named ``*reject*``/``*bad_input*``/``*hostile*`` that
calls it, or an entry in the hostile-input registry), and a docstring example
(tests/test_docs.py runs those). Classes that only hold results, constants and
factories without arguments are listed below with the reason they are exempt.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest
from test_hostile import VALID

TESTS = Path(__file__).parent
MODULES = [
    "mle",
    "priors",
    "em",
    "elbo",
    "kl",
    "mixtures",
    "optim",
    "plots",
    "widgets",
    "datasets",
    "style",
]
BAD_INPUT_TEST = re.compile(r"reject|bad_input|hostile|non_finite")

#: Public names without arguments to abuse (their behaviour is still tested).
NO_ARGUMENTS = {
    "style.use_style",
    "widgets.beta_posterior_widget",
    "widgets.kl_fits_widget",
}
#: Widget factories: their inputs are validated by the lessonlib function they call first, and
#: test_widgets drives every control to both ends.
DELEGATES = {
    "widgets.mle_sampling_widget": "mle.sample_bernoulli_mles",
    "widgets.mle_sampling_player": "mle.sample_bernoulli_mles",
    "widgets.beta_posterior_player": "plots.plot_beta_posterior",
    "widgets.em_step_widget": "em.fit_gmm_1d",
    "widgets.em_step_player": "em.fit_gmm_1d",
    "widgets.elbo_widget": "elbo.normal_mean_posterior",
    "widgets.elbo_player": "elbo.normal_mean_posterior",
    "widgets.kl_fits_player": "kl.fit_normal_to_mixture",
}


def _public_api() -> dict[str, object]:
    api = {}
    for module_name in MODULES:
        module = importlib.import_module(f"lessonlib.{module_name}")
        for name in module.__all__:
            api[f"{module_name}.{name}"] = getattr(module, name)
    return api


def _test_references() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Map each referenced identifier to the oracle tests and the bad-input tests using it."""
    oracle: dict[str, set[str]] = {}
    bad: dict[str, set[str]] = {}
    for path in sorted(TESTS.glob("test_*.py")):
        if path.name in {"test_inventory.py", "test_docs.py"}:
            continue
        tree = ast.parse(path.read_text())
        # Module-level tables (e.g. CASES = {...}) count for the tests that use them.
        tables = {}
        for stmt in tree.body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                inner = {n.attr for n in ast.walk(stmt) if isinstance(n, ast.Attribute)}
                for target in targets:
                    if isinstance(target, ast.Name):
                        tables[target.id] = inner
        for node in ast.walk(tree):
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test_")):
                continue
            names = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
            names |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            for deco in node.decorator_list:
                names |= {n.attr for n in ast.walk(deco) if isinstance(n, ast.Attribute)}
            for table in names & set(tables):
                names |= tables[table]
            target = bad if BAD_INPUT_TEST.search(node.name) else oracle
            for name in names:
                target.setdefault(name, set()).add(f"{path.stem}::{node.name}")
    return oracle, bad


API = _public_api()
ORACLE, BAD = _test_references()
FUNCTIONS = sorted(name for name, obj in API.items() if inspect.isfunction(obj))


def test_inventory_is_complete():
    classes = {n for n, o in API.items() if inspect.isclass(o)}
    constants = {n for n, o in API.items() if not callable(o)}
    assert set(API) == set(FUNCTIONS) | classes | constants
    assert len(FUNCTIONS) >= 60  # the inventory really sees the library


@pytest.mark.parametrize("qualname", FUNCTIONS)
def test_function_has_an_oracle_test(qualname):
    short = qualname.split(".")[1]
    users = {t for t in ORACLE.get(short, set()) if not t.startswith("test_hostile::")}
    assert users, f"{qualname} has no test that checks its results"


@pytest.mark.parametrize("qualname", FUNCTIONS)
def test_function_has_a_bad_input_test(qualname):
    if qualname in NO_ARGUMENTS:
        return
    if qualname in DELEGATES:
        assert DELEGATES[qualname] in VALID, f"{qualname} delegates to an unregistered function"
        return
    short = qualname.split(".")[1]
    assert qualname in VALID or BAD.get(short), f"{qualname} has no bad-input test"


@pytest.mark.parametrize("qualname", FUNCTIONS)
def test_function_has_a_docstring_example(qualname):
    doc = inspect.getdoc(API[qualname]) or ""
    assert "Examples" in doc and ">>>" in doc, f"{qualname} needs an Examples section"


def test_result_classes_are_documented():
    for name, obj in API.items():
        if inspect.isclass(obj):
            assert "Attributes" in (inspect.getdoc(obj) or ""), name
