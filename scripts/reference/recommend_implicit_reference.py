"""Reference top-10 accuracy of the `implicit` library on MovieLens 100K, for crmlens'
recommend module (tests/recommend_movielens.rs reads the output).

Command (from the repository root, data beside it in ../shared/data):
    python3 -m venv /tmp/venv-recommend
    /tmp/venv-recommend/bin/pip install implicit==0.7.3 numpy==2.4.6 scipy==1.17.1
    /tmp/venv-recommend/bin/python scripts/reference/recommend_implicit_reference.py \
        > tests/fixtures/recommend/movielens_implicit_reference.json
Versions used: Python 3.11.7, implicit 0.7.3, numpy 2.4.6, scipy 1.17.1.

The split and the metrics are written out here so that they are exactly crmlens':
- positives: ratings >= 4 of u.data, in file order (each (user, item) pair occurs once);
- users and items are numbered in order of first appearance among the positives;
- leave-last-out: for each user with >= 2 positives, the positive with the largest
  (timestamp, file row) is held out; everything else is training data (weight 1);
- random (seed 0): crmlens' SplitMix64 stream, re-implemented below; for each user with
  >= 2 positives (users in id order, positives in item-id order) round(0.2 n) clamped to
  1..n-1 positives are held out by a partial Fisher-Yates shuffle;
- each model recommends 10 items per evaluated user, training items excluded;
- precision@k = hits/k, recall@k = hits/|R|, AP@k = sum of precision@i at hits / min(|R|, k),
  NDCG@k = DCG/IDCG with 1/log2(rank+1); coverage = distinct recommended items / items.
Model settings match crmlens' defaults: ALS factors 64, regularization 0.05, 15 iterations,
3 CG steps, confidence 1 + 10*w (passed to implicit as the matrix values with alpha=1);
item kNN with 20 neighbours (implicit keeps the item itself among its K, so K=21 here),
BM25 k1=1.2, b=0.75, and cosine. ALS is run with 5 seeds (implicit's RNG differs from
crmlens'); the fixture keeps every seed and the mean.
Only derived metrics leave this script: the MovieLens licence forbids redistributing the data.
"""

import json
import warnings
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np
import scipy.sparse as sp
import implicit
from implicit.als import AlternatingLeastSquares
from implicit.nearest_neighbours import BM25Recommender, CosineRecommender

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "data", "movielens_ml-100k", "u.data")
K = 10
warnings.filterwarnings("ignore", category=UserWarning)
ALPHA = 10.0


def load():
    users, items, pairs = {}, {}, []
    with open(DATA) as f:
        for row, line in enumerate(f):
            u, i, r, t = line.split("\t")
            if int(r) < 4:
                continue
            uu = users.setdefault(u, len(users))
            ii = items.setdefault(i, len(items))
            pairs.append((uu, ii, int(t), row))
    return users, items, pairs


MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return ((self.next_u64() >> 32) * n) >> 32


def split_random(n_users, pairs, seed):
    by_user = [[] for _ in range(n_users)]
    for p in pairs:
        by_user[p[0]].append(p)
    rng = SplitMix64(seed)
    train, test = [], [[] for _ in range(n_users)]
    for u, ps in enumerate(by_user):
        ps = sorted(ps, key=lambda p: p[1])
        n = len(ps)
        if n < 2:
            train.extend(ps)
            continue
        take = min(max(int(np.floor(n * 0.2 + 0.5)), 1), n - 1)
        idx = list(range(n))
        for t in range(take):
            r = t + rng.below(n - t)
            idx[t], idx[r] = idx[r], idx[t]
        held = set(idx[:take])
        test[u] = sorted(ps[k][1] for k in held)
        train.extend(p for k, p in enumerate(ps) if k not in held)
    return train, test


def split(n_users, pairs):
    by_user = [[] for _ in range(n_users)]
    for p in pairs:
        by_user[p[0]].append(p)
    train, test = [], [[] for _ in range(n_users)]
    for u, ps in enumerate(by_user):
        if len(ps) >= 2:
            last = max(ps, key=lambda p: (p[2], p[3]))
            test[u].append(last[1])
            train.extend(p for p in ps if p is not last)
        else:
            train.extend(ps)
    return train, test


def metrics(recs, test, n_items):
    out, seen = [], set()
    disc = lambda r: 1.0 / np.log2(r + 2)
    for u, rel in enumerate(test):
        if not rel:
            continue
        rel = set(rel)
        hits, ap, dcg = 0, 0.0, 0.0
        for rank, j in enumerate(recs[u][:K]):
            seen.add(int(j))
            if j in rel:
                hits += 1
                ap += hits / (rank + 1)
                dcg += disc(rank)
        ideal = sum(disc(r) for r in range(min(len(rel), K)))
        out.append((hits / K, hits / len(rel), ap / min(len(rel), K), dcg / ideal))
    m = np.mean(np.array(out), axis=0)
    return {"precision": m[0], "recall": m[1], "map": m[2], "ndcg": m[3], "coverage": len(seen) / n_items}


def recommend_all(model, train_m, test):
    users = np.array([u for u, rel in enumerate(test) if rel])
    ids, _ = model.recommend(users, train_m[users], N=K, filter_already_liked_items=True)
    recs = {}
    for u, row in zip(users, ids):
        recs[int(u)] = [int(j) for j in row if j >= 0]
    return recs


def evaluate(users, items, train, test):
    nu, ni = len(users), len(items)
    rows = np.array([p[0] for p in train])
    cols = np.array([p[1] for p in train])
    ones = np.ones(len(train), dtype=np.float32)
    train_m = sp.csr_matrix((ones, (rows, cols)), shape=(nu, ni))
    held = [(u, i) for u, rel in enumerate(test) for i in rel]
    user_names, item_names = list(users), list(items)
    out = {
        "held_out": len(held),
        "users_evaluated": sum(1 for rel in test if rel),
        # Order-independent fingerprint of the held-out pairs (user and item ids as in u.data).
        "held_out_checksum": int(sum(int(user_names[u]) * 10007 + int(item_names[i]) for u, i in held)),
    }
    # popularity: users per item in training, training items excluded
    pop = np.asarray((train_m > 0).sum(axis=0)).ravel()
    order = sorted(range(ni), key=lambda j: (-pop[j], j))
    recs = {}
    for u, rel in enumerate(test):
        if rel:
            seen = set(train_m[u].indices)
            recs[u] = [j for j in order if j not in seen][:K]
    out["popularity"] = metrics(recs, test, ni)

    for name, model in [("bm25", BM25Recommender(K=21, K1=1.2, B=0.75, num_threads=1)),
                        ("cosine", CosineRecommender(K=21, num_threads=1))]:
        model.fit(train_m, show_progress=False)
        out[name] = metrics(recommend_all(model, train_m, test), test, ni)

    conf = train_m.copy()
    conf.data = 1.0 + ALPHA * conf.data
    als_runs = []
    for seed in range(5):
        model = AlternatingLeastSquares(factors=64, regularization=0.05, iterations=15, alpha=1.0,
                                        use_cg=True, use_gpu=False, num_threads=1, random_state=seed)
        model.fit(conf, show_progress=False)
        als_runs.append(metrics(recommend_all(model, train_m, test), test, ni))
    out["als_runs"] = als_runs
    out["als"] = {k: float(np.mean([r[k] for r in als_runs])) for k in als_runs[0]}
    return out


def main():
    users, items, pairs = load()
    out = {
        "implicit_version": implicit.__version__,
        "positives": len(pairs),
        "users": len(users),
        "items": len(items),
        "k": K,
    }
    train, test = split(len(users), pairs)
    out["leave_last_out"] = evaluate(users, items, train, test)
    train, test = split_random(len(users), pairs, 0)
    out["random_seed0"] = evaluate(users, items, train, test)
    json.dump(out, sys.stdout, indent=1, default=float)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
