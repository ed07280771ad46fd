// Arrow IPC benchmark: crmlens `ds.toArrow()` / `Dataset.fromArrow()` vs apache-arrow JS
// (tableToIPC / tableFromIPC) vs the CSV round trip, on the generated customer table
// (bench/gen-customers.mjs: ids, dates, categories, numbers, booleans, emails, notes).
// A benchmark, not a test: it prints a table, and checks that every route carries the
// same rows (OK / MISMATCH).
//
//   node --expose-gc bench/arrow.mjs [--rows 1000000] [--runs 3]
//
// Routes, out of crmlens:
//   crmlens toArrow              the table → IPC stream (one copy, straight into the Uint8Array)
//   apache-arrow from columns    what a page would do without toArrow: ds.column()/timestamps()
//                                → vectorFromArray (dictionary for categories) → tableToIPC
//   apache-arrow tableToIPC      serialising an apache-arrow Table that is already built
//   CSV                          ds.toCsv() (the text a CSV import into DuckDB would parse)
// and into crmlens:
//   crmlens fromArrow            IPC stream → the `arrow` module's wasm → Dataset bytes → the core
//   apache-arrow tableFromIPC    IPC stream → a JS Table (views over the bytes, no copy)
//   CSV                          Dataset.fromCsv(text) (parse + type inference)
// Median of --runs, one process (gc between runs when --expose-gc).
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as A from 'apache-arrow';
import { Dataset } from '../pkg/node.js';
import { csvPath, generate } from './gen-customers.mjs';
import { fmt, median } from './report.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const ROWS = Number(opt('--rows', 1000000));
const RUNS = Number(opt('--runs', 3));

const path = csvPath(ROWS);
if (!existsSync(path)) generate(ROWS);
const text = readFileSync(path);
const ds = Dataset.fromCsv(text);
const cols = ds.columns();

async function time(fn) {
  const ms = [];
  let out;
  for (let r = 0; r < RUNS; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    out = await fn();
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), out };
}

/** An apache-arrow Table built from crmlens's columns, the way a page would without toArrow. */
function fromColumns() {
  const vectors = {};
  for (const c of cols) {
    if (c.type === 'int64' || c.type === 'float64') {
      const v = ds.column(c.name);
      vectors[c.name] = A.vectorFromArray(Array.from(v, (x) => (Number.isNaN(x) ? null : x)), new A.Float64());
    } else if (c.type === 'date' || c.type === 'datetime') {
      const v = ds.timestamps(c.name);
      vectors[c.name] = A.vectorFromArray(Array.from(v, (x) => (Number.isNaN(x) ? null : x)), new A.TimestampMillisecond());
    } else if (c.type === 'bool') {
      vectors[c.name] = A.vectorFromArray(ds.column(c.name), new A.Bool());
    } else if (c.type === 'category') {
      vectors[c.name] = A.vectorFromArray(ds.column(c.name), new A.Dictionary(new A.Utf8(), new A.Int32()));
    } else {
      vectors[c.name] = A.vectorFromArray(ds.column(c.name), new A.Utf8());
    }
  }
  return new A.Table(vectors);
}

const out = [];
const toArrow = await time(() => ds.toArrow());
const ipc = toArrow.out;
out.push(['out', 'crmlens toArrow', toArrow.ms, ipc.length]);
const built = await time(() => A.tableToIPC(fromColumns(), 'stream'));
out.push(['out', 'apache-arrow from columns + tableToIPC', built.ms, built.out.length]);
const table = A.tableFromIPC(ipc);
const toIpc = await time(() => A.tableToIPC(table, 'stream'));
out.push(['out', 'apache-arrow tableToIPC (Table already built)', toIpc.ms, toIpc.out.length]);
const csv = await time(() => ds.toCsv());
out.push(['out', 'CSV: ds.toCsv()', csv.ms, Buffer.byteLength(csv.out)]);

(await Dataset.fromArrow(ipc)).free(); // loads the `arrow` module once, before the clock
const fromArrow = await time(async () => { const d = await Dataset.fromArrow(ipc); const n = d.numRows; d.free(); return n; });
out.push(['in', 'crmlens fromArrow', fromArrow.ms, ipc.length]);
const fromIpc = await time(() => A.tableFromIPC(ipc).numRows);
out.push(['in', 'apache-arrow tableFromIPC (views, no copy)', fromIpc.ms, ipc.length]);
const fromCsv = await time(() => { const d = Dataset.fromCsv(csv.out); const n = d.numRows; d.free(); return n; });
out.push(['in', 'CSV: Dataset.fromCsv(text)', fromCsv.ms, Buffer.byteLength(csv.out)]);

// Every route carries the same table.
const back = await Dataset.fromArrow(ipc);
const same = [
  back.toCsv() === csv.out,
  fromArrow.out === ds.numRows && fromIpc.out === ds.numRows && fromCsv.out === ds.numRows,
  A.tableFromIPC(built.out).numRows === ds.numRows,
];

console.log(`Arrow IPC, ${ROWS.toLocaleString('en')} rows × ${cols.length} columns (${cols.map((c) => c.type).join(', ')}), median of ${RUNS}`);
console.log(`| direction | route | ms | bytes | vs crmlens |`);
console.log(`|---|---|---:|---:|---:|`);
for (const [dir, name, ms, bytes] of out) {
  const base = dir === 'out' ? toArrow.ms : fromArrow.ms;
  console.log(`| ${dir} | ${name} | ${fmt(ms, 1)} | ${bytes.toLocaleString('en')} | ${fmt(ms / base, 2)}× |`);
}
console.log(same.every(Boolean) ? 'OK: every route carries the same rows' : `MISMATCH ${same}`);
