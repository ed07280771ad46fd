"""Profile states (issue 23): the wheel, Spark and Dask give the browser package's
``dataset.profile()`` report on the real files, whatever the number of partitions (1, 4, 16)
and the order their states are merged in; Arrow input gives the report of the CSV path."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest

import crmlens
import crmlens.dask as cd
import crmlens.spark as cs
from compare import profile_diffs
from conftest import data, js_result, lines_of

TELCO = "telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv"
CDNOW = "cdnow_lifetimes/CDNOW_master.txt"
BANK = "bank_marketing/bank.csv"
PARTS = [1, 4, 16]


def pieces(lines, k):
    n = len(lines)
    return [lines[i * n // k:(i + 1) * n // k] for i in range(k)]


def random_merge(states, rng):
    """Merges random neighbours of a shuffled list until one is left, through bytes."""
    states = list(states)
    rng.shuffle(states)
    while len(states) > 1:
        i = rng.randrange(len(states) - 1)
        m = crmlens.ProfileState.merge([states[i], states[i + 1]])
        states[i:i + 2] = [crmlens.ProfileState.from_bytes(m.to_bytes())]
    return states[0]


def wheel_profile(batches, seed):
    rng = random.Random(seed)
    first = random_merge([crmlens.ProfileState.update(b, part=i) for i, b in enumerate(batches)], rng)
    force = first.force_types()
    if force:  # CDNOW: ids 00012 typed as numbers in the partitions with no leading zero
        first = random_merge([crmlens.ProfileState.update(b, part=i, force=force) for i, b in enumerate(batches)], rng)
    order = list(range(len(batches)))
    rng.shuffle(order)
    second = random_merge([first.second_pass(batches[i], part=i) for i in order], rng)
    return first.finish(second)


@pytest.mark.parametrize("rel", [TELCO, CDNOW, BANK])
@pytest.mark.parametrize("k", PARTS)
def test_wheel_profile_equals_js_in_any_merge_order(rel, k):
    head, lines = lines_of(rel)
    report = wheel_profile([crmlens.Lines(p, head) for p in pieces(lines, k)], seed=k)
    assert report["load"]["rows"] == len(lines) and report["load"]["batches"] == k
    assert report["dataset"]["rows"] == len(lines)
    diffs = profile_diffs(report, js_result("profile", rel, {}))
    assert not diffs, diffs


def test_wheel_profile_whole_equals_js():
    head, lines = lines_of(TELCO)
    diffs = profile_diffs(crmlens.profile_whole(crmlens.Lines(lines, head)), js_result("profile", TELCO, {}))
    assert not diffs, diffs


@pytest.mark.parametrize("rel", [TELCO, CDNOW])
@pytest.mark.parametrize("k", [1, 4])
def test_arrow_input_profile_equals_csv_path(rel, k):
    """The file read once by crmlens's loader, handed over as Arrow record batches (the core's
    Arrow reader, no CSV), profiled in k slices: the report of the CSV path."""
    head, lines = lines_of(rel)
    table = crmlens.to_arrow(crmlens.Lines(lines, head))
    n = table.num_rows
    slices = [table.slice(i * n // k, (i + 1) * n // k - i * n // k) for i in range(k)]
    batches = [pa.Table.from_batches(s.to_batches()) if s.num_rows else s for s in slices]
    report = wheel_profile(batches, seed=7)
    # An Arrow table carries the columns' types, not crmlens's roles and missing-value tokens
    # (read from the text): those two are left out of the comparison.
    diffs = profile_diffs(report, js_result("profile", rel, {}), drop={"role", "missingTokens"})
    assert not diffs, diffs


def test_finish_with_no_argument_runs_the_second_pass_in_this_process():
    # The issue's `merged.finish()`: CDNOW in 4 partitions (ids typed differently per partition,
    # so the force is needed too), merged in a random order; equal to the two-pass report.
    head, lines = lines_of(CDNOW)
    batches = [crmlens.Lines(p, head) for p in pieces(lines, 4)]
    states = [crmlens.ProfileState.update(b, part=i) for i, b in enumerate(batches)]
    random.Random(4).shuffle(states)
    merged = crmlens.ProfileState.merge(states)
    assert merged.force_types()
    report = merged.finish()
    assert report["load"]["batches"] == 4 and report["dataset"]["rows"] == len(lines)
    assert report == crmlens.profile(batches)
    # Shipped as bytes, a state holds no batches: a clear error, not a report of half the passes.
    with pytest.raises(crmlens.CrmlensError) as e:
        crmlens.ProfileState.from_bytes(merged.to_bytes()).finish()
    assert e.value.code == "INVALID_STATE"


@pytest.mark.parametrize("k", PARTS)
def test_dask_profile_equals_js(dask_client, k):
    report = cd.profile(cd.read_lines(data(CDNOW), partitions=k), split_every=3)
    assert report["load"]["batches"] == k
    diffs = profile_diffs(report, js_result("profile", CDNOW, {}))
    assert not diffs, diffs


@pytest.mark.parametrize("k", PARTS)
def test_spark_profile_equals_js(spark, k):
    tx = cs.read_lines(spark, data(TELCO), partitions=k)
    report = cs.profile(tx)
    assert report["load"]["batches"] == k and report["load"]["rows"] == len(lines_of(TELCO)[1])
    diffs = profile_diffs(report, js_result("profile", TELCO, {}))
    assert not diffs, diffs


def test_profile_options_reach_every_pass():
    head, lines = lines_of(TELCO)
    opts = {"topK": 3, "correlations": False}
    parts = [crmlens.Lines(p, head) for p in pieces(lines, 4)]
    first = crmlens.ProfileState.merge([crmlens.ProfileState.update(b, options=opts, part=i) for i, b in enumerate(parts)])
    second = crmlens.ProfileState.merge([first.second_pass(b, part=i) for i, b in enumerate(parts)])
    report = first.finish(second)
    assert all(len(c["top"]) <= 3 for c in report["columns"])
    assert not profile_diffs(report, js_result("profile", TELCO, opts))


def test_profile_state_errors_carry_the_js_codes():
    head, lines = lines_of(TELCO)
    parts = [crmlens.Lines(p, head) for p in pieces(lines[:1200], 3)]
    a, b, c = (crmlens.ProfileState.update(p, part=i) for i, p in enumerate(parts))
    # Another version's state: INVALID_STATE; damaged bytes: PARSE_ERROR.
    raw = bytearray(a.to_bytes())
    assert raw[:8] == b"CRMSPRF1"
    raw[8:10] = (int.from_bytes(raw[8:10], "little") + 1).to_bytes(2, "little")
    with pytest.raises(crmlens.CrmlensError) as e:
        crmlens.ProfileState.from_bytes(bytes(raw))
    assert e.value.code == "INVALID_STATE" and "version" in str(e.value)
    for cut in (3, 11, len(raw) // 2, len(raw) - 1):
        with pytest.raises(crmlens.CrmlensError) as e:
            crmlens.ProfileState.from_bytes(a.to_bytes()[:cut])
        assert e.value.code == "PARSE_ERROR", cut
    # A partition twice: its rows would count twice.
    with pytest.raises(crmlens.CrmlensError) as e:
        crmlens.ProfileState.merge([crmlens.ProfileState.merge([a, b]), b])
    assert e.value.code == "INVALID_STATE" and "partition 1" in str(e.value)
    # States of other options do not merge.
    other = crmlens.ProfileState.update(parts[2], part=2, options={"topK": 3})
    with pytest.raises(crmlens.CrmlensError) as e:
        crmlens.ProfileState.merge([a, other])
    assert e.value.code == "INVALID_STATE"
    # A partition missing from the second pass: no report (its rows would be dropped).
    first = crmlens.ProfileState.merge([a, b, c])
    second = crmlens.ProfileState.merge([first.second_pass(parts[0], part=0), first.second_pass(parts[1], part=1)])
    with pytest.raises(crmlens.CrmlensError) as e:
        first.finish(second)
    assert e.value.code == "INVALID_STATE" and "both passes" in str(e.value)
    # A second pass planned from another first pass.
    ab = crmlens.ProfileState.merge([a, b])
    with pytest.raises(crmlens.CrmlensError) as e:
        first.finish(crmlens.ProfileState.merge([ab.second_pass(p, part=i) for i, p in enumerate(parts[:2])]))
    assert e.value.code == "INVALID_STATE"
    full = first.finish(crmlens.ProfileState.merge([first.second_pass(p, part=i) for i, p in enumerate(parts)]))
    assert full["dataset"]["rows"] == 1200 and full["load"]["batches"] == 3


def test_typed_partitions_of_different_schemas_are_invalid_state():
    """Arrow partitions whose column types do not merge (numbers in one, dates in another)."""
    t1 = pa.table({"id": ["a", "b"], "x": pa.array([1.5, 2.5])})
    t2 = pa.table({"id": ["c", "d"], "x": pa.array([1, 2], pa.date32())})
    s = crmlens.ProfileState.merge([crmlens.ProfileState.update(t1, part=0), crmlens.ProfileState.update(t2, part=1)])
    assert s.force_types() is not None  # text input would be read again; typed input cannot be
    with pytest.raises(crmlens.CrmlensError) as e:
        s.finish(crmlens.ProfileState.merge([s.second_pass(t, part=i) for i, t in enumerate([t1, t2])]))
    assert e.value.code == "INVALID_STATE" and "schema differs" in str(e.value) and '"x"' in str(e.value)


def test_bad_rows_are_counted_per_reason_across_partitions():
    head, lines = lines_of(TELCO)
    bad = list(lines[:300])
    bad[10] = bad[10] + ",extra,cells"
    bad[250] = "only,three,cells"
    parts = [crmlens.Lines(p, head) for p in pieces(bad, 3)]
    report = crmlens.profile(parts)
    whole = crmlens.profile_whole(crmlens.Lines(bad, head))
    assert report["load"]["rows"] == whole["dataset"]["rows"]
    total = lambda t: sum(x["count"] for x in t["issueCounts"])
    assert total(report["load"]) >= 2
    assert report["load"]["skippedRows"] + report["load"]["repairedRows"] >= 2
