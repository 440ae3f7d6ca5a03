"""The book's single figure style, applied explicitly by each chapter."""

from __future__ import annotations

from importlib import resources

__all__ = ["PALETTE", "STYLE_PATH", "use_style"]

#: Okabe & Ito's palette: distinguishable under the common colour-vision deficiencies.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "purple": "#CC79A7",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: Path of the matplotlib style sheet shipped with lessonlib.
STYLE_PATH = str(resources.files("lessonlib") / "lessonlib.mplstyle")


def use_style() -> None:
    """Apply the book's matplotlib style for the rest of the session.

    Chapters call this once, at the top; plot functions never change global
    settings themselves.

    Examples
    --------
    >>> use_style()
    """
    import matplotlib.pyplot as plt

    plt.style.use(STYLE_PATH)
