"""Comparison of a Python result with the browser package's: exact where the figure is exact
(ids, dates, counts, RFM scores, segments, the summary's frequency / recency / T / monetary,
labels, languages), and within a relative 1e-9 for the fitted models' floating-point outputs,
where the native build's `ln`/`exp`/`lgamma` (the platform's libm) and the wasm build's
(Rust's libm) differ in the last bits: measured ≤ 4e-14 on CDNOW."""

from __future__ import annotations

import math

#: Columns of the customer table that come out of a fit (the rest must be equal).
FITTED = {"pAlive", "expectedPurchases", "expectedSpend", "clv", "holdoutPredicted"}
REL = 1e-9
#: Figures that are numerical noise at an optimum (the gradient's norm at convergence, ~1e-10):
#: compared with an absolute tolerance.
NOISE = {"gradientNorm": 1e-6}


def close(a, b, rel=REL) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or isinstance(b, str):
        return a == b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def tree_close(a, b, path="") -> list:
    """Differences between two JSON trees (numbers within REL, everything else equal)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        if set(a) != set(b):
            out.append(f"{path}: keys {sorted(set(a) ^ set(b))} in one only")
        for k in set(a) & set(b):
            out += tree_close(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: length {len(a)} != {len(b)}"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += tree_close(x, y, f"{path}[{i}]")
            if len(out) > 5:
                break
        return out
    key = path.rsplit(".", 1)[-1]
    if key in NOISE and isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return [] if abs(a - b) <= NOISE[key] else [f"{path}: {a!r} != {b!r}"]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return [] if close(float(a), float(b)) else [f"{path}: {a!r} != {b!r}"]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def assert_value_equal(py, js: dict):
    """A crmlens.CustomerValue against the JS customerValue result."""
    cols = py.customers.to_pydict()
    assert list(cols) == list(js["customers"]), (list(cols), list(js["customers"]))
    for name, want in js["customers"].items():
        got = cols[name]
        assert len(got) == len(want), name
        if name in FITTED:
            bad = [i for i, (x, y) in enumerate(zip(got, want)) if not close(x, y)]
        else:
            bad = [i for i, (x, y) in enumerate(zip(got, want)) if x != y]
        assert not bad, f"{name}: {len(bad)} rows differ, first row {bad[0]}: {got[bad[0]]!r} vs {want[bad[0]]!r}"
    model = dict(py.model)
    model.pop("timings", None)
    diffs = tree_close(model, js["model"], "model")
    assert not diffs, diffs
    # Row counts of the model's report are exact figures.
    assert model["rows"] == js["model"]["rows"]
    assert py.cohorts == js["cohorts"]


def assert_sentiment_equal(py, js: dict):
    """A sentiment pyarrow.Table (in file order) against the JS sentiment result."""
    cols = py.to_pydict()
    for k in ("label", "language"):
        assert cols[k] == js[k], k
    for k in ("compound", "positive", "neutral", "negative"):
        got, want = cols[k], js[k]
        assert len(got) == len(want), k
        bad = [i for i, (x, y) in enumerate(zip(got, want)) if not close(x, y, 1e-12)]
        assert not bad, f"{k}: {len(bad)} rows differ, first {bad[0]}: {got[bad[0]]} vs {want[bad[0]]}"


#: Figures of a profile report that depend on how the table is held, not on its rows: the
#: partitions' tables' memory is summed (each partition keeps its own category dictionaries).
PROFILE_HELD = {"memoryBytes"}


def _drop(tree, keys):
    if isinstance(tree, dict):
        return {k: _drop(v, keys) for k, v in tree.items() if k not in keys}
    if isinstance(tree, list):
        return [_drop(v, keys) for v in tree]
    return tree


def profile_diffs(py: dict, js: dict, drop=frozenset()) -> list:
    """Differences between two profile reports: every count, type, top value, alert and exact
    quantile equal; floating-point figures (moments, correlations) within a relative 1e-9
    (partitions' moments are merged by Chan-Pebay updates, not summed in one pass)."""
    py = _drop({k: v for k, v in py.items() if k != "load"}, PROFILE_HELD | set(drop))
    js = _drop(js, PROFILE_HELD | set(drop))
    return tree_close(py, js, "report")
