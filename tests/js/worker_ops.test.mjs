// Every declared worker operation, called through CrmlensWorker's generated method and the
// generated op table of worker-entry.js, answers what the same call on the main thread
// answers (handles become summaries). Runs in Node: a stand-in Worker delivers the messages
// to worker-entry.js in this thread, structured-cloned with their transfer lists as a real
// worker would; worker-entry shares the module node.js instantiated.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as crm from '../../pkg/node.js';
import { OPS } from '../../pkg/ops.js';
import { readFileSync } from 'node:fs';
import { readData } from './_util.mjs';

let current = null; // the FakeWorker the page talks to
class FakeWorker extends EventTarget {
  constructor() {
    super();
    current = this;
    this.onmessage = null;
    setTimeout(() => this.deliver({ ready: true }));
  }
  deliver(data) {
    const ev = new MessageEvent('message', { data });
    this.dispatchEvent(ev);
    this.onmessage?.(ev);
  }
  postMessage(data, transfer = []) {
    const msg = structuredClone(data, { transfer });
    setTimeout(() => globalThis.self.onmessage({ data: msg }));
  }
  terminate() {}
}

const transferred = []; // typed arrays of replies that moved (their worker copy is detached)
// The worker's global scope is `self` (the crate's host services look for timers there).
globalThis.self = globalThis;
globalThis.postMessage = (data, transfer = []) => {
  if (transfer.length) transferred.push(...transfer);
  const msg = structuredClone(data, { transfer });
  setTimeout(() => current?.deliver(msg));
};
globalThis.Worker = FakeWorker;

let w;
const seen = new Set();
before(async () => {
  await import('../../pkg/worker-entry.js');
  const { CrmlensWorker } = await import('../../pkg/worker.js');
  w = new CrmlensWorker({ url: 'unused' });
  const call = w.call.bind(w);
  w.call = (op, ...rest) => { seen.add(op); return call(op, ...rest).catch((e) => { if (process.env.DEBUG_OPS) console.error("op", op, e); throw e; }); };
  await w.ready;
});

// A real order log: the first lines of UCI Online Retail (within 16 KB).
const bytes = readData('online_retail_uci_first5000/online_retail_small.csv');
const csv = new TextDecoder().decode(bytes.subarray(0, bytes.subarray(0, 16384).lastIndexOf(10) + 1));
const summaryOf = (ds) => ({ numRows: ds.numRows, numColumns: ds.numColumns, columns: ds.columns(), source: ds.source, issues: ds.issues, issueCounts: ds.issueCounts });
const strip = ({ handle, memoryBytes, ...rest }) => rest;

test('every declared op round-trips through CrmlensWorker and answers like the main thread', async () => {
  const local = crm.Dataset.fromCsv(csv);
  const tx = await w.load(csv);
  assert.equal(typeof tx.handle, 'number');
  assert.deepEqual(strip(tx), summaryOf(local));
  const viaFile = await w.loadFile(new Blob([csv]), { onProgress: () => {} });
  assert.equal(viaFile.numRows, local.numRows);
  const json = await w.load(local.toJson(), { format: 'json' });
  assert.equal(json.numRows, local.numRows);

  assert.deepEqual(await w.rows(tx.handle, 3, 4), local.rows(3, 4));
  assert.deepEqual(await w.rows(tx.handle), local.rows(0, 100));
  const price = await w.column(tx.handle, 'UnitPrice');
  assert.ok(price instanceof Float64Array);
  assert.ok(transferred.length === 1 && transferred[0].byteLength === 0, 'the column moved: the worker\'s copy is detached');
  assert.deepEqual(Array.from(price), Array.from(local.column('UnitPrice')));
  assert.deepEqual(await w.columns(tx.handle), local.columns());
  assert.deepEqual(Array.from(await w.timestamps(tx.handle, 'InvoiceDate')), Array.from(local.timestamps('InvoiceDate')));
  const copy = await w.copy(tx.handle);
  assert.notEqual(copy.handle, tx.handle);
  assert.equal(copy.numRows, tx.numRows);
  assert.equal(await w.toCsv(tx.handle, { delimiter: ';' }), local.toCsv({ delimiter: ';' }));
  assert.equal(await w.toJson(tx.handle), local.toJson());
  // Dataset bytes out of the worker and back in: the same bytes as the local toBytes, the same rows.
  const bytes = await w.toBytes(tx.handle);
  assert.ok(bytes instanceof Uint8Array);
  assert.deepEqual(bytes, local.toBytes());
  const back = await w.fromBytes(bytes);
  assert.equal(back.numRows, tx.numRows);
  assert.equal(await w.toCsv(back.handle), local.toCsv());
  assert.equal(await w.free(back.handle), true);
  // A workbook (the `sheets` module, which the worker loads on first use): the same sheet
  // names and table as the main thread; loadFile of a workbook reads it too.
  const book = new Uint8Array(readFileSync(new URL('../fixtures/sheets/orders.xlsx', import.meta.url)));
  assert.deepEqual(await w.sheets(book), await crm.Dataset.sheets(book));
  const sheetLocal = await crm.Dataset.fromExcel(book, { sheet: 'Customers' });
  const sheet = await w.fromExcel(book, { sheet: 'Customers', onProgress: () => {} });
  assert.deepEqual(strip(sheet), summaryOf(sheetLocal));
  assert.equal(await w.toCsv(sheet.handle), sheetLocal.toCsv());
  const bookFile = await w.loadFile(new Blob([book]), { sheet: 1 });
  assert.equal(bookFile.numRows, sheetLocal.numRows);
  sheetLocal.free();
  await w.free(sheet.handle);
  await w.free(bookFile.handle);
  // Arrow IPC out of the worker (moved) and back in: the same table.
  const moved = transferred.length;
  const ipc = await w.toArrow(tx.handle);
  assert.ok(ipc instanceof Uint8Array && transferred.length === moved + 1 && transferred.pop().byteLength === 0, 'the stream moved');
  assert.deepEqual(ipc, local.toArrow());
  const fromIpc = await w.fromArrow(ipc);
  assert.equal(fromIpc.numRows, tx.numRows);
  assert.equal(await w.toCsv(fromIpc.handle), local.toCsv());
  assert.equal(await w.free(fromIpc.handle), true);

  assert.deepEqual(await w.profile(tx.handle, { topK: 3 }), local.profile({ topK: 3 }));
  const plan = { trim: 'all', dedupe: true };
  const cleanedLocal = local.clean(plan);
  const cleaned = await w.clean(tx.handle, plan);
  assert.deepEqual(cleaned.log, cleanedLocal.log);
  assert.equal(cleaned.dataset.numRows, cleanedLocal.dataset.numRows);
  const maskedLocal = local.mask({});
  const masked = await w.mask(tx.handle, {});
  assert.deepEqual(masked.report, maskedLocal.report);

  const vopts = { customer: 'CustomerID', date: 'InvoiceDate', quantity: 'Quantity', price: 'UnitPrice', invoice: 'InvoiceNo' };
  const valueLocal = crm.customerValue(local, vopts);
  const value = await w.customerValue(tx.handle, vopts);
  assert.deepEqual(value.cohorts, valueLocal.cohorts);
  assert.equal(value.model.bgNbd.r, valueLocal.model.bgNbd.r);
  assert.equal(value.customers.numRows, valueLocal.customers.numRows);
  const attrs = await w.load('CustomerID,tier\n17850,gold\n13047,silver\n');
  const attrsLocal = crm.Dataset.fromCsv('CustomerID,tier\n17850,gold\n13047,silver\n');
  const joined = await w.joinCustomers(value.customers.handle, attrs.handle, {});
  assert.deepEqual(joined.report, crm.joinCustomers(valueLocal.customers, attrsLocal, {}).report);
  const profiles = await w.customerProfiles(value.customers.handle, { attributes: attrs.handle, extra: [{ table: attrs.handle, prefix: 'again_' }] });
  const profilesLocal = crm.customerProfiles(valueLocal, { attributes: attrsLocal, extra: [{ table: attrsLocal, prefix: 'again_' }] });
  assert.deepEqual(profiles.joins, profilesLocal.joins);
  assert.deepEqual(await w.rows(profiles.profiles.handle, 0, 5), profilesLocal.profiles.rows(0, 5));

  // On the order lines (the customers of this one-day slice all share one point since the
  // customer-value checks withhold what a single day cannot support).
  const sopts = { columns: ['Quantity', 'UnitPrice'], k: 3, seed: 5 };
  const seg = await w.segment(tx.handle, sopts);
  const segLocal = crm.segment(local, sopts);
  assert.ok(seg.labels instanceof Int32Array && transferred.some((b) => b.byteLength === 0 && b !== transferred[0]), 'labels moved');
  assert.deepEqual(Array.from(seg.labels), Array.from(segLocal.labels));

  const ropts = { user: 'CustomerID', item: 'StockCode', method: 'item-knn' };
  const recLocal = crm.Recommender.fit(local, ropts);
  const progress = [];
  const rec = await w.fitRecommender(tx.handle, { ...ropts, onProgress: (p) => progress.push(p) });
  assert.equal(rec.method, recLocal.method);
  assert.deepEqual(rec.users, recLocal.users);
  assert.deepEqual(rec.items, recLocal.items);
  const user = recLocal.users[0];
  assert.deepEqual(await w.recommend(rec.model, user, { k: 5 }), recLocal.recommend(user, { k: 5 }));
  assert.deepEqual(await w.recommendMany(rec.model, recLocal.users.slice(0, 3), 4), recLocal.recommendMany(recLocal.users.slice(0, 3), 4));
  const basket = recLocal.items.slice(0, 2);
  assert.deepEqual(await w.recommendFor(rec.model, basket, 4), recLocal.recommendFor(basket, 4));
  assert.deepEqual(await w.similarItems(rec.model, basket[0], 4), recLocal.similarItems(basket[0], 4));
  assert.deepEqual(await w.evaluateRecommender(rec.model, { k: 5, seed: 1 }), recLocal.evaluate({ k: 5, seed: 1 }));
  const recJson = await w.recommenderToJSON(rec.model);
  assert.deepEqual(recJson, recLocal.toJSON());
  const rec2 = await w.recommenderFromJSON(JSON.stringify(recJson));
  assert.deepEqual(await w.recommend(rec2.model, user, { k: 5 }), recLocal.recommend(user, { k: 5 }));
  const aopts = { transaction: 'InvoiceNo', item: 'StockCode', minSupport: 0.1, maxLen: 2 };
  assert.deepEqual(await w.associationRules(tx.handle, aopts), crm.associationRules(local, aopts));

  const texts = ['Great service, will buy again!', 'The parcel arrived broken.', null];
  assert.deepEqual(await w.sentiment(texts, {}), await crm.sentiment(texts, {}));
  assert.deepEqual(await w.sentiment(tx.handle, { column: 'Description' }), await crm.sentiment(local, { column: 'Description' }));
  assert.deepEqual(await w.topTerms(tx.handle, { column: 'Description' }), await crm.topTerms(local, { column: 'Description' }));
  await w.loadChineseSentiment();
  assert.equal(await w.chineseLoaded(), true);
  await w.loadSentimentData();
  assert.equal(await w.englishLoaded(), true);
  assert.equal(await w.installEnglish('', ''), true); // installed already: a no-op
  const byCountry = { by: ['Country'], aggregates: [{ op: 'count' }, { op: 'sum', column: 'Quantity' }] };
  assert.deepEqual(await w.groupBy(tx.handle, byCountry), await crm.groupBy(local, byCountry));
  // Rules (the lazily loaded module `rules`, loaded by the worker itself).
  const templates = await w.ruleTemplates();
  assert.deepEqual(templates, crm.ruleTemplates());
  const many = await w.ruleFromTemplate('lapsing-repeat-buyer', { purchases: 2 });
  assert.deepEqual(many, crm.ruleFromTemplate('lapsing-repeat-buyer', { purchases: 2 }));
  const ruleList = [{ id: 'big', when: 'Quantity * UnitPrice > 50 and Country = \'United Kingdom\'', then: { action: 'thank' } },
    { id: 'typo', when: 'quantity > 1', then: { action: 'x' } }];
  assert.deepEqual(await w.ruleCounts(tx.handle, ruleList), crm.ruleCounts(local, ruleList));
  const fired = await w.rules(tx.handle, ruleList.slice(0, 1), { onProgress: () => {} });
  const firedLocal = crm.rules(local, ruleList.slice(0, 1));
  assert.deepEqual([fired.counts, fired.snapshot, fired.warnings], [firedLocal.counts, firedLocal.snapshot, firedLocal.warnings]);
  assert.ok(firedLocal.counts[0].matched > 0);
  assert.deepEqual(await w.rows(fired.events.handle), firedLocal.events.rows(0, 100));
  firedLocal.events.free();
  assert.equal(await w.installChinese((await import('../../pkg/crmlens_zh.js')).default), true);
  const zh = ['物流很快，质量很好', '太差了，不会再买'];
  assert.deepEqual(await w.sentiment(zh, {}), await crm.sentiment(zh, {}));

  const train = ['love it', 'great quality', 'works well', 'broken on arrival', 'terrible support', 'waste of money'];
  const labels = ['pos', 'pos', 'pos', 'neg', 'neg', 'neg'];
  const smLocal = crm.SentimentModel.train(train, labels, { seed: 3 });
  const sm = await w.trainSentimentModel(train, labels, { seed: 3 });
  assert.deepEqual(sm.classes, smLocal.classes);
  assert.deepEqual(await w.predictSentiment(sm.model, ['great, love it']), smLocal.predict(['great, love it']));
  assert.deepEqual(await w.evaluateSentimentModel(sm.model, train, labels), smLocal.evaluate(train, labels));
  const smJson = await w.sentimentModelToJSON(sm.model);
  assert.deepEqual(smJson, smLocal.toJSON());
  const sm2 = await w.sentimentModelFromJSON(smJson);
  assert.deepEqual(await w.predictSentiment(sm2.model, ['waste']), smLocal.predict(['waste']));
  assert.equal(await w.version(), crm.version());

  // The ops of CrmlensPool's shards (marked `pool` in ops.js) are in the pool's own wasm
  // only: in this plain worker (the core wasm) each is a clear INVALID_STATE. They answer
  // like the whole table in tests/js/pool.test.mjs, through a pool worker.
  const poolOnly = (e) => e.name === 'CrmlensError' && e.code === 'INVALID_STATE' && /runs only in a CrmlensPool worker/.test(e.message);
  const text = new TextEncoder().encode(csv);
  await assert.rejects(w.loadShard(text, {}, { last: true }), poolOnly);
  await assert.rejects(w.profileState(tx.handle), poolOnly);
  await assert.rejects(w.profileOfShards(tx.handle, undefined, new Uint8Array(0), new Uint8Array(0), 1, 0), poolOnly);
  await assert.rejects(w.customerSummaryState(tx.handle, vopts), poolOnly);
  await assert.rejects(w.customerValueOfStates(new Uint8Array(0), vopts), poolOnly);
  await assert.rejects(w.segmentShardStats(tx.handle, undefined, 2), poolOnly);
  await assert.rejects(w.kmeansShardOpen(tx.handle, undefined, 2, new Float64Array(0)), poolOnly);
  await assert.rejects(w.kmeansShardStep(0, 0, new Float64Array(0)), poolOnly);
  assert.ok(Object.entries(OPS).filter(([, op]) => op.pool).every(([name]) => seen.has(name)), 'every pool op was tried here');

  // Handles of the wrong kind, and freed ones, are INVALID_STATE errors naming the handle.
  const invalid = (e) => e.name === 'CrmlensError' && e.code === 'INVALID_STATE';
  await assert.rejects(w.recommend(sm.model, user, { k: 1 }), invalid);
  await assert.rejects(w.predictSentiment(rec.model, ['x']), invalid);
  await assert.rejects(w.rows(rec.model), invalid);
  for (const m of [rec.model, rec2.model, sm.model, sm2.model]) await w.freeModel(m);
  await w.freeModel(rec.model); // twice: harmless
  await assert.rejects(w.recommend(rec.model, user, { k: 1 }), (e) => invalid(e) && /no recommender with handle/.test(e.message));
  for (const d of [tx, viaFile, json, copy, cleaned.dataset, masked.dataset, value.customers, attrs, joined.dataset, profiles.profiles]) {
    assert.equal(await w.free(d.handle), true);
  }
  assert.equal(await w.free(tx.handle), true); // twice: harmless
  await assert.rejects(w.rows(tx.handle), (e) => invalid(e) && /no dataset with handle/.test(e.message));
  await assert.rejects(w.call('noSuchOp', {}), invalid);

  // Prediction (the worker loads the `predict` module itself; tests/js/predict_worker.test.mjs
  // checks the same ops in depth): the same quality and scores as the page.
  const telco = readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv').toString('utf8');
  const tds = await w.load(telco);
  const popts = { target: 'Churn', positive: 'Yes', model: 'logistic', validation: { folds: 3, seed: 4 } };
  const trained = await w.trainPredictor(tds.handle, popts);
  const telcoLocal = crm.Dataset.fromCsv(telco);
  const pagePredictor = await crm.Predictor.train(telcoLocal, popts);
  assert.deepEqual(trained.quality, pagePredictor.quality);
  const scoredW = await w.predict(trained.predictor, tds.handle, { explain: 1 });
  assert.equal(scoredW.numRows, telcoLocal.numRows);
  const scoresW = await w.predictScores(trained.predictor, tds.handle);
  assert.deepEqual(scoresW, pagePredictor.scores(telcoLocal));
  const pjson = await w.predictorToJSON(trained.predictor);
  const pback = await w.predictorFromJSON(pjson);
  assert.deepEqual(await w.predictScores(pback.predictor, tds.handle), scoresW);
  for (const p of [trained.predictor, pback.predictor]) await w.freePredictor(p);
  const cdnow = await w.load(readData('cdnow_lifetimes/CDNOW_master.txt').toString('utf8'), { delimiter: 'whitespace' });
  const tf = await w.transactionFeatures(cdnow.handle, { customer: 'customer_id', date: 'date', amount: 'dollar_value', cutoff: '1997-09-30', horizon: 273 });
  assert.equal(tf.customers.numRows, 23570);
  for (const d of [tds, scoredW, cdnow, tf.customers]) assert.equal(await w.free(d.handle), true);
  pagePredictor.free();
  telcoLocal.free();

  for (const h of [local, cleanedLocal.dataset, maskedLocal.dataset, valueLocal.customers, attrsLocal, profilesLocal.profiles, recLocal, smLocal]) h.free();
  const missed = Object.keys(OPS).filter((op) => !seen.has(op));
  assert.deepEqual(missed, [], 'every declared op is exercised here');
});

test('a signal aborted on the first progress stops a long op in the worker with ABORTED', async () => {
  const tx = await w.load(csv);
  const controller = new AbortController();
  const progress = [];
  await assert.rejects(
    w.fitRecommender(tx.handle, {
      user: 'CustomerID', item: 'StockCode', method: 'als', iterations: 200, factors: 8, seed: 1,
      signal: controller.signal,
      onProgress: (p) => { progress.push(p); controller.abort(); },
    }),
    (e) => e.name === 'CrmlensError' && e.code === 'ABORTED',
  );
  assert.ok(progress.length >= 1 && progress.length < 200, `stopped early (${progress.length} progress reports)`);
  assert.equal(await w.free(tx.handle), true);
  w.terminate();
});
