"""Live widgets redraw at every end of every control; page players really respond."""

import json
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import pytest  # noqa: E402

from lessonlib import widgets  # noqa: E402


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
        [-1.0, -1.2, -0.8, 0.9, 1.1, 1.4], [-0.5, 0.8], [1, 1], [0.5, 0.5], n_steps=5
    ),
    "elbo_widget": lambda: widgets.elbo_widget([0.5, 1.5, 0.9], 1.0, 0.0, 2.0),
    "kl_fits_widget": widgets.kl_fits_widget,
}


@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_widget_redraws_at_every_end(name):
    box = WIDGETS[name]()
    outputs = box.children[-1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, control in box.controls.items():
            if isinstance(control, ipywidgets.Button):
                control.click()
                assert len(outputs.outputs) == 1, name
                continue
            for value in _positions(control):
                control.value = value
                assert len(outputs.outputs) == 1, (name, value)


def test_page_player_has_one_frame_per_combination():
    player = widgets.mle_sampling_player(n_repeats=100)
    n = len(widgets.MLE_SAMPLING_SIZES) * len(widgets.MLE_SAMPLING_THETAS)
    assert len(player.frames) == n == len(set(player.frames.values()))  # every frame differs
    assert all("theta" in alt for alt in player.alts.values())


def test_beta_posterior_player_covers_the_grid(monkeypatch):
    # A smaller grid keeps this fast; test_static_site checks the full players on the pages.
    monkeypatch.setattr(widgets, "BETA_PRIOR_VALUES", (0.5, 2))
    monkeypatch.setattr(widgets, "BETA_COUNT_VALUES", (0, 3))
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
        for _ in range(8):  # past the last computed iteration: it stays there
            box.controls["step"].click()
            frames.append(out.outputs[0]["data"]["image/png"])
        assert box.iteration == 5 and frames[0] != frames[4] and frames[-1] == frames[4]
        box.controls["reset"].click()
    assert box.iteration == 0


def test_em_step_player_has_a_frame_per_iteration():
    x = [-1.0, -1.2, -0.8, 0.9, 1.1, 1.4]
    player = widgets.em_step_player(x, [-0.5, 0.8], [1, 1], [0.5, 0.5], n_steps=4, dpi=30)
    assert list(player.controls) == ["iteration"] and len(player.frames) == 5


def test_elbo_player_reaches_the_posterior(monkeypatch):
    monkeypatch.setattr(widgets, "ELBO_MEAN_OFFSETS", (-1, 0))
    monkeypatch.setattr(widgets, "ELBO_STD_FACTORS", (0.5, 1.0))
    player = widgets.elbo_player([0.5, 1.5, 0.9], 1.0, 0.0, 2.0, dpi=30)
    assert len(player.frames) == 4
    # One frame is q = posterior: its alt text names the posterior's mean and std.
    from lessonlib.elbo import normal_mean_posterior

    mean, std = normal_mean_posterior([0.5, 1.5, 0.9], 1.0, 0.0, 2.0)
    assert any(
        f"mean {round(mean, 3)} and standard deviation {round(std, 3)}" in a
        for a in player.alts.values()
    )


def test_kl_fits_player_covers_the_grid(monkeypatch):
    monkeypatch.setattr(widgets, "KL_SEPARATIONS", (0.5, 8.0))
    monkeypatch.setattr(widgets, "KL_WEIGHTS", (0.5, 0.9))
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
        ({"not valid": [1, 2]}, ValueError, "keys must be Python identifiers"),
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
