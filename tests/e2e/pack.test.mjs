// The published artifact: `npm pack` pkg/, install the tarball offline into throwaway
// projects, and use it the way users do: (a) a Node ESM project importing 'crmlens' and
// 'crmlens/worker'; (b) a page bundled by Vite, opened in headless Chromium, which must
// show the right result while making only same-origin GET requests without a body.
// Nothing here touches the network beyond 127.0.0.1: npm runs with --offline and a
// registry on a closed local port, and the browser aborts any request to another origin.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './_chromium.mjs';
import { serve } from '../../scripts/serve.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PKG_DIR = join(ROOT, 'pkg');
const VITE = join(ROOT, 'node_modules', '.bin', 'vite');
// npm must never reach a registry: --offline, and a registry URL on a closed local port.
const NPM_ENV = {
  ...process.env,
  npm_config_registry: 'http://127.0.0.1:9/',
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_loglevel: 'error',
};

let work;
let tarball;
let packInfo;
const installModes = {};

before(() => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'crmlens-pack-')));
  const out = execFileSync('npm', ['pack', '--pack-destination', work, '--json'], { cwd: PKG_DIR, env: NPM_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  [packInfo] = JSON.parse(out.slice(out.indexOf('[')));
  tarball = join(work, packInfo.filename);
});
after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A throwaway project with the tarball installed as node_modules/crmlens. */
function project(name, pkgJson) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkgJson, null, 2));
  const r = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: dir, env: NPM_ENV, encoding: 'utf8' });
  installModes[name] = r.status === 0 ? 'npm install --offline' : `tar (npm install failed: ${r.stderr.trim().split('\n').at(-1)})`;
  if (r.status !== 0) {
    // npm insisted on the network: unpack the tarball by hand instead.
    const target = join(dir, 'node_modules', 'crmlens');
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  }
  return dir;
}

test('the tarball: name, version and the files users need', () => {
  const pkgMeta = JSON.parse(readFileSync(join(PKG_DIR, 'package.json'), 'utf8'));
  assert.equal(packInfo.name, 'crmlens');
  assert.equal(packInfo.version, pkgMeta.version);
  const files = packInfo.files.map((f) => f.path).sort();
  for (const f of ['crmlens_bg.wasm', 'crmlens.js', 'index.js', 'node.js', 'worker.js', 'worker-entry.js', 'pool.js', 'pool-entry.js', 'crmlens_pool.js', 'crmlens_pool_bg.wasm', 'crmlens.d.ts', 'index.d.ts', 'worker.d.ts', 'LICENSE', 'README.md', 'package.json']) {
    assert.ok(files.includes(f), `${f} is in the tarball (${files.join(', ')})`);
  }
  // Nothing beyond what package.json's "files" lists (no sources, tests, data, dotfiles).
  // A directory entry of "files" (wasm-bindgen's snippets/) allows the files under it.
  const allowed = new Set([...pkgMeta.files, 'package.json']);
  const dirs = pkgMeta.files.filter((f) => f.endsWith('/'));
  assert.deepEqual(files.filter((f) => !allowed.has(f) && !dirs.some((d) => f.startsWith(d))), []);
  // The tar listing agrees with npm's report, and the wasm inside is the built one.
  const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((l) => l.replace(/^package\//, '')).sort();
  assert.deepEqual(listing, files);
  const wasmEntry = packInfo.files.find((f) => f.path === 'crmlens_bg.wasm');
  assert.equal(wasmEntry.size, readFileSync(join(PKG_DIR, 'crmlens_bg.wasm')).length);
  // Every target of the exports map ships.
  const targets = [];
  const collect = (v) => (typeof v === 'string' ? targets.push(v.replace(/^\.\//, '')) : Object.values(v).forEach(collect));
  collect(pkgMeta.exports);
  assert.ok(targets.includes('node.js') && targets.includes('index.js') && targets.includes('worker.js'));
  for (const t of targets) assert.ok(files.includes(t), `exports target ${t} ships`);
});

test('a Node ESM project: import { Dataset } from "crmlens" and "crmlens/worker"', (t) => {
  const dir = project('node-app', { name: 'node-app', private: true, type: 'module' });
  t.diagnostic(`installed with ${installModes['node-app']}`);
  const installed = JSON.parse(readFileSync(join(dir, 'node_modules', 'crmlens', 'package.json'), 'utf8'));
  assert.equal(installed.name, 'crmlens');
  writeFileSync(join(dir, 'index.mjs'), `
import { Dataset, version } from 'crmlens';
import { CrmlensWorker, CrmlensPool } from 'crmlens/worker';
const csv = 'customer,amount,joined,active\\nC001,9.50,2024-01-03,yes\\nC002,,2024-02-11,no\\nC003,12,2024-03-01,yes\\n';
const ds = Dataset.fromCsv(csv);
// CrmlensPool (worker_threads) over the installed copy's own pool wasm.
const pool = new CrmlensPool({ workers: 2 });
const sharded = await pool.fromFile(new TextEncoder().encode(csv), { minShardBytes: 0 });
const pooled = { numShards: sharded.numShards, numRows: sharded.numRows, sameRows: JSON.stringify(await sharded.rows(0, 3)) === JSON.stringify(ds.rows(0, 3)), profileRows: (await sharded.profile()).dataset.rows };
pool.terminate();
const out = {
  resolved: import.meta.resolve('crmlens'),
  version: version(),
  numRows: ds.numRows,
  columns: ds.columns().map((c) => [c.name, c.type, c.nullCount]),
  amount: Array.from(ds.column('amount'), (v) => (Number.isNaN(v) ? null : v)),
  rows: ds.rows(0, 2),
  worker: typeof CrmlensWorker,
  pooled,
};
ds.free();
console.log(JSON.stringify(out));
`);
  const stdout = execFileSync(process.execPath, ['index.mjs'], { cwd: dir, encoding: 'utf8' });
  const out = JSON.parse(stdout.trim().split('\n').at(-1));
  assert.equal(out.resolved, pathToFileURL(join(dir, 'node_modules', 'crmlens', 'node.js')).href, 'resolved to the installed copy via the "node" condition');
  assert.equal(out.version, installed.version);
  assert.equal(out.numRows, 3);
  assert.deepEqual(out.columns.map((c) => c[0]), ['customer', 'amount', 'joined', 'active']);
  assert.ok(['text', 'category'].includes(out.columns[0][1]), `customer type ${out.columns[0][1]}`);
  assert.deepEqual(out.columns.slice(1), [['amount', 'float64', 1], ['joined', 'date', 0], ['active', 'bool', 0]]);
  assert.deepEqual(out.amount, [9.5, null, 12]);
  assert.deepEqual(out.rows, [
    { customer: 'C001', amount: 9.5, joined: '2024-01-03', active: true },
    { customer: 'C002', amount: null, joined: '2024-02-11', active: false },
  ]);
  assert.equal(out.worker, 'function');
  // (A range is never under 64 KiB, so this small file is one shard: the point is that the
  // installed pool starts its threads on its own wasm and answers.)
  assert.deepEqual(out.pooled, { numShards: 1, numRows: 3, sameRows: true, profileRows: 3 });
});

// --- (b) A Vite-built page in headless Chromium -------------------------------------------

let page;
let browser;
let server;
let origin;
const requests = []; // as the browser saw them
const served = []; // as the server saw them
const blocked = []; // requests to any other origin (aborted)
const pageErrors = [];
const wasmResponses = [];

before(async () => {
  const dir = project('vite-app', { name: 'vite-app', private: true, type: 'module' });
  writeFileSync(join(dir, 'index.html'), `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>crmlens in a Vite app</title></head>
<body><pre id="result">loading</pre><pre id="worker">loading</pre><script type="module" src="./main.js"></script></body></html>
`);
  writeFileSync(join(dir, 'main.js'), `
import { Dataset } from 'crmlens';
import { CrmlensWorker } from 'crmlens/worker';

const csv = 'customer,amount,joined,active,city\\nC001,9.50,2024-01-03,yes,Zürich\\nC002,,2024-02-11,no,北京\\nC003,12,2024-03-01,yes,Lyon\\n';
try {
  const ds = Dataset.fromCsv(csv);
  document.getElementById('result').textContent = JSON.stringify({
    numRows: ds.numRows,
    types: Object.fromEntries(ds.columns().map((c) => [c.name, c.type])),
    cities: ds.column('city'),
  });
  ds.free();
} catch (e) {
  document.getElementById('result').textContent = 'error: ' + e.name + ' ' + e.message;
}

try {
  const worker = new CrmlensWorker();
  worker.load(csv).then(async (s) => {
    const rows = await worker.rows(s.handle, 0, 1);
    document.getElementById('worker').textContent = JSON.stringify({ numRows: s.numRows, first: rows[0] });
  }, (e) => { document.getElementById('worker').textContent = 'error: ' + e.message; });
} catch (e) {
  document.getElementById('worker').textContent = 'error: ' + e.message;
}
`);
  writeFileSync(join(dir, 'vite.config.mjs'), `export default { logLevel: 'warn', build: { target: 'es2022', outDir: 'dist', emptyOutDir: true } };\n`);
  execFileSync(VITE, ['build', '--config', 'vite.config.mjs'], { cwd: dir, env: NPM_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const dist = join(dir, 'dist');
  assert.ok(readdirSync(join(dist, 'assets')).some((f) => f.endsWith('.wasm')), 'Vite emitted the wasm asset');

  ({ server, url: origin } = await serve({ port: 0, roots: { '/': dist } }));
  origin = origin.replace(/\/$/, '');
  server.on('request', (req, res) => {
    let bodyBytes = 0;
    req.on('data', (c) => { bodyBytes += c.length; });
    res.on('finish', () => served.push({ method: req.method, url: req.url, status: res.statusCode, bodyBytes, contentLength: req.headers['content-length'] }));
  });
  browser = await launchChromium();
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(`${origin}/`) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
    blocked.push(u);
    return route.abort();
  });
  page = await context.newPage();
  const track = (r) => requests.push({ url: r.url(), method: r.method(), body: r.postDataBuffer() });
  page.on('request', track);
  context.on('request', (r) => { if (!requests.some((q) => q.url === r.url() && q.method === r.method())) track(r); });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasmResponses.push({ status: r.status(), type: r.headers()['content-type'] }); });
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => ['result', 'worker'].every((id) => document.getElementById(id).textContent !== 'loading'), null, { timeout: 20000 });
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
});

test('Vite-built page: Dataset works in Chromium from the tarball', async () => {
  const text = await page.textContent('#result');
  assert.ok(!text.startsWith('error'), text);
  const result = JSON.parse(text);
  assert.equal(result.numRows, 3);
  assert.deepEqual(Object.keys(result.types), ['customer', 'amount', 'joined', 'active', 'city']);
  assert.equal(result.types.amount, 'float64');
  assert.equal(result.types.joined, 'date');
  assert.equal(result.types.active, 'bool');
  assert.ok(['text', 'category'].includes(result.types.customer));
  assert.deepEqual(result.cities, ['Zürich', '北京', 'Lyon']);
  assert.deepEqual(pageErrors, []);
});

test('Vite-built page: every request is a same-origin GET without a body', () => {
  assert.deepEqual(blocked, [], 'no request to another origin');
  assert.ok(requests.length >= 3, `requests: ${JSON.stringify(requests.map((r) => r.url))}`);
  for (const r of requests) {
    assert.ok(r.url.startsWith(`${origin}/`) || r.url.startsWith('data:'), `same origin: ${r.url}`);
    assert.equal(r.method, 'GET', r.url);
    assert.equal(r.body, null, `no body: ${r.url}`);
  }
  assert.ok(served.length >= 3);
  for (const s of served) {
    assert.equal(s.method, 'GET', s.url);
    assert.equal(s.bodyBytes, 0, s.url);
    assert.equal(s.contentLength, undefined, s.url);
  }
  // One instance in the page and one in the CrmlensWorker: each fetches the same file once.
  const wasm = served.filter((s) => s.url.endsWith('.wasm'));
  assert.equal(wasm.length, 2, 'the wasm is fetched once by the page and once by the worker');
  assert.equal(new Set(wasm.map((w) => w.url)).size, 1, 'both fetch the same file');
  for (const w of wasm) assert.equal(w.status, 200);
  assert.deepEqual(wasmResponses, [{ status: 200, type: 'application/wasm' }, { status: 200, type: 'application/wasm' }]);
});

test('Vite-built page: CrmlensWorker from "crmlens/worker" runs', async () => {
  const text = await page.textContent('#worker');
  assert.ok(!text.startsWith('error'), text);
  const w = JSON.parse(text);
  assert.equal(w.numRows, 3);
  assert.deepEqual(w.first, { customer: 'C001', amount: 9.5, joined: '2024-01-03', active: true, city: 'Zürich' });
});
