"""lessonlib.report: prose values read the same in the book build and in JupyterLab."""

import math

import pytest

from lessonlib import report


@pytest.mark.parametrize(
    ("value", "spec"), [(math.pi, ".3f"), (12345.678, ".2e"), (7, ""), (0.5, ".0%")]
)
def test_prose_value_shows_python_format_of_the_value(value, spec):
    # oracle: Python's own format(value, spec) and str(value)
    shown = report.prose_value("shown_value", value, spec)
    assert repr(shown) == str(shown) == (format(value, spec) if spec else str(value))
    assert shown.value == value and shown.spec == spec
    assert isinstance(report.ProseValue(value, spec), report.ProseValue)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: report.prose_value("1x", 1.0), ValueError, "`name` must be a Python name"),
        (lambda: report.prose_value(3, 1.0), TypeError, "`name` must be a string"),
        (lambda: report.prose_value("x", 1.0, 5), TypeError, "`spec` must be a string"),
        (lambda: report.prose_value("x", "abc", ".3f"), ValueError, "`spec` and `value` must"),
        (lambda: report.prose_value("x", float("nan")), ValueError, "`value` must be a number"),
        (lambda: report.ProseValue(1.0, ".q"), ValueError, "`spec` and `value` must fit"),
    ],
)
def test_prose_value_rejects_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
