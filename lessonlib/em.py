"""Latent variables and EM: 1-D Gaussian mixtures and multi-reference alignment (Chapter 3).

The chapter writes the E- and M-steps out readably; this module is the tuned
version of the same algorithm (see :func:`fit_gmm_1d`) plus the helpers the
chapter's demonstrations need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import special

from lessonlib._validation import (
    as_float_array,
    as_positive_array,
    as_positive_int,
    as_positive_scalar,
    check_rng,
    check_rows_sum_to_one,
)

__all__ = [
    "GMMFit",
    "gmm_loglik",
    "fit_gmm_1d",
    "fit_gmm_restarts",
    "MRAFit",
    "make_mra_data",
    "fit_mra",
]

_LOG_2PI = np.log(2.0 * np.pi)


def _check_gmm(x, means, variances, weights, *, min_points: bool = True):
    xa = as_float_array(x, "x", ndim=1)
    mu = as_float_array(means, "means", ndim=1)
    var = as_positive_array(variances, "variances")
    w = as_float_array(weights, "weights", ndim=1)
    if var.ndim != 1:
        raise ValueError(f"`variances` must be 1-D; got shape {var.shape}.")
    if not (mu.size == var.size == w.size):
        raise ValueError(
            "`means`, `variances` and `weights` must have one entry per component; "
            f"got lengths {mu.size}, {var.size} and {w.size}."
        )
    if np.any(w < 0):
        raise ValueError(f"`weights` must be >= 0; got {w[w < 0][:3].tolist()}.")
    check_rows_sum_to_one(w, "weights")
    if min_points and xa.size < mu.size:
        raise ValueError(
            f"`x` must have at least as many points as components; got {xa.size} points for "
            f"{mu.size} components."
        )
    return xa, mu, var, w


def gmm_loglik(x: object, means: object, variances: object, weights: object) -> float:
    """Total log-likelihood of 1-D data under a Gaussian mixture, by log-sum-exp.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data.
    means, variances, weights : array_like of shape (k,)
        Mixture parameters: variances > 0, weights >= 0 summing to 1.

    Returns
    -------
    float
        ``sum_i log sum_k w_k N(x_i; mu_k, var_k)``; finite for points far in the
        tails, where the densities themselves underflow to 0.

    Examples
    --------
    >>> round(gmm_loglik([0.0], [0.0], [1.0], [1.0]), 6)  # log of 1 / sqrt(2 pi)
    -0.918939
    >>> gmm_loglik([1e4], [0.0, 1.0], [1.0, 1.0], [0.5, 0.5]) > -1e9
    True
    """
    xa, mu, var, w = _check_gmm(x, means, variances, weights, min_points=False)
    # The E-step computes exactly this sum (as a by-product of the responsibilities), in
    # place and row by row, which is several times faster than logsumexp over an (n, k) array.
    return _EStep(xa, mu.size)(mu, var, w)


@dataclass(frozen=True)
class GMMFit:
    """Result of :func:`fit_gmm_1d`.

    Attributes
    ----------
    means, variances, weights : numpy.ndarray of shape (k,)
        Final parameters.
    responsibilities : numpy.ndarray of shape (n, k)
        Posterior probability of each component for each point, at the final parameters.
    loglik_history : numpy.ndarray
        Total log-likelihood at the initial parameters, then after every iteration.
    logpost_history : numpy.ndarray
        Log-likelihood + log-prior of the variances (equal to ``loglik_history`` without a
        prior); this is what MAP-EM never decreases.
    converged : bool
        Whether the change in mean log-likelihood per point fell below ``tol``.
    param_history : list of (means, variances, weights)
        Parameters at every step, the initial ones first.
    """

    means: np.ndarray
    variances: np.ndarray
    weights: np.ndarray
    responsibilities: np.ndarray
    loglik_history: np.ndarray
    logpost_history: np.ndarray
    converged: bool
    param_history: list = field(repr=False)

    @property
    def loglik(self) -> float:
        """Final total log-likelihood."""
        return float(self.loglik_history[-1])

    @property
    def n_iter(self) -> int:
        """Number of completed EM iterations."""
        return len(self.loglik_history) - 1


class _EStep:
    """E-step with preallocated buffers, laid out (k, n) so every row is contiguous.

    Compared with the textbook version (build an (n, k) matrix of log densities,
    then scipy's logsumexp along axis 1), this does the same arithmetic in place:
    no (n, k) temporaries are allocated per iteration, the max and the sum over
    components run as k contiguous vector operations instead of a strided
    reduction, and the normalized exponentials *are* the responsibilities.
    """

    def __init__(self, x: np.ndarray, k: int):
        self.x = x
        self.resp = np.empty((k, x.size))
        self.row_max = np.empty(x.size)
        self.total = np.empty(x.size)

    def __call__(self, mu, var, w) -> float:
        x, resp, row_max, total = self.x, self.resp, self.row_max, self.total
        with np.errstate(divide="ignore"):
            offset = np.log(w) - 0.5 * (_LOG_2PI + np.log(var))
        for j in range(mu.size):
            row = resp[j]
            np.subtract(x, mu[j], out=row)
            np.square(row, out=row)
            row *= -0.5 / var[j]
            row += offset[j]
        np.copyto(row_max, resp[0])
        for j in range(1, mu.size):
            np.maximum(row_max, resp[j], out=row_max)
        resp -= row_max
        np.exp(resp, out=resp)
        np.copyto(total, resp[0])
        for j in range(1, mu.size):
            total += resp[j]
        resp /= total
        np.log(total, out=total)
        return float(np.sum(total) + np.sum(row_max))


def _log_inv_gamma(var: np.ndarray, shape: float, scale: float) -> float:
    return float(
        np.sum(
            shape * np.log(scale) - special.gammaln(shape) - (shape + 1) * np.log(var) - scale / var
        )
    )


def _check_prior(variance_prior: object) -> tuple[float, float] | None:
    if variance_prior is None:
        return None
    if not isinstance(variance_prior, (tuple, list)) or len(variance_prior) != 2:
        raise TypeError(
            "`variance_prior` must be a (shape, scale) pair of an inverse-gamma prior; "
            f"got {variance_prior!r}."
        )
    return (
        as_positive_scalar(variance_prior[0], "variance_prior shape"),
        as_positive_scalar(variance_prior[1], "variance_prior scale"),
    )


def fit_gmm_1d(
    x: object,
    means: object,
    variances: object,
    weights: object,
    *,
    max_iter: int = 500,
    tol: float = 1e-10,
    variance_prior: tuple[float, float] | None = None,
) -> GMMFit:
    """Fit a 1-D Gaussian mixture with any number of components by EM (or MAP-EM).

    Each iteration computes responsibilities (E-step) and re-estimates weights,
    means and variances in closed form (M-step). With ``variance_prior = (a, b)``
    each variance gets an inverse-gamma(a, b) prior and the M-step returns its MAP
    value ``(sum_i r_ik (x_i - mu_k)^2 + 2 b) / (N_k + 2 (a + 1))``, which cannot
    collapse to zero.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data; at least as many points as components, all finite.
    means, variances, weights : array_like of shape (k,)
        Starting parameters (variances > 0, weights summing to 1).
    max_iter : int, default 500
        Maximum number of iterations.
    tol : float, default 1e-10
        Stop when the mean log-likelihood per point (log posterior, for MAP-EM)
        changes by less than this, as scikit-learn's ``GaussianMixture`` does.
    variance_prior : (float, float), optional
        Shape and scale of an inverse-gamma prior on every variance (MAP-EM).

    Returns
    -------
    GMMFit

    Raises
    ------
    RuntimeError
        When plain EM drives a component's variance to zero (it has collapsed onto a
        single point and the likelihood is unbounded) or leaves it with no points;
        the message suggests ``variance_prior``.

    Examples
    --------
    >>> x = np.array([-2.1, -1.9, -2.0, 1.9, 2.0, 2.2])
    >>> fit = fit_gmm_1d(x, means=[-1, 1], variances=[1, 1], weights=[0.5, 0.5])
    >>> fit.means.round(3), fit.weights.round(3)
    (array([-2.   ,  2.033]), array([0.5, 0.5]))
    """
    xa, mu, var, w = _check_gmm(x, means, variances, weights)
    max_iter = as_positive_int(max_iter, "max_iter", minimum=0)
    tol = as_positive_scalar(tol, "tol")
    prior = _check_prior(variance_prior)
    n, k = xa.size, mu.size
    estep = _EStep(xa, k)
    centred = np.empty(n)

    def log_prior(v):
        return 0.0 if prior is None else _log_inv_gamma(v, *prior)

    ll = estep(mu, var, w)
    lls, lps = [ll], [ll + log_prior(var)]
    params = [(mu.copy(), var.copy(), w.copy())]
    converged = False
    for _ in range(max_iter):
        resp = estep.resp
        nk = resp.sum(axis=1)
        if np.any(nk <= 0):
            bad = int(np.argmin(nk))
            raise RuntimeError(f"component {bad} lost all its points; restart from other means.")
        w = nk / n
        mu = (resp @ xa) / nk
        scatter = np.empty(k)  # sum_i r_ik (x_i - mu_k)^2
        for j in range(k):  # loop over components, not points
            np.subtract(xa, mu[j], out=centred)
            np.square(centred, out=centred)
            scatter[j] = resp[j] @ centred
        if prior is None:
            var = scatter / nk
            if np.any(var <= 1e-300 * np.maximum(1.0, mu**2)):
                bad = int(np.argmin(var))
                raise RuntimeError(
                    f"component {bad} collapsed onto a single point (variance -> 0, likelihood "
                    "-> infinity); pass variance_prior=(shape, scale) for MAP-EM."
                )
        else:
            var = (scatter + 2 * prior[1]) / (nk + 2 * (prior[0] + 1))
        ll = estep(mu, var, w)
        lls.append(ll)
        lps.append(ll + log_prior(var))
        params.append((mu.copy(), var.copy(), w.copy()))
        if abs(lps[-1] - lps[-2]) / n < tol:
            converged = True
            break
    return GMMFit(
        means=mu,
        variances=var,
        weights=w,
        responsibilities=estep.resp.T.copy(),
        loglik_history=np.array(lls),
        logpost_history=np.array(lps),
        converged=converged,
        param_history=params,
    )


def fit_gmm_restarts(
    x: object,
    n_components: int,
    n_restarts: int,
    rng: np.random.Generator,
    **kwargs: object,
) -> tuple[GMMFit, list[GMMFit]]:
    """Run EM from several random starts and keep the fit with the highest log-likelihood.

    Each start draws ``n_components`` means uniformly over the data's range (sorted),
    gives every component the data's variance divided by k squared, and equal weights.
    Such naive starts sometimes put two components in one cluster, which is exactly
    when restarts help.

    Parameters
    ----------
    x : array_like of shape (n,)
    n_components : int
        Number of components k (at most the number of points).
    n_restarts : int
        Number of starts, >= 1.
    rng : numpy.random.Generator
        Source of the random starts.
    **kwargs
        Passed to :func:`fit_gmm_1d` (``max_iter``, ``tol``, ``variance_prior``).

    Returns
    -------
    best : GMMFit
    fits : list of GMMFit
        Every run, in order (a run that collapsed is skipped).

    Examples
    --------
    >>> x = np.array([-2.1, -1.9, -2.0, 1.9, 2.0, 2.2])
    >>> best, fits = fit_gmm_restarts(x, 2, 5, np.random.default_rng(0))
    >>> len(fits), round(best.loglik, 3) >= round(max(f.loglik for f in fits), 3)
    (5, True)
    """
    xa = as_float_array(x, "x", ndim=1)
    k = as_positive_int(n_components, "n_components")
    r = as_positive_int(n_restarts, "n_restarts")
    check_rng(rng)
    if xa.size < k:
        raise ValueError(
            f"`x` must have at least as many points as components; got {xa.size} for {k}."
        )
    spread = float(np.var(xa)) or 1.0
    fits = []
    for _ in range(r):
        start = np.sort(rng.uniform(xa.min(), xa.max(), size=k))
        try:
            fits.append(
                fit_gmm_1d(xa, start, np.full(k, spread / k**2), np.full(k, 1.0 / k), **kwargs)
            )
        except RuntimeError:
            continue  # a collapsed start; the others decide
    if not fits:
        raise RuntimeError("every start collapsed; pass variance_prior=(shape, scale).")
    best = max(fits, key=lambda f: f.logpost_history[-1])
    return best, fits


def make_mra_data(
    template: object, n_copies: int, noise_std: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Noisy, randomly cyclically shifted copies of a 1-D template.

    Parameters
    ----------
    template : array_like of shape (L,)
        The signal.
    n_copies : int
        Number of observations.
    noise_std : float
        Standard deviation of the white Gaussian noise, > 0.
    rng : numpy.random.Generator

    Returns
    -------
    observations : numpy.ndarray of shape (n_copies, L)
        ``observations[i] = np.roll(template, shifts[i]) + noise``.
    shifts : numpy.ndarray of int, shape (n_copies,)

    Examples
    --------
    >>> obs, shifts = make_mra_data([0.0, 1.0, 0.0, 0.0], 3, 0.1, np.random.default_rng(0))
    >>> obs.shape, shifts.shape
    ((3, 4), (3,))
    """
    t = as_float_array(template, "template", ndim=1, min_size=2)
    n = as_positive_int(n_copies, "n_copies")
    s = as_positive_scalar(noise_std, "noise_std")
    check_rng(rng)
    shifts = rng.integers(0, t.size, size=n)
    idx = (np.arange(t.size)[None, :] - shifts[:, None]) % t.size
    return t[idx] + s * rng.standard_normal((n, t.size)), shifts


@dataclass(frozen=True)
class MRAFit:
    """Result of :func:`fit_mra`.

    Attributes
    ----------
    template : numpy.ndarray of shape (L,)
        Estimated signal (defined up to a global cyclic shift).
    shift_posterior : numpy.ndarray of shape (n, L)
        Posterior probability of each shift for each observation.
    loglik_history : numpy.ndarray
        Total log-likelihood at the start and after every iteration.
    converged : bool
    """

    template: np.ndarray
    shift_posterior: np.ndarray
    loglik_history: np.ndarray
    converged: bool


def _shift_log_lik(obs: np.ndarray, template: np.ndarray, noise_std: float) -> np.ndarray:
    """Return log p(obs_i | shift s) for every i and s, by FFT cross-correlation."""
    length = template.size
    # corr[i, s] = sum_j obs[i, j] * template[j - s] = <obs_i, roll(template, s)>
    corr = np.fft.irfft(np.fft.rfft(obs, axis=1) * np.conj(np.fft.rfft(template)), n=length)
    sq = np.sum(obs**2, axis=1, keepdims=True) + np.sum(template**2) - 2.0 * corr
    return -0.5 * sq / noise_std**2 - length * (0.5 * _LOG_2PI + np.log(noise_std))


def fit_mra(
    observations: object,
    noise_std: float,
    init: object,
    *,
    max_iter: int = 200,
    tol: float = 1e-9,
) -> MRAFit:
    """Recover a template from shifted noisy copies by EM over the unknown shifts.

    The latent variable of observation i is its cyclic shift s_i, uniform a priori.
    The E-step computes each shift's posterior (a soft alignment); the M-step
    averages the observations, each un-shifted by its posterior.

    Parameters
    ----------
    observations : array_like of shape (n, L)
    noise_std : float
        Known noise standard deviation, > 0.
    init : array_like of shape (L,)
        Starting template.
    max_iter : int, default 200
    tol : float, default 1e-9
        Stop when the mean log-likelihood per observation changes by less than this.

    Returns
    -------
    MRAFit

    Examples
    --------
    >>> obs, _ = make_mra_data([0.0, 3.0, 1.0, 0.0], 200, 0.5, np.random.default_rng(1))
    >>> fit = fit_mra(obs, 0.5, init=np.ones(4))
    >>> fit.template.shape
    (4,)
    """
    y = as_float_array(observations, "observations", ndim=2)
    s = as_positive_scalar(noise_std, "noise_std")
    t = as_float_array(init, "init", ndim=1)
    if t.size != y.shape[1]:
        raise ValueError(
            f"`init` must have one value per sample of an observation ({y.shape[1]}); got {t.size}."
        )
    max_iter = as_positive_int(max_iter, "max_iter", minimum=0)
    tol = as_positive_scalar(tol, "tol")
    n, length = y.shape
    log_prior = -np.log(length)
    y_hat = np.fft.rfft(y, axis=1)

    def estep(template):
        log_joint = _shift_log_lik(y, template, s) + log_prior
        norm = special.logsumexp(log_joint, axis=1, keepdims=True)
        return np.exp(log_joint - norm), float(np.sum(norm))

    post, ll = estep(t)
    lls = [ll]
    converged = False
    for _ in range(max_iter):
        # sum_s post[i, s] * roll(y_i, -s) for all i at once: a circular correlation.
        t = np.fft.irfft(np.sum(y_hat * np.conj(np.fft.rfft(post, axis=1)), axis=0), n=length) / n
        post, ll = estep(t)
        lls.append(ll)
        if abs(lls[-1] - lls[-2]) / n < tol:
            converged = True
            break
    return MRAFit(t, post, np.array(lls), converged)
