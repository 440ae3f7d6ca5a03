"""The measurements behind ``python -m benchmarks``.

Every timing is the best of several repeats (the minimum is the least noisy
estimate of what the code costs; slower runs measure other load on the machine).
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from lessonlib import em, priors

ROOT = Path(__file__).resolve().parent.parent


def best_time(func: Callable[[], object], repeats: int) -> float:
    """Return the smallest wall time (seconds) of `repeats` calls of `func`."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def _mixture_sample(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    centres = np.linspace(-2.0 * k, 2.0 * k, k)
    return rng.normal(
        centres[rng.integers(0, k, n)], 1.0 + 0.2 * np.arange(k)[rng.integers(0, k, n)]
    )


def bench_em(
    sizes: Sequence[int], components: Sequence[int], n_iter: int, repeats: int
) -> list[dict]:
    """Time `fit_gmm_1d` and scikit-learn's GaussianMixture from the same start."""
    from sklearn.mixture import GaussianMixture

    rows = []
    for n in sizes:
        for k in components:
            x = _mixture_sample(n, k, np.random.default_rng(n + k))
            means = np.linspace(x.min(), x.max(), k + 2)[1:-1]
            stds = np.full(k, np.sqrt(x.var() / k))
            weights = np.full(k, 1.0 / k)

            def ours():
                return em.fit_gmm_1d(x, weights, means, stds, max_iter=n_iter, tol=0)

            def theirs():
                model = GaussianMixture(
                    k,
                    max_iter=n_iter,
                    tol=0.0,
                    reg_covar=0.0,
                    weights_init=weights,
                    means_init=means[:, None],
                    precisions_init=(1.0 / stds**2)[:, None, None],
                )
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # tol=0 never "converges"
                    return model.fit(x[:, None])

            t_ours = best_time(ours, repeats)
            t_sk = best_time(theirs, repeats)
            fit, model = ours(), theirs()
            ll_sk = model.score(x[:, None]) * n
            rows.append(
                {
                    "n": n,
                    "k": k,
                    "ours_ms": 1e3 * t_ours / n_iter,
                    "sklearn_ms": 1e3 * t_sk / n_iter,
                    "speedup": t_sk / t_ours,
                    "loglik_rel_diff": abs(fit.loglik - ll_sk) / abs(ll_sk),
                }
            )
    return rows


def bench_regression(shapes: Sequence[tuple[int, int]], repeats: int) -> list[dict]:
    """Time ridge_map / lasso_map and scikit-learn's Ridge / Lasso on the same problems."""
    from sklearn.linear_model import Lasso, Ridge

    rows = []
    for n, d in shapes:
        rng = np.random.default_rng(n * 1000 + d)
        X = rng.normal(size=(n, d))
        w = np.where(rng.random(d) < 0.3, rng.normal(0, 2, d), 0.0)
        y = X @ w + rng.normal(size=n)
        noise_var, prior_var, scale = 1.0, 0.5, 0.02
        lam_l1 = noise_var / scale
        cases = [
            (
                "ridge",
                lambda: priors.ridge_map(X, y, noise_var, prior_var),
                lambda: Ridge(alpha=noise_var / prior_var, fit_intercept=False).fit(X, y).coef_,
            ),
            (
                "lasso",
                lambda: priors.lasso_map(X, y, noise_var, scale, tol=1e-10),
                lambda: (
                    Lasso(alpha=lam_l1 / n, fit_intercept=False, tol=1e-10, max_iter=100_000)
                    .fit(X, y)
                    .coef_
                ),
            ),
        ]
        for name, ours, theirs in cases:
            rows.append(
                {
                    "method": name,
                    "n": n,
                    "d": d,
                    "ours_ms": 1e3 * best_time(ours, repeats),
                    "sklearn_ms": 1e3 * best_time(theirs, repeats),
                    "max_coef_diff": float(np.max(np.abs(ours() - theirs()))),
                }
            )
    for row in rows:
        row["speedup"] = row["sklearn_ms"] / row["ours_ms"]
    return rows


_EXECUTED = re.compile(r"chapters/(\S+)\.md: Executed notebook in ([0-9.]+) seconds")


def _build(src: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        ["jupyter-book", "build", str(src), "-W", "--keep-going"],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"the book build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed, proc.stdout + proc.stderr


def bench_book() -> dict:
    """Cold build, warm rebuild and prose-only rebuild of a scratch copy of the book."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "book"
        shutil.copytree(
            ROOT,
            src,
            ignore=shutil.ignore_patterns(
                "_build", ".git", ".pytest_cache", ".hypothesis", "*.egg-info"
            ),
        )
        cold, cold_log = _build(src)
        warm, warm_log = _build(src)
        chapter = src / "chapters" / "01_mle.md"
        text = chapter.read_text()
        marker = "Most of machine learning fits a model by minimizing a loss"
        if marker not in text:
            raise RuntimeError("the prose-edit benchmark could not find its sentence in Chapter 1")
        chapter.write_text(
            text.replace(marker, "Much of machine learning fits a model by minimizing a loss", 1)
        )
        prose, prose_log = _build(src)
        html = src / "_build" / "html"
        pages = {p.relative_to(html).as_posix(): p.stat().st_size for p in html.rglob("*.html")}
        total = sum(p.stat().st_size for p in html.rglob("*") if p.is_file())
    largest = max(pages, key=pages.get)
    return {
        "cold_s": cold,
        "warm_s": warm,
        "prose_s": prose,
        "chapter_exec_s": {name: float(sec) for name, sec in _EXECUTED.findall(cold_log)},
        "warm_executed": _EXECUTED.findall(warm_log),
        "prose_executed": _EXECUTED.findall(prose_log),
        "html_total_mb": total / 1e6,
        "largest_page": largest,
        "largest_page_mb": pages[largest] / 1e6,
    }


def bench_tests() -> float:
    """Wall time of the README's test command (needs a built book in ROOT/_build)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "tests",
            "chapters",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"the test command failed:\n{proc.stdout[-3000:]}")
    return time.perf_counter() - start


def machine() -> str:
    """One line describing where the numbers were measured."""
    import sklearn

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPU cores ({cpu}), Python {platform.python_version()}, "
        f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, {platform.system()}"
    )


def _lesson_moves(
    rng: np.random.Generator,
) -> dict[str, tuple[object, Callable[[object, int], None]]]:
    """Each live lesson (as a learner opens it in JupyterLab) and one control move."""
    from lessonlib import widgets

    x = _mixture_sample(400, 2, rng)
    box_mle = widgets.mle_sampling_widget(seed=1)
    box_beta = widgets.beta_posterior_widget()
    box_em = widgets.em_step_widget(x, [0.5, 0.5], [-0.5, 0.8], [1.0, 1.0])
    box_elbo = widgets.elbo_widget(x[:8], 1.0, 0.0, 2.0)
    box_kl = widgets.kl_fits_widget()

    def slide(box, name, values):
        def move(_box, i):
            box.controls[name].value = values[i % len(values)]

        return move

    return {
        "Ch1 MLE sampling (n slider)": (box_mle, slide(box_mle, "n_flips", [3, 30, 300])),
        "Ch2 Beta posterior (heads slider)": (box_beta, slide(box_beta, "heads", [0, 7, 30])),
        "Ch3 EM (Step button)": (
            box_em,
            lambda box, i: box.controls["step" if i % 8 else "reset"].click(),
        ),
        "Ch4 ELBO (q mean slider)": (box_elbo, slide(box_elbo, "q_mean", [-1.0, 0.0, 1.0])),
        "Ch5 KL fits (separation slider)": (box_kl, slide(box_kl, "separation", [2.0, 4.0, 6.0])),
    }


def bench_widgets(moves: int) -> list[dict]:
    """Kernel-side latency of one control move of each live lesson (redraw included)."""
    import time

    from lessonlib.style import use_style

    use_style()
    rows = []
    for name, (box, move) in _lesson_moves(np.random.default_rng(0)).items():
        move(box, 0)  # warm up: first layout, caches
        times = []
        for i in range(1, moves + 1):
            start = time.perf_counter()
            move(box, i)
            times.append(time.perf_counter() - start)
        ms = 1000 * np.array(times)
        rows.append({"lesson": name, "median_ms": np.median(ms), "p95_ms": np.percentile(ms, 95)})
    return rows
