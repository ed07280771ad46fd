"""DuckDB's counts for the rules differential test (tests/rules_duckdb.rs).

Reads tests/out/rules/cases.json, written by

    cargo test --test rules_duckdb -- --ignored write_cases

(the tables as crmlens loaded them, as CSV with their column types, and the generated
conditions rendered as SQL), loads each table into DuckDB with those types (an empty field is
NULL), and counts for every condition the rows where it is true and the rows where it is NULL
(SQL's unknown):

    SELECT count(*) FILTER (WHERE cond), count(*) FILTER (WHERE (cond) IS NULL) FROM t

It writes tests/fixtures/rules/duckdb_counts.json with, per case, `[table, hash of the crmlens
expression text (so the test knows it compares the same case), matched, undecided]`; the
conditions themselves are not stored (they quote Telco values, which may not be copied into
the repository).

Run from the repository root (duckdb from PyPI):

    python3 -m venv /tmp/venv-rules && /tmp/venv-rules/bin/pip install duckdb==2.0.1
    /tmp/venv-rules/bin/python scripts/reference/rules_duckdb.py
"""

import json
import os

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CASES = os.path.join(ROOT, "tests", "out", "rules", "cases.json")
OUT = os.path.join(ROOT, "tests", "fixtures", "rules", "duckdb_counts.json")

TYPES = {
    "int64": "BIGINT",
    "float64": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "category": "VARCHAR",
    "text": "VARCHAR",
}


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def main():
    with open(CASES, encoding="utf-8") as f:
        doc = json.load(f)
    con = duckdb.connect()
    for name, t in doc["tables"].items():
        cols = ", ".join(f"{quote(c['name'])}: '{TYPES[c['type']]}'" for c in t["schema"])
        # Every column given with its type; only an empty field is NULL.
        con.execute(
            f"CREATE TABLE {quote(name)} AS SELECT * FROM read_csv(?, header = true, auto_detect = false, "
            f"columns = {{{cols}}}, nullstr = '', quote = '\"', escape = '\"', delim = ',')",
            [t["csv"]],
        )
        rows = con.execute(f"SELECT count(*) FROM {quote(name)}").fetchone()[0]
        print(f"{name}: {rows} rows")
    out = []
    for c in doc["cases"]:
        sql = c["sql"]
        matched, undecided = con.execute(
            f"SELECT count(*) FILTER (WHERE {sql}), count(*) FILTER (WHERE ({sql}) IS NULL) FROM {quote(c['table'])}"
        ).fetchone()
        out.append([c["table"], c["hash"], matched, undecided])
    result = {
        "source": "scripts/reference/rules_duckdb.py",
        "duckdb": duckdb.__version__,
        "seed": doc["seed"],
        "cases": out,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    # One case per line: [table, hash of the crmlens text, matched, undecided].
    head = json.dumps({k: v for k, v in result.items() if k != "cases"})[:-1]
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(head + ', "cases": [\n')
        f.write(",\n".join(json.dumps(c) for c in out))
        f.write("\n]}\n")
    print(f"{len(out)} cases -> {OUT}")


if __name__ == "__main__":
    main()
