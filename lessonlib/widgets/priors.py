"""Chapter 2 lesson: a Beta prior meets coin flips."""

from __future__ import annotations

from lessonlib.plots.priors import plot_beta_posterior
from lessonlib.widgets._player import (
    PagePlayer,
    import_ipywidgets,
    interactive_figure,
    on_static_page,
    page_player,
)

__all__ = [
    "beta_posterior_widget",
    "beta_posterior_player",
    "BETA_PRIOR_VALUES",
    "BETA_COUNT_VALUES",
]


#: Prior parameters and counts offered by the Chapter 2 page player.
BETA_PRIOR_VALUES = (0.5, 2, 10)
BETA_COUNT_VALUES = (0, 3, 300)


def _beta_posterior_draw(ax, a, b, heads, tails):
    plot_beta_posterior(heads, tails, a, b, ax=ax)


def beta_posterior_widget():
    """Live Chapter 2 lesson: prior Beta(a, b) and data (heads, tails) -> posterior.

    Returns
    -------
    ipywidgets.VBox
        Sliders for a, b, heads and tails above the prior, likelihood and posterior
        with the MLE, MAP and posterior mean marked.

    Examples
    --------
    >>> box = beta_posterior_widget()
    >>> box.controls["heads"].value = 30
    """
    if on_static_page():
        return beta_posterior_player()
    widgets = import_ipywidgets()
    controls = {
        "a": widgets.FloatSlider(value=2.0, min=0.2, max=30.0, step=0.1, description="prior a"),
        "b": widgets.FloatSlider(value=2.0, min=0.2, max=30.0, step=0.1, description="prior b"),
        "heads": widgets.IntSlider(value=3, min=0, max=300, description="heads"),
        "tails": widgets.IntSlider(value=0, min=0, max=300, description="tails"),
    }
    return interactive_figure(_beta_posterior_draw, controls)


def beta_posterior_player(*, dpi: int = 100) -> PagePlayer:
    """Kernel-free counterpart of :func:`beta_posterior_widget` for the web page.

    Parameters
    ----------
    dpi : int, default 100
        Display pixels per inch (frames are rendered at twice this density).

    Returns
    -------
    PagePlayer

    Examples
    --------
    >>> sorted(BETA_COUNT_VALUES)
    [0, 3, 300]
    """
    return page_player(
        _beta_posterior_draw,
        {
            "a": list(BETA_PRIOR_VALUES),
            "b": list(BETA_PRIOR_VALUES),
            "heads": list(BETA_COUNT_VALUES),
            "tails": list(BETA_COUNT_VALUES),
        },
        alt=(
            "Beta({a}, {b}) prior, likelihood of {heads} heads and {tails} tails, and the "
            "posterior with its 95% credible interval shaded, and the MLE, MAP estimate and "
            "posterior mean (the predictive probability of heads) marked"
        ),
        title="Prior meets data: drag the prior (a, b) and the counts",
        labels={"a": "prior a", "b": "prior b", "heads": "heads seen", "tails": "tails seen"},
        initial={"a": 2, "b": 2, "heads": 3, "tails": 0},
        figsize=(6.0, 3.4),
        dpi=dpi,
    )
