"""Kullback-Leibler divergences and Gaussian fits in both directions (Chapter 5).

Conventions: ``kl_xxx(p, q)`` is KL(p || q) = E_p[log p - log q]; a mixture p is
given as ``(weights, means, stds)`` (see ``lessonlib.mixtures``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize
from scipy.linalg import solve_triangular
from scipy.special import logsumexp, xlogy

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
    "reverse_kl_optima",
    "renyi_mixture_normal",
    "AlphaFit",
    "fit_alpha_divergence",
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
        # The ratio part, (r^2 - 1)/2 - log r >= 0. Near r = 1 the two terms cancel, and
        # rounding could make their difference negative: there, with u = r^2 - 1, it is
        # (u - log1p(u))/2, by its series where u is tiny. Elsewhere the plain form.
        near = np.abs(ratio - 1.0) < 0.5
        u = np.where(near, ratio**2 - 1.0, 0.0)
        spread_near = np.where(
            np.abs(u) < 1e-4, 0.5 * (u**2 / 2 - u**3 / 3 + u**4 / 4), 0.5 * (u - np.log1p(u))
        )
        spread = np.where(near, spread_near, np.log(qs) - np.log(ps) + 0.5 * ratio**2 - 0.5)
        out = np.maximum(spread, 0.0) + 0.5 * gap**2
    check_representable(out, ["p_mean", "p_std", "q_mean", "q_std"], "a KL divergence")
    return float(out) if out.ndim == 0 else out


def _cholesky(cov: np.ndarray, name: str, dim: int, mean_name: str) -> np.ndarray:
    check_shape(cov, name, (dim, dim), "one row and column per coordinate", against=[mean_name])
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
    Lp = _cholesky(as_float_array(p_cov, "p_cov", ndim=2), "p_cov", d, "p_mean")
    Lq = _cholesky(as_float_array(q_cov, "q_cov", ndim=2), "q_cov", d, "q_mean")
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
        (mode-seeking); it can have a local optimum on each well-separated mode and
        one straddling modes.
    init : (float, float), optional
        Starting (mean, std) for the reverse fit, which then returns the local optimum
        reached from there. Default: the global optimum over several starts (see
        :func:`reverse_kl_optima`). Ignored for the forward fit (a unique optimum).
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
        return reverse_kl_optima(w, m, s, max_iter=max_iter)[0]
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
    chol = _cholesky(as_float_array(cov, "cov", ndim=2), "cov", m.size, "mean")
    check_direction(direction)
    if direction == "forward":
        variances = np.sum(chol**2, axis=1)  # diag(L L^T)
    else:
        inv_chol = solve_triangular(chol, np.eye(m.size), lower=True)
        variances = 1.0 / np.sum(inv_chol**2, axis=0)  # 1 / diag(L^-T L^-1)
    return MeanFieldFit(m.copy(), np.sqrt(variances))


def _reverse_starts(w, m, s) -> list[np.ndarray]:
    """Return the starting (mean, log std) points: each component, then moment matching."""
    mean = float(np.sum(w * m))
    std = float(np.sqrt(np.sum(w * (s**2 + (m - mean) ** 2))))
    starts = [np.array([mk, np.log(sk)]) for mk, sk in zip(m, s)]
    starts.append(np.array([mean, np.log(std)]))
    return starts


def _distinct_minima(results, scale: float) -> list:
    """Keep one optimizer result per optimum, best first (optima closer than 1e-4 merge)."""
    kept: list = []
    for res in sorted(results, key=lambda r: r.fun):
        close = [
            abs(res.x[0] - k.x[0]) < 1e-4 * scale and abs(res.x[1] - k.x[1]) < 1e-4 for k in kept
        ]
        if not any(close):
            kept.append(res)
    return kept


def _reverse_kl_and_grad(params: np.ndarray, w, m, s) -> tuple[float, np.ndarray]:
    """KL(q || p) and its gradient in (mean, log std), by the same Simpson rule."""
    mean, log_std = params
    std = np.exp(log_std)
    x = mean + std * _Z_NODES
    log_comp = np.log(w)[:, None] - np.log(s)[:, None] - 0.5 * ((x - m[:, None]) / s[:, None]) ** 2
    log_p = logsumexp(log_comp, axis=0) - 0.5 * np.log(2 * np.pi)
    resp = np.exp(log_comp - 0.5 * np.log(2 * np.pi) - log_p)
    score = np.sum(resp * (m[:, None] - x) / s[:, None] ** 2, axis=0)  # d log p / dx
    value = -0.5 * np.log(2 * np.pi * np.e) - log_std - _Z_WEIGHTS @ log_p
    grad = np.array([-(_Z_WEIGHTS @ score), -1.0 - std * (_Z_WEIGHTS @ (score * _Z_NODES))])
    return float(value), grad


def reverse_kl_optima(
    weights: object, means: object, stds: object, *, max_iter: int = 4000
) -> tuple[NormalFit, ...]:
    """Every local optimum of KL(q || p) over Gaussian q that a multi-start search finds.

    Reverse KL to a mixture can have several local optima: one on each well-separated
    mode and one that straddles modes. The search starts BFGS (with the exact
    gradient) from every component and from the moment-matched Gaussian, and merges
    end points that agree.

    Parameters
    ----------
    weights, means, stds : array_like of shape (n_components,)
        The mixture p.
    max_iter : int, default 4000
        Iteration limit of each BFGS search.

    Returns
    -------
    tuple of NormalFit
        The distinct optima, the global one (smallest KL) first.

    Examples
    --------
    >>> optima = reverse_kl_optima([0.5, 0.5], [-4.0, 4.0], [1.0, 1.0])
    >>> len(optima), round(optima[0].kl, 4)  # one per mode (KL = log 2), one between
    (3, 0.6931)
    """
    w, m, s = check_mixture(weights, means, stds)
    max_iter = as_positive_int(max_iter, "max_iter")
    # BFGS with the exact gradient: a few dozen evaluations per start.
    options = {"gtol": 1e-10, "maxiter": max_iter}
    results = []
    for x0 in _reverse_starts(w, m, s):
        res = optimize.minimize(
            _reverse_kl_and_grad, x0, args=(w, m, s), jac=True, method="BFGS", options=options
        )
        if not res.success and np.max(np.abs(res.jac)) < 1e-7:
            res.success = True  # stopped by rounding at a stationary point
        results.append(res)
    for res in results:
        if not res.success:
            warn_not_converged("reverse_kl_optima", int(res.nit), "raise `max_iter`.")
    scale = float(np.max(np.abs(m)) + np.max(s))
    return tuple(
        NormalFit(
            float(r.x[0]),
            float(np.exp(r.x[1])),
            float(r.fun),
            n_iter=int(r.nit),
            converged=bool(r.success),
        )
        for r in _distinct_minima(results, scale)
    )


def _log_simpson_grid(lo: float, hi: float, step: float, max_points: int = 200_001):
    n = int(np.ceil((hi - lo) / step)) + 1
    n = min(n + (1 - n % 2), max_points)  # Simpson needs an odd number of nodes
    x = np.linspace(lo, hi, n)
    coef = np.ones(n)
    coef[1:-1:2], coef[2:-1:2] = 4.0, 2.0
    return x, np.log(coef * (x[1] - x[0]) / 3.0)


def _renyi(w, m, s, qm: float, qs: float, alpha: float) -> float:
    """Renyi D_alpha(p || q) = log(int p^alpha q^(1 - alpha)) / (alpha - 1), 0 < alpha < 1."""
    lo = min(float(np.min(m - 12 * s)), qm - 12 * qs)
    hi = max(float(np.max(m + 12 * s)), qm + 12 * qs)
    x, log_coef = _log_simpson_grid(lo, hi, min(float(np.min(s)), qs) / 10)
    log_p = _mixture_logpdf(x, w, m, s)
    log_q = -0.5 * ((x - qm) / qs) ** 2 - np.log(qs) - 0.5 * np.log(2 * np.pi)
    log_integral = logsumexp(alpha * log_p + (1 - alpha) * log_q + log_coef)
    return float(log_integral / (alpha - 1.0))


#: Widest span of the Renyi quadrature grid, in units of the narrowest standard deviation.
_MAX_SPAN = 2.0e4


def _check_span(m, s, qm=None, qs=None) -> None:
    """Check that the Renyi quadrature grid can resolve every density (span rule)."""
    lo, hi = np.min(m - 12 * s), np.max(m + 12 * s)
    narrowest = np.min(s)
    names = ["means", "stds"]
    if qm is not None:
        lo, hi = min(lo, qm - 12 * qs), max(hi, qm + 12 * qs)
        narrowest = min(narrowest, qs)
        names += ["q_mean", "q_std"]
    with np.errstate(over="ignore", invalid="ignore"):
        span = (hi - lo) / narrowest
    if not np.isfinite(span) or span > _MAX_SPAN:
        fail(
            names,
            f"put p and q within {_MAX_SPAN:.0f} of the narrowest standard deviation of each "
            "other (the quadrature grid must resolve every density)",
            f"a span of {span:.3g} of them",
            "Rescale, or drop components that carry no weight.",
        )


def _check_alpha(alpha: object) -> float:
    a = as_scalar(alpha, "alpha")
    if not 0.0 <= a <= 1.0:
        fail(
            "alpha",
            "lie in [0, 1] (0 is reverse KL, 1 is forward KL)",
            repr(a),
        )
    return a


def renyi_mixture_normal(
    weights: object,
    means: object,
    stds: object,
    q_mean: float,
    q_std: float,
    alpha: float,
) -> float:
    """Renyi divergence D_alpha(p || q) of order alpha between a mixture p and a Gaussian q.

    ``D_alpha(p || q) = log(integral of p^alpha q^(1 - alpha)) / (alpha - 1)``, computed
    by a dense Simpson rule in log space. As alpha -> 1 it tends to KL(p || q); as
    alpha -> 0, ``D_alpha(p || q) / alpha`` tends to KL(q || p), so the minimizing q
    moves from mass-covering (alpha near 1) to mode-seeking (alpha near 0). The
    endpoints are returned as those limits: alpha = 1 gives KL(p || q) and alpha = 0
    gives KL(q || p).

    Parameters
    ----------
    weights, means, stds : array_like of shape (n_components,)
        The mixture p.
    q_mean, q_std : float
        The Gaussian q (std > 0).
    alpha : float
        Order in [0, 1].

    Returns
    -------
    float
        In nats.

    Examples
    --------
    >>> round(renyi_mixture_normal([1.0], [0.0], [1.0], 0.0, 1.0, 0.5), 12)  # q = p
    0.0
    """
    w, m, s = check_mixture(weights, means, stds)
    qm = as_scalar(q_mean, "q_mean")
    qs = as_scale(q_std, "q_std")
    a = _check_alpha(alpha)
    _check_span(m, s, qm, qs)
    if a == 1.0:
        return _forward_kl(w, m, s, qm, qs)
    if a == 0.0:
        return _reverse_kl(np.array([qm, np.log(qs)]), w, m, s)
    return _renyi(w, m, s, qm, qs, a)


@dataclass(frozen=True)
class AlphaFit:
    """Result of :func:`fit_alpha_divergence`: the Gaussian q = N(mean, std^2).

    Attributes
    ----------
    mean, std : float
        The fitted Gaussian (std > 0).
    alpha : float
        The order of the divergence minimized.
    divergence : float
        The minimized value: D_alpha(p || q) for 0 < alpha < 1, KL(p || q) for
        alpha = 1, KL(q || p) for alpha = 0 (nats).
    n_iter : int
        Optimizer iterations of the winning start (0 for the closed-form alpha = 1).
    converged : bool
        Whether that optimizer met its tolerances.
    """

    mean: float
    std: float
    alpha: float
    divergence: float
    n_iter: int
    converged: bool


def fit_alpha_divergence(
    weights: object, means: object, stds: object, alpha: float, *, max_iter: int = 4000
) -> AlphaFit:
    """Best Gaussian q for a mixture p under the Renyi divergence D_alpha(p || q).

    alpha = 1 is forward KL (moment matching, mass-covering), alpha = 0 is reverse KL
    (mode-seeking); orders in between interpolate (Minka's alpha-family gives the same
    minimizer). Several starts are tried, as in :func:`reverse_kl_optima`, and the
    best end point is returned.

    Parameters
    ----------
    weights, means, stds : array_like of shape (n_components,)
        The mixture p.
    alpha : float
        Order in [0, 1].
    max_iter : int, default 4000
        Iteration limit of each Nelder-Mead search.

    Returns
    -------
    AlphaFit

    Examples
    --------
    >>> fit = fit_alpha_divergence([0.5, 0.5], [-2.0, 2.0], [1.0, 1.0], 1.0)
    >>> fit.mean, round(fit.std, 6)  # forward KL: moment matching
    (0.0, 2.236068)
    """
    w, m, s = check_mixture(weights, means, stds)
    a = _check_alpha(alpha)
    max_iter = as_positive_int(max_iter, "max_iter")
    _check_span(m, s)
    if a == 1.0:
        fwd = fit_normal_to_mixture(w, m, s, "forward")
        return AlphaFit(fwd.mean, fwd.std, a, fwd.kl, n_iter=0, converged=True)
    if a == 0.0:
        best = reverse_kl_optima(w, m, s, max_iter=max_iter)[0]
        return AlphaFit(best.mean, best.std, a, best.kl, best.n_iter, best.converged)

    def objective(params):
        return _renyi(w, m, s, float(params[0]), float(np.exp(params[1])), a)

    options = {"xatol": 1e-9, "fatol": 1e-12, "maxiter": max_iter}
    results = [
        optimize.minimize(objective, x0, method="Nelder-Mead", options=options)
        for x0 in _reverse_starts(w, m, s)
    ]
    best = min(results, key=lambda r: r.fun)
    if not best.success:
        warn_not_converged("fit_alpha_divergence", int(best.nit), "raise `max_iter`.")
    return AlphaFit(
        float(best.x[0]),
        float(np.exp(best.x[1])),
        a,
        float(best.fun),
        n_iter=int(best.nit),
        converged=bool(best.success),
    )
