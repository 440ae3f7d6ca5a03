"""Maximum-likelihood estimators and the losses they correspond to (Chapter 1).

Everything is computed in log space: a likelihood is a product of many numbers
below one, which underflows float64 long before the data run out, while the sum
of their logarithms stays finite.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import log_softmax, logsumexp, ndtri, xlog1py, xlogy

from lessonlib._validation import (
    HUGE,
    as_count,
    as_float_array,
    as_positive_int,
    as_probability,
    as_scale,
    as_tolerance,
    check_allocation,
    check_probability_array,
    check_representable,
    check_rng,
    check_rows_sum_to_one,
    check_same_length,
    fail,
    mean_and_std,
    safe_scale,
)
from lessonlib.exceptions import warn_not_converged

__all__ = [
    "bernoulli_mle",
    "bernoulli_log_likelihood",
    "sample_bernoulli_mles",
    "bernoulli_fisher_information",
    "bernoulli_standard_error",
    "bernoulli_wald_interval",
    "gaussian_mle",
    "gaussian_nll",
    "softmax",
    "cross_entropy",
    "LogisticRegressionFit",
    "fit_logistic_regression",
]


def _as_flips(flips: object) -> np.ndarray:
    arr = as_float_array(flips, "flips", ndim=1)
    if not np.all((arr == 0) | (arr == 1)):
        bad = arr[(arr != 0) & (arr != 1)][:3]
        fail("flips", "contain only 0/1 (or False/True) outcomes", f"values such as {bad}")
    return arr


def bernoulli_mle(flips: object) -> float:
    """Estimate a coin's heads probability by maximum likelihood.

    Parameters
    ----------
    flips : array_like of shape (n_flips,)
        Outcomes coded 1 (heads) / 0 (tails), or booleans.

    Returns
    -------
    float
        The fraction of heads, which maximizes theta**h * (1 - theta)**t.

    Examples
    --------
    >>> bernoulli_mle([1, 1, 0, 1])
    0.75
    """
    arr = _as_flips(flips)
    return float(arr.mean())


def bernoulli_log_likelihood(theta: object, heads: int, tails: int) -> np.ndarray:
    """Log-likelihood of `heads` heads and `tails` tails as a function of theta.

    Parameters
    ----------
    theta : float or array_like
        Heads probabilities in [0, 1]; the result has the same shape.
    heads, tails : int
        Observed counts (non-negative integers).

    Returns
    -------
    ndarray
        ``heads * log(theta) + tails * log(1 - theta)``, with ``-inf`` where the
        data are impossible (for example theta = 1 after a tail) and the
        convention 0 * log 0 = 0.

    Examples
    --------
    >>> float(bernoulli_log_likelihood(0.5, 1, 1))  # log(0.25)
    -1.3862943611198906
    """
    th = as_float_array(theta, "theta", min_size=1)
    check_probability_array(th, "theta")
    h = as_count(heads, "heads")
    t = as_count(tails, "tails")
    return xlogy(h, th) + xlog1py(t, -th)


def sample_bernoulli_mles(
    theta: float, n_flips: int, n_repeats: int, rng: np.random.Generator
) -> np.ndarray:
    """Draw the sampling distribution of the Bernoulli MLE by simulation.

    Each repeat flips a coin with heads probability `theta` `n_flips` times and
    records the fraction of heads.

    Parameters
    ----------
    theta : float
        True heads probability in [0, 1].
    n_flips : int
        Flips per experiment (>= 1).
    n_repeats : int
        Number of simulated experiments (>= 1).
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    ndarray of shape (n_repeats,)
        One MLE per simulated experiment.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> sample_bernoulli_mles(0.5, 10, 3, rng).shape
    (3,)
    """
    th = as_probability(theta, "theta")
    n = as_positive_int(n_flips, "n_flips")
    reps = as_positive_int(n_repeats, "n_repeats")
    check_rng(rng)
    check_allocation((reps,), "n_repeats", "one estimate per repeat")
    return rng.binomial(n, th, size=reps) / n


def bernoulli_fisher_information(theta: float) -> float:
    """Fisher information of one coin flip: the expected curvature 1 / (theta (1 - theta)).

    It is ``-E[d^2/dtheta^2 log p(x | theta)]`` with x ~ Bernoulli(theta): the
    second derivative of ``x log(theta) + (1 - x) log(1 - theta)`` is
    ``-x / theta^2 - (1 - x) / (1 - theta)^2``, whose expectation is
    ``-1 / theta - 1 / (1 - theta)``. Flips are independent, so n flips carry
    n times this information.

    Parameters
    ----------
    theta : float
        Heads probability, strictly between 0 and 1 (at 0 or 1 the information is
        infinite: one flip settles the question).

    Returns
    -------
    float
        ``1 / (theta * (1 - theta))`` in units of 1 / theta^2.

    Examples
    --------
    >>> bernoulli_fisher_information(0.5)
    4.0
    """
    th = as_probability(theta, "theta")
    if th in (0.0, 1.0):
        fail(
            "theta",
            "be strictly between 0 and 1 (the information is infinite at the ends)",
            repr(th),
        )
    return 1.0 / (th * (1.0 - th))


def _counts_with_data(heads: object, tails: object) -> tuple[int, int]:
    h, t = as_count(heads, "heads"), as_count(tails, "tails")
    if h + t == 0:
        fail(["heads", "tails"], "add up to at least one flip", "0 flips")
    return h, t


def bernoulli_standard_error(heads: int, tails: int) -> float:
    """Plug-in standard error of the coin MLE: sqrt(theta_hat (1 - theta_hat) / n).

    The MLE's variance is ``1 / (n I(theta))``; the standard error evaluates it at
    the estimate theta_hat = heads / n, because theta itself is unknown. It is 0
    when every flip agrees (theta_hat = 0 or 1), which is the thin-data failure:
    the curvature of the log-likelihood is infinite there.

    Parameters
    ----------
    heads, tails : int
        Observed counts, at least one flip in total.

    Returns
    -------
    float

    Examples
    --------
    >>> bernoulli_standard_error(5, 5)  # sqrt(0.25 / 10)
    0.15811388300841897
    """
    h, t = _counts_with_data(heads, tails)
    n = h + t
    theta_hat = h / n
    return float(np.sqrt(theta_hat * (1.0 - theta_hat) / n))


def bernoulli_wald_interval(heads: int, tails: int, level: float = 0.95) -> tuple[float, float]:
    """Wald confidence interval theta_hat +/- z * standard error for a coin.

    ``z`` is the standard-normal quantile with ``(1 - level) / 2`` in each tail
    (1.96 for 95 %). The interval rests on the normal approximation to the MLE's
    sampling distribution, so its actual coverage is below ``level`` for small n or
    theta near 0 or 1. It is not clipped to [0, 1].

    Parameters
    ----------
    heads, tails : int
        Observed counts, at least one flip in total.
    level : float, default 0.95
        Nominal coverage, strictly between 0 and 1.

    Returns
    -------
    (float, float)
        Lower and upper end.

    Examples
    --------
    >>> [round(v, 4) for v in bernoulli_wald_interval(7, 3)]
    [0.416, 0.984]
    """
    h, t = _counts_with_data(heads, tails)
    lev = as_probability(level, "level")
    if lev in (0.0, 1.0):
        fail("level", "be strictly between 0 and 1", repr(lev))
    z = float(ndtri(0.5 + lev / 2))
    theta_hat = h / (h + t)
    half = z * bernoulli_standard_error(h, t)
    return theta_hat - half, theta_hat + half


def gaussian_mle(x: object) -> tuple[float, float]:
    """Maximum-likelihood mean and variance of a Gaussian sample.

    Parameters
    ----------
    x : array_like of shape (n_samples,)
        Observations.

    Returns
    -------
    mean : float
        The sample mean.
    variance : float
        ``sum((x - mean)**2) / n`` -- the 1/n (ddof=0) estimate, which is the
        MLE and is biased low by the factor (n - 1) / n.

    Raises
    ------
    ValueError
        When every observation is the same (one point, or constant data): the
        likelihood grows without bound as the variance shrinks to 0, so no maximum
        exists.

    Examples
    --------
    >>> gaussian_mle([1.0, 2.0, 3.0])
    (2.0, 0.6666666666666666)
    """
    arr = as_float_array(x, "x", ndim=1)
    if arr.min() == arr.max():
        fail(
            "x",
            "contain at least 2 distinct values (on constant data the likelihood grows "
            "without bound as the variance goes to 0, so no MLE exists)",
            f"{arr.size} value(s) all equal to {arr[0]!r}",
        )
    # Two passes (centre, then square) avoid the cancellation of E[x^2] - E[x]^2; both
    # run on x / max|x|, so data near 1.8e308 neither overflow nor lose the mean.
    mean, std = mean_and_std(arr)
    with np.errstate(over="ignore"):
        variance = float(std) ** 2 if std < np.sqrt(HUGE) else float("inf")
    check_representable(variance, "x", "a variance", "Rescale `x`.")
    if variance == 0.0:  # the spread of x underflows when squared
        fail("x", "have a variance above 0 in float64", f"a standard deviation of {std:.3g}")
    return float(mean), variance


def gaussian_nll(y: object, y_pred: object, noise_var: float) -> float:
    """Negative log-likelihood of targets under y ~ N(y_pred, noise_var).

    Parameters
    ----------
    y, y_pred : array_like of shape (n_samples,)
        Observed targets and model predictions.
    noise_var : float
        Noise variance sigma**2 (> 0).

    Returns
    -------
    float
        ``sum((y - y_pred)**2) / (2 * noise_var) + n/2 * log(2 * pi * noise_var)``.

    Examples
    --------
    >>> round(gaussian_nll([0.0], [0.0], 1.0), 6)  # 0.5 * log(2 pi)
    0.918939
    """
    yy = as_float_array(y, "y", ndim=1)
    pp = as_float_array(y_pred, "y_pred", ndim=1)
    check_same_length(yy, "y", pp, "y_pred")
    var = as_scale(noise_var, "noise_var")
    n = yy.size
    # Residuals in units of the noise sd, and log(var) rather than var in the constant:
    # no intermediate overflows when the result itself is representable.
    with np.errstate(over="ignore", invalid="ignore"):
        z = (yy / np.sqrt(var) - pp / np.sqrt(var)) if safe_scale(yy) > 1e300 else None
        if z is None:
            z = (yy - pp) / np.sqrt(var)
        out = 0.5 * np.sum(z**2) + 0.5 * n * (np.log(2 * np.pi) + np.log(var))
    check_representable(out, ["y", "y_pred", "noise_var"], "a negative log-likelihood")
    return float(out)


def softmax(logits: object) -> np.ndarray:
    """Turn scores into probabilities along the last axis, stably.

    Parameters
    ----------
    logits : array_like of shape (..., n_classes)
        Unnormalised log-probabilities.

    Returns
    -------
    ndarray
        ``exp(logits - logsumexp(logits))``; each row sums to 1.

    Examples
    --------
    >>> softmax([0.0, 0.0]).tolist()
    [0.5, 0.5]
    """
    z = as_float_array(logits, "logits")
    if z.ndim == 0:
        fail("logits", "have at least one axis (the classes)", "a scalar")
    with np.errstate(over="ignore"):  # z - max(z) = -inf far below the max: exp gives 0
        return np.exp(log_softmax(z, axis=-1))


def _labels_to_one_hot(labels: object, n_classes: int, n_samples: int) -> np.ndarray:
    lab = as_float_array(labels, "labels")
    if lab.ndim == 1:
        if lab.shape[0] != n_samples:
            fail(["labels", "probs"], "have the same length", f"{lab.shape[0]} and {n_samples}")
        if not np.all(lab == np.round(lab)) or lab.min() < 0 or lab.max() >= n_classes:
            fail(
                "labels",
                f"be integer classes in 0..{n_classes - 1} (one per column of `probs`)",
                f"values from {lab.min()} to {lab.max()}",
            )
        one_hot = np.zeros((n_samples, n_classes))
        one_hot[np.arange(n_samples), lab.astype(np.intp)] = 1.0
        return one_hot
    if lab.ndim == 2:
        if lab.shape != (n_samples, n_classes):
            fail(
                "labels",
                f"have the shape of `probs` {(n_samples, n_classes)} when given as one-hot rows",
                f"shape {lab.shape}",
            )
        check_probability_array(lab, "labels")
        check_rows_sum_to_one(lab, "labels")
        return lab
    fail("labels", "be 1-D class indices or 2-D one-hot rows", f"{lab.ndim}-D")


def cross_entropy(labels: object, probs: object) -> float:
    """Average cross-entropy (negative log-likelihood per example) of labels under probs.

    Parameters
    ----------
    labels : array_like
        Either integer classes of shape (n_samples,) or one-hot (or soft) label
        rows of shape (n_samples, n_classes).
    probs : array_like of shape (n_samples, n_classes)
        Predicted class probabilities; each row in [0, 1] and summing to 1.

    Returns
    -------
    float
        ``-mean(sum(labels * log(probs), axis=1))``. It is ``inf`` when a label
        receives probability 0 -- the model called the observed data impossible.

    Examples
    --------
    >>> round(cross_entropy([0, 1], [[0.5, 0.5], [0.5, 0.5]]), 6)  # log 2
    0.693147
    """
    p = as_float_array(probs, "probs")
    if p.ndim != 2:
        fail(
            "probs",
            "be 2-D (n_samples, n_classes)",
            f"{p.ndim}-D",
            "For a binary problem pass np.column_stack([1 - p, p]).",
        )
    check_probability_array(p, "probs")
    check_rows_sum_to_one(p, "probs")
    one_hot = _labels_to_one_hot(labels, p.shape[1], p.shape[0])
    # xlogy gives 0 * log 0 = 0 and y * log 0 = -inf without numpy warnings.
    return float(-np.mean(np.sum(xlogy(one_hot, p), axis=1)))


@dataclass(frozen=True)
class LogisticRegressionFit:
    """Maximum-likelihood softmax (multinomial logistic) regression.

    Attributes
    ----------
    coef : ndarray of shape (n_classes, n_features)
        Weights; row 0 is fixed at zero (the reference class), which makes the
        maximum unique. For two classes, ``coef[1]`` is the usual logistic
        regression weight vector.
    intercept : ndarray of shape (n_classes,)
        Biases, with ``intercept[0] == 0``.
    log_likelihood : float
        Total log-likelihood of the training labels at the returned weights.
    objective_history : numpy.ndarray of shape (n_iter + 1,)
        Total log-likelihood at the start (all weights zero) and after every Newton step.
    n_iter : int
        Newton steps taken.
    converged : bool
        Whether the gradient test ``tol`` was met; always False with ``tol=0``.
    """

    coef: np.ndarray
    intercept: np.ndarray
    log_likelihood: float
    objective_history: np.ndarray
    n_iter: int
    converged: bool

    def predict_proba(self, X: object) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes)."""
        XX = as_float_array(X, "X", ndim=2)
        if XX.shape[1] != self.coef.shape[1]:
            fail("X", f"have {self.coef.shape[1]} columns (as in training)", XX.shape[1])
        return softmax(XX @ self.coef.T + self.intercept)


def _softmax_nll_parts(
    params: np.ndarray, Xt: np.ndarray, Y: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    """Negative log-likelihood, gradient and Hessian in the free parameters.

    `params` has shape (n_classes - 1, n_features + 1); class 0's scores are 0.
    """
    n_free = params.shape[0]
    scores = np.column_stack([np.zeros(Xt.shape[0]), Xt @ params.T])
    log_p = scores - logsumexp(scores, axis=1, keepdims=True)
    nll = -float(np.sum(Y * log_p))
    P = np.exp(log_p[:, 1:])
    grad = (P - Y[:, 1:]).T @ Xt  # (n_free, d+1)
    # Per-example curvature of the softmax: diag(p) - p p^T over the free classes.
    W = -P[:, :, None] * P[:, None, :]
    W[:, np.arange(n_free), np.arange(n_free)] += P
    hess = np.einsum("nab,ni,nj->aibj", W, Xt, Xt).reshape(grad.size, grad.size)
    return nll, grad, hess


def _separating_direction_exists(Xt: np.ndarray, labels: np.ndarray, n_classes: int) -> bool:
    """Decide by linear programming whether the softmax MLE fails to exist.

    It fails exactly when some nonzero weight matrix B (row 0 fixed at zero) gives
    every point a margin (B[y_i] - B[k]) . x_i >= 0 over every other class k with at
    least one margin > 0 (complete or quasi-complete separation): moving along B then
    raises the likelihood forever. We maximize the sum of margins subject to all of them
    being >= 0 and |B| <= 1; the optimum is 0 exactly when no such direction exists.
    """
    from scipy.optimize import linprog

    n, p = Xt.shape
    scale = np.max(np.abs(Xt))
    rows = []
    for k in range(n_classes):
        others = labels != k
        # margin_i = (B[y_i] - B[k]) . x_i for the points whose label is not k
        block = np.zeros((int(others.sum()), n_classes, p))
        block[np.arange(block.shape[0]), labels[others]] += Xt[others]
        block[:, k] -= Xt[others]
        rows.append(block[:, 1:].reshape(block.shape[0], -1))  # B[0] is fixed at zero
    margins = np.vstack(rows) / scale
    result = linprog(
        -margins.sum(axis=0),
        A_ub=-margins,
        b_ub=np.zeros(margins.shape[0]),
        bounds=(-1.0, 1.0),
        method="highs",
    )
    return bool(result.status == 0 and -result.fun > 1e-7 * margins.shape[0])


def fit_logistic_regression(
    X: object, y: object, *, max_iter: int = 100, tol: float = 1e-10
) -> LogisticRegressionFit:
    """Fit softmax regression by maximizing the likelihood with Newton's method.

    No penalty is added: this is the pure maximum-likelihood estimate, with an
    intercept. Newton's method uses the exact Hessian, so it converges in a
    handful of steps when the maximum exists.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
        Features.
    y : array_like of shape (n_samples,)
        Integer class labels 0, 1, ..., n_classes - 1, each present at least once.
    max_iter : int, default 100
        Maximum Newton steps.
    tol : float, default 1e-10
        Stop when the largest gradient entry, relative to n_samples, is below tol;
        ``tol=0`` runs exactly ``max_iter`` steps.

    Returns
    -------
    LogisticRegressionFit

    Warns
    -----
    ConvergenceWarning
        When ``tol > 0`` and ``max_iter`` steps end before the test is met (the result
        has ``converged=False``).

    Raises
    ------
    ValueError
        If the classes are linearly separable, completely or quasi-completely
        (checked first, by a small linear program): then the likelihood keeps
        growing as the weights go to infinity and no maximum exists. A prior
        (Chapter 2) fixes this.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> fit = fit_logistic_regression(X, [0, 1, 0, 1])
    >>> fit.coef.shape
    (2, 1)
    """
    XX = as_float_array(X, "X", ndim=2)
    yy = as_float_array(y, "y", ndim=1)
    check_same_length(XX, "X", yy, "y")
    if not np.all(yy == np.round(yy)) or yy.min() < 0:
        fail(
            "y",
            "contain integer class labels 0, 1, ..., n_classes - 1",
            f"values such as {yy[(yy != np.round(yy)) | (yy < 0)][:3].tolist()}",
        )
    n_classes = int(yy.max()) + 1
    counts = np.bincount(yy.astype(np.intp), minlength=n_classes)
    if n_classes < 2 or np.any(counts == 0):
        fail(
            "y",
            f"contain every class 0..{max(n_classes - 1, 1)} at least once (and at least two "
            "classes)",
            f"class counts {counts.tolist()}",
        )
    max_iter = as_positive_int(max_iter, "max_iter")
    tol = as_tolerance(tol)
    n = XX.shape[0]
    # The Hessian sums products x_i x_j over the n points: that sum must be a float64.
    if safe_scale(XX) > np.sqrt(HUGE / n):
        fail(
            "X",
            f"have entries below sqrt(1.8e308 / n) = {np.sqrt(HUGE / n):.3g} (the Hessian sums "
            "their products over the n points)",
            f"max |X| = {safe_scale(XX):.3g}",
            "Rescale the columns of `X`.",
        )
    Xt = np.column_stack([np.ones(n), XX])
    # A zero-variance column repeats the intercept, a duplicate column another column:
    # then the weights are not identified and the Hessian is singular.
    rank = np.linalg.matrix_rank(Xt / safe_scale(Xt))
    if rank < Xt.shape[1]:
        fail(
            "X",
            "have linearly independent columns that are not constant (with the intercept, "
            "the weights are otherwise not identified)",
            f"rank {rank} for {Xt.shape[1]} columns including the intercept",
            "Drop constant, duplicate or collinear columns.",
        )
    Y = np.zeros((n, n_classes))
    Y[np.arange(n), yy.astype(np.intp)] = 1.0
    params = np.zeros((n_classes - 1, Xt.shape[1]))
    # The linear program settles existence up front, so Newton below only ever runs on
    # problems with a finite maximum. (Not an argument check: the data are valid, the
    # estimate does not exist.)
    if _separating_direction_exists(Xt, yy.astype(np.intp), n_classes):
        fail(
            ["X", "y"],
            "not be linearly separable for the maximum-likelihood estimate to exist",
            "classes that are linearly separable (completely, or quasi-completely with ties "
            "on the boundary): the likelihood keeps increasing as the weights grow without "
            "bound",
            "Add a prior (an L2 penalty, Chapter 2) or more overlapping data.",
        )
    nll, grad, hess = _softmax_nll_parts(params, Xt, Y)
    history = [-nll]
    converged = False
    for _ in range(max_iter):
        try:
            step = np.linalg.solve(hess, grad.ravel()).reshape(params.shape)
        except np.linalg.LinAlgError:
            fail(
                "X",
                "give a non-singular Hessian",
                "a singular one (nearly collinear columns)",
                "Drop or combine collinear columns.",
            )
        # Backtracking keeps every Newton step an ascent step of the likelihood.
        t = 1.0
        while True:
            cand = params - t * step
            cand_nll, cand_grad, cand_hess = _softmax_nll_parts(cand, Xt, Y)
            if cand_nll <= nll + 1e-12 * abs(nll) or t < 1e-10:
                break
            t *= 0.5
        params, nll, grad, hess = cand, cand_nll, cand_grad, cand_hess
        history.append(-nll)
        if np.max(np.abs(grad)) / n < tol:
            converged = True
            break
    if tol > 0 and not converged:
        warn_not_converged("fit_logistic_regression", max_iter, "raise `max_iter` or `tol`.")
    return LogisticRegressionFit(
        coef=np.vstack([np.zeros(XX.shape[1]), params[:, 1:]]),
        intercept=np.concatenate([[0.0], params[:, 0]]),
        log_likelihood=-nll,
        objective_history=np.array(history),
        n_iter=len(history) - 1,
        converged=converged,
    )
