"""Small synthetic data sets for the lessons. Every function takes a seeded `rng`."""

from __future__ import annotations

import numpy as np

from lessonlib._validation import (
    as_float_array,
    as_positive_int,
    as_scalar,
    as_scale,
    check_allocation,
    check_representable,
    check_rng,
)

__all__ = ["make_linear_regression", "make_gaussian_classes"]


def make_linear_regression(
    n_samples: int,
    slope: float,
    intercept: float,
    noise_std: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw x ~ Uniform(0, 1) and y = intercept + slope * x + Normal(0, noise_std**2).

    Parameters
    ----------
    n_samples : int
        Number of points (>= 1).
    slope, intercept : float
        True line.
    noise_std : float
        Standard deviation of the Gaussian noise (> 0).
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    x, y : ndarray of shape (n_samples,)

    Examples
    --------
    >>> x, y = make_linear_regression(5, 2.0, 1.0, 0.1, np.random.default_rng(0))
    >>> x.shape, y.shape
    ((5,), (5,))
    """
    n = as_positive_int(n_samples, "n_samples")
    b = as_scalar(slope, "slope")
    a = as_scalar(intercept, "intercept")
    s = as_scale(noise_std, "noise_std")
    check_rng(rng)
    check_allocation((2, n), "n_samples", "x and y")
    x = rng.uniform(0.0, 1.0, size=n)
    with np.errstate(over="ignore", invalid="ignore"):
        y = a + b * x + s * rng.standard_normal(n)
    check_representable(y, ["slope", "intercept", "noise_std"], "targets y")
    return x, y


def make_gaussian_classes(
    n_per_class: int,
    centers: object,
    std: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw labelled points from isotropic Gaussians, one per class.

    Parameters
    ----------
    n_per_class : int
        Points drawn around each centre (>= 1).
    centers : array_like of shape (n_classes, n_features)
        Class means.
    std : float
        Common standard deviation (> 0).
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    X : ndarray of shape (n_classes * n_per_class, n_features)
    y : ndarray of shape (n_classes * n_per_class,)
        Integer labels 0..n_classes-1.

    Examples
    --------
    >>> X, y = make_gaussian_classes(3, [[0.0], [1.0]], 0.5, np.random.default_rng(0))
    >>> X.shape, y.tolist()
    ((6, 1), [0, 0, 0, 1, 1, 1])
    """
    n = as_positive_int(n_per_class, "n_per_class")
    mu = as_float_array(centers, "centers", ndim=2)
    s = as_scale(std, "std")
    check_rng(rng)
    k, d = mu.shape
    check_allocation((k * n, d + 1), ["n_per_class", "centers"], "points and labels")
    with np.errstate(over="ignore", invalid="ignore"):
        X = np.repeat(mu, n, axis=0) + s * rng.standard_normal((k * n, d))
    check_representable(X, ["centers", "std"], "points")
    return X, np.repeat(np.arange(k), n)
