// DuckDB-Wasm's counts for the rules differential test (tests/rules_duckdb.rs), the same as
// scripts/reference/rules_duckdb.py computes with DuckDB's Python package, from the npm dev
// dependency @duckdb/duckdb-wasm (Node blocking bundle). Reads tests/out/rules/cases.json,
// written by
//
//     cargo test --test rules_duckdb -- --ignored write_cases
//
// loads each table with its column types (an empty field is NULL) and counts per condition
// the rows where it is true and where it is NULL (SQL's unknown):
//
//     SELECT count(*) FILTER (WHERE cond), count(*) FILTER (WHERE (cond) IS NULL) FROM t
//
// Default: compares every count with tests/fixtures/rules/duckdb_counts.json and exits 1 on a
// difference. --write: writes that fixture from DuckDB-Wasm's counts instead.
// Run from the repository root: node scripts/reference/rules_duckdb_wasm.mjs [--write]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CASES = join(ROOT, 'tests/out/rules/cases.json');
const FIXTURE = join(ROOT, 'tests/fixtures/rules/duckdb_counts.json');
const TYPES = { int64: 'BIGINT', float64: 'DOUBLE', bool: 'BOOLEAN', date: 'DATE', datetime: 'TIMESTAMP', category: 'VARCHAR', text: 'VARCHAR' };
const quote = (name) => `"${name.replace(/"/g, '""')}"`;

const require = createRequire(import.meta.url);
const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
const DIST = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
const db = await duckdb.createDuckDB({
  mvp: { mainModule: join(DIST, 'duckdb-mvp.wasm'), mainWorker: join(DIST, 'duckdb-node-mvp.worker.cjs') },
  eh: { mainModule: join(DIST, 'duckdb-eh.wasm'), mainWorker: join(DIST, 'duckdb-node-eh.worker.cjs') },
}, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
await db.instantiate();
const conn = db.connect();
const version = conn.query('SELECT version() AS v').toArray()[0].v;

const doc = JSON.parse(readFileSync(CASES, 'utf8'));
for (const [name, t] of Object.entries(doc.tables)) {
  const file = `${name}.csv`;
  db.registerFileText(file, readFileSync(t.csv, 'utf8'));
  const cols = t.schema.map((c) => `${quote(c.name)}: '${TYPES[c.type]}'`).join(', ');
  conn.query(`CREATE TABLE ${quote(name)} AS SELECT * FROM read_csv('${file}', header = true, auto_detect = false, `
    + `columns = {${cols}}, nullstr = '', quote = '"', escape = '"', delim = ',')`);
  console.error(`${name}: ${conn.query(`SELECT count(*) AS n FROM ${quote(name)}`).toArray()[0].n} rows`);
}
const out = doc.cases.map((c) => {
  const row = conn.query(`SELECT count(*) FILTER (WHERE ${c.sql}) AS m, count(*) FILTER (WHERE (${c.sql}) IS NULL) AS u FROM ${quote(c.table)}`).toArray()[0];
  return [c.table, c.hash, Number(row.m), Number(row.u)];
});

if (process.argv.includes('--write')) {
  const head = JSON.stringify({ source: 'scripts/reference/rules_duckdb_wasm.mjs', duckdb: `duckdb-wasm ${version}`, seed: doc.seed }).slice(0, -1);
  writeFileSync(FIXTURE, `${head}, "cases": [\n${out.map((c) => JSON.stringify(c)).join(',\n')}\n]}\n`);
  console.log(`${out.length} cases -> ${FIXTURE}`);
} else {
  const want = JSON.parse(readFileSync(FIXTURE, 'utf8')).cases;
  let diff = 0;
  out.forEach((c, i) => {
    if (JSON.stringify(c) !== JSON.stringify(want[i])) {
      diff++;
      if (diff <= 20) console.log(`case ${i + 1}: DuckDB-Wasm ${JSON.stringify(c)} fixture ${JSON.stringify(want[i])}\n  ${doc.cases[i].sql}`);
    }
  });
  console.log(`${out.length} cases, DuckDB-Wasm ${version} vs the fixture: ${diff} differ`);
  process.exitCode = diff || out.length !== want.length ? 1 : 0;
}
