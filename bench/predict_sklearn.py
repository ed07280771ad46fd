"""The scikit-learn side of bench/predict.mjs: the same table, the same protocol, one thread.

Reads the CSV written by predict.mjs (numeric x0..x11 with missing cells, categories
c0..c7, target y = yes/no), and per run (seed = run): stratified shuffled k folds; the
logistic pipeline (mean imputation + missing indicators, scaling, one-hot; LogisticRegression
C = 1, lbfgs) and HistGradientBoostingClassifier (100 rounds, 31 leaves, depth 12, 20 rows
per leaf, learning rate 0.1, native categories, no early stopping) are each fitted on every
fold (out-of-fold AUC) and once on all rows. Prints one JSON object: per model and run the
mean fold-fit time, the full time (k fold fits + the final fit), the out-of-fold AUC.

    OMP_NUM_THREADS=1 /tmp/predict-venv/bin/python bench/predict_sklearn.py --file X.csv --runs 3 --folds 5 [--seed 0]
"""
import argparse
import json
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from threadpoolctl import threadpool_limits


def models(num, cat):
    logistic = make_pipeline(
        ColumnTransformer([
            ("num", make_pipeline(SimpleImputer(strategy="mean", add_indicator=True), StandardScaler()), num),
            ("cat", OneHotEncoder(handle_unknown="ignore"), cat),
        ]),
        LogisticRegression(C=1.0, max_iter=1000),
    )
    gbdt = make_pipeline(
        ColumnTransformer([
            ("num", "passthrough", num),
            ("cat", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan), cat),
        ]),
        HistGradientBoostingClassifier(
            max_iter=100, max_leaf_nodes=31, max_depth=12, min_samples_leaf=20, learning_rate=0.1,
            l2_regularization=0.0, early_stopping=False,
            categorical_features=list(range(len(num), len(num) + len(cat))),
        ),
    )
    return {"logistic": logistic, "gbdt": gbdt}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--models", default="logistic,gbdt")
    a = ap.parse_args()
    df = pd.read_csv(a.file, dtype={f"c{j}": str for j in range(8)})
    y = (df.pop("y") == "yes").to_numpy().astype(int)
    num = [c for c in df.columns if c.startswith("x")]
    cat = [c for c in df.columns if c.startswith("c")]
    out = {"sklearn": sklearn.__version__, "rows": int(len(df)), "models": {}}
    with threadpool_limits(limits=1):
        for name in a.models.split(","):
            runs = []
            for run in range(a.runs):
                oof = np.zeros(len(y))
                fold_ms = []
                for tr, te in StratifiedKFold(a.folds, shuffle=True, random_state=a.seed + run).split(df, y):
                    m = models(num, cat)[name]
                    t0 = time.perf_counter()
                    m.fit(df.iloc[tr], y[tr])
                    fold_ms.append((time.perf_counter() - t0) * 1000.0)
                    oof[te] = m.predict_proba(df.iloc[te])[:, 1]
                m = models(num, cat)[name]
                t0 = time.perf_counter()
                m.fit(df, y)
                final_ms = (time.perf_counter() - t0) * 1000.0
                runs.append({"foldFitMs": float(np.mean(fold_ms)), "totalMs": float(sum(fold_ms) + final_ms),
                             "auc": float(roc_auc_score(y, oof))})
            out["models"][name] = runs
    print(json.dumps(out))


if __name__ == "__main__":
    main()
