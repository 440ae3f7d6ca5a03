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
    "gmm_lower_bound",
    "gmm_bic",
    "EMHalfSteps",
    "em_half_steps",
    "KMeansFit",
    "fit_kmeans_1d",
    "MissingDataFit",
    "fit_bivariate_missing",
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
    return as_scale(shape, "variance_prior[0]"), as_scale(scale, "variance_prior[1]")


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


# --------------------------------------------------------------------------------------
# The lower bound, model choice, half-steps, k-means and a missing-data example
# --------------------------------------------------------------------------------------


def gmm_lower_bound(x: object, resp: object, weights: object, means: object, stds: object) -> float:
    """EM's lower bound on the log-likelihood for given responsibilities and parameters.

    ``L(r, theta) = sum_i sum_k r_ik [log w_k + log N(x_i; mu_k, sigma_k^2) - log r_ik]``,
    which is ``Q(theta) + H(r)``: the expected complete-data log-likelihood plus the
    entropy of the responsibilities. It is at most :func:`gmm_loglik` at ``theta``, with
    equality when ``resp`` is the E-step at ``theta`` (the gap is a KL divergence).

    Parameters
    ----------
    x : array_like of shape (n,)
        Data.
    resp : array_like of shape (n, k)
        Responsibilities (rows sum to 1), e.g. from :func:`e_step` at other parameters.
    weights, means, stds : array_like of shape (k,)
        The mixture at which the bound is evaluated.

    Returns
    -------
    float
        The bound; ``-inf`` when a point has responsibility for a zero-weight component.

    Examples
    --------
    >>> x = np.array([-1.0, 0.2, 1.5])
    >>> resp, ll = e_step(x, [0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])
    >>> bool(np.isclose(gmm_lower_bound(x, resp, [0.5, 0.5], [-1, 1], [1, 1]), ll))
    True
    """
    xa, w, mu, s = _check_gmm(x, weights, means, stds, min_points=False)
    r = as_float_array(resp, "resp", ndim=2)
    check_shape(r, "resp", (xa.size, mu.size), "points x components", against=["x", "means"])
    check_probability_array(r, "resp")
    check_rows_sum_to_one(r, "resp")
    z = standardize(xa[:, None], mu, s)
    with np.errstate(divide="ignore"):  # log 0 for zero weights and responsibilities
        log_joint = np.log(w) - 0.5 * z**2 - np.log(s) - 0.5 * _LOG_2PI
        log_r = np.log(r)
    # 0 log 0 = 0: a point with no responsibility for a component adds nothing.
    terms = np.where(r > 0, r * (log_joint - np.where(r > 0, log_r, 0.0)), 0.0)
    return float(np.sum(terms))


def gmm_bic(x: object, weights: object, means: object, stds: object) -> float:
    """Bayesian information criterion of a fitted 1-D Gaussian mixture (lower is better).

    ``BIC = -2 log L + p log n`` with ``p = 3k - 1`` free parameters (k means, k
    variances, k - 1 weights), the convention of scikit-learn's
    ``GaussianMixture.bic``. Pass a converged, non-collapsed fit: the maximized
    likelihood of a mixture with k >= 2 is otherwise unbounded.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data the mixture was fitted to.
    weights, means, stds : array_like of shape (k,)
        The fitted mixture.

    Returns
    -------
    float

    Examples
    --------
    >>> x = np.array([-1.0, 0.0, 1.0, 2.0])
    >>> bic = gmm_bic(x, [1.0], [0.5], [np.sqrt(1.25)])
    >>> bool(np.isclose(bic, -2 * gmm_loglik(x, [1.0], [0.5], [np.sqrt(1.25)]) + 2 * np.log(4)))
    True
    """
    xa, w, mu, s = _check_gmm(x, weights, means, stds, min_points=False)
    loglik = _e_step(xa, w, mu, s, _Workspace(xa.size, mu.size))
    return float(-2.0 * loglik + (3 * mu.size - 1) * np.log(xa.size))


@dataclass(frozen=True)
class EMHalfSteps:
    """Result of :func:`em_half_steps`: EM as alternating E- and M-half-steps.

    Frame ``2t`` is the E-step of iteration ``t + 1`` and frame ``2t + 1`` its M-step.

    Attributes
    ----------
    stages : tuple of str
        ``"E"`` or ``"M"`` for each frame.
    iterations : numpy.ndarray of int, shape (2 n_steps,)
        The EM iteration each frame belongs to (1, 1, 2, 2, ...).
    params : tuple of (weights, means, stds)
        The mixture shown in each frame: the old one at an E-step, the new one after
        the M-step.
    responsibilities : tuple of numpy.ndarray of shape (n, k)
        The responsibilities of each frame: computed at the E-step from the old
        mixture, and kept by the M-step that uses them.
    loglik : numpy.ndarray of shape (2 n_steps,)
        Log-likelihood of the frame's mixture.
    bound : numpy.ndarray of shape (2 n_steps,)
        :func:`gmm_lower_bound` of the frame's responsibilities and mixture: equal to
        ``loglik`` after an E-step, at most ``loglik`` after an M-step.
    """

    stages: tuple
    iterations: np.ndarray
    params: tuple
    responsibilities: tuple
    loglik: np.ndarray
    bound: np.ndarray


def em_half_steps(
    x: object, weights: object, means: object, stds: object, n_steps: int
) -> EMHalfSteps:
    """Run ``n_steps`` EM iterations and record each E-step and each M-step as a frame.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data.
    weights, means, stds : array_like of shape (k,)
        Starting mixture.
    n_steps : int
        Number of EM iterations, >= 1 (2 n_steps frames).

    Returns
    -------
    EMHalfSteps

    Examples
    --------
    >>> steps = em_half_steps([-1.0, -1.2, 0.9, 1.1], [0.5, 0.5], [-0.5, 0.8], [1, 1], 2)
    >>> steps.stages, steps.iterations.tolist()
    (('E', 'M', 'E', 'M'), [1, 1, 2, 2])
    """
    n_steps = as_positive_int(n_steps, "n_steps")
    fit = fit_gmm_1d(x, weights, means, stds, max_iter=n_steps, tol=0)
    xa = np.asarray(x, dtype=float)
    stages, iters, params, resps, lls, bounds = [], [], [], [], [], []
    for t in range(fit.n_iter):
        old, new = fit.param_history[t], fit.param_history[t + 1]
        resp, ll_old = e_step(xa, *old)
        stages += ["E", "M"]
        iters += [t + 1, t + 1]
        params += [old, new]
        resps += [resp, resp]
        lls += [ll_old, float(fit.loglik_history[t + 1])]
        bounds += [ll_old, gmm_lower_bound(xa, resp, *new)]
    return EMHalfSteps(
        stages=tuple(stages),
        iterations=np.array(iters),
        params=tuple(params),
        responsibilities=tuple(resps),
        loglik=np.array(lls),
        bound=np.array(bounds),
    )


@dataclass(frozen=True)
class KMeansFit:
    """Result of :func:`fit_kmeans_1d`.

    Attributes
    ----------
    centers : numpy.ndarray of shape (k,)
        Final cluster centres.
    labels : numpy.ndarray of int, shape (n,)
        Index of the nearest centre for each point (the hard E-step).
    objective_history : numpy.ndarray of shape (n_iter + 1,)
        Sum of squared distances to the assigned centres (the inertia), at the start
        and after every iteration; it never increases.
    n_iter : int
        Completed iterations.
    converged : bool
        Whether an iteration left every assignment unchanged.
    """

    centers: np.ndarray
    labels: np.ndarray
    objective_history: np.ndarray
    n_iter: int
    converged: bool

    @property
    def inertia(self) -> float:
        """Final sum of squared distances to the assigned centres."""
        return float(self.objective_history[-1])


def _nearest(x: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, float]:
    dist = np.abs(x[:, None] - centers[None, :])
    labels = np.argmin(dist, axis=1)
    return labels, float(np.sum(dist[np.arange(x.size), labels] ** 2))


def fit_kmeans_1d(x: object, centers: object, *, max_iter: int = 300) -> KMeansFit:
    """Lloyd's k-means on 1-D data: EM with a hard E-step, the limit of small variances.

    Each iteration assigns every point to its nearest centre (a responsibility of 1
    or 0) and moves each centre to the mean of its points. It stops when no
    assignment changes.

    Parameters
    ----------
    x : array_like of shape (n,)
        Data; at least as many points as centres.
    centers : array_like of shape (k,)
        Starting centres.
    max_iter : int, default 300
        Maximum number of iterations, >= 1.

    Returns
    -------
    KMeansFit

    Warns
    -----
    ConvergenceWarning
        When ``max_iter`` iterations end with assignments still changing.

    Raises
    ------
    CollapseError
        (a ValueError) When a centre loses all its points.

    Examples
    --------
    >>> fit = fit_kmeans_1d([-2.1, -1.9, 1.8, 2.2, 2.0], [-1.0, 1.0])
    >>> fit.centers.round(3), fit.labels.tolist(), fit.converged
    (array([-2.,  2.]), [0, 0, 1, 1, 1], True)
    """
    xa = as_float_array(x, "x", ndim=1)
    c = as_float_array(centers, "centers", ndim=1)
    max_iter = as_positive_int(max_iter, "max_iter")
    if xa.size < c.size:
        fail("x", "have at least as many points as centers", f"{xa.size} for {c.size}")
    check_allocation((xa.size, c.size), ["x", "centers"], "point-to-centre distances")
    with np.errstate(over="ignore", invalid="ignore"):
        labels, inertia = _nearest(xa, c)
    check_representable(inertia, ["x", "centers"], "a sum of squared distances")
    history = [inertia]
    converged = False
    for _ in range(max_iter):
        counts = np.bincount(labels, minlength=c.size)
        if np.any(counts == 0):
            bad = int(np.argmin(counts))
            raise CollapseError(
                f"center {bad} lost all its points of `x`, so its mean is undefined; "
                "start the `centers` inside the data."
            )
        # Means per cluster as x/scale sums, so no sum of large values overflows.
        scale = safe_scale(xa)
        c = np.bincount(labels, weights=xa / scale, minlength=c.size) / counts * scale
        new_labels, inertia = _nearest(xa, c)
        history.append(inertia)
        if np.array_equal(new_labels, labels):
            converged = True
            break
        labels = new_labels
    if not converged:
        warn_not_converged("fit_kmeans_1d", max_iter, "raise `max_iter`.")
    return KMeansFit(c, labels, np.array(history), len(history) - 1, converged)


@dataclass(frozen=True)
class MissingDataFit:
    """Result of :func:`fit_bivariate_missing`.

    Attributes
    ----------
    mean : numpy.ndarray of shape (2,)
        Estimated mean of (x, y).
    cov : numpy.ndarray of shape (2, 2)
        Estimated covariance of (x, y) (maximum likelihood, divided by n).
    objective_history : numpy.ndarray of shape (n_iter + 1,)
        Observed-data log-likelihood at the start and after every iteration.
    n_iter : int
        Completed EM iterations.
    converged : bool
        Whether the log-likelihood per point changed by less than ``tol``.
    """

    mean: np.ndarray
    cov: np.ndarray
    objective_history: np.ndarray
    n_iter: int
    converged: bool


def _observed_loglik(xa, ya, obs, mean, cov) -> float:
    """Return log p(x_i) for every i plus log p(y_i | x_i) for the observed y_i."""
    beta = cov[0, 1] / cov[0, 0]
    resid_var = cov[1, 1] - beta * cov[0, 1]
    zx = (xa - mean[0]) / np.sqrt(cov[0, 0])
    ll = np.sum(-0.5 * zx**2) - xa.size * 0.5 * (_LOG_2PI + np.log(cov[0, 0]))
    zy = (ya[obs] - mean[1] - beta * (xa[obs] - mean[0])) / np.sqrt(resid_var)
    ll += np.sum(-0.5 * zy**2) - zy.size * 0.5 * (_LOG_2PI + np.log(resid_var))
    return float(ll)


def fit_bivariate_missing(
    x: object,
    y: object,
    observed: object,
    *,
    max_iter: int = 1000,
    tol: float = 1e-12,
) -> MissingDataFit:
    """Maximum likelihood for a bivariate Gaussian when some y values are missing, by EM.

    Every x is observed; ``y[i]`` is used only where ``observed[i]`` is True (the
    other entries are placeholders and are ignored). The E-step replaces each missing
    ``y_i`` and ``y_i**2`` by their conditional expectations given ``x_i``; the M-step
    is the complete-data MLE of the mean and covariance. The start is the
    complete-case estimate. Valid when the values are missing at random (whether
    y is missing may depend on x, not on y itself).

    Parameters
    ----------
    x : array_like of shape (n,)
        The always-observed variable (not constant).
    y : array_like of shape (n,)
        The sometimes-missing variable; finite placeholders where not observed.
    observed : array_like of bool, shape (n,)
        True where ``y`` was observed; at least 3 entries True.
    max_iter : int, default 1000
    tol : float, default 1e-12
        Stop when the log-likelihood per point changes by less than this; ``tol=0``
        runs exactly ``max_iter`` iterations.

    Returns
    -------
    MissingDataFit

    Warns
    -----
    ConvergenceWarning
        When ``tol > 0`` and ``max_iter`` iterations end before the test is met.

    Examples
    --------
    >>> x = np.array([-1.0, 0.0, 1.0, 2.0, 3.0])
    >>> y = np.array([-0.8, 0.3, 0.9, 0.0, 0.0])
    >>> fit = fit_bivariate_missing(x, y, [True, True, True, False, False])
    >>> fit.mean.round(3)
    array([1.   , 0.983])
    """
    xa = as_float_array(x, "x", ndim=1)
    ya = as_float_array(y, "y", ndim=1)
    check_same_length(ya, "y", xa, "x")
    if isinstance(observed, (str, bytes)) or observed is None:
        fail("observed", "be an array of booleans", type(observed).__name__, error=TypeError)
    try:
        obs = np.asarray(observed)
    except (ValueError, TypeError):  # ragged nested lists
        fail("observed", "be an array of booleans", "a ragged sequence", error=TypeError)
    if obs.dtype.kind != "b":
        fail("observed", "be an array of booleans", f"dtype {obs.dtype}", error=TypeError)
    check_shape(obs, "observed", xa.shape, "one flag per point")
    max_iter = as_nonnegative_int(max_iter, "max_iter")
    tol = as_tolerance(tol)
    n_obs = int(obs.sum())
    if n_obs < 3:
        fail("observed", "mark at least 3 observed values of `y`", n_obs)
    if xa.min() == xa.max():
        fail("x", "contain at least 2 distinct values", f"{xa.size} copies of {xa[0]!r}")
    names = ["x", "y"]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        xo, yo = xa[obs], ya[obs]
        mean = np.array([xo.mean(), yo.mean()])
        cov = np.cov(np.vstack([xo, yo]), bias=True)
    check_representable(cov, names, "a covariance")
    det = cov[0, 0] * cov[1, 1] - cov[0, 1] ** 2
    if cov[0, 0] <= 0 or det <= 1e-12 * cov[0, 0] * cov[1, 1]:
        fail(
            ["x", "y"],
            "not lie on a line where both are observed (the covariance would be singular)",
            f"{n_obs} observed pairs",
        )
    miss = ~obs
    lls = [_observed_loglik(xa, ya, obs, mean, cov)]
    converged = False
    n = xa.size
    for _ in range(max_iter):
        # E-step: E[y | x] and Var[y | x] for the missing entries.
        beta = cov[0, 1] / cov[0, 0]
        resid_var = cov[1, 1] - beta * cov[0, 1]
        y_fill = ya.copy()
        y_fill[miss] = mean[1] + beta * (xa[miss] - mean[0])
        # M-step: complete-data MLE with the expected sufficient statistics.
        mean = np.array([xa.mean(), y_fill.mean()])
        dx, dy = xa - mean[0], y_fill - mean[1]
        cxy = np.mean(dx * dy)
        cyy = np.mean(dy**2) + resid_var * miss.sum() / n
        cov = np.array([[np.mean(dx**2), cxy], [cxy, cyy]])
        lls.append(_observed_loglik(xa, ya, obs, mean, cov))
        if abs(lls[-1] - lls[-2]) / n < tol:
            converged = True
            break
    check_representable(lls[-1], names, "a log-likelihood")
    if tol > 0 and max_iter > 0 and not converged:
        warn_not_converged("fit_bivariate_missing", max_iter, "raise `max_iter` or `tol`.")
    return MissingDataFit(mean, cov, np.array(lls), len(lls) - 1, converged)
