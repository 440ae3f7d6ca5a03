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
    as_positive_int,
    as_positive_scalar,
    as_tolerance,
    check_probability_array,
    check_rng,
    check_rows_sum_to_one,
    check_same_length,
)
from lessonlib.exceptions import CollapseError, warn_not_converged
from lessonlib.mixtures import check_mixture

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

#: A component whose variance falls to this fraction of the data's variance has collapsed.
COLLAPSE_RATIO = 1e-12
#: A component whose effective number of points (the sum of its responsibilities) is
#: below this fraction of n has lost its points: its mean and variance are 0/0.
EMPTY_RATIO = np.finfo(float).eps


def _check_gmm(x, weights, means, stds, *, min_points: bool = True):
    xa = as_float_array(x, "x", ndim=1)
    w, mu, s = check_mixture(weights, means, stds)
    if min_points and xa.size < mu.size:
        raise ValueError(
            f"`x` must have at least as many points as components; got {xa.size} points for "
            f"{mu.size} components."
        )
    return xa, w, mu, s


class _Workspace:
    """Buffers of one EM run, laid out (k, n) so that every component's row is contiguous.

    ``resp.T`` is the (n, k) responsibility matrix the public functions return, as a
    view: no copy is made per iteration.
    """

    def __init__(self, n: int, k: int, out: np.ndarray | None = None):
        self.resp = np.empty((k, n)) if out is None else out.T
        self.row_max = np.empty(n)
        self.total = np.empty(n)
        self.centred = np.empty(n)


def _e_step(x: np.ndarray, w, mu, var, ws: _Workspace) -> float:
    """Fill ``ws.resp`` with responsibilities and return the total log-likelihood.

    Compared with the textbook version (an (n, k) matrix of log densities, then
    scipy's logsumexp along axis 1), this does the same arithmetic in place: no
    (n, k) temporaries per iteration, the max and the sum over components run as k
    contiguous vector operations instead of a strided reduction, and the normalized
    exponentials *are* the responsibilities.
    """
    resp, row_max, total = ws.resp, ws.row_max, ws.total
    with np.errstate(divide="ignore"):  # a zero weight gives log 0 = -inf, intended
        offset = np.log(w) - 0.5 * (_LOG_2PI + np.log(var))
    for j in range(mu.size):  # loop over components, not points
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


def _m_step(x: np.ndarray, resp: np.ndarray, prior, data_var: float, centred: np.ndarray):
    """Closed-form M-step on (k, n) responsibilities; returns (weights, means, variances).

    Raises CollapseError when a component is collapsing (plain EM only) or empty.
    """
    n, k = x.size, resp.shape[0]
    nk = resp.sum(axis=1)
    if np.any(nk <= EMPTY_RATIO * n):
        bad = int(np.argmin(nk))
        raise CollapseError(
            f"component {bad} collapsed: it lost its points ({nk[bad]:.3g} effective points of "
            f"{n}), so its mean and variance are undefined. Use fewer components or other "
            "starting means."
        )
    mu = (resp @ x) / nk
    scatter = np.empty(k)  # sum_i r_ik (x_i - mu_k)^2
    for j in range(k):  # loop over components, not points
        np.subtract(x, mu[j], out=centred)
        np.square(centred, out=centred)
        scatter[j] = resp[j] @ centred
    if prior is None:
        var = scatter / nk
        small = var <= COLLAPSE_RATIO * data_var
        if np.any(small):
            bad = int(np.argmin(var))
            raise CollapseError(
                f"component {bad} collapsed onto a single point: its variance {var[bad]:.3g} "
                f"is below {COLLAPSE_RATIO:g} times the data's variance {data_var:.3g}, and "
                "the likelihood grows without bound. Pass variance_prior=(shape, scale) for "
                "MAP-EM, or use fewer components."
            )
    else:
        var = (scatter + 2 * prior[1]) / (nk + 2 * (prior[0] + 1))
    return nk / n, mu, var


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
    return _e_step(xa, w, mu, s**2, _Workspace(xa.size, mu.size))


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
            raise TypeError(f"`out` must be a float64 numpy array; got {type(out).__name__}.")
        if out.shape != (xa.size, mu.size):
            raise ValueError(f"`out` must have shape {(xa.size, mu.size)}; got {out.shape}.")
    ws = _Workspace(xa.size, mu.size, out)
    ll = _e_step(xa, w, mu, s**2, ws)
    return (ws.resp.T if out is None else out), ll


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
    w, mu, var = _m_step(xa, r.T, prior, float(np.var(xa)), np.empty(xa.size))
    return w, mu, np.sqrt(var)


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


def _log_inv_gamma(var: np.ndarray, shape: float, scale: float) -> float:
    return float(
        np.sum(
            shape * np.log(scale) - special.gammaln(shape) - (shape + 1) * np.log(var) - scale / var
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
    max_iter = as_positive_int(max_iter, "max_iter", minimum=0)
    tol = as_tolerance(tol)
    prior = _check_prior(variance_prior)
    n = xa.size
    ws = _Workspace(n, mu.size)
    data_var = float(np.var(xa))
    var = s**2

    def log_prior(v):
        return 0.0 if prior is None else _log_inv_gamma(v, *prior)

    ll = _e_step(xa, w, mu, var, ws)
    lls, objs = [ll], [ll + log_prior(var)]
    params = [(w.copy(), mu.copy(), s.copy())]
    converged = False
    for _ in range(max_iter):
        w, mu, var = _m_step(xa, ws.resp, prior, data_var, ws.centred)
        ll = _e_step(xa, w, mu, var, ws)
        lls.append(ll)
        objs.append(ll + log_prior(var))
        params.append((w, mu, np.sqrt(var)))
        if abs(objs[-1] - objs[-2]) / n < tol:
            converged = True
            break
    if tol > 0 and max_iter > 0 and not converged:
        warn_not_converged("fit_gmm_1d", max_iter, "raise `max_iter` or `tol`.")
    return GMMFit(
        weights=w,
        means=mu,
        stds=np.sqrt(var),
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
        raise ValueError(
            f"`x` must have at least as many points as components; got {xa.size} for {k}."
        )
    spread = float(np.std(xa)) or 1.0
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
    s = as_positive_scalar(noise_std, "noise_std")
    t = as_float_array(init, "init", ndim=1)
    if t.size != y.shape[1]:
        raise ValueError(
            f"`init` must have one value per sample of an observation ({y.shape[1]}); got {t.size}."
        )
    max_iter = as_positive_int(max_iter, "max_iter", minimum=0)
    tol = as_tolerance(tol)
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
    if tol > 0 and max_iter > 0 and not converged:
        warn_not_converged("fit_mra", max_iter, "raise `max_iter` or `tol`.")
    return MRAFit(t, post, np.array(lls), n_iter=len(lls) - 1, converged=converged)
