// The loader and writer as JS sees them: fuzz findings 01–05 (trust issue 19) as
// regression tests, the one CSV writer (formulas, BOM, one-column rows), NOT_A_TABLE,
// and text files of lines (files issue 21).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Dataset } from '../../pkg/node.js';
import { assertCrmlensError, parseCsv, readData } from './_util.mjs';

test('finding 01: toCsv → fromCsv of a one-column table keeps null and blank rows', () => {
  const d = Dataset.fromJson('[{"a":"x"},{"a":null},{"a":" "},{"a":"y"}]');
  const csv = d.toCsv();
  assert.equal(csv, 'a\nx\n""\n""\ny\n');
  const back = Dataset.fromCsv(csv);
  assert.equal(back.numRows, 4);
  assert.equal(back.source.records, 4);
  assert.deepEqual(back.column('a'), d.column('a'));
  d.free(); back.free();
});

test('campaign 6: toCsv → fromCsv keeps the shape when cells hold tabs or a quoted header holds semicolons', () => {
  const fixture = (name) => readFileSync(new URL(`../fixtures/fuzz/${name}`, import.meta.url));
  const cases = [
    ['csv_round_trip_tab_reviews.txt', { delimiter: ',', dateOrder: 'dmy' }, [27, 2]],
    ['csv_round_trip_header_only_quotes.csv', { delimiter: '\t', encoding: 'gbk', dateOrder: 'auto' }, [0, 2]],
  ];
  for (const [name, options, shape] of cases) {
    const d = Dataset.fromCsv(fixture(name), options);
    assert.deepEqual([d.numRows, d.numColumns], shape, name);
    const back = Dataset.fromCsv(d.toCsv(), { header: true });
    assert.deepEqual([back.numRows, back.numColumns], shape, `${name}: ${back.source.sniffNote ?? ''}`);
    assert.deepEqual(back.columns().map((c) => c.name), d.columns().map((c) => c.name), name);
    d.free(); back.free();
  }
});

test('finding 02: 20,000 copies of one header name load in linear time', () => {
  const csv = 'a,'.repeat(20000).slice(0, -1) + '\n';
  const t0 = performance.now();
  const d = Dataset.fromCsv(csv, { header: true });
  const ms = performance.now() - t0;
  assert.equal(d.numColumns, 20000);
  assert.ok(ms < 3000, `${ms} ms (was 23 s)`);
  d.free();
});

test('findings 03 and 05: maxRows is exact in whitespace mode and for NDJSON above 64 KiB', () => {
  const d = Dataset.fromCsv('x'.repeat(65536) + '\n1', { delimiter: 'whitespace', maxRows: 1 });
  assert.deepEqual([d.numRows, d.source.truncated], [1, true]);
  const e = Dataset.fromCsv('h'.repeat(65534) + '\n1\n2', { delimiter: 'whitespace', maxRows: 1 });
  assert.deepEqual([e.numRows, e.source.header], [1, true]);
  const s = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: i, t: 'x'.repeat(50) })).join('\n');
  const n = Dataset.fromJson(s, { maxRows: 3 });
  assert.deepEqual([n.numRows, n.source.truncated], [3, true]);
  for (const x of [d, e, n]) x.free();
});

test('finding 04: memory follows the data, not blank lines before a long field', () => {
  const s = 'h\n' + '\n'.repeat(4000) + 'x'.repeat(60000) + '\n';
  const d = Dataset.fromCsv(s);
  assert.equal(d.numRows, 1);
  assert.ok(d.memoryBytes < 4 * s.length, `memoryBytes ${d.memoryBytes} (was 67,125,257)`);
  d.free();
});

test('one CSV writer: hostile cells neutralised, BOM on request, quoting', () => {
  const hostile = ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", '@SUM(1+1)', '-2+3', '\t=1', 'plain, "quoted"'];
  const d = Dataset.fromJson(JSON.stringify(hostile.map((v, i) => ({ row: i + 1, cell: v }))));
  const csv = d.toCsv({ bom: true });
  assert.ok(csv.startsWith('\uFEFFrow,cell\n'));
  const records = parseCsv(csv.slice(1));
  for (let i = 0; i < hostile.length; i++) {
    const cell = records[i + 1][1];
    if (/^[=+\-@\t\r]/.test(hostile[i])) assert.equal(cell, `'${hostile[i]}`);
    else assert.equal(cell, hostile[i]);
  }
  assert.equal(records[1][0], '1', 'numbers are never changed');
  assertCrmlensError(() => d.toCsv({ bom: 'yes' }), 'INVALID_OPTION', { field: 'bom' });
  d.free();
});

test('NOT_A_TABLE: binary signatures and random bytes', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 2000 }, (_, i) => (i * 97) & 255)]);
  // The detected kind is a property of the error (`kind`), not only words in its message.
  assertCrmlensError(() => Dataset.fromCsv(png), 'NOT_A_TABLE', { kind: 'png' });
  assert.throws(() => Dataset.fromCsv(png), /png/);
  const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new TextEncoder().encode('xl/workbook.xml'), ...Array(500).fill(7)]);
  assert.throws(() => Dataset.fromCsv(zip), (e) => e.code === 'NOT_A_TABLE' && e.kind === 'xlsx' && /xlsx/.test(e.message));
  const pdf = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj\n');
  assertCrmlensError(() => Dataset.fromCsv(pdf), 'NOT_A_TABLE', { kind: 'pdf' });
  let x = 12345;
  const noise = Uint8Array.from({ length: 50000 }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 24));
  assertCrmlensError(() => Dataset.fromCsv(noise), 'NOT_A_TABLE', { kind: 'binary' });
  assertCrmlensError(() => Dataset.fromJson(noise), 'NOT_A_TABLE', { kind: 'binary' });
  // Other codes carry no kind.
  const e = assertCrmlensError(() => Dataset.fromCsv('a,b\n1,2\n', { onBadRows: 'nope' }), 'INVALID_OPTION');
  assert.equal(e.kind, undefined);
});

test('a file of reviews, one per line, is one text column; the sniff is reported', () => {
  const raw = readData('uci_sentiment_labelled_sentences/amazon_cells_labelled.txt').toString('utf8');
  const sentences = raw.split('\n').filter((l) => l.includes('\t')).map((l) => l.slice(0, l.lastIndexOf('\t')));
  const d = Dataset.fromCsv(sentences.join('\n'));
  assert.equal(d.source.delimiter, 'lines');
  assert.equal(typeof d.source.delimiterConfidence, 'number');
  assert.match(d.source.sniffNote, /^lines/);
  assert.equal(d.numRows, sentences.length);
  assert.deepEqual(d.column('text'), sentences);
  assert.throws(() => Dataset.fromCsv(sentences.join('\n'), { delimiter: ',' }),
    (e) => e.code === 'RAGGED_ROW' && e.field === 'onBadRows' && /delimiter: "lines"/.test(e.message));
  d.free();
});

test('locale-aware typing: decimal comma, currency in columns(), AM/PM, 年月日; options checked', async () => {
  const { readFileSync } = await import('node:fs');
  const de = Dataset.fromCsv(readFileSync(new URL('../fixtures/locale/de_excel_semicolon_cp1252.csv', import.meta.url)));
  const cols = Object.fromEntries(de.columns().map((c) => [c.name, c]));
  assert.equal(cols.Umsatz.type, 'float64');
  assert.match(cols.Umsatz.format, /decimal-comma/);
  assert.equal(cols.Umsatz.currency, 'EUR');
  assert.equal(de.column('Umsatz')[0], 38908.89);
  const sf = Dataset.fromCsv(readFileSync(new URL('../fixtures/locale/salesforce_report.csv', import.meta.url)));
  assert.equal(sf.numRows, 40);
  assert.ok(sf.issues.some((i) => i.kind === 'footer' && /Grand Totals/.test(i.message)));
  const created = sf.columns().find((c) => c.name === 'Created Date');
  assert.equal(created.type, 'datetime');
  assert.match(created.format, /AM\/PM/);
  const zh = Dataset.fromCsv('客户,金额,日期\n张三,"￥1,280.00",2023年10月31日\n李四,￥99.50,2023年1月5日\n');
  assert.equal(zh.columns()[2].type, 'date');
  assert.equal(zh.column('金额')[0], 1280);
  assertCrmlensError(() => Dataset.fromCsv('a\n1\n', { locale: 'xx-YY' }), 'INVALID_OPTION', { field: 'locale' });
  assertCrmlensError(() => Dataset.fromCsv('a\n1\n', { decimal: ';' }), 'INVALID_OPTION', { field: 'decimal' });
  const forced = Dataset.fromCsv('id;amount\n1;1.234\n2;5.678\n', { locale: 'de-DE' });
  assert.equal(forced.column('amount')[0], 1234);
  for (const d of [de, sf, zh, forced]) d.free();
});
