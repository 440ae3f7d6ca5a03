"""Numbers for the prose: formatted once, shown the same in the book and in JupyterLab.

A chapter writes ``{eval}`name``` in its text. In JupyterLab (with jupyterlab-myst)
that evaluates ``name`` in the running kernel and shows its ``repr``; in the book
build, the local Sphinx extension ``_ext/prose_values.py`` shows the value glued
under the same name. :func:`prose_value` makes both agree: it formats the number,
glues it for the build and returns an object whose ``repr`` is the formatted text.
"""

from __future__ import annotations

import numbers
import re

from lessonlib._validation import as_text, fail

__all__ = ["ProseValue", "prose_value"]


class ProseValue:
    """A value with the text the prose shows for it (its ``repr``).

    Parameters
    ----------
    value : object
        The computed value (kept, for asserts).
    spec : str, optional
        A format specification such as ``".3f"`` or ``".0e"``; empty means ``str(value)``.

    Attributes
    ----------
    value : object
        The computed value, unchanged (hidden cells assert on it).
    spec : str
        The format specification.
    text : str
        ``format(value, spec)``: what the prose shows.

    Examples
    --------
    >>> ProseValue(0.123456, ".3f")
    0.123
    """

    __slots__ = ("spec", "text", "value")

    def __init__(self, value: object, spec: str = "") -> None:
        self.spec = _check_text(spec, "spec", identifier=False)
        self.value = value
        try:
            self.text = format(value, spec)
        except (TypeError, ValueError) as exc:
            fail(
                ["spec", "value"],
                "fit together (a format specification that applies to the value)",
                f"spec={spec!r} for a {type(value).__name__} ({exc})",
            )
        if isinstance(value, numbers.Real) and value != value:
            fail("value", "be a number to be shown in the prose", repr(value))

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def _check_text(value: object, name: str, *, identifier: bool) -> str:
    as_text(value, name)
    if identifier and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", value):
        fail(
            name,
            "be a Python name (letters, digits, underscores; a letter first), as the "
            "prose's {eval} role accepts",
            repr(value),
        )
    return value


def prose_value(name: str, value: object, spec: str = "") -> ProseValue:
    """Format `value` for the prose and glue it under `name` for the book build.

    Parameters
    ----------
    name : str
        The name the prose uses in ``{eval}`name```; assign the result to a variable of
        the same name so that JupyterLab finds it.
    value : object
        The computed value.
    spec : str, optional
        A format specification such as ``".3f"``.

    Returns
    -------
    ProseValue
        Its ``repr`` is the formatted text.

    Examples
    --------
    >>> post_mean_txt = prose_value("post_mean_txt", 1.23456, ".2f")
    >>> post_mean_txt
    1.23
    """
    name = _check_text(name, "name", identifier=True)
    shown = ProseValue(value, spec)
    try:
        from myst_nb import glue
    except ImportError:  # a plain Python session: nothing to glue into
        return shown
    glue(name, shown, display=False)
    return shown
