"""Reference figures for crmlens' profile, computed independently with pandas and numpy.

For four real files in ../shared/data (telco, bank, mall, online retail) this reads every
cell as text, marks as missing the cells crmlens reads as missing by default (empty or
whitespace-only, and the tokens of DEFAULT_MISSING in src/io/options.rs), converts a column
to numbers when every non-missing cell is a number (unless listed as text below, where
crmlens keeps it as text: ids with leading zeros, codes that mix letters and digits), parses
the listed datetime columns, and writes per file

    tests/fixtures/profile/<name>.json

with the dataset figures (rows, columns, exact duplicate rows, missing cells), per column
count / missing / distinct / the 20 most frequent values, for numeric columns mean, std,
min, max, sum, skewness, kurtosis (pandas' bias-corrected skew / kurt), zeros, negatives,
quantiles at 0, 1, ..., 100 % (linear interpolation), the 20-bin numpy.histogram, IQR, MAD
and the IQR / MAD outlier counts, text lengths and padded values for text columns, min / max
of datetime columns, Pearson and Spearman for every pair of numeric columns (pairwise
complete; Spearman ranks each column over all its values) and Cramér's V (no bias correction) for every pair of text
columns with 2..50 distinct values.

tests/profile_reference.rs compares crmlens' report against these files.

Run from the repository root (pandas 2.2.3, numpy 2.1.3, Python 3.11):

    python3 -m venv /tmp/venv-profile && /tmp/venv-profile/bin/pip install pandas==2.2.3 numpy==2.1.3
    /tmp/venv-profile/bin/python scripts/reference/profile_pandas_reference.py
"""

import json
import os
from importlib import metadata

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DATA = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
OUT = os.path.join(ROOT, "tests", "fixtures", "profile")

DEFAULT_MISSING = {"", "NA", "N/A", "n/a", "na", "null", "NULL", "Null", "-", "NaN", "nan", "None", "#N/A"}

FILES = {
    "telco": dict(path="telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv", sep=",", text=[], dates={}),
    "bank": dict(path="bank_marketing/bank.csv", sep=";", text=[], dates={}),
    "mall": dict(path="mall_customers/Mall_Customers.csv", sep=",", text=["customer_id"], dates={}),
    "retail": dict(
        path="online_retail_uci_first5000/online_retail_small.csv",
        sep=",",
        text=["InvoiceNo", "StockCode"],
        dates={"InvoiceDate": "%d/%m/%Y %H:%M"},
    ),
}


def num(x):
    """A float for JSON (None for NaN)."""
    x = float(x)
    return None if np.isnan(x) else x


def read(spec):
    raw = pd.read_csv(
        os.path.join(DATA, spec["path"]), sep=spec["sep"], dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    df = pd.DataFrame(index=raw.index)
    kinds = {}
    for name in raw.columns:
        s = raw[name]
        missing = s.str.strip().eq("") | s.isin(DEFAULT_MISSING)
        s = s.where(~missing, None)
        if name in spec["dates"]:
            df[name] = pd.to_datetime(s, format=spec["dates"][name])
            kinds[name] = "datetime"
            continue
        if name not in spec["text"]:
            conv = pd.to_numeric(s, errors="coerce")
            if conv.notna().sum() == s.notna().sum():
                df[name] = conv.astype(float)
                kinds[name] = "numeric"
                continue
        df[name] = s
        kinds[name] = "text"
    return df, kinds


def top(s, n=20):
    vc = s.dropna().value_counts()
    items = sorted(vc.items(), key=lambda kv: (-kv[1], str(kv[0])))[:n]
    return [[num(k) if isinstance(k, float) else str(k), int(c)] for k, c in items]


def numeric_stats(s):
    v = s.dropna().to_numpy()
    q = np.quantile(v, np.linspace(0, 1, 101)) if len(v) else []
    counts, _ = np.histogram(v, bins=20, range=(v.min(), v.max())) if len(v) else ([], None)
    q1, q3, med = np.quantile(v, [0.25, 0.75, 0.5])
    iqr = q3 - q1
    mad = float(np.median(np.abs(v - med)))
    return dict(
        mean=num(v.mean()),
        std=num(s.std()),
        min=num(v.min()),
        max=num(v.max()),
        sum=num(v.sum()),
        skewness=num(s.skew()),
        kurtosis=num(s.kurt()),
        zeros=int((v == 0).sum()),
        negatives=int((v < 0).sum()),
        quantiles=[num(x) for x in q],
        histogram=[int(c) for c in counts],
        iqr=num(iqr),
        mad=mad,
        outliers_iqr=int(((v < q1 - 1.5 * iqr) | (v > q3 + 1.5 * iqr)).sum()) if iqr > 0 else 0,
        outliers_mad=int((0.6745 * np.abs(v - med) / mad > 3.5).sum()) if mad > 0 else None,
    )


def cramers_v(a, b):
    t = pd.crosstab(a, b).to_numpy().astype(float)
    n = t.sum()
    e = np.outer(t.sum(axis=1), t.sum(axis=0)) / n
    chi2 = ((t - e) ** 2 / e).sum()
    k = min(t.shape) - 1
    return float(np.sqrt(chi2 / n / k)) if k > 0 else None


def profile(name, spec):
    df, kinds = read(spec)
    out = dict(
        file=spec["path"],
        rows=len(df),
        columns=len(df.columns),
        duplicate_rows=int(df.duplicated().sum()),
        missing_cells=int(df.isna().sum().sum()),
        column_profiles=[],
        pearson=[],
        spearman=[],
        cramers_v=[],
    )
    for c in df.columns:
        s = df[c]
        p = dict(name=c, kind=kinds[c], count=int(s.notna().sum()), missing=int(s.isna().sum()))
        p["distinct"] = int(s.nunique(dropna=True))
        if kinds[c] == "numeric":
            p["top"] = top(s)
            p.update(numeric_stats(s))
        elif kinds[c] == "datetime":
            p["min"] = s.min().isoformat()
            p["max"] = s.max().isoformat()
        else:
            p["top"] = top(s)
            v = s.dropna()
            lengths = v.str.len()
            p["min_length"] = int(lengths.min())
            p["max_length"] = int(lengths.max())
            p["mean_length"] = float(lengths.mean())
            p["padded"] = int((v.str.strip() != v).sum() - (v.str.strip() == "").sum())
        out["column_profiles"].append(p)
    numeric = [c for c in df.columns if kinds[c] == "numeric"]
    pe = df[numeric].corr(method="pearson")
    # Spearman as crmlens defines it: each column ranked over all its values (ties averaged),
    # then Pearson over pairwise-complete rows. Equal to pandas' corr("spearman") when there
    # are no missing values (pandas ranks within each pair's complete rows).
    sp = df[numeric].rank().corr(method="pearson")
    for i, a in enumerate(numeric):
        for b in numeric[i + 1 :]:
            out["pearson"].append([a, b, num(pe.loc[a, b])])
            out["spearman"].append([a, b, num(sp.loc[a, b])])
    cats = [c for c in df.columns if kinds[c] == "text" and 2 <= df[c].nunique() <= 50]
    for i, a in enumerate(cats):
        for b in cats[i + 1 :]:
            out["cramers_v"].append([a, b, cramers_v(df[a], df[b])])
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    versions = {p: metadata.version(p) for p in ("pandas", "numpy")}
    for name, spec in FILES.items():
        out = profile(name, spec)
        out["versions"] = versions
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            json.dump(out, f, indent=1)
        print(name, out["rows"], "rows", len(out["column_profiles"]), "columns")


if __name__ == "__main__":
    main()
