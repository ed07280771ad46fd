"""The scikit-learn side of bench/segment.mjs: KMeans on the same data, one thread.

Reads an n x d float64 matrix (raw little-endian, written by segment.mjs), fits
KMeans(n_clusters=k, n_init=1, init="k-means++", algorithm="lloyd", max_iter=300, tol=1e-4,
random_state=run) --runs times and prints one JSON object: fit times (ms), iterations,
inertia of each run, peak RSS, versions. Thread pools are limited to one thread.

    OMP_NUM_THREADS=1 /tmp/venv-segment/bin/python bench/segment_sklearn.py --file X.f64 --d 8 --k 8 --runs 3
"""
import argparse
import json
import resource
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--d", type=int, default=8)
    ap.add_argument("--k", type=int, default=8)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    x = np.fromfile(a.file, dtype="<f8").reshape(-1, a.d)
    runs = []
    with threadpool_limits(limits=1):
        for run in range(a.runs):
            t0 = time.perf_counter()
            km = KMeans(n_clusters=a.k, n_init=1, init="k-means++", algorithm="lloyd", max_iter=300, tol=1e-4,
                        random_state=run).fit(x)
            ms = (time.perf_counter() - t0) * 1000.0
            runs.append({"ms": ms, "iterations": int(km.n_iter_), "inertia": float(km.inertia_)})
    print(json.dumps({
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "rows": int(x.shape[0]),
        "runs": runs,
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }))


if __name__ == "__main__":
    main()
