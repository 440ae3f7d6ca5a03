"""The API inventory: no public lessonlib function may slip in untested.

For every name in a module's ``__all__`` this checks, by reading the test sources:

- an **oracle test**. A test function counts as one for ``f`` only when it both
  references ``f`` (directly, or through a module-level table such as
  ``CASES = {...}`` that it uses) *and* references an independent oracle in the same
  test function. An oracle reference is one of:

  * a name or attribute from a library that computes the answer another way:
    ``scipy`` (``stats``, ``special``, ``integrate``, ``quad``, ``optimize``...),
    ``sklearn``, ``numpy.linalg`` (``linalg``), ``math``, or any name the test module
    imports from those packages (``from scipy.stats import norm`` makes ``norm`` one);
  * a brute-force helper: a name starting with ``brute`` or ``_brute``; the test
    helpers ``normal_pdf`` (the density written out) and ``trapezoid`` (quadrature)
    of tests/_figures.py; a helper function of the test module that itself uses an
    oracle by these rules;
  * a line inside the test function marked ``# oracle: <what>`` -- a closed form
    written out in the test, a hand-computed value, an identity the result must
    satisfy -- saying what the independent answer is.

  The hostile-input fuzz and tests named like bad-input tests never count.
- a **bad-input test** (a test named ``*reject*``/``*bad_input*``/``*hostile*`` that
  calls it, or an entry in the hostile-input registry);
- a docstring example (tests/test_docs.py runs those).

Classes that only hold results, constants and factories without arguments are listed
below with the reason they are exempt.
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
    "report",
]
BAD_INPUT_TEST = re.compile(r"reject|bad_input|hostile|non_finite")
#: Names and attributes that are an independent oracle wherever a test uses them.
ORACLE_NAMES = {
    "scipy",
    "stats",
    "special",
    "integrate",
    "quad",
    "optimize",
    "sklearn",
    "linalg",
    "math",
    # tests/_figures.py: the normal density written out, and trapezoid quadrature
    "normal_pdf",
    "trapezoid",
}
ORACLE_PACKAGES = ("scipy", "sklearn", "numpy.linalg", "math")
ORACLE_COMMENT = re.compile(r"#\s*oracle:\s*\S")

#: Public names without arguments to abuse (their behaviour is still tested).
NO_ARGUMENTS = {
    "style.use_style",
    "widgets.on_static_page",
    "widgets.beta_posterior_widget",
    "widgets.kl_fits_widget",
}
#: Public functions whose "oracle" is not a number: they are checked against what they
#: promise by name, with the reason.
NOT_NUMERIC = {
    "widgets.on_static_page": "reads one environment variable; test_widgets sets and unsets it",
    "style.use_style": "applies the style file; test_style reads back the rcParams it sets",
    "widgets.page_player": "renders frames of a given drawing; test_widgets checks the frames "
    "differ per control value and the HTML's controls",
    "widgets.interactive_figure": "wires controls to a given drawing; test_widgets checks a "
    "control change redraws with the new value",
}
#: Widgets compute nothing themselves: their figure is drawn by a plot function and their
#: numbers come from a numerics function, which must pass the oracle rule in their place
#: (test_widgets checks that each control changes the figure).
WIDGET_ORACLES = {
    "widgets.mle_sampling_widget": "mle.sample_bernoulli_mles",
    "widgets.mle_sampling_player": "mle.sample_bernoulli_mles",
    "widgets.beta_posterior_widget": "plots.plot_beta_posterior",
    "widgets.beta_posterior_player": "plots.plot_beta_posterior",
    "widgets.em_step_widget": "em.em_half_steps",
    "widgets.em_step_player": "em.em_half_steps",
    "widgets.elbo_widget": "elbo.normal_mean_elbo",
    "widgets.elbo_player": "elbo.normal_mean_elbo",
    "widgets.kl_fits_widget": "kl.fit_normal_to_mixture",
    "widgets.kl_fits_player": "kl.fit_normal_to_mixture",
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


def _oracle_imports(tree: ast.Module) -> set[str]:
    """Names a test module imports from an oracle package (scipy, sklearn, numpy.linalg, math)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(ORACLE_PACKAGES):
            names |= {a.asname or a.name for a in node.names}
        if isinstance(node, ast.Import):
            names |= {
                (a.asname or a.name).split(".")[0]
                for a in node.names
                if a.name.startswith(ORACLE_PACKAGES)
            }
    return names


def _uses_oracle(node: ast.FunctionDef, names: set[str], lines: list[str], oracles: set[str]):
    """True if the test function references an oracle name or carries a `# oracle:` line."""
    if names & (ORACLE_NAMES | oracles):
        return True
    if any(n.startswith(("brute", "_brute")) for n in names):
        return True
    body = lines[node.lineno - 1 : node.end_lineno]
    return any(ORACLE_COMMENT.search(line) for line in body)


def _test_references() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Map each referenced identifier to the oracle tests and the bad-input tests using it."""
    oracle: dict[str, set[str]] = {}
    bad: dict[str, set[str]] = {}
    for path in sorted(TESTS.glob("test_*.py")):
        if path.name in {"test_inventory.py", "test_docs.py", "test_hostile.py"}:
            continue
        text = path.read_text()
        lines = text.splitlines()
        tree = ast.parse(text)
        oracles = _oracle_imports(tree)
        for stmt in tree.body:  # module-level helpers that use an oracle are oracles
            if isinstance(stmt, ast.FunctionDef) and not stmt.name.startswith("test_"):
                inner = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
                inner |= {n.attr for n in ast.walk(stmt) if isinstance(n, ast.Attribute)}
                if _uses_oracle(stmt, inner, lines, oracles):
                    oracles.add(stmt.name)
        helpers = {
            stmt.name: {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
            | {n.attr for n in ast.walk(stmt) if isinstance(n, ast.Attribute)}
            for stmt in tree.body
            if isinstance(stmt, ast.FunctionDef) and not stmt.name.startswith("test_")
        }
        # Module-level tables (e.g. CASES = {...}) count for the tests that use them.
        tables = {}
        for stmt in tree.body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                inner = {n.attr for n in ast.walk(stmt) if isinstance(n, ast.Attribute)}
                inner |= {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
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
                names |= {n.id for n in ast.walk(deco) if isinstance(n, ast.Name)}
            for table in names & set(tables):
                names |= tables[table]
            for helper in names & set(helpers):  # module-level helpers count for their callers
                names |= helpers[helper]
            if BAD_INPUT_TEST.search(node.name):
                target = bad
            elif _uses_oracle(node, names, lines, oracles):
                target = oracle
            else:
                continue
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
    if qualname in NOT_NUMERIC:
        return
    qualname = WIDGET_ORACLES.get(qualname, qualname)
    short = qualname.split(".")[1]
    assert ORACLE.get(short), f"{qualname} has no test comparing it with an independent oracle"


def test_the_oracle_rule_needs_both_the_function_and_an_oracle():
    tree = ast.parse(
        "from scipy.stats import norm\n"
        "def test_a():\n    assert f(1) == norm.pdf(0)\n"
        "def test_b():\n    assert f(1) == 2\n"
        "def test_c():\n    assert f(1) == 2  # oracle: 1 + 1 by hand\n"
    )
    lines = ast.unparse(tree).splitlines()
    text = (
        "from scipy.stats import norm\n"
        "def test_a():\n    assert f(1) == norm.pdf(0)\n"
        "def test_b():\n    assert f(1) == 2\n"
        "def test_c():\n    assert f(1) == 2  # oracle: 1 + 1 by hand\n"
    )
    lines = text.splitlines()
    oracles = _oracle_imports(tree)
    verdicts = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            names |= {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
            verdicts[node.name] = _uses_oracle(node, names, lines, oracles)
    assert verdicts == {"test_a": True, "test_b": False, "test_c": True}


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
