// The lazily loaded modules (docs-lazy-modules.md) in Node: the shared loader (memoised,
// read from disk only on first use, typed errors), Dataset bytes (dataset.toBytes(), written
// in JS, read by the module's own wasm) on real files, and the first wasm module, `tables`
// (groupBy), checked against an independent computation from the CSV text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Dataset, groupBy, loadModule, loadChineseSentiment, sentiment } from '../../pkg/node.js';
import { createLoader, setFileReader, WASM_MODULES } from '../../pkg/loader.js';
import { PKG, parseCsv, readData, assertRejectsCrmlens, assertCrmlensError } from './_util.mjs';

/** A GroupedTable as row objects. */
function rowsOf(t) {
  return Array.from({ length: t.numRows }, (_, i) => Object.fromEntries(t.columns.map((c) => [c.name, c.values[i]])));
}

const mallCsv = readData('mall_customers/Mall_Customers.csv').toString('utf8');
const retailCsv = readData('online_retail_uci_first5000/online_retail_small.csv').toString('utf8');

test('the tables wasm is read from disk on the first groupBy only, once; loadModule is memoised', async () => {
  const reads = [];
  setFileReader((url) => { reads.push(url.href); return readFileSync(url); });
  try {
    const mall = Dataset.fromCsv(mallCsv);
    assert.deepEqual(reads, [], 'nothing read before first use');
    const p1 = loadModule('tables');
    assert.equal(loadModule('tables'), p1, 'one promise per module');
    const a = await groupBy(mall, { by: ['gender'] });
    const b = await groupBy(mall, { by: ['gender'] });
    assert.deepEqual(reads.map((u) => u.split('/').pop()), ['crmlens_tables_bg.wasm']);
    assert.deepEqual(a, b);
    assert.equal(a.numRows, 2);
    assert.equal(typeof (await p1).version(), 'string');
  } finally {
    setFileReader(readFileSync);
  }
});

test('groupBy on the online retail sample equals a sum per country from the CSV text', async () => {
  const ds = Dataset.fromCsv(retailCsv);
  const out = await groupBy(ds, {
    by: ['Country'],
    aggregates: [{ op: 'count' }, { op: 'sum', column: 'Quantity' }, { op: 'distinct', column: 'CustomerID', name: 'customers' }],
  });
  const [header, ...records] = parseCsv(retailCsv);
  const ci = header.indexOf('Country');
  const qi = header.indexOf('Quantity');
  const ui = header.indexOf('CustomerID');
  const want = new Map();
  for (const r of records) {
    const g = want.get(r[ci]) ?? { count: 0, sum: 0, customers: new Set() };
    g.count += 1;
    g.sum += Number(r[qi]);
    if (r[ui] !== '') g.customers.add(r[ui]);
    want.set(r[ci], g);
  }
  assert.deepEqual(out.columns.map((c) => [c.name, c.type]), [['Country', 'text'], ['count', 'int64'], ['sum(Quantity)', 'float64'], ['customers', 'int64']]);
  assert.ok(out.columns[1].values instanceof Float64Array);
  const rows = rowsOf(out);
  // First-seen order, one row per country.
  assert.deepEqual(rows.map((r) => r.Country), [...want.keys()]);
  for (const r of rows) {
    const w = want.get(r.Country);
    assert.equal(r.count, w.count, r.Country);
    assert.equal(r['sum(Quantity)'], w.sum, r.Country);
    assert.equal(r.customers, w.customers.size, r.Country);
  }
  assert.ok(rows.length > 3);
});

test('groupBy options are checked; groupBy needs a Dataset', async () => {
  const mall = Dataset.fromCsv(mallCsv);
  await assertRejectsCrmlens(groupBy(mall, { by: ['gender'], aggregates: [{ op: 'avg', column: 'age' }] }), 'INVALID_OPTION', { field: 'aggregates' });
  await assertRejectsCrmlens(groupBy(mall, { by: ['nope'] }), 'UNKNOWN_COLUMN');
  await assertRejectsCrmlens(groupBy(mall, { by: [] }), 'INVALID_OPTION', { field: 'by' });
  await assertRejectsCrmlens(groupBy(mall, { by: ['gender'], aggregates: [{ op: 'count', name: 'gender' }] }), 'INVALID_OPTION', { field: 'aggregates' });
  await assertRejectsCrmlens(groupBy(mall, { by: ['gender'], aggregates: [{ op: 'sum', column: 'gender' }] }), 'INVALID_OPTION');
  await assertRejectsCrmlens(groupBy([1, 2], { by: ['x'] }), 'INVALID_OPTION', { field: 'dataset' });
});

test('loader errors: an unknown module is INVALID_OPTION, a missing file MODULE_LOAD_FAILED with the URL; failures are retried', async () => {
  await assertRejectsCrmlens(loadModule('nope'), 'INVALID_OPTION', { field: 'nope' });
  const missing = new URL('crmlens_missing_bg.wasm', PKG);
  const load = createLoader({ missing: { ...WASM_MODULES.tables, url: () => missing } });
  const e = await load('missing').catch((err) => err);
  assert.equal(e.name, 'CrmlensError');
  assert.equal(e.code, 'MODULE_LOAD_FAILED');
  assert.equal(e.url, missing.href);
  assert.match(e.message, /"missing".*crmlens_missing_bg\.wasm/);
  const e2 = await load('missing').catch((err) => err);
  assert.notEqual(e2, e, 'a failed load is tried again');
});

test('Dataset bytes from the core are read by the module; truncated or tampered bytes are PARSE_ERROR', async () => {
  const tables = await loadModule('tables');
  const telcoCsv = readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv').toString('utf8');
  const cdnowText = readData('cdnow_lifetimes/CDNOW_sample.txt').toString('utf8');
  const cdnow = { delimiter: 'whitespace', header: false };
  const types = new Set();
  for (const [csv, key, options] of [[mallCsv, 'customer_id'], [retailCsv, 'InvoiceNo'], [telcoCsv, 'customerID'], [cdnowText, 'column_1', cdnow]]) {
    const ds = Dataset.fromCsv(csv, options);
    for (const c of ds.columns()) types.add(c.type);
    const bytes = ds.toBytes();
    assert.ok(bytes instanceof Uint8Array);
    assert.equal(Buffer.from(bytes.subarray(0, 4)).toString('latin1'), 'CRMT');
    assert.ok(bytes.length < csv.length * 2, `${bytes.length} bytes for ${csv.length} characters`);
    // The JS writer's bytes are complete and canonical: the Rust reader (in the module's
    // wasm) reads them and the Rust writer gives back the same bytes.
    assert.deepEqual(tables.normalizeBytes(bytes), bytes);
    // Every column arrives with its type and values: a count per key of every row.
    const opts = JSON.stringify({ by: [key], aggregates: [{ op: 'count' }, ...ds.columns().map((c) => ({ op: 'distinct', column: c.name }))] });
    const out = tables.groupBy(bytes, opts);
    const records = options ? csv.trim().split('\n').map((l) => l.trim().split(/\s+/)) : parseCsv(csv).slice(1);
    const distinctKeys = new Set(records.map((r) => r[0])).size;
    assert.equal(out.numRows, distinctKeys);
    for (const n of [0, 3, 20, bytes.length >> 1, bytes.length - 1]) assertCrmlensError(() => tables.groupBy(bytes.subarray(0, n), opts), 'PARSE_ERROR');
    const bad = bytes.slice();
    bad.set([0xff, 0xff, 0xff, 0xff], 16); // column count
    assertCrmlensError(() => tables.groupBy(bad, opts), 'PARSE_ERROR');
  }
  // The files cover the column types the writer has.
  for (const t of ['int64', 'float64', 'date', 'datetime', 'category', 'text']) assert.ok(types.has(t), `no ${t} column: ${[...types]}`);
});

test('the Chinese data goes through the shared loader', async () => {
  await loadChineseSentiment();
  const zh = await loadModule('zh');
  assert.equal(typeof zh, 'string');
  assert.ok(zh.includes('满意'));
  const r = await sentiment(['我很满意这款手机！']);
  assert.equal(r.summary.chinese, 1);
  assert.equal(r.summary.positive, 1);
});

test('Dataset.fromBytes reads what toBytes wrote: same columns, types, values and load report; tampered bytes are PARSE_ERROR', () => {
  const telcoCsv = readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv').toString('utf8');
  for (const [csv, options] of [[mallCsv], [retailCsv], [telcoCsv]]) {
    const ds = Dataset.fromCsv(csv, options);
    const back = Dataset.fromBytes(ds.toBytes());
    assert.equal(back.numRows, ds.numRows);
    assert.deepEqual(back.columns(), ds.columns());
    assert.deepEqual(back.issueCounts, ds.issueCounts);
    assert.deepEqual(back.rows(0, ds.numRows), ds.rows(0, ds.numRows));
    assert.equal(back.toCsv(), ds.toCsv());
    // An ArrayBuffer works as well as a Uint8Array.
    const bytes = ds.toBytes();
    assert.equal(Dataset.fromBytes(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)).numRows, ds.numRows);
    back.free();
    ds.free();
  }
  const bytes = Dataset.fromCsv(mallCsv).toBytes();
  for (const cut of [0, 3, 10, 40, bytes.length >> 1, bytes.length - 1]) {
    assert.throws(() => Dataset.fromBytes(bytes.subarray(0, cut)), (e) => e.name === 'CrmlensError' && e.code === 'PARSE_ERROR', `cut at ${cut}`);
  }
  assert.throws(() => Dataset.fromBytes('CRMT'), (e) => e.name === 'CrmlensError' && e.code === 'INVALID_OPTION');
  // The instance still works after the errors.
  assert.equal(Dataset.fromCsv(mallCsv).numRows, 200);
});
