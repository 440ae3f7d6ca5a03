"""Adam, the stochastic optimizer shared by MAP estimation (Chapter 2) and VI (Chapter 4)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lessonlib._validation import (
    as_float_array,
    as_positive_int,
    as_positive_scalar,
    as_scalar,
    check_callable,
)

__all__ = ["adam"]


def adam(
    grad: Callable[[np.ndarray], np.ndarray],
    w0: object,
    *,
    lr: float,
    n_steps: int,
    l2: float = 0.0,
    decoupled_decay: float = 0.0,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    final_lr: float | None = None,
) -> np.ndarray:
    """Run Adam, with weight decay either in the gradient (L2) or decoupled (AdamW).

    ``l2 > 0`` adds ``l2 * w`` to the gradient before the adaptive scaling: the
    iteration then minimizes ``L(w) + l2 / 2 ||w||^2``, the MAP objective with a
    Gaussian prior. ``decoupled_decay > 0`` instead shrinks ``w`` by
    ``lr * decoupled_decay * w`` after the Adam step (Loshchilov & Hutter's AdamW);
    its fixed point generally is *not* that MAP solution.

    Adam runs exactly ``n_steps`` updates: it has no stopping test, so it never
    warns about convergence (judge it from the trajectory or the objective).

    Parameters
    ----------
    grad : callable
        ``grad(w)`` returns the gradient of the data loss L at ``w``.
    w0 : array_like of shape (d,)
        Starting weights.
    lr : float
        Step size > 0.
    n_steps : int
        Number of updates >= 1.
    l2, decoupled_decay : float, default 0
        Coupled and decoupled decay coefficients, >= 0.
    betas : (float, float), default (0.9, 0.999)
        Moment decay rates in [0, 1).
    eps : float, default 1e-8
        Denominator guard > 0.
    final_lr : float, optional
        If given, the step size decays geometrically from ``lr`` to ``final_lr`` over the
        run (constant-step Adam keeps oscillating around a minimum; decay settles it).

    Returns
    -------
    numpy.ndarray of shape (n_steps + 1, d)
        The whole trajectory, ``w0`` first.

    Examples
    --------
    >>> path = adam(lambda w: 2 * (w - 3.0), [0.0], lr=0.1, n_steps=2000, l2=2.0)
    >>> round(float(path[-1, 0]), 3)  # argmin of (w - 3)^2 + w^2
    1.5
    """
    check_callable(grad, "grad")
    w = as_float_array(w0, "w0", ndim=1).copy()
    lr = as_positive_scalar(lr, "lr")
    n_steps = as_positive_int(n_steps, "n_steps")
    l2, wd = as_scalar(l2, "l2"), as_scalar(decoupled_decay, "decoupled_decay")
    if l2 < 0 or wd < 0:
        raise ValueError(f"`l2` and `decoupled_decay` must be >= 0; got {l2} and {wd}.")
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"`betas` must be a pair (beta1, beta2); got {betas!r}.")
    b1, b2 = (as_scalar(b, "betas") for b in betas)
    if not (0 <= b1 < 1 and 0 <= b2 < 1):
        raise ValueError(f"`betas` must lie in [0, 1); got {betas}.")
    eps = as_positive_scalar(eps, "eps")
    if final_lr is None:
        rates = np.full(n_steps, lr)
    else:
        rates = np.geomspace(lr, as_positive_scalar(final_lr, "final_lr"), n_steps)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    path = np.empty((n_steps + 1, w.size))
    path[0] = w
    for step in range(1, n_steps + 1):
        g = np.asarray(grad(w), dtype=float) + l2 * w
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1**step)
        v_hat = v / (1 - b2**step)
        rate = rates[step - 1]
        w = w - rate * m_hat / (np.sqrt(v_hat) + eps) - rate * wd * w
        path[step] = w
    return path
