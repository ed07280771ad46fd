"""The fits on data they cannot identify (not a test): bench/python/scale.py's uniform file
(`SCALE_SHAPE=uniform`: purchases on uniformly random days, no drop-out) of each given size,
one partition, through `crmlens.customer_value`; prints the model's timings (ms), the BG/NBD
and Gamma-Gamma evaluation counts, the warnings and BG/NBD's diagnostic. Usage (in the venv of
scripts/setup-python.sh, wheel built):

    python bench/python/uniform_fit.py 16000 48000 1000000
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ["SCALE_SHAPE"] = "uniform"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import crmlens  # noqa: E402
import scale  # noqa: E402

for rows in map(int, sys.argv[1:] or ["16000", "48000"]):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "uniform.csv"
        scale.generate(p, rows)
        lines = p.read_text().splitlines()
    s = crmlens.CustomerSummary.update(crmlens.Lines(lines[1:], lines[0]), part=0, **scale.COLS)
    t = time.perf_counter()
    m = crmlens.customer_value(s, **scale.FIT).model
    gg = m["gammaGamma"] or {}
    print(rows, f"{time.perf_counter() - t:.2f} s", m["timings"], "customers", m["bgNbd"]["customers"],
          "evaluations", m["bgNbd"]["evaluations"], gg.get("evaluations"), [w["code"] for w in m["warnings"]],
          m["bgNbd"]["diagnostic"], sep=" | ")
