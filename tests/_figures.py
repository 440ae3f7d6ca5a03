"""Read back what a figure draws, so figure tests assert on the picture rather than on a call.

Oracles for the values live in the tests themselves (closed forms, scipy.stats).
"""

from __future__ import annotations

import re

import numpy as np


def labels(ax) -> list[str]:
    """The legend's texts, in order."""
    legend = ax.get_legend()
    return [] if legend is None else [text.get_text() for text in legend.get_texts()]


def line(ax, label: str):
    """The one Line2D of `ax` with exactly this label."""
    found = [ln for ln in ax.lines if ln.get_label() == label]
    assert len(found) == 1, f"expected one line labelled {label!r}; labels: {line_labels(ax)}"
    return found[0]


def line_labels(ax) -> list[str]:
    return [ln.get_label() for ln in ax.lines]


def xy(artist) -> tuple[np.ndarray, np.ndarray]:
    """x and y data of a Line2D as float arrays."""
    x, y = artist.get_data()
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def fill_top(collection) -> tuple[np.ndarray, np.ndarray]:
    """x and upper y of a ``fill_between`` polygon (its lower edge is y = 0)."""
    (path,) = collection.get_paths()
    v = path.vertices
    n = (len(v) - 3) // 2  # start point, n upper points, end point, n lower points, close
    assert len(v) == 2 * n + 3
    top = v[1 : n + 1]
    return top[:, 0], top[:, 1]


def fill_by_label(ax, label: str):
    found = [c for c in ax.collections if c.get_label() == label]
    assert len(found) == 1, [c.get_label() for c in ax.collections]
    return found[0]


def trapezoid(y: np.ndarray, x: np.ndarray) -> float:
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2)


def normal_pdf(x, mean: float, std: float) -> np.ndarray:
    """N(mean, std**2) density, written out (an oracle independent of lessonlib)."""
    z = (np.asarray(x, dtype=float) - mean) / std
    return np.exp(-0.5 * z**2) / (std * np.sqrt(2 * np.pi))


def vline_x(ax, label: str) -> float:
    """x position of the vertical line (axvline) with this label."""
    x, _ = xy(line(ax, label))
    assert x[0] == x[1]
    return float(x[0])


def hline_y(ax, label: str) -> float:
    _, y = xy(line(ax, label))
    assert y[0] == y[1]
    return float(y[0])


def number_in(text: str) -> float:
    """The last number written in a text (a legend entry such as ``gap = KL = 0.700``)."""
    return float(re.findall(r"-?\d+\.?\d*(?:e-?\d+)?", text)[-1])
