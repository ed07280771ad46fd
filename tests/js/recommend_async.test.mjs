// Recommender.fitAsync (progress after each ALS iteration, AbortSignal between them) and the
// ALS options alpha and cgSteps, on the built package with the Online Retail purchase log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset, Recommender } from '../../pkg/node.js';
import { readData } from './_util.mjs';

const retailCsv = readData('online_retail_uci_first5000/online_retail_small.csv');
const OPTS = { user: 'CustomerID', item: 'StockCode', method: 'als', factors: 16, iterations: 6, seed: 4 };

async function withRetail(fn) {
  const ds = Dataset.fromCsv(retailCsv);
  try {
    return await fn(ds);
  } finally {
    ds.free();
  }
}

test('fitAsync reports each ALS iteration, lets timers run between them, and equals fit', () => withRetail(async (ds) => {
  const seen = [];
  let timerRan = false;
  let timerBeforeSecond;
  const pending = Recommender.fitAsync(ds, {
    ...OPTS,
    onProgress: (p) => {
      seen.push(p);
      if (p.iteration === 2) timerBeforeSecond = timerRan;
    },
  });
  setTimeout(() => { timerRan = true; }, 0);
  const model = await pending;
  const sync = Recommender.fit(ds, OPTS);
  try {
    assert.deepEqual(seen.map((p) => p.iteration), [1, 2, 3, 4, 5, 6]);
    assert.ok(seen.every((p) => p.iterations === 6 && p.method === 'als'), JSON.stringify(seen));
    assert.equal(timerBeforeSecond, true, 'the event loop ran between iterations');
    assert.equal(model.method, 'als');
    assert.deepEqual(model.toJSON(), sync.toJSON(), 'same seed, same model as the synchronous fit');
  } finally {
    model.free();
    sync.free();
  }
  // A one-step method reports once.
  const knnSeen = [];
  const knn = await Recommender.fitAsync(ds, { user: 'CustomerID', item: 'StockCode', method: 'item-knn', onProgress: (p) => knnSeen.push(p) });
  knn.free();
  assert.deepEqual(knnSeen, [{ iteration: 1, iterations: 1, method: 'item-knn' }]);
}));

test('an AbortSignal stops fitAsync between iterations with a CrmlensError ABORTED', () => withRetail(async (ds) => {
  const controller = new AbortController();
  const seen = [];
  await assert.rejects(
    Recommender.fitAsync(ds, {
      ...OPTS,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.iteration);
        if (p.iteration === 2) controller.abort();
      },
    }),
    { name: 'CrmlensError', code: 'ABORTED' },
  );
  assert.deepEqual(seen, [1, 2], 'no iteration after the abort');
  // Already aborted: rejected before any work.
  const calls = [];
  await assert.rejects(
    Recommender.fitAsync(ds, { ...OPTS, signal: AbortSignal.abort(), onProgress: (p) => calls.push(p) }),
    { name: 'CrmlensError', code: 'ABORTED' },
  );
  assert.equal(calls.length, 0);
  // An abort from a timer (another task) lands between iterations too.
  const late = new AbortController();
  const its = [];
  const run = Recommender.fitAsync(ds, { ...OPTS, iterations: 200, signal: late.signal, onProgress: (p) => its.push(p.iteration) });
  setTimeout(() => late.abort(), 0);
  await assert.rejects(run, { code: 'ABORTED' });
  assert.ok(its.length >= 1 && its.length < 200, `stopped after ${its.length} iterations`);
}));

test('alpha and cgSteps reach the ALS fit and are validated', () => withRetail(async (ds) => {
  const base = Recommender.fit(ds, OPTS);
  const tuned = Recommender.fit(ds, { ...OPTS, alpha: 2.5, cgSteps: 6 });
  try {
    const b = base.toJSON(), t = tuned.toJSON();
    assert.equal(b.params.alpha, 10);
    assert.equal(b.params.cgSteps, 3);
    assert.equal(t.params.alpha, 2.5);
    assert.equal(t.params.cgSteps, 6);
    assert.notDeepEqual(t.model, b.model, 'other settings, other factors');
    const back = Recommender.fromJSON(t);
    assert.deepEqual(back.recommend(tuned.users[0], { k: 5 }), tuned.recommend(tuned.users[0], { k: 5 }));
    back.free();
  } finally {
    base.free();
    tuned.free();
  }
  for (const [bad, field] of [[{ alpha: -1 }, 'alpha'], [{ alpha: 'x' }, 'alpha'], [{ cgSteps: 0 }, 'cgSteps'], [{ cgSteps: 1.5 }, 'cgSteps'], [{ cgSteps: 101 }, 'cgSteps']]) {
    assert.throws(() => Recommender.fit(ds, { ...OPTS, ...bad }), { name: 'CrmlensError', code: 'INVALID_OPTION' }, JSON.stringify(bad));
    const e = await Recommender.fitAsync(ds, { ...OPTS, ...bad }).then(() => null, (err) => err);
    assert.equal(e?.code, 'INVALID_OPTION', JSON.stringify(bad));
    if (typeof bad[field] === 'number' && Number.isInteger(bad[field])) assert.equal(e.field, field);
  }
  await assert.rejects(Recommender.fitAsync(ds, { ...OPTS, onProgress: 3 }), { code: 'INVALID_OPTION', field: 'onProgress' });
}));
