"""lessonlib: the estimators, figures and widgets of the point-estimation textbook.

Modules
-------
mle
    Maximum likelihood and the losses it explains (Chapter 1).
priors
    MAP estimation: conjugate posteriors, ridge, lasso, smoothing (Chapter 2).
em
    Latent variables and EM: Gaussian mixtures, alignment (Chapter 3).
elbo
    The evidence lower bound, variational inference, linear VAE and pPCA (Chapter 4).
kl
    KL divergences and Gaussian fits in both directions (Chapter 5).
mixtures
    The univariate Gaussian mixture log-density shared by Chapters 3 and 5.
optim
    Adam, the optimizer shared by Chapters 2 and 4.
exceptions
    ``ConvergenceWarning`` and ``CollapseError``.
plots
    The book's figures, one module per topic (``plots.mle`` ... ``plots.kl``); every
    figure is also ``plots.<name>``. Plot functions draw what they are given.
widgets
    Live ipywidgets lessons and their kernel-free page players, one module per topic
    (``widgets.mle`` ... ``widgets.kl``); every lesson is also ``widgets.<name>``.
style
    The figure style and colour-blind-safe palette.
datasets
    Small synthetic data sets; every function takes a seeded ``rng``.

Conventions
-----------
Mixtures
    A 1-D Gaussian mixture is always ``(weights, means, stds)``, in that order: weights
    first, then means, then **standard deviations** (not variances). Functions that
    take data put it first, ``f(x, weights, means, stds)``; results expose ``stds``
    (and ``variances`` as a property where useful).
Results
    Every fit returns a frozen dataclass. An iterative one has ``n_iter`` and
    ``converged``; the record of its objective (the quantity it ascends, the start
    first) is always called ``objective_history``.
Iteration control
    ``tol=0`` runs exactly ``max_iter`` iterations (no warning, ``converged=False``).
    With ``tol > 0``, running out of iterations warns :class:`ConvergenceWarning`
    and returns the fit with ``converged=False``. A fit whose maximum does not exist
    (separable classes, a collapsed mixture component) raises a ValueError.
"""

from lessonlib.exceptions import CollapseError, ConvergenceWarning

__all__ = ["CollapseError", "ConvergenceWarning"]

__version__ = "0.1.0"
