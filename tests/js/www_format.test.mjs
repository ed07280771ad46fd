// The demo's pure helpers in Node: a kept result through lib/pack.js comes back as it was
// (typed arrays, Maps, NaN), and lib/format.js's currency default, money columns and months.
// Run: node --test tests/js/www_format.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pack, unpack } from '../../www/lib/pack.js';
import { readFileSync } from 'node:fs';
import { alertText, fmtMonth, fmtReason, isMoney, localeCurrency } from '../../www/lib/format.js';
import { boolText, records, wordsOf } from '../../www/lib/boolwords.js';

test('pack / unpack: typed arrays, Maps, Sets and non-finite numbers survive JSON', () => {
  const labels = Int32Array.from([0, 2, -1, 1]);
  const projection = Float64Array.from([0.5, -1.25, NaN, 3e-9, Infinity, -0]);
  const kept = {
    input: 'customer value (x.csv)', ms: 12.5,
    r: { k: 3, labels, projection, silhouette: NaN, segments: [{ id: 0, description: 'high spend', size: 2 }], labelTable: 'segments (x)' },
    shown: new Map([[3, 'a text'], [7, 'another']]), tags: new Set(['a', 'b']), missing: undefined, none: null,
  };
  const back = unpack(JSON.parse(JSON.stringify(pack(kept))));
  assert.ok(back.r.labels instanceof Int32Array);
  assert.deepEqual([...back.r.labels], [...labels]);
  assert.ok(back.r.projection instanceof Float64Array);
  assert.ok(Object.is(back.r.projection[2], NaN) && back.r.projection[4] === Infinity && Object.is(back.r.projection[5], -0));
  assert.deepEqual([...back.r.projection.slice(0, 2)], [0.5, -1.25]);
  assert.ok(Number.isNaN(back.r.silhouette));
  assert.deepEqual([...back.shown], [[3, 'a text'], [7, 'another']]);
  assert.deepEqual([...back.tags], ['a', 'b']);
  assert.equal(back.none, null);
  assert.equal('missing' in back, false);
  assert.deepEqual(back.r.segments, kept.r.segments);
  // A typed array that is a view into a larger buffer packs only its own bytes.
  const big = new Float64Array([1, 2, 3, 4]);
  assert.deepEqual([...unpack(pack(big.subarray(1, 3)))], [2, 3]);
});

test('currency from the locale, money columns by name, months as months', () => {
  assert.equal(localeCurrency('en-US'), 'USD');
  assert.equal(localeCurrency('de-AT'), 'EUR');
  assert.equal(localeCurrency('en-GB'), 'GBP');
  assert.equal(localeCurrency('zh'), 'CNY');
  assert.equal(localeCurrency('ja'), 'JPY');
  assert.equal(localeCurrency('not a locale!'), '');
  for (const n of ['clv', 'monetary', 'expectedSpend', 'dollar_value', 'TotalCharges', 'MonthlyCharges', 'UnitPrice', 'balance', 'Annual Income (k$)']) assert.ok(isMoney(n), n);
  for (const n of ['pAlive', 'frequency', 'probability', 'baseValue', 'factor1Value', 'Quantity', 'tenure', 'Spending Score (1-100)', 'negativeShare', 'customer_id', 'Age']) assert.ok(!isMoney(n), n);
  assert.match(fmtMonth('1997-01'), /1997/);
  assert.equal(fmtMonth('not a month'), 'not a month');
});

test('fmtReason: a rule reason for reading, numbers rounded to 3 significant digits, whole numbers and text kept', () => {
  const r = fmtReason('probability = 0.7836852157482211, tenure = 5, Contract = Month-to-month, ratio = 12.3456789, big = 12345.678, tiny = -0.000123456');
  const digits = (x) => x.replace(/[^\d.\-]/g, '');
  const parts = Object.fromEntries(r.split(', ').map((p) => p.split(' = ')));
  assert.equal(digits(parts.probability), '0.784');
  assert.equal(parts.tenure, '5');
  assert.equal(parts.Contract, 'Month-to-month');
  assert.equal(digits(parts.ratio), '12.3');
  assert.equal(digits(parts.big), '12346');
  assert.equal(digits(parts.tiny), '-0.000123');
  // A missing value and "no longer in the table" pass through; nothing else changes.
  assert.equal(fmtReason('clv is missing'), 'clv is missing');
  assert.equal(fmtReason('no longer in the table'), 'no longer in the table');
  assert.equal(fmtReason(null), '');
});

test('alertText: plain words before the engine\'s figure', () => {
  assert.equal(alertText({ kind: 'skewed', value: 5.86, message: 'skewness 5.86' }), 'a few very large values pull the average up (skewness 5.86)');
  assert.equal(alertText({ kind: 'skewed', value: -3.1, message: 'skewness -3.10' }), 'a few very small values pull the average down (skewness -3.10)');
  assert.equal(alertText({ kind: 'outliers', value: 136, message: '0 values outside 1.5·IQR, 136 with modified z-score > 3.5' }), 'some values lie far from the rest (0 values outside 1.5·IQR, 136 with modified z-score > 3.5)');
  // Messages already in plain words stay as they are.
  assert.equal(alertText({ kind: 'unique', value: 7043, message: 'every value is different (likely an identifier)' }), 'every value is different (likely an identifier)');
  assert.equal(alertText({ kind: 'somethingNew', value: 1, message: 'as the engine says' }), 'as the engine says');
});

test('boolwords: the words of Telco\'s yes/no columns, read from the start of the file', () => {
  const text = readFileSync(new URL('../../../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv', import.meta.url), 'utf8');
  const summary = { source: { delimiter: ',', header: true }, columns: ['customerID', 'Partner', 'Dependents', 'PhoneService', 'PaperlessBilling', 'Churn']
    .map((name) => ({ name, type: name === 'customerID' ? 'text' : 'bool', missingTokens: [] })) };
  const words = wordsOf(text.slice(0, 256 * 1024), summary);
  for (const c of ['Partner', 'Dependents', 'PhoneService', 'PaperlessBilling', 'Churn']) assert.deepEqual(words[c], { true: 'Yes', false: 'No' }, c);
  assert.equal(words.customerID, undefined);
  assert.equal(boolText(true, words.Churn), 'Yes');
  assert.equal(boolText(false, words.Churn), 'No');
  assert.equal(boolText(false, null), 'false');
  // Quoted fields may hold the delimiter, quotes and newlines; a file written true/false, or
  // with two words for one side, keeps true/false; no delimiter (JSON, a workbook) → nothing.
  assert.deepEqual(records('a,"b,1",c\n"x ""y""","multi\nline",z\nlast,cut', ','), [['a', 'b,1', 'c'], ['x "y"', 'multi\nline', 'z']]);
  const mk = (csv, cols) => wordsOf(csv, { source: { delimiter: ',', header: true }, columns: cols.map((name) => ({ name, type: 'bool' })) });
  assert.deepEqual(mk('"note, long",flag,b\n"x, y",true,Y\n"z",false,N\n', ['flag', 'b']), { b: { true: 'Y', false: 'N' } });
  assert.deepEqual(mk('flag\nYes\nyes\nNo\n', ['flag']), {});
  assert.deepEqual(wordsOf('flag\nYes\nNo\n', { source: { delimiter: null, header: true }, columns: [{ name: 'flag', type: 'bool' }] }), {});
});
