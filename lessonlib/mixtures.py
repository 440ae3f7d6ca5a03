"""The univariate Gaussian mixture shared by EM (Chapter 3) and the KL fits (Chapter 5).

Convention, everywhere in lessonlib: a mixture is given as ``(weights, means, stds)``
in that order -- mixing weights first, then component means, then component
**standard deviations** (not variances). Functions that also take data put it
first: ``f(x, weights, means, stds)``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from lessonlib._validation import (
    HUGE,
    as_float_array,
    as_positive_array,
    check_nonnegative_array,
    check_representable,
    check_rows_sum_to_one,
    fail,
)

__all__ = ["mixture_logpdf"]

_LOG_2PI = np.log(2.0 * np.pi)


def check_mixture(
    weights: object, means: object, stds: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate a mixture's ``(weights, means, stds)`` and return them as float arrays."""
    w = as_float_array(weights, "weights", ndim=1)
    m = as_float_array(means, "means", ndim=1)
    s = as_positive_array(stds, "stds", ndim=1)
    if not (w.shape == m.shape == s.shape):
        fail(
            ["weights", "means", "stds"],
            "have one entry per component",
            f"lengths {w.size}, {m.size} and {s.size}",
        )
    check_nonnegative_array(w, "weights")
    check_rows_sum_to_one(w, "weights")
    return w, m, s


def mixture_logpdf(x: object, weights: object, means: object, stds: object) -> np.ndarray:
    """Log-density of a univariate Gaussian mixture, computed with log-sum-exp.

    Parameters
    ----------
    x : array_like
        Points at which to evaluate (any shape).
    weights : array_like of shape (n_components,)
        Mixing weights, non-negative and summing to 1.
    means, stds : array_like of shape (n_components,)
        Component means and standard deviations (> 0).

    Returns
    -------
    ndarray
        ``log sum_k w_k N(x; mu_k, sigma_k^2)``, shape of ``x``; finite even far in the
        tails, where every density underflows to 0.

    Examples
    --------
    >>> round(float(np.exp(mixture_logpdf(0.0, [1.0], [0.0], [1.0]))), 6)  # 1 / sqrt(2 pi)
    0.398942
    """
    w, m, s = check_mixture(weights, means, stds)
    xx = as_float_array(x, "x")
    return _mixture_logpdf(xx, w, m, s)


def standardize(x: np.ndarray, m: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Return z = (x - m) / s without overflow warnings; entries too far out become inf.

    Computed as ``x / s - m / s`` when ``x - m`` itself would overflow (means and
    data of opposite sign near 1.8e308).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        z = (x - m) / s
        far = ~np.isfinite(z)
        if np.any(far):
            z = np.where(far, np.broadcast_to(x, z.shape) / s - m / s, z)
    return z


def _mixture_logpdf(x: np.ndarray, w: np.ndarray, m: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Unvalidated kernel of :func:`mixture_logpdf`.

    Works with z = (x - mu) / sigma and log sigma, never sigma**2, so every scale
    float64 holds is usable. Raises ValueError when a point lies so far from every
    component (|z| > 1.3e154) that its log-density -z**2 / 2 is not a float64.
    """
    z = standardize(x[..., None], m, s)
    with np.errstate(divide="ignore", over="ignore"):  # log 0 = -inf for a zero weight
        log_w = np.log(w)
        terms = log_w - 0.5 * z**2 - np.log(s) - 0.5 * _LOG_2PI
    out = logsumexp(terms, axis=-1)
    if not np.all(out > -HUGE):
        check_representable(
            np.where(out > -HUGE, 0.0, -np.inf),
            ["x", "means", "stds"],
            "log-densities",
            "Some points lie more than 1e154 standard deviations from every component.",
        )
    return out
