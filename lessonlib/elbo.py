"""The evidence lower bound: closed forms, Monte Carlo estimates, VI and the linear VAE (Chapter 4).

Conventions: q is a Gaussian with independent coordinates (mean-field),
parameterized by its mean and its standard deviations; gradients are taken with
respect to (mean, log std), which keeps the std positive without constraints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import linalg
from scipy.special import digamma, gammaln, logsumexp

from lessonlib._validation import (
    HUGE,
    TINY,
    as_float_array,
    as_nonnegative_scalar,
    as_positive_array,
    as_positive_int,
    as_positive_scalar,
    as_scalar,
    as_scale,
    call_finite,
    check_allocation,
    check_callable,
    check_representable,
    check_result_scale,
    check_rng,
    fail,
    mean_and_std,
    safe_scale,
)
from lessonlib.exceptions import warn_not_converged
from lessonlib.optim import adam

__all__ = [
    "NormalPosterior",
    "normal_mean_posterior",
    "normal_mean_log_evidence",
    "normal_mean_elbo",
    "mc_elbo",
    "reparam_gradients",
    "score_gradients",
    "VIFit",
    "fit_gaussian_vi",
    "PPCAFit",
    "ppca_mle",
    "ppca_loglik",
    "LinearVAEFit",
    "linear_vae_elbo",
    "fit_linear_vae",
    "score_gradients_baseline",
    "IWAEBound",
    "iwae_bound",
    "normal_gamma_log_evidence",
    "normal_gamma_elbo",
    "CAVIFit",
    "fit_cavi_normal_gamma",
]

_LOG_2PI = np.log(2.0 * np.pi)


def _check_normal_model(x, noise_std, prior_mean, prior_std):
    xa = as_float_array(x, "x", ndim=1)
    s = as_scale(noise_std, "noise_std")
    m0 = as_scalar(prior_mean, "prior_mean")
    s0 = as_scale(prior_std, "prior_std")
    return xa, s, m0, s0


_MODEL = ["x", "noise_std", "prior_mean", "prior_std"]


@dataclass(frozen=True)
class NormalPosterior:
    """Result of :func:`normal_mean_posterior`: the Gaussian posterior N(mean, std^2) of mu.

    Attributes
    ----------
    mean, std : float
        Posterior mean and standard deviation (> 0).
    """

    mean: float
    std: float


def normal_mean_posterior(
    x: object, noise_std: float, prior_mean: float, prior_std: float
) -> NormalPosterior:
    """Posterior of mu for x_i ~ N(mu, noise_std^2) with prior mu ~ N(prior_mean, prior_std^2).

    Precisions add: ``1/post_std^2 = 1/prior_std^2 + n/noise_std^2``, and the
    posterior mean is the precision-weighted average of the prior mean and the data.

    Parameters
    ----------
    x : array_like of shape (n,)
        Observations (at least one).
    noise_std, prior_std : float
        Standard deviations, > 0.
    prior_mean : float

    Returns
    -------
    NormalPosterior

    Examples
    --------
    >>> post = normal_mean_posterior([1.0, 3.0], noise_std=1.0, prior_mean=0.0, prior_std=1.0)
    >>> round(post.mean, 6), round(post.std, 6)  # 4/3 and 1/sqrt(3)
    (1.333333, 0.57735)
    """
    xa, s, m0, s0 = _check_normal_model(x, noise_std, prior_mean, prior_std)
    return _posterior(xa, s, m0, s0)


def _posterior(xa: np.ndarray, s: float, m0: float, s0: float) -> NormalPosterior:
    """Posterior in log space: no precision 1/s^2 is ever formed, so no scale overflows.

    The mean is ``(1 - w) prior_mean + w xbar`` with ``w = 1 / (1 + s^2 / (n s0^2))``,
    and ``log post_var = -logaddexp(-2 log s0, log n - 2 log s)``.
    """
    n = xa.size
    xbar = mean_and_std(xa)[0]
    log_ratio = 2.0 * (np.log(s) - np.log(s0)) - np.log(n)  # log(s^2 / (n s0^2))
    with np.errstate(over="ignore"):
        w = 1.0 / (1.0 + np.exp(log_ratio))  # weight of the data
        w_prior = 1.0 / (1.0 + np.exp(-log_ratio))  # 1 - w, without cancellation
        mean = w_prior * m0 + w * xbar
        std = np.exp(-0.5 * np.logaddexp(-2.0 * np.log(s0), np.log(n) - 2.0 * np.log(s)))
    check_representable(mean, _MODEL, "a posterior mean")
    check_result_scale(std, _MODEL, "a posterior standard deviation")
    return NormalPosterior(float(mean), float(std))


def normal_mean_log_evidence(
    x: object, noise_std: float, prior_mean: float, prior_std: float
) -> float:
    """Log marginal likelihood log p(x) of the Gaussian-mean model, in closed form.

    Uses Bayes' rule at the posterior mean: ``log p(x) = log p(x | mu) + log p(mu)
    - log p(mu | x)``, exact for any mu and free of large determinants.

    Parameters
    ----------
    x : array_like of shape (n,)
    noise_std, prior_std : float
        > 0.
    prior_mean : float

    Returns
    -------
    float

    Examples
    --------
    >>> round(normal_mean_log_evidence([0.0], 1.0, 0.0, 1.0), 6)  # log N(0; 0, 2)
    -1.265512
    """
    xa, s, m0, s0 = _check_normal_model(x, noise_std, prior_mean, prior_std)
    post = _posterior(xa, s, m0, s0)
    # numpy floats: a Python float's ** raises OverflowError instead of returning inf
    mu, sd, m0, s0, s = (np.float64(v) for v in (post.mean, post.std, m0, s0, s))
    with np.errstate(over="ignore", invalid="ignore"):
        log_lik = np.sum(-0.5 * _LOG_2PI - np.log(s) - 0.5 * ((xa - mu) / s) ** 2)
        log_prior = -0.5 * _LOG_2PI - np.log(s0) - 0.5 * ((mu - m0) / s0) ** 2
        log_post = -0.5 * _LOG_2PI - np.log(sd)
        out = float(log_lik + log_prior - log_post)
    return check_representable(out, _MODEL, "a log evidence")


def normal_mean_elbo(
    x: object,
    q_mean: object,
    q_std: object,
    noise_std: float,
    prior_mean: float,
    prior_std: float,
) -> np.ndarray | float:
    """ELBO of q = N(q_mean, q_std^2) for the Gaussian-mean model, in closed form.

    ``E_q[log p(x | mu)] - KL(q || prior)``, where the expectation uses
    ``E_q[(x_i - mu)^2] = (x_i - q_mean)^2 + q_std^2``. Broadcasts over
    ``q_mean`` and ``q_std``, so a whole grid of q is one call.

    Parameters
    ----------
    x : array_like of shape (n,)
    q_mean : array_like
    q_std : array_like
        > 0.
    noise_std, prior_std : float
        > 0.
    prior_mean : float

    Returns
    -------
    float or numpy.ndarray
        Never above :func:`normal_mean_log_evidence`; equal at the exact posterior.

    Examples
    --------
    >>> post = normal_mean_posterior([1.0, 3.0], 1.0, 0.0, 1.0)
    >>> bool(np.isclose(normal_mean_elbo([1.0, 3.0], post.mean, post.std, 1.0, 0.0, 1.0),
    ...                 normal_mean_log_evidence([1.0, 3.0], 1.0, 0.0, 1.0)))
    True
    """
    xa, s, m0, s0 = _check_normal_model(x, noise_std, prior_mean, prior_std)
    qm = as_float_array(q_mean, "q_mean")
    qs = as_positive_array(q_std, "q_std")
    try:
        qm, qs = np.broadcast_arrays(qm, qs)
    except ValueError:
        fail(["q_mean", "q_std"], "broadcast together", f"shapes {qm.shape} and {qs.shape}")
    n = xa.size
    # sum_i (x_i - m)^2 = sum_i (x_i - xbar)^2 + n (xbar - m)^2, without an (n, grid) array;
    # every square is of a quantity in units of a standard deviation, so none overflows
    # while the ELBO itself is a float64.
    xbar, xsd = mean_and_std(xa)
    with np.errstate(over="ignore", invalid="ignore"):
        sq = n * (xsd / s) ** 2 + n * ((xbar - qm) / s) ** 2
        expected_log_lik = -n * (0.5 * _LOG_2PI + np.log(s)) - 0.5 * (sq + n * (qs / s) ** 2)
        kl = np.log(s0) - np.log(qs) + 0.5 * ((qs / s0) ** 2 + ((qm - m0) / s0) ** 2) - 0.5
        out = expected_log_lik - kl
    check_representable(out, _MODEL + ["q_mean", "q_std"], "an ELBO")
    return float(out) if out.ndim == 0 else out


def _check_q(q_mean, q_std):
    m = as_float_array(q_mean, "q_mean", ndim=1)
    s = as_positive_array(q_std, "q_std")
    if s.shape != m.shape:
        fail("q_std", f"have the shape of `q_mean` {m.shape}", f"shape {s.shape}")
    return m, s


def _draw(m: np.ndarray, s: np.ndarray, eps: np.ndarray, names) -> np.ndarray:
    """Draws z = m + s * eps from q; an overflow names the arguments that set q."""
    with np.errstate(over="ignore", invalid="ignore"):
        z = m + s * eps
    return check_representable(z, names, "draws from q", "Rescale q.")


def _gaussian_entropy(std: np.ndarray) -> float:
    return float(np.sum(np.log(std)) + 0.5 * std.size * (1.0 + _LOG_2PI))


def mc_elbo(
    log_joint: Callable[[np.ndarray], np.ndarray],
    q_mean: object,
    q_std: object,
    n_samples: int,
    rng: np.random.Generator,
) -> float:
    """Monte Carlo ELBO: mean of log p(x, z) over z ~ q, plus q's entropy in closed form.

    Parameters
    ----------
    log_joint : callable
        ``log_joint(z)`` for ``z`` of shape (S, d) returns the S values log p(x, z).
    q_mean, q_std : array_like of shape (d,)
        The mean-field Gaussian q (stds > 0).
    n_samples : int
        Number of draws S.
    rng : numpy.random.Generator

    Returns
    -------
    float

    Examples
    --------
    >>> log_joint = lambda z: -0.5 * np.sum(z**2, axis=1) - 0.5 * np.log(2 * np.pi)
    >>> est = mc_elbo(log_joint, [0.0], [1.0], 4000, np.random.default_rng(0))
    >>> abs(est) < 0.05  # q is the exact posterior and log p(x) = 0
    True
    """
    check_callable(log_joint, "log_joint")
    m, s = _check_q(q_mean, q_std)
    n = as_positive_int(n_samples, "n_samples")
    check_rng(rng)
    check_allocation((n, m.size), ["n_samples", "q_mean"], "draws")
    z = _draw(m, s, rng.standard_normal((n, m.size)), ["q_mean", "q_std"])
    values = call_finite(log_joint, z, "log_joint", (n,), "at the draws from q")
    with np.errstate(over="ignore", invalid="ignore"):
        out = float(values.mean() + _gaussian_entropy(s))
    return check_representable(out, ["log_joint", "q_std"], "an ELBO estimate")


def reparam_gradients(
    grad_log_joint: Callable[[np.ndarray], np.ndarray],
    q_mean: object,
    q_std: object,
    n_samples: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Per-sample reparameterization-trick gradients of the ELBO in (mean, log std).

    With ``z = mean + std * eps``, each draw gives
    ``d/dmean = g`` and ``d/dlog_std = g * eps * std + 1`` (the 1 is the entropy's
    gradient), where ``g = grad_z log p(x, z)``.

    Parameters
    ----------
    grad_log_joint : callable
        ``grad_log_joint(z)`` for z of shape (S, d) returns (S, d) gradients.
    q_mean, q_std : array_like of shape (d,)
    n_samples : int
    rng : numpy.random.Generator

    Returns
    -------
    numpy.ndarray of shape (S, 2 d)
        One gradient estimate per row, mean part first; average the rows for the
        S-sample estimator.

    Examples
    --------
    >>> g = reparam_gradients(lambda z: -z, [0.5], [1.0], 4, np.random.default_rng(0))
    >>> g.shape
    (4, 2)
    """
    check_callable(grad_log_joint, "grad_log_joint")
    m, s = _check_q(q_mean, q_std)
    n = as_positive_int(n_samples, "n_samples")
    check_rng(rng)
    check_allocation((n, 2 * m.size), ["n_samples", "q_mean"], "gradients")
    return _reparam(grad_log_joint, m, s, rng.standard_normal((n, m.size)), ["q_mean", "q_std"])


def _reparam(grad_log_joint, m, s, eps, names) -> np.ndarray:
    """Kernel of :func:`reparam_gradients`; ``names`` are the arguments that set q."""
    n = eps.shape[0]
    z = _draw(m, s, eps, names)
    g = call_finite(grad_log_joint, z, "grad_log_joint", (n, m.size), "at the draws from q")
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.hstack([g, g * eps * s + 1.0])
    return check_representable(out, ["grad_log_joint"] + names, "gradients")


def score_gradients(
    log_joint: Callable[[np.ndarray], np.ndarray],
    q_mean: object,
    q_std: object,
    n_samples: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Per-sample score-function (REINFORCE) gradients of the ELBO in (mean, log std).

    Each draw gives ``(log p(x, z) - log q(z)) * grad log q(z)`` with
    ``d log q / d mean = eps / std`` and ``d log q / d log_std = eps^2 - 1``. It
    needs only values of log p, not its gradient, and pays for it in variance.

    Parameters
    ----------
    log_joint : callable
        ``log_joint(z)`` for z of shape (S, d) returns S values.
    q_mean, q_std : array_like of shape (d,)
    n_samples : int
    rng : numpy.random.Generator

    Returns
    -------
    numpy.ndarray of shape (S, 2 d)

    Examples
    --------
    >>> log_joint = lambda z: -0.5 * np.sum(z**2, axis=1)
    >>> score_gradients(log_joint, [0.5], [1.0], 4, np.random.default_rng(0)).shape
    (4, 2)
    """
    check_callable(log_joint, "log_joint")
    m, s = _check_q(q_mean, q_std)
    n = as_positive_int(n_samples, "n_samples")
    check_rng(rng)
    check_allocation((n, 2 * m.size), ["n_samples", "q_mean"], "gradients")
    eps = rng.standard_normal((n, m.size))
    z = _draw(m, s, eps, ["q_mean", "q_std"])
    log_q = np.sum(-0.5 * _LOG_2PI - np.log(s) - 0.5 * eps**2, axis=1)
    values = call_finite(log_joint, z, "log_joint", (n,), "at the draws from q")
    with np.errstate(over="ignore", invalid="ignore"):
        weight = (values - log_q)[:, None]
        out = np.hstack([weight * eps / s, weight * (eps**2 - 1.0)])
    return check_representable(out, ["log_joint", "q_mean", "q_std"], "gradients")


@dataclass(frozen=True)
class VIFit:
    """Result of :func:`fit_gaussian_vi`.

    Attributes
    ----------
    mean, std : numpy.ndarray of shape (d,)
        The fitted mean-field Gaussian q.
    objective_history : numpy.ndarray
        Monte Carlo ELBO (fixed draws, so the curve is smooth) every ``trace_every``
        steps, the start first.
    history_steps : numpy.ndarray
        The step numbers of ``objective_history``.
    n_iter : int
        Adam steps taken (always ``n_steps``).
    converged : bool
        Always False: stochastic Adam runs a fixed number of steps with no stopping
        test (like ``tol=0`` elsewhere), so it never warns; judge it from
        ``objective_history``.
    """

    mean: np.ndarray
    std: np.ndarray
    objective_history: np.ndarray
    history_steps: np.ndarray
    n_iter: int
    converged: bool = False


def fit_gaussian_vi(
    log_joint: Callable[[np.ndarray], np.ndarray],
    grad_log_joint: Callable[[np.ndarray], np.ndarray],
    init_mean: object,
    rng: np.random.Generator,
    *,
    n_steps: int = 3000,
    n_samples: int = 16,
    lr: float = 0.02,
    init_std: float = 1.0,
    trace_every: int = 50,
    final_lr: float | None = None,
) -> VIFit:
    """Fit a mean-field Gaussian q by stochastic gradient ascent on the ELBO.

    Each step averages ``n_samples`` reparameterization gradients and takes an Adam
    step (``lessonlib.optim.adam``) on (mean, log std).

    Parameters
    ----------
    log_joint, grad_log_joint : callable
        log p(x, z) and its gradient in z, both taking z of shape (S, d).
    init_mean : array_like of shape (d,)
        Starting mean.
    rng : numpy.random.Generator
        Source of the Monte Carlo draws.
    n_steps : int, default 3000
    n_samples : int, default 16
        Draws per gradient estimate.
    lr : float, default 0.02
        Adam step size.
    init_std : float, default 1.0
        Starting standard deviation of every coordinate.
    trace_every : int, default 50
        Record the ELBO every this many steps.
    final_lr : float, optional
        If given, the step size decays geometrically from ``lr`` to ``final_lr`` (> 0)
        over the run, so the last iterate is not left hovering in gradient noise.

    Returns
    -------
    VIFit

    Examples
    --------
    >>> log_joint = lambda z: -0.5 * np.sum((z - 2.0) ** 2, axis=1)
    >>> fit = fit_gaussian_vi(log_joint, lambda z: -(z - 2.0), [0.0], np.random.default_rng(0))
    >>> bool(abs(fit.mean[0] - 2.0) < 0.05 and abs(fit.std[0] - 1.0) < 0.05)
    True
    """
    m0 = as_float_array(init_mean, "init_mean", ndim=1)
    check_rng(rng)
    n_steps = as_positive_int(n_steps, "n_steps")
    n_samples = as_positive_int(n_samples, "n_samples")
    trace_every = as_positive_int(trace_every, "trace_every")
    s0 = as_scale(init_std, "init_std")
    check_callable(log_joint, "log_joint")
    check_callable(grad_log_joint, "grad_log_joint")
    d = m0.size
    names = ["init_mean", "init_std", "lr", "final_lr"]

    def neg_grad(params):
        with np.errstate(over="ignore"):
            mean, std = params[:d], np.exp(params[d:])
        eps = rng.standard_normal((n_samples, d))
        return -_reparam(grad_log_joint, mean, std, eps, names).mean(axis=0)

    start = np.concatenate([m0, np.full(d, np.log(s0))])
    # A step size decaying to final_lr lets the noisy iterates settle on the optimum.
    path = adam(neg_grad, start, lr=lr, n_steps=n_steps, final_lr=final_lr)
    steps = np.arange(0, n_steps + 1, trace_every)
    trace_rng = np.random.default_rng(0)  # the same draws at every checkpoint
    eps = trace_rng.standard_normal((256, d))
    trace = np.empty(steps.size)
    for i, k in enumerate(steps):
        with np.errstate(over="ignore"):
            std = np.exp(path[k, d:])
        z = _draw(path[k, :d], std, eps, names)
        values = call_finite(log_joint, z, "log_joint", (eps.shape[0],), "at the draws from q")
        trace[i] = np.mean(values) + _gaussian_entropy(std)
    std = np.exp(path[-1, d:])
    check_result_scale(std, names, "a fitted standard deviation")
    return VIFit(path[-1, :d], std, trace, steps, n_iter=n_steps)


def _check_data_matrix(X, latent_dim):
    Xa = as_float_array(X, "X", ndim=2)
    n, dim = Xa.shape
    k = as_positive_int(latent_dim, "latent_dim")
    if k >= dim:
        fail("latent_dim", f"be smaller than the data dimension {dim}", k)
    if n < 2:
        fail("X", "have at least 2 rows", n)
    return Xa, k


@dataclass(frozen=True)
class PPCAFit:
    """Result of :func:`ppca_mle`: x = W z + mean + noise, z ~ N(0, I), noise ~ N(0, noise_var I).

    Attributes
    ----------
    W : numpy.ndarray of shape (D, k)
        Loadings (defined up to a rotation of the latent space).
    mean : numpy.ndarray of shape (D,)
    noise_var : float
        Isotropic noise variance (> 0).
    """

    W: np.ndarray
    mean: np.ndarray
    noise_var: float


def ppca_mle(X: object, latent_dim: int) -> PPCAFit:
    """Maximum-likelihood probabilistic PCA in closed form (Tipping & Bishop, 1999).

    For x = W z + mean + noise with z ~ N(0, I) and noise ~ N(0, s^2 I), the MLE
    is: mean = sample mean; s^2 = average of the discarded eigenvalues of the
    (1/n) sample covariance; ``W = U_k (L_k - s^2 I)^{1/2}`` from the top k
    eigenvectors U_k and eigenvalues L_k (up to a rotation of the latent space).

    Parameters
    ----------
    X : array_like of shape (n, D)
    latent_dim : int
        k, with 1 <= k < D.

    Returns
    -------
    PPCAFit
        Closed form: no iterations.

    Raises
    ------
    ValueError
        When ``X`` has no variance outside its top ``latent_dim`` principal
        directions (constant data, or data on a k-dimensional plane): the noise
        variance MLE is then 0 and the likelihood is unbounded.

    Examples
    --------
    >>> X = np.random.default_rng(0).normal(size=(200, 3)) * [3.0, 1.0, 1.0]
    >>> fit = ppca_mle(X, 1)
    >>> fit.W.shape, round(fit.noise_var, 1)
    ((3, 1), 1.0)
    """
    Xa, k = _check_data_matrix(X, latent_dim)
    mean, Xc, c = _centre(Xa)
    # The covariance of X / c (c the largest centred entry) cannot overflow; its
    # eigenvalues are those of the covariance divided by c^2.
    Xs = Xc / c
    evals, evecs = linalg.eigh(Xs.T @ Xs / Xa.shape[0])
    evals, evecs = evals[::-1], evecs[:, ::-1]
    noise_scaled = float(np.mean(evals[k:]))
    # Eigenvalues below rounding of the largest one are zero: the data lie on a plane.
    if noise_scaled <= 10 * np.finfo(float).eps * max(evals[0], 0.0) * Xa.shape[1]:
        fail(
            "X",
            "vary outside its top `latent_dim` principal directions (the noise variance MLE "
            "is the mean of the other covariance eigenvalues)",
            f"eigenvalues {np.round(evals * c**2, 12).tolist()[:6]} (zero at rounding)"
            if c < 1e150
            else "zero at rounding",
            "Use a smaller `latent_dim` or add noise-level variation.",
        )
    with np.errstate(over="ignore", under="ignore"):
        noise_var = noise_scaled * c * c
    check_result_scale(noise_var, "X", "a noise variance")
    W = evecs[:, :k] * (c * np.sqrt(np.maximum(evals[:k] - noise_scaled, 0.0)))
    return PPCAFit(W, mean, noise_var)


def _centre(Xa: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Column means, centred data and the largest centred entry (>= tiny), without overflow."""
    c0 = safe_scale(Xa)
    mean = (Xa / c0).mean(axis=0) * c0
    with np.errstate(over="ignore", invalid="ignore"):
        Xc = Xa - mean
    check_representable(Xc, "X", "centred data")
    return mean, Xc, safe_scale(Xc)


def ppca_loglik(X: object, W: object, mean: object, noise_var: float) -> float:
    """Exact total log-likelihood of data under pPCA: x ~ N(mean, W W^T + noise_var I).

    Parameters
    ----------
    X : array_like of shape (n, D)
    W : array_like of shape (D, k)
    mean : array_like of shape (D,)
    noise_var : float
        > 0.

    Returns
    -------
    float

    Examples
    --------
    >>> round(ppca_loglik([[0.0, 0.0]], [[0.0], [0.0]], [0.0, 0.0], 1.0), 6)  # log N(0; 0, I)
    -1.837877
    """
    Xa = as_float_array(X, "X", ndim=2)
    Wa = as_float_array(W, "W", ndim=2)
    mu = as_float_array(mean, "mean", ndim=1)
    s2 = as_scale(noise_var, "noise_var")
    n, dim = Xa.shape
    if Wa.shape[0] != dim:
        fail("W", f"have {dim} rows (the data dimension)", Wa.shape[0])
    if mu.size != dim:
        fail("mean", f"have {dim} entries (the data dimension)", mu.size)
    names = ["X", "W", "mean", "noise_var"]
    # Work on the scale c of the covariance's square root: C = c^2 C', with C' of order 1.
    c = max(np.sqrt(s2), safe_scale(Wa))
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        Ws = Wa / c
        cov = Ws @ Ws.T + (s2 / c / c) * np.eye(dim)
        try:
            chol = linalg.cholesky(cov, lower=True)
        except linalg.LinAlgError:
            fail(
                ["W", "noise_var"],
                "give a positive-definite covariance W W^T + noise_var I",
                "a singular one (`noise_var` is negligible next to `W` W^T)",
                "Increase `noise_var`.",
            )
        resid = Xa / c - mu / c
        solved = linalg.solve_triangular(chol, resid.T, lower=True)
        log_det = 2.0 * np.sum(np.log(np.diag(chol))) + 2.0 * dim * np.log(c)
        out = float(-0.5 * (n * (dim * _LOG_2PI + log_det) + np.sum(solved**2)))
    return check_representable(out, names, "a log-likelihood")


@dataclass(frozen=True)
class LinearVAEFit:
    """Result of :func:`fit_linear_vae`.

    Attributes
    ----------
    W : numpy.ndarray of shape (D, k)
        Decoder weights: p(x | z) = N(W z + mean, noise_var I).
    mean : numpy.ndarray of shape (D,)
    noise_var : float
    V : numpy.ndarray of shape (k, D)
        Encoder weights: q(z | x) = N(V (x - mean), diag(enc_std^2)).
    enc_std : numpy.ndarray of shape (k,)
    objective_history : numpy.ndarray
        Total ELBO every ``trace_every`` steps, the start first.
    history_steps : numpy.ndarray
        The step numbers of ``objective_history``.
    n_iter : int
        Adam steps taken (always ``n_steps``).
    converged : bool
        Always False: Adam runs a fixed number of steps with no stopping test (like
        ``tol=0`` elsewhere), so it never warns; judge it from ``objective_history``.
    """

    W: np.ndarray
    mean: np.ndarray
    noise_var: float
    V: np.ndarray
    enc_std: np.ndarray
    objective_history: np.ndarray
    history_steps: np.ndarray
    n_iter: int
    converged: bool = False


def _vae_unpack(params, dim, k):
    W = params[: dim * k].reshape(dim, k)
    V = params[dim * k : 2 * dim * k].reshape(k, dim)
    log_var = params[2 * dim * k]
    log_std = params[2 * dim * k + 1 :]
    return W, V, log_var, log_std


def _vae_elbo_and_grad(params, Xc, k):
    n, dim = Xc.shape
    W, V, log_var, log_std = _vae_unpack(params, dim, k)
    var, s2 = np.exp(log_var), np.exp(2 * log_std)
    M = Xc @ V.T  # encoder means, (n, k)
    R = Xc - M @ W.T  # reconstruction residuals, (n, D)
    col_sq = np.sum(W**2, axis=0)
    A = np.sum(R**2) + n * np.sum(s2 * col_sq)  # sum_i E_q ||x_i - mean - W z||^2
    elbo = (
        -0.5 * n * dim * (_LOG_2PI + log_var)
        - 0.5 * A / var
        - 0.5 * np.sum(n * (s2 - 2 * log_std - 1) + np.sum(M**2, axis=0))
    )
    g_W = (R.T @ M - n * W * s2) / var
    g_M = R @ W / var - M
    g_V = g_M.T @ Xc
    g_log_var = -0.5 * n * dim + 0.5 * A / var
    g_log_std = -n * s2 * col_sq / var - n * s2 + n
    grad = np.concatenate([g_W.ravel(), g_V.ravel(), [g_log_var], g_log_std])
    return float(elbo), grad


def linear_vae_elbo(
    X: object, W: object, V: object, noise_var: float, enc_std: object, mean: object
) -> float:
    """Total closed-form ELBO of a linear-Gaussian VAE on data X.

    Decoder p(x | z) = N(W z + mean, noise_var I), prior z ~ N(0, I), encoder
    q(z | x) = N(V (x - mean), diag(enc_std^2)). Every expectation is Gaussian, so
    no sampling is needed.

    Parameters
    ----------
    X : array_like of shape (n, D)
    W : array_like of shape (D, k)
    V : array_like of shape (k, D)
    noise_var : float
        > 0.
    enc_std : array_like of shape (k,)
        > 0.
    mean : array_like of shape (D,)

    Returns
    -------
    float
        At most :func:`ppca_loglik` with the same W, mean and noise_var.

    Examples
    --------
    >>> X = [[1.0, 0.0], [-1.0, 0.0]]
    >>> linear_vae_elbo(X, [[1.0], [0.0]], [[0.5, 0.0]], 1.0, [0.5], [0.0, 0.0]) <= ppca_loglik(
    ...     X, [[1.0], [0.0]], [0.0, 0.0], 1.0)
    True
    """
    Xa = as_float_array(X, "X", ndim=2)
    Wa = as_float_array(W, "W", ndim=2)
    Va = as_float_array(V, "V", ndim=2)
    mu = as_float_array(mean, "mean", ndim=1)
    s = as_positive_array(enc_std, "enc_std")
    var = as_scale(noise_var, "noise_var")
    dim, k = Wa.shape
    if Xa.shape[1] != dim or Va.shape != (k, dim) or s.shape != (k,) or mu.shape != (dim,):
        fail(
            ["X", "W", "V", "enc_std", "mean"],
            f"have agreeing shapes: X (n, {dim}), W ({dim}, {k}), V ({k}, {dim}), "
            f"enc_std ({k},), mean ({dim},)",
            f"X {Xa.shape}, V {Va.shape}, enc_std {s.shape}, mean {mu.shape}",
        )
    params = np.concatenate([Wa.ravel(), Va.ravel(), [np.log(var)], np.log(s)])
    with np.errstate(over="ignore", invalid="ignore"):
        out = _vae_elbo_and_grad(params, Xa - mu, k)[0]
    return check_representable(out, ["X", "W", "V", "noise_var", "enc_std", "mean"], "an ELBO")


def fit_linear_vae(
    X: object,
    latent_dim: int,
    rng: np.random.Generator,
    *,
    n_steps: int = 8000,
    lr: float = 0.02,
    trace_every: int = 100,
    noise_var: float | None = None,
) -> LinearVAEFit:
    """Train a linear-Gaussian VAE by Adam on its closed-form ELBO (full batch).

    The mean is fixed at the sample mean (its maximum-likelihood value); W, V, the
    log noise variance and the log encoder stds are learned from a small random start.
    The gradients are derived by hand (see the source) and checked in the tests
    against finite differences.

    Parameters
    ----------
    X : array_like of shape (n, D)
    latent_dim : int
        k, with 1 <= k < D.
    rng : numpy.random.Generator
        Source of the initial weights.
    n_steps : int, default 8000
    lr : float, default 0.02
        Initial Adam step size; it decays geometrically to lr / 100.
    trace_every : int, default 100
    noise_var : float, optional
        If given, the decoder's noise variance is held at this value (> 0) instead of
        learned. Latent directions whose data variance is below it then collapse to
        the prior (their decoder column goes to 0 and q(z_j | x) to N(0, 1)).

    Returns
    -------
    LinearVAEFit

    Examples
    --------
    >>> X = np.random.default_rng(0).normal(size=(300, 3)) * [2.0, 1.0, 0.5]
    >>> fit = fit_linear_vae(X, 1, np.random.default_rng(1), n_steps=2000)
    >>> fit.W.shape, fit.V.shape
    ((3, 1), (1, 3))
    """
    Xa, k = _check_data_matrix(X, latent_dim)
    check_rng(rng)
    n_steps = as_positive_int(n_steps, "n_steps")
    trace_every = as_positive_int(trace_every, "trace_every")
    n, dim = Xa.shape
    mean, Xc, c = _centre(Xa)
    scale = c * float(np.sqrt(np.mean((Xc / c) ** 2)))
    if scale == 0.0:
        fail(
            "X",
            "vary (the ELBO's noise variance would go to 0 on constant data)",
            f"{n} identical rows",
        )
    # The ELBO squares residuals and sums them over every entry, and divides by the
    # noise variance (of order scale^2): both must stay float64 numbers.
    if not (np.sqrt(TINY) < scale and c * np.sqrt(n * dim) < np.sqrt(HUGE)):
        fail(
            "X",
            "have a spread between 1.5e-154 and 1.3e154 / sqrt(n * D) (the ELBO squares it)",
            f"a root-mean-square deviation of {scale:.3g}",
            "Rescale `X`.",
        )
    start = np.concatenate(
        [
            0.1 * scale * rng.standard_normal(dim * k),
            0.1 / scale * rng.standard_normal(dim * k),
            [2.0 * np.log(scale)],
            np.zeros(k),
        ]
    )
    free = np.ones(start.size)
    if noise_var is not None:
        start[2 * dim * k] = np.log(as_scale(noise_var, "noise_var"))
        free[2 * dim * k] = 0.0  # a held noise variance gets no gradient
    lr = as_positive_scalar(lr, "lr")
    # Adam on the per-point ELBO (dividing by n keeps the step size meaningful for any n).
    # The step size decays 100-fold over the run so the iterates settle instead of hovering.
    path = adam(
        lambda p: -free * _vae_elbo_and_grad(p, Xc, k)[1] / n,
        start,
        lr=lr,
        n_steps=n_steps,
        final_lr=lr / 100,
    )
    steps = np.arange(0, n_steps + 1, trace_every)
    trace = np.array([_vae_elbo_and_grad(path[i], Xc, k)[0] for i in steps])
    W, V, log_var, log_std = _vae_unpack(path[-1], dim, k)
    with np.errstate(over="ignore", under="ignore"):
        noise_var, enc_std = float(np.exp(log_var)), np.exp(log_std)
    check_representable(trace, "X", "an ELBO trace", "Rescale `X` or lower `lr`.")
    check_result_scale(noise_var, ["X", "lr"], "a noise variance")
    check_result_scale(enc_std, ["X", "lr"], "encoder standard deviations")
    return LinearVAEFit(W, mean, noise_var, V, enc_std, trace, steps, n_iter=n_steps)


def score_gradients_baseline(
    log_joint: Callable[[np.ndarray], np.ndarray],
    q_mean: object,
    q_std: object,
    n_samples: int,
    rng: np.random.Generator,
    *,
    baseline: float | None = None,
) -> np.ndarray:
    """Per-sample score-function gradients with a baseline and the entropy term in closed form.

    The ELBO is ``E_q[log p(x, z)] + H(q)``. The score-function identity is applied to
    the first term only, with a baseline ``b`` subtracted: ``(log p(x, z) - b) *
    grad log q(z)``, which keeps the estimator unbiased because ``E_q[grad log q] = 0``.
    The entropy's gradient is exact: 0 for the mean, 1 for each log std. Without a
    baseline, the estimator's variance grows with any constant added to log p; with
    one, it does not.

    Parameters
    ----------
    log_joint : callable
        ``log_joint(z)`` for z of shape (S, d) returns S values.
    q_mean, q_std : array_like of shape (d,)
    n_samples : int
        Number of draws S (at least 2 when ``baseline`` is None).
    rng : numpy.random.Generator
    baseline : float, optional
        A constant b chosen without looking at these draws. Default: for each draw, the
        mean of log p over the *other* draws (leave-one-out), still unbiased.

    Returns
    -------
    numpy.ndarray of shape (S, 2 d)
        One gradient estimate per row, mean part first.

    Examples
    --------
    >>> log_joint = lambda z: 100.0 - 0.5 * np.sum(z**2, axis=1)  # q = posterior
    >>> g = score_gradients_baseline(log_joint, [0.0], [1.0], 4000, np.random.default_rng(0))
    >>> bool(np.all(np.abs(g.mean(axis=0)) < 0.1))  # the true gradient is 0
    True
    """
    check_callable(log_joint, "log_joint")
    m, s = _check_q(q_mean, q_std)
    n = as_positive_int(n_samples, "n_samples", minimum=1 if baseline is not None else 2)
    check_rng(rng)
    b = None if baseline is None else as_scalar(baseline, "baseline")
    eps = rng.standard_normal((n, m.size))
    values = call_finite(log_joint, m + s * eps, "log_joint", (n,), "at the samples of q")
    if b is None:
        centred = values - (values.sum() - values) / (n - 1)  # leave-one-out baseline
    else:
        centred = values - b
    weight = centred[:, None]
    return np.hstack([weight * eps / s, weight * (eps**2 - 1.0) + 1.0])


@dataclass(frozen=True)
class IWAEBound:
    """Result of :func:`iwae_bound`: a Monte Carlo estimate of the importance-weighted bound.

    Attributes
    ----------
    bound : float
        Average over ``n_repeats`` independent estimates of L_K.
    std_error : float
        Its standard error (standard deviation of the estimates / sqrt(n_repeats)).
    n_particles : int
        K, the importance samples inside the log.
    n_repeats : int
        Independent estimates averaged.
    """

    bound: float
    std_error: float
    n_particles: int
    n_repeats: int


def iwae_bound(
    log_joint: Callable[[np.ndarray], np.ndarray],
    q_mean: object,
    q_std: object,
    n_particles: int,
    n_repeats: int,
    rng: np.random.Generator,
) -> IWAEBound:
    """Importance-weighted lower bound L_K = E[log (1/K) sum_k p(x, z_k) / q(z_k)].

    With K = 1 it is the ELBO; it never decreases as K grows, and tends to log p(x)
    (Burda, Grosse & Salakhutdinov, 2016). The average inside the log is taken in
    log space (log-sum-exp).

    Parameters
    ----------
    log_joint : callable
        ``log_joint(z)`` for z of shape (S, d) returns S values log p(x, z).
    q_mean, q_std : array_like of shape (d,)
        The proposal q (mean-field Gaussian).
    n_particles : int
        K >= 1.
    n_repeats : int
        Number of independent estimates of L_K to average (>= 2, for a standard error).
    rng : numpy.random.Generator

    Returns
    -------
    IWAEBound

    Examples
    --------
    >>> log_joint = lambda z: -0.5 * np.sum(z**2, axis=1) - 0.5 * np.log(2 * np.pi)
    >>> out = iwae_bound(log_joint, [0.0], [1.0], 5, 10, np.random.default_rng(0))
    >>> round(out.bound, 12), round(out.std_error, 12)  # q is the posterior: exact
    (0.0, 0.0)
    """
    check_callable(log_joint, "log_joint")
    m, s = _check_q(q_mean, q_std)
    k = as_positive_int(n_particles, "n_particles")
    r = as_positive_int(n_repeats, "n_repeats", minimum=2)
    check_rng(rng)
    eps = rng.standard_normal((r * k, m.size))
    values = call_finite(log_joint, m + s * eps, "log_joint", (r * k,), "at the samples of q")
    log_q = np.sum(-0.5 * _LOG_2PI - np.log(s) - 0.5 * eps**2, axis=1)
    log_w = (values - log_q).reshape(r, k)
    estimates = logsumexp(log_w, axis=1) - np.log(k)
    spread = float(np.std(estimates, ddof=1))
    return IWAEBound(float(estimates.mean()), float(spread / np.sqrt(r)), k, r)


def _check_normal_gamma(x, prior_mean, prior_kappa, prior_shape, prior_rate):
    xa = as_float_array(x, "x", ndim=1)
    # numpy floats: an overflow becomes inf (reported by name below), never OverflowError
    return (
        xa,
        np.float64(as_scalar(prior_mean, "prior_mean")),
        np.float64(as_scale(prior_kappa, "prior_kappa")),
        np.float64(as_scale(prior_shape, "prior_shape")),
        np.float64(as_scale(prior_rate, "prior_rate")),
    )


_NG_NAMES = ["x", "prior_mean", "prior_kappa", "prior_shape", "prior_rate"]


def normal_gamma_log_evidence(
    x: object, prior_mean: float, prior_kappa: float, prior_shape: float, prior_rate: float
) -> float:
    """Exact log p(x) for x_i ~ N(mu, 1/tau) with a Normal-Gamma prior.

    Prior: tau ~ Gamma(prior_shape, rate=prior_rate), mu | tau ~ N(prior_mean,
    1 / (prior_kappa tau)). The posterior is Normal-Gamma with kappa_n = kappa + n,
    a_n = a + n/2, b_n = b + S/2 + kappa n (xbar - m0)^2 / (2 kappa_n), S the sum of
    squared deviations, and ``p(x) = Gamma(a_n) b^a sqrt(kappa) /
    (Gamma(a) b_n^a_n sqrt(kappa_n) (2 pi)^(n/2))``.

    Parameters
    ----------
    x : array_like of shape (n,)
    prior_mean : float
    prior_kappa, prior_shape, prior_rate : float
        > 0.

    Returns
    -------
    float

    Examples
    --------
    >>> round(normal_gamma_log_evidence([0.3, -0.2, 1.1], 0.0, 1.0, 2.0, 2.0), 6)
    -4.055684
    """
    xa, m0, k0, a0, b0 = _check_normal_gamma(x, prior_mean, prior_kappa, prior_shape, prior_rate)
    n = xa.size
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        xbar = xa.mean()
        kn, an = k0 + n, a0 + n / 2
        bn = b0 + 0.5 * np.sum((xa - xbar) ** 2) + k0 * n * (xbar - m0) ** 2 / (2 * kn)
        out = (
            gammaln(an)
            - gammaln(a0)
            + a0 * np.log(b0)
            - an * np.log(bn)
            + 0.5 * (np.log(k0) - np.log(kn))
            - 0.5 * n * _LOG_2PI
        )
    check_representable(out, _NG_NAMES, "a log-evidence")
    return float(out)


def normal_gamma_elbo(
    x: object,
    q_mean: float,
    q_std: float,
    q_shape: float,
    q_rate: float,
    prior_mean: float,
    prior_kappa: float,
    prior_shape: float,
    prior_rate: float,
) -> float:
    """Closed-form ELBO of the mean-field q(mu) q(tau) = N(q_mean, q_std^2) Gamma(q_shape, q_rate).

    The model is that of :func:`normal_gamma_log_evidence`. Every expectation is
    available: ``E[tau] = a/b``, ``E[log tau] = digamma(a) - log b``,
    ``E[(x_i - mu)^2] = (x_i - q_mean)^2 + q_std^2``.

    Parameters
    ----------
    x : array_like of shape (n,)
    q_mean : float
    q_std, q_shape, q_rate : float
        > 0.
    prior_mean : float
    prior_kappa, prior_shape, prior_rate : float
        > 0.

    Returns
    -------
    float
        Never above :func:`normal_gamma_log_evidence`.

    Examples
    --------
    >>> elbo = normal_gamma_elbo([0.3, -0.2, 1.1], 0.3, 0.4, 3.5, 3.0, 0.0, 1.0, 2.0, 2.0)
    >>> elbo <= normal_gamma_log_evidence([0.3, -0.2, 1.1], 0.0, 1.0, 2.0, 2.0)
    True
    """
    xa, m0, k0, a0, b0 = _check_normal_gamma(x, prior_mean, prior_kappa, prior_shape, prior_rate)
    m = np.float64(as_scalar(q_mean, "q_mean"))
    s = np.float64(as_scale(q_std, "q_std"))
    a = np.float64(as_scale(q_shape, "q_shape"))
    b = np.float64(as_scale(q_rate, "q_rate"))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = _normal_gamma_elbo(xa, m, s, a, b, m0, k0, a0, b0)
    check_representable(out, ["q_mean", "q_std", "q_shape", "q_rate", *_NG_NAMES], "an ELBO")
    return out


def _normal_gamma_elbo(xa, m, s, a, b, m0, k0, a0, b0) -> float:
    n = xa.size
    e_tau, e_log_tau = a / b, digamma(a) - np.log(b)
    sq = np.sum((xa - m) ** 2) + n * s**2
    log_lik = 0.5 * n * (e_log_tau - _LOG_2PI) - 0.5 * e_tau * sq
    log_prior_mu = 0.5 * (np.log(k0) + e_log_tau - _LOG_2PI) - 0.5 * k0 * e_tau * (
        (m - m0) ** 2 + s**2
    )
    log_prior_tau = a0 * np.log(b0) - gammaln(a0) + (a0 - 1) * e_log_tau - b0 * e_tau
    entropy_mu = 0.5 * (_LOG_2PI + 1.0) + np.log(s)
    entropy_tau = a - np.log(b) + gammaln(a) + (1 - a) * digamma(a)
    return float(log_lik + log_prior_mu + log_prior_tau + entropy_mu + entropy_tau)


@dataclass(frozen=True)
class CAVIFit:
    """Result of :func:`fit_cavi_normal_gamma`: q(mu) q(tau) = N(mean, std^2) Gamma(shape, rate).

    Attributes
    ----------
    mean, std : float
        The Gaussian factor q(mu).
    shape, rate : float
        The Gamma factor q(tau) (rate parameterization: E[tau] = shape / rate).
    objective_history : numpy.ndarray
        The ELBO after each full sweep, the start first; it never decreases.
    n_iter : int
        Sweeps made.
    converged : bool
        Whether the ELBO changed by less than ``tol`` in the last sweep.
    """

    mean: float
    std: float
    shape: float
    rate: float
    objective_history: np.ndarray
    n_iter: int
    converged: bool


def fit_cavi_normal_gamma(
    x: object,
    prior_mean: float,
    prior_kappa: float,
    prior_shape: float,
    prior_rate: float,
    *,
    init_rate: float | None = None,
    max_iter: int = 100,
    tol: float = 1e-12,
) -> CAVIFit:
    """Coordinate-ascent VI for the Gaussian with unknown mean and precision (mean field).

    Each factor is set to its optimum given the other, ``log q_j = E_{-j}[log p(x, z)]
    + const``: q(mu) = N(m_n, 1 / ((kappa + n) E[tau])) with m_n the exact posterior
    mean, then q(tau) = Gamma(a + (n + 1)/2, b + E_mu[sum_i (x_i - mu)^2 + kappa (mu -
    m0)^2] / 2). Every sweep raises the ELBO (Bishop, 2006, section 10.1.3).

    Parameters
    ----------
    x : array_like of shape (n,)
    prior_mean : float
    prior_kappa, prior_shape, prior_rate : float
        The Normal-Gamma prior of :func:`normal_gamma_log_evidence` (> 0).
    init_rate : float, optional
        Starting rate of q(tau) (> 0); default: ``prior_rate``.
    max_iter : int, default 100
    tol : float, default 1e-12
        Stop when a sweep raises the ELBO by less than this; 0 runs ``max_iter`` sweeps.

    Returns
    -------
    CAVIFit

    Warns
    -----
    ConvergenceWarning
        When ``tol > 0`` and ``max_iter`` sweeps were not enough.

    Examples
    --------
    >>> fit = fit_cavi_normal_gamma([0.3, -0.2, 1.1], 0.0, 1.0, 2.0, 2.0)
    >>> round(fit.mean, 6), fit.converged  # the exact posterior mean: 1.2 / 4
    (0.3, True)
    """
    xa, m0, k0, a0, b0 = _check_normal_gamma(x, prior_mean, prior_kappa, prior_shape, prior_rate)
    b = b0 if init_rate is None else as_scale(init_rate, "init_rate")
    max_iter = as_positive_int(max_iter, "max_iter")
    tol = as_nonnegative_scalar(tol, "tol")
    b = np.float64(b)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        fit = _cavi_sweeps(xa, m0, k0, a0, b0, b, max_iter, tol)
    check_representable(
        [fit.mean, fit.std, fit.shape, fit.rate, *fit.objective_history],
        [*_NG_NAMES, "init_rate"],
        "a variational posterior",
    )
    if tol > 0 and not fit.converged:
        warn_not_converged("fit_cavi_normal_gamma", fit.n_iter, "raise `max_iter`.")
    return fit


def _cavi_sweeps(xa, m0, k0, a0, b0, b, max_iter, tol) -> CAVIFit:
    n = xa.size
    kn = k0 + n
    m = (k0 * m0 + xa.sum()) / kn  # q(mu)'s mean does not depend on q(tau)
    a = a0 + 0.5 * (n + 1)  # nor does q(tau)'s shape
    s = 1.0 / np.sqrt(kn * a / b)
    history = [_normal_gamma_elbo(xa, m, s, a, b, m0, k0, a0, b0)]
    converged = False
    for _ in range(max_iter):
        s = 1.0 / np.sqrt(kn * a / b)
        b = b0 + 0.5 * (np.sum((xa - m) ** 2) + n * s**2 + k0 * ((m - m0) ** 2 + s**2))
        history.append(_normal_gamma_elbo(xa, m, s, a, b, m0, k0, a0, b0))
        if tol > 0 and abs(history[-1] - history[-2]) < tol:
            converged = True
            break
    n_iter = len(history) - 1
    return CAVIFit(float(m), float(s), float(a), float(b), np.array(history), n_iter, converged)
