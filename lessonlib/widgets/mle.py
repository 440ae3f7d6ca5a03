"""Chapter 1 lesson: the sampling distribution of the coin MLE as n and theta change."""

from __future__ import annotations

import numpy as np

from lessonlib._validation import as_count, as_positive_int, as_probability
from lessonlib.mle import sample_bernoulli_mles
from lessonlib.plots.mle import plot_sampling_distribution
from lessonlib.widgets._player import (
    DrawFunction,
    PagePlayer,
    import_ipywidgets,
    interactive_figure,
    on_static_page,
    page_player,
)

__all__ = [
    "mle_sampling_widget",
    "mle_sampling_player",
    "MLE_SAMPLING_SIZES",
    "MLE_SAMPLING_THETAS",
]


#: Sample sizes offered by the Chapter 1 sampling-distribution lesson.
MLE_SAMPLING_SIZES = (1, 3, 10, 30, 100, 300, 1000, 3000)
#: True heads probabilities offered by the Chapter 1 lesson.
MLE_SAMPLING_THETAS = (0.1, 0.3, 0.5, 0.7)


def _simulate_mles(n_flips: int, theta: float, seed: int, n_repeats: int):
    """Simulate the MLEs of one (n, theta) setting with a generator seeded by the setting.

    Seeding from (`seed`, `n_flips`, `theta`) makes a setting draw the same figure
    whichever order the settings are visited in (slider moves, page frames).
    """
    rng = np.random.default_rng([seed, n_flips, int(round(theta * 1e6))])
    return sample_bernoulli_mles(theta, n_flips, n_repeats, rng)


def _mle_sampling_draw(seed: object, n_repeats: object) -> DrawFunction:
    """Return the drawing function shared by the live widget and the page player."""
    seed = as_count(seed, "seed")
    n_repeats = as_positive_int(n_repeats, "n_repeats")

    def draw(ax, n_flips, theta):
        n, th = as_positive_int(n_flips, "n_flips"), as_probability(theta, "theta")
        plot_sampling_distribution(_simulate_mles(n, th, seed, n_repeats), th, n, ax=ax)

    return draw


def mle_sampling_widget(*, seed: int = 0, n_repeats: int = 4000):
    """Live Chapter 1 lesson: the sampling distribution of the coin MLE (n, theta).

    Parameters
    ----------
    seed : int, default 0
        Seed of the simulation; the same (n, theta) always gives the same figure.
    n_repeats : int, default 4000
        Simulated experiments per figure.

    Returns
    -------
    ipywidgets.VBox

    Examples
    --------
    >>> box = mle_sampling_widget(n_repeats=100)
    >>> box.controls["n_flips"].value = 1000
    """
    if on_static_page():
        return mle_sampling_player(seed=seed, n_repeats=n_repeats)
    widgets = import_ipywidgets()
    controls = {
        "n_flips": widgets.SelectionSlider(
            options=list(MLE_SAMPLING_SIZES), value=10, description="n flips"
        ),
        "theta": widgets.FloatSlider(
            value=0.3, min=0.05, max=0.95, step=0.05, description="true θ"
        ),
    }

    return interactive_figure(_mle_sampling_draw(seed, n_repeats), controls)


def mle_sampling_player(*, seed: int = 0, n_repeats: int = 4000) -> PagePlayer:
    """Kernel-free counterpart of :func:`mle_sampling_widget` for the web page.

    Parameters
    ----------
    seed : int, default 0
        Seed of the simulation.
    n_repeats : int, default 4000
        Simulated experiments per frame.

    Returns
    -------
    PagePlayer

    Examples
    --------
    One frame per (n, theta) pair:

    >>> len(MLE_SAMPLING_SIZES) * len(MLE_SAMPLING_THETAS)
    32
    """
    return page_player(
        _mle_sampling_draw(seed, n_repeats),
        {"n_flips": list(MLE_SAMPLING_SIZES), "theta": list(MLE_SAMPLING_THETAS)},
        alt=(
            "Histogram of {n_flips}-flip maximum-likelihood estimates of a coin with true "
            "theta {theta}: one bar per attainable value k/n, with the normal curve of the "
            "Fisher-information bound (an inset zooms in from n = 100 on)"
        ),
        title="Sampling distribution of the MLE: drag n and θ",
        labels={"n_flips": "number of flips n", "theta": "true θ"},
        initial={"n_flips": 10, "theta": 0.3},
    )
