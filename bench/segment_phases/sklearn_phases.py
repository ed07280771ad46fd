"""scikit-learn's phases on the same data as bench/segment_phases/run.mjs (CPU time, one thread).

kmeans_plusplus seeding, KMeans(init=those centres, n_init=1, algorithm="lloyd", tol=1e-4)
(the whole fit: validation, iterations, final labels), one predict (a full assignment pass),
and silhouette_score on n <= 20,000 rows. scikit-learn 1.9.1, numpy from /tmp/venv-segment.

    OMP_NUM_THREADS=1 /tmp/venv-segment/bin/python sklearn_phases.py ../out/segment_100000x8_k8.f64 [d] [k] [runs]
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits


def cpu_ms(f):
    t = time.process_time()
    v = f()
    return (time.process_time() - t) * 1000.0, v


def main():
    d = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    x = np.fromfile(sys.argv[1], dtype="<f8").reshape(-1, d)
    with threadpool_limits(limits=1):
        for run in range(-1, runs):
            seed = max(run, 0)
            t_seed, (c, _) = cpu_ms(lambda: kmeans_plusplus(x, k, random_state=seed))
            km = KMeans(k, init=c, n_init=1, algorithm="lloyd", max_iter=300, tol=1e-4)
            t_lloyd, _ = cpu_ms(lambda: km.fit(x))
            t_pred, _ = cpu_ms(lambda: km.predict(x))
            t_sil, sil = cpu_ms(lambda: silhouette_score(x, km.labels_)) if len(x) <= 20000 else (float("nan"), float("nan"))
            if run >= 0:
                print(json.dumps({"seed": seed, "seedMs": round(t_seed, 2), "lloydMs": round(t_lloyd, 2),
                                  "iterations": int(km.n_iter_), "inertia": float(km.inertia_),
                                  "assignMs": round(t_pred, 2), "silhouetteMs": round(t_sil, 1), "silhouette": sil}))


if __name__ == "__main__":
    main()
