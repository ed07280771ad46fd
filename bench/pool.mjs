// CrmlensPool scaling (issue 22): load + profile of the 10^6 × 20 benchmark file with 1, 2
// and 4 pool workers (Node worker_threads), against one Dataset on the main thread, and
// optionally DuckDB-Wasm (read_csv + SUMMARIZE, its blocking Node bundle: one thread) in the
// same run.
//
//   node bench/pool.mjs [--rows 1000000] [--runs 3] [--workers 1,2,4] [--duckdb]
//
// Each configuration: one warm-up, then the median of --runs (load = fromFile, profile =
// ds.profile(), both timed from the page). The pool's startup (compile once + N workers
// instantiating it) is timed apart. Prints markdown. Not a test: it checks only that every
// configuration saw the same rows and the same profile row count and duplicate count.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import { generate, profileCsvPath } from './gen-profile.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const rows = Number(opt('--rows', 1000000));
const runs = Number(opt('--runs', 3));
const counts = opt('--workers', '1,2,4').split(',').map(Number);
const file = profileCsvPath(rows);
if (!existsSync(file)) generate(rows);
const bytes = readFileSync(file);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const check = { rows: null, duplicates: null };
const same = (what, r) => {
  check.rows ??= r.rows;
  check.duplicates ??= r.duplicates;
  if (r.rows !== check.rows || r.duplicates !== check.duplicates) throw new Error(`${what}: ${JSON.stringify(r)} vs ${JSON.stringify(check)}`);
};

const results = [];

// ---- one Dataset on the main thread
const m = await import('../pkg/node.js');
// CPU seconds of the whole process (every thread: the page and the pool's worker_threads):
// on a loaded machine the wall time says little about scaling, the CPU a run needs says what
// it would take on free cores.
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function single() {
  const c0 = cpu();
  const t0 = performance.now();
  const ds = m.Dataset.fromCsv(bytes);
  const t1 = performance.now();
  const rep = ds.profile();
  const t2 = performance.now();
  ds.free();
  return { load: t1 - t0, profile: t2 - t1, cpu: cpu() - c0, rows: rep.dataset.rows, duplicates: rep.dataset.duplicateRows };
}
single();
{
  const rs = Array.from({ length: runs }, single);
  rs.forEach((r) => same('single', r));
  results.push({ name: 'Dataset (main thread)', load: median(rs.map((r) => r.load)), profile: median(rs.map((r) => r.profile)), cpu: median(rs.map((r) => r.cpu)) });
}

// ---- the pool
const { CrmlensPool } = await import('../pkg/pool-node.js');
const blob = new Blob([bytes]);
for (const n of counts) {
  const t0 = performance.now();
  const pool = new CrmlensPool({ workers: n });
  await pool.ready;
  const startup = performance.now() - t0;
  const once = async () => {
    const c0 = cpu();
    const a = performance.now();
    const ds = await pool.fromFile(blob);
    const b = performance.now();
    const rep = await ds.profile();
    const c = performance.now();
    const shards = ds.numShards;
    await ds.free();
    return { load: b - a, profile: c - b, cpu: cpu() - c0, rows: rep.dataset.rows, duplicates: rep.dataset.duplicateRows, shards };
  };
  await once();
  const rs = [];
  for (let i = 0; i < runs; i++) rs.push(await once());
  rs.forEach((r) => same(`pool ${n}`, r));
  results.push({ name: `CrmlensPool, ${n} worker${n > 1 ? 's' : ''} (${rs[0].shards} shards)`, workers: n, startup, load: median(rs.map((r) => r.load)), profile: median(rs.map((r) => r.profile)), cpu: median(rs.map((r) => r.cpu)) });
  pool.terminate();
}

// ---- DuckDB-Wasm (blocking Node bindings, one thread, in this process)
if (args.includes('--duckdb')) {
  const require = createRequire(import.meta.url);
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const DIST = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const db = await duckdb.createDuckDB({
    mvp: { mainModule: join(DIST, 'duckdb-mvp.wasm'), mainWorker: join(DIST, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(DIST, 'duckdb-eh.wasm'), mainWorker: join(DIST, 'duckdb-node-eh.worker.cjs') },
  }, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  const conn = db.connect();
  db.registerFileBuffer('data.csv', bytes);
  const duck = () => {
    const t0 = performance.now();
    conn.query("CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv('data.csv')");
    const t1 = performance.now();
    conn.query('SUMMARIZE t');
    const t2 = performance.now();
    return { load: t1 - t0, profile: t2 - t1 };
  };
  duck();
  const rs = Array.from({ length: runs }, duck);
  results.push({ name: 'DuckDB-Wasm read_csv + SUMMARIZE (blocking Node bundle)', load: median(rs.map((r) => r.load)), profile: median(rs.map((r) => r.profile)) });
}

const base = results.find((r) => r.workers === 1);
const s = (ms) => (ms / 1000).toFixed(2);
console.log(`\n${rows.toLocaleString('en')} × 20 CSV (${(bytes.length / 1e6).toFixed(0)} MB), median of ${runs}; ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
console.log('| configuration | startup s | load s | profile s | load + profile s | speed-up vs 1 worker | CPU s (all threads) |');
console.log('|---|---|---|---|---|---|---|');
for (const r of results) {
  const total = r.load + r.profile;
  const ratio = base ? ((base.load + base.profile) / total).toFixed(2) + '×' : '';
  console.log(`| ${r.name} | ${r.startup != null ? s(r.startup) : ''} | ${s(r.load)} | ${s(r.profile)} | ${s(total)} | ${ratio} | ${r.cpu != null ? s(r.cpu) : ''} |`);
}
