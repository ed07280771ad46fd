"""DuckDB (native, Python) counting the 20 conditions of examples/rules_timing.rs on the same
10^6 rows, for a side-by-side with crmlens' native evaluation:

    cargo run --release --example rules_timing -- 1000000 --csv /tmp/rules_1m.csv
    /tmp/venv-rules/bin/python bench/rules_native.py /tmp/rules_1m.csv

Prints the median of 5 runs of (a) 20 `SELECT count(*) … WHERE cond` queries and (b) one
query with 20 `count(*) FILTER (WHERE cond)`, with DuckDB's default threads and with one.
"""

import json
import statistics
import sys
import time

import duckdb

path = sys.argv[1]
conds = json.load(open(path + ".sql.json"))
con = duckdb.connect()
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, header = true, types = {'rfm': 'VARCHAR'})", [path])
print("rows", con.execute("SELECT count(*) FROM t").fetchone()[0], "duckdb", duckdb.__version__)


def median_ms(f, n=5):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def separate():
    return [con.execute(f"SELECT count(*) FROM t WHERE {c}").fetchone()[0] for c in conds]


one = "SELECT " + ", ".join(f"count(*) FILTER (WHERE {c})" for c in conds) + " FROM t"
print("matched", separate())
for threads in [None, 1]:
    if threads:
        con.execute(f"SET threads = {threads}")
    label = f"threads={threads or con.execute('SELECT current_setting(' + repr('threads') + ')').fetchone()[0]}"
    print(f"{label}: 20 queries {median_ms(separate):.1f} ms; one query with 20 filters {median_ms(lambda: con.execute(one).fetchone()):.1f} ms")
