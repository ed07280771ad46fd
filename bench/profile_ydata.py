"""ydata-profiling side of bench/profile.mjs: pandas read_csv + ProfileReport(minimal=True).

    /tmp/venv-profile-ydata/bin/python bench/profile_ydata.py --file F [--runs 1]

Prints one JSON line: versions and the median seconds of reading and of profiling (the
report's description computed and rendered to JSON, which is where the work happens).
"""

import argparse
import json
import statistics
import time
from importlib import metadata

import pandas as pd
from ydata_profiling import ProfileReport

ap = argparse.ArgumentParser()
ap.add_argument("--file", required=True)
ap.add_argument("--runs", type=int, default=1)
a = ap.parse_args()

read, prof = [], []
for _ in range(a.runs):
    t0 = time.perf_counter()
    df = pd.read_csv(a.file)
    t1 = time.perf_counter()
    rep = ProfileReport(df, minimal=True, progress_bar=False)
    rep.to_json()
    t2 = time.perf_counter()
    read.append(t1 - t0)
    prof.append(t2 - t1)
print(
    json.dumps(
        {
            "ydata": metadata.version("ydata-profiling"),
            "pandas": metadata.version("pandas"),
            "read_s": statistics.median(read),
            "profile_s": statistics.median(prof),
            "rows": len(df),
            "columns": len(df.columns),
        }
    )
)
