"""Errors carry the JS package's codes; no partition's rows are dropped silently."""

from __future__ import annotations

import pyarrow as pa
import pytest

import crmlens
from conftest import lines_of

CDNOW = "cdnow_lifetimes/CDNOW_master.txt"
COLS = dict(customer="customer_id", date="date", amount="dollar_value")


def state(lines, head, part, **cols):
    return crmlens.CustomerSummary.update(crmlens.Lines(lines, head), part=part, **(cols or COLS))


def test_other_version_is_invalid_state_and_damaged_bytes_parse_error():
    head, lines = lines_of(CDNOW)
    b = bytearray(state(lines[:500], head, 0).to_bytes())
    assert b[:8] == b"CRMSVALU"
    other = bytearray(b)
    other[8:10] = (crmlens.SUMMARY_STATE_VERSION + 1).to_bytes(2, "little")
    with pytest.raises(crmlens.CrmlensError) as e:
        crmlens.CustomerSummary.from_bytes(bytes(other))
    assert e.value.code == "INVALID_STATE" and "version" in str(e.value)
    for cut in (3, 11, len(b) // 2, len(b) - 1):
        with pytest.raises(crmlens.CrmlensError) as e:
            crmlens.CustomerSummary.from_bytes(bytes(b[:cut]))
        assert e.value.code == "PARSE_ERROR", cut
    with pytest.raises(crmlens.CrmlensError) as e:
        crmlens.CustomerSummary.merge([crmlens.CustomerSummary(bytes(b)), crmlens.CustomerSummary(b"garbage bytes!")])
    assert e.value.code == "PARSE_ERROR"


def test_states_of_other_columns_or_the_same_partition_twice_do_not_merge():
    head, lines = lines_of(CDNOW)
    a = state(lines[:100], head, 0)
    b = state(lines[100:200], head, 1, customer="customer_id", date="date", amount="number_of_cds")
    with pytest.raises(crmlens.CrmlensError) as e:
        crmlens.CustomerSummary.merge([a, b])
    assert e.value.code == "INVALID_STATE" and "different columns" in str(e.value)
    with pytest.raises(crmlens.CrmlensError) as e:
        crmlens.CustomerSummary.merge([a, state(lines[100:200], head, 0)])
    assert e.value.code == "INVALID_STATE" and "partition 0" in str(e.value)


def test_a_partition_whose_schema_differs_is_a_clear_error():
    # Partition 2 of a typed table has the amount as text: INVALID_OPTION naming the column,
    # as the JS customerValue says for a text amount column.
    good = pa.table({"customer_id": [1, 2], "date": ["1997-01-01", "1997-01-02"], "dollar_value": [1.5, 2.0]})
    bad = pa.table({"customer_id": [3], "date": ["1997-01-03"], "dollar_value": ["n/a"]})
    crmlens.CustomerSummary.update(good, part=1, **COLS)
    with pytest.raises(crmlens.CrmlensError) as e:
        crmlens.CustomerSummary.update(bad, part=2, **COLS)
    assert e.value.code == "INVALID_OPTION" and e.value.field == "amount" and "dollar_value" in str(e.value)


def csv_partition(lines):
    """CDNOW rows as comma-separated lines (customer_id,date,dollar_value)."""
    return [",".join(l.split()[i] for i in (0, 1, 3)) for l in lines]


def test_a_partition_that_fails_to_parse_is_an_error_with_its_code_and_line():
    head, lines = lines_of(CDNOW)
    rows = csv_partition(lines[:50])
    rows[20] = rows[20] + ",extra,fields"
    batch = crmlens.Lines(rows, "customer_id,date,dollar_value", load={"onBadRows": "error"})
    with pytest.raises(crmlens.CrmlensError) as e:
        crmlens.CustomerSummary.update(batch, part=7, **COLS)
    # The code Dataset.fromCsv gives for this text; the line within the partition (header = 1)
    # and the partition's number.
    assert (e.value.code, e.value.line, e.value.part) == ("RAGGED_ROW", 22, 7), str(e.value)


def test_bad_records_skipped_by_the_loader_are_counted_over_partitions():
    head, lines = lines_of(CDNOW)
    a, b = csv_partition(lines[:300]), csv_partition(lines[300:600])
    a[10] += ",x,y"
    b[5] += ",x,y"
    b[7] += ",x,y"
    hdr = "customer_id,date,dollar_value"
    load = {"onBadRows": "skip"}
    s = crmlens.CustomerSummary.merge([
        crmlens.CustomerSummary.update(crmlens.Lines(b, hdr, load), part=1, **COLS),
        crmlens.CustomerSummary.update(crmlens.Lines(a, hdr, load), part=0, **COLS),
    ])
    got = s.rows["load"]
    assert got["skippedRows"] == 3 and got["rows"] == 597, got
    assert sum(c["count"] for c in got["issueCounts"]) >= 3, got


def test_rows_left_out_are_counted_per_reason_and_summed_over_partitions():
    head, lines = lines_of(CDNOW)
    # Partition 0: two rows without a customer; partition 1: a negative amount and a bad date.
    hdr = "customer_id,date,dollar_value"
    p0 = csv_partition(lines[:100]) + [",19970105,10.00", ",19970106,11.00"]
    p1 = csv_partition(lines[100:200]) + ["99999,19970107,-5.00", "99998,,5.00"]
    s = crmlens.CustomerSummary.merge([state(p1, hdr, 1), state(p0, hdr, 0)])
    r = s.rows
    assert r["load"]["rows"] == 204 and r["load"]["batches"] == 2
    rows = r["rows"]
    assert rows["rows"] == 204
    left_out = {k: v for k, v in rows.items() if k not in ("rows", "used", "examples") and v}
    assert sum(left_out.values()) + rows["used"] == 204, rows
    assert rows["used"] < 204
    # Each bad row is reported at its place in the merged input (file order, not merge order).
    assert {k: v for k, v in left_out.items()} == {"missingCustomer": 2, "negativeAmount": 1, "missingDate": 1}, rows
    assert [e["row"] for e in rows["examples"]] == [100, 101, 202, 203], rows["examples"]
