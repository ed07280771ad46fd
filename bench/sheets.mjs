// Side-by-side workbook benchmark: crmlens (the lazily loaded `sheets` module, calamine)
// vs SheetJS (`xlsx`, the JS standard) on the same 10^5-row .xlsx, in one run. A
// benchmark, not a test: it prints a table and asserts nothing, except that both readers
// agree on the row count and the sum of the amounts (OK / MISMATCH).
//
//   node bench/sheets.mjs [--rows 100000] [--runs 5] [--pkg DIR]
//
// The workbook (bench/out/sheets_<rows>.xlsx) is written by SheetJS from a seeded
// generator: a CRM order table of 8 columns (ids, emails, countries, amounts with a
// currency format, order dates as serial numbers with a date format, a paid flag, counts,
// notes). Every (reader, run) is a fresh child process, alternating readers, so peak RSS
// belongs to that reader alone; the bytes are read before the clock starts.
// - crmlens: `await Dataset.fromExcel(bytes)` → a typed Dataset (the module's .wasm is
//   loaded before the clock; its load time is reported apart).
// - sheetjs: `XLSX.read(bytes)` + `sheet_to_json(ws, { header: 1 })`: rows of values, which
//   is what a page needs before it can use the table (dense mode too: `sheetjs-dense`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt, median } from './report.mjs';

const SELF = fileURLToPath(import.meta.url);
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const PKG = resolve(process.env.CRMLENS_BENCH_PKG ?? fileURLToPath(new URL('../pkg', import.meta.url)));
const READERS = ['crmlens', 'sheetjs', 'sheetjs-dense'];

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

// ---------------------------------------------------------------- the workbook
async function workbook(rows) {
  const file = join(OUT, `sheets_${rows}.xlsx`);
  if (existsSync(file)) return file;
  const XLSX = (await import('xlsx')).default;
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const countries = ['DE', 'FR', 'IT', 'CN', 'JP', 'BR', 'CZ', 'US', 'GB', 'ES'];
  const ws = {};
  const set = (r, c, cell) => { ws[XLSX.utils.encode_cell({ r, c })] = cell; };
  ['customer_id', 'email', 'country', 'amount', 'order_date', 'paid', 'orders', 'note'].forEach((h, c) => set(0, c, { t: 's', v: h }));
  for (let i = 0; i < rows; i++) {
    const r = i + 1;
    set(r, 0, { t: 's', v: `C${100000 + ((i * 7919) % 50000)}` });
    set(r, 1, { t: 's', v: `user${i % 50000}@example.com` });
    set(r, 2, { t: 's', v: countries[i % countries.length] });
    set(r, 3, { t: 'n', v: Math.round(rand() * 50000) / 100, z: '"$"#,##0.00' });
    set(r, 4, { t: 'n', v: 44927 + (i % 730), z: 'yyyy-mm-dd' });
    set(r, 5, { t: 'b', v: i % 3 !== 0 });
    set(r, 6, { t: 'n', v: 1 + (i % 17) });
    set(r, 7, { t: 's', v: `note ${i % 977}, again` });
  }
  ws['!ref'] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: rows, c: 7 } });
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Orders');
  wb.SSF = { ...XLSX.SSF.get_table(), 164: '"$"#,##0.00', 165: 'yyyy-mm-dd' };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(file, XLSX.write(wb, { bookType: 'xlsx', type: 'buffer', compression: true }));
  return file;
}

// ---------------------------------------------------------------- child: one measurement
async function child(name, file) {
  const bytes = new Uint8Array(readFileSync(file));
  const rssBefore = process.resourceUsage().maxRSS / 1024;
  let rows, sum, moduleMs = null, t;
  if (name === 'crmlens') {
    const { Dataset, loadModule } = await import(pathToFileURL(join(PKG, 'node.js')).href);
    t = performance.now();
    await loadModule('sheets');
    moduleMs = performance.now() - t;
    t = performance.now();
    const ds = await Dataset.fromExcel(bytes);
    const ms = performance.now() - t;
    rows = ds.numRows;
    sum = ds.column('amount').reduce((a, b) => a + b, 0);
    return { name, ms, moduleMs, rows, sum, types: ds.columns().map((c) => c.type).join(','), peakRssMB: process.resourceUsage().maxRSS / 1024, baseRssMB: rssBefore };
  }
  const XLSX = (await import('xlsx')).default;
  t = performance.now();
  const wb = XLSX.read(bytes, { type: 'array', dense: name === 'sheetjs-dense' });
  const table = XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]], { header: 1 });
  const ms = performance.now() - t;
  rows = table.length - 1;
  sum = 0;
  for (let i = 1; i < table.length; i++) sum += table[i][3];
  return { name, ms, moduleMs, rows, sum, types: null, peakRssMB: process.resourceUsage().maxRSS / 1024, baseRssMB: rssBefore };
}

// ---------------------------------------------------------------- parent
async function main() {
  const rows = Number(arg('rows', 100000));
  const runs = Number(arg('runs', 5));
  const file = await workbook(rows);
  const size = readFileSync(file).length;
  console.log(`# workbook ${file}: ${rows} rows × 8 columns, ${(size / 1e6).toFixed(2)} MB; ${runs} runs each, alternating`);
  const res = Object.fromEntries(READERS.map((r) => [r, []]));
  for (let k = 0; k < runs; k++) {
    for (const r of READERS) {
      const p = spawnSync(process.execPath, [SELF, '--child', r, file], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, CRMLENS_BENCH_PKG: PKG } });
      if (p.status !== 0) throw new Error(`${r}: ${p.stderr}`);
      res[r].push(JSON.parse(p.stdout.trim().split('\n').at(-1)));
    }
  }
  const base = median(res.sheetjs.map((m) => m.ms));
  const baseRss = median(res.sheetjs.map((m) => m.peakRssMB));
  console.log('\n| reader | time (ms, median) | vs SheetJS | peak RSS (MB, median) | vs SheetJS | rows |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of READERS) {
    const ms = median(res[r].map((m) => m.ms));
    const rss = median(res[r].map((m) => m.peakRssMB));
    console.log(`| ${r} | ${fmt(ms, 0)} | ${fmt(ms / base)}× | ${fmt(rss, 0)} | ${fmt(rss / baseRss)}× | ${res[r][0].rows} |`);
  }
  const mod = median(res.crmlens.map((m) => m.moduleMs));
  console.log(`\n- crmlens module load (instantiate crmlens_sheets_bg.wasm, before the clock): ${fmt(mod, 1)} ms median`);
  console.log(`- crmlens column types: ${res.crmlens[0].types}`);
  const agree = READERS.every((r) => res[r].every((m) => m.rows === rows && Math.abs(m.sum - res.sheetjs[0].sum) < 1e-6 * Math.abs(res.sheetjs[0].sum)));
  console.log(`- row counts and Σ amount: ${agree ? 'OK' : 'MISMATCH'} (Σ ${res.sheetjs[0].sum.toFixed(2)})`);
  console.log(`- base RSS of a child before reading (Node + the bytes): ${fmt(median(res.sheetjs.map((m) => m.baseRssMB)), 0)} MB`);
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).then((r) => process.stdout.write(JSON.stringify(r) + '\n'));
} else {
  await main();
}
