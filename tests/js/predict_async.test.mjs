// Scoring with explanations through the package, async (issue 17): predictor.predictAsync
// gives the same table as predict, reports progress (phase `explain`, rows done of all) and
// stops on abort with a CrmlensError ABORTED; on Telco churn (../shared/data), GBDT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset, Predictor } from '../../pkg/node.js';
import { readData, assertRejectsCrmlens } from './_util.mjs';

const telcoCsv = readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv').toString('utf8');

test('predictAsync equals predict, reports progress, and aborts', async () => {
  const ds = Dataset.fromCsv(telcoCsv);
  const p = await Predictor.train(ds, { target: 'Churn', positive: 'Yes', model: 'gbdt', validation: { folds: 2, seed: 0 } });
  const sync = p.predict(ds, { explain: 3 });
  const seen = [];
  const out = await p.predictAsync(ds, { explain: 3, onProgress: (e) => seen.push(e) });
  for (const name of ['probability', 'factor1', 'factor1Value', 'factor3Contribution']) {
    assert.deepEqual(Array.from(out.column(name)), Array.from(sync.column(name)), name);
  }
  assert.deepEqual(out.columns().map((c) => c.name), sync.columns().map((c) => c.name));
  const explain = seen.filter((e) => e.phase === 'explain');
  assert.ok(explain.length >= 1, JSON.stringify(seen));
  assert.deepEqual(explain.at(-1), { phase: 'explain', done: 7043, total: 7043 });
  // Abort after the first progress report of the scoring.
  const ac = new AbortController();
  await assertRejectsCrmlens(
    () => p.predictAsync(ds, { explain: 3, signal: ac.signal, onProgress: (e) => { if (e.phase === 'explain') ac.abort(); } }),
    'ABORTED',
  );
  const pre = new AbortController();
  pre.abort();
  await assertRejectsCrmlens(() => p.predictAsync(ds, { explain: 3, signal: pre.signal }), 'ABORTED');
  out.free(); sync.free(); p.free(); ds.free();
});
