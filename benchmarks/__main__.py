"""Run the benchmarks and write the results as a markdown report.

Usage::

    python -m benchmarks                # everything (about 10 minutes on 2 cores)
    python -m benchmarks --no-book      # library timings only
    python -m benchmarks --quick --no-book --output /tmp/b.md   # tiny smoke run

The report goes to ``BENCHMARKS.md`` at the repository root unless ``--output``
says otherwise, and is also printed.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from benchmarks import core


def _table(rows: list[dict], columns: list[tuple[str, str, str]]) -> str:
    head = "| " + " | ".join(title for _, title, _ in columns) + " |"
    rule = "|" + "|".join("---:" for _ in columns) + "|"
    body = [
        "| " + " | ".join(format(row[key], fmt) for key, _, fmt in columns) + " |" for row in rows
    ]
    return "\n".join([head, rule, *body])


def report(quick: bool, with_book: bool) -> str:
    """Run every benchmark and return the markdown report."""
    if quick:
        em_rows = core.bench_em([2_000], [2, 3], n_iter=3, repeats=1)
        reg_rows = core.bench_regression([(100, 10)], repeats=1)
    else:
        em_rows = core.bench_em([10_000, 100_000, 1_000_000], [2, 3, 5], n_iter=10, repeats=3)
        reg_rows = core.bench_regression([(200, 20), (2_000, 100), (20_000, 200)], repeats=3)
    widget_rows = core.bench_widgets(moves=4 if quick else 60)
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.date.today().isoformat()} on: {core.machine()}.",
        "Reproduce with `python -m benchmarks` (add `--no-book` for the library timings only).",
        "Times are the best of several repeats.",
        "",
        "## EM for 1-D Gaussian mixtures: `lessonlib.em.fit_gmm_1d` vs scikit-learn",
        "",
        "Same data, same starting parameters, fixed number of iterations (scikit-learn with",
        "`tol=0`, `reg_covar=0`); the last column compares the final total log-likelihoods.",
        "",
        _table(
            em_rows,
            [
                ("n", "n", ","),
                ("k", "k", "d"),
                ("ours_ms", "lessonlib ms/iter", ".2f"),
                ("sklearn_ms", "scikit-learn ms/iter", ".2f"),
                ("speedup", "speed-up", ".1f"),
                ("loglik_rel_diff", "log-lik. rel. diff.", ".1e"),
            ],
        ),
        "",
        "## MAP regression: `ridge_map` / `lasso_map` vs scikit-learn `Ridge` / `Lasso`",
        "",
        _table(
            reg_rows,
            [
                ("method", "method", "s"),
                ("n", "n", ","),
                ("d", "d", "d"),
                ("ours_ms", "lessonlib ms", ".2f"),
                ("sklearn_ms", "scikit-learn ms", ".2f"),
                ("speedup", "speed-up", ".2f"),
                ("max_coef_diff", "max coef. diff.", ".1e"),
            ],
        ),
    ]
    lines += [
        "",
        "## Live lessons in JupyterLab: one control move, redraw included",
        "",
        "Kernel-side time from a control's new value to the new figure in the output",
        "(targets: median <= 100 ms, 95th percentile <= 200 ms). A running kernel also waits",
        "30 ms for further moves before it renders, so a burst of clicks renders once.",
        "",
        _table(
            widget_rows,
            [
                ("lesson", "lesson", "s"),
                ("median_ms", "median ms", ".0f"),
                ("p95_ms", "p95 ms", ".0f"),
            ],
        ),
    ]
    if with_book:
        book = core.bench_book()
        tests = core.bench_tests()
        chapters = [
            {"chapter": name, "seconds": sec}
            for name, sec in sorted(book["chapter_exec_s"].items())
        ]
        lines += [
            "",
            "## The book",
            "",
            "| measurement | value |",
            "|---|---:|",
            f"| cold build (no `_build`, no cache) | {book['cold_s']:.1f} s |",
            f"| warm rebuild (nothing changed) | {book['warm_s']:.1f} s |",
            f"| rebuild after a prose-only edit of Chapter 1 | {book['prose_s']:.1f} s |",
            f"| notebooks executed by the warm / prose-only rebuilds | "
            f"{len(book['warm_executed'])} / {len(book['prose_executed'])} |",
            f"| full test command (`python -m pytest --nbval tests chapters`) | {tests:.1f} s |",
            f"| total size of `_build/html` | {book['html_total_mb']:.1f} MB |",
            f"| largest page | `{book['largest_page']}`, {book['largest_page_mb']:.2f} MB |",
            "",
            "Execution time of each chapter in the cold build:",
            "",
            _table(chapters, [("chapter", "chapter", "s"), ("seconds", "seconds", ".1f")]),
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a smoke run)")
    parser.add_argument("--no-book", action="store_true", help="skip the build and test timings")
    parser.add_argument("--output", type=Path, default=core.ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    text = report(quick=args.quick, with_book=not args.no_book)
    args.output.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
