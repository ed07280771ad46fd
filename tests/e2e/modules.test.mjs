// End-to-end test of the lazily loaded modules (docs-lazy-modules.md) in headless Chromium:
// the `tables` module's .wasm is fetched only on first use (once, however often it is used),
// from the page's own origin, both on the page (groupBy) and inside CrmlensWorker (where the
// worker fetches it itself); groupBy gives the same table as in Node; every request is a
// same-origin GET without a body. The `arrow` module likewise: fetched on the first
// Dataset.fromArrow only (ds.toArrow() is in the core), on the page and in the worker.
//
// Run from the repository root: node --test tests/e2e/modules.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSameOriginGets, launchChromium } from './_chromium.mjs';
import { PKG_DIR, readData } from '../js/_util.mjs';
import { Dataset, groupBy } from '../../pkg/node.js';

/** A GroupedTable as row objects. */
const rowsOf = (t) => Array.from({ length: t.numRows }, (_, i) => Object.fromEntries(t.columns.map((c) => [c.name, c.values[i]])));

const CSV = readData('mall_customers/Mall_Customers.csv').toString('utf8');
const OPTIONS = { by: ['gender'], aggregates: [{ op: 'count' }, { op: 'mean', column: 'annual_income_thousands' }, { op: 'max', column: 'age' }] };

let server;
let browser;
let page;
let origin;
let www;
const requests = [];
const pageErrors = [];

before(async () => {
  www = mkdtempSync(join(tmpdir(), 'crmlens-e2e-'));
  writeFileSync(join(www, 'index.html'), '<!doctype html><meta charset="utf-8"><title>crmlens modules</title>');
  const { serve } = await import('../../scripts/serve.mjs');
  ({ server } = await serve({ port: 0, roots: { '/pkg/': PKG_DIR, '/': www } }));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
  const context = await browser.newContext();
  // The context sees the page's requests and its workers'.
  context.on('request', (r) => requests.push({ url: r.url(), method: r.method(), postData: r.postData() }));
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e));
  await page.goto(`${origin}/`);
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
  if (www) rmSync(www, { recursive: true, force: true });
});

const fetched = (file) => requests.filter((r) => r.url === `${origin}/pkg/${file}`).length;

test('page: the tables wasm is fetched on the first groupBy only, once', async () => {
  await page.evaluate(async (csv) => {
    const m = await import('/pkg/index.js');
    window.crmlens = m;
    window.mall = m.Dataset.fromCsv(csv);
  }, CSV);
  assert.equal(fetched('crmlens_bg.wasm'), 1);
  assert.equal(fetched('crmlens_tables_bg.wasm'), 0, 'loaded before first use');
  // The pool's wasm (the core plus the shard ops) is fetched only when a CrmlensPool starts.
  assert.equal(fetched('crmlens_pool_bg.wasm'), 0, 'the pool wasm is not loaded by the core');
  const rows = await page.evaluate(async (options) => {
    const a = await window.crmlens.groupBy(window.mall, options);
    const b = await window.crmlens.groupBy(window.mall, options);
    const rows = (t) => Array.from({ length: t.numRows }, (_, i) => Object.fromEntries(t.columns.map((c) => [c.name, c.values[i]])));
    return [rows(a), rows(b), a.columns.map((c) => c.type), a.columns[1].values instanceof Float64Array];
  }, OPTIONS);
  assert.equal(fetched('crmlens_tables_bg.wasm'), 1, 'fetched exactly once');
  // The same table as in Node.
  const want = await groupBy(Dataset.fromCsv(CSV), OPTIONS);
  assert.deepEqual(rows[0], rowsOf(want));
  assert.deepEqual(rows[1], rows[0]);
  assert.deepEqual(rows[2], ['text', 'int64', 'float64', 'float64']);
  assert.equal(rows[3], true);
  assert.equal(rows[0].length, 2);
  assert.equal(rows[0][0].count + rows[0][1].count, 200);
  // A failed load is a CrmlensError naming the module; a bad option one naming the field.
  const err = await page.evaluate(async () => {
    const e1 = await window.crmlens.loadModule('nope').catch((e) => e);
    const e2 = await window.crmlens.groupBy(window.mall, { by: ['gender'], aggregates: [{ op: 'avg', column: 'age' }] }).catch((e) => e);
    return [e1.name, e1.code, e2.name, e2.code, e2.field];
  });
  assert.deepEqual(err, ['CrmlensError', 'INVALID_OPTION', 'CrmlensError', 'INVALID_OPTION', 'aggregates']);
  assert.deepEqual(pageErrors, []);
});

test('worker: the module loads inside the worker, on first use', async () => {
  const before = fetched('crmlens_tables_bg.wasm');
  const result = await page.evaluate(async ({ csv, options }) => {
    const { CrmlensWorker } = await import('/pkg/worker.js');
    const w = new CrmlensWorker();
    const { handle } = await w.load(csv);
    const first = await w.groupBy(handle, options);
    const second = await w.groupBy(handle, options);
    w.terminate();
    const rows = Array.from({ length: first.numRows }, (_, i) => Object.fromEntries(first.columns.map((c) => [c.name, c.values[i]])));
    return { rows, numRows: second.numRows };
  }, { csv: CSV, options: OPTIONS });
  // Fetched once more: by the worker (its own instance), not again for the second call.
  assert.equal(fetched('crmlens_tables_bg.wasm'), before + 1);
  const want = await groupBy(Dataset.fromCsv(CSV), OPTIONS);
  assert.deepEqual(result.rows, rowsOf(want));
  assert.equal(result.numRows, 2);
});

test('arrow: toArrow needs no module; the arrow wasm is fetched on the first Dataset.fromArrow only (page, then worker)', async () => {
  assert.equal(fetched('crmlens_arrow_bg.wasm'), 0, 'loaded before first use');
  const page1 = await page.evaluate(async () => {
    const ipc = window.mall.toArrow();
    const a = await window.crmlens.Dataset.fromArrow(ipc);
    const b = await window.crmlens.Dataset.fromArrow(ipc.buffer);
    const bad = await window.crmlens.Dataset.fromArrow(ipc.subarray(0, 100)).catch((e) => [e.name, e.code]);
    return { bytes: ipc.length, csv: a.toCsv(), same: b.toCsv() === a.toCsv(), mall: window.mall.toCsv(), bad };
  });
  assert.equal(fetched('crmlens_arrow_bg.wasm'), 1, 'fetched exactly once');
  assert.equal(page1.csv, page1.mall);
  assert.equal(page1.same, true);
  assert.deepEqual(page1.bad, ['CrmlensError', 'PARSE_ERROR']);
  // The same stream as in Node.
  assert.equal(page1.bytes, Dataset.fromCsv(CSV).toArrow().length);
  const worker = await page.evaluate(async (csv) => {
    const { CrmlensWorker } = await import('/pkg/worker.js');
    const w = new CrmlensWorker();
    const { handle } = await w.load(csv);
    const ipc = await w.toArrow(handle);
    const back = await w.fromArrow(ipc);
    const out = { numRows: back.numRows, csv: await w.toCsv(back.handle) };
    w.terminate();
    return out;
  }, CSV);
  assert.equal(fetched('crmlens_arrow_bg.wasm'), 2, 'fetched once more, by the worker');
  assert.equal(worker.numRows, 200);
  assert.equal(worker.csv, page1.mall);
  assert.deepEqual(pageErrors, []);
});

test('every request is a same-origin GET without a body', () => {
  assertSameOriginGets(requests, origin);
});
