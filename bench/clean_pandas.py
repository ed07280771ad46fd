"""pandas side of bench/clean.mjs: the same cleaning steps as the crmlens plan there.

    /tmp/venv-profile-ydata/bin/python bench/clean_pandas.py --file F [--runs 3]

Prints one JSON line: the pandas version, the median seconds of the cleaning (read_csv not
included) and the rows left.
"""

import argparse
import json
import statistics
import time
from importlib import metadata

import pandas as pd

ap = argparse.ArgumentParser()
ap.add_argument("--file", required=True)
ap.add_argument("--runs", type=int, default=3)
a = ap.parse_args()
raw = pd.read_csv(a.file)


def clean(df):
    df = df.copy()
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = df[c].str.strip().str.replace(r"\s+", " ", regex=True)
    df["country"] = df["country"].str.lower()
    e = df["email"].str.strip().str.lower().str.replace(r"^mailto:", "", regex=True)
    df["email"] = e.str.replace(" ", "", regex=False)
    df["age"] = df["age"].fillna(df["age"].median())
    df["revenue"] = df["revenue"].fillna(df["revenue"].mean())
    df["country"] = df["country"].fillna(df["country"].mode().iloc[0])
    q1, q3 = df["revenue"].quantile([0.25, 0.75])
    iqr = q3 - q1
    df["revenue_outlier"] = (df["revenue"] < q1 - 1.5 * iqr) | (df["revenue"] > q3 + 1.5 * iqr)
    return df.drop_duplicates()


times = []
for _ in range(a.runs):
    t0 = time.perf_counter()
    out = clean(raw)
    times.append(time.perf_counter() - t0)
print(json.dumps({"pandas": metadata.version("pandas"), "clean_s": statistics.median(times), "rows": len(out)}))
