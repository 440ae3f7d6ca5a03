"""Measured speed of lessonlib and of the book: run ``python -m benchmarks``.

See :mod:`benchmarks.__main__` for the command line and ``BENCHMARKS.md`` for the
latest results.
"""
