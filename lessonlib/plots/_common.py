"""What every figure of the book shares: the Axes helper, the series styles, mapping checks.

The colours, line styles and markers of a figure's curves are declared here once;
each plot function picks the i-th series style with :func:`series_colour`,
:func:`series_linestyle` and :func:`series_marker`. Data and reference lines use
their own fixed colours (sky for data, black for the truth), so they never
collide with a series.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from lessonlib._validation import check_axes, check_mapping
from lessonlib.style import PALETTE

__all__ = [
    "SERIES_COLOURS",
    "LINESTYLES",
    "MARKERS",
    "series_colour",
    "series_linestyle",
    "series_marker",
    "get_axes",
    "check_mapping",
]

#: Colours of the curves of one figure, in order (sky and black are kept for data and truth).
SERIES_COLOURS: tuple[str, ...] = (
    PALETTE["vermillion"],
    PALETTE["blue"],
    PALETTE["green"],
    PALETTE["purple"],
    PALETTE["orange"],
)
#: Line styles of the curves of one figure, in order.
LINESTYLES: tuple[str, ...] = ("-", "--", "-.", ":")
#: Markers of the point series of one figure, in order.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D")


def series_colour(i: int) -> str:
    """Return the colour of the i-th curve of a figure (cycling)."""
    return SERIES_COLOURS[i % len(SERIES_COLOURS)]


def series_linestyle(i: int) -> str:
    """Return the line style of the i-th curve of a figure (cycling)."""
    return LINESTYLES[i % len(LINESTYLES)]


def series_marker(i: int) -> str:
    """Return the marker of the i-th point series of a figure (cycling)."""
    return MARKERS[i % len(MARKERS)]


def get_axes(ax: Axes | None) -> Axes:
    """Return `ax`, or the Axes of a new figure when it is None."""
    check_axes(ax)
    if ax is None:
        _, ax = plt.subplots()
    return ax
