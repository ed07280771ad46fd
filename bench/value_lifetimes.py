"""The lifetimes (0.11.3) side of bench/value.mjs: fits BG/NBD and Gamma-Gamma on CDNOW.

Prints one JSON object: per-step times (ms, median of --runs) and the fitted parameters,
for two summaries: freq='W' (lifetimes aggregates purchases per week) and freq='D' with
recency and T divided by 7 (per-day purchases measured in weeks, crmlens' definition).

    /tmp/ltenv/bin/python bench/value_lifetimes.py [--runs 3] [--file CDNOW_master.txt]
"""
import argparse
import json
import os
import statistics
import time
import warnings

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data

warnings.filterwarnings("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FILE = os.path.join(HERE, "..", "..", "shared", "data", "cdnow_lifetimes", "CDNOW_master.txt")
END = "1998-06-30"


def timed(times, name, fn):
    t0 = time.perf_counter()
    out = fn()
    times[name] = (time.perf_counter() - t0) * 1000.0
    return out


def one_run(path, freq):
    t = {}
    cpu0 = time.process_time()
    df = timed(t, "read", lambda: pd.read_csv(
        path, sep=r"\s+", dtype={"customer_id": str, "date": str}))
    df = timed(t, "parse dates", lambda: df.assign(date=pd.to_datetime(df["date"], format="%Y%m%d")))

    def summarize():
        s = summary_data_from_transaction_data(
            df, "customer_id", "date", monetary_value_col="dollar_value",
            freq=freq, observation_period_end=END)
        if freq == "D":
            s["recency"] = s["recency"] / 7.0
            s["T"] = s["T"] / 7.0
        return s

    s = timed(t, "summary", summarize)
    bgf = timed(t, "BG/NBD fit", lambda: BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"]))
    rep = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
    ggf = timed(t, "Gamma-Gamma fit", lambda: GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"]))
    timed(t, "P(alive)", lambda: bgf.conditional_probability_alive(s["frequency"], s["recency"], s["T"]))
    timed(t, "expected purchases 52", lambda: bgf.conditional_expected_number_of_purchases_up_to_time(
        52, s["frequency"], s["recency"], s["T"]))
    # The time unit of the summary is weeks in both variants, hence freq='W' here.
    timed(t, "CLV 12 months", lambda: ggf.customer_lifetime_value(
        bgf, s["frequency"], s["recency"], s["T"], s["monetary_value"],
        time=12, discount_rate=0.01, freq="W"))
    t["total"] = sum(t.values())
    t["cpuTotal"] = (time.process_time() - cpu0) * 1000.0
    params = {
        "bgNbd": {k: float(bgf.params_[k]) for k in ("r", "alpha", "a", "b")},
        "gammaGamma": {k: float(ggf.params_[k]) for k in ("p", "q", "v")},
        "customers": int(len(s)),
        "repeatCustomers": int(len(rep)),
    }
    return t, params


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--file", default=DEFAULT_FILE)
    args = ap.parse_args()
    import lifetimes
    out = {"lifetimes": lifetimes.__version__, "pandas": pd.__version__, "runs": args.runs,
           "observationPeriodEnd": END, "variants": {}}
    for freq in ("W", "D"):
        runs = [one_run(args.file, freq) for _ in range(args.runs)]
        steps = list(runs[0][0].keys())
        out["variants"][freq] = {
            "ms": {k: statistics.median(r[0][k] for r in runs) for k in steps},
            "firstRunMs": runs[0][0],
            "params": runs[-1][1],
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
