"""Latent variables and EM: 1-D Gaussian mixtures and multi-reference alignment (Chapter 3).

A mixture is ``(weights, means, stds)`` -- weights first, standard deviations, as
everywhere in lessonlib (see ``lessonlib.mixtures``). The E- and M-steps are
public, pure functions (:func:`e_step`, :func:`m_step`); :func:`fit_gmm_1d`
composes the same two kernels with preallocated buffers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import special

from lessonlib._validation import (
    as_float_array,
    as_nonnegative_int,
    as_pair,
    as_positive_int,
    as_scale,
    as_tolerance,
    check_allocation,
    check_probability_array,
    check_representable,
    check_rng,
    check_rows_sum_to_one,
    check_same_length,
    check_shape,
    fail,
    mean_and_std,
    safe_scale,
)
from lessonlib.exceptions import CollapseError, warn_not_converged
from lessonlib.mixtures import _mixture_logpdf, check_mixture, standardize

__all__ = [
    "gmm_loglik",
    "e_step",
    "m_step",
    "GMMFit",
    "fit_gmm_1d",
    "GMMRestarts",
    "fit_gmm_restarts",
    "MRAFit",
    "make_mra_data",
    "fit_mra",
]

_LOG_2PI = np.log(2.0 * np.pi)

#: A component whose variance falls to this fraction of the data's variance has collapsed
#: (compared as standard deviations: std <= 1e-6 * the data's std).
COLLAPSE_RATIO = 1e-12
_COLLAPSE_STD_RATIO = np.sqrt(COLLAPSE_RATIO)
#: A component whose effective number of points (the sum of its responsibilities) is
#: below this fraction of n has lost its points: its mean and variance are 0/0.
EMPTY_RATIO = np.finfo(float).eps


def _check_gmm(x, weights, means, stds, *, min_points: bool = True):
    xa = as_float_array(x, "x", ndim=1)
    w, mu, s = check_mixture(weights, means, stds)
    if min_points and xa.size < mu.size:
        fail(
            "x",
            "have at least as many points as components",
            f"{xa.size} points for {mu.size} components",
        )
    return xa, w, mu, s


def _check_constant(xa: np.ndarray) -> None:
    """Plain EM on constant data collapses at once: say so in terms of `x`."""
    if xa.size and xa.min() == xa.max():
        raise CollapseError(
            f"`x` must contain at least 2 distinct values for a mixture fit; got {xa.size} "
            f"copies of {xa[0]!r}. Every component collapsed onto that value (the likelihood "
            "is unbounded); pass variance_prior=(shape, scale) for MAP-EM."
        )


class _Workspace:
    """Buffers of one EM run, laid out (k, n) so that every component's row is contiguous.

    ``resp.T`` is the (n, k) responsibility matrix the public functions return, as a
    view: no copy is made per iteration.
    """

    def __init__(self, n: int, k: int, out: np.ndarray | None = None):
        check_allocation((k + 4, n), ["x", "means"], "EM buffers")
        self.resp = np.empty((k, n)) if out is None else out.T
        self.row_max = np.empty(n)
        self.total = np.empty(n)
        self.centred = np.empty(n)


def _e_step(x: np.ndarray, w, mu, s, ws: _Workspace) -> float:
    """Fill ``ws.resp`` with responsibilities and return the total log-likelihood.

    Compared with the textbook version (an (n, k) matrix of log densities, then
    scipy's logsumexp along axis 1), this does the same arithmetic in place: no
    (n, k) temporaries per iteration, the max and the sum over components run as k
    contiguous vector operations instead of a strided reduction, and the normalized
    exponentials *are* the responsibilities. It works with (x - mu) / sigma and log
    sigma, never sigma**2, so any scale float64 holds is usable.
    """
    resp, row_max, total = ws.resp, ws.row_max, ws.total
    with np.errstate(divide="ignore"):  # a zero weight gives log 0 = -inf, intended
        offset = np.log(w) - 0.5 * _LOG_2PI - np.log(s)
    root_half_precision = np.sqrt(0.5) / s  # finite: stds are normal floats
    with np.errstate(over="ignore", invalid="ignore"):  # checked through the total below
        for j in range(mu.size):  # loop over components, not points
            row = resp[j]
            np.subtract(x, mu[j], out=row)
            row *= root_half_precision[j]
            np.square(row, out=row)
            np.subtract(offset[j], row, out=row)
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
        ll = float(np.sum(total) + np.sum(row_max))
    if not np.isfinite(ll):
        return _e_step_far(x, w, mu, s, ws)
    return ll


def _e_step_far(x: np.ndarray, w, mu, s, ws: _Workspace) -> float:
    """Slow path of :func:`_e_step` for points whose x - mu overflows (|x| near 1.8e308).

    Either the log-likelihood is representable after all (then the responsibilities
    are recomputed from z = x / sigma - mu / sigma), or an error names the arguments.
    """
    log_dens = _mixture_logpdf(x, w, mu, s)  # raises when a log-density is not a float64
    ll = float(np.sum(log_dens))
    check_representable(ll, ["x", "means", "stds"], "a total log-likelihood")
    z = standardize(x[:, None], mu, s)
    with np.errstate(divide="ignore"):
        terms = np.log(w) - 0.5 * z**2 - np.log(s) - 0.5 * _LOG_2PI
    ws.resp[...] = np.exp(terms - log_dens[:, None]).T
    return ll


def _m_step(
    x: np.ndarray,
    resp: np.ndarray,
    prior,
    data_std: float,
    centred: np.ndarray,
    scale: float,
    x_scaled: np.ndarray,
):
    """Closed-form M-step on (k, n) responsibilities; returns (weights, means, stds).

    Works on ``x_scaled = x / scale`` (``scale`` the largest |x|), so neither the
    weighted sums nor the squared deviations can overflow, and returns standard
    deviations directly. Raises CollapseError when a component is collapsing (plain
    EM only) or empty.
    """
    n, k = x.size, resp.shape[0]
    nk = resp.sum(axis=1)
    if np.any(nk <= EMPTY_RATIO * n):
        bad = int(np.argmin(nk))
        raise CollapseError(
            f"component {bad} collapsed: it lost its points ({nk[bad]:.3g} effective points of "
            f"{n} in `x`), so its mean and variance are undefined. Use fewer components or "
            "other starting means."
        )
    mu_scaled = (resp @ x_scaled) / nk
    scatter = np.empty(k)  # sum_i r_ik (x_i - mu_k)^2 / scale^2
    for j in range(k):  # loop over components, not points
        np.subtract(x_scaled, mu_scaled[j], out=centred)
        np.square(centred, out=centred)
        scatter[j] = resp[j] @ centred
    mu = mu_scaled * scale
    if prior is None:
        std = scale * np.sqrt(scatter / nk)
        small = std <= _COLLAPSE_STD_RATIO * data_std
        if np.any(small):
            bad = int(np.argmin(std))
            raise CollapseError(
                f"component {bad} collapsed onto a single point of `x`: its variance "
                f"{std[bad] ** 2:.3g} is below {COLLAPSE_RATIO:g} times the data's variance "
                f"{data_std**2:.3g}, and the likelihood grows without bound. Pass "
                "variance_prior=(shape, scale) for MAP-EM, or use fewer components."
            )
    else:
        # sqrt((scatter + 2 b) / (N_k + 2 (a + 1))), with hypot so nothing is squared twice.
        with np.errstate(over="ignore"):
            std = np.hypot(scale * np.sqrt(scatter), np.sqrt(2 * prior[1])) / np.sqrt(
                nk + 2 * (prior[0] + 1)
            )
    return nk / n, mu, std


def gmm_loglik(x: object, weights: object, means: object, stds: object) -> float:
    """Total log-likelihood of 1-D data under a Gaussian mixture, by log-sum-exp.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data.
    weights, means, stds : array_like of shape (k,)
        The mixture: weights >= 0 summing to 1, means, standard deviations > 0.

    Returns
    -------
    float
        ``sum_i log sum_k w_k N(x_i; mu_k, sigma_k^2)``; finite for points far in the
        tails, where the densities themselves underflow to 0.

    Examples
    --------
    >>> round(gmm_loglik([0.0], [1.0], [0.0], [1.0]), 6)  # log of 1 / sqrt(2 pi)
    -0.918939
    >>> gmm_loglik([1e4], [0.5, 0.5], [0.0, 1.0], [1.0, 1.0]) > -1e9
    True
    """
    xa, w, mu, s = _check_gmm(x, weights, means, stds, min_points=False)
    # The E-step computes exactly this sum (as a by-product of the responsibilities), in
    # place and row by row, which is several times faster than logsumexp over (n, k).
    return _e_step(xa, w, mu, s, _Workspace(xa.size, mu.size))


def e_step(
    x: object,
    weights: object,
    means: object,
    stds: object,
    *,
    out: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """E-step: each component's responsibility for each point, and the log-likelihood.

    ``r_ik = w_k N(x_i; mu_k, sigma_k^2) / sum_j w_j N(x_i; mu_j, sigma_j^2)``, computed
    in log space so that points far in the tails get finite responsibilities.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data.
    weights, means, stds : array_like of shape (k,)
        Current mixture parameters (standard deviations > 0).
    out : numpy.ndarray of shape (n, k), optional
        Float64 buffer to write the responsibilities into (reused across iterations,
        it saves an allocation); Fortran order (``np.empty((n, k), order="F")``) is
        fastest.

    Returns
    -------
    resp : numpy.ndarray of shape (n, k)
        Responsibilities; every row sums to 1. It is ``out`` when given.
    loglik : float
        Total log-likelihood ``sum_i log p(x_i)`` at these parameters.

    Examples
    --------
    >>> resp, ll = e_step([-1.0, 1.0], [0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])
    >>> resp.round(3)
    array([[0.881, 0.119],
           [0.119, 0.881]])
    """
    xa, w, mu, s = _check_gmm(x, weights, means, stds, min_points=False)
    if out is not None:
        if not isinstance(out, np.ndarray) or out.dtype != np.float64:
            got = type(out).__name__ if not isinstance(out, np.ndarray) else f"dtype {out.dtype}"
            fail("out", "be a float64 numpy array", got, error=TypeError)
        check_shape(out, "out", (xa.size, mu.size), "points x components")
    ws = _Workspace(xa.size, mu.size, out)
    ll = _e_step(xa, w, mu, s, ws)
    return (ws.resp.T if out is None else out), ll


def _check_prior(variance_prior: object) -> tuple[float, float] | None:
    if variance_prior is None:
        return None
    shape, scale = as_pair(
        variance_prior,
        "variance_prior",
        "a (shape, scale) pair of an inverse-gamma prior",
    )
    return as_scale(shape, "variance_prior shape"), as_scale(scale, "variance_prior scale")


def m_step(
    x: object,
    resp: object,
    variance_prior: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """M-step: the mixture parameters that maximize the expected complete-data log-likelihood.

    With ``N_k = sum_i r_ik``: ``w_k = N_k / n``, ``mu_k = sum_i r_ik x_i / N_k`` and
    ``sigma_k^2 = sum_i r_ik (x_i - mu_k)^2 / N_k``. With ``variance_prior = (a, b)``,
    an inverse-gamma(a, b) prior on each variance, the variance update is its MAP
    value ``(sum_i r_ik (x_i - mu_k)^2 + 2 b) / (N_k + 2 (a + 1))``.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data.
    resp : array_like of shape (n, k)
        Responsibilities (rows sum to 1), e.g. from :func:`e_step`.
    variance_prior : (float, float), optional
        Shape and scale of an inverse-gamma prior on every variance (MAP-EM).

    Returns
    -------
    weights, means, stds : numpy.ndarray of shape (k,)
        The new mixture, in the order :func:`e_step` takes it.

    Raises
    ------
    CollapseError
        (a ValueError) When a component loses all its points, or (without a prior)
        its variance falls below 1e-12 times the data's variance: the likelihood is
        unbounded there.

    Examples
    --------
    >>> x = np.array([-1.0, -1.2, 1.0, 1.2])
    >>> w, mu, sd = m_step(x, [[1, 0], [1, 0], [0, 1], [0, 1]])
    >>> w, mu, sd.round(3)
    (array([0.5, 0.5]), array([-1.1,  1.1]), array([0.1, 0.1]))
    """
    xa = as_float_array(x, "x", ndim=1)
    r = as_float_array(resp, "resp", ndim=2)
    check_same_length(r, "resp", xa, "x")
    check_probability_array(r, "resp")
    check_rows_sum_to_one(r, "resp")
    prior = _check_prior(variance_prior)
    scale = safe_scale(xa)
    data_std = mean_and_std(xa)[1]
    return _m_step(xa, r.T, prior, data_std, np.empty(xa.size), scale, xa / scale)


@dataclass(frozen=True)
class GMMFit:
    """Result of :func:`fit_gmm_1d`.

    Attributes
    ----------
    weights, means, stds : numpy.ndarray of shape (k,)
        Final mixture (``variances`` is ``stds**2``).
    responsibilities : numpy.ndarray of shape (n, k)
        Posterior probability of each component for each point, at the final parameters.
    objective_history : numpy.ndarray of shape (n_iter + 1,)
        What EM never decreases, at the start and after every iteration: the total
        log-likelihood, plus the log prior of the variances for MAP-EM.
    loglik_history : numpy.ndarray of shape (n_iter + 1,)
        Total log-likelihood at the start and after every iteration (equal to
        ``objective_history`` without a prior).
    n_iter : int
        Completed EM iterations.
    converged : bool
        Whether the objective per point changed by less than ``tol``; always False
        with ``tol=0`` (exactly ``max_iter`` iterations were requested).
    param_history : list of (weights, means, stds)
        Parameters at every step, the initial ones first.
    """

    weights: np.ndarray
    means: np.ndarray
    stds: np.ndarray
    responsibilities: np.ndarray
    objective_history: np.ndarray
    loglik_history: np.ndarray
    n_iter: int
    converged: bool
    param_history: list = field(repr=False)

    @property
    def variances(self) -> np.ndarray:
        """Component variances, ``stds**2``."""
        return self.stds**2

    @property
    def loglik(self) -> float:
        """Final total log-likelihood."""
        return float(self.loglik_history[-1])


def _log_inv_gamma(std: np.ndarray, shape: float, scale: float) -> float:
    """Log density of the inverse-gamma(shape, scale) prior at the variances ``std**2``."""
    log_var = 2.0 * np.log(std)
    with np.errstate(over="ignore"):  # scale / var -> inf: log prior -inf, a true limit
        return float(
            np.sum(
                shape * np.log(scale)
                - special.gammaln(shape)
                - (shape + 1) * log_var
                - scale * np.exp(-log_var)
            )
        )


def fit_gmm_1d(
    x: object,
    weights: object,
    means: object,
    stds: object,
    *,
    max_iter: int = 500,
    tol: float = 1e-10,
    variance_prior: tuple[float, float] | None = None,
) -> GMMFit:
    """Fit a 1-D Gaussian mixture with any number of components by EM (or MAP-EM).

    Each iteration is an :func:`m_step` on the current responsibilities followed by
    an :func:`e_step` at the new parameters (the same kernels, run in place on
    buffers allocated once). With ``variance_prior = (a, b)`` each variance gets an
    inverse-gamma(a, b) prior and cannot collapse to zero.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data; at least as many points as components, all finite.
    weights, means, stds : array_like of shape (k,)
        Starting mixture (weights summing to 1, standard deviations > 0).
    max_iter : int, default 500
        Maximum number of iterations (0 evaluates the start only).
    tol : float, default 1e-10
        Stop when the objective per point changes by less than this, as
        scikit-learn's ``GaussianMixture`` does; ``tol=0`` runs exactly ``max_iter``
        iterations.

    variance_prior : (float, float), optional
        Shape and scale of an inverse-gamma prior on every variance (MAP-EM).

    Returns
    -------
    GMMFit

    Warns
    -----
    ConvergenceWarning
        When ``tol > 0`` and ``max_iter`` iterations end before the test is met (the
        result has ``converged=False``).

    Raises
    ------
    CollapseError
        (a ValueError) When plain EM collapses a component: its variance falls below
        1e-12 times the data's variance, or it loses all its points.
        The likelihood is unbounded there; the message suggests ``variance_prior``.

    Examples
    --------
    >>> x = np.array([-2.1, -1.9, -2.0, 1.9, 2.0, 2.2])
    >>> fit = fit_gmm_1d(x, weights=[0.5, 0.5], means=[-1, 1], stds=[1, 1])
    >>> fit.weights.round(3), fit.means.round(3)
    (array([0.5, 0.5]), array([-2.   ,  2.033]))
    """
    xa, w, mu, s = _check_gmm(x, weights, means, stds)
    max_iter = as_nonnegative_int(max_iter, "max_iter")
    tol = as_tolerance(tol)
    prior = _check_prior(variance_prior)
    if prior is None:
        _check_constant(xa)
    n = xa.size
    # The record of every iteration is kept: it must fit in memory too.
    check_allocation((max_iter + 1, 3 * mu.size + 2), "max_iter", "a parameter history")
    ws = _Workspace(n, mu.size)
    scale = safe_scale(xa)
    x_scaled = xa / scale
    data_std = mean_and_std(xa)[1]

    def log_prior(sd):
        return 0.0 if prior is None else _log_inv_gamma(sd, *prior)

    ll = _e_step(xa, w, mu, s, ws)
    lls, objs = [ll], [ll + log_prior(s)]
    params = [(w.copy(), mu.copy(), s.copy())]
    converged = False
    for _ in range(max_iter):
        w, mu, s = _m_step(xa, ws.resp, prior, data_std, ws.centred, scale, x_scaled)
        ll = _e_step(xa, w, mu, s, ws)
        lls.append(ll)
        objs.append(ll + log_prior(s))
        params.append((w, mu, s))
        if abs(objs[-1] - objs[-2]) / n < tol:
            converged = True
            break
    if tol > 0 and max_iter > 0 and not converged:
        warn_not_converged("fit_gmm_1d", max_iter, "raise `max_iter` or `tol`.")
    return GMMFit(
        weights=w,
        means=mu,
        stds=s,
        responsibilities=ws.resp.T,
        objective_history=np.array(objs),
        loglik_history=np.array(lls),
        n_iter=len(lls) - 1,
        converged=converged,
        param_history=params,
    )


@dataclass(frozen=True)
class GMMRestarts:
    """Result of :func:`fit_gmm_restarts`.

    Attributes
    ----------
    best : GMMFit
        The run with the highest final objective.
    fits : tuple of GMMFit
        Every run that did not collapse, in order.
    n_collapsed : int
        Starts that ended in a collapse (skipped).
    """

    best: GMMFit
    fits: tuple
    n_collapsed: int


def fit_gmm_restarts(
    x: object,
    n_components: int,
    n_restarts: int,
    rng: np.random.Generator,
    **kwargs: object,
) -> GMMRestarts:
    """Run EM from several random starts and keep the fit with the highest log-likelihood.

    Each start draws ``n_components`` means uniformly over the data's range (sorted),
    gives every component the standard deviation of the data divided by k, and
    equal weights. Such naive starts sometimes put two components in one cluster,
    which is exactly when restarts help.

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
    GMMRestarts

    Raises
    ------
    CollapseError
        When every start collapses.

    Examples
    --------
    >>> x = np.array([-2.1, -1.9, -2.0, 1.9, 2.0, 2.2])
    >>> res = fit_gmm_restarts(x, 2, 5, np.random.default_rng(0))
    >>> len(res.fits) + res.n_collapsed, res.best.loglik == max(f.loglik for f in res.fits)
    (5, True)
    """
    xa = as_float_array(x, "x", ndim=1)
    k = as_positive_int(n_components, "n_components")
    r = as_positive_int(n_restarts, "n_restarts")
    check_rng(rng)
    if xa.size < k:
        fail("x", "have at least as many points as components", f"{xa.size} for {k}")
    if kwargs.get("variance_prior") is None:
        _check_constant(xa)
    spread = mean_and_std(xa)[1] or 1.0
    fits = []
    for _ in range(r):
        start = np.sort(rng.uniform(xa.min(), xa.max(), size=k))
        try:
            fits.append(
                fit_gmm_1d(xa, np.full(k, 1.0 / k), start, np.full(k, spread / k), **kwargs)
            )
        except CollapseError:
            continue  # a collapsed start; the others decide
    if not fits:
        raise CollapseError(
            f"every one of the {r} starts collapsed; pass variance_prior=(shape, scale) or use "
            "fewer components."
        )
    best = max(fits, key=lambda f: f.objective_history[-1])
    return GMMRestarts(best=best, fits=tuple(fits), n_collapsed=r - len(fits))


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
    s = as_scale(noise_std, "noise_std")
    check_rng(rng)
    check_allocation((n, t.size), ["n_copies", "template"], "observations")
    shifts = rng.integers(0, t.size, size=n)
    idx = (np.arange(t.size)[None, :] - shifts[:, None]) % t.size
    with np.errstate(over="ignore", invalid="ignore"):
        obs = t[idx] + s * rng.standard_normal((n, t.size))
    check_representable(obs, ["template", "noise_std"], "observations")
    return obs, shifts


@dataclass(frozen=True)
class MRAFit:
    """Result of :func:`fit_mra`.

    Attributes
    ----------
    template : numpy.ndarray of shape (L,)
        Estimated signal (defined up to a global cyclic shift).
    shift_posterior : numpy.ndarray of shape (n, L)
        Posterior probability of each shift for each observation.
    objective_history : numpy.ndarray of shape (n_iter + 1,)
        Total log-likelihood at the start and after every iteration.
    n_iter : int
        Completed EM iterations.
    converged : bool
        Whether the log-likelihood per observation changed by less than ``tol``;
        always False with ``tol=0``.
    """

    template: np.ndarray
    shift_posterior: np.ndarray
    objective_history: np.ndarray
    n_iter: int
    converged: bool


def _shift_log_lik(obs: np.ndarray, template: np.ndarray, noise_std: float) -> np.ndarray:
    """Return log p(obs_i | shift s) for every i and s, by FFT cross-correlation.

    Works in units of the noise (``obs / noise_std``), so no variance is ever formed
    and the squared distances stay of order L.
    """
    length = template.size
    obs, template = obs / noise_std, template / noise_std
    # corr[i, s] = sum_j obs[i, j] * template[j - s] = <obs_i, roll(template, s)>
    corr = np.fft.irfft(np.fft.rfft(obs, axis=1) * np.conj(np.fft.rfft(template)), n=length)
    sq = np.sum(obs**2, axis=1, keepdims=True) + np.sum(template**2) - 2.0 * corr
    return -0.5 * sq - length * (0.5 * _LOG_2PI + np.log(noise_std))


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
        Stop when the mean log-likelihood per observation changes by less than this;
        ``tol=0`` runs exactly ``max_iter`` iterations.

    Returns
    -------
    MRAFit

    Warns
    -----
    ConvergenceWarning
        When ``tol > 0`` and ``max_iter`` iterations end before the test is met.

    Examples
    --------
    >>> obs, _ = make_mra_data([0.0, 3.0, 1.0, 0.0], 200, 0.5, np.random.default_rng(1))
    >>> fit = fit_mra(obs, 0.5, init=np.ones(4))
    >>> fit.template.shape
    (4,)
    """
    y = as_float_array(observations, "observations", ndim=2)
    s = as_scale(noise_std, "noise_std")
    t = as_float_array(init, "init", ndim=1)
    if t.size != y.shape[1]:
        fail("init", f"have one value per sample of an observation ({y.shape[1]})", t.size)
    max_iter = as_nonnegative_int(max_iter, "max_iter")
    tol = as_tolerance(tol)
    n, length = y.shape
    log_prior = -np.log(length)
    with np.errstate(over="ignore", invalid="ignore"):
        y_hat = np.fft.rfft(y, axis=1)
    names = ["observations", "init", "noise_std"]

    def estep(template):
        with np.errstate(over="ignore", invalid="ignore"):
            log_joint = _shift_log_lik(y, template, s) + log_prior
        check_representable(log_joint, names, "log-likelihoods of the shifts")
        norm = special.logsumexp(log_joint, axis=1, keepdims=True)
        return np.exp(log_joint - norm), float(np.sum(norm))

    post, ll = estep(t)
    lls = [ll]
    converged = False
    for _ in range(max_iter):
        # sum_s post[i, s] * roll(y_i, -s) for all i at once: a circular correlation.
        with np.errstate(over="ignore", invalid="ignore"):
            t = np.fft.irfft(np.sum(y_hat * np.conj(np.fft.rfft(post, axis=1)), axis=0), n=length)
            t /= n
        post, ll = estep(t)
        lls.append(ll)
        if abs(lls[-1] - lls[-2]) / n < tol:
            converged = True
            break
    if tol > 0 and max_iter > 0 and not converged:
        warn_not_converged("fit_mra", max_iter, "raise `max_iter` or `tol`.")
    return MRAFit(t, post, np.array(lls), n_iter=len(lls) - 1, converged=converged)
