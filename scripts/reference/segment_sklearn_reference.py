"""Reference values from scikit-learn's KMeans for crmlens' segment (tests/segment_reference.rs).

For each case below: the named columns, missing values set to the column mean, scaled as
crmlens does (`standard`: StandardScaler, population standard deviation; `none`: raw), then
KMeans(n_clusters=k, n_init=10, init="k-means++", algorithm="lloyd", random_state=0).
Written to tests/fixtures/segment/sklearn_reference.json: per case the inertia, the sorted
cluster sizes, the silhouette, Davies-Bouldin and Calinski-Harabasz scores of sklearn's
labels, and (for information) the lowest inertia over 100 restarts.

Also writes tests/fixtures/segment/blobs.csv: sklearn.datasets.make_blobs(n_samples=1500,
n_features=5, centers=6, cluster_std=1.0, random_state=7) with the true blob in column
`blob` (values rounded to 5 decimals; the fit reads them back), and sklearn's adjusted Rand index against it in the JSON).

And tests/fixtures/segment/mixed.csv, a synthetic mixed table for the determinism tests:
2000 rows from four overlapping Gaussian groups in three numeric columns (spend, visits,
tenure; about 3% of the numeric cells empty), a category `plan` that depends on the group
(about 2% empty) and a category `region` that does not (numpy default_rng(11)).

Run from the repository root (scikit-learn 1.9.1, numpy 2.4.6, scipy 1.17.1, Python 3.11):

    python3 -m venv /tmp/venv-segment && /tmp/venv-segment/bin/pip install scikit-learn==1.9.1 numpy==2.4.6
    OMP_NUM_THREADS=1 /tmp/venv-segment/bin/python scripts/reference/segment_sklearn_reference.py
"""

import csv
import json
import os

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score, calinski_harabasz_score, davies_bouldin_score, silhouette_score

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
OUT = os.path.join(ROOT, "tests", "fixtures", "segment")


def read_columns(path, columns):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    out = np.empty((len(rows), len(columns)))
    for j, c in enumerate(columns):
        for i, r in enumerate(rows):
            v = r[c].strip()
            out[i, j] = float(v) if v else np.nan
    means = np.nanmean(out, axis=0)
    idx = np.where(np.isnan(out))
    out[idx] = means[idx[1]]
    return out


def scale(x, how):
    if how == "none":
        return x
    sd = x.std(axis=0)
    sd[sd == 0] = 1.0
    return (x - x.mean(axis=0)) / sd


def write_mixed(path):
    rng = np.random.default_rng(11)
    centers = np.array([[20.0, 2.0, 6.0], [60.0, 5.0, 24.0], [35.0, 9.0, 12.0], [90.0, 3.0, 48.0]])
    spread = np.array([12.0, 2.0, 8.0])
    plans = ["basic", "plus", "premium"]
    plan_p = [[0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.3, 0.5, 0.2], [0.1, 0.2, 0.7]]
    regions = ["north", "south", "east", "west"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["customer", "spend", "visits", "tenure", "plan", "region"])
        for i in range(2000):
            g = int(rng.integers(4))
            x = centers[g] + rng.normal(size=3) * spread
            cells = ["" if rng.random() < 0.03 else f"{v:.2f}" for v in x]
            plan = "" if rng.random() < 0.02 else plans[int(rng.choice(3, p=plan_p[g]))]
            w.writerow([f"C{i:05d}"] + cells + [plan, regions[int(rng.integers(4))]])


def main():
    os.makedirs(OUT, exist_ok=True)
    x, y = make_blobs(n_samples=1500, n_features=5, centers=6, cluster_std=1.0, random_state=7)
    blobs = os.path.join(OUT, "blobs.csv")
    with open(blobs, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["x0", "x1", "x2", "x3", "x4", "blob"])
        for row, label in zip(x, y):
            w.writerow([f"{v:.5f}" for v in row] + [int(label)])

    write_mixed(os.path.join(OUT, "mixed.csv"))

    mall = os.path.join(DATA, "mall_customers", "Mall_Customers.csv")
    telco = os.path.join(DATA, "telco_customer_churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv")
    cases = [
        ("mall_income_spending", mall, ["annual_income_thousands", "spending_score"], "standard", 5),
        ("mall_age_income_spending", mall, ["age", "annual_income_thousands", "spending_score"], "standard", 6),
        ("telco_tenure_charges", telco, ["tenure", "MonthlyCharges", "TotalCharges"], "standard", 4),
        ("blobs", blobs, ["x0", "x1", "x2", "x3", "x4"], "none", 6),
    ]
    out = {"versions": {"scikit-learn": sklearn.__version__, "numpy": np.__version__}, "cases": []}
    for name, path, columns, how, k in cases:
        data = scale(read_columns(path, columns), how)
        km = KMeans(n_clusters=k, n_init=10, init="k-means++", algorithm="lloyd", random_state=0).fit(data)
        best100 = min(
            KMeans(n_clusters=k, n_init=1, algorithm="lloyd", random_state=s).fit(data).inertia_ for s in range(100)
        )
        case = {
            "name": name,
            "file": os.path.relpath(path, ROOT),
            "columns": columns,
            "scaling": how,
            "k": k,
            "n_init": 10,
            "inertia": float(km.inertia_),
            "best_inertia_of_100": float(best100),
            "sizes": sorted(np.bincount(km.labels_).tolist(), reverse=True),
            "silhouette": float(silhouette_score(data, km.labels_)),
            "davies_bouldin": float(davies_bouldin_score(data, km.labels_)),
            "calinski_harabasz": float(calinski_harabasz_score(data, km.labels_)),
        }
        if name == "blobs":
            case["ari_vs_truth"] = float(adjusted_rand_score(y, km.labels_))
        out["cases"].append(case)
        print(name, case["inertia"], case["best_inertia_of_100"], case["sizes"])
    with open(os.path.join(OUT, "sklearn_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
