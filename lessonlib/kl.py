"""Kullback-Leibler divergences and Gaussian fits in both directions (Chapter 5).

Conventions: ``kl_xxx(p, q)`` is KL(p || q) = E_p[log p - log q]; a mixture p is
given as ``(weights, means, stds)`` (see ``lessonlib.mixtures``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize
from scipy.linalg import solve_triangular
from scipy.special import xlogy

from lessonlib._validation import (
    as_float_array,
    as_pair,
    as_positive_array,
    as_positive_int,
    as_scalar,
    as_scale,
    check_direction,
    check_nonnegative_array,
    check_representable,
    check_shape,
    fail,
    safe_scale,
)
from lessonlib.exceptions import warn_not_converged
from lessonlib.mixtures import (
    _mixture_logpdf,
    check_mixture,
    mixture_logpdf,  # noqa: F401 -- kl.mixture_logpdf keeps working
)

__all__ = [
    "kl_normal",
    "kl_mvn",
    "kl_on_grid",
    "NormalFit",
    "fit_normal_to_mixture",
    "kl_mixture_normal",
    "MeanFieldFit",
    "fit_mean_field_gaussian",
]


def _simpson_normal_rule(half_width: float = 12.0, n_points: int = 2001):
    """Nodes z and weights for E[f(Z)], Z ~ N(0, 1): composite Simpson on [-12, 12].

    Gauss-Hermite quadrature is exact for polynomials but converges slowly for the
    log-density of a mixture, which bends sharply between well-separated modes (80
    nodes were off by 1e-3). A dense Simpson rule reaches machine precision there.
    """
    z = np.linspace(-half_width, half_width, n_points)
    coef = np.ones(n_points)
    coef[1:-1:2], coef[2:-1:2] = 4.0, 2.0
    weights = coef * (z[1] - z[0]) / 3.0 * np.exp(-0.5 * z**2) / np.sqrt(2 * np.pi)
    return z, weights


_Z_NODES, _Z_WEIGHTS = _simpson_normal_rule()


def kl_normal(p_mean: object, p_std: object, q_mean: object, q_std: object) -> np.ndarray | float:
    """KL(p || q) between univariate Gaussians, broadcasting over arrays.

    Parameters
    ----------
    p_mean, p_std : float or array_like
        Mean and standard deviation (> 0) of p.
    q_mean, q_std : float or array_like
        Mean and standard deviation (> 0) of q.

    Returns
    -------
    float or ndarray
        ``log(q_std / p_std) + (p_std**2 + (p_mean - q_mean)**2) / (2 q_std**2) - 1/2``,
        in nats; a float when every argument is a scalar.

    Examples
    --------
    >>> kl_normal(0.0, 1.0, 0.0, 1.0)
    0.0
    >>> round(kl_normal(0.0, 1.0, 1.0, 2.0), 6)
    0.443147
    """
    pm = as_float_array(p_mean, "p_mean")
    qm = as_float_array(q_mean, "q_mean")
    ps = as_positive_array(p_std, "p_std")
    qs = as_positive_array(q_std, "q_std")
    try:
        np.broadcast_shapes(pm.shape, ps.shape, qm.shape, qs.shape)
    except ValueError:
        fail(
            ["p_mean", "p_std", "q_mean", "q_std"],
            "broadcast together",
            f"shapes {pm.shape}, {ps.shape}, {qm.shape}, {qs.shape}",
        )
    with np.errstate(over="ignore", invalid="ignore"):
        ratio = ps / qs
        gap = pm / qs - qm / qs if safe_scale(np.abs(pm) + np.abs(qm)) > 1e300 else (pm - qm) / qs
        out = np.log(qs) - np.log(ps) + 0.5 * (ratio**2 + gap**2) - 0.5
    check_representable(out, ["p_mean", "p_std", "q_mean", "q_std"], "a KL divergence")
    return float(out) if out.ndim == 0 else out


def _cholesky(cov: np.ndarray, name: str, dim: int) -> np.ndarray:
    check_shape(cov, name, (dim, dim), "one row and column per coordinate")
    c = safe_scale(cov)
    asym = float(np.max(np.abs(cov - cov.T))) / c
    if asym > 1e-10:
        fail(name, "be symmetric", f"max |S - S^T| = {asym * c:.3g}")
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            chol = np.linalg.cholesky(cov / c) * np.sqrt(c)
    except np.linalg.LinAlgError:
        fail(
            name,
            "be positive definite (all eigenvalues > 0)",
            "a matrix whose Cholesky factorization failed",
            "Add a small multiple of the identity if it is nearly singular.",
        )
    return check_representable(chol, name, "a Cholesky factor")


def kl_mvn(p_mean: object, p_cov: object, q_mean: object, q_cov: object) -> float:
    """KL(p || q) between multivariate Gaussians, via Cholesky factors (no explicit inverse).

    Parameters
    ----------
    p_mean, q_mean : array_like of shape (d,)
        Means.
    p_cov, q_cov : array_like of shape (d, d)
        Symmetric positive-definite covariances.

    Returns
    -------
    float
        ``0.5 * (tr(Sq^-1 Sp) + (mq - mp)^T Sq^-1 (mq - mp) - d + log det Sq - log det Sp)``.

    Examples
    --------
    >>> round(kl_mvn([0.0, 0.0], np.eye(2), [1.0, 0.0], 4 * np.eye(2)), 6)
    0.761294
    """
    pm = as_float_array(p_mean, "p_mean", ndim=1)
    qm = as_float_array(q_mean, "q_mean", ndim=1)
    if qm.shape != pm.shape:
        fail("q_mean", f"have the shape of `p_mean` {pm.shape}", f"shape {qm.shape}")
    d = pm.size
    Lp = _cholesky(as_float_array(p_cov, "p_cov", ndim=2), "p_cov", d)
    Lq = _cholesky(as_float_array(q_cov, "q_cov", ndim=2), "q_cov", d)
    with np.errstate(over="ignore", invalid="ignore"):
        A = solve_triangular(Lq, Lp, lower=True)  # Lq^-1 Lp: tr(Sq^-1 Sp) = ||A||_F^2
        b = solve_triangular(Lq, qm - pm, lower=True)
        logdet_ratio = 2.0 * (np.sum(np.log(np.diag(Lq))) - np.sum(np.log(np.diag(Lp))))
        out = float(0.5 * (np.sum(A**2) + b @ b - d + logdet_ratio))
    return check_representable(out, ["p_mean", "p_cov", "q_mean", "q_cov"], "a KL divergence")


def kl_on_grid(p_density: object, q_density: object, dx: float) -> float:
    """Numerical KL(p || q) for densities tabulated on an evenly spaced grid.

    Parameters
    ----------
    p_density, q_density : array_like of shape (n_points,)
        Non-negative density values at the same grid points.
    dx : float
        Grid spacing (> 0).

    Returns
    -------
    float
        ``sum(p * log(p / q)) * dx``, with 0 log 0 = 0. It is ``inf`` when p puts mass
        where q has none (disjoint supports), never NaN.

    Examples
    --------
    >>> kl_on_grid([0.5, 0.5, 0.0], [0.0, 0.5, 0.5], 1.0)
    inf
    """
    p = as_float_array(p_density, "p_density", ndim=1)
    q = as_float_array(q_density, "q_density", ndim=1)
    if p.shape != q.shape:
        fail(["p_density", "q_density"], "have the same shape", f"{p.shape} and {q.shape}")
    check_nonnegative_array(p, "p_density")
    check_nonnegative_array(q, "q_density")
    step = as_scale(dx, "dx")
    if np.any((p > 0) & (q == 0)):
        return float("inf")
    # xlogy(p, p) - xlogy(p, q) is 0 wherever p == 0, including where q == 0 too.
    with np.errstate(over="ignore", invalid="ignore"):
        out = float(np.sum(xlogy(p, p) - xlogy(p, q)) * step)
    return check_representable(out, ["p_density", "q_density", "dx"], "a KL divergence")


def _reverse_kl(params: np.ndarray, w, m, s) -> float:
    mean, log_std = params
    std = np.exp(log_std)
    x = mean + std * _Z_NODES
    expected_log_p = np.sum(_Z_WEIGHTS * _mixture_logpdf(x, w, m, s))
    neg_entropy = -0.5 * np.log(2 * np.pi * np.e) - log_std
    return float(neg_entropy - expected_log_p)


@dataclass(frozen=True)
class NormalFit:
    """Result of :func:`fit_normal_to_mixture`: the Gaussian q = N(mean, std^2).

    Attributes
    ----------
    mean, std : float
        The fitted Gaussian (std > 0).
    kl : float
        The minimized divergence, in nats: KL(p || q) for the forward fit, KL(q || p)
        for the reverse one.
    n_iter : int
        Optimizer iterations (0 for the closed-form forward fit).
    converged : bool
        Whether the optimizer met its tolerances (always True for the forward fit).
    """

    mean: float
    std: float
    kl: float
    n_iter: int
    converged: bool


def fit_normal_to_mixture(
    weights: object,
    means: object,
    stds: object,
    direction: str,
    init: tuple[float, float] | None = None,
    *,
    max_iter: int = 4000,
) -> NormalFit:
    """Fit a Gaussian q to a Gaussian mixture p by minimizing KL in either direction.

    Parameters
    ----------
    weights, means, stds : array_like of shape (n_components,)
        The mixture p: weights summing to 1, means, standard deviations > 0.
    direction : {"forward", "reverse"}
        ``"forward"`` minimizes KL(p || q): the closed-form answer matches p's mean and
        variance (mass-covering). ``"reverse"`` minimizes KL(q || p) numerically
        (mode-seeking); it has a local optimum near each well-separated mode.
    init : (float, float), optional
        Starting (mean, std) for the reverse fit; default: the heaviest component.
        Ignored for the forward fit, which has a unique optimum.
    max_iter : int, default 4000
        Iteration limit of the reverse fit's Nelder-Mead search.

    Returns
    -------
    NormalFit

    Warns
    -----
    ConvergenceWarning
        When the reverse fit's optimizer stops without meeting its tolerances (the
        result then has ``converged=False``).

    Examples
    --------
    >>> fit = fit_normal_to_mixture([0.5, 0.5], [-2.0, 2.0], [1.0, 1.0], "forward")
    >>> fit.mean, round(fit.std, 6)
    (0.0, 2.236068)
    """
    w, m, s = check_mixture(weights, means, stds)
    check_direction(direction)
    max_iter = as_positive_int(max_iter, "max_iter")
    if direction == "forward":
        mean, std = _moments(w, m, s)
        return NormalFit(mean, std, _forward_kl(w, m, s, mean, std), n_iter=0, converged=True)
    if init is None:
        k = int(np.argmax(w))
        start = np.array([m[k], np.log(s[k])])
    else:
        init_mean, init_std = as_pair(init, "init", "a (mean, std) pair")
        start = np.array([as_scalar(init_mean, "init"), np.log(as_scale(init_std, "init"))])
    res = optimize.minimize(
        _reverse_kl,
        start,
        args=(w, m, s),
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": max_iter},
    )
    if not res.success:
        warn_not_converged(
            "fit_normal_to_mixture", int(res.nit), "raise `max_iter` or pass another `init`."
        )
    return NormalFit(
        float(res.x[0]),
        float(np.exp(res.x[1])),
        float(res.fun),
        n_iter=int(res.nit),
        converged=bool(res.success),
    )


def kl_mixture_normal(
    weights: object,
    means: object,
    stds: object,
    q_mean: float,
    q_std: float,
    direction: str,
) -> float:
    """KL between a Gaussian mixture p and a Gaussian q, in either direction.

    Both directions are expectations of log-densities under Gaussians (q, or each
    component of p), computed by a dense Simpson rule over +-12 standard deviations.

    Parameters
    ----------
    weights, means, stds : array_like of shape (n_components,)
        The mixture p.
    q_mean, q_std : float
        The Gaussian q (std > 0).
    direction : {"forward", "reverse"}
        ``"forward"`` is KL(p || q) (mass-covering), ``"reverse"`` is KL(q || p)
        (mode-seeking).

    Returns
    -------
    float

    Examples
    --------
    >>> round(kl_mixture_normal([1.0], [0.0], [1.0], 1.0, 2.0, "forward"), 6)  # = kl_normal
    0.443147
    """
    w, m, s = check_mixture(weights, means, stds)
    qm = as_scalar(q_mean, "q_mean")
    qs = as_scale(q_std, "q_std")
    if check_direction(direction) == "reverse":
        return _reverse_kl(np.array([qm, np.log(qs)]), w, m, s)
    return _forward_kl(w, m, s, qm, qs)


def _moments(w, m, s) -> tuple[float, float]:
    """Mean and std of the mixture, on the scale of its largest mean or std (no overflow)."""
    c = max(safe_scale(m), safe_scale(s))
    mean = float(np.sum(w * (m / c))) * c
    std = c * float(np.sqrt(np.sum(w * ((s / c) ** 2 + (m / c - mean / c) ** 2))))
    return mean, std


def _forward_kl(w, m, s, qm: float, qs: float) -> float:
    """KL(p || q) for the mixture p = (w, m, s) and q = N(qm, qs^2), by quadrature."""
    # E_p[f] = sum_k w_k E_{N(m_k, s_k)}[f]: nodes for every component at once, (k, nodes).
    with np.errstate(over="ignore", invalid="ignore"):
        x = m[:, None] + s[:, None] * _Z_NODES
    x = check_representable(x, ["means", "stds"], "quadrature nodes")
    log_p = _mixture_logpdf(x, w, m, s)
    with np.errstate(over="ignore", invalid="ignore"):
        log_q = -0.5 * ((x - qm) / qs) ** 2 - np.log(qs) - 0.5 * np.log(2 * np.pi)
        out = float(np.sum(w * ((log_p - log_q) @ _Z_WEIGHTS)))
    return check_representable(
        out, ["weights", "means", "stds", "q_mean", "q_std"], "a KL divergence"
    )


@dataclass(frozen=True)
class MeanFieldFit:
    """Result of :func:`fit_mean_field_gaussian`: q = prod_i N(mean_i, std_i^2).

    Attributes
    ----------
    mean, std : numpy.ndarray of shape (d,)
        Mean and standard deviation of every coordinate of q.
    """

    mean: np.ndarray
    std: np.ndarray


def fit_mean_field_gaussian(mean: object, cov: object, direction: str) -> MeanFieldFit:
    """Best factorized Gaussian q for a correlated Gaussian p, in either KL direction.

    Over q = prod_i N(m_i, s_i^2), both optima put q's mean at p's mean. Forward
    KL(p || q) matches the marginal variances, ``s_i^2 = Sigma_ii``; reverse
    KL(q || p) matches the conditional precisions, ``s_i^2 = 1 / (Sigma^-1)_ii``,
    which is never larger (strictly smaller when coordinate i is correlated with others).
    Both are closed forms.

    Parameters
    ----------
    mean : array_like of shape (d,)
    cov : array_like of shape (d, d)
        Symmetric positive-definite covariance of p.
    direction : {"forward", "reverse"}

    Returns
    -------
    MeanFieldFit

    Examples
    --------
    >>> cov = np.array([[1.0, 0.8], [0.8, 1.0]])
    >>> fit_mean_field_gaussian([0.0, 0.0], cov, "reverse").std.round(4)
    array([0.6, 0.6])
    """
    m = as_float_array(mean, "mean", ndim=1)
    chol = _cholesky(as_float_array(cov, "cov", ndim=2), "cov", m.size)
    check_direction(direction)
    if direction == "forward":
        variances = np.sum(chol**2, axis=1)  # diag(L L^T)
    else:
        inv_chol = solve_triangular(chol, np.eye(m.size), lower=True)
        variances = 1.0 / np.sum(inv_chol**2, axis=0)  # 1 / diag(L^-T L^-1)
    return MeanFieldFit(m.copy(), np.sqrt(variances))
