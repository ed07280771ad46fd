// The demo's pure helpers in Node: a kept result through lib/pack.js comes back as it was
// (typed arrays, Maps, NaN), and lib/format.js's currency default, money columns and months.
// Run: node --test tests/js/www_format.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pack, unpack } from '../../www/lib/pack.js';
import { fmtMonth, isMoney, localeCurrency } from '../../www/lib/format.js';

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
