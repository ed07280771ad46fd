// CrmlensPool scaling (issue 22): load + profile of the 10^6 × 20 benchmark file with 1, 2
// and 4 pool workers (Node worker_threads), against one Dataset on the main thread, and
// optionally DuckDB-Wasm (read_csv + SUMMARIZE, its blocking Node bundle: one thread) in the
// same run. Then the scaling of k-means (pool.segment's sharded k-means on 8 numeric columns
// of the same file, k = 5, 3 restarts) and of sentiment (10^5 real Chinese reviews: the
// waimai_10k texts cycled) with --scale-workers pool workers (default 1,2); the 1-worker row
// runs the same sharded k-means code over one shard (pool-kmeans.js), so the rows compare the
// same work. k-means labels are checked equal across worker counts.
//
//   node bench/pool.mjs [--rows 1000000] [--runs 3] [--workers 1,2,4] [--duckdb]
//                       [--scale-workers 1,2] [--texts 100000] [--no-kmeans] [--no-sentiment]
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

// ---- k-means and sentiment scaling
const scaleCounts = opt('--scale-workers', '1,2').split(',').map(Number);
const scaling = [];
const timed = async (fn) => {
  await fn();
  const rs = [];
  for (let i = 0; i < runs; i++) {
    const c0 = cpu();
    const a = performance.now();
    const out = await fn();
    rs.push({ wall: performance.now() - a, cpu: cpu() - c0, out });
  }
  return { wall: median(rs.map((r) => r.wall)), cpu: median(rs.map((r) => r.cpu)), out: rs[0].out };
};
if (!args.includes('--no-kmeans')) {
  const { shardedKMeans } = await import('../pkg/pool-kmeans.js');
  const kopts = { columns: ['age', 'orders', 'tenure_days', 'visits', 'revenue', 'avg_basket', 'score', 'balance'], k: 5, nInit: 3, seed: 1, algorithm: 'kmeans' };
  let labels0 = null;
  for (const n of scaleCounts) {
    const pool = new CrmlensPool({ workers: n });
    const ds = await pool.fromFile(blob, { minShardBytes: 0 });
    const r = await timed(() => shardedKMeans(ds.liveShards(), kopts));
    labels0 ??= r.out.labels;
    if (r.out.labels.some((l, i) => l !== labels0[i])) throw new Error(`k-means with ${n} workers: other labels than with ${scaleCounts[0]}`);
    scaling.push({ what: `k-means, ${rows.toLocaleString('en')} rows × 8, k = 5, nInit 3 (${r.out.iterations} iterations in the best run)`, n, shards: ds.numShards, wall: r.wall, cpu: r.cpu });
    await ds.free();
    pool.terminate();
  }
}
if (!args.includes('--no-sentiment')) {
  const texts = Number(opt('--texts', 100000));
  const lines = readFileSync(new URL('../../shared/data/waimai_10k/waimai_10k.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
  let csv = 'label,review\n';
  for (let i = 0; i < texts; i++) csv += lines[i % lines.length] + '\n';
  const sbytes = new TextEncoder().encode(csv);
  let summary0 = null;
  for (const n of scaleCounts) {
    const pool = new CrmlensPool({ workers: n });
    const ds = await pool.fromFile(new Blob([sbytes]), { minShardBytes: 0 });
    const r = await timed(() => pool.sentiment(ds, { column: 'review' }));
    summary0 ??= JSON.stringify([r.out.summary.positive, r.out.summary.negative]);
    if (JSON.stringify([r.out.summary.positive, r.out.summary.negative]) !== summary0) throw new Error(`sentiment with ${n} workers: other counts`);
    scaling.push({ what: `sentiment, ${texts.toLocaleString('en')} Chinese reviews (${(sbytes.length / 1e6).toFixed(1)} MB)`, n, shards: ds.numShards, wall: r.wall, cpu: r.cpu });
    await ds.free();
    pool.terminate();
  }
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
if (scaling.length) {
  console.log(`\nScaling with pool workers (median of ${runs} after a warm-up; load average now ${loadavg().map((x) => x.toFixed(1)).join(' ')}: on a busy host wall times are not a result, the CPU seconds are the work)\n`);
  console.log('| work | workers (shards) | wall s | speed-up vs 1 worker | CPU s (all threads) |');
  console.log('|---|---|---|---|---|');
  for (const r of scaling) {
    const one = scaling.find((x) => x.what === r.what && x.n === 1);
    console.log(`| ${r.what} | ${r.n} (${r.shards}) | ${s(r.wall)} | ${one ? (one.wall / r.wall).toFixed(2) + '×' : ''} | ${s(r.cpu)} |`);
  }
}
