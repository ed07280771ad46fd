"""The implicit (0.7.3) side of bench/recommend.mjs: fit times of ALS (conjugate gradient)
and BM25 item kNN on MovieLens 100K, one thread, with crmlens' default settings.

Prints one JSON object: per-variant median fit times (wall-clock and CPU ms) and the
process's peak RSS.

    OPENBLAS_NUM_THREADS=1 /tmp/venv-recommend/bin/python bench/recommend_implicit.py [--runs 3]
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np
import scipy.sparse as sp
import implicit
from implicit.als import AlternatingLeastSquares
from implicit.nearest_neighbours import BM25Recommender

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data", "movielens_ml-100k", "u.data")


def matrix(min_rating):
    users, items, rows, cols = {}, {}, [], []
    with open(DATA) as f:
        for line in f:
            u, i, r, _ = line.split("\t")
            if int(r) >= min_rating:
                rows.append(users.setdefault(u, len(users)))
                cols.append(items.setdefault(i, len(items)))
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(users), len(items)))


def table(min_rating):
    """The loaded table a user starts from (crmlens' side gets the same rows as a Dataset)."""
    import pandas as pd
    df = pd.read_csv(DATA, sep="\t", names=["user", "item", "rating", "ts"])
    return df[df["rating"] >= min_rating][["user", "item"]].reset_index(drop=True)


def to_csr(df):
    """Table → user × item CSR, the step implicit leaves to its caller (crmlens' fit does it)."""
    import pandas as pd
    u, users = pd.factorize(df["user"])
    i, items = pd.factorize(df["item"])
    data = np.ones(len(df), dtype=np.float32)
    m = sp.csr_matrix((data, (u, i)), shape=(len(users), len(items)))
    m.sum_duplicates()
    return m


def timed(fn, runs):
    """Median wall-clock and CPU (process_time) milliseconds."""
    wall, cpu = [], []
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t0) * 1000.0)
        cpu.append((time.process_time() - c0) * 1000.0)
    return statistics.median(wall), statistics.median(cpu)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    out = {"implicit": implicit.__version__, "variants": {}}
    for name, min_rating in [("positives", 4), ("all", 1)]:
        m = matrix(min_rating)
        conf = m.copy()
        conf.data = 1.0 + 10.0 * conf.data

        def als():
            AlternatingLeastSquares(factors=64, regularization=0.05, iterations=15, alpha=1.0, use_cg=True,
                                    use_gpu=False, num_threads=1, random_state=0).fit(conf, show_progress=False)

        def knn():
            BM25Recommender(K=21, K1=1.2, B=0.75, num_threads=1).fit(m, show_progress=False)

        als()  # warm-up (thread pools, first-call overheads)
        knn()
        t_als, t_knn = timed(als, a.runs), timed(knn, a.runs)
        df = table(min_rating)
        assert to_csr(df).nnz == m.nnz
        t_build = timed(lambda: to_csr(df), a.runs)
        out["variants"][name] = {"nnz": int(m.nnz), "users": m.shape[0], "items": m.shape[1],
                                 "ms": {"als": t_als[0], "item-knn": t_knn[0], "build": t_build[0]},
                                 "cpuMs": {"als": t_als[1], "item-knn": t_knn[1], "build": t_build[1]}}
    out["maxRssBytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
