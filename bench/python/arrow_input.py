"""Arrow input vs the CSV detour (issue 23, not a test): the same pyarrow table handed to the
wheel (a) as an Arrow IPC stream read by the core's Arrow reader, (b) as CSV written by pyarrow
and parsed by the core's loader (what the wheel did before the core read Arrow), and the file's
lines as crmlens.Lines (c, parsed by the loader). Times CustomerSummary.update and
ProfileState.update per path, paired runs, medians. Usage (venv of scripts/setup-python.sh):

    python bench/python/arrow_input.py [FILE] [RUNS]    # default: ../shared/data CDNOW master, 5

Prints JSON (and the load average).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import crmlens
from crmlens import _native
from crmlens._batch import _csv, _ipc

ROOT = Path(__file__).resolve().parents[2]
CDNOW = ROOT.parent / "shared" / "data" / "cdnow_lifetimes" / "CDNOW_master.txt"


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] else CDNOW
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    head, lines = lines[0], lines[1:]
    table = crmlens.to_arrow(crmlens.Lines(lines, head))
    names = table.column_names
    cols = {"customer": names[0], "date": names[1], "amount": names[-1]}
    cols_json = json.dumps(cols)
    text = "\n".join(lines).encode()
    paths = {
        "arrow_ipc": lambda: ("arrow", _ipc(table), None),
        "csv_detour": lambda: ("csv", _csv(table), None),
        "lines": lambda: ("csv", text, head),
    }
    times = {k: {"summary": [], "profile": []} for k in paths}
    for _ in range(runs):
        for k, enc in paths.items():
            t = time.perf_counter()
            kind, data, h = enc()
            _native.summary_update(kind, data, cols_json, h, None, 0)
            times[k]["summary"].append(time.perf_counter() - t)
            t = time.perf_counter()
            kind, data, h = enc()
            _native.profile_first(kind, data, "{}", h, None, 0)
            times[k]["profile"].append(time.perf_counter() - t)
    out = {"file": str(path), "rows": table.num_rows, "runs": runs, "loadavg": os.getloadavg(),
           "median_s": {k: {w: round(statistics.median(v), 4) for w, v in d.items()} for k, d in times.items()}}
    a = out["median_s"]["arrow_ipc"]
    out["csv_detour_over_arrow"] = {w: round(out["median_s"]["csv_detour"][w] / a[w], 2) for w in a}
    out["lines_over_arrow"] = {w: round(out["median_s"]["lines"][w] / a[w], 2) for w in a}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
