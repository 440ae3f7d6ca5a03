"""Chapter 4 lesson: move a Gaussian q and watch the ELBO, log p(x) and their gap."""

from __future__ import annotations

import numpy as np

from lessonlib.elbo import normal_mean_elbo, normal_mean_log_evidence, normal_mean_posterior
from lessonlib.plots.elbo import plot_q_vs_posterior
from lessonlib.widgets._player import (
    import_ipywidgets,
    interactive_figure,
    nearest,
    on_static_page,
    page_player,
)

__all__ = ["elbo_widget", "elbo_player", "ELBO_MEAN_OFFSETS", "ELBO_STD_FACTORS"]


#: q means offered by the Chapter 4 page player, in posterior standard deviations from its mean.
ELBO_MEAN_OFFSETS = (-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3)
#: q standard deviations offered by the player, as multiples of the posterior's.
ELBO_STD_FACTORS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)


def _elbo_draw(x, noise_std, prior_mean, prior_std, *, min_q_std=None):
    post = normal_mean_posterior(x, noise_std, prior_mean, prior_std)
    post_mean, post_std = post.mean, post.std
    log_evidence = normal_mean_log_evidence(x, noise_std, prior_mean, prior_std)
    xlim = (post_mean - 6 * post_std, post_mean + 6 * post_std)
    # One y-range for every frame: the tallest curve any frame can show is the
    # narrowest q's peak (or the posterior's), plus room for the legend.
    narrowest = min(post_std, min_q_std if min_q_std is not None else 0.2 * post_std)
    ylim = (0.0, 1.45 / (np.sqrt(2 * np.pi) * narrowest))

    def draw(ax, q_mean, q_std):
        elbo = normal_mean_elbo(x, q_mean, q_std, noise_std, prior_mean, prior_std)
        plot_q_vs_posterior(
            post_mean,
            post_std,
            q_mean,
            q_std,
            log_evidence=log_evidence,
            elbo=elbo,
            ax=ax,
            xlim=xlim,
            ylim=ylim,
        )

    return draw, post_mean, post_std


def elbo_widget(x, noise_std: float, prior_mean: float, prior_std: float):
    """Live Chapter 4 lesson: move q's mean and std; watch the ELBO, log p(x) and the gap.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data of the Gaussian-mean model.
    noise_std, prior_mean, prior_std : float
        Model constants.

    Returns
    -------
    ipywidgets.VBox

    Examples
    --------
    >>> box = elbo_widget([0.5, 1.5], 1.0, 0.0, 1.0)
    >>> box.controls["q_std"].value = 0.2
    """
    if on_static_page():
        return elbo_player(x, noise_std, prior_mean, prior_std)
    widgets = import_ipywidgets()
    draw, pm, ps = _elbo_draw(x, noise_std, prior_mean, prior_std)
    controls = {
        "q_mean": widgets.FloatSlider(
            value=round(pm - 2 * ps, 3),
            min=round(pm - 4 * ps, 3),
            max=round(pm + 4 * ps, 3),
            step=ps / 20,
            description="q mean",
        ),
        "q_std": widgets.FloatSlider(
            value=round(2 * ps, 3),
            min=round(0.2 * ps, 3),
            max=round(3 * ps, 3),
            step=ps / 20,
            description="q std",
        ),
    }
    return interactive_figure(draw, controls)


def elbo_player(x, noise_std: float, prior_mean: float, prior_std: float, *, dpi: int = 100):
    """Kernel-free counterpart of :func:`elbo_widget`: q's mean and std on a grid of frames.

    The grid is centred on the exact posterior and includes it, so the gap can be
    driven to zero on the page too.

    Parameters
    ----------
    x : array_like of shape (n,)
    noise_std, prior_mean, prior_std : float
    dpi : int, default 100
        Display pixels per inch (frames are rendered at twice this density).

    Returns
    -------
    PagePlayer

    Examples
    --------
    One frame per (mean, std) pair; 0 and 1.0 put q on the posterior itself:

    >>> len(ELBO_MEAN_OFFSETS) * len(ELBO_STD_FACTORS), 0 in ELBO_MEAN_OFFSETS
    (63, True)
    """
    post = normal_mean_posterior(x, noise_std, prior_mean, prior_std)
    pm, ps = post.mean, post.std
    means = [round(pm + k * ps, 3) for k in ELBO_MEAN_OFFSETS]
    stds = [round(f * ps, 3) for f in ELBO_STD_FACTORS]
    draw, _, _ = _elbo_draw(x, noise_std, prior_mean, prior_std, min_q_std=min(stds))
    return page_player(
        draw,
        {"q_mean": means, "q_std": stds},
        alt=(
            "The exact posterior and a Gaussian q with mean {q_mean} and standard deviation "
            "{q_std}; the legend gives log p(x), the ELBO and the gap between them"
        ),
        title="Move q: the ELBO touches log p(x) only when q is the posterior",
        labels={"q_mean": "mean of q", "q_std": "standard deviation of q"},
        initial={"q_mean": nearest(means, pm - 2 * ps), "q_std": nearest(stds, 2 * ps)},
        dpi=dpi,
    )
