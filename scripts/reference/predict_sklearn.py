"""Reference AUCs from scikit-learn for crmlens' predict (tests/predict_real.rs).

Stratified 5-fold cross-validation (StratifiedKFold(shuffle=True, random_state=0)); every
AUC is computed on the out-of-fold scores of all rows (cross_val_predict), as crmlens does.

Models: LogisticRegression (lbfgs, C=1, max_iter=5000) on one-hot + standardised features
with mean imputation and missing indicators; HistGradientBoostingClassifier (defaults,
categorical columns as native categories); RandomForestClassifier(n_estimators=100,
random_state=0) on the one-hot design; LinearSVC (C=1, squared hinge) decision values.

Data (read from ../shared/data relative to the repository root; not copied):
- Telco churn: target Churn == "Yes", customerID dropped; TotalCharges blanks are missing.
- Bank marketing (bank.csv, ';'-separated): target y == "yes", duration dropped.
- CDNOW master log: per-customer features as of 1997-09-30 are built in crmlens; here only
  Telco and Bank are evaluated.

Writes tests/fixtures/predict/sklearn_reference.json. Run from the repository root:
    python3 -m venv /tmp/predict-venv && /tmp/predict-venv/bin/pip install scikit-learn pandas
    /tmp/predict-venv/bin/python scripts/reference/predict_sklearn.py
"""

import json
import platform
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.svm import LinearSVC


def load_telco():
    df = pd.read_csv("../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv")
    df["TotalCharges"] = pd.to_numeric(df["TotalCharges"], errors="coerce")
    y = (df.pop("Churn") == "Yes").astype(int).to_numpy()
    df = df.drop(columns=["customerID"])
    return df, y


def load_bank():
    df = pd.read_csv("../shared/data/bank_marketing/bank.csv", sep=";")
    y = (df.pop("y") == "yes").astype(int).to_numpy()
    df = df.drop(columns=["duration"])
    return df, y


def linear_design(df):
    num = [c for c in df.columns if df[c].dtype.kind in "if"]
    cat = [c for c in df.columns if c not in num]
    return ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(add_indicator=True), StandardScaler()), num),
            ("cat", OneHotEncoder(handle_unknown="ignore"), cat),
        ]
    )


def evaluate(df, y):
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    cat = [c for c in df.columns if df[c].dtype.kind not in "if"]
    out = {"rows": int(len(y)), "positives": int(y.sum())}
    models = {
        "logistic": (make_pipeline(linear_design(df), LogisticRegression(C=1.0, max_iter=5000)), "predict_proba"),
        "svm": (make_pipeline(linear_design(df), LinearSVC(C=1.0)), "decision_function"),
        "random-forest": (
            make_pipeline(linear_design(df), RandomForestClassifier(n_estimators=100, random_state=0)),
            "predict_proba",
        ),
        "gbdt": (
            make_pipeline(
                ColumnTransformer(
                    [("cat", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), cat)],
                    remainder="passthrough",
                ),
                HistGradientBoostingClassifier(categorical_features=list(range(len(cat))), random_state=0),
            ),
            "predict_proba",
        ),
    }
    for name, (model, method) in models.items():
        t = time.perf_counter()
        s = cross_val_predict(model, df, y, cv=cv, method=method)
        secs = time.perf_counter() - t
        if s.ndim == 2:
            s = s[:, 1]
        out[name] = {"auc": round(float(roc_auc_score(y, s)), 4), "cvSeconds": round(secs, 2)}
    return out


def main():
    result = {
        "generator": "scripts/reference/predict_sklearn.py",
        "versions": {"python": platform.python_version(), "sklearn": sklearn.__version__, "pandas": pd.__version__},
        "folds": 5,
        "telco": evaluate(*load_telco()),
        "bank": evaluate(*load_bank()),
    }
    with open("tests/fixtures/predict/sklearn_reference.json", "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
