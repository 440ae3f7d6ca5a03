"""The contract of every figure: labelled axes, a legend, the Axes returned, input validated.

What each figure draws is tested per topic, in tests/test_plots_<topic>.py.
"""

import ast
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lessonlib import plots  # noqa: E402
from lessonlib.style import PALETTE, STYLE_PATH, use_style  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


CASES = {
    "plot_bernoulli_likelihood": lambda ax: plots.plot_bernoulli_likelihood(3, 5, ax=ax),
    "plot_variance_bias": lambda ax: plots.plot_variance_bias(
        [2, 5, 10], [0.5, 0.8, 0.9], [1.0, 1.0, 1.0], 1.0, ax=ax
    ),
    "plot_loss_argmin": lambda ax: plots.plot_loss_argmin(
        np.linspace(0, 2, 21),
        (np.linspace(0, 2, 21) - 1) ** 2,
        2 + (np.linspace(0, 2, 21) - 1) ** 2,
        ax=ax,
    ),
    "plot_probability_curves": lambda ax: plots.plot_probability_curves(
        [0.0, 1.0, 2.0], [0, 1, 1], [0.0, 2.0], {"a": [0.1, 0.9], "b": [0.2, 0.8]}, ax=ax
    ),
    "plot_sampling_distribution": lambda ax: plots.plot_sampling_distribution(
        [0.3, 0.4, 0.5], 0.4, 10, ax=ax
    ),
    "plot_beta_posterior": lambda ax: plots.plot_beta_posterior(2, 5, 1.5, 3, ax=ax),
    "plot_coefficient_paths": lambda ax: plots.plot_coefficient_paths(
        [0.1, 1.0, 10.0], [[1.0, -1.0], [0.5, -0.4], [0.0, -0.1]], ax=ax
    ),
    "plot_estimates_vs_n": lambda ax: plots.plot_estimates_vs_n(
        [1, 10, 100], {"MLE": [1.0, 0.6, 0.52], "MAP": [0.6, 0.55, 0.51]}, 0.5, ax=ax
    ),
    "plot_curve_fits": lambda ax: plots.plot_curve_fits(
        [0.0, 0.5, 1.0], [0.1, 0.4, 1.1], [0.0, 1.0], {"line": [0.0, 1.0]}, truth=[0, 1], ax=ax
    ),
    "plot_gmm_state": lambda ax: plots.plot_gmm_state(
        [-1.0, -0.8, 1.1, 1.3], [0.4, 0.6], [-1.0, 1.0], [0.2, 0.3], iteration=2, loglik=-3.0, ax=ax
    ),
    "plot_loglik_history": lambda ax: plots.plot_loglik_history({"a": [-5, -4, -3.9]}, ax=ax),
    "plot_template_recovery": lambda ax: plots.plot_template_recovery(
        [0, 1, 0], [0.1, 0.9, 0], [0.3, 1.4, -0.2], ax=ax
    ),
    "plot_elbo_surface": lambda ax: plots.plot_elbo_surface(
        np.linspace(-1, 1, 5),
        np.linspace(0.5, 2, 4),
        -(np.linspace(-1, 1, 5)[None] ** 2) - np.linspace(0.5, 2, 4)[:, None],
        0.0,
        0.5,
        ax=ax,
    ),
    "plot_q_vs_posterior": lambda ax: plots.plot_q_vs_posterior(
        0.0, 1.0, 0.3, 0.5, log_evidence=-2.0, elbo=-2.4, ax=ax
    ),
    "plot_vi_vs_grid": lambda ax: plots.plot_vi_vs_grid(
        np.linspace(-3, 3, 21),
        np.linspace(-3, 3, 21),
        np.exp(-0.5 * (np.linspace(-3, 3, 21)[None] ** 2 + np.linspace(-3, 3, 21)[:, None] ** 2)),
        [0.0, 0.0],
        [1.0, 1.0],
        ax=ax,
    ),
    "plot_kl_fits": lambda ax: plots.plot_kl_fits(
        [0.5, 0.5], [-2.0, 2.0], [1.0, 1.0], {"forward": (0.0, 2.2), "reverse": (-2.0, 1.0)}, ax=ax
    ),
    "plot_kl_landscape": lambda ax: plots.plot_kl_landscape(
        np.linspace(-3, 3, 61), {"reverse": (np.linspace(-3, 3, 61) ** 2 - 4) ** 2}, ax=ax
    ),
    "plot_mean_field_ellipses": lambda ax: plots.plot_mean_field_ellipses(
        [0, 0], [[1.0, 0.8], [0.8, 1.0]], {"reverse": [0.6, 0.6], "forward": [1, 1]}, ax=ax
    ),
    "plot_shrinkage_rules": lambda ax: plots.plot_shrinkage_rules(1.0, ax=ax),
    "plot_penalty_geometry": lambda ax: plots.plot_penalty_geometry(
        [2.0, 0.8], [[1.0, 0.3], [0.3, 0.6]], 1.0, ax=ax
    ),
    "plot_lambda_curve": lambda ax: plots.plot_lambda_curve(
        [0.1, 1.0, 10.0], [3.0, 1.0, 2.0], ylabel="CV error", ax=ax
    ),
    "plot_em_bound": lambda ax: plots.plot_em_bound(
        np.linspace(-1, 1, 5),
        [-1.0, -0.25, 0.0, -0.25, -1.0],
        [-2, -1, -0.5, -0.3, -1.2],
        0.5,
        ax=ax,
    ),
    "plot_shift_posteriors": lambda ax: plots.plot_shift_posteriors(
        np.eye(3)[[2, 0, 1]], [2, 0, 1], ax=ax
    ),
    "plot_iwae_bounds": lambda ax: plots.plot_iwae_bounds(
        [1, 10, 100], [-5.0, -4.6, -4.52], [0.02, 0.01, 0.005], -4.5, ax=ax
    ),
    "plot_reverse_kl_surface": lambda ax: plots.plot_reverse_kl_surface(
        np.linspace(-2, 2, 21),
        np.geomspace(0.5, 2, 11),
        np.linspace(-2, 2, 21)[None] ** 2 + np.log(np.geomspace(0.5, 2, 11)[:, None]) ** 2,
        [(0.0, 1.0)],
        ax=ax,
    ),
}

#: Heat maps: one image explained by a labelled colour bar instead of a legend.
COLOUR_BAR_ONLY = {"plot_shift_posteriors"}


def test_every_public_plot_has_a_case():
    assert set(CASES) == set(plots.__all__)


@pytest.mark.parametrize("name", sorted(CASES))
def test_plot_is_labelled_and_returns_axes(name):
    fig, ax = plt.subplots()
    out = CASES[name](ax)
    assert out is ax
    assert ax.get_xlabel() and ax.get_ylabel()
    if name in COLOUR_BAR_ONLY:
        assert ax.images and ax.figure.axes[-1].get_ylabel()
        return
    assert ax.get_legend() is not None and ax.get_legend().get_texts()


@pytest.mark.parametrize("name", sorted(CASES))
def test_plot_makes_its_own_axes(name):
    out = CASES[name](None)
    assert out.figure is not None


def test_sampling_distribution_handles_degenerate_theta():
    # theta = 0: every estimate is 0, the normal curve has zero width and is omitted.
    ax = plots.plot_sampling_distribution(np.zeros(10), 0.0, 5)
    assert len(ax.get_legend().get_texts()) == 2


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: plots.plot_bernoulli_likelihood(0, 0), ValueError, "`heads` and `tails` must add"),
        (lambda: plots.plot_bernoulli_likelihood(-1, 2), ValueError, "`heads` must be >= 0"),
        (lambda: plots.plot_bernoulli_likelihood(1, 2, n_grid=2), ValueError, "`n_grid` must be"),
        (lambda: plots.plot_sampling_distribution([0.5], 1.5, 10), ValueError, "`theta`"),
        (lambda: plots.plot_sampling_distribution([0.5], 0.5, 0), ValueError, "`n_flips`"),
        (lambda: plots.plot_variance_bias([2], [np.nan], [1.0], 1.0), ValueError, "`mean_mle`"),
        (lambda: plots.plot_loss_argmin([], [], []), ValueError, "`slopes` must have"),
        (lambda: plots.plot_beta_posterior(1, 1, 0, 1), ValueError, "`a` must be > 0"),
        (lambda: plots.plot_coefficient_paths([0, 1], [[1], [2]]), ValueError, "`strengths`"),
        (lambda: plots.plot_coefficient_paths([1, 2], [[1]]), ValueError, "one row per"),
        (lambda: plots.plot_estimates_vs_n([1, 2], {"a": [1]}, 0.5), ValueError, "must have 2"),
        (lambda: plots.plot_curve_fits([0], [0], [0, 1], {"a": [1]}), ValueError, "must have 2"),
        (lambda: plots.plot_gmm_state([0.0], [1], [0], [0]), ValueError, "`stds` must be > 0"),
        (lambda: plots.plot_gmm_state([0.0], [1], [0, 1], [1]), ValueError, "one entry per"),
        (lambda: plots.plot_loglik_history([]), TypeError, "`histories`"),
        (lambda: plots.plot_loglik_history({"a": [1, 2]}, steps=[0]), ValueError, "`steps`"),
        (lambda: plots.plot_elbo_surface([0, 1], [1], [[0.0]], 0, 1), ValueError, "`elbo` must"),
        (
            lambda: plots.plot_q_vs_posterior(0, 1, 0, 0, log_evidence=0, elbo=0),
            ValueError,
            "`q_std`",
        ),
        (
            lambda: plots.plot_vi_vs_grid([0, 1], [0, 1], [[1.0]], [0, 0], [1, 1]),
            ValueError,
            "shape",
        ),
        (lambda: plots.plot_template_recovery([0, 1], [0], [0, 1]), ValueError, "same length"),
    ],
)
def test_plots_reject_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_beta_posterior_marks_map_and_mean():
    ax = plots.plot_beta_posterior(3, 0, 2, 2)
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "MAP (mode) 0.800" in labels and "posterior mean = P(next H) 0.714" in labels
    ax = plots.plot_beta_posterior(0, 0, 0.5, 0.5)  # U-shaped: no MAP line, and no error
    assert "MAP: no unique mode" in [text.get_text() for text in ax.get_legend().get_texts()]


def test_style_is_colour_blind_safe_palette():
    use_style()
    cycle = [c.lower() for c in plt.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle[:8] == [c.lower() for c in PALETTE.values()]
    assert STYLE_PATH.endswith("lessonlib.mplstyle")
    plt.style.use("default")


TOPICS = ("mle", "priors", "em", "elbo", "kl")
PLOTS_DIR = Path(plots.__file__).parent
TESTS_DIR = Path(__file__).parent


def test_package_reexports_every_topic_function_exactly_once():
    names = [name for topic in TOPICS for name in getattr(plots, topic).__all__]
    assert plots.__all__ == names and len(set(names)) == len(names)
    for topic in TOPICS:
        module = getattr(plots, topic)
        assert module.__name__ == f"lessonlib.plots.{topic}"
        for name in module.__all__:
            func = getattr(plots, name)
            assert func is getattr(module, name) and func.__module__ == module.__name__


def _identifiers(tree: ast.AST) -> set[str]:
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return names | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names
    }


@pytest.mark.parametrize("topic", TOPICS)
def test_every_plot_function_has_a_drawn_content_test_in_its_topic_file(topic):
    tree = ast.parse((TESTS_DIR / f"test_plots_{topic}.py").read_text())
    tested = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            tested |= _identifiers(node)
    helpers = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    for node in tree.body:  # module-level helpers (e.g. _gmm_axes) count for their callers
        if isinstance(node, ast.FunctionDef) and node.name in tested & helpers:
            tested |= _identifiers(node)
    missing = set(getattr(plots, topic).__all__) - tested
    assert not missing, f"no drawn-content test in test_plots_{topic}.py for {sorted(missing)}"


@pytest.mark.parametrize("topic", TOPICS)
def test_series_colours_and_linestyles_are_declared_once(topic):
    """Topic modules take series styles from _common; they declare no colour or style list."""
    tree = ast.parse((PLOTS_DIR / f"{topic}.py").read_text())
    styles = {"-", "--", "-.", ":"}
    for node in ast.walk(tree):
        if isinstance(node, (ast.List, ast.Tuple)):
            colours = [
                e
                for e in node.elts
                if isinstance(e, ast.Subscript) and ast.unparse(e.value) == "PALETTE"
            ]
            linestyles = [e for e in node.elts if isinstance(e, ast.Constant) and e.value in styles]
            assert len(colours) < 2 and len(linestyles) < 2, ast.unparse(node)
        if isinstance(node, ast.Call) and ast.unparse(node.func) in {"list", "tuple"}:
            assert "PALETTE" not in ast.unparse(node), ast.unparse(node)


@pytest.mark.parametrize("topic", TOPICS)
def test_plot_modules_draw_without_simulating_or_fitting(topic):
    names = _identifiers(ast.parse((PLOTS_DIR / f"{topic}.py").read_text()))
    suspicious = {n for n in names if n.startswith(("fit_", "sample_", "make_")) or "rng" in n}
    assert not suspicious | (names & {"random", "seed", "default_rng"}), sorted(suspicious)


def _huge_variants():
    from test_hostile import VALID

    for name, (func, kwargs) in VALID.items():
        if not name.startswith("plots."):
            continue
        for param, value in kwargs.items():
            arr = np.asarray(value) if isinstance(value, (list, np.ndarray)) else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                yield name, param, 1e308
                yield name, param, 1e200
            elif arr is not None and arr.dtype.kind in "iuf":
                first = arr.astype(float)
                first.flat[0] = 1e308
                yield name, param, first
                yield name, param, np.full(arr.shape, 1e200)


HUGE_CASES = list(_huge_variants())


@pytest.mark.parametrize(
    ("name", "param", "value"),
    HUGE_CASES,
    ids=[f"{n}:{p}:{i}" for i, (n, p, _) in enumerate(HUGE_CASES)],
)
def test_plots_reject_values_they_cannot_draw(name, param, value):
    """A huge value gives a ValueError naming it, or a figure drawn without any warning."""
    from test_hostile import VALID

    func, kwargs = VALID[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            ax = func(**{**kwargs, param: value})
        except (ValueError, TypeError) as exc:
            assert f"`{param}" in str(exc), str(exc)
            return
        ax.figure.canvas.draw()  # rendering overflows nothing either


def test_q_vs_posterior_at_the_end_of_the_float_range_names_the_argument():
    with pytest.raises(ValueError, match=r"`post_mean` and `post_std` must give an x-range"):
        plots.plot_q_vs_posterior(1e308, 1.0, 0.0, 1.0, log_evidence=-2.0, elbo=-2.5)
    with pytest.raises(ValueError, match=r"`xlim` must be an increasing"):
        plots.plot_q_vs_posterior(0.0, 1.0, 0.0, 1.0, log_evidence=-2, elbo=-3, xlim=(1, 0))
