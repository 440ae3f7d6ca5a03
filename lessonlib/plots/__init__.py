"""The book's figures, one module per chapter topic.

Every function takes ``ax=None`` (a new figure is made when it is None), draws
what it is given with the book's palette, labels its axes, adds a legend and
returns the Axes. None of them simulates, calls ``plt.show()`` or changes global
settings. The functions live in :mod:`lessonlib.plots.mle` (Chapter 1),
:mod:`lessonlib.plots.priors` (Chapter 2), :mod:`lessonlib.plots.em` (Chapter 3),
:mod:`lessonlib.plots.elbo` (Chapter 4) and :mod:`lessonlib.plots.kl` (Chapter 5);
all of them can be used as ``plots.<name>``.

Examples
--------
>>> from lessonlib import plots
>>> plots.plot_gmm_state is plots.em.plot_gmm_state
True
"""

from __future__ import annotations

from lessonlib.plots.elbo import (
    plot_elbo_surface,
    plot_iwae_bounds,
    plot_q_vs_posterior,
    plot_vi_vs_grid,
)
from lessonlib.plots.em import (
    plot_em_bound,
    plot_gmm_state,
    plot_loglik_history,
    plot_shift_posteriors,
    plot_template_recovery,
)
from lessonlib.plots.kl import (
    plot_kl_fits,
    plot_kl_landscape,
    plot_mean_field_ellipses,
    plot_reverse_kl_surface,
)
from lessonlib.plots.mle import (
    plot_bernoulli_likelihood,
    plot_loss_argmin,
    plot_probability_curves,
    plot_sampling_distribution,
    plot_variance_bias,
)
from lessonlib.plots.priors import (
    plot_beta_posterior,
    plot_coefficient_paths,
    plot_curve_fits,
    plot_estimates_vs_n,
    plot_lambda_curve,
    plot_penalty_geometry,
    plot_shrinkage_rules,
)

__all__ = [
    "plot_bernoulli_likelihood",
    "plot_variance_bias",
    "plot_loss_argmin",
    "plot_probability_curves",
    "plot_sampling_distribution",
    "plot_beta_posterior",
    "plot_coefficient_paths",
    "plot_estimates_vs_n",
    "plot_curve_fits",
    "plot_shrinkage_rules",
    "plot_penalty_geometry",
    "plot_lambda_curve",
    "plot_gmm_state",
    "plot_loglik_history",
    "plot_template_recovery",
    "plot_em_bound",
    "plot_shift_posteriors",
    "plot_elbo_surface",
    "plot_q_vs_posterior",
    "plot_vi_vs_grid",
    "plot_iwae_bounds",
    "plot_kl_fits",
    "plot_kl_landscape",
    "plot_mean_field_ellipses",
    "plot_reverse_kl_surface",
]
