"""The scikit-learn "without explanations" reference of bench/predict_score.mjs: the models of
bench/predict_sklearn.py fitted on the first TRAIN rows of the CSV, then predict_proba timed on
the whole table repeated to ROWS rows (shap is not installed, so no explanations). One thread.

    OMP_NUM_THREADS=1 /tmp/predict-venv/bin/python bench/predict_score_sklearn.py --file X.csv --train 25000 --rows 1000000
"""
import argparse
import json
import resource
import time

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from predict_sklearn import models

ap = argparse.ArgumentParser()
ap.add_argument("--file", required=True)
ap.add_argument("--train", type=int, default=25000)
ap.add_argument("--rows", type=int, default=1000000)
a = ap.parse_args()
df = pd.read_csv(a.file)
num = [c for c in df.columns if c.startswith("x")]
cat = [c for c in df.columns if c.startswith("c")]
y = (df["y"] == "yes").astype(int).to_numpy()
X = df[num + cat]
reps = -(-a.rows // len(df))
big = pd.concat([X] * reps, ignore_index=True).iloc[: a.rows]
out = {}
with threadpool_limits(1):
    for name, model in models(num, cat).items():
        model.fit(X.iloc[: a.train], y[: a.train])
        t = time.perf_counter()
        p = model.predict_proba(big)[:, 1]
        out[name] = {"rows": len(p), "predictProbaMs": (time.perf_counter() - t) * 1e3}
out["peakRssMB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
