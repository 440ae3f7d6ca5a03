"""The univariate Gaussian mixture shared by EM (Chapter 3) and the KL fits (Chapter 5).

Convention, everywhere in lessonlib: a mixture is given as ``(weights, means, stds)``
in that order -- mixing weights first, then component means, then component
**standard deviations** (not variances). Functions that also take data put it
first: ``f(x, weights, means, stds)``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from lessonlib._validation import as_float_array, as_positive_array, check_rows_sum_to_one

__all__ = ["mixture_logpdf"]

_LOG_2PI = np.log(2.0 * np.pi)


def check_mixture(
    weights: object, means: object, stds: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate a mixture's ``(weights, means, stds)`` and return them as float arrays."""
    w = as_float_array(weights, "weights", ndim=1)
    m = as_float_array(means, "means", ndim=1)
    s = as_positive_array(stds, "stds")
    if s.ndim != 1:
        raise ValueError(f"`stds` must be 1-D; got shape {s.shape}.")
    if not (w.shape == m.shape == s.shape):
        raise ValueError(
            "`weights`, `means` and `stds` must have one entry per component; "
            f"got lengths {w.size}, {m.size} and {s.size}."
        )
    if np.any(w < 0):
        raise ValueError(f"`weights` must be >= 0; got {w[w < 0][:3].tolist()}.")
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


def _mixture_logpdf(x: np.ndarray, w: np.ndarray, m: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Unvalidated kernel of :func:`mixture_logpdf`."""
    z = (x[..., None] - m) / s
    with np.errstate(divide="ignore"):  # log 0 = -inf for a zero weight is intended
        log_w = np.log(w)
    return logsumexp(log_w - 0.5 * z**2 - np.log(s) - 0.5 * _LOG_2PI, axis=-1)
