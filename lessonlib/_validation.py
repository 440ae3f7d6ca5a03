"""Argument checks shared by every public function of lessonlib.

Each public function validates its inputs once, here, and then works on clean
float arrays. Every message follows one template::

    `name` must <rule>; got <offending value, shape or type>. <remedy, where one exists>

There is no global cap on magnitudes or sizes. Each check states the rule that the
formula using the argument needs: a scale that is divided by must be a normal float64
(its reciprocal is then finite), a result that left the float64 range is reported
with the arguments that produced it, and an array that would not fit in memory is
refused before it is allocated.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Mapping, Sequence

import numpy as np

#: Smallest positive normal float64 (about 2.2e-308); below it precision is lost and
#: 1 / x overflows.
TINY = float(np.finfo(float).tiny)
#: Largest finite float64 (about 1.8e308).
HUGE = float(np.finfo(float).max)
#: Largest magnitude of a coordinate a figure draws (about 1.3e150). Matplotlib squares
#: distances in display units (path simplification, the Gaussian curve's
#: ((x - mean) / std)**2), and a display coordinate is a data coordinate times up to
#: 1e4 pixels per unit: below sqrt(1.8e308) / 1e4 those squares stay finite.
DRAWABLE = math.sqrt(HUGE) / 1e4
#: Tolerance of every "sums to 1" check, per entry summed (rounding of a normalization).
SUM_TOL = 1e-8


def _describe(value: object) -> str:
    """Return a short description of an offending value for an error message."""
    if isinstance(value, np.ndarray):
        if value.size <= 6:
            return np.array2string(value, separator=", ")
        return f"an array of shape {value.shape}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _names(names: str | Sequence[str]) -> str:
    """Join argument names in backticks: "`a`", "`a` and `b`", "`a`, `b` and `c`"."""
    if isinstance(names, str):
        names = [names]
    quoted = [f"`{n}`" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def fail(name: str | Sequence[str], rule: str, got: str, remedy: str = "", *, error=ValueError):
    """Raise ``error`` with the library's one message template.

    ``fail("sigma", "be > 0", "-1.0")`` raises "`sigma` must be > 0; got -1.0."
    """
    message = f"{_names(name)} must {rule}; got {got}."
    if remedy:
        message += " " + remedy
    raise error(message)


def as_float_array(
    value: object,
    name: str,
    *,
    ndim: int | None = None,
    min_size: int = 1,
    finite: bool = True,
) -> np.ndarray:
    """Convert `value` to a float64 array and check its dimension, size and finiteness."""
    if value is None or isinstance(value, (str, bytes, dict, set)):
        fail(name, "be an array of numbers", type(value).__name__, error=TypeError)
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):  # ragged nested lists
        fail(name, "be a rectangular array of numbers", "a ragged sequence", error=TypeError)
    if arr.dtype.kind not in "biuf":
        fail(name, "be an array of real numbers", f"dtype {arr.dtype}", error=TypeError)
    arr = arr.astype(np.float64, copy=False)
    if ndim is not None and arr.ndim != ndim:
        fail(name, f"be {ndim}-D", "a scalar" if arr.ndim == 0 else f"shape {arr.shape}")
    if arr.size < min_size:
        fail(name, f"have at least {min_size} element{'s' if min_size > 1 else ''}", arr.size)
    if finite and not np.all(np.isfinite(arr)):
        fail(
            name,
            "contain only finite numbers (no NaN or inf)",
            f"{int(np.sum(~np.isfinite(arr)))} non-finite value(s)",
            "Drop or impute missing values first.",
        )
    return arr


def as_scalar(value: object, name: str) -> float:
    """Return `value` as a finite Python float, rejecting arrays, strings and booleans."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.ndarray)):
        fail(name, "be a real number", type(value).__name__, error=TypeError)
    arr = np.asarray(value)
    if arr.ndim != 0:
        fail(name, "be a single number", f"an array of shape {arr.shape}", error=TypeError)
    if arr.dtype.kind not in "iuf":
        fail(name, "be a real number", f"dtype {arr.dtype}", error=TypeError)
    out = float(arr)
    if not np.isfinite(out):
        fail(name, "be finite", out)
    return out


def as_nonnegative_scalar(value: object, name: str) -> float:
    """Return `value` as a finite float >= 0 (a penalty, a pseudo-count)."""
    out = as_scalar(value, name)
    if out < 0:
        fail(name, "be >= 0", out)
    return out


def as_positive_scalar(value: object, name: str) -> float:
    """Return `value` as a float after checking it is finite and > 0."""
    out = as_scalar(value, name)
    if out <= 0:
        fail(name, "be > 0", out)
    return out


def as_scale(value: object, name: str) -> float:
    """Return a scale (a standard deviation, a variance, a prior scale) as a float.

    The formulas divide by a scale, so it must be a *normal* positive float64: at
    least 2.2e-308, where ``1 / scale`` is still finite and no precision is lost.
    """
    out = as_positive_scalar(value, name)
    if out < TINY:
        fail(
            name,
            f"be at least {TINY:.3g} (a normal float64, so that 1/{name} is finite)",
            repr(out),
            "Rescale the problem.",
        )
    return out


def as_tolerance(value: object, name: str = "tol") -> float:
    """Return a stopping tolerance as a float >= 0; 0 means "run exactly max_iter iterations"."""
    out = as_scalar(value, name)
    if out < 0:
        fail(name, "be >= 0", out, f"Use {name}=0 to run exactly `max_iter` iterations.")
    return out


def as_positive_array(value: object, name: str, *, ndim: int | None = None) -> np.ndarray:
    """Convert `value` to a finite float array of scales: every entry a normal float > 0.

    Zero and negative entries are not scales; subnormal ones (below 2.2e-308) would
    make ``1 / value`` overflow in the formulas that divide by them.
    """
    arr = as_float_array(value, name, ndim=ndim)
    if np.any(arr <= 0):
        fail(name, "be > 0", arr[arr <= 0].ravel()[:3].tolist())
    if np.any(arr < TINY):
        fail(
            name,
            f"be at least {TINY:.3g} (normal float64 scales, so that 1/{name} is finite)",
            arr[arr < TINY].ravel()[:3].tolist(),
            "Rescale the problem.",
        )
    return arr


def check_nonnegative_array(arr: np.ndarray, name: str) -> np.ndarray:
    """Check that every entry of a float array is >= 0."""
    if np.any(arr < 0):
        fail(name, "be >= 0", arr[arr < 0].ravel()[:3].tolist())
    return arr


def as_count(value: object, name: str) -> int:
    """Return `value` as a non-negative Python int (a count of events).

    Counts are used as float64 in the formulas, so they must be exact there: at most 2**53.
    """
    if isinstance(value, (bool, np.bool_)):
        fail(name, "be a non-negative integer count", "a boolean", error=TypeError)
    if isinstance(value, numbers.Integral):
        out = int(value)
    elif isinstance(value, numbers.Real) and float(value).is_integer():
        out = int(value)
    elif isinstance(value, numbers.Real):
        fail(name, "be a whole number (a count)", value)
    else:
        fail(name, "be a non-negative integer count", type(value).__name__, error=TypeError)
    if out < 0:
        fail(name, "be >= 0", out)
    if out > 2**53:
        fail(name, "be at most 2**53 (exact as a float64)", f"{out:.3g}")
    return out


def as_nonnegative_int(value: object, name: str) -> int:
    """Return `value` as an int >= 0 (a number of iterations where 0 is meaningful)."""
    return as_count(value, name)


def as_positive_int(value: object, name: str, *, minimum: int = 1) -> int:
    """Return `value` as an int >= ``minimum`` (>= 1): a size, a number of steps."""
    if minimum < 1:  # a programming error of the caller, not of the user
        raise ValueError(f"`minimum` must be >= 1; got {minimum}. Use as_nonnegative_int.")
    out = as_count(value, name)
    if out < minimum:
        fail(name, f"be >= {minimum}", out)
    return out


def _memory_bytes() -> int:
    """Physical memory of this machine, in bytes (a generous fallback where unknown)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 2**36


def check_allocation(shape: Sequence[int], names: str | Sequence[str], what: str) -> None:
    """Check that a float64 array of ``shape``, sized by the arguments ``names``, fits in memory.

    This replaces a fixed cap on sizes: the rule is the formula's own output size
    against this machine's physical memory.
    """
    n_values = 1
    for dim in shape:
        n_values *= int(dim)
    n_bytes = 8 * n_values
    limit = _memory_bytes()
    if n_bytes > limit:
        fail(
            names,
            f"give {what} that fits in memory ({limit / 2**30:.3g} GiB here)",
            f"shape {tuple(int(d) for d in shape)}, {n_bytes / 2**30:.3g} GiB",
            "Use smaller sizes.",
        )


def check_representable(
    value: object, names: str | Sequence[str], what: str, remedy: str = "Rescale the inputs."
):
    """Check that a computed result is finite: the math gave a number float64 can hold.

    Call it on a result computed under ``np.errstate(over="ignore", invalid="ignore")``:
    an overflow there becomes inf or NaN, and this turns it into an error that names
    the arguments the formula combined.
    """
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].ravel()[:3].tolist() if arr.ndim else float(arr)
        fail(names, f"give {what} within the float64 range (about 1.8e308)", bad, remedy)
    return value


def check_result_scale(value: object, names: str | Sequence[str], what: str) -> None:
    """Check that a fitted scale is a normal positive float64 that every consumer accepts."""
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr) & (arr >= TINY)):
        fail(
            names,
            f"give {what} that is a normal float64 (between {TINY:.3g} and {HUGE:.3g})",
            _describe(arr),
            "Rescale the data.",
        )


def as_pair(value: object, name: str, description: str, *, length: int = 2) -> tuple:
    """Check that `value` is a tuple, list or 1-D array of exactly ``length`` entries."""
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = tuple(value.tolist())
    if not isinstance(value, (tuple, list)) or len(value) != length:
        got = f"{len(value)} entries" if isinstance(value, (tuple, list)) else repr(value)
        fail(name, f"be {description}", got, error=TypeError)
    return tuple(value)


def as_probability(value: object, name: str) -> float:
    """Return `value` as a float in the closed interval [0, 1]."""
    out = as_scalar(value, name)
    if not 0.0 <= out <= 1.0:
        fail(name, "be a probability in [0, 1]", out)
    return out


def check_probability_array(arr: np.ndarray, name: str) -> np.ndarray:
    """Check that every entry of a float array lies in [0, 1]."""
    bad = (arr < 0) | (arr > 1)
    if np.any(bad):
        fail(name, "contain probabilities in [0, 1]", _describe(arr[bad][:3]))
    return arr


def check_rows_sum_to_one(arr: np.ndarray, name: str) -> np.ndarray:
    """Check that each row (last axis) of a probability array sums to 1.

    The one tolerance of the library: ``SUM_TOL`` per entry summed.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowing sum is not 1 either
        sums = arr.sum(axis=-1)
    bad = ~np.isfinite(sums) | (np.abs(sums - 1.0) > SUM_TOL * max(1, arr.shape[-1]))
    if np.any(bad):
        fail(
            name,
            "sum to 1" if arr.ndim == 1 else "have rows that sum to 1",
            f"sums {_describe(np.atleast_1d(sums)[np.atleast_1d(bad)][:3])}",
            "Normalise with p / p.sum(axis=-1, keepdims=True).",
        )
    return arr


def check_same_length(a: np.ndarray, name_a: str, b: np.ndarray, name_b: str) -> None:
    """Check that two arrays have the same number of rows."""
    if a.shape[0] != b.shape[0]:
        fail([name_a, name_b], "have the same length", f"{a.shape[0]} and {b.shape[0]}")


def check_shape(
    arr: np.ndarray, name: str, shape: tuple, meaning: str = "", *, against: Sequence[str] = ()
) -> np.ndarray:
    """Check that an array has exactly ``shape``.

    ``against`` names the arguments that set the shape: the message then names them too
    (a grid of the wrong size is as likely to be the mistake as the values on it).
    """
    if arr.shape != tuple(shape):
        rule = f"have shape {tuple(shape)}" + (f" ({meaning})" if meaning else "")
        if against:
            fail([name, *against], f"fit together: `{name}` must {rule}", f"shape {arr.shape}")
        fail(name, rule, f"shape {arr.shape}")
    return arr


def check_callable(func: object, name: str) -> None:
    """Check that `func` can be called."""
    if not callable(func):
        fail(name, "be callable", type(func).__name__, error=TypeError)


def call_finite(
    func, arg, name: str, shape: tuple, context: str = "", remedy: str = ""
) -> np.ndarray:
    """Call a user callback and check that it returns a finite float array of ``shape``.

    The callback runs with numpy's overflow and invalid-operation warnings silenced:
    what it returns is checked here instead, and a NaN or inf becomes an error naming it.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = np.asarray(func(arg), dtype=float)
    if out.shape != tuple(shape):
        fail(name, f"return shape {tuple(shape)}", f"shape {out.shape}")
    if not np.all(np.isfinite(out)):
        bad = int(np.sum(~np.isfinite(out)))
        fail(
            name,
            "return finite values" + (f" {context}" if context else ""),
            f"{bad} non-finite value(s) such as {out[~np.isfinite(out)].ravel()[0]}",
            remedy,
        )
    return out


def check_choice(value: object, name: str, choices: Sequence[str]) -> str:
    """Check that `value` is one of the given strings."""
    if not isinstance(value, str) or value not in choices:
        options = " or ".join(f'"{c}"' for c in choices)
        fail(name, f"be {options}", repr(value))
    return value


def check_direction(direction: object) -> str:
    """Check a KL direction: the string "forward" or "reverse"."""
    return check_choice(direction, "direction", ("forward", "reverse"))


def check_rng(rng: object, name: str = "rng") -> np.random.Generator:
    """Check that `rng` is a numpy Generator (np.random.default_rng(seed))."""
    if not isinstance(rng, np.random.Generator):
        fail(
            name,
            "be a numpy Generator",
            type(rng).__name__,
            "Create one with np.random.default_rng(seed).",
            error=TypeError,
        )
    return rng


def safe_scale(arr: np.ndarray) -> float:
    """Largest absolute entry, or 1.0 for an all-zero array: a divisor that prevents overflow."""
    c = float(np.max(np.abs(arr))) if arr.size else 0.0
    return c if c > 0 else 1.0


def mean_and_std(arr: np.ndarray) -> tuple[float, float]:
    """Mean and (ddof=0) standard deviation of all entries, without overflow near 1.8e308.

    Deviations from the first entry are averaged (the shifted-data algorithm, exact
    for large offsets) on the scale of the largest deviation, so nothing is squared
    outside [-1, 1]. Data whose deviations themselves overflow are divided by their
    largest entry first.
    """
    x0 = float(arr.flat[0])
    with np.errstate(over="ignore", invalid="ignore"):
        d = arr - x0
    if not np.all(np.isfinite(d)):
        x0, d = 0.0, arr
    c = safe_scale(d)
    u = d / c
    mu = float(u.mean())
    return x0 + mu * c, c * float(np.sqrt(np.mean((u - mu) ** 2)))


# --- The presentation layer: what a figure can draw ------------------------------------


def check_axes(ax: object) -> None:
    """Check that `ax` is None or a matplotlib Axes (matplotlib is imported only here)."""
    if ax is None:
        return
    from matplotlib.axes import Axes  # only plots call this; numerics never load matplotlib

    if not isinstance(ax, Axes):
        fail("ax", "be a matplotlib Axes or None", type(ax).__name__, error=TypeError)


def check_mapping(value: object, name: str, what: str) -> Mapping:
    """Return `value` if it is a non-empty mapping of legend label (str) -> `what`."""
    if not isinstance(value, Mapping):
        fail(name, f"be a mapping of label -> {what}", type(value).__name__, error=TypeError)
    if not value:
        fail(name, f"be a non-empty mapping of label -> {what}", "an empty mapping")
    for label in value:
        if not isinstance(label, str):
            fail(name, "have string labels (they go in the legend)", repr(label), error=TypeError)
    return value


def as_text(value: object, name: str) -> str:
    """Return `value` if it is a string (a title, an axis label, a legend label)."""
    if not isinstance(value, str):
        fail(name, "be a string", type(value).__name__, error=TypeError)
    return value


def as_flag(value: object, name: str) -> bool:
    """Return `value` if it is a boolean (True or False)."""
    if not isinstance(value, (bool, np.bool_)):
        fail(name, "be True or False", type(value).__name__, error=TypeError)
    return bool(value)


def check_drawable(value: object, names: str | Sequence[str], what: str) -> np.ndarray:
    """Check that coordinates a figure draws are finite and at most ``DRAWABLE`` in size.

    Call it on values computed under ``np.errstate(over="ignore", invalid="ignore")``
    (a mean plus 4.5 standard deviations, a density times a weight): an overflow there
    becomes inf, and this turns it into an error naming the arguments that produced it.
    """
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | (np.abs(arr) > DRAWABLE)
    if np.any(bad):
        fail(
            names,
            f"give {what} within the range a figure can draw (|value| <= {DRAWABLE:.2g})",
            _describe(arr[bad][:3]) if arr.ndim else repr(float(arr)),
            "Rescale the values before plotting.",
        )
    return arr


def check_span(lo: float, hi: float, names: str | Sequence[str], what: str) -> tuple[float, float]:
    """Check a plotted range: both ends drawable and ``lo < hi`` after rounding."""
    check_drawable([lo, hi], names, what)
    if not lo < hi:
        fail(
            names,
            f"give {what} of positive width (low < high after float64 rounding)",
            f"({lo!r}, {hi!r})",
        )
    return float(lo), float(hi)


def as_limits(value: object, name: str) -> tuple[float, float]:
    """Return axis limits: a (low, high) pair of drawable numbers with low < high."""
    lo, hi = (as_scalar(v, name) for v in as_pair(value, name, "a (low, high) pair"))
    if not lo < hi:
        fail(name, "be an increasing (low, high) pair", f"({lo}, {hi})")
    return check_span(lo, hi, name, "limits")


def as_mean_std(value: object, name: str) -> tuple[float, float]:
    """Return a (mean, std) pair of a Gaussian: a finite mean and a scale std."""
    mean, std = as_pair(value, name, "a (mean, std) pair")
    return as_scalar(mean, name), as_scale(std, name)


def check_same_size(arrays: Mapping[str, np.ndarray], meaning: str = "") -> None:
    """Check that 1-D arrays given by name have the same number of entries."""
    sizes = [np.asarray(a).size for a in arrays.values()]
    if len(set(sizes)) > 1:
        fail(
            list(arrays),
            "have the same length" + (f" ({meaning})" if meaning else ""),
            ", ".join(str(n) for n in sizes[:-1]) + f" and {sizes[-1]}",
        )


def check_length(
    arr: np.ndarray, name: str, length: int, meaning: str = "", *, against: Sequence[str] = ()
) -> np.ndarray:
    """Check that an array has exactly ``length`` entries (set by the arguments ``against``)."""
    if arr.size != length:
        rule = f"have {length} entr{'y' if length == 1 else 'ies'}"
        rule += f" ({meaning})" if meaning else ""
        if against:
            fail([name, *against], f"fit together: `{name}` must {rule}", arr.size)
        fail(name, rule, arr.size)
    return arr
