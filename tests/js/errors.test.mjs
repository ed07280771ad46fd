// Bad input: every way loading can go wrong must end in a CrmlensError with a stable code
// (and line / column / field where known), or in a dataset whose issues say what was done.
// The robustness test at the end throws garbage at every entry point of one module
// instance and then checks that the instance still loads a real file correctly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Dataset } from '../../pkg/node.js';
import {
  assertCrmlensError, assertRejectsCrmlens, checkCrmlensError, prng, readData,
} from './_util.mjs';

const enc = (s) => new TextEncoder().encode(s);
const cat = (...parts) => {
  const arrays = parts.map((p) => (typeof p === 'string' ? enc(p) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) { out.set(a, o); o += a.length; }
  return out;
};
const brief = (issues) => issues.map((i) => ({ line: i.line, column: i.column, kind: i.kind, action: i.action }));

// --- Ragged rows -----------------------------------------------------------------------

const RAGGED = 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n';

test('ragged rows, onBadRows "error": RAGGED_ROW with line, column and field', async () => {
  assertCrmlensError(() => Dataset.fromCsv(RAGGED, { onBadRows: 'error' }), 'RAGGED_ROW', { line: 3, column: 3, field: 'c' });
  // Too many fields: the first extra field is reported.
  assertCrmlensError(() => Dataset.fromCsv('a,b,c\n1,2,3\n6,7,8,9\n', { onBadRows: 'error' }), 'RAGGED_ROW', { line: 3, column: 4 });
  // Lines are physical lines: CRLF, blank lines and multi-line quoted fields count.
  assertCrmlensError(() => Dataset.fromCsv('a,b,c\r\n1,2,3\r\n\r\n4,5\r\n', { onBadRows: 'error' }), 'RAGGED_ROW', { line: 4, column: 3 });
  assertCrmlensError(() => Dataset.fromCsv('a,b,c\n1,"x\ny\nz",3\n4,5\n', { onBadRows: 'error' }), 'RAGGED_ROW', { line: 5, column: 3 });
  assertCrmlensError(() => Dataset.fromCsv(enc(RAGGED), { onBadRows: 'error' }), 'RAGGED_ROW', { line: 3, column: 3 });
  assertCrmlensError(() => Dataset.fromCsv('a b c\n1 2 3\n4 5\n', { onBadRows: 'error', delimiter: 'whitespace' }), 'RAGGED_ROW', { line: 3, column: 3 });
  await assertRejectsCrmlens(Dataset.fromFile(new Blob([RAGGED]), { onBadRows: 'error', chunkSize: 2 }), 'RAGGED_ROW', { line: 3, column: 3, field: 'c' });
});

test('ragged rows, onBadRows "skip": rows left out and listed with their lines', async () => {
  const check = (ds) => {
    assert.deepEqual(ds.rows(), [{ a: 1, b: 2, c: 3 }, { a: 10, b: 11, c: 12 }]);
    assert.deepEqual(brief(ds.issues), [
      { line: 3, column: 3, kind: 'ragged', action: 'skipped' },
      { line: 4, column: 4, kind: 'ragged', action: 'skipped' },
    ]);
    assert.deepEqual(ds.issueCounts, [{ kind: 'ragged', action: 'skipped', count: 2 }]);
    assert.equal(ds.source.records, 4);
    assert.equal(ds.source.skippedRows, 2);
    assert.equal(ds.source.repairedRows, 0);
    ds.free();
  };
  check(Dataset.fromCsv(RAGGED, { onBadRows: 'skip' }));
  check(await Dataset.fromFile(new Blob([RAGGED]), { onBadRows: 'skip', chunkSize: 3 }));
});

test('ragged rows, onBadRows "repair" (default): short rows padded with null, long rows cut, all listed', async () => {
  const check = (ds) => {
    assert.deepEqual(ds.rows(), [
      { a: 1, b: 2, c: 3 }, { a: 4, b: 5, c: null }, { a: 6, b: 7, c: 8 }, { a: 10, b: 11, c: 12 },
    ]);
    assert.deepEqual(brief(ds.issues), [
      { line: 3, column: 3, kind: 'ragged', action: 'repaired' },
      { line: 4, column: 4, kind: 'ragged', action: 'repaired' },
    ]);
    assert.match(ds.issues[1].message, /"9"/, 'the dropped field is named in the message');
    assert.equal(ds.source.repairedRows, 2);
    assert.equal(ds.source.skippedRows, 0);
    assert.deepEqual(Array.from(ds.column('c')).map((v) => (Number.isNaN(v) ? null : v)), [3, null, 8, 12]);
    ds.free();
  };
  check(Dataset.fromCsv(RAGGED));
  check(Dataset.fromCsv(RAGGED, { onBadRows: 'repair' }));
  check(await Dataset.fromFile(new Blob([RAGGED]), { chunkSize: 5 }));
});

// --- Unbalanced quotes -----------------------------------------------------------------

const UNBALANCED = 'a,b\n1,x\n2,"open\n3,y\n4,z\n';

test('unbalanced quote: UNBALANCED_QUOTE at the line the quote opened; skip/repair keep the rows after it', async () => {
  assertCrmlensError(() => Dataset.fromCsv(UNBALANCED, { onBadRows: 'error' }), 'UNBALANCED_QUOTE', { line: 3 });
  assertCrmlensError(() => Dataset.fromCsv('a,b\n1,2\n3,"x\n', { onBadRows: 'error' }), 'UNBALANCED_QUOTE', { line: 3 });
  await assertRejectsCrmlens(Dataset.fromFile(new Blob([UNBALANCED]), { onBadRows: 'error', chunkSize: 2 }), 'UNBALANCED_QUOTE', { line: 3 });

  const skip = Dataset.fromCsv(UNBALANCED, { onBadRows: 'skip' });
  assert.deepEqual(skip.rows(), [{ a: 1, b: 'x' }, { a: 3, b: 'y' }, { a: 4, b: 'z' }]);
  assert.deepEqual(brief(skip.issues), [{ line: 3, column: null, kind: 'unbalancedQuote', action: 'skipped' }]);
  assert.equal(skip.source.skippedRows, 1);
  skip.free();

  for (const ds of [Dataset.fromCsv(UNBALANCED), await Dataset.fromFile(new Blob([UNBALANCED]), { chunkSize: 4 })]) {
    assert.deepEqual(ds.rows(), [{ a: 1, b: 'x' }, { a: 2, b: '"open' }, { a: 3, b: 'y' }, { a: 4, b: 'z' }]);
    assert.deepEqual(brief(ds.issues), [{ line: 3, column: null, kind: 'unbalancedQuote', action: 'repaired' }]);
    assert.equal(ds.source.repairedRows, 1);
    ds.free();
  }
});

test('unbalanced quote on the header line, or closed by a later quote, is still reported', {
}, () => {
  assertCrmlensError(() => Dataset.fromCsv('"a,b\n1,2\n3,4\n', { onBadRows: 'error' }), 'UNBALANCED_QUOTE', { line: 1 });
  const repaired = Dataset.fromCsv('"a,b\n1,2\n3,4\n');
  assert.equal(repaired.issues.length, 1, 'repair must list the unclosed quote');
  assert.equal(repaired.issues[0].line, 1);
  repaired.free();
  // Three quotes: the one on line 3 never closes properly; lines 4-6 must not vanish silently.
  assertCrmlensError(() => Dataset.fromCsv('a,b\n1,x\n2,"open\n3,y\n4,z\n5,"q"\n', { onBadRows: 'error' }), 'UNBALANCED_QUOTE', { line: 3 });
});

// --- Encoding errors -------------------------------------------------------------------

const BAD_UTF8 = cat('a,b\n1,x\n2,', [0xff, 0xfe], 'y\n3,z\n');

test('invalid UTF-8 with encoding "utf-8": ENCODING_ERROR with line; skip/repair list the row', async () => {
  assertCrmlensError(() => Dataset.fromCsv(BAD_UTF8, { encoding: 'utf-8', onBadRows: 'error' }), 'ENCODING_ERROR', { line: 3 });
  await assertRejectsCrmlens(Dataset.fromFile(new Blob([BAD_UTF8]), { encoding: 'utf-8', onBadRows: 'error', chunkSize: 3 }), 'ENCODING_ERROR', { line: 3 });
  // A multi-line record is reported at the line it starts on.
  assertCrmlensError(() => Dataset.fromCsv(cat('a,b\n1,"x\ny', [0xff], '"\n2,3\n'), { encoding: 'utf-8', onBadRows: 'error' }), 'ENCODING_ERROR', { line: 2 });
  // GBK with a lead byte followed by an invalid trail byte.
  assertCrmlensError(() => Dataset.fromCsv(cat('a,b\n1,x\n2,', [0x81, 0x20], '\n3,z\n'), { encoding: 'gbk', onBadRows: 'error' }), 'ENCODING_ERROR', { line: 3 });

  const skip = Dataset.fromCsv(BAD_UTF8, { encoding: 'utf-8', onBadRows: 'skip' });
  assert.deepEqual(skip.rows(), [{ a: 1, b: 'x' }, { a: 3, b: 'z' }]);
  assert.deepEqual(brief(skip.issues), [{ line: 3, column: null, kind: 'encoding', action: 'skipped' }]);
  skip.free();

  for (const ds of [
    Dataset.fromCsv(BAD_UTF8, { encoding: 'utf-8' }),
    await Dataset.fromFile(new Blob([BAD_UTF8]), { encoding: 'utf-8', chunkSize: 1 }),
  ]) {
    assert.deepEqual(ds.rows(), [{ a: 1, b: 'x' }, { a: 2, b: '\ufffd\ufffdy' }, { a: 3, b: 'z' }]);
    assert.deepEqual(brief(ds.issues), [{ line: 3, column: null, kind: 'encoding', action: 'repaired' }]);
    assert.deepEqual(ds.issueCounts, [{ kind: 'encoding', action: 'repaired', count: 1 }]);
    assert.equal(ds.source.repairedRows, 1);
    ds.free();
  }
});

test('invalid bytes in the header line are reported like any other row', {
}, () => {
  const bytes = cat('a,b', [0xff], '\n1,2\n');
  assertCrmlensError(() => Dataset.fromCsv(bytes, { encoding: 'utf-8', onBadRows: 'error' }), 'ENCODING_ERROR', { line: 1 });
  const ds = Dataset.fromCsv(bytes, { encoding: 'utf-8' });
  assert.deepEqual(brief(ds.issues), [{ line: 1, column: null, kind: 'encoding', action: 'repaired' }]);
  ds.free();
});

// --- Options, columns, empty input ------------------------------------------------------

test('unknown option: INVALID_OPTION naming the field, from every entry point', async () => {
  const e = assertCrmlensError(() => Dataset.fromCsv('a\n1\n', { bogus: 1 }), 'INVALID_OPTION', { field: 'bogus' });
  assert.match(e.message, /bogus/);
  assertCrmlensError(() => Dataset.fromCsv(enc('a\n1\n'), { onbadrows: 'skip' }), 'INVALID_OPTION', { field: 'onbadrows' });
  assertCrmlensError(() => Dataset.fromJson('[{"a":1}]', { bogus: 1 }), 'INVALID_OPTION', { field: 'bogus' });
  await assertRejectsCrmlens(Dataset.fromFile(new Blob(['a\n1\n']), { bogus: 1 }), 'INVALID_OPTION', { field: 'bogus' });
  const ds = Dataset.fromCsv('a\n1\n');
  assertCrmlensError(() => ds.toCsv({ bogus: 1 }), 'INVALID_OPTION', { field: 'bogus' });
  ds.free();
});

test('invalid option values: INVALID_OPTION naming the option (delimiter, quote, chunkSize, onProgress, input)', async () => {
  assertCrmlensError(() => Dataset.fromCsv('a\n1\n', { delimiter: 'ab' }), 'INVALID_OPTION', { field: 'delimiter' });
  assertCrmlensError(() => Dataset.fromCsv('a\n1\n', { quote: 'ab' }), 'INVALID_OPTION', { field: 'quote' });
  assertCrmlensError(() => Dataset.fromCsv(enc('a\n1\n'), { encoding: 'no-such-encoding' }), 'INVALID_OPTION', { field: 'encoding' });
  assertCrmlensError(() => Dataset.fromCsv('a\n1\n', 5), 'INVALID_OPTION');
  assertCrmlensError(() => Dataset.fromCsv(12345), 'INVALID_OPTION', { field: 'input' });
  assertCrmlensError(() => Dataset.fromJson(null), 'INVALID_OPTION', { field: 'input' });
  await assertRejectsCrmlens(() => Dataset.fromFile('a,b\n1,2\n'), 'INVALID_OPTION', { field: 'input' });
  await assertRejectsCrmlens(() => Dataset.fromFile(new Blob(['a\n1\n']), { chunkSize: 0 }), 'INVALID_OPTION', { field: 'chunkSize' });
  await assertRejectsCrmlens(() => Dataset.fromFile(new Blob(['a\n1\n']), { onProgress: 5 }), 'INVALID_OPTION', { field: 'onProgress' });
  const ds = Dataset.fromCsv('a\n1\n');
  assertCrmlensError(() => ds.toCsv({ delimiter: 'xx' }), 'INVALID_OPTION', { field: 'delimiter' });
  ds.free();
});

test('invalid enum/type option values name the option, not the value', {
}, () => {
  const cases = [
    [{ onBadRows: 'explode' }, 'onBadRows'],
    [{ format: 'xml' }, 'format'],
    [{ dateOrder: 'ymd' }, 'dateOrder'],
    [{ maxRows: -1 }, 'maxRows'],
    [{ header: 'yes' }, 'header'],
    [{ missingValues: 'NA' }, 'missingValues'],
    [{ encoding: 'no-such-encoding' }, 'encoding'], // string input: still an invalid option
  ];
  const problems = [];
  for (const [opts, field] of cases) {
    try {
      Dataset.fromCsv('a\n1\n', opts).free();
      problems.push(`${JSON.stringify(opts)}: accepted`);
    } catch (e) {
      if (e.name !== 'CrmlensError' || e.code !== 'INVALID_OPTION' || e.field !== field) problems.push(`${JSON.stringify(opts)}: ${e.code} field=${e.field}`);
      else if (/at line \d+ column \d+/.test(e.message)) problems.push(`${JSON.stringify(opts)}: message leaks a JSON position: ${e.message}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('unknown column: UNKNOWN_COLUMN naming it', () => {
  const ds = Dataset.fromCsv('a,b\n1,2\n');
  assertCrmlensError(() => ds.column('zz'), 'UNKNOWN_COLUMN', { field: 'zz' });
  assertCrmlensError(() => ds.column('A'), 'UNKNOWN_COLUMN', { field: 'A' });
  assertCrmlensError(() => ds.column(''), 'UNKNOWN_COLUMN', { field: '' });
  assert.deepEqual(Array.from(ds.column('b')), [2], 'the dataset still works after the error');
  ds.free();
});

test('empty input: EMPTY_INPUT from every entry point', async () => {
  for (const input of ['', new Uint8Array(0), new ArrayBuffer(0), '   \n\n', '\r\n']) {
    assertCrmlensError(() => Dataset.fromCsv(input), 'EMPTY_INPUT');
    assertCrmlensError(() => Dataset.fromJson(input), 'EMPTY_INPUT');
  }
  assertCrmlensError(() => Dataset.fromJson('[]'), 'EMPTY_INPUT');
  await assertRejectsCrmlens(Dataset.fromFile(new Blob([])), 'EMPTY_INPUT');
  await assertRejectsCrmlens(Dataset.fromFile(new Blob([' \n \n']), { chunkSize: 1 }), 'EMPTY_INPUT');
});

test('using a freed dataset throws CrmlensError INVALID_STATE; free() twice is harmless', {
}, () => {
  const ds = Dataset.fromCsv('a\n1\n');
  ds.free();
  assertCrmlensError(() => ds.numRows, 'INVALID_STATE');
  assertCrmlensError(() => ds.rows(), 'INVALID_STATE');
  assertCrmlensError(() => ds.column('a'), 'INVALID_STATE');
  ds.free();
});

// --- Robustness ------------------------------------------------------------------------

const CODES = new Set(['INVALID_OPTION', 'PARSE_ERROR', 'ENCODING_ERROR', 'RAGGED_ROW', 'UNBALANCED_QUOTE', 'UNKNOWN_COLUMN', 'EMPTY_INPUT', 'ABORTED', 'INVALID_STATE', 'NOT_A_TABLE', 'TOO_LARGE']);

test('robustness: garbage through every entry point ends in a dataset or a CrmlensError, and the instance survives', async () => {
  const rnd = prng(0xC0FFEE);
  const failures = [];
  let loads = 0;
  let errors = 0;
  const check = (label, e) => {
    if (e?.name === 'CrmlensError' && CODES.has(e.code) && typeof e.message === 'string') { errors++; return; }
    failures.push(`${label}: ${e?.name ?? typeof e}: ${String(e?.message ?? e).slice(0, 160)}`);
  };
  const attempt = (label, fn) => {
    try { return fn(); } catch (e) { check(label, e); return undefined; }
  };
  const exercise = (label, ds) => {
    if (!ds) return;
    loads++;
    try {
      const cols = attempt(`${label} columns()`, () => ds.columns()) ?? [];
      const n = attempt(`${label} numRows`, () => ds.numRows) ?? 0;
      attempt(`${label} numColumns`, () => ds.numColumns);
      attempt(`${label} memoryBytes`, () => ds.memoryBytes);
      attempt(`${label} source`, () => ds.source);
      attempt(`${label} issues`, () => ds.issues);
      attempt(`${label} issueCounts`, () => ds.issueCounts);
      for (const c of cols.slice(0, 40)) attempt(`${label} column(${c.name.slice(0, 20)})`, () => ds.column(c.name));
      attempt(`${label} rows()`, () => ds.rows());
      attempt(`${label} rows(last)`, () => ds.rows(Math.max(0, n - 1), 5));
      attempt(`${label} rows(past end)`, () => ds.rows(n + 10, 5));
      attempt(`${label} rows(0,0)`, () => ds.rows(0, 0));
      attempt(`${label} toCsv()`, () => ds.toCsv());
      attempt(`${label} toCsv(opts)`, () => ds.toCsv({ delimiter: ';', header: false }));
      attempt(`${label} toJson()`, () => ds.toJson());
    } finally {
      ds.free();
    }
  };
  const OPTION_SETS = [
    {}, { onBadRows: 'error' }, { onBadRows: 'skip' }, { delimiter: 'whitespace' }, { delimiter: '|' },
    { encoding: 'gbk' }, { encoding: 'utf-16le' }, { encoding: 'utf-8' }, { encoding: 'latin1' },
    { header: false }, { maxRows: 3 }, { missingValues: ['', 'x'] }, { dateOrder: 'mdy' }, { quote: "'" },
  ];
  const pick = () => OPTION_SETS[Math.floor(rnd() * OPTION_SETS.length)];
  const latin1 = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

  const ALL = ['csvString', 'csvBytes', 'csvArrayBuffer', 'jsonString', 'jsonBytes', 'file'];
  /**
   * Every entry point on one input (bytes or string), with the default options and two
   * random option sets. `only` restricts the entry points (for the huge inputs, which are
   * spread over the entry points instead of going through all of them).
   */
  const everyEntry = async (label, input, { only = ALL, chunkSize = 1 + Math.floor(rnd() * 5000) } = {}) => {
    const heavy = only !== ALL;
    const bytes = typeof input === 'string' ? enc(input) : input;
    const strings = typeof input === 'string' ? [input] : [new TextDecoder().decode(input), latin1(input)];
    const optionSets = heavy ? [{}] : [{}, pick(), pick()];
    const on = (e) => only.includes(e);
    for (const o of optionSets) {
      const tag = `${label} ${JSON.stringify(o)}`;
      if (on('csvString')) {
        for (const [i, s] of strings.entries()) exercise(`${tag} fromCsv(string#${i})`, attempt(`${tag} fromCsv(string#${i})`, () => Dataset.fromCsv(s, o)));
      }
      if (on('csvBytes')) exercise(`${tag} fromCsv(bytes)`, attempt(`${tag} fromCsv(bytes)`, () => Dataset.fromCsv(bytes, o)));
      if (on('jsonString')) exercise(`${tag} fromJson(string)`, attempt(`${tag} fromJson(string)`, () => Dataset.fromJson(strings[0], o)));
      if (on('jsonBytes')) exercise(`${tag} fromJson(bytes)`, attempt(`${tag} fromJson(bytes)`, () => Dataset.fromJson(bytes, o)));
    }
    if (on('csvArrayBuffer')) exercise(`${label} fromCsv(ArrayBuffer)`, attempt(`${label} fromCsv(ArrayBuffer)`, () => Dataset.fromCsv(bytes.slice().buffer)));
    if (on('file')) {
      const fileOpts = heavy ? {} : pick();
      let ds;
      try {
        ds = await Dataset.fromFile(new Blob([bytes]), { ...fileOpts, chunkSize });
      } catch (e) {
        check(`${label} fromFile(chunk ${chunkSize}, ${JSON.stringify(fileOpts)})`, e);
      }
      exercise(`${label} fromFile`, ds);
    }
  };

  // 1. Random bytes, many sizes.
  const sizes = [1, 2, 3, 4, 7, 16, 63, 64, 255, 1000, 4096, 65535, 65536, 65537, 150000];
  for (let k = 0; k < 36; k++) {
    const n = k < sizes.length ? sizes[k] : Math.floor(rnd() ** 3 * 60000);
    const b = new Uint8Array(n);
    for (let j = 0; j < n; j++) b[j] = Math.floor(rnd() * 256);
    await everyEntry(`random#${k}(${n}B)`, b);
  }
  // 2. Garbage made of the characters parsers care about.
  const alphabet = ',;|\t "\'\n\r\\{}[]:a1.-NA\0\u00e9\u4e2d\ufeff';
  for (let k = 0; k < 40; k++) {
    const n = Math.floor(rnd() ** 2 * 6000);
    let s = '';
    for (let j = 0; j < n; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    await everyEntry(`syntax#${k}(${n}ch)`, s);
  }
  // 3. Real files cut at random byte offsets (mid-record, mid-quote, mid-character).
  for (const rel of [
    'telco_customer_churn/Telco-Customer-Churn.DirtyDF-variant.csv', 'bank_marketing/bank.csv',
    'online_retail_uci_first5000/online_retail_small.csv', 'movielens_ml-100k/u.item',
    'cdnow_lifetimes/CDNOW_master.txt', 'waimai_10k/waimai_10k.csv', 'chnsenticorp_htl_all/ChnSentiCorp_htl_all.csv',
  ]) {
    const full = readData(rel);
    for (let k = 0; k < 2; k++) {
      const cut = Math.floor(rnd() * Math.min(full.length, 200000));
      await everyEntry(`${rel}@${cut}`, new Uint8Array(full.subarray(0, cut)));
    }
  }
  // 4. Binary data: the wasm module itself.
  await everyEntry('crmlens_bg.wasm', new Uint8Array(readFileSync(new URL('../../pkg/crmlens_bg.wasm', import.meta.url))));

  // 5. A 20 MB single field, quoted and unquoted, as CSV and as JSON (spread over the
  //    entry points: each one sees a 20 MB field once).
  const big = 'x'.repeat(20 * 1024 * 1024);
  await everyEntry('20MB quoted field', `a,b\n"${big}",1\n`, { only: ['csvString', 'file'], chunkSize: 1 << 20 });
  await everyEntry('20MB bare field', enc(`a\n${big}\n`), { only: ['csvBytes', 'csvArrayBuffer'] });
  await everyEntry('20MB JSON string', `[{"a":"${big}"}]`, { only: ['jsonString', 'jsonBytes'] });
  // 6. 100k columns in one line (and in two), CSV and JSON.
  const wide = Array.from({ length: 100000 }, (_, i) => `c${i}`);
  await everyEntry('100k columns, one line', wide.join(','), { only: ['csvString', 'file'], chunkSize: 4096 });
  await everyEntry('100k columns, two lines', `${wide.join(',')}\n${wide.map((_, i) => i).join(',')}\n`, { only: ['csvBytes'] });
  await everyEntry('100k keys JSON', JSON.stringify([Object.fromEntries(wide.map((k, i) => [k, i]))]), { only: ['jsonString'] });
  await everyEntry('100k keys NDJSON', JSON.stringify(Object.fromEntries(wide.map((k, i) => [k, i]))), { only: ['jsonBytes'] });
  // 7. Deeply nested JSON.
  for (const depth of [64, 128, 129, 1000, 100000, 1000000]) {
    const opts = depth > 1000 ? { only: ['csvString', 'jsonString', 'jsonBytes', 'file'], chunkSize: 65536 } : {};
    await everyEntry(`nested arrays ${depth}`, '['.repeat(depth) + ']'.repeat(depth), opts);
    await everyEntry(`nested objects ${depth}`, '[{"a":' + '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) + '}]', opts);
    await everyEntry(`unclosed nesting ${depth}`, '[{"a":' + '['.repeat(depth), opts);
  }
  // 8. Invalid JSON.
  for (const s of [
    '[', '{', ']', '}', '[{"a":1},', '[{"a":1}', '[{"a":1}] trailing', 'nul', 'tru', '"unterminated', '[{"a":"\\ud800"}]',
    '[{"a":"\\u12"}]', '[{"a":1e400}]', '[{"a":-}]', '[{a:1}]', "[{'a':1}]", '[{"a":1,}]', '[1,2,3]', '"str"', '42',
    '{"a":1}\n{"a":\n{"a":3}\n', '{"a":1}\n[1]\n"x"\n', '[{"a":[1,{"b":[2]}]},{"a":{"b":null}}]', '\ufeff[{"a":1}]',
    '[{"":1,"":2}]', '[{"a":1,"a":"x"}]', `[{"${'k'.repeat(100000)}":1}]`, '[null,true,{"a":1}]',
  ]) await everyEntry(`json ${JSON.stringify(s.slice(0, 30))}`, s);
  // 9. NUL bytes and UTF-16-looking data.
  for (const s of ['\0', '\0\0\0\0', 'a,b\n1,\0\n', 'a\0b,c\n1,2\n', 'a,b\n\0,\0\n', '\0a\0,\0b\0\n\0' + '1\0,\0' + '2\0\n\0', '"\0",\0\n"\0\n']) {
    await everyEntry(`NUL ${JSON.stringify(s)}`, s);
  }
  await everyEntry('NUL x 100k', new Uint8Array(100000));
  await everyEntry('0xFF x 100k', new Uint8Array(100000).fill(0xff));
  await everyEntry('BOM only', Uint8Array.from([0xef, 0xbb, 0xbf]));
  await everyEntry('UTF-16 BOM only', Uint8Array.from([0xff, 0xfe]));
  await everyEntry('odd UTF-16', Uint8Array.from([0xff, 0xfe, 0x61, 0x00, 0x2c]));

  assert.deepEqual(failures, [], `${failures.length} calls ended in something other than a CrmlensError`);
  assert.ok(loads > 500, `only ${loads} datasets were built`);
  assert.ok(errors > 50, `only ${errors} CrmlensErrors were seen`);

  // The same module instance still loads a real file correctly.
  const telco = readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv');
  const ds = Dataset.fromCsv(telco);
  assert.equal(ds.numRows, 7043);
  assert.equal(ds.numColumns, 21);
  const tc = ds.columns().find((c) => c.name === 'TotalCharges');
  assert.equal(tc.type, 'float64');
  assert.equal(tc.nullCount, 11);
  let sum = 0;
  for (const v of ds.column('TotalCharges')) if (!Number.isNaN(v)) sum += v;
  let expected = 0;
  for (const line of telco.toString('utf8').split('\n').slice(1)) {
    const f = line.split(',')[19];
    if (f !== undefined && f.trim() !== '') expected += Number(f);
  }
  assert.equal(sum.toFixed(2), expected.toFixed(2));
  ds.free();
});

test('an exception thrown by onProgress rejects fromFile with that exception; the module stays usable', async () => {
  const boom = new Error('boom from onProgress');
  let err;
  try {
    await Dataset.fromFile(new Blob(['a,b\n1,2\n3,4\n']), { chunkSize: 4, onProgress: () => { throw boom; } });
  } catch (e) {
    err = e;
  }
  assert.equal(err, boom);
  const ds = await Dataset.fromFile(new Blob(['a,b\n1,2\n3,4\n']), { chunkSize: 4 });
  assert.deepEqual(ds.rows(), [{ a: 1, b: 2 }, { a: 3, b: 4 }]);
  ds.free();
  checkCrmlensError(await Dataset.fromFile(new Blob(['']), {}).catch((e) => e), 'EMPTY_INPUT');
});

// Last, because its failure mode is a wasm trap (kept away from the robustness test).
test('wrong argument types to dataset methods throw CrmlensError, never a wasm trap', {
}, () => {
  const ds = Dataset.fromCsv('a,b\n1,x\n2,y\n');
  const problems = [];
  for (const v of [5, 1.5, true, {}, 10n, null, undefined, Symbol('s')]) {
    try {
      ds.column(v);
      problems.push(`column(${String(v)}) returned`);
    } catch (e) {
      if (e?.name !== 'CrmlensError') problems.push(`column(${String(v)}): ${e?.name}: ${e?.message}`);
    }
  }
  for (const [o, l] of [[10n, 10n], [{}, []]]) {
    try { ds.rows(o, l); } catch (e) { if (e?.name !== 'CrmlensError') problems.push(`rows(${typeof o}): ${e?.name}: ${e?.message}`); }
  }
  assert.deepEqual(ds.rows(), [{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
  ds.free();
  assert.deepEqual(problems, []);
});

// --- The list of codes in README.md ----------------------------------------------------

test('README.md lists every error code: the core\'s (src/error.rs) and those JS raises (js/*.js, WORKER_CRASHED among them)', () => {
  const root = new URL('../../', import.meta.url);
  const rust = readFileSync(new URL('src/error.rs', root), 'utf8');
  const core = [...rust.matchAll(/CrmError::\w+ \{ \.\. \} => "([A-Z_]+)"/g)].map((m) => m[1]);
  assert.ok(core.includes('INVALID_OPTION') && core.includes('NOT_A_TABLE'), 'the codes of src/error.rs were read');
  const js = [];
  for (const f of ['errors.js', 'pool.js', 'pool-kmeans.js', 'loader.js', 'modules.js', 'worker.js', 'worker-core.js', 'worker-entry.js', 'guard.js', 'sheets.js', 'predict.js', 'rules.js']) {
    let code;
    try { code = readFileSync(new URL(`js/${f}`, root), 'utf8'); } catch { continue; }
    for (const m of code.matchAll(/crmlensError\('([A-Z_]+)'/g)) js.push(m[1]);
  }
  assert.ok(js.includes('WORKER_CRASHED'), 'pool.js raises WORKER_CRASHED');
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const list = /a stable `code`\s*\(([^)]*)\)/.exec(readme);
  assert.ok(list, 'README.md has the list of codes');
  const listed = new Set([...list[1].matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]));
  const missing = [...new Set([...core, ...js])].filter((c) => !listed.has(c));
  assert.deepEqual(missing, [], 'codes missing from README.md\'s list');
});
