"""Live widgets redraw at every end of every control, and the figure changes; players respond."""

import json
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from _figures import labels, line, normal_pdf, number_in, xy  # noqa: E402

from lessonlib import widgets  # noqa: E402
from lessonlib.widgets import elbo as elbo_lesson  # noqa: E402
from lessonlib.widgets import em as em_lesson  # noqa: E402
from lessonlib.widgets import kl as kl_lesson  # noqa: E402
from lessonlib.widgets import mle as mle_lesson  # noqa: E402
from lessonlib.widgets import priors as priors_lesson  # noqa: E402


def _positions(control):
    """Both ends of a control's range and a point between."""
    if isinstance(control, ipywidgets.SelectionSlider):
        opts = list(control.options)
        return [opts[0], opts[len(opts) // 2], opts[-1]]
    return [control.min, (control.min + control.max) / 2, control.max]


WIDGETS = {
    "mle_sampling_widget": lambda: widgets.mle_sampling_widget(n_repeats=200),
    "beta_posterior_widget": widgets.beta_posterior_widget,
    "em_step_widget": lambda: widgets.em_step_widget(
        [-1.0, -1.2, -0.8, 0.9, 1.1, 1.4], [0.5, 0.5], [-0.5, 0.8], [1, 1], n_steps=5
    ),
    "elbo_widget": lambda: widgets.elbo_widget([0.5, 1.5, 0.9], 1.0, 0.0, 2.0),
    "kl_fits_widget": widgets.kl_fits_widget,
}


def _png(box) -> str:
    (output,) = box.children[-1].outputs
    return output["data"]["image/png"]


@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_widget_redraws_at_every_end_and_the_figure_changes(name):
    box = WIDGETS[name]()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for control_name, control in box.controls.items():
            if isinstance(control, ipywidgets.Button):
                continue  # the EM buttons have their own test below
            start = control.value
            seen = []
            for value in _positions(control):
                control.value = value
                seen.append(_png(box))
            # Each end of the range shows a different figure from the other end.
            assert seen[0] != seen[-1], (name, control_name)
            control.value = start


def test_page_player_has_one_frame_per_combination():
    player = widgets.mle_sampling_player(n_repeats=100)
    n = len(widgets.MLE_SAMPLING_SIZES) * len(widgets.MLE_SAMPLING_THETAS)
    assert len(player.frames) == n == len(set(player.frames.values()))  # every frame differs
    assert all("theta" in alt for alt in player.alts.values())


def test_beta_posterior_player_covers_the_grid(monkeypatch):
    # A smaller grid keeps this fast; test_static_site checks the full players on the pages.
    monkeypatch.setattr(priors_lesson, "BETA_PRIOR_VALUES", (0.5, 2))
    monkeypatch.setattr(priors_lesson, "BETA_COUNT_VALUES", (0, 3))
    player = widgets.beta_posterior_player(dpi=30)
    assert len(player.frames) == 16 == len(set(player.frames.values()))
    # a = b = 0.5 with no data: U-shaped posterior, drawn without a MAP line and without error.
    assert player.alts["0,0,0,0"].startswith("Beta(0.5, 0.5) prior, likelihood of 0 heads")


def test_em_step_widget_steps_and_resets():
    box = WIDGETS["em_step_widget"]()
    out = box.children[-1]
    frames = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(13):  # past the last half-step (10 for 5 iterations): it stays there
            box.controls["step"].click()
            frames.append(out.outputs[0]["data"]["image/png"])
        assert box.position == 10 and frames[0] != frames[1] and frames[-1] == frames[9]
        assert out.outputs[0]["data"]["text/plain"] == "EM 5: M-step"
        box.controls["reset"].click()
    assert box.position == 0


def test_em_step_player_has_a_frame_per_half_step():
    x = [-1.0, -1.2, -0.8, 0.9, 1.1, 1.4]
    player = widgets.em_step_player(x, [0.5, 0.5], [-0.5, 0.8], [1, 1], n_steps=4, dpi=30)
    assert list(player.controls) == ["step"] and len(player.frames) == 9
    assert player.controls["step"][:3] == ["start", "1: E-step", "1: M-step"]
    assert len(set(player.frames.values())) == 9  # every half-step shows a different state


def test_elbo_player_reaches_the_posterior(monkeypatch):
    monkeypatch.setattr(elbo_lesson, "ELBO_MEAN_OFFSETS", (-1, 0))
    monkeypatch.setattr(elbo_lesson, "ELBO_STD_FACTORS", (0.5, 1.0))
    player = widgets.elbo_player([0.5, 1.5, 0.9], 1.0, 0.0, 2.0, dpi=30)
    assert len(player.frames) == 4 == len(set(player.frames.values()))
    # One frame is q = posterior: its alt text names the posterior's mean and std.
    precision = 1 / 2.0**2 + 3 / 1.0**2  # conjugate normal posterior, written out
    mean, std = (0.5 + 1.5 + 0.9) / precision, precision**-0.5
    assert any(
        f"mean {round(mean, 3)} and standard deviation {round(std, 3)}" in a
        for a in player.alts.values()
    )


def test_kl_fits_player_covers_the_grid(monkeypatch):
    monkeypatch.setattr(kl_lesson, "KL_SEPARATIONS", (0.5, 8.0))
    monkeypatch.setattr(kl_lesson, "KL_WEIGHTS", (0.5, 0.9))
    player = widgets.kl_fits_player(dpi=30)
    assert len(player.frames) == 4 == len(set(player.frames.values()))  # every frame differs


def test_every_live_widget_has_a_page_player():
    players = {n for n in widgets.__all__ if n.endswith("_player") and n != "page_player"}
    live = {n for n in widgets.__all__ if n.endswith("_widget")}
    assert {n.replace("_player", "_widget") for n in players} == live and len(live) == 5


def test_every_widget_factory_is_tested():
    live = {name for name in widgets.__all__ if name.endswith("_widget")}
    assert live == set(WIDGETS)


def test_page_player_html_is_self_contained_and_deterministic():
    def draw(ax, slope, shift):
        ax.plot([0, 1], [shift, shift + slope], label="line")

    a = widgets.page_player(draw, {"slope": [1, 2, 3], "shift": [0, 1]}, alt="slope {slope}")
    b = widgets.page_player(draw, {"slope": [1, 2, 3], "shift": [0, 1]}, alt="slope {slope}")
    html = a._repr_html_()
    assert html == b._repr_html_()
    assert "http" not in html
    assert len(re.findall(r'type="range"', html)) == 2
    data = json.loads(re.search(r'class="lessonlib-player-data">(.*?)</script>', html).group(1))
    assert set(data["frames"]) == {f"{i},{j}" for i in range(3) for j in range(2)}
    assert data["labels"]["slope"] == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("controls", "error", "match"),
    [
        ({}, TypeError, "`controls` must be a non-empty mapping"),
        ({"n": [1]}, ValueError, "must offer at least 2 values"),
        ({"n": "abc"}, TypeError, "must be a sequence of values"),
        ({"not valid": [1, 2]}, ValueError, "`controls` must have keys that are Python identif"),
    ],
)
def test_page_player_rejects_bad_controls(controls, error, match):
    with pytest.raises(error, match=match):
        widgets.page_player(lambda ax, **kw: None, controls, alt="x")


def test_page_player_rejects_bad_initial_and_draw():
    with pytest.raises(ValueError, match="`initial\\['n'\\]` must be one of"):
        widgets.page_player(lambda ax, n: None, {"n": [1, 2]}, alt="x", initial={"n": 3})
    with pytest.raises(TypeError, match="`draw` must be callable"):
        widgets.page_player("draw", {"n": [1, 2]}, alt="x")


def test_interactive_figure_rejects_bad_arguments():
    with pytest.raises(TypeError, match="`draw` must be callable"):
        widgets.interactive_figure(None, {"a": ipywidgets.IntSlider()})
    with pytest.raises(TypeError, match="`controls` must be a non-empty mapping"):
        widgets.interactive_figure(lambda ax, a: None, {})


def test_interactive_figure_redraws_with_the_new_values():
    seen = []

    def draw(ax, slope):
        seen.append(slope)
        ax.plot([0, 1], [0, slope], label="line")

    box = widgets.interactive_figure(draw, {"slope": ipywidgets.FloatSlider(value=1.0, max=5)})
    first = box.children[-1].outputs[0]["data"]["image/png"]
    box.controls["slope"].value = 4.0
    assert seen == [1.0, 4.0]
    assert box.children[-1].outputs[0]["data"]["image/png"] != first


# What each lesson draws for one setting of its controls (the drawing functions the live
# widget and the page player share), against closed forms.


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _bar_heights(ax):
    return [bar.get_height() for bar in ax.patches]


def test_mle_sampling_frame_is_seeded_by_the_setting_and_follows_the_controls(ax):
    draw = mle_lesson._mle_sampling_draw(0, 300)
    draw(ax, n_flips=10, theta=0.3)
    first = _bar_heights(ax)
    grid, dens = xy(line(ax, r"$N(\theta, \theta(1-\theta)/n)$ (Fisher bound)"))
    np.testing.assert_allclose(dens, normal_pdf(grid, 0.3, np.sqrt(0.3 * 0.7 / 10)), rtol=1e-10)
    assert "simulated MLEs, n = 10" in labels(ax)
    ax.cla()
    draw(ax, n_flips=10, theta=0.3)
    assert _bar_heights(ax) == first  # the same setting always draws the same figure
    ax.cla()
    mle_lesson._mle_sampling_draw(1, 300)(ax, n_flips=10, theta=0.3)
    assert _bar_heights(ax) != first  # another seed, another simulation
    ax.cla()
    draw(ax, n_flips=30, theta=0.7)
    assert len(ax.patches) == 31 and "simulated MLEs, n = 30" in labels(ax)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: widgets.mle_sampling_widget(seed=-1, n_repeats=10), "`seed` must be >= 0"),
        (lambda: widgets.mle_sampling_player(n_repeats=0), "`n_repeats` must be"),
    ],
)
def test_mle_sampling_lesson_rejects_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_beta_posterior_frame_draws_the_conjugate_posterior(ax):
    from scipy import stats

    priors_lesson._beta_posterior_draw(ax, a=2, b=10, heads=3, tails=0)
    theta, post = xy(line(ax, "posterior Beta(5, 10)"))
    np.testing.assert_allclose(post, stats.beta.pdf(theta, 5, 10), rtol=1e-10)


def test_em_frames_show_the_em_half_steps(ax):
    x = np.array([-1.0, -1.2, -0.8, 0.9, 1.1, 1.4])
    mu, var, w = np.array([-0.5, 0.8]), np.array([1.0, 1.0]), np.array([0.5, 0.5])
    draw, names = em_lesson._em_lesson(x, w, mu, np.sqrt(var), 3)
    assert len(names) == 7 and names[-1] == "3: M-step"
    # One EM step written out: responsibilities, then weighted means and variances.
    dens = w * np.exp(-0.5 * (x[:, None] - mu) ** 2 / var) / np.sqrt(2 * np.pi * var)
    resp = dens / dens.sum(axis=1, keepdims=True)
    nk = resp.sum(axis=0)
    mu1 = resp.T @ x / nk
    var1 = np.sum(resp * (x[:, None] - mu1) ** 2, axis=0) / nk
    w1 = nk / x.size
    limits = []
    for position, (ws, ms, vs) in ((1, (w, mu, var)), (2, (w1, mu1, var1))):
        ax.cla()
        draw(ax, position)
        # The E-step (1) keeps the old components, the M-step (2) draws the new ones.
        comps = [ln for ln in ax.lines if ln.get_label().startswith(r"$\pi_")]
        assert len(comps) == 2
        for comp, m, v, wk in zip(comps, ms, vs, ws):
            grid, y = xy(comp)
            np.testing.assert_allclose(y, wk * normal_pdf(grid, m, np.sqrt(v)), rtol=1e-8)
        # Both colour the points by the responsibilities of the E-step.
        (dots,) = ax.collections
        assert dots.get_offsets().shape == (x.size, 2)
        stage = "E-step" if position == 1 else "M-step"
        assert ax.get_title().startswith(f"iteration 1, {stage}: log-likelihood")
        limits.append((ax.get_xlim(), ax.get_ylim()))
    ax.cla()
    draw(ax, 0)
    assert ax.get_title().startswith("start:") and not ax.collections
    limits.append((ax.get_xlim(), ax.get_ylim()))
    assert limits[0] == limits[1] == limits[2]  # frames do not rescale
    ax.cla()
    draw(ax, 99)  # past the last half-step: the last one is shown
    assert ax.get_title().startswith("iteration 3, M-step")


def test_elbo_frame_gap_is_the_kl_from_q_to_the_posterior(ax):
    x = np.array([0.5, 1.5, 0.9])
    precision = 1 / 2.0**2 + x.size / 1.0**2
    pm, ps = x.sum() / precision, precision**-0.5
    draw, mean, std = elbo_lesson._elbo_draw(x, 1.0, 0.0, 2.0)
    assert (mean, std) == pytest.approx((pm, ps))
    qm, qs = pm + 0.4, 2 * ps
    draw(ax, q_mean=qm, q_std=qs)
    grid, post = xy(line(ax, r"exact posterior $p(\mu \mid x)$"))
    np.testing.assert_allclose(post, normal_pdf(grid, pm, ps), rtol=1e-10)
    (gap,) = [text for text in labels(ax) if text.startswith("gap")]
    kl = np.log(ps / qs) + (qs**2 + (qm - pm) ** 2) / (2 * ps**2) - 0.5
    assert number_in(gap) == pytest.approx(kl, abs=1e-3)
    ax.cla()
    draw(ax, q_mean=pm, q_std=ps)  # q is the posterior: the bound is tight
    (gap,) = [text for text in labels(ax) if text.startswith("gap")]
    assert abs(number_in(gap)) < 1e-3


def test_kl_frame_labels_the_moment_matched_fit_forward(ax):
    kl_lesson._kl_fits_draw(ax, separation=6.0, weight=0.7)
    (forward,) = [ln for ln in ax.lines if ln.get_label().startswith("forward fit")]
    (reverse,) = [ln for ln in ax.lines if ln.get_label().startswith("reverse fit")]
    # Forward KL matches p's mean and variance: 0.7 * -3 + 0.3 * 3 and 1 + 9 - 1.2**2.
    grid, y = xy(forward)
    np.testing.assert_allclose(y, normal_pdf(grid, -1.2, np.sqrt(8.56)), rtol=1e-8)
    # Reverse KL sits on the heavier (left) mode, about as narrow as that component.
    grid, y = xy(reverse)
    assert grid[np.argmax(y)] == pytest.approx(-3.0, abs=0.1)
    assert y.max() == pytest.approx(normal_pdf(0.0, 0.0, 1.0), rel=0.05)


@pytest.mark.parametrize(
    ("lesson", "args"),
    [
        ("mle_sampling_widget", dict(n_repeats=50)),
        ("beta_posterior_widget", {}),
        (
            "em_step_widget",
            dict(
                x=[-1.0, -1.2, 0.9, 1.1],
                weights=[0.5, 0.5],
                means=[-0.5, 0.8],
                stds=[1.0, 1.0],
                n_steps=2,
            ),
        ),
        ("elbo_widget", dict(x=[0.5, 1.5], noise_std=1.0, prior_mean=0.0, prior_std=2.0)),
        ("kl_fits_widget", {}),
    ],
)
def test_one_call_is_the_player_on_the_built_page_and_live_elsewhere(monkeypatch, lesson, args):
    import ipywidgets

    call = getattr(widgets, lesson)
    monkeypatch.setenv(widgets.STATIC_PAGE_ENV, "1")
    assert widgets.on_static_page()
    page = call(**args)
    assert isinstance(page, widgets.PagePlayer)
    html = page._repr_html_()
    assert 'role="group"' in html and "aria-valuetext" in html and html.count("<label") >= 1
    monkeypatch.delenv(widgets.STATIC_PAGE_ENV)
    assert not widgets.on_static_page()
    assert isinstance(call(**args), ipywidgets.VBox)


def test_page_player_prints_as_a_strip_of_three_distinct_frames():
    import io
    import json

    import numpy as np
    from PIL import Image

    from lessonlib.widgets._player import page_player

    def draw(ax, slope, shift):
        ax.plot([0, 1], [shift, shift + slope], lw=4)
        ax.set_ylim(-1, 6)

    player = page_player(
        draw,
        {"slope": [0, 1, 2, 3, 4], "shift": [0, 1]},
        alt="{slope}",
        dpi=30,
        initial={"shift": 1},
    )
    # The control with most values steps first, middle, last; the other stays at its start.
    assert player.print_keys() == ["0,1", "2,1", "4,1"]
    assert repr(player) == "PagePlayer('Move the sliders': 10 frames over slope, shift)"
    strip = Image.open(io.BytesIO(player._repr_png_()))
    assert json.loads(strip.text["lessonlib-player"]) == {
        "title": "Move the sliders",
        "shown": 3,
        "frames": 10,
    }
    pixels = np.asarray(strip.convert("L"), dtype=float)
    thirds = np.array_split(pixels[int(0.2 * pixels.shape[0]) :], 3, axis=1)
    width = min(t.shape[1] for t in thirds)
    panels = [t[:, :width] for t in thirds]
    # Three panels, each drawn (not blank) and each different: the line's slope changes.
    assert all(p.std() > 0 for p in panels)
    assert not np.array_equal(panels[0], panels[1]) and not np.array_equal(panels[1], panels[2])
