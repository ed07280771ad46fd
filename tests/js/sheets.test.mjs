// Workbooks in Node through the package (the lazily loaded `sheets` module): the fixtures of
// scripts/make_sheet_fixtures.mjs (.xlsx, .ods, .xls) read by crmlens and, as the oracle, by
// SheetJS (`xlsx`, an independent reader); sheet choice, title rows, fromFile of a workbook,
// NOT_A_TABLE for a corrupt one, progress and abort.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import XLSX from 'xlsx';
import { Dataset } from '../../pkg/node.js';
import { setFileReader } from '../../pkg/loader.js';
import { assertRejectsCrmlens } from './_util.mjs';

const FIX = new URL('../fixtures/sheets/', import.meta.url);
const read = (f) => new Uint8Array(readFileSync(new URL(f, FIX)));
const FILES = ['orders.xlsx', 'orders.ods', 'orders.xls'];

/** SheetJS's reading of a sheet: rows of raw values (dates as UTC ms), `from` the header row. */
function oracle(bytes, sheet, headerRow) {
  const wb = XLSX.read(bytes, { type: 'array', cellDates: false, cellNF: true });
  const ws = wb.Sheets[sheet];
  const range = XLSX.utils.decode_range(ws['!ref']);
  const names = [];
  for (let c = range.s.c; c <= range.e.c; c++) names.push(ws[XLSX.utils.encode_cell({ r: headerRow, c })]?.v);
  const rows = [];
  for (let r = headerRow + 1; r <= range.e.r; r++) {
    const row = names.map((_, c) => {
      const cell = ws[XLSX.utils.encode_cell({ r, c })];
      if (!cell || cell.t === 'e') return null;
      if (cell.t === 'd') return cell.v.getTime();
      // A number with a date format: Excel's serial day (1900 system) → UTC ms.
      if (cell.t === 'n' && cell.z && XLSX.SSF.is_date(cell.z)) return Math.round((cell.v - 25569) * 86_400_000);
      return cell.v;
    });
    rows.push(row);
  }
  return { names, rows };
}

/** crmlens's table as rows of raw values (dates as UTC ms, nulls as null). */
function rowsOf(ds) {
  const cols = ds.columns().map((c) => {
    if (c.type === 'date' || c.type === 'datetime') return Array.from(ds.timestamps(c.name), (v) => (Number.isNaN(v) ? null : v));
    const v = ds.column(c.name);
    return Array.from(v, (x) => (typeof x === 'number' && Number.isNaN(x) ? null : x));
  });
  return Array.from({ length: ds.numRows }, (_, i) => cols.map((c) => c[i]));
}

// First in this file: no test before it has used a workbook, so the module is not loaded yet.
test('the sheets wasm is read on the first workbook only, once', async () => {
  const reads = [];
  setFileReader((url) => { reads.push(url.href.split('/').pop()); return readFileSync(url); });
  try {
    // Importing the package and reading a CSV do not load it.
    Dataset.fromCsv('a,b\n1,2\n').free();
    assert.deepEqual(reads, []);
    await Dataset.sheets(read('orders.xlsx'));
    await Dataset.sheets(read('orders.ods'));
    (await Dataset.fromExcel(read('orders.xls'))).free();
    assert.deepEqual(reads, ['crmlens_sheets_bg.wasm']);
  } finally {
    setFileReader(readFileSync);
  }
});

test('every format: the values and types SheetJS reads, title rows and the Total row left out', async () => {
  for (const f of FILES) {
    const bytes = read(f);
    const ds = await Dataset.fromExcel(bytes);
    const want = oracle(bytes, 'Orders', 3);
    // The last row of the sheet is the Total row: a footer, not an order.
    assert.equal(want.rows.at(-1)[0], 'Total');
    assert.deepEqual(ds.columns().map((c) => c.name), want.names, f);
    assert.deepEqual(ds.columns().map((c) => c.type), ['int64', 'text', 'text', 'float64', 'date', 'datetime', 'bool', 'float64'], f);
    assert.deepEqual(rowsOf(ds), want.rows.slice(0, -1), f);
    const issues = ds.issues.map((i) => `${i.line} ${i.kind}`);
    assert.deepEqual(issues.filter((i) => !i.endsWith('cellError')), ['1 title', '2 title', '45 footer'], f);
    assert.match(ds.issues[0].message, /Q3 2023 Orders/);
    assert.equal(ds.source.format, f.split('.')[1]);
    ds.free();
  }
});

test('sheets() lists the sheets; a sheet is picked by name or by index', async () => {
  for (const f of FILES) {
    const bytes = read(f);
    assert.deepEqual(await Dataset.sheets(bytes), ['Orders', 'Customers'], f);
    const want = oracle(bytes, 'Customers', 0);
    for (const sheet of ['Customers', 1]) {
      const ds = await Dataset.fromExcel(bytes.buffer, { sheet });
      assert.deepEqual(ds.columns().map((c) => [c.name, c.type]), [['customer', 'text'], ['country', 'category'], ['since', 'date']], f);
      assert.deepEqual(rowsOf(ds), want.rows, f);
      ds.free();
    }
    await assertRejectsCrmlens(Dataset.fromExcel(bytes, { sheet: 'Sheet1' }), 'INVALID_OPTION', { field: 'sheet' });
  }
  await assertRejectsCrmlens(Dataset.fromExcel(read('orders.xlsx'), { range: 'A1..B2' }), 'INVALID_OPTION', { field: 'range' });
  await assertRejectsCrmlens(Dataset.fromExcel(read('orders.xlsx'), { sheeet: 'Orders' }), 'INVALID_OPTION');
});

test('fromFile reads a workbook by its signature; a corrupt workbook is NOT_A_TABLE with its kind', async () => {
  const x = read('orders.xlsx');
  const ds = await Dataset.fromFile(new Blob([x]), { sheet: 'Customers' });
  assert.equal(ds.numRows, 10);
  assert.equal(ds.source.format, 'xlsx');
  const named = await Dataset.fromFile(new File([read('orders.ods')], 'export.ods'));
  assert.equal(named.numRows, 40);
  // A CSV still goes through the streaming loader.
  const csv = await Dataset.fromFile(new Blob(['a,b\n1,2\n']));
  assert.equal(csv.source.format, 'csv');
  for (const bytes of [x.slice(0, x.length >> 1), read('orders.xls').slice(0, 6000)]) {
    const e = await assertRejectsCrmlens(Dataset.fromExcel(bytes), 'NOT_A_TABLE');
    assert.ok(['xlsx', 'zip', 'xls'].includes(e.kind), `kind ${e.kind}`);
    await assertRejectsCrmlens(Dataset.fromFile(new Blob([bytes])), 'NOT_A_TABLE');
  }
  const e = await assertRejectsCrmlens(Dataset.fromExcel(new TextEncoder().encode('a,b\n1,2\n')), 'NOT_A_TABLE');
  assert.equal(e.kind, 'text');
  // A flipped byte that made calamine 0.35 panic (FORMER_XLS_PANIC of the sheets crate's
  // tests/workbooks.rs; in wasm a trap, which js/sheets.js turns into NOT_A_TABLE): the module
  // now checks the workbook before calamine reads it and names the bad sheet offset; the
  // module then still reads workbooks.
  const damaged = read('orders.xls');
  damaged[3075] ^= 0x5a;
  for (let k = 0; k < 3; k++) {
    const t = await assertRejectsCrmlens(Dataset.fromExcel(damaged), 'NOT_A_TABLE', { kind: 'xls' });
    assert.match(t.message, /past the end of the workbook stream/);
    await assertRejectsCrmlens(Dataset.sheets(damaged), 'NOT_A_TABLE', { kind: 'xls' });
    const ok = await Dataset.fromExcel(read('orders.xls'));
    assert.equal(ok.numRows, 40);
    ok.free();
  }
  // Fuzz campaign 10: an .xls whose cells lie 2^32 cells apart made calamine ask for 137 GB
  // (a trap in wasm, reported as NOT_A_TABLE "damaged"); now refused before calamine reads it.
  const wide = new Uint8Array(readFileSync(new URL('../fixtures/fuzz/sheets_xls_cells_2_pow_32_apart.xls', import.meta.url)));
  const w = await assertRejectsCrmlens(Dataset.fromExcel(wide), 'TOO_LARGE', { field: 'sheet' });
  assert.match(w.message, /16777216/);
});

test('progress and abort follow the rules of fromFile', async () => {
  const bytes = read('orders.xlsx');
  const seen = [];
  const ds = await Dataset.fromExcel(bytes, { onProgress: (p) => seen.push(p) });
  assert.deepEqual(seen, [{ bytesRead: 0, totalBytes: bytes.length, rows: 0 }, { bytesRead: bytes.length, totalBytes: bytes.length, rows: 40 }]);
  ds.free();
  const pre = new AbortController();
  pre.abort();
  await assertRejectsCrmlens(Dataset.fromExcel(bytes, { signal: pre.signal }), 'ABORTED');
  const mid = new AbortController();
  await assertRejectsCrmlens(Dataset.fromExcel(bytes, { signal: mid.signal, onProgress: () => mid.abort() }), 'ABORTED');
  await assertRejectsCrmlens(Dataset.fromFile(new Blob([bytes]), { signal: pre.signal }), 'ABORTED');
  await assertRejectsCrmlens(Dataset.fromExcel(bytes, { onProgress: 1 }), 'INVALID_OPTION', { field: 'onProgress' });
});
