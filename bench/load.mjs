// Side-by-side loading benchmark: crmlens vs Papa Parse, d3-dsv and uDSV on the same
// customer CSV. A benchmark, not a test: it prints tables, it asserts nothing (except
// that the parsers agree on row counts and sums, reported as OK / MISMATCH).
//
//   node bench/load.mjs [--rows 1000000] [--runs 3] [--parsers a,b,...] [--breakdown]
//                       [--file path.csv] [--pkg DIR] [--json out.json]
//
// Every (parser, run) is a fresh child process (`--child` mode below), so peak RSS
// belongs to that parser alone and every run is a cold start, as for a user opening a
// file once. Timings use performance.now(); the file is read with fs.readFileSync
// before the clock starts, except for the streaming row, whose call reads the file.
// See bench/README.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, openAsBlob, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { COLUMNS, csvPath, generate } from './gen-customers.mjs';
import { makeParsers } from './parsers.mjs';
import { checks, fmt, mbps, median } from './report.mjs';

const SELF = fileURLToPath(import.meta.url);
const DEFAULT_PARSERS = ['crmlens', 'crmlens-stream', 'papaparse', 'd3-dsv', 'udsv'];
const BREAKDOWN_PARSERS = ['crmlens', 'crmlens-hinted', 'crmlens-string', 'papaparse', 'udsv'];
const GROUPS = {
  numeric: ['age', 'orders', 'revenue'],
  bool: ['is_active'],
  dates: ['signup_date', 'last_order'],
  category: ['country', 'city', 'segment'],
  text: ['customer_id', 'email', 'notes'],
};
const CHILD_FLAGS = ['--expose-gc'];

// The package measured: pkg/ by default, or another copy of it (--pkg DIR, or the
// CRMLENS_BENCH_PKG variable the parent hands to its children), e.g. a snapshot taken so
// that a rebuild of pkg/ during a long run cannot mix builds, or an older build for A/B.
const PKG = resolve(process.env.CRMLENS_BENCH_PKG ?? fileURLToPath(new URL('../pkg', import.meta.url)));
/** First 12 hex digits of the SHA-256 of the package's wasm: which build was measured. */
function wasmFingerprint() {
  return createHash('sha256').update(readFileSync(join(PKG, 'crmlens_bg.wasm'))).digest('hex').slice(0, 12);
}

// ---------------------------------------------------------------- child: one measurement
async function child(name, file) {
  const libs = {};
  if (name.startsWith('crmlens')) {
    libs.wasmSha = wasmFingerprint();
    const m = await import(pathToFileURL(join(PKG, 'node.js')).href);
    libs.Dataset = m.Dataset;
    libs.wasmMemory = () => m.initSync().memory.buffer.byteLength; // initialised: returns the exports
  } else if (name === 'papaparse') libs.Papa = (await import('papaparse')).default;
  else if (name === 'd3-dsv') Object.assign(libs, await import('d3-dsv'));
  else if (name === 'udsv') Object.assign(libs, await import('udsv'));
  const p = makeParsers(libs)[name];
  if (!p) throw new Error(`unknown parser ${name}`);

  const mb = (b) => b / 1e6;
  const rssBefore = process.resourceUsage().maxRSS * 1024;
  let readMs = 0, decodeMs = 0, t;
  // Main thread's on-CPU and run-queue wait time (ns) from the scheduler, Linux only:
  // on a shared machine the wait shows how much of the wall time other processes took.
  const sched = () => {
    try { const [run, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number); return { run, wait }; } catch { return null; }
  };
  let sched0 = null;
  const cpu0 = process.cpuUsage();
  let cpuRead = { user: 0, system: 0 };
  let input, bytes = null, text = null;
  if (p.input === 'blob') {
    input = await openAsBlob(file); // a handle only; fromFile reads it chunk by chunk
  } else {
    t = performance.now();
    const buf = readFileSync(file);
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    readMs = performance.now() - t;
    cpuRead = process.cpuUsage(cpu0);
    input = bytes;
  }
  sched0 = sched(); // the timed part starts here: decode (JS parsers) + parse
  if (p.input === 'text') {
    t = performance.now();
    text = new TextDecoder().decode(bytes);
    decodeMs = performance.now() - t;
    input = text;
  }
  t = performance.now();
  let result = p.load(input);
  if (result instanceof Promise) result = await result;
  const parseMs = performance.now() - t;
  const sched1 = sched();
  const cpuLoad = process.cpuUsage(cpu0);
  // CPU time of decode + parse, all threads of the process (V8's GC helpers included).
  const cpuMs = (cpuLoad.user + cpuLoad.system - cpuRead.user - cpuRead.system) / 1000;
  // Main thread only, decode + parse: on-CPU time and time spent waiting for a CPU.
  const mainCpuMs = sched0 && sched1 ? (sched1.run - sched0.run) / 1e6 : null;
  const waitMs = sched0 && sched1 ? (sched1.wait - sched0.wait) / 1e6 : null;
  t = performance.now();
  const sums = p.touch(result);
  const touchMs = performance.now() - t;
  const rows = p.rows(result);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const heapUsedAfterLoad = process.memoryUsage().heapUsed;

  // What the result keeps alive once the input bytes and string are let go.
  input = bytes = text = null;
  globalThis.gc(); globalThis.gc();
  const heapRetained = process.memoryUsage().heapUsed;
  const wasmMemory = libs.wasmMemory ? libs.wasmMemory() : 0;
  const datasetBytes = name.startsWith('crmlens') ? result.memoryBytes : 0;
  const types = p.types(result);

  // crmlens only: cost of copying every column out of wasm memory into JS values.
  let materializeMs = null;
  const materializeByColumn = {};
  if (name.startsWith('crmlens')) {
    let n = 0;
    for (const c of COLUMNS) {
      if (!(c in types)) continue;
      const t1 = performance.now();
      n += result.column(c).length;
      materializeByColumn[c] = performance.now() - t1;
    }
    materializeMs = Object.values(materializeByColumn).reduce((a, b) => a + b, 0);
    if (n < 0) console.error(n);
  }
  p.dispose(result);
  process.stdout.write(JSON.stringify({
    parser: name, file, bytes: statSync(file).size, rows, readMs, decodeMs, parseMs, cpuMs, mainCpuMs, waitMs, touchMs, materializeMs, materializeByColumn,
    peakRssMB: mb(peakRss), baseRssMB: mb(rssBefore), heapUsedAfterLoadMB: mb(heapUsedAfterLoad), heapRetainedMB: mb(heapRetained),
    wasmMemoryMB: mb(wasmMemory), datasetMB: mb(datasetBytes), sums, types, wasmSha: libs.wasmSha ?? null,
  }) + '\n');
}

// ---------------------------------------------------------------- parent: orchestration
function runChild(name, file) {
  const r = spawnSync(process.execPath, [...CHILD_FLAGS, SELF, '--child', name, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    return { parser: name, error: (r.stderr || r.stdout || `exit ${r.status} ${r.signal ?? ''}`).trim().split('\n').slice(-3).join(' / ') };
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

/** Fingerprints of the crmlens builds the children loaded (should be exactly one). */
const SEEN_WASM = new Set();

/** Runs every parser `runs` times (interleaved) on a file; returns per-parser medians. */
function measure(file, parsers, runs, log) {
  const all = Object.fromEntries(parsers.map((p) => [p, []]));
  for (let r = 0; r < runs; r++) {
    for (const p of parsers) {
      const res = runChild(p, file);
      all[p].push(res);
      if (res.wasmSha) SEEN_WASM.add(res.wasmSha);
      log(res.error ? `  run ${r + 1} ${p}: ERROR ${res.error}` : `  run ${r + 1} ${p}: load ${((res.decodeMs + res.parseMs) / 1000).toFixed(3)} s, peak RSS ${res.peakRssMB.toFixed(0)} MB`);
    }
  }
  const out = {};
  for (const p of parsers) {
    const ok = all[p].filter((x) => !x.error);
    if (!ok.length) { out[p] = { parser: p, error: all[p][0].error }; continue; }
    const med = (f) => median(ok.map(f));
    out[p] = {
      parser: p, runs: ok.length, bytes: ok[0].bytes, rows: ok[0].rows, sums: ok[0].sums, types: ok[0].types,
      loadMs: med((x) => x.decodeMs + x.parseMs), loadRange: [Math.min(...ok.map((x) => x.decodeMs + x.parseMs)), Math.max(...ok.map((x) => x.decodeMs + x.parseMs))],
      cpuMs: med((x) => x.cpuMs), mainCpuMs: med((x) => x.mainCpuMs), waitMs: med((x) => x.waitMs), readMs: med((x) => x.readMs), decodeMs: med((x) => x.decodeMs), parseMs: med((x) => x.parseMs), touchMs: med((x) => x.touchMs),
      materializeMs: med((x) => x.materializeMs),
      materializeByColumn: ok[0].materializeByColumn && Object.fromEntries(Object.keys(ok[0].materializeByColumn).map((c) => [c, med((x) => x.materializeByColumn[c])])), peakRssMB: med((x) => x.peakRssMB), baseRssMB: med((x) => x.baseRssMB),
      heapRetainedMB: med((x) => x.heapRetainedMB), wasmMemoryMB: med((x) => x.wasmMemoryMB), datasetMB: med((x) => x.datasetMB),
      rowsAgree: ok.every((x) => x.rows === ok[0].rows),
    };
  }
  return out;
}

const f = fmt;

function mainTable(res, parsers) {
  const ok = (p) => res[p] && !res[p].error;
  const papa = ok('papaparse') ? res.papaparse : null;
  const crm = ok('crmlens') ? res.crmlens : null;
  const lines = [
    '| parser | load s (median) | min–max | MB/s | × Papa | × crmlens | decode s (in load) | main-thread CPU s | × Papa by CPU | × crmlens by CPU | run-queue wait s | process CPU s | read s (not in load) | peak RSS MB | JS heap retained MB | wasm memory MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const p of parsers) {
    const m = res[p];
    if (m.error) { lines.push(`| ${p} | ERROR: ${m.error} |`); continue; }
    const v = mbps(m);
    const cpuRatio = (ref) => (ref && m.mainCpuMs && ref.mainCpuMs ? f(ref.mainCpuMs / m.mainCpuMs) : '–');
    lines.push(`| ${p} | ${f(m.loadMs / 1000, 3)} | ${f(m.loadRange[0] / 1000, 2)}–${f(m.loadRange[1] / 1000, 2)} | ${f(v, 1)} | ${papa ? f(v / mbps(papa)) : '–'} | ${crm ? f(v / mbps(crm)) : '–'} | ${m.decodeMs ? f(m.decodeMs / 1000, 3) : '–'} | ${f(m.mainCpuMs / 1000, 2)} | ${cpuRatio(papa)} | ${cpuRatio(crm)} | ${f(m.waitMs / 1000, 2)} | ${f(m.cpuMs / 1000, 2)} | ${p.startsWith('crmlens-stream') ? 'in load' : f(m.readMs / 1000, 3)} | ${f(m.peakRssMB, 0)} | ${f(m.heapRetainedMB, 0)} | ${m.wasmMemoryMB ? f(m.wasmMemoryMB, 0) : '–'} |`);
  }
  return lines.join('\n');
}

function typesTable(res, parsers) {
  const ok = parsers.filter((p) => !res[p].error && !p.startsWith('crmlens-stream'));
  const cols = COLUMNS.filter((c) => ok.some((p) => res[p].types?.[c]));
  const lines = [`| column | ${ok.join(' | ')} |`, `|---|${ok.map(() => '---').join('|')}|`];
  for (const c of cols) lines.push(`| ${c} | ${ok.map((p) => res[p].types?.[c] ?? '–').join(' | ')} |`);
  return lines.join('\n');
}

function crmlensExtras(res) {
  const lines = [];
  for (const p of ['crmlens', 'crmlens-stream']) {
    const m = res[p];
    if (!m || m.error) continue;
    lines.push(`- ${p}: dataset.memoryBytes ${f(m.datasetMB, 0)} MB; wasm memory after load ${f(m.wasmMemoryMB, 0)} MB; touching (3 × column() + sum) ${f(m.touchMs, 1)} ms; copying all ${Object.keys(m.types).length} columns out with column() ${f(m.materializeMs, 0)} ms (${Object.entries(m.materializeByColumn).map(([c, ms]) => `${c} ${f(ms, 0)}`).join(', ')})`);
  }
  return lines.join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : args[i + 1]; };
  const rows = Number(String(opt('--rows', '1000000')).replaceAll('_', ''));
  const runs = Number(opt('--runs', '3'));
  const parsers = opt('--parsers', DEFAULT_PARSERS.join(',')).split(',');
  const breakdown = args.includes('--breakdown');
  const jsonOut = opt('--json');
  let file = opt('--file');
  const log = (s) => process.stderr.write(s + '\n');

  if (!existsSync(join(PKG, 'node.js'))) throw new Error(`${PKG}/node.js is missing: run \`bash scripts/build.sh\` first`);
  if (!file) {
    file = csvPath(rows);
    if (!existsSync(file)) { log(`generating ${file} ...`); generate(rows); }
  }
  const bytes = statSync(file).size;
  const { version } = await import(pathToFileURL(join(PKG, 'node.js')).href);
  const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? 'unknown';
  const { availableParallelism, totalmem, loadavg } = await import('node:os');
  const load0 = loadavg()[0];
  const wasmSha = wasmFingerprint();
  let commit = 'unknown';
  try {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    commit = execFileSync('git', ['log', '-1', '--format=%h %cI'], { cwd, encoding: 'utf8' }).trim();
    if (execFileSync('git', ['status', '--porcelain', '--', 'src', 'js', 'Cargo.toml'], { cwd, encoding: 'utf8' }).trim()) commit += ' (+ uncommitted changes in src/ or js/)';
  } catch { /* not a checkout */ }
  const header = [
    `file: ${file} (${rows.toLocaleString('en')} rows requested, ${(bytes / 1e6).toFixed(1)} MB)`,
    `machine: ${availableParallelism()} cores, ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; runs: ${runs} (median)`,
    `crmlens ${version()} from ${PKG}, wasm sha256 ${wasmSha}… (identifies the build); repository HEAD at run time ${commit}`,
  ].join('\n');
  log(header);
  log('main comparison:');
  const res = measure(file, parsers, runs, log);
  const loadNote = `1-min load average: ${load0.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} after the main runs (on ${availableParallelism()} cores; above ~1 means other processes competed for the CPU)`;
  const out = [
    `### Load ${(bytes / 1e6).toFixed(1)} MB, ${res[parsers[0]].rows?.toLocaleString('en') ?? '?'} rows × 12 columns (Node)`,
    '', header, loadNote, '',
    mainTable(res, parsers), '',
    'Correctness:', checks(res, parsers), '',
    'Types produced (typeof / Date for JS values in the first 2,000 rows; crmlens column types):', '',
    typesTable(res, parsers), '',
    crmlensExtras(res),
  ];
  const json = { file, bytes, rows, runs, machine: header, results: res };

  if (breakdown) {
    log('breakdown by column type:');
    const bres = {};
    for (const [g, cols] of Object.entries(GROUPS)) {
      const path = csvPath(rows, cols);
      if (!existsSync(path)) { log(`generating ${path} ...`); generate(rows, { cols }); }
      log(` ${g} (${cols.join(',')})`);
      bres[g] = { cols, bytes: statSync(path).size, res: measure(path, BREAKDOWN_PARSERS, runs, log) };
    }
    // Each cell: MB/s by wall time, then MB/s by main-thread CPU time (robust to other
    // processes on the machine). Ratios and ns/field use main-thread CPU time.
    const cpuMbps = (m) => m.bytes / 1e6 / (m.mainCpuMs / 1000);
    const lines = [
      `| column group (file MB) | ${BREAKDOWN_PARSERS.map((p) => `${p} MB/s wall (CPU)`).join(' | ')} | crmlens CPU ns/field | crmlens ÷ Papa (CPU) | crmlens ÷ uDSV (CPU) |`,
      `|---|${BREAKDOWN_PARSERS.map(() => '---:').join('|')}|---:|---:|---:|`,
    ];
    for (const [g, b] of Object.entries(bres)) {
      const r = b.res;
      const cells = BREAKDOWN_PARSERS.map((p) => (r[p].error ? 'ERROR' : `${f(mbps(r[p]), 1)} (${f(cpuMbps(r[p]), 1)})`));
      const c = r.crmlens;
      const nsPerField = c.error ? null : (c.mainCpuMs * 1e6) / (c.rows * b.cols.length);
      const ratio = (p) => (c.error || r[p].error ? '–' : f(r[p].mainCpuMs / c.mainCpuMs));
      lines.push(`| ${g}: ${b.cols.join(', ')} (${f(b.bytes / 1e6, 1)}) | ${cells.join(' | ')} | ${f(nsPerField, 0)} | ${ratio('papaparse')} | ${ratio('udsv')} |`);
    }
    out.push('', `### Breakdown by column type (${rows.toLocaleString('en')} rows each, median of ${runs}; MB/s of decode+parse; ratios > 1 mean crmlens is faster)`, '', lines.join('\n'));
    const bad = Object.entries(bres).map(([g, b]) => [g, checks(b.res, BREAKDOWN_PARSERS)]).filter(([, c]) => /MISMATCH/.test(c));
    out.push('', bad.length ? bad.map(([g, c]) => `${g}:\n${c}`).join('\n') : 'Breakdown correctness: row counts and numeric sums agree for every group.');
    json.breakdown = bres;
  }
  const builds = [...SEEN_WASM];
  const stable = builds.length === 1 && builds[0] === wasmSha && wasmFingerprint() === wasmSha;
  out.push('', stable
    ? `Every crmlens run loaded the same build (wasm sha256 ${wasmSha}…).`
    : `WARNING: ${PKG} changed during the benchmark (builds seen: ${[wasmSha, ...builds, wasmFingerprint()].join(', ')}); the crmlens figures mix builds: run again.`);
  if (!stable) log(out.at(-1));
  json.wasmBuilds = builds;
  console.log(out.join('\n'));
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(json, null, 2));
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else {
  // --pkg DIR: re-run this script with CRMLENS_BENCH_PKG set, so parent and children agree.
  const i = process.argv.indexOf('--pkg');
  if (i > 0) {
    const argv = process.argv.slice(2).filter((_, j) => j !== i - 2 && j !== i - 1);
    const r = spawnSync(process.execPath, [SELF, ...argv], { stdio: 'inherit', env: { ...process.env, CRMLENS_BENCH_PKG: resolve(process.argv[i + 1]) } });
    process.exit(r.status ?? 1);
  }
  await main();
}
