// Misused handles end in a CrmlensError INVALID_STATE, never in Rust: a freed Dataset
// passed as an ARGUMENT (fuzz finding 10: wasm-bindgen's bare "null pointer passed to rust"),
// and a prototype method called with a foreign `this` (fuzz finding 11: another class's
// instance read as the wrong Rust type — garbage or "memory access out of bounds").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Dataset, Recommender, SentimentModel, segment, customerValue, associationRules, joinCustomers,
  sentimentOfDataset, topTermsOfDataset, customerProfiles,
} from '../../pkg/node.js';
import { readData } from './_util.mjs';

const invalidState = (e) => e?.name === 'CrmlensError' && e.code === 'INVALID_STATE';

test('a freed Dataset passed as an argument is a CrmlensError INVALID_STATE (every function and static)', async () => {
  const live = Dataset.fromCsv('c,d,a\nx,2024-01-01,5\ny,2024-02-01,6\n');
  const ds = Dataset.fromCsv('c,d,a\nx,2024-01-01,5\ny,2024-02-01,6\n');
  ds.free();
  const calls = {
    segment: () => segment(ds, {}),
    customerValue: () => customerValue(ds, { customer: 'c', date: 'd', amount: 'a' }),
    associationRules: () => associationRules(ds, { transaction: 'c', item: 'd' }),
    'Recommender.fit': () => Recommender.fit(ds, { user: 'c', item: 'd' }),
    'joinCustomers (first)': () => joinCustomers(ds, live, {}),
    'joinCustomers (second)': () => joinCustomers(live, ds, {}),
    sentimentOfDataset: () => sentimentOfDataset(ds, { column: 'c' }),
    topTermsOfDataset: () => topTermsOfDataset(ds, { column: 'c' }),
    customerProfiles: () => customerProfiles(live, { attributes: ds }),
  };
  const wrong = [];
  for (const [name, f] of Object.entries(calls)) {
    try { f(); wrong.push(`${name}: no error`); } catch (e) { if (!invalidState(e)) wrong.push(`${name}: ${e?.name} ${e?.code} ${e?.message}`); }
  }
  await assert.rejects(async () => Recommender.fitAsync(ds, { user: 'c', item: 'd' }), invalidState, 'Recommender.fitAsync');
  assert.deepEqual(wrong, []);
  // The live table is untouched, and the freed one still frees harmlessly.
  assert.equal(live.numRows, 2);
  ds.free();
  assert.throws(() => ds.numRows, invalidState);
  live.free();
});

test('a prototype method called with a foreign `this` is a CrmlensError, never a trap', () => {
  const bytes = readData('online_retail_uci_first5000/online_retail_small.csv');
  const cut = bytes.subarray(0, bytes.subarray(0, 4096).lastIndexOf(10) + 1);
  const ds = Dataset.fromCsv(cut);
  const rec = Recommender.fit(ds, { user: 'CustomerID', item: 'StockCode' });
  const sm = SentimentModel.train(['good', 'great', 'bad', 'awful'], ['pos', 'pos', 'neg', 'neg'], {});
  const forged = [
    ['Recommender.recommend on a Dataset', () => Recommender.prototype.recommend.call(ds, 'x', {})],
    ['Recommender.numUsers on a Dataset', () => Object.getOwnPropertyDescriptor(Recommender.prototype, 'numUsers').get.call(ds)],
    ['Dataset.rows on a plain object', () => Dataset.prototype.rows.call({ __wbg_ptr: 8 }, 0, 1)],
    ['Dataset.rows on a forged Dataset', () => Dataset.prototype.rows.call(Object.assign(Object.create(Dataset.prototype), { __wbg_ptr: 8 }), 0, 1)],
    ['Dataset.profile on a Recommender', () => Dataset.prototype.profile.call(rec)],
    ['SentimentModel.predict on a Recommender', () => SentimentModel.prototype.predict.call(rec, ['good'])],
    ['Recommender.free on a SentimentModel', () => Recommender.prototype.free.call(sm)],
  ];
  const wrong = [];
  for (const [name, f] of forged) {
    try { f(); wrong.push(`${name}: no error`); } catch (e) { if (!invalidState(e)) wrong.push(`${name}: ${e?.constructor?.name} ${e?.code} ${e?.message}`); }
  }
  assert.deepEqual(wrong, []);
  // The genuine objects still work after the attempts.
  assert.ok(ds.rows(0, 1).length === 1);
  assert.ok(Array.isArray(rec.recommend(rec.users[0], { k: 3 })));
  assert.deepEqual(sm.classes, ['neg', 'pos']);
  for (const h of [ds, rec, sm]) h.free();
});
