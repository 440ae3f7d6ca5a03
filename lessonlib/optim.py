"""Adam, the stochastic optimizer shared by MAP estimation (Chapter 2) and VI (Chapter 4)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lessonlib._validation import (
    as_float_array,
    as_nonnegative_scalar,
    as_pair,
    as_positive_int,
    as_positive_scalar,
    as_scalar,
    call_finite,
    check_allocation,
    check_callable,
    fail,
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

    Raises
    ------
    ValueError
        When ``grad`` returns NaN or inf, or the iterates leave the float64 range
        (the run diverged: the message names the step and suggests a smaller ``lr``).

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
    l2 = as_nonnegative_scalar(l2, "l2")
    wd = as_nonnegative_scalar(decoupled_decay, "decoupled_decay")
    pair = as_pair(betas, "betas", "a pair (beta1, beta2)")
    b1, b2 = (as_scalar(b, "betas") for b in pair)
    if not (0 <= b1 < 1 and 0 <= b2 < 1):
        fail("betas", "lie in [0, 1)", repr(pair))
    eps = as_positive_scalar(eps, "eps")
    check_allocation((n_steps + 1, w.size), ["n_steps", "w0"], "a trajectory")
    if final_lr is None:
        rates = np.full(n_steps, lr)
    else:
        rates = np.geomspace(lr, as_positive_scalar(final_lr, "final_lr"), n_steps)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    path = np.empty((n_steps + 1, w.size))
    path[0] = w
    for step in range(1, n_steps + 1):
        remedy = (
            ""
            if step == 1
            else "The iterates may have diverged: lower `lr` (or `final_lr`), `l2` or "
            "`decoupled_decay`, or rescale `w0`."
        )
        g = call_finite(grad, w, "grad", w.shape, f"(at step {step} of adam)", remedy)
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            g = g + l2 * w
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            m_hat = m / (1 - b1**step)
            v_hat = v / (1 - b2**step)
            rate = rates[step - 1]
            w = w - rate * m_hat / (np.sqrt(v_hat) + eps) - rate * wd * w
        if not np.all(np.isfinite(w)):
            fail(
                ["lr", "final_lr", "l2", "decoupled_decay"],
                "keep the iterates of adam finite",
                f"a non-finite iterate at step {step} (the run diverged)",
                "Lower `lr` or the decay coefficients, or rescale `w0` and `grad`.",
            )
        path[step] = w
    return path
