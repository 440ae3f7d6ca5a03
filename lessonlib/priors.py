"""MAP estimation: conjugate coin posteriors, discrete priors, ridge, lasso and smoothing.

Every estimator here maximizes log-likelihood + log-prior (Chapter 2). The
regression estimators fit weights only, with **no intercept**: centre ``X`` and
``y`` first (or add a column of ones, which the prior then also shrinks).

One convention for penalties, as in the book: the objective is
``0.5 ||y - X w||^2 + lam R(w)`` with ``R(w) = 0.5 ||w||^2`` (ridge, weight decay)
or ``R(w) = ||w||_1`` (lasso). It is ``noise_var`` times the negative log-posterior,
so ``lam = noise_var / prior_var`` for a Gaussian prior N(0, prior_var) and
``lam = noise_var / laplace_scale`` for a Laplace prior of scale ``laplace_scale``.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg, special

from lessonlib import optim
from lessonlib._validation import (
    as_count,
    as_float_array,
    as_nonnegative_scalar,
    as_positive_array,
    as_positive_int,
    as_scalar,
    as_scale,
    as_tolerance,
    check_nonnegative_array,
    check_probability_array,
    check_representable,
    check_rows_sum_to_one,
    check_same_length,
    check_shape,
    fail,
    safe_scale,
)
from lessonlib.exceptions import warn_not_converged

__all__ = [
    "beta_binomial_map",
    "beta_binomial_mean",
    "beta_binomial_predictive",
    "beta_credible_interval",
    "discrete_posterior",
    "ridge_map",
    "lasso_map",
    "soft_threshold",
    "ridge_log_evidence",
    "ridge_cv_error",
    "dirichlet_smoothing",
    "char_bigram_counts",
    "bigram_perplexity",
]

#: Moved to ``lessonlib.optim``; this alias keeps ``priors.adam`` working.
adam = optim.adam


def _beta_posterior(heads: object, tails: object, a: object, b: object) -> tuple[float, float]:
    h, t = as_count(heads, "heads"), as_count(tails, "tails")
    return h + as_scale(a, "a"), t + as_scale(b, "b")


def beta_binomial_map(heads: int, tails: int, a: float, b: float) -> float:
    """Mode of the Beta(heads + a, tails + b) posterior of a coin's heads probability.

    With posterior parameters alpha = heads + a and beta = tails + b, the mode is
    ``(alpha - 1) / (alpha + beta - 2)`` when both exceed 1. Otherwise the density
    is monotone and the maximum sits on the boundary: 0 when alpha <= 1 < beta or
    alpha < 1 = beta, and 1 in the mirror cases.

    Parameters
    ----------
    heads, tails : int
        Observed counts (zero is allowed: no data gives the prior's mode).
    a, b : float
        Beta prior parameters, both > 0.

    Returns
    -------
    float
        The MAP estimate in [0, 1].

    Raises
    ------
    ValueError
        When the posterior has no unique mode: alpha = beta = 1 (flat, every value
        is a mode) or alpha < 1 and beta < 1 (U-shaped, modes at both 0 and 1).

    Examples
    --------
    >>> beta_binomial_map(3, 0, 2, 2)  # HHH with a Beta(2, 2) prior
    0.8
    >>> beta_binomial_map(0, 0, 0.5, 3)  # prior mode on the boundary
    0.0
    """
    alpha, beta = _beta_posterior(heads, tails, a, b)
    if alpha > 1 and beta > 1:
        # (alpha - 1) / (alpha + beta - 2), written as a ratio so that alpha + beta
        # cannot overflow for parameters near 1.8e308.
        return 1.0 / (1.0 + (beta - 1) / (alpha - 1))
    if alpha == 1 and beta == 1:
        fail(
            ["heads", "tails", "a", "b"],
            "give a posterior with a unique mode",
            "the flat Beta(1, 1), where every theta is a mode",
            "Add data or use `a`, `b` > 1.",
        )
    if alpha < 1 and beta < 1:
        fail(
            ["heads", "tails", "a", "b"],
            "give a posterior with a unique mode",
            f"the U-shaped Beta({alpha:g}, {beta:g}) with modes at 0 and 1",
            "Use `a` >= 1 or `b` >= 1, or more data.",
        )
    # One parameter is <= 1 and the other >= 1: the density is monotone.
    return 0.0 if alpha < beta else 1.0


def beta_binomial_mean(heads: int, tails: int, a: float, b: float) -> float:
    """Mean of the Beta(heads + a, tails + b) posterior: (heads + a) / (n + a + b).

    Parameters
    ----------
    heads, tails : int
        Observed counts.
    a, b : float
        Beta prior parameters, both > 0.

    Returns
    -------
    float

    Examples
    --------
    >>> round(beta_binomial_mean(3, 0, 2, 2), 4)
    0.7143
    """
    alpha, beta = _beta_posterior(heads, tails, a, b)
    return 1.0 / (1.0 + beta / alpha)  # alpha / (alpha + beta), without overflow


def beta_binomial_predictive(heads: int, tails: int, a: float, b: float) -> float:
    """Posterior predictive probability that the next flip is heads.

    ``P(x_new = 1 | data) = integral of theta p(theta | data) = (heads + a) / (n + a + b)``:
    the posterior mean, read as a prediction. With the uniform prior a = b = 1 it is
    Laplace's rule of succession, (heads + 1) / (n + 2), which never predicts
    probability 0 or 1.

    Parameters
    ----------
    heads, tails : int
        Observed counts.
    a, b : float
        Beta prior parameters, both > 0.

    Returns
    -------
    float

    Examples
    --------
    >>> beta_binomial_predictive(3, 0, 1, 1)  # rule of succession: 4/5
    0.8
    """
    return beta_binomial_mean(heads, tails, a, b)


def beta_credible_interval(
    heads: int, tails: int, a: float, b: float, level: float = 0.95
) -> tuple[float, float]:
    """Equal-tailed credible interval of the Beta(heads + a, tails + b) posterior.

    The ends are the ``(1 - level) / 2`` and ``(1 + level) / 2`` posterior quantiles,
    so the posterior puts probability ``level`` between them.

    Parameters
    ----------
    heads, tails : int
        Observed counts.
    a, b : float
        Beta prior parameters, both > 0.
    level : float, default 0.95
        Posterior probability inside the interval, strictly between 0 and 1.

    Returns
    -------
    (float, float)

    Examples
    --------
    >>> [round(v, 4) for v in beta_credible_interval(3, 0, 2, 2)]
    [0.3588, 0.9567]
    """
    alpha, beta = _beta_posterior(heads, tails, a, b)
    lev = as_scalar(level, "level")
    if not 0.0 < lev < 1.0:
        fail("level", "be strictly between 0 and 1", repr(lev))
    lo = float(special.betaincinv(alpha, beta, (1.0 - lev) / 2))
    hi = float(special.betaincinv(alpha, beta, (1.0 + lev) / 2))
    if not (np.isfinite(lo) and np.isfinite(hi)):
        # Posterior parameters near the float64 limit defeat the quantile function.
        fail(
            ["heads", "tails", "a", "b"],
            "give posterior parameters whose quantiles float64 can compute",
            f"Beta({alpha:.3g}, {beta:.3g})",
            "Use smaller `a`, `b` or counts.",
        )
    return lo, hi


def discrete_posterior(thetas: object, prior: object, heads: int, tails: int) -> np.ndarray:
    """Posterior over a finite set of heads probabilities, computed in log space.

    Parameters
    ----------
    thetas : array_like of shape (k,)
        Candidate heads probabilities in [0, 1].
    prior : array_like of shape (k,)
        Prior probabilities: non-negative, summing to 1.
    heads, tails : int
        Observed counts; thousands of flips are fine (nothing underflows).

    Returns
    -------
    numpy.ndarray of shape (k,)
        Posterior probabilities, summing to 1.

    Examples
    --------
    >>> discrete_posterior([0.5, 0.8], [0.7, 0.3], heads=4, tails=1).round(3)
    array([0.471, 0.529])
    """
    th = check_probability_array(as_float_array(thetas, "thetas", ndim=1), "thetas")
    pr = check_probability_array(as_float_array(prior, "prior", ndim=1), "prior")
    check_rows_sum_to_one(pr, "prior")
    check_same_length(th, "thetas", pr, "prior")
    h, t = as_count(heads, "heads"), as_count(tails, "tails")
    with np.errstate(divide="ignore"):
        # xlogy(0, 0) = 0: a theta of 0 is fine when there are no heads.
        log_post = np.log(pr) + special.xlogy(h, th) + special.xlog1py(t, -th)
    if not np.any(np.isfinite(log_post)):
        fail(
            ["thetas", "prior"],
            "give the observed `heads` and `tails` probability > 0 under some hypothesis",
            "probability 0 under every hypothesis with prior > 0 (e.g. heads observed but "
            "every theta is 0)",
            "The posterior is undefined.",
        )
    # Subtract the largest value, exponentiate, then normalize by the sum: unlike
    # exp(log_post - logsumexp(log_post)), the result sums to 1 to rounding even when
    # the log-posteriors are in the tens of thousands.
    weights = np.exp(log_post - np.max(log_post))
    return weights / weights.sum()


def _check_regression(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    Xa = as_float_array(X, "X", ndim=2)
    ya = as_float_array(y, "y", ndim=1)
    check_same_length(Xa, "X", ya, "y")
    return Xa, ya


def _standardize_regression(Xa: np.ndarray, ya: np.ndarray):
    """Divide X and y by their largest absolute entries (cx, cy): nothing then overflows.

    With X = cx X' and y = cy y', the weights are w = (cy / cx) w'.
    """
    cx, cy = safe_scale(Xa), safe_scale(ya)
    return Xa / cx, ya / cy, cx, cy


def _unscale_weights(w: np.ndarray, cx: float, cy: float, names) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        out = w * (cy / cx)
    return check_representable(out, names, "weights", "Rescale `X` or `y`.")


def ridge_map(X: object, y: object, noise_var: float, prior_var: float) -> np.ndarray:
    """MAP weights of y ~ N(X w, noise_var) with prior w ~ N(0, prior_var I) (no intercept).

    The MAP objective (times ``noise_var``) is ridge regression,
    ``0.5 ||y - X w||^2 + 0.5 lam ||w||^2`` with ``lam = noise_var / prior_var``,
    whose solution is ``(X^T X + lam I)^{-1} X^T y``; scikit-learn's
    ``Ridge(alpha=lam, fit_intercept=False)`` solves the same problem.
    It is computed from the singular value decomposition ``X = U S V^T`` as
    ``V diag(s / (s^2 + lam)) U^T y`` on ``X`` and ``y`` divided by their largest
    entries: exact for zero or duplicate columns and for any ``lam`` float64 holds,
    where the normal equations would be singular or overflow.

    Parameters
    ----------
    X : array_like of shape (n, d)
        Design matrix (centre it, or include a column of ones).
    y : array_like of shape (n,)
        Targets.
    noise_var : float
        Observation noise variance sigma^2 > 0.
    prior_var : float
        Prior variance tau^2 > 0 of every weight.

    Returns
    -------
    numpy.ndarray of shape (d,)

    Examples
    --------
    >>> ridge_map([[1.0], [2.0]], [1.0, 2.0], noise_var=1.0, prior_var=1.0)
    array([0.83333333])
    """
    Xa, ya = _check_regression(X, y)
    log_lam = np.log(as_scale(noise_var, "noise_var")) - np.log(as_scale(prior_var, "prior_var"))
    Xs, ys, cx, cy = _standardize_regression(Xa, ya)
    # On the rescaled problem lam becomes lam / cx^2 (w = (cy / cx) w').
    with np.errstate(over="ignore", under="ignore"):
        lam = float(np.exp(log_lam - 2.0 * np.log(cx)))
    U, sv, Vt = linalg.svd(Xs, full_matrices=False)
    # Singular values at rounding level of the largest are zeros (a zero or duplicate
    # column): their directions carry no data, and the weight there is 0.
    rank_tol = np.finfo(float).eps * max(Xs.shape) * (sv[0] if sv.size else 0.0)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        # s / (s^2 + lam) = 1 / (s + lam / s), which neither overflows nor divides 0 by 0.
        gain = np.where(sv > rank_tol, 1.0 / (sv + lam / sv), 0.0)
    return _unscale_weights(
        Vt.T @ (gain * (U.T @ ys)), cx, cy, ["X", "y", "noise_var", "prior_var"]
    )


def lasso_map(
    X: object,
    y: object,
    noise_var: float,
    laplace_scale: float,
    *,
    tol: float = 1e-10,
    max_sweeps: int = 10_000,
) -> np.ndarray:
    """MAP weights of y ~ N(X w, noise_var) with i.i.d. Laplace(0, laplace_scale) priors.

    With the Laplace scale s = ``laplace_scale``, the negative log posterior is
    ``||y - X w||^2 / (2 noise_var) + ||w||_1 / s``.
    Multiplying by ``noise_var`` gives the lasso ``0.5 ||y - X w||^2 + lam ||w||_1`` with
    ``lam = noise_var / laplace_scale``; scikit-learn's ``Lasso`` divides the squared
    error by n, so the same problem is ``Lasso(alpha=lam / n, fit_intercept=False)``.
    Solved by cyclic coordinate descent on the Gram matrix of ``X`` and ``y`` divided
    by their largest entries (the solution is rescaled back exactly). No intercept.

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of shape (n,)
    noise_var : float
        Observation noise variance > 0.
    laplace_scale : float
        Scale s > 0 of the Laplace prior ``p(w_j) = exp(-|w_j| / s) / (2 s)``; small s
        means a strong pull to zero.
    tol : float, default 1e-10
        Stop when no weight moved more than ``tol`` times the largest weight in a sweep;
        ``tol=0`` runs exactly ``max_sweeps`` sweeps.
    max_sweeps : int, default 10000
        Upper bound on passes over the coordinates.

    Returns
    -------
    numpy.ndarray of shape (d,)
        Exact zeros where the prior wins; 0 for an all-zero column.

    Warns
    -----
    ConvergenceWarning
        When ``tol > 0`` and ``max_sweeps`` sweeps end before the test is met; the
        last iterate is returned.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> lasso_map(X, [2.0, 0.1, 2.1], noise_var=1.0, laplace_scale=1.0).round(4)
    array([1.55, 0.  ])
    """
    Xa, ya = _check_regression(X, y)
    log_lam = np.log(as_scale(noise_var, "noise_var")) - np.log(
        as_scale(laplace_scale, "laplace_scale")
    )
    tol = as_tolerance(tol)
    max_sweeps = as_positive_int(max_sweeps, "max_sweeps")
    Xs, ys, cx, cy = _standardize_regression(Xa, ya)
    # 0.5 ||y - X w||^2 + lam ||w||_1 with X = cx X', y = cy y', w = (cy / cx) w' is
    # cy^2 times the same problem in w' with lam' = lam / (cx cy).
    with np.errstate(over="ignore", under="ignore"):
        lam = float(np.exp(log_lam - np.log(cx) - np.log(cy)))
    gram = Xs.T @ Xs
    corr = Xs.T @ ys
    diag = np.diag(gram).copy()
    w = np.zeros(Xs.shape[1])
    resid = corr.copy()  # X^T (y - X w), kept up to date as coordinates move
    active = np.flatnonzero(diag > 0)  # an all-zero column keeps weight 0
    names = ["X", "y", "noise_var", "laplace_scale"]
    for _ in range(max_sweeps):
        max_step = 0.0
        for j in active:
            rho = resid[j] + diag[j] * w[j]
            # The 1-D lasso in coordinate j is solved by soft-thresholding rho at lam.
            new = _soft(rho, lam) / diag[j]
            step = new - w[j]
            if step != 0.0:
                resid -= step * gram[:, j]
                w[j] = new
                max_step = max(max_step, abs(step))
        if tol > 0 and max_step <= tol * max(1.0, np.max(np.abs(w))):
            return _unscale_weights(w, cx, cy, names)
    if tol > 0:
        warn_not_converged("lasso_map", max_sweeps, "raise `max_sweeps` or `tol`.")
    return _unscale_weights(w, cx, cy, names)


def _soft(z, lam):
    return np.sign(z) * np.maximum(np.abs(z) - lam, 0.0)


def soft_threshold(z: object, lam: float) -> np.ndarray:
    """Solve the lasso in one dimension: ``sign(z) max(|z| - lam, 0)``.

    For a single standardized feature (``x^T x = 1``) with least-squares weight
    ``z = x^T y``, ``argmin_w 0.5 (z - w)^2 + lam |w|`` is ``soft_threshold(z, lam)``:
    every ``|z| <= lam`` becomes exactly 0 and the rest move lam towards 0. Ridge with
    the same lam, ``argmin_w 0.5 (z - w)^2 + 0.5 lam w^2``, is ``z / (1 + lam)``:
    a scaling that is never exactly 0 for ``z != 0``.

    Parameters
    ----------
    z : float or array_like
        Unpenalized (least-squares) weights.
    lam : float
        Threshold, >= 0.

    Returns
    -------
    numpy.ndarray
        Same shape as ``z``.

    Examples
    --------
    >>> soft_threshold([-3.0, 0.5, 2.0], 1.0)
    array([-2.,  0.,  1.])
    """
    zz = as_float_array(z, "z")
    lm = as_nonnegative_scalar(lam, "lam")
    return _soft(zz, lm)


def ridge_log_evidence(X: object, y: object, noise_var: float, prior_var: float) -> float:
    """Log marginal likelihood log p(y | X) of Bayesian linear regression (the evidence).

    With w ~ N(0, prior_var I) and y = X w + noise, noise ~ N(0, noise_var I), the
    weights integrate out in closed form: y ~ N(0, noise_var I + prior_var X X^T).
    Maximizing it over ``prior_var`` (and ``noise_var``) chooses lam = noise_var /
    prior_var from the training data alone (type-II maximum likelihood).
    Computed from the singular values of ``X``, never forming the n x n covariance.

    Parameters
    ----------
    X : array_like of shape (n, d)
        Design matrix.
    y : array_like of shape (n,)
        Targets.
    noise_var : float
        Noise variance > 0.
    prior_var : float
        Prior variance of every weight, > 0.

    Returns
    -------
    float
        ``log N(y; 0, noise_var I + prior_var X X^T)`` in nats.

    Examples
    --------
    >>> round(ridge_log_evidence([[1.0], [0.0]], [1.0, 0.0], 1.0, 1.0), 6)
    -2.434451
    """
    Xa, ya = _check_regression(X, y)
    s2 = as_scale(noise_var, "noise_var")
    t2 = as_scale(prior_var, "prior_var")
    n = ya.size
    U, sv, _ = linalg.svd(Xa, full_matrices=True)
    # Eigenvalues of the covariance: noise_var + prior_var s_i^2 along the left singular
    # vectors of X, noise_var in the remaining n - rank directions.
    eig = np.full(n, s2)
    with np.errstate(over="ignore"):
        eig[: sv.size] += t2 * sv**2
    proj = U.T @ ya
    with np.errstate(over="ignore", invalid="ignore"):
        out = -0.5 * (n * np.log(2 * np.pi) + np.sum(np.log(eig)) + np.sum(proj**2 / eig))
    check_representable(out, ["X", "y", "noise_var", "prior_var"], "a log evidence")
    return float(out)


def ridge_cv_error(X: object, y: object, lams: object, *, n_folds: int = 5) -> np.ndarray:
    """K-fold cross-validated mean squared error of ridge regression for each lam.

    The rows are split into ``n_folds`` consecutive blocks (as scikit-learn's
    ``KFold`` without shuffling: shuffle the rows first if their order means
    something). Each block is predicted by the ridge fit (no intercept) to the
    other blocks, and the squared errors of all held-out rows are averaged.

    Parameters
    ----------
    X : array_like of shape (n, d)
    y : array_like of shape (n,)
    lams : array_like of shape (k,)
        Penalties lam = noise_var / prior_var, each > 0.
    n_folds : int, default 5
        Number of blocks, between 2 and n.

    Returns
    -------
    numpy.ndarray of shape (k,)
        Mean held-out squared error for each lam.

    Examples
    --------
    >>> X = np.arange(6.0)[:, None]
    >>> ridge_cv_error(X, 2 * X[:, 0], [1e-9], n_folds=3).round(6)
    array([0.])
    """
    Xa, ya = _check_regression(X, y)
    lam = as_positive_array(lams, "lams", ndim=1)
    n = ya.size
    k = as_positive_int(n_folds, "n_folds", minimum=2)
    if k > n:
        fail("n_folds", f"be at most the number of rows, {n}", k)
    # Fold sizes as in scikit-learn's KFold: the first n % k folds get one extra row.
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    stops = np.cumsum(sizes)
    errors = np.zeros(lam.size)
    for stop, size in zip(stops, sizes):
        held = np.zeros(n, dtype=bool)
        held[stop - size : stop] = True
        for i, lm in enumerate(lam):
            w = ridge_map(Xa[~held], ya[~held], noise_var=lm, prior_var=1.0)
            errors[i] += np.sum((Xa[held] @ w - ya[held]) ** 2)
    return errors / n


def dirichlet_smoothing(counts: object, alpha: float) -> np.ndarray:
    """Posterior-mean probabilities under a symmetric Dirichlet(alpha) prior.

    ``(counts + alpha) / (counts.sum() + k * alpha)`` along the last axis, where k is
    the number of categories. ``alpha = 1`` is add-one (Laplace) smoothing and
    ``alpha = 0`` gives the MLE back (which needs every row to have a count).

    Parameters
    ----------
    counts : array_like
        Non-negative whole-number counts; the last axis indexes categories (a 2-D
        table is smoothed row by row).
    alpha : float
        Pseudo-count added to every category, >= 0.

    Returns
    -------
    numpy.ndarray
        Same shape as ``counts``; each row sums to 1 and, if alpha > 0, is > 0.

    Examples
    --------
    >>> dirichlet_smoothing([3, 1, 0], alpha=1)
    array([0.57142857, 0.28571429, 0.14285714])
    """
    c = as_float_array(counts, "counts")
    if c.ndim == 0:
        fail("counts", "be at least 1-D (one count per category)", "a scalar")
    check_nonnegative_array(c, "counts")
    if np.any(c != np.round(c)):
        fail("counts", "be whole numbers", f"values such as {c[c != np.round(c)][:3].tolist()}")
    a = as_nonnegative_scalar(alpha, "alpha")
    pseudo = c + a
    if np.any(np.all(pseudo == 0, axis=-1)):
        fail(
            ["counts", "alpha"],
            "give every row a positive total (else its probabilities are 0/0)",
            "an all-zero row with `alpha` = 0",
            "Use `alpha` > 0.",
        )
    # Normalize on the scale of each row's largest entry: sums of counts near 1.8e308
    # would overflow.
    pseudo = pseudo / pseudo.max(axis=-1, keepdims=True)
    return pseudo / pseudo.sum(axis=-1, keepdims=True)


def _check_text(text: object, alphabet: str) -> list[int]:
    if not isinstance(text, str):
        fail("text", "be a string", type(text).__name__, error=TypeError)
    if len(text) < 2:
        fail("text", "have at least 2 characters (one bigram)", repr(text))
    index = {ch: i for i, ch in enumerate(alphabet)}
    missing = sorted(set(text) - set(index))
    if missing:
        fail("text", "use only characters of `alphabet`", f"{''.join(missing)!r}")
    return [index[ch] for ch in text]


def _check_alphabet(alphabet: object) -> str:
    if not isinstance(alphabet, str):
        fail("alphabet", "be a string", type(alphabet).__name__, error=TypeError)
    if not alphabet or len(set(alphabet)) != len(alphabet):
        fail("alphabet", "be a non-empty string of distinct characters", repr(alphabet))
    return alphabet


def char_bigram_counts(text: str, alphabet: str) -> np.ndarray:
    """Count adjacent character pairs: entry (i, j) counts alphabet[i] followed by alphabet[j].

    Parameters
    ----------
    text : str
        Training text; every character must be in ``alphabet``.
    alphabet : str
        The distinct characters of the model, in a fixed order.

    Returns
    -------
    numpy.ndarray of shape (len(alphabet), len(alphabet))

    Examples
    --------
    >>> char_bigram_counts("abab", "ab")
    array([[0., 2.],
           [1., 0.]])
    """
    _check_alphabet(alphabet)
    idx = np.asarray(_check_text(text, alphabet))
    counts = np.zeros((len(alphabet), len(alphabet)))
    np.add.at(counts, (idx[:-1], idx[1:]), 1.0)
    return counts


def bigram_perplexity(probs: object, text: str, alphabet: str) -> float:
    """Perplexity exp(-mean log p(next | previous)) of `text` under a bigram table.

    Parameters
    ----------
    probs : array_like of shape (k, k)
        Row i is the distribution of the character following alphabet[i].
    text : str
        Held-out text over ``alphabet``.
    alphabet : str

    Returns
    -------
    float
        ``inf`` (not NaN, and without a warning) when the text contains a bigram of
        probability 0.

    Examples
    --------
    >>> bigram_perplexity([[0.5, 0.5], [0.5, 0.5]], "abba", "ab")
    2.0
    """
    p = check_probability_array(as_float_array(probs, "probs", ndim=2), "probs")
    k = len(_check_alphabet(alphabet))
    check_shape(p, "probs", (k, k), "one row and column per character of `alphabet`")
    check_rows_sum_to_one(p, "probs")
    idx = np.asarray(_check_text(text, alphabet))
    step = p[idx[:-1], idx[1:]]
    if np.any(step == 0):
        return float("inf")
    return float(np.exp(-np.mean(np.log(step))))
