// CrmlensPool.segment of a table held in several shards (pkg/pool-kmeans.js): k-means with the
// shards' per-centroid sums each iteration, seeded as segment seeds, gives the same labels,
// the same cluster sizes and iterations, and the same centroids and inertia (within 1e-9, the
// sums being merged in another order) as segment on the whole table, on real files loaded by
// 1, 2, 3 and 7 workers; options it cannot honour are refused by name; progress and abort.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as crm from '../../pkg/node.js';
import { CrmlensPool } from '../../pkg/pool-node.js';
import { readData } from './_util.mjs';

const pools = new Map();
function pool(n) {
  if (!pools.has(n)) pools.set(n, new CrmlensPool({ workers: n }));
  return pools.get(n);
}
after(() => { for (const p of pools.values()) p.terminate(); });

const SHARDED = { minShardBytes: 0 };
const near = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)), `${what}: ${a} vs ${b}`);

/** The pool's result against segment's on the whole table. */
function same(got, want, what) {
  assert.equal(got.k, want.k, `${what}: k`);
  assert.equal(got.labels.length, want.labels.length, `${what}: one label per row`);
  let differ = 0;
  for (let i = 0; i < want.labels.length; i++) if (got.labels[i] !== want.labels[i]) differ++;
  assert.equal(differ, 0, `${what}: labels that differ`);
  assert.deepEqual(got.sizes, want.segments.map((s) => s.size), `${what}: sizes`);
  assert.equal(got.iterations, want.iterations, `${what}: iterations`);
  assert.equal(got.converged, want.converged, `${what}: converged`);
  near(got.inertia, want.inertia, `${what}: inertia`);
  assert.deepEqual(got.centroidColumns, want.centroidColumns, `${what}: centroid columns`);
  got.centroids.forEach((c, j) => c.forEach((v, t) => near(v, want.centroids[j][t], `${what}: centroid ${j}[${t}]`)));
  assert.equal(got.preparation.rowsUsed, want.preparation.rowsUsed, `${what}: rows used`);
  assert.equal(got.preparation.rowsDropped, want.preparation.rowsDropped, `${what}: rows dropped`);
}

const CASES = [
  ['bank_marketing/bank.csv', 'bank', [
    { columns: ['age', 'balance', 'duration', 'campaign'], k: 4, seed: 7 },
    { columns: ['age', 'balance', 'duration', 'campaign', 'pdays'], k: 6, seed: 1, nInit: 3, scaling: 'none', weights: { age: 4 } },
  ]],
  // TotalCharges has blank cells: imputed with the mean, or the rows dropped.
  ['telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv', 'telco', [
    { columns: ['tenure', 'MonthlyCharges', 'TotalCharges'], k: 3 },
    { columns: ['tenure', 'MonthlyCharges', 'TotalCharges'], k: 5, missing: 'drop', seed: 3, algorithm: 'kmeans' },
  ]],
];

test('k-means over 1, 2, 3 and 7 shards: the same labels, sizes, centroids and inertia as segment on the whole table', async () => {
  for (const [rel, what, optionSets] of CASES) {
    const bytes = readData(rel);
    const whole = crm.Dataset.fromCsv(bytes);
    const wants = optionSets.map((o) => crm.segment(whole, o));
    for (const n of [1, 2, 3, 7]) {
      const p = pool(n);
      const ds = await p.fromFile(new Uint8Array(bytes), SHARDED);
      assert.equal(ds.numShards, n, `${what}: one shard per worker`);
      for (const [i, o] of optionSets.entries()) {
        const got = await p.segment(ds, o);
        const r = n === 1 ? { ...got, sizes: got.segments.map((s) => s.size) } : got;
        same(r, wants[i], `${what} n=${n} options ${i}`);
        if (n > 1) assert.equal(got.shards, n);
      }
      await ds.free();
    }
    whole.free();
  }
});

test('k: "auto" over 2 and 3 shards chooses the k segment chooses on the whole table, from the same silhouettes', async () => {
  // Telco (7,043 rows: the silhouette over every row) and Telco twice (14,086 rows: over its
  // seeded sample of 5,000 rows, gathered from the shards).
  const text = new TextDecoder().decode(readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv'));
  const cut = text.indexOf('\n') + 1;
  const twice = new TextEncoder().encode(text + text.slice(cut));
  const cases = [
    [new TextEncoder().encode(text), { columns: ['tenure', 'MonthlyCharges', 'TotalCharges'], kRange: [2, 6] }, 'telco'],
    [twice, { columns: ['tenure', 'MonthlyCharges', 'TotalCharges'], kRange: [2, 4], nInit: 3, seed: 5 }, 'telco x2'],
  ];
  for (const [bytes, o, what] of cases) {
    const whole = crm.Dataset.fromCsv(bytes);
    const want = crm.segment(whole, { ...o, algorithm: 'kmeans' });
    for (const n of [2, 3]) {
      const p = pool(n);
      const ds = await p.fromFile(bytes, SHARDED);
      assert.equal(ds.numShards, n);
      const seen = [];
      const got = await p.segment(ds, { ...o, k: 'auto', onProgress: (e) => seen.push(e) });
      same(got, want, `${what} n=${n}`);
      assert.deepEqual(got.silhouetteMethod, want.silhouetteMethod, `${what} n=${n}: silhouette method`);
      near(got.silhouette, want.silhouette, `${what} n=${n}: silhouette`);
      assert.deepEqual(got.kScores.map((s) => [s.k, s.smallestSegment]), want.kScores.map((s) => [s.k, s.smallestSegment]));
      got.kScores.forEach((s, i) => {
        near(s.silhouette, want.kScores[i].silhouette, `${what} n=${n} k=${s.k}: silhouette`);
        if (Number.isNaN(want.kScores[i].groupSilhouette)) assert.ok(Number.isNaN(s.groupSilhouette));
        else near(s.groupSilhouette, want.kScores[i].groupSilhouette, `${what} n=${n} k=${s.k}: group silhouette`);
        near(s.inertia, want.kScores[i].inertia, `${what} n=${n} k=${s.k}: inertia`);
      });
      assert.equal(got.kChoice, want.kChoice);
      assert.deepEqual(seen.at(-1), { stage: 'cluster', done: seen.at(-1).total, total: got.kScores.length * (o.nInit ?? 10) });
      await ds.free();
    }
    whole.free();
  }
});

test('sharded segment refuses by name the options it cannot honour', async () => {
  const p = pool(2);
  const ds = await p.fromFile(new Uint8Array(readData('bank_marketing/bank.csv')), SHARDED);
  assert.equal(ds.numShards, 2);
  const cols = ['age', 'balance'];
  // k: 'auto' (or no k) is segment's: its kRange is checked as segment checks it.
  await assert.rejects(p.segment(ds, { columns: cols, kRange: [5000, 5001] }), { code: 'TOO_LARGE', field: 'kRange' });
  await assert.rejects(p.segment(ds, { columns: cols, k: 3, algorithm: 'minibatch' }), { code: 'INVALID_OPTION', field: 'algorithm' });
  await assert.rejects(p.segment(ds, { columns: cols, k: 3, algorithm: 'kprototypes' }), { code: 'INVALID_OPTION', field: 'algorithm' });
  await assert.rejects(p.segment(ds, { columns: cols, k: 3, scaling: 'robust' }), { code: 'INVALID_OPTION', field: 'scaling' });
  await assert.rejects(p.segment(ds, { columns: [...cols, 'job'], k: 3 }), { code: 'INVALID_OPTION', field: 'columns' });
  // The default choice holds category columns (job, marital, …): name the numeric ones.
  await assert.rejects(p.segment(ds, { k: 3 }), { code: 'INVALID_OPTION', field: 'columns' });
  await assert.rejects(p.segment(ds, { columns: cols, k: 3, scalling: 'none' }), (e) => e.code === 'INVALID_OPTION' && /scalling/.test(e.message));
  await assert.rejects(p.segment(ds, { columns: cols, k: 3, scaling: 'robusto' }), { code: 'INVALID_OPTION', field: 'scaling' });
  await assert.rejects(p.segment(ds, { columns: cols, k: 5000 }), { code: 'TOO_LARGE', field: 'k' });
  await ds.free();
});

test('sharded segment reports progress per restart and stops on abort', async () => {
  const p = pool(3);
  const ds = await p.fromFile(new Uint8Array(readData('bank_marketing/bank.csv')), SHARDED);
  const seen = [];
  const opts = { columns: ['age', 'balance', 'duration'], k: 5, nInit: 4 };
  await p.segment(ds, { ...opts, onProgress: (e) => seen.push(e) });
  assert.deepEqual(seen.map((e) => [e.stage, e.done, e.total]), [0, 1, 2, 3, 4].map((d) => ['cluster', d, 4]));
  const ac = new AbortController();
  await assert.rejects(p.segment(ds, { ...opts, signal: ac.signal, onProgress: (e) => { if (e.done === 1) ac.abort(); } }), { code: 'ABORTED' });
  // The pool is still usable after an abort.
  const again = await p.segment(ds, opts);
  assert.equal(again.labels.length, ds.numRows);
  await ds.free();
});
