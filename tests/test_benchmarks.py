"""A tiny run of the benchmark entry point, so it never rots (no timing is asserted)."""

import re

from benchmarks.__main__ import main


def test_benchmark_smoke_run(tmp_path, capsys):
    out = tmp_path / "bench.md"
    main(["--quick", "--no-book", "--output", str(out)])
    text = out.read_text()
    assert text == capsys.readouterr().out.rstrip("\n") + "\n"
    assert "## EM for 1-D Gaussian mixtures" in text and "## MAP regression" in text
    em_rows = re.findall(r"^\| 2,000 \| \d \|.*\| ([0-9.e+-]+) \|$", text, flags=re.M)
    assert len(em_rows) == 2 and all(float(diff) < 1e-9 for diff in em_rows)
    assert re.search(r"^\| lasso \| 100 \| 10 \|", text, flags=re.M)
    assert len(re.findall(r"^\| Ch\d .* \| \d+ \| \d+ \|$", text, flags=re.M)) == 5
