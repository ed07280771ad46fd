// The prediction ops of CrmlensWorker (js/ops.js: trainPredictor, predict, predictScores,
// predictorToJSON, predictorFromJSON, freePredictor, transactionFeatures), run by the worker's
// own op table (worker-entry.js) in Node: the worker loads the `predict` module itself, keeps
// the predictor as a handle and answers with its summary; the results equal the page's
// (Predictor in the same process); progress is posted, abort stops training, a freed handle
// is INVALID_STATE. (The same ops in a real Web Worker in Chromium: tests/e2e/predict.test.mjs
// drives them through the Predict view.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset, Predictor } from '../../pkg/node.js';
import { readData } from './_util.mjs';

const telcoCsv = readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv').toString('utf8');

const replies = new Map();
const progress = new Map();
globalThis.self ??= globalThis;
globalThis.postMessage = (m) => {
  if (m.id === undefined) return;
  if (m.progress) progress.get(m.id)?.push(m.progress);
  else replies.get(m.id)?.(m);
};
await import('../../pkg/worker-entry.js');
let nextId = 1;
function ask(op, args = {}) {
  const id = nextId++;
  progress.set(id, []);
  const done = new Promise((resolve) => replies.set(id, resolve));
  self.onmessage({ data: { id, op, args } });
  return { id, done, progress: progress.get(id) };
}
async function call(op, args) {
  const r = await ask(op, args).done;
  if (r.error) throw Object.assign(new Error(r.error.message), r.error);
  return r.result;
}

test('worker: train, predict, scores, JSON round trip, free — equal to the page', async () => {
  const options = { target: 'Churn', positive: 'Yes', model: 'logistic', validation: { folds: 3, seed: 4 } };
  const ds = await call('load', { input: telcoCsv });
  const job = ask('trainPredictor', { handle: ds.handle, options });
  const r = await job.done;
  assert.equal(r.error, undefined, r.error?.message);
  const summary = r.result;
  assert.equal(typeof summary.predictor, 'number');
  assert.ok(job.progress.some((p) => p.phase === 'cv') && job.progress.some((p) => p.phase === 'final'), JSON.stringify(job.progress.map((p) => p.phase)));

  const local = Dataset.fromCsv(telcoCsv);
  const page = await Predictor.train(local, options);
  assert.deepEqual(summary.quality, page.quality);
  assert.deepEqual(summary.importance, page.importance);
  assert.deepEqual(summary.features, page.features);
  assert.equal(summary.model, 'logistic');
  assert.equal(summary.threshold, page.threshold);

  const scored = await call('predict', { predictor: summary.predictor, handle: ds.handle, options: { explain: 2 } });
  assert.equal(scored.numRows, 7043);
  assert.deepEqual(scored.columns.map((c) => c.name), ['customerID', 'probability', 'label', 'baseValue', 'factor1', 'factor1Value', 'factor1Contribution', 'factor2', 'factor2Value', 'factor2Contribution']);
  const prob = await call('column', { handle: scored.handle, name: 'probability' });
  const scores = await call('predictScores', { predictor: summary.predictor, handle: ds.handle });
  assert.deepEqual(prob, scores);
  assert.deepEqual(scores, page.scores(local));

  const json = await call('predictorToJSON', { predictor: summary.predictor });
  assert.equal(json.format, 'crmlens.predictor');
  const back = await call('predictorFromJSON', { json: JSON.stringify(json) });
  assert.deepEqual(await call('predictScores', { predictor: back.predictor, handle: ds.handle }), scores);

  await call('freePredictor', { predictor: summary.predictor });
  await call('freePredictor', { predictor: summary.predictor }); // a second free is harmless
  await assert.rejects(call('predictScores', { predictor: summary.predictor, handle: ds.handle }), (e) => e.code === 'INVALID_STATE' && /predictor/.test(e.message));
  // A dataset handle is not a predictor.
  await assert.rejects(call('predict', { predictor: ds.handle, handle: ds.handle }), (e) => e.code === 'INVALID_STATE');
  await call('freePredictor', { predictor: back.predictor });
  await call('free', { handle: scored.handle });
  page.free();
  local.free();

  // Abort from the page side: the `abort` op aborts the training's signal.
  const slow = ask('trainPredictor', { handle: ds.handle, options: { target: 'Churn', model: 'random-forest' } });
  await new Promise((ok) => setTimeout(ok, 50));
  self.onmessage({ data: { id: nextId++, op: 'abort', args: { target: slow.id } } });
  const aborted = await slow.done;
  assert.equal(aborted.error?.code, 'ABORTED');
  // Bad input comes back as the core's error.
  await assert.rejects(call('trainPredictor', { handle: ds.handle, options: { target: 'Churn', model: 'forest' } }), (e) => e.code === 'INVALID_OPTION' && e.field === 'model');
  await call('free', { handle: ds.handle });
});

test('worker: transactionFeatures keeps the customer table as a dataset handle', async () => {
  const csv = readData('cdnow_lifetimes/CDNOW_master.txt').toString('utf8');
  const log = await call('load', { input: csv, options: { delimiter: 'whitespace' } });
  const tf = await call('transactionFeatures', { handle: log.handle, options: { customer: 'customer_id', date: 'date', amount: 'dollar_value', cutoff: '1997-09-30', horizon: 273 } });
  assert.equal(typeof tf.customers.handle, 'number');
  assert.equal(tf.customers.numRows, 23570);
  assert.equal(tf.report.horizonEnd, '1998-06-30');
  assert.ok(tf.customers.columns.some((c) => c.name === 'purchasedInHorizon'));
  await call('free', { handle: tf.customers.handle });
  await call('free', { handle: log.handle });
});

test('worker: predict carries the scoring warnings in its summary, as the page', async () => {
  const options = { target: 'Churn', positive: 'Yes', model: 'logistic', validation: { folds: 2, seed: 1 } };
  const lines = telcoCsv.split('\n');
  const contract = lines[0].split(',').indexOf('Contract');
  // The first 400 rows, with a contract the model never saw in every 40th.
  const edited = [lines[0], ...lines.slice(1, 401).map((l, i) => {
    const f = l.split(',');
    if (i % 40 === 0) f[contract] = 'Weekly';
    return f.join(',');
  })].join('\n');
  const ds = await call('load', { input: telcoCsv });
  const odd = await call('load', { input: edited });
  const trained = await call('trainPredictor', { handle: ds.handle, options });
  const scored = await call('predict', { predictor: trained.predictor, handle: odd.handle, options: { explain: 1 } });
  assert.equal(scored.numRows, 400);
  assert.equal(scored.warnings.length, 1, JSON.stringify(scored.warnings));
  assert.ok(scored.warnings[0].startsWith("`Contract`: 10 value(s) are not among the model's levels (e.g. `Weekly`)"), scored.warnings[0]);
  // The page's warnings for the same table are the same lines.
  const page = await Predictor.train(Dataset.fromCsv(telcoCsv), options);
  const local = Dataset.fromCsv(edited);
  assert.deepEqual(scored.warnings, [...page.predict(local, { explain: 1 }).warnings]);
  // The training table itself: nothing to say.
  const plain = await call('predict', { predictor: trained.predictor, handle: ds.handle });
  assert.deepEqual(plain.warnings, []);
  for (const h of [scored.handle, plain.handle, odd.handle, ds.handle]) await call('free', { handle: h });
  await call('freePredictor', { predictor: trained.predictor });
  page.free();
  local.free();
});
