"""Chapter 5 lesson: forward and reverse KL fits of a Gaussian to a two-mode mixture."""

from __future__ import annotations

from lessonlib.kl import fit_normal_to_mixture, reverse_kl_optima
from lessonlib.plots.kl import plot_kl_fits
from lessonlib.widgets._player import (
    PagePlayer,
    import_ipywidgets,
    interactive_figure,
    nearest,
    on_static_page,
    page_player,
)

__all__ = ["kl_fits_widget", "kl_fits_player", "KL_SEPARATIONS", "KL_WEIGHTS"]


#: Mode separations and left-mode weights offered by the Chapter 5 page player.
KL_SEPARATIONS = (1.0, 2.0, 4.0, 5.0, 6.0, 8.0)  # 0 would make the weight irrelevant
KL_WEIGHTS = (0.5, 0.6, 0.8)


def _kl_fits_draw(ax, separation, weight):
    w = [weight, 1.0 - weight]
    m = [-separation / 2, separation / 2]
    s = [1.0, 1.0]
    fwd = fit_normal_to_mixture(w, m, s, "forward")
    # Every local optimum of the reverse KL, the global one first: the picture shows
    # the best reverse fit, and the others marked as local, never just one start's end.
    optima = reverse_kl_optima(w, m, s)
    fits = {f"forward fit: KL(p||q) = {fwd.kl:.3f}": (fwd.mean, fwd.std)}
    fits[f"reverse fit (global): KL(q||p) = {optima[0].kl:.3f}"] = (
        optima[0].mean,
        optima[0].std,
    )
    for opt in optima[1:]:
        label = f"reverse, local optimum at {opt.mean:.2f}: KL = {opt.kl:.3f}"
        fits[label] = (opt.mean, opt.std)
    plot_kl_fits(
        w,
        m,
        s,
        fits,
        ax=ax,
        xlim=(-9.0, 9.0),
        ylim=(0.0, 0.75),
        colours=[0, 1] + [2] * (len(optima) - 1),
    )


def kl_fits_widget():
    """Live Chapter 5 lesson: mode separation and weight -> both Gaussian fits and KLs.

    Returns
    -------
    ipywidgets.VBox

    Examples
    --------
    >>> box = kl_fits_widget()
    >>> box.controls["separation"].value = 7.5
    """
    if on_static_page():
        return kl_fits_player()
    widgets = import_ipywidgets()
    controls = {
        "separation": widgets.FloatSlider(
            value=4.0, min=0.0, max=10.0, step=0.25, description="separation"
        ),
        "weight": widgets.FloatSlider(
            value=0.6, min=0.5, max=0.95, step=0.05, description="left weight"
        ),
    }
    return interactive_figure(_kl_fits_draw, controls)


def kl_fits_player(*, dpi: int = 100) -> PagePlayer:
    """Kernel-free counterpart of :func:`kl_fits_widget` for the web page.

    Parameters
    ----------
    dpi : int, default 100
        Display pixels per inch (frames are rendered at twice this density).

    Returns
    -------
    PagePlayer

    Examples
    --------
    >>> len(KL_SEPARATIONS) * len(KL_WEIGHTS)
    18
    """
    return page_player(
        _kl_fits_draw,
        {"separation": list(KL_SEPARATIONS), "weight": list(KL_WEIGHTS)},
        alt=(
            "A two-mode mixture with modes {separation} apart and left weight {weight}; the "
            "forward-KL Gaussian fit (p's mean and variance), the best reverse-KL fit, and "
            "any other local optima of the reverse KL drawn in a third style, each "
            "labelled with its KL"
        ),
        title="Two directions of KL: pull the modes apart",
        labels={"separation": "distance between the modes", "weight": "weight of the left mode"},
        initial={
            "separation": nearest(KL_SEPARATIONS, 4.0),
            "weight": nearest(KL_WEIGHTS, 0.6),
        },
        dpi=dpi,
    )
