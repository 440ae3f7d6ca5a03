"""Interactive lessons: live ipywidgets controls and their kernel-free page players.

Every interactive lesson exists twice. In JupyterLab, :func:`interactive_figure`
wires ipywidgets sliders to a drawing function that re-runs in the kernel. On the
published web page there is no kernel, so :func:`page_player` renders the same
drawing function once per combination of control values ahead of time and ships
the frames with a few lines of inline JavaScript: moving a slider swaps the
frame, so every control on the page changes what is shown.

The lessons live in one module per chapter topic: :mod:`lessonlib.widgets.mle`,
:mod:`lessonlib.widgets.priors`, :mod:`lessonlib.widgets.em`,
:mod:`lessonlib.widgets.elbo` and :mod:`lessonlib.widgets.kl`; all of them can be
used as ``widgets.<name>``. Widgets may compute (fit, simulate) through the
numerics modules; the figures they show are drawn by :mod:`lessonlib.plots`.

ipywidgets is imported lazily, on the first live control, so the rest of
lessonlib works without it.

Examples
--------
>>> from lessonlib import widgets
>>> widgets.kl_fits_player is widgets.kl.kl_fits_player
True
"""

from __future__ import annotations

from lessonlib.widgets._player import (
    STATIC_PAGE_ENV,
    PagePlayer,
    interactive_figure,
    on_static_page,
    page_player,
)
from lessonlib.widgets.elbo import ELBO_MEAN_OFFSETS, ELBO_STD_FACTORS, elbo_player, elbo_widget
from lessonlib.widgets.em import em_step_player, em_step_widget
from lessonlib.widgets.kl import KL_SEPARATIONS, KL_WEIGHTS, kl_fits_player, kl_fits_widget
from lessonlib.widgets.mle import (
    MLE_SAMPLING_SIZES,
    MLE_SAMPLING_THETAS,
    mle_sampling_player,
    mle_sampling_widget,
)
from lessonlib.widgets.priors import (
    BETA_COUNT_VALUES,
    BETA_PRIOR_VALUES,
    beta_posterior_player,
    beta_posterior_widget,
)

__all__ = [
    "STATIC_PAGE_ENV",
    "on_static_page",
    "PagePlayer",
    "page_player",
    "interactive_figure",
    "mle_sampling_widget",
    "mle_sampling_player",
    "beta_posterior_widget",
    "beta_posterior_player",
    "em_step_widget",
    "em_step_player",
    "elbo_widget",
    "elbo_player",
    "kl_fits_widget",
    "kl_fits_player",
    "MLE_SAMPLING_SIZES",
    "MLE_SAMPLING_THETAS",
    "BETA_PRIOR_VALUES",
    "BETA_COUNT_VALUES",
    "ELBO_MEAN_OFFSETS",
    "ELBO_STD_FACTORS",
    "KL_SEPARATIONS",
    "KL_WEIGHTS",
]
