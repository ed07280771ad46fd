"""Holdout reference from the Python `lifetimes` package for crmlens' model grade.

Splits CDNOW_master.txt (../shared/data/cdnow_lifetimes) at 1997-09-30 into a calibration
period and a holdout period ending 1998-06-30 with lifetimes' calibration_and_holdout_data
(freq='D': purchase occasions are days; recency and T divided by 7 to be in weeks, crmlens'
definition), fits BetaGeoFitter on the calibration summary and predicts each customer's
repeat purchases in the 39-week holdout with conditional_expected_number_of_purchases_up_to_time.

Writes tests/fixtures/value/cdnow_holdout_reference.csv (name, value): the customer count,
actual / predicted holdout purchase totals, the per-customer mean absolute error of the
prediction, the fitted parameters and, for the first 20 customers in id order, their
actual and predicted holdout purchases (customer_<id>_actual / customer_<id>_predicted).
tests/value_holdout.rs compares crmlens' `customerValue(..., { calibrationEnd, observationEnd })`
with it.

Run from the repository root (lifetimes 0.11.3 with numpy, pandas, scipy, autograd from PyPI,
Python 3.11):

    python3 -m venv /tmp/ltenv && /tmp/ltenv/bin/pip install lifetimes==0.11.3
    /tmp/ltenv/bin/python scripts/reference/cdnow_holdout_reference.py
"""

import os
import warnings
from importlib import metadata

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter
from lifetimes.utils import summary_data_from_transaction_data

warnings.filterwarnings("ignore")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data", "cdnow_lifetimes", "CDNOW_master.txt")
OUT = os.path.join(ROOT, "tests", "fixtures", "value", "cdnow_holdout_reference.csv")

df = pd.read_csv(DATA, sep=r"\s+", dtype={"customer_id": str, "date": str})
df["date"] = pd.to_datetime(df["date"], format="%Y%m%d")
# lifetimes' own calibration_and_holdout_data fails under pandas 3 ("No objects to
# concatenate"), so its two steps are written out: the calibration summary by
# summary_data_from_transaction_data, and the holdout frequency as the number of distinct
# purchase days of each calibration customer in (calibration end, observation end].
CAL, OBS = pd.Timestamp("1997-09-30"), pd.Timestamp("1998-06-30")
cal = summary_data_from_transaction_data(df[df["date"] <= CAL], "customer_id", "date", freq="D",
                                         observation_period_end=CAL)
hold = df[(df["date"] > CAL) & (df["date"] <= OBS) & df["customer_id"].isin(cal.index)]
holdout_freq = hold.groupby("customer_id")["date"].nunique()
s = pd.DataFrame({
    "frequency_cal": cal["frequency"],
    "recency_cal": cal["recency"] / 7.0,
    "T_cal": cal["T"] / 7.0,
    "frequency_holdout": holdout_freq.reindex(cal.index).fillna(0.0),
})
weeks = (OBS - CAL).days / 7.0
bgf = BetaGeoFitter().fit(s["frequency_cal"], s["recency_cal"], s["T_cal"])
pred = bgf.conditional_expected_number_of_purchases_up_to_time(weeks, s["frequency_cal"], s["recency_cal"], s["T_cal"])
actual = s["frequency_holdout"]

rows = [
    ("lifetimes_version", metadata.version("lifetimes")),
    ("customers", len(s)),
    ("holdout_weeks", weeks),
    ("actual_total", float(actual.sum())),
    ("predicted_total", float(pred.sum())),
    ("mae", float(np.mean(np.abs(pred - actual)))),
]
rows += [(k, float(v)) for k, v in bgf.params_.items()]
s = s.assign(pred=pred).sort_index(key=lambda ix: ix.astype(int))
for cid, r in s.head(20).iterrows():
    rows.append((f"customer_{cid}_actual", float(r["frequency_holdout"])))
    rows.append((f"customer_{cid}_predicted", float(r["pred"])))
pd.DataFrame(rows, columns=["name", "value"]).to_csv(OUT, index=False, float_format="%.10g")
print(f"wrote {OUT}")
