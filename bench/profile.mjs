// Profile benchmark: crmlens dataset.profile() vs DuckDB-Wasm SUMMARIZE (Node, same process)
// vs ydata-profiling minimal mode (Python), on a 1,000,000 × 20 customer CSV.
//
//   node bench/profile.mjs [--rows 1000000] [--runs 3] [--python /tmp/venv-profile-ydata/bin/python] [--no-ydata]
//
// crmlens and DuckDB each: one warm-up, then the median of --runs, timing loading (bytes →
// table) and profiling (table → report) separately. ydata-profiling runs once per --py-runs.
// Prints markdown. Not a test: it checks only that both engines saw the same row count.
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generate, profileCsvPath } from './gen-profile.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const rows = Number(opt('--rows', 1000000));
const runs = Number(opt('--runs', 3));
const pyRuns = Number(opt('--py-runs', 1));
const python = opt('--python', '/tmp/venv-profile-ydata/bin/python');
const file = profileCsvPath(rows);
if (!existsSync(file)) generate(rows);
const bytes = readFileSync(file);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

// ---- crmlens
const m = await import('../pkg/node.js');
const wasmMemory = () => m.initSync().memory.buffer.byteLength;
function crmlensRun(options) {
  const t0 = performance.now();
  const ds = m.Dataset.fromCsv(bytes);
  const t1 = performance.now();
  const rep = ds.profile(options);
  const t2 = performance.now();
  const out = { load: t1 - t0, profile: t2 - t1, rows: rep.dataset.rows, memoryBytes: rep.dataset.memoryBytes, alerts: rep.alerts.length, wasm: wasmMemory() };
  ds.free();
  return out;
}
const variants = { full: undefined, noCorrelations: { correlations: false } };
const cr = {};
for (const [k, o] of Object.entries(variants)) {
  crmlensRun(o);
  const rs = Array.from({ length: runs }, () => crmlensRun(o));
  cr[k] = { load: median(rs.map((r) => r.load)), profile: median(rs.map((r) => r.profile)), last: rs.at(-1) };
}

// ---- DuckDB-Wasm (blocking Node bindings, in this process)
const require = createRequire(import.meta.url);
const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
const DIST = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
const duckVersion = JSON.parse(readFileSync(join(DIST, '..', 'package.json'), 'utf8')).version;
const db = await duckdb.createDuckDB({
  mvp: { mainModule: join(DIST, 'duckdb-mvp.wasm'), mainWorker: join(DIST, 'duckdb-node-mvp.worker.cjs') },
  eh: { mainModule: join(DIST, 'duckdb-eh.wasm'), mainWorker: join(DIST, 'duckdb-node-eh.worker.cjs') },
}, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
await db.instantiate();
const conn = db.connect();
db.registerFileBuffer('data.csv', bytes);
function duckRun() {
  conn.query('DROP TABLE IF EXISTS t');
  const t0 = performance.now();
  conn.query("CREATE TABLE t AS SELECT * FROM read_csv_auto('data.csv')");
  const t1 = performance.now();
  const s = conn.query('SUMMARIZE t');
  const t2 = performance.now();
  const n = Number(conn.query('SELECT count(*) AS n FROM t').toArray()[0].n);
  return { load: t1 - t0, profile: t2 - t1, rows: n, columns: s.numRows };
}
duckRun();
const dr = Array.from({ length: runs }, duckRun);
const duck = { load: median(dr.map((r) => r.load)), profile: median(dr.map((r) => r.profile)), last: dr.at(-1) };

// ---- ydata-profiling
let yd = null;
if (!args.includes('--no-ydata')) {
  try {
    yd = JSON.parse(execFileSync(python, [new URL('./profile_ydata.py', import.meta.url).pathname, '--file', file, '--runs', String(pyRuns)],
      { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').at(-1));
  } catch (e) { console.error(`ydata-profiling skipped: ${e.message.split('\n')[0]}`); }
}

// ---- report
const f = (ms) => (ms / 1000).toFixed(3);
const x = (a, b) => (a / b).toFixed(2);
const lines = [];
const p = (s = '') => lines.push(s);
p(`${file.split('/').pop()}: ${rows.toLocaleString('en')} rows × 20 columns, ${(bytes.length / 1e6).toFixed(1)} MB. crmlens and DuckDB-Wasm ${duckVersion}: median of ${runs} after a warm-up, in one Node ${process.version} process${yd ? `; ydata-profiling ${yd.ydata} (pandas ${yd.pandas}) minimal mode, ${pyRuns} run` : ''}.`);
p();
p('| engine | load s | profile s | load + profile s | profile × crmlens full | total × crmlens full |');
p('|---|---:|---:|---:|---:|---:|');
const base = cr.full;
const row = (name, r) => p(`| ${name} | ${f(r.load)} | ${f(r.profile)} | ${f(r.load + r.profile)} | ${x(r.profile, base.profile)} | ${x(r.load + r.profile, base.load + base.profile)} |`);
row('crmlens `profile()` (all statistics, correlations)', cr.full);
row('crmlens `profile({ correlations: false })`', cr.noCorrelations);
row('DuckDB-Wasm `SUMMARIZE`', duck);
if (yd) row('ydata-profiling `minimal=True`', { load: yd.read_s * 1000, profile: yd.profile_s * 1000 });
p();
// Like for like: neither ydata-profiling's minimal mode nor SUMMARIZE computes correlations, so
// the fair crmlens side is `profile({ correlations: false })`; loading is timed apart everywhere.
const nc = cr.noCorrelations.profile;
p(`Profile-step ratios (other ÷ crmlens): DuckDB SUMMARIZE ÷ crmlens no-correlations ${x(duck.profile, nc)}, ÷ crmlens full ${x(duck.profile, base.profile)}${yd ? `; ydata minimal ÷ crmlens no-correlations ${x(yd.profile_s * 1000, nc)}, ÷ crmlens full ${x(yd.profile_s * 1000, base.profile)}` : ''}. Load average ${(await import('node:os')).loadavg().map((v) => v.toFixed(2)).join(' ')}.`);
p();
p(`Rows seen: crmlens ${base.last.rows}, DuckDB ${duck.last.rows}${base.last.rows === duck.last.rows ? '' : ' MISMATCH'}. crmlens table ${(base.last.memoryBytes / 1e6).toFixed(0)} MB (columnar), wasm memory after the runs ${(base.last.wasm / 1e6).toFixed(0)} MB; ${base.last.alerts} alerts.`);
console.log(lines.join('\n'));
