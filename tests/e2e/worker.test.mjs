// The worker contract in a real module Web Worker (headless Chromium): the operations added
// by the declaration (js/ops.js) — SentimentModel by model handle, recommendMany, a
// recommender kept as JSON and brought back, joinCustomers, timestamps — answer what the
// same calls answer on the page; typed arrays come back intact after being moved; misused
// handles are CrmlensErrors on the page too; nothing leaves the origin.
//
// Run from the repository root: node --test tests/e2e/worker.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertSameOriginGets, openDemo } from './_chromium.mjs';

const RETAIL = new URL('../../../shared/data/online_retail_uci_first5000/online_retail_small.csv', import.meta.url);
const bytes = readFileSync(RETAIL);
const csv = new TextDecoder().decode(bytes.subarray(0, bytes.subarray(0, 16384).lastIndexOf(10) + 1));

let demo;
let origin;
let page;
let requests;
let pageErrors;

before(async () => {
  demo = await openDemo();
  ({ origin, page, requests, pageErrors } = demo);
});

after(() => demo?.close());

test('CrmlensWorker: the declared ops answer like the page (models by handle, moved typed arrays)', async () => {
  const out = await page.evaluate(async (csv) => {
    const crm = await import('/pkg/index.js');
    const { CrmlensWorker } = await import('/pkg/worker.js');
    const w = new CrmlensWorker();
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const checks = {};
    try {
      const local = crm.Dataset.fromCsv(csv);
      const tx = await w.load(csv);
      checks.summary = tx.numRows === local.numRows && tx.numColumns === local.numColumns;
      const ts = await w.timestamps(tx.handle, 'InvoiceDate');
      checks.timestamps = ts instanceof Float64Array && same(Array.from(ts), Array.from(local.timestamps('InvoiceDate')));

      const ropts = { user: 'CustomerID', item: 'StockCode', method: 'item-knn' };
      const recLocal = crm.Recommender.fit(local, ropts);
      const rec = await w.fitRecommender(tx.handle, ropts);
      const users = recLocal.users.slice(0, 3);
      checks.recommendMany = same(await w.recommendMany(rec.model, users, 4), recLocal.recommendMany(users, 4));
      const json = await w.recommenderToJSON(rec.model);
      checks.recommenderJson = same(json, recLocal.toJSON());
      const back = await w.recommenderFromJSON(json);
      checks.recommenderFromJson = same(await w.recommend(back.model, users[0], { k: 3 }), recLocal.recommend(users[0], { k: 3 }));

      const texts = ['love it', 'great quality', 'works well', 'broken on arrival', 'terrible support', 'waste of money'];
      const labels = ['pos', 'pos', 'pos', 'neg', 'neg', 'neg'];
      const smLocal = crm.SentimentModel.train(texts, labels, { seed: 2 });
      const sm = await w.trainSentimentModel(texts, labels, { seed: 2 });
      const p = await w.predictSentiment(sm.model, ['great, works']);
      checks.predict = p.probability instanceof Float64Array && same(p, smLocal.predict(['great, works']));
      checks.evaluate = same(await w.evaluateSentimentModel(sm.model, texts, labels), smLocal.evaluate(texts, labels));
      const smJson = await w.sentimentModelToJSON(sm.model);
      const sm2 = await w.sentimentModelFromJSON(JSON.stringify(smJson));
      checks.sentimentModelJson = same(smJson, smLocal.toJSON()) && same(sm2.classes, smLocal.classes);

      const attrs = await w.load('CustomerID,tier\n17850,gold\n');
      const joined = await w.joinCustomers(tx.handle, attrs.handle, { key: 'CustomerID' });
      checks.join = joined.dataset.numRows === local.numRows && joined.report.matched >= 1;
      checks.version = (await w.version()) === crm.version();

      // A model handle where a dataset is expected, and a freed model: INVALID_STATE.
      const code = (p) => p.then(() => 'no error', (e) => `${e.name} ${e.code}`);
      checks.wrongKind = await code(w.rows(sm.model));
      await w.freeModel(sm.model);
      checks.freedModel = await code(w.predictSentiment(sm.model, ['x']));
      // On the page: a freed Dataset as an argument, and a foreign receiver.
      const gone = crm.Dataset.fromCsv('a,b\n1,2\n');
      gone.free();
      checks.freedArgument = await code(Promise.resolve().then(() => crm.segment(gone, {})));
      checks.foreignReceiver = await code(Promise.resolve().then(() => crm.Recommender.prototype.recommend.call(local, 'x', {})));
      for (const h of [rec.model, back.model, sm2.model]) await w.freeModel(h);
      for (const d of [tx, attrs, joined.dataset]) await w.free(d.handle);
      for (const h of [local, recLocal, smLocal]) h.free();
    } finally {
      w.terminate();
    }
    return checks;
  }, csv);
  assert.deepEqual(out, {
    summary: true,
    timestamps: true,
    recommendMany: true,
    recommenderJson: true,
    recommenderFromJson: true,
    predict: true,
    evaluate: true,
    sentimentModelJson: true,
    join: true,
    version: true,
    wrongKind: 'CrmlensError INVALID_STATE',
    freedModel: 'CrmlensError INVALID_STATE',
    freedArgument: 'CrmlensError INVALID_STATE',
    foreignReceiver: 'CrmlensError INVALID_STATE',
  });
  assert.deepEqual(pageErrors, []);
});

test('every request is a same-origin GET without a body', () => {
  assertSameOriginGets(requests, origin);
});
