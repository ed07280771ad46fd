// The loading benchmark in headless Chromium: same parsers, same file, same measures as
// load.mjs, but in a browser page (crmlens via pkg/index.js, the bundler/browser entry).
//
//   node bench/browser.mjs [--rows 1000000] [--runs 3] [--parsers a,b,...] [--pkg DIR] [--json out.json]
//
// Every (parser, run) gets a freshly launched browser with one page, so the renderer's
// peak RSS (VmHWM from /proc, Linux only) belongs to that parser alone. The page fetches
// the CSV from a 127.0.0.1 server (scripts/serve.mjs) into memory before the clock starts;
// the timed part is decode + parse, as in load.mjs. Nothing leaves localhost.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { csvPath, generate } from './gen-customers.mjs';
import { checks, fmt, mbps, median } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const DEFAULT_PARSERS = ['crmlens', 'crmlens-stream', 'papaparse', 'd3-dsv', 'udsv'];
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

// --pkg DIR serves another copy of the package at /pkg/ (see load.mjs).
const pkgArg = process.argv.indexOf('--pkg');
const PKG = resolve(pkgArg > 0 ? process.argv[pkgArg + 1] : join(root, 'pkg'));
const wasmFingerprint = () => createHash('sha256').update(readFileSync(join(PKG, 'crmlens_bg.wasm'))).digest('hex').slice(0, 12);

/** Peak RSS (VmHWM) of the largest Chromium renderer process descending from rootPid, in MB. */
function rendererPeakMB(rootPid) {
  const procs = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      const hwm = readFileSync(`/proc/${d}/status`, 'utf8').match(/VmHWM:\s*(\d+) kB/);
      procs.push({ pid: Number(d), ppid, renderer: cmd.includes('--type=renderer'), hwmKB: hwm ? Number(hwm[1]) : 0 });
    } catch { /* the process exited meanwhile */ }
  }
  const mine = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (!mine.has(p.pid) && mine.has(p.ppid)) { mine.add(p.pid); grew = true; }
  }
  const r = procs.filter((p) => mine.has(p.pid) && p.renderer).map((p) => p.hwmKB);
  return r.length ? Math.max(...r) * 1024 / 1e6 : null;
}

async function runOnce(url, parser, fileUrl, log) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => log(`  [page error] ${e.message}`));
    await page.goto(`${url}bench/browser.html?parser=${encodeURIComponent(parser)}&file=${encodeURIComponent(fileUrl)}`);
    await page.waitForFunction(() => window.__result, null, { timeout: 600_000, polling: 200 });
    const res = await page.evaluate(() => window.__result);
    if (res.error) return res;
    // JS heap kept by the result once the input is dropped (the page nulls its references).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    res.heapRetainedMB = usedSize / 1e6;
    res.peakRssMB = rendererPeakMB(process.pid); // the browser is a child of this process; one is open at a time
    return res;
  } catch (e) {
    return { parser, error: String(e.message ?? e).split('\n')[0] };
  } finally {
    await browser.close();
  }
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : args[i + 1]; };
  const rows = Number(String(opt('--rows', '1000000')).replaceAll('_', ''));
  const runs = Number(opt('--runs', '3'));
  const parsers = opt('--parsers', DEFAULT_PARSERS.join(',')).split(',');
  const jsonOut = opt('--json');
  const log = (s) => process.stderr.write(s + '\n');
  if (!existsSync(join(PKG, 'index.js'))) throw new Error(`${PKG}/index.js is missing: run \`bash scripts/build.sh\` first`);
  const file = csvPath(rows);
  if (!existsSync(file)) { log(`generating ${file} ...`); generate(rows); }
  const fileUrl = '/bench/' + relative(here, file).split('\\').join('/');

  const { server, url } = await serve({ port: 0, roots: { '/pkg/': PKG, '/bench/': here, '/node_modules/': join(root, 'node_modules') } });
  const version = (await import(pathToFileURL(join(PKG, 'node.js')).href)).version();
  const chromeVersion = await (async () => { const b = await chromium.launch({ executablePath: CHROMIUM, args: ARGS }); const v = b.version(); await b.close(); return v; })();
  const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? 'unknown';
  const wasmSha = wasmFingerprint();
  const header = `machine: ${availableParallelism()} cores, ${cpu}; headless Chromium ${chromeVersion}; crmlens ${version} from ${PKG} (wasm sha256 ${wasmSha}…); runs: ${runs} (median)`;
  const load0 = loadavg()[0];
  log(`${file} (${(statSync(file).size / 1e6).toFixed(1)} MB) via ${url}\n${header}`);

  const all = Object.fromEntries(parsers.map((p) => [p, []]));
  try {
    for (let r = 0; r < runs; r++) {
      for (const p of parsers) {
        const res = await runOnce(url, p, fileUrl, log);
        all[p].push(res);
        log(res.error ? `  run ${r + 1} ${p}: ERROR ${res.error}` : `  run ${r + 1} ${p}: load ${((res.decodeMs + res.parseMs) / 1000).toFixed(3)} s, renderer peak RSS ${fmt(res.peakRssMB, 0)} MB`);
      }
    }
  } finally {
    server.close();
  }

  const res = {};
  for (const p of parsers) {
    const ok = all[p].filter((x) => !x.error);
    if (!ok.length) { res[p] = { parser: p, error: all[p][0].error }; continue; }
    const med = (f) => median(ok.map(f));
    const loads = ok.map((x) => x.decodeMs + x.parseMs);
    res[p] = {
      parser: p, runs: ok.length, bytes: ok[0].bytes, rows: ok[0].rows, sums: ok[0].sums, rowsAgree: ok.every((x) => x.rows === ok[0].rows),
      loadMs: median(loads), loadRange: [Math.min(...loads), Math.max(...loads)], decodeMs: med((x) => x.decodeMs), readMs: med((x) => x.readMs),
      peakRssMB: med((x) => x.peakRssMB), heapRetainedMB: med((x) => x.heapRetainedMB), wasmMemoryMB: med((x) => x.wasmMemoryMB),
    };
  }
  const papa = res.papaparse && !res.papaparse.error ? mbps(res.papaparse) : null;
  const crm = res.crmlens && !res.crmlens.error ? mbps(res.crmlens) : null;
  const lines = [
    `### Load ${(statSync(file).size / 1e6).toFixed(1)} MB, ${rows.toLocaleString('en')} rows × 12 columns (headless Chromium)`, '',
    header,
    `1-min load average: ${load0.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at the end (on ${availableParallelism()} cores)`, '',
    '| parser | median load s | (min–max) | MB/s | × Papa | × crmlens | of which decode s | fetch s (not in load) | renderer peak RSS MB | JS heap retained MB | wasm memory MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const p of parsers) {
    const m = res[p];
    if (m.error) { lines.push(`| ${p} | ERROR: ${m.error.slice(0, 200)} |`); continue; }
    const v = mbps(m);
    lines.push(`| ${p} | ${fmt(m.loadMs / 1000, 3)} | ${fmt(m.loadRange[0] / 1000)}–${fmt(m.loadRange[1] / 1000)} | ${fmt(v, 1)} | ${papa ? fmt(v / papa) : '–'} | ${crm ? fmt(v / crm) : '–'} | ${m.decodeMs ? fmt(m.decodeMs / 1000, 3) : '–'} | ${fmt(m.readMs / 1000, 3)} | ${fmt(m.peakRssMB, 0)} | ${fmt(m.heapRetainedMB, 0)} | ${m.wasmMemoryMB ? fmt(m.wasmMemoryMB, 0) : '–'} |`);
  }
  lines.push('', 'Correctness:', checks(res, parsers));
  if (wasmFingerprint() !== wasmSha) {
    lines.push('', 'WARNING: ${PKG} was rebuilt during the benchmark; the crmlens figures may mix builds: run again.');
    log(lines.at(-1));
  }
  console.log(lines.join('\n'));
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ file, rows, runs, machine: header, results: res }, null, 2));
}

await main();
