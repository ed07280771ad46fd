// dataset.mask, dataset.clean and safe exports, from the built package in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../pkg/node.js';
import { assertCrmlensError, parseCsv, readData } from './_util.mjs';

const HOSTILE = 'name,email,phone,amount,note\n' +
  'Ann Lee,ann@example.com,+86 138-1234-5678,-5,"=HYPERLINK(""http://evil.example"",""click"")"\n' +
  'Bob Ray,bob@example.org,(555) 123-4567,12.5,<img src=x onerror=alert(1)>\n' +
  '@cmd,carl@example.net,13912345678,-0.25,"+SUM(A1:A2)"\n' +
  '-dash,,,,\tTAB\n';

test('toCsv neutralises formula injection by default, numbers untouched; opt-out restores raw text', () => {
  const ds = Dataset.fromCsv(HOSTILE);
  const rows = parseCsv(ds.toCsv());
  assert.deepEqual(rows[0], ['name', 'email', 'phone', 'amount', 'note']);
  assert.equal(rows[1][4], "'=HYPERLINK(\"http://evil.example\",\"click\")");
  assert.equal(rows[1][3], '-5');
  assert.equal(rows[3][0], "'@cmd");
  assert.equal(rows[3][3], '-0.25');
  assert.equal(rows[3][4], "'+SUM(A1:A2)");
  assert.equal(rows[4][0], "'-dash");
  assert.equal(rows[2][4], '<img src=x onerror=alert(1)>');
  for (const r of rows.slice(1)) for (const cell of [r[0], r[4]]) assert.ok(!/^[=+\-@\t\r]/.test(cell), cell);
  const raw = parseCsv(ds.toCsv({ escapeFormulas: false }));
  assert.equal(raw[1][4], '=HYPERLINK("http://evil.example","click")');
  assert.equal(raw[3][0], '@cmd');
  // JSON keeps the text as it is, correctly escaped.
  const json = JSON.parse(ds.toJson());
  assert.equal(json[0].note, '=HYPERLINK("http://evil.example","click")');
  assert.equal(json[1].note, '<img src=x onerror=alert(1)>');
  assert.equal(json[0].amount, -5);
  ds.free();
});

test('mask: auto finds emails and phones; redact, hash and partial', () => {
  const ds = Dataset.fromCsv(HOSTILE);
  const { dataset: red, report } = ds.mask({ columns: 'auto', method: 'redact' });
  assert.deepEqual(red.column('email'), ['[EMAIL]', '[EMAIL]', '[EMAIL]', null]);
  assert.deepEqual(red.column('phone').slice(0, 3), ['[PHONE]', '[PHONE]', '[PHONE]']);
  assert.deepEqual(Array.from(red.column('amount')).slice(0, 3), [-5, 12.5, -0.25]);
  assert.deepEqual(report.columns.map((c) => [c.name, c.kind, c.cells]), [['email', 'email', 3], ['phone', 'phone', 3]]);
  const { dataset: hashed } = ds.mask({ columns: ['email'], method: 'hash', salt: 'k' });
  const h = hashed.column('email');
  assert.match(h[0], /^#[0-9a-f]{16}$/);
  assert.notEqual(h[0], h[1]);
  const { dataset: part } = ds.mask({ columns: ['email', 'phone'], method: 'partial' });
  assert.equal(part.column('email')[0], 'a***@example.com');
  assert.equal(part.column('phone')[0], '+** ***-****-5678');
  assert.equal(ds.column('email')[0], 'ann@example.com', 'the source is untouched');
  assertCrmlensError(() => ds.mask({ columns: ['nope'] }), 'UNKNOWN_COLUMN');
  assertCrmlensError(() => ds.mask({ method: 'shred' }), 'INVALID_OPTION', { field: 'method' });
  for (const d of [red, hashed, part, ds]) d.free();
});

test('clean: plan steps, log of every change, duplicate groups; bad plans are errors', () => {
  const ds = Dataset.fromCsv(readData('online_retail_uci_first5000/online_retail_small.csv'));
  const { dataset, log, duplicates } = ds.clean({ trim: 'all', dedupe: true, fill: { CustomerID: 'previous' } });
  assert.equal(log.rowsIn, 5000);
  assert.equal(log.rowsOut, dataset.numRows);
  assert.equal(log.rowsIn - log.rowsOut, log.counts.find((c) => c.rule === 'dropDuplicate').count);
  const trims = log.changes.filter((c) => c.rule === 'trim');
  assert.ok(trims.length >= 962);
  for (const c of trims.slice(0, 50)) {
    assert.equal(c.column, 'Description');
    assert.equal(c.after, c.before.trim().replace(/\s+/g, ' '));
    assert.equal(ds.column('Description')[c.row], c.before);
  }
  assert.deepEqual(duplicates, []);
  dataset.free();

  const people = Dataset.fromCsv('name,email,phone\nAnn Lee,ann@example.com,138 1234 5678\nLEE ANN, ANN@EXAMPLE.COM ,+86-138-1234-5678\nBob Ray,bob@example.org,\n');
  const r = people.clean({ fuzzyDedupe: { name: 'name', email: 'email', phone: 'phone' } });
  assert.equal(r.duplicates.length, 1);
  const g = r.duplicates[0];
  assert.deepEqual(g.rows, [0, 1]);
  assert.equal(g.pairs[0].email, 1);
  assert.equal(g.pairs[0].phone, 1);
  assert.ok(g.pairs[0].name > 0.99);
  assert.equal(r.dataset.numRows, 3);
  r.dataset.free();
  assertCrmlensError(() => people.clean({ trimm: 'all' }), 'INVALID_OPTION', { field: 'trimm' });
  assertCrmlensError(() => people.clean({ fill: { name: 'mean' } }), 'INVALID_OPTION');
  assertCrmlensError(() => people.clean({ case: { nope: 'lower' } }), 'UNKNOWN_COLUMN');
  people.free();
  ds.free();
});
