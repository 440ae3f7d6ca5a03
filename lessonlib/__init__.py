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
plots
    The book's figures.
widgets
    Live ipywidgets lessons and their kernel-free page players.
style
    The figure style and colour-blind-safe palette.
datasets
    Small synthetic data sets; every function takes a seeded ``rng``.
"""

__version__ = "0.1.0"
