// Prediction through the package (issue 17): Predictor and transactionFeatures from the
// lazily loaded wasm module `predict`, in Node, on the real files in ../shared/data.
// - quality bar: Telco churn 5-fold AUC >= 0.845 through the JS API;
// - native = wasm: the same options and seed give bit-identical out-of-fold numbers, importance
//   and scores to the native run (tests/fixtures/predict/native_telco.json, checked natively
//   by tests/predict_native_fixture.rs);
// - explanations add up to the model output; toJSON / fromJSON scores identically;
// - abort and progress; bad input is a CrmlensError with the core's code, never a trap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Dataset, Predictor, transactionFeatures, loadModule } from '../../pkg/node.js';
import { readData, assertRejectsCrmlens, assertCrmlensError } from './_util.mjs';

const telcoCsv = readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv').toString('utf8');
const native = JSON.parse(readFileSync(new URL('../fixtures/predict/native_telco.json', import.meta.url), 'utf8'));

/** AUC of `score` for the boolean labels (ties count one half): an oracle independent of the package. */
function auc(labels, score) {
  const idx = [...score.keys()].sort((a, b) => score[a] - score[b]);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && score[idx[j + 1]] === score[idx[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[idx[k]]) { rankSum += rank; pos++; }
    i = j + 1;
  }
  const neg = idx.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

const sigmoid = (x) => 1 / (1 + Math.exp(-x));
/** The probability of a raw model output under the model's calibration (from toJSON()). */
function calibrated(cal, s) {
  if (cal.method === 'none') return sigmoid(s);
  if (cal.method === 'platt') return sigmoid(cal.a * s + cal.b);
  const { scores, values } = cal; // isotonic: linear between the steps
  const k = scores.findIndex((x) => x > s);
  if (k === 0) return values[0];
  if (k < 0) return values.at(-1);
  const [x0, x1, y0, y1] = [scores[k - 1], scores[k], values[k - 1], values[k]];
  return x1 > x0 ? y0 + ((y1 - y0) * (s - x0)) / (x1 - x0) : y1;
}

function sameAsNative(p, want, ds) {
  const q = p.quality;
  assert.equal(p.model, want.model);
  for (const k of ['auc', 'prAuc', 'logLoss', 'brier', 'f1', 'threshold', 'grade']) assert.equal(q[k], want[k], `${k}: wasm ${q[k]} vs native ${want[k]}`);
  assert.deepEqual(q.confusion, want.confusion);
  assert.deepEqual(p.importance.slice(0, 5).map((i) => ({ feature: i.feature, mean: i.mean })), want.importance);
  const s = p.scores(ds);
  assert.deepEqual(Array.from(s).filter((_, i) => i % 500 === 0), want.scores);
}

test('Telco churn through the JS API: AUC >= 0.845, identical to the native run, explained, saved and loaded', async () => {
  const ds = Dataset.fromCsv(telcoCsv);
  const phases = [];
  const p = await Predictor.train(ds, { ...native.logistic.options, onProgress: (pr) => phases.push(pr.phase) });
  try {
    const q = p.quality;
    assert.ok(q.auc >= 0.845, `Telco 5-fold AUC ${q.auc}`);
    assert.equal(q.rows, 7043);
    assert.equal(q.folds, 5);
    assert.equal(p.task, 'classification');
    assert.equal(p.positive, 'Yes');
    assert.equal(p.negative, 'No');
    assert.deepEqual(p.features.leftOut.map((l) => l.name), ['customerID']);
    assert.equal(p.features.used.length, 19);
    assert.ok(p.importance.every((i) => ds.columns().some((c) => c.name === i.feature)), 'importance in the columns\' own names');
    assert.equal(p.candidates.length, 1);
    assert.ok(p.candidates[0].chosen);
    assert.ok(['A', 'B', 'C'].includes(q.grade) && q.explanation.length > 20);
    assert.ok(q.rocCurve.x.length > 10 && q.lift.length === 10 && q.calibration.length > 0);
    const c = q.confusion;
    assert.equal(c.truePositive + c.falseNegative, 1869, 'churners in Telco');
    assert.ok(phases.includes('cv') && phases.includes('final'), phases.join());
    assert.ok(phases.indexOf('cv') < phases.lastIndexOf('final'), 'phases in order');

    sameAsNative(p, native.logistic, ds);

    // Explanations: baseValue + every contribution = the model's log-odds, whose calibrated
    // probability is the `probability` column.
    const scored = p.predict(ds, { explain: 19 });
    assert.ok(scored instanceof Dataset);
    assert.equal(scored.numRows, 7043);
    const names = scored.columns().map((col) => col.name);
    assert.deepEqual(names.slice(0, 4), ['customerID', 'probability', 'label', 'baseValue']);
    assert.deepEqual(names.slice(4, 7), ['factor1', 'factor1Value', 'factor1Contribution']);
    const prob = scored.column('probability');
    const base = scored.column('baseValue');
    const contrib = Array.from({ length: 19 }, (_, k) => scored.column(`factor${k + 1}Contribution`));
    const cal = p.toJSON().calibration;
    for (let i = 0; i < 7043; i += 97) {
      const total = base[i] + contrib.reduce((s, col) => s + col[i], 0);
      assert.ok(Math.abs(calibrated(cal, total) - prob[i]) < 1e-9, `row ${i}`);
      // Factors are ordered by size.
      for (let k = 1; k < 19; k++) assert.ok(Math.abs(contrib[k - 1][i]) >= Math.abs(contrib[k][i]));
    }
    const labels = scored.column('label');
    for (let i = 0; i < 7043; i += 211) assert.equal(labels[i], prob[i] >= p.threshold ? 'Yes' : 'No');
    const top3 = p.predict(ds, { explain: 3 });
    assert.deepEqual(top3.columns().map((col) => col.name).at(-1), 'factor3Contribution');
    assert.deepEqual(top3.column('factor1'), scored.column('factor1'));
    top3.free();
    scored.free();

    // toJSON / fromJSON: the text (and the object) score identically, without the data.
    const text = JSON.stringify(p);
    const back = await Predictor.fromJSON(text);
    const back2 = await Predictor.fromJSON(JSON.parse(text));
    assert.deepEqual(back.scores(ds), p.scores(ds));
    assert.deepEqual(back2.scores(ds), p.scores(ds));
    assert.deepEqual(back.quality, p.quality);
    assert.deepEqual(back.importance, p.importance);
    back.free();
    back2.free();
    const tampered = JSON.parse(text);
    tampered.fitted.coef = tampered.fitted.coef.slice(1);
    await assertRejectsCrmlens(Predictor.fromJSON(tampered), 'INVALID_OPTION', { field: 'model' });
    await assertRejectsCrmlens(Predictor.fromJSON('{"format":"something else"}'), 'INVALID_OPTION', { field: 'model' });
  } finally {
    p.free();
    ds.free();
  }
  // A freed predictor is INVALID_STATE; a second free is harmless.
  p.free();
  assertCrmlensError(() => p.quality, 'INVALID_STATE');
  assertCrmlensError(() => p.predict(Dataset.fromCsv('a\n1\n')), 'INVALID_STATE');
});

test('GBDT in wasm equals the native run (TreeSHAP factors add up to the log-odds)', async () => {
  const ds = Dataset.fromCsv(telcoCsv);
  const p = await Predictor.train(ds, native.gbdt.options);
  try {
    sameAsNative(p, native.gbdt, ds);
    assert.equal(p.output, 'logOdds');
    const scored = p.predict(ds, { explain: 19 });
    const prob = scored.column('probability');
    const base = scored.column('baseValue');
    const contrib = Array.from({ length: 19 }, (_, k) => scored.column(`factor${k + 1}Contribution`));
    const cal = p.toJSON().calibration;
    for (let i = 0; i < 7043; i += 331) {
      const total = base[i] + contrib.reduce((s, col) => s + col[i], 0);
      assert.ok(Math.abs(calibrated(cal, total) - prob[i]) < 1e-9, `row ${i}`);
    }
    scored.free();
  } finally {
    p.free();
    ds.free();
  }
});

test('model auto: every candidate cross-validated, the winner chosen and said why', async () => {
  const ds = Dataset.fromCsv(telcoCsv);
  const p = await Predictor.train(ds, { target: 'Churn', validation: { folds: 3, seed: 1 } });
  try {
    assert.deepEqual(p.candidates.map((c) => c.model).sort(), ['gbdt', 'logistic', 'random-forest']);
    assert.equal(p.candidates.filter((c) => c.chosen).length, 1);
    const best = Math.max(...p.candidates.map((c) => c.score));
    const chosen = p.candidates.find((c) => c.chosen);
    assert.equal(chosen.model, p.model);
    assert.ok(chosen.score >= best - 0.005, 'the winner is the best or within noise of it');
    assert.ok(p.candidates.every((c) => c.metric === 'auc' && c.note.length > 0));
    // Churn (Yes/No) loads as a boolean column: `true` is the positive class found by itself.
    assert.equal(p.positive, 'true', 'the positive class found by itself');
    assert.equal(p.negative, 'false');
  } finally {
    p.free();
    ds.free();
  }
});

test('abort: an aborted signal rejects with ABORTED, before or during the work', async () => {
  const ds = Dataset.fromCsv(telcoCsv);
  try {
    const before = new AbortController();
    before.abort();
    await assertRejectsCrmlens(Predictor.train(ds, { target: 'Churn', signal: before.signal }), 'ABORTED');
    const during = new AbortController();
    let seen = 0;
    const t0 = Date.now();
    await assertRejectsCrmlens(
      Predictor.train(ds, { target: 'Churn', model: 'random-forest', signal: during.signal, onProgress: () => { if (++seen === 2) during.abort(); } }),
      'ABORTED',
    );
    assert.ok(seen >= 2 && Date.now() - t0 < 60_000);
    // The module still works after an abort.
    const p = await Predictor.train(ds, { target: 'Churn', model: 'logistic', validation: { folds: 2 } });
    assert.ok(p.quality.auc > 0.8);
    p.free();
  } finally {
    ds.free();
  }
});

test('bad input is a CrmlensError with the core\'s code, never a trap', async () => {
  // Header stated: with one-letter names the sniffer may read the first line as data.
  const oneClass = Dataset.fromCsv('x,y\n' + Array.from({ length: 50 }, (_, i) => `${i},no`).join('\n'), { header: true });
  await assertRejectsCrmlens(Predictor.train(oneClass, { target: 'y' }), 'INVALID_OPTION', { field: 'target' });
  const three = Dataset.fromCsv('x,y\n1,a\n2,b\n3,a\n', { header: true });
  const e3 = await assertRejectsCrmlens(Predictor.train(three, { target: 'y' }), 'EMPTY_INPUT');
  assert.match(e3.message, /rows/);
  const onlyId = Dataset.fromCsv('id,y\n' + Array.from({ length: 60 }, (_, i) => `c${i},${i % 2 ? 'yes' : 'no'}`).join('\n'), { header: true });
  const eId = await assertRejectsCrmlens(Predictor.train(onlyId, { target: 'y' }), 'EMPTY_INPUT');
  assert.match(eId.message, /no usable feature.*identifier/);
  const telco = Dataset.fromCsv(telcoCsv);
  await assertRejectsCrmlens(Predictor.train(telco, { target: 'Churn', model: 'forest' }), 'INVALID_OPTION', { field: 'model' });
  await assertRejectsCrmlens(Predictor.train(telco, { target: 'Churn', folds: 3 }), 'INVALID_OPTION', { field: 'folds' });
  await assertRejectsCrmlens(Predictor.train(telco, { target: 'Churn', onProgres: () => {} }), 'INVALID_OPTION', { field: 'onProgres' });
  await assertRejectsCrmlens(Predictor.train(telco, { target: 'NoSuchColumn' }), 'UNKNOWN_COLUMN');
  await assertRejectsCrmlens(Predictor.train(telco, { target: 'Churn', validation: { folds: 1 } }), 'INVALID_OPTION', { field: 'validation' });
  await assertRejectsCrmlens(Predictor.train('not a table', { target: 'Churn' }), 'INVALID_OPTION', { field: 'customers' });
  const p = await Predictor.train(telco, { target: 'Churn', model: 'logistic', validation: { folds: 2 } });
  try {
    assertCrmlensError(() => p.predict(telco, { explain: 21 }), 'INVALID_OPTION', { field: 'explain' });
    assertCrmlensError(() => p.predict(telco, { explian: 2 }), 'INVALID_OPTION', { field: 'explian' });
    const other = Dataset.fromCsv('a,b\n1,2\n');
    assert.throws(() => p.predict(other), (e) => e.name === 'CrmlensError' && typeof e.code === 'string');
    other.free();
  } finally {
    p.free();
  }
  assert.throws(() => new Predictor({}, {}), (e) => e.code === 'INVALID_STATE');
  for (const d of [oneClass, three, onlyId, telco]) d.free();
});

test('transactionFeatures on the CDNOW order log: the model beats BG/NBD expected purchases as a score', async () => {
  const log = Dataset.fromCsv(readData('cdnow_lifetimes/CDNOW_master.txt').toString('utf8'), { delimiter: 'whitespace' });
  const { customers, report } = await transactionFeatures(log, { customer: 'customer_id', date: 'date', amount: 'dollar_value', cutoff: '1997-09-30', horizon: '1998-06-30' });
  try {
    assert.ok(customers instanceof Dataset);
    assert.equal(customers.numRows, 23570);
    assert.equal(report.horizonDays, 273);
    assert.equal(report.customers, 23570);
    assert.ok(report.bgNbd.r > 0 && report.rows.rows === log.numRows);
    const names = customers.columns().map((c) => c.name);
    for (const n of ['recency', 'frequency', 'pAlive', 'expectedPurchases', 'purchasedInHorizon', 'spendInHorizon']) assert.ok(names.includes(n), n);
    const bought = customers.column('purchasedInHorizon');
    const expected = customers.column('expectedPurchases');
    const bgnbd = auc(bought, Array.from(expected));
    const p = await Predictor.train(customers, { target: 'purchasedInHorizon', model: 'logistic', validation: { folds: 5, seed: 1 } });
    assert.ok(p.quality.auc > bgnbd, `model ${p.quality.auc} vs BG/NBD ${bgnbd}`);
    assert.ok(p.features.leftOut.some((l) => l.name === 'spendInHorizon' && /leakage/.test(l.reason)), 'the spend label is a copy of the target');
    // The out-of-fold AUC agrees with an oracle AUC of the in-sample scores to within a few points.
    assert.ok(Math.abs(auc(bought, Array.from(p.scores(customers))) - p.quality.auc) < 0.02);
    p.free();
    await assertRejectsCrmlens(transactionFeatures(log, { customer: 'customer_id', date: 'date', cutoff: 'soon', horizon: 90 }), 'INVALID_OPTION', { field: 'cutoff' });
  } finally {
    customers.free();
    log.free();
  }
  assert.equal(typeof (await loadModule('predict')).version(), 'string');
});
