"""Argument checks shared by every public function of lessonlib.

Each public function validates its inputs once, here, and then works on clean
float arrays. Messages follow one template: "`name` must <rule>; got <value>."
followed by a remedy where one exists.
"""

from __future__ import annotations

import numbers

import numpy as np


def _describe(value: object) -> str:
    """Return a short description of an offending value for an error message."""
    if isinstance(value, np.ndarray):
        if value.size <= 6:
            return np.array2string(value, separator=", ")
        return f"an array of shape {value.shape}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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
        raise TypeError(f"`{name}` must be an array of numbers; got {type(value).__name__}.")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise TypeError(f"`{name}` must be a rectangular array of numbers; {exc}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"`{name}` must be an array of real numbers; got dtype {arr.dtype}.")
    arr = arr.astype(np.float64, copy=False)
    if ndim is not None and arr.ndim != ndim:
        shape = "a scalar" if arr.ndim == 0 else f"shape {arr.shape}"
        raise ValueError(f"`{name}` must be {ndim}-D; got {shape}.")
    if arr.size < min_size:
        raise ValueError(
            f"`{name}` must have at least {min_size} element{'s' if min_size > 1 else ''}; "
            f"got {arr.size}."
        )
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(
            f"`{name}` must contain only finite numbers (no NaN or inf); "
            f"found {int(np.sum(~np.isfinite(arr)))} non-finite value(s). "
            "Drop or impute missing values first."
        )
    _check_magnitude(arr, name)
    return arr


#: Largest magnitude accepted for any real input. Squares and ratios of such numbers
#: stay far from float64 overflow (about 1.8e308), so no computation returns inf or NaN
#: by accident; anything larger is almost surely a units mistake.
MAX_MAGNITUDE = 1e60


def _check_magnitude(arr: np.ndarray, name: str) -> None:
    if arr.size and np.nanmax(np.abs(arr), initial=0.0) > MAX_MAGNITUDE:
        raise ValueError(
            f"`{name}` must be at most {MAX_MAGNITUDE:.0e} in absolute value (larger numbers "
            "overflow when squared); rescale the data."
        )


def as_scalar(value: object, name: str) -> float:
    """Return `value` as a finite Python float, rejecting arrays, strings and booleans."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.ndarray)):
        raise TypeError(f"`{name}` must be a real number; got {type(value).__name__}.")
    arr = np.asarray(value)
    if arr.ndim != 0:
        raise TypeError(f"`{name}` must be a single number; got an array of shape {arr.shape}.")
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"`{name}` must be a real number; got dtype {arr.dtype}.")
    out = float(arr)
    if not np.isfinite(out):
        raise ValueError(f"`{name}` must be finite; got {out}.")
    _check_magnitude(np.asarray(out), name)
    return out


def as_positive_scalar(value: object, name: str) -> float:
    """Return `value` as a float after checking it is finite and > 0."""
    out = as_scalar(value, name)
    if out <= 0:
        raise ValueError(f"`{name}` must be > 0; got {out}.")
    return out


def as_tolerance(value: object, name: str = "tol") -> float:
    """Return a stopping tolerance as a float >= 0; 0 means "run exactly max_iter iterations"."""
    out = as_scalar(value, name)
    if out < 0:
        raise ValueError(
            f"`{name}` must be >= 0; got {out}. Use {name}=0 to run exactly `max_iter` iterations."
        )
    return out


def as_positive_array(value: object, name: str) -> np.ndarray:
    """Convert `value` to a finite float array whose entries are all > 0 (scales, stds)."""
    arr = as_float_array(value, name)
    if np.any(arr <= 0):
        raise ValueError(f"`{name}` must be > 0; got {arr[arr <= 0].ravel()[:3].tolist()}.")
    return arr


def as_count(value: object, name: str) -> int:
    """Return `value` as a non-negative Python int (a count of events)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be a non-negative integer count; got a boolean.")
    if isinstance(value, numbers.Integral):
        out = int(value)
    elif isinstance(value, numbers.Real) and float(value).is_integer():
        out = int(value)
    elif isinstance(value, numbers.Real):
        raise ValueError(f"`{name}` must be a whole number (a count); got {value}.")
    else:
        raise TypeError(
            f"`{name}` must be a non-negative integer count; got {type(value).__name__}."
        )
    if out < 0:
        raise ValueError(f"`{name}` must be >= 0; got {out}.")
    if out > 2**53:
        raise ValueError(f"`{name}` must be at most 2**53 (exact as a float); got {out:.3g}.")
    return out


#: Upper bound for sizes that are allocated or looped over (samples, repeats, iterations).
MAX_SIZE = 10**8


def as_positive_int(value: object, name: str, *, minimum: int = 1, maximum: int = MAX_SIZE) -> int:
    """Return `value` as an int in [minimum, maximum] (a size, a number of steps)."""
    out = as_count(value, name)
    if out < minimum:
        raise ValueError(f"`{name}` must be >= {minimum}; got {out}.")
    if out > maximum:
        raise ValueError(
            f"`{name}` must be at most {maximum:,} (larger would exhaust memory or time); "
            f"got {out:,}."
        )
    return out


def as_probability(value: object, name: str) -> float:
    """Return `value` as a float in the closed interval [0, 1]."""
    out = as_scalar(value, name)
    if not 0.0 <= out <= 1.0:
        raise ValueError(f"`{name}` must be a probability in [0, 1]; got {out}.")
    return out


def check_probability_array(arr: np.ndarray, name: str) -> np.ndarray:
    """Check that every entry of a float array lies in [0, 1]."""
    bad = (arr < 0) | (arr > 1)
    if np.any(bad):
        raise ValueError(
            f"`{name}` must contain probabilities in [0, 1]; got {_describe(arr[bad][:3])}."
        )
    return arr


def check_rows_sum_to_one(arr: np.ndarray, name: str, *, atol: float = 1e-8) -> np.ndarray:
    """Check that each row (last axis) of a probability array sums to 1."""
    sums = arr.sum(axis=-1)
    bad = np.abs(sums - 1.0) > atol * max(1, arr.shape[-1])
    if np.any(bad):
        raise ValueError(
            f"`{name}` rows must sum to 1; got sums {_describe(np.atleast_1d(sums)[bad][:3])}. "
            "Normalise with p / p.sum(axis=-1, keepdims=True)."
        )
    return arr


def check_same_length(a: np.ndarray, name_a: str, b: np.ndarray, name_b: str) -> None:
    """Check that two arrays have the same number of rows."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"`{name_a}` and `{name_b}` must have the same length; "
            f"got {a.shape[0]} and {b.shape[0]}."
        )


def check_callable(func: object, name: str) -> None:
    """Check that `func` can be called."""
    if not callable(func):
        raise TypeError(f"`{name}` must be callable; got {type(func).__name__}.")


def check_direction(direction: object) -> str:
    """Check a KL direction: the string "forward" or "reverse"."""
    if not isinstance(direction, str) or direction not in ("forward", "reverse"):
        raise ValueError(f'`direction` must be "forward" or "reverse"; got {direction!r}.')
    return direction


def check_rng(rng: object, name: str = "rng") -> np.random.Generator:
    """Check that `rng` is a numpy Generator (np.random.default_rng(seed))."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"`{name}` must be a numpy Generator; got {type(rng).__name__}. "
            "Create one with np.random.default_rng(seed)."
        )
    return rng
