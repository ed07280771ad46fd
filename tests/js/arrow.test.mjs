// Apache Arrow IPC in and out (issue 21, point 6): `ds.toArrow()` and `await Dataset.fromArrow(bytes)`
// against the two peers a page would hand the table to or get it from: apache-arrow (the JS
// reference implementation: tableFromIPC / tableToIPC) and DuckDB-Wasm in Node
// (insertArrowFromIPCStream, and DuckDB's own IPC writer for the way back). Real files from
// ../shared/data; every check compares with what crmlens itself reports for the table.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as A from 'apache-arrow';
import { Dataset } from '../../pkg/node.js';
import { readData } from './_util.mjs';

const require = createRequire(import.meta.url);

const FILES = [
  ['online_retail_uci_first5000/online_retail_small.csv', {}],
  ['telco_customer_churn/Telco-Customer-Churn.DirtyDF-variant.csv', {}],
  ['cdnow_lifetimes/CDNOW_master.txt', { delimiter: 'whitespace' }],
  ['bank_marketing/bank.csv', {}],
  ['waimai_10k/waimai_10k.csv', {}],
];
const load = (rel, opts) => Dataset.fromCsv(readData(rel), opts);

/** The Arrow type each crmlens type is written as (as apache-arrow prints it). */
const ARROW_TYPE = {
  int64: /^Int64$/,
  float64: /^Float64$/,
  bool: /^Bool$/,
  date: /^Date32<DAY>$/,
  datetime: /^Timestamp<MILLISECOND(, UTC)?>$/,
  category: /^Dictionary<Int32, Utf8>$/,
  text: /^(Large)?Utf8$/,
};

/** crmlens's own values of a column: numbers (NaN = null) or strings/booleans (null). */
function ours(ds, c) {
  if (c.type === 'date' || c.type === 'datetime') return Array.from(ds.timestamps(c.name), (v) => (Number.isNaN(v) ? null : v));
  const v = ds.column(c.name);
  return v instanceof Float64Array ? Array.from(v, (x) => (Number.isNaN(x) ? null : x)) : v;
}
const plain = (v) => (v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : v);

test('toArrow: apache-arrow reads every column with its Arrow type, the same values and the same nulls', async () => {
  const seen = new Set();
  for (const [rel, opts] of FILES) {
    const ds = load(rel, opts);
    const bytes = ds.toArrow();
    assert.ok(bytes instanceof Uint8Array);
    const t = A.tableFromIPC(bytes);
    assert.equal(t.numRows, ds.numRows, rel);
    const cols = ds.columns();
    assert.deepEqual(t.schema.fields.map((f) => f.name), cols.map((c) => c.name), rel);
    for (const c of cols) {
      seen.add(c.type);
      const f = t.schema.fields.find((x) => x.name === c.name);
      assert.match(String(f.type), ARROW_TYPE[c.type], `${rel} ${c.name}`);
      const v = t.getChild(c.name);
      assert.equal(v.nullCount, c.nullCount, `${rel} ${c.name} nulls`);
      const want = ours(ds, c);
      for (let i = 0; i < ds.numRows; i++) {
        const got = plain(v.get(i));
        if (got !== want[i]) assert.fail(`${rel} ${c.name} row ${i}: arrow ${got}, crmlens ${want[i]}`);
      }
    }
    // And back: the same table, byte for byte the same stream.
    const back = await Dataset.fromArrow(bytes);
    assert.equal(back.toCsv(), ds.toCsv(), rel);
    assert.deepEqual(back.toArrow(), bytes, rel);
    assert.equal(back.source.format, 'arrow');
    back.free();
    ds.free();
  }
  for (const t of ['int64', 'float64', 'date', 'datetime', 'category', 'text']) assert.ok(seen.has(t), `no ${t} column tested`);
});

test('toArrow: bool columns, nulls in every type, empty tables', async () => {
  const csv = 'id,flag,amount,day,at,seg,note\n1,true,1.5,2023-01-02,2023-01-02 10:00:00,a,x\n2,,,,,,\n3,false,-2,2024-02-29,2024-02-29 23:59:59,b,"y, z"\n4,true,0,2023-01-03,2023-01-03 00:00:01,a,\n';
  const ds = Dataset.fromCsv(csv);
  const t = A.tableFromIPC(ds.toArrow());
  for (const c of ds.columns()) {
    assert.match(String(t.schema.fields.find((f) => f.name === c.name).type), ARROW_TYPE[c.type], c.name);
    assert.deepEqual(Array.from({ length: 4 }, (_, i) => plain(t.getChild(c.name).get(i))), ours(ds, c), c.name);
  }
  assert.equal(t.getChild('flag').get(1), null);
  assert.equal(t.getChild('flag').get(2), false);
  const empty = Dataset.fromCsv('a,b\n');
  const e = A.tableFromIPC(empty.toArrow());
  assert.equal(e.numRows, 0);
  assert.deepEqual(e.schema.fields.map((f) => f.name), ['a', 'b']);
  assert.equal((await Dataset.fromArrow(empty.toArrow())).numColumns, 2);
});

test('fromArrow reads what apache-arrow writes: dictionaries, timestamps of any unit, dates, nulls, many batches, stream and file', async () => {
  const n = 1000;
  const seg = ['gold', 'silver', null, 'bronze'];
  const part = () => new A.Table({
    id: A.vectorFromArray(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : i)), new A.Int32()),
    big: A.vectorFromArray(Array.from({ length: n }, (_, i) => BigInt(i) * 1000000007n), new A.Int64()),
    price: A.vectorFromArray(Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i / 4)), new A.Float32()),
    seg: A.vectorFromArray(Array.from({ length: n }, (_, i) => seg[i % 4]), new A.Dictionary(new A.Utf8(), new A.Int16())),
    at: A.vectorFromArray(Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : 1.7e12 + i * 3600e3)), new A.TimestampMicrosecond()),
    sec: A.vectorFromArray(Array.from({ length: n }, (_, i) => 1.6e12 + i * 1000), new A.TimestampSecond()),
    day: A.vectorFromArray(Array.from({ length: n }, (_, i) => new Date(Date.UTC(2023, 0, 1 + i))), new A.DateDay()),
    ok: A.vectorFromArray(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : i % 2 === 0)), new A.Bool()),
    note: A.vectorFromArray(Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : `note ${i}, 评论 ${i}`)), new A.Utf8()),
  });
  const table = part().concat(part(), part());
  assert.equal(table.batches.length, 3);
  // Each batch has its own dictionary: the stream carries replacement dictionaries (the file
  // format cannot, so it gets one batch).
  for (const [kind, t] of [['stream', table], ['file', part()]]) {
    const ds = await Dataset.fromArrow(A.tableToIPC(t, kind));
    assert.equal(ds.numRows, t.numRows, kind);
    const types = Object.fromEntries(ds.columns().map((c) => [c.name, c.type]));
    assert.deepEqual(types, { id: 'int64', big: 'int64', price: 'float64', seg: 'category', at: 'datetime', sec: 'datetime', day: 'date', ok: 'bool', note: 'text' }, kind);
    for (const c of ds.columns()) {
      const v = t.getChild(c.name);
      assert.equal(c.nullCount, v.nullCount, `${kind} ${c.name} nulls`);
      const want = ours(ds, c);
      for (let i = 0; i < ds.numRows; i++) {
        const got = plain(v.get(i));
        if (got !== want[i]) assert.fail(`${kind} ${c.name} row ${i}: arrow ${got}, crmlens ${want[i]}`);
      }
    }
    ds.free();
  }
  // An ArrayBuffer works as well as a Uint8Array.
  const bytes = A.tableToIPC(table, 'stream');
  assert.equal((await Dataset.fromArrow(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length))).numRows, 3 * n);
});

test('fromArrow errors: bad bytes are PARSE_ERROR with the byte offset, an unsupported type names the column, tampered bytes never trap', async () => {
  const isCrm = (code) => (e) => e.name === 'CrmlensError' && e.code === code;
  await assert.rejects(() => Dataset.fromArrow(new TextEncoder().encode('id,amount\n1,2\n')), (e) => isCrm('PARSE_ERROR')(e) && /at byte \d+/.test(e.message));
  await assert.rejects(() => Dataset.fromArrow(new Uint8Array(0)), isCrm('PARSE_ERROR'));
  await assert.rejects(() => Dataset.fromArrow('not bytes'), isCrm('INVALID_OPTION'));

  const tags = new A.Table({
    id: A.vectorFromArray([1, 2], new A.Int32()),
    tags: A.vectorFromArray([[1], [2, 3]], new A.List(new A.Field('item', new A.Int32()))),
  });
  await assert.rejects(() => Dataset.fromArrow(A.tableToIPC(tags)), (e) => isCrm('PARSE_ERROR')(e) && e.field === 'tags' && /column `tags` has Arrow type List/.test(e.message));

  // A real stream, cut at many places and with bytes flipped: a typed error or a table, never a trap.
  const ds = load('online_retail_uci_first5000/online_retail_small.csv', { maxRows: 200 });
  const good = ds.toArrow();
  let errors = 0;
  const attempt = async (b) => {
    try {
      const d = await Dataset.fromArrow(b);
      d.toCsv();
      d.free();
    } catch (e) {
      assert.equal(e.name, 'CrmlensError', `${e}`);
      assert.ok(['PARSE_ERROR', 'TOO_LARGE'].includes(e.code), e.code);
      errors++;
    }
  };
  for (let cut = 0; cut < good.length; cut += 37) await attempt(good.subarray(0, cut));
  let seed = 21;
  const rand = (k) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % k; };
  for (let k = 0; k < 1500; k++) {
    const b = good.slice();
    for (let j = 0; j <= rand(6); j++) b[rand(b.length)] = rand(256);
    await attempt(b);
  }
  assert.ok(errors > good.length / 37, `${errors} errors`);
  // An Arrow file (apache-arrow's writer: the schema only in the footer) with its footer tampered.
  const file = A.tableToIPC(A.tableFromIPC(good), 'file');
  assert.equal((await Dataset.fromArrow(file)).toCsv(), ds.toCsv());
  for (let k = 0; k < 1500; k++) {
    const b = file.slice();
    for (let j = 0; j <= rand(3); j++) b[b.length - 1 - rand(Math.min(600, b.length))] = rand(256);
    await attempt(b);
  }
  // The module is still fine.
  assert.equal((await Dataset.fromArrow(good)).toCsv(), ds.toCsv());
});

// ---- DuckDB-Wasm (Node, blocking bindings) --------------------------------------------------

let db;
function duck() {
  if (db) return db;
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const DIST = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  db = duckdb.createDuckDB({
    mvp: { mainModule: join(DIST, 'duckdb-mvp.wasm'), mainWorker: join(DIST, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(DIST, 'duckdb-eh.wasm'), mainWorker: join(DIST, 'duckdb-node-eh.worker.cjs') },
  }, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  return db;
}
after(() => db?.then?.((d) => d.reset?.()));

/** DuckDB's own Arrow IPC stream of a query's result (its writer, not apache-arrow's). */
const ipcOf = (conn, sql) => conn.useUnsafe((bindings, id) => bindings.runQuery(id, sql));

test('DuckDB-Wasm: insertArrowFromIPCStream(ds.toArrow()) gives DuckDB the table; DuckDB\'s IPC back through fromArrow gives it back', async () => {
  const d = await duck();
  await d.instantiate();
  const conn = d.connect();
  const ds = load('online_retail_uci_first5000/online_retail_small.csv', {});
  conn.insertArrowFromIPCStream(ds.toArrow(), { name: 'retail' });

  const types = Object.fromEntries(conn.query('DESCRIBE retail').toArray().map((r) => [r.column_name, r.column_type]));
  const want = { int64: 'BIGINT', float64: 'DOUBLE', datetime: /^TIMESTAMP/, category: 'VARCHAR', text: 'VARCHAR', date: 'DATE', bool: 'BOOLEAN' };
  for (const c of ds.columns()) {
    const w = want[c.type];
    if (w instanceof RegExp) assert.match(types[c.name], w, c.name); else assert.equal(types[c.name], w, c.name);
  }
  // Counts, sums, extremes and distinct values agree with crmlens's own columns.
  const q = (sql) => conn.query(sql).toArray()[0].toJSON();
  assert.equal(Number(q('SELECT count(*) AS n FROM retail').n), ds.numRows);
  for (const c of ds.columns()) {
    const got = Number(q(`SELECT count("${c.name}") AS n FROM retail`).n);
    assert.equal(got, ds.numRows - c.nullCount, c.name);
  }
  const qty = ds.column('Quantity');
  assert.equal(Number(q('SELECT sum(Quantity) AS s FROM retail').s), qty.reduce((a, b) => a + b, 0));
  const ms = ds.timestamps('InvoiceDate');
  const ext = q('SELECT epoch_ms(min(InvoiceDate)) AS lo, epoch_ms(max(InvoiceDate)) AS hi FROM retail');
  assert.equal(Number(ext.lo), Math.min(...ms));
  assert.equal(Number(ext.hi), Math.max(...ms));
  const countries = ds.column('Country');
  assert.equal(Number(q('SELECT count(DISTINCT Country) AS k FROM retail').k), new Set(countries.filter((x) => x !== null)).size);
  const uk = countries.filter((x) => x === 'United Kingdom').length;
  assert.equal(Number(q("SELECT count(*) AS k FROM retail WHERE Country = 'United Kingdom'").k), uk);

  // The way back: DuckDB writes the table (and derived columns of other types) as IPC.
  const bytes = ipcOf(conn, `SELECT *, CAST(InvoiceDate AS DATE) AS day, CAST(UnitPrice AS DECIMAL(10,2)) AS dec,
    CAST(Quantity AS INTEGER) AS i32, Quantity > 10 AS bulk, CAST(Country AS ENUM('United Kingdom','France','Australia','Netherlands','Germany','Norway','EIRE')) AS en FROM retail`);
  const back = await Dataset.fromArrow(bytes);
  assert.equal(back.numRows, ds.numRows);
  for (const c of ds.columns()) {
    const b = back.columns().find((x) => x.name === c.name);
    assert.equal(b.type, c.type === 'category' ? b.type : c.type, c.name);
    assert.equal(b.nullCount, c.nullCount, c.name);
    assert.deepEqual(ours(back, b), ours(ds, c), c.name);
  }
  const bt = Object.fromEntries(back.columns().map((c) => [c.name, c]));
  assert.equal(bt.day.type, 'date');
  assert.equal(bt.dec.type, 'float64');
  assert.equal(bt.i32.type, 'int64');
  assert.equal(bt.bulk.type, 'bool');
  assert.equal(bt.en.type, 'category');
  const days = ours(back, bt.day);
  ms.forEach((m, i) => assert.equal(days[i], Math.floor(m / 86400e3) * 86400e3));
  const bulk = back.column('bulk');
  qty.forEach((x, i) => assert.equal(bulk[i], x > 10));
  const en = back.column('en');
  countries.forEach((c, i) => assert.equal(en[i], ['United Kingdom', 'France', 'Australia', 'Netherlands', 'Germany', 'Norway', 'EIRE'].includes(c) ? c : null));
  back.free();
  ds.free();
  conn.close();
});
