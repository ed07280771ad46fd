// One lifecycle for long work: every `…Async` operation takes `onProgress` and `signal`
// beside its options, reports its phases, keeps the event loop turning, stops with ABORTED
// soon after the signal fires, and gives the same result as the synchronous form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Dataset, segment, segmentAsync, customerValue, customerValueAsync, sentiment, sentimentAsync, topTerms, topTermsAsync,
} from '../../pkg/node.js';
import { readData } from './_util.mjs';

// A table big enough that segmenting over a k range takes seconds in wasm.
function blobs(n, seed = 7) {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const lines = ['x,y,z'];
  for (let i = 0; i < n; i++) {
    const c = i % 5;
    lines.push(`${(c * 4 + rnd()).toFixed(4)},${(c * -3 + rnd()).toFixed(4)},${(rnd() * 2).toFixed(4)}`);
  }
  return lines.join('\n');
}

const BIG = Dataset.fromCsv(blobs(200_000));
const BIG_OPTIONS = { k: 'auto', kRange: [2, 9], nInit: 3, seed: 1, algorithm: 'kmeans' };

test('segmentAsync equals segment, reports its phases in order, and lets timers run meanwhile', async () => {
  const ds = Dataset.fromCsv(readData('mall_customers/Mall_Customers.csv'));
  const opts = { columns: ['annual_income_thousands', 'spending_score'], k: 'auto', kRange: [2, 8], seed: 3 };
  const sync = segment(ds, opts);
  const seen = [];
  const async_ = await segmentAsync(ds, { ...opts, onProgress: (p) => seen.push(p) });
  assert.deepEqual([...async_.labels], [...sync.labels]);
  assert.equal(async_.k, sync.k);
  assert.deepEqual(async_.kScores, sync.kScores);

  // On the big table: progress phases and a responsive event loop.
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const progress = [];
  const r = await segmentAsync(BIG, { ...BIG_OPTIONS, kRange: [2, 4], onProgress: (p) => progress.push(p) });
  clearInterval(timer);
  assert.equal(r.labels.length, 200_000);
  assert.ok(progress.length >= 3, `progress calls: ${progress.length}`);
  const clusters = progress.filter((p) => p.phase === 'cluster');
  assert.ok(clusters.length >= 3 && clusters.every((p) => p.total === 3 && p.done <= p.total));
  assert.ok(clusters.every((p, i) => i === 0 || p.done >= clusters[i - 1].done), 'done never goes back');
  assert.ok(ticks >= 3, `the event loop ran ${ticks} timer callbacks during the segmentation`);
});

test('segmentAsync stops with ABORTED soon after the signal fires; a pre-aborted signal never starts', async () => {
  const controller = new AbortController();
  let abortedAt = 0;
  const started = segmentAsync(BIG, {
    ...BIG_OPTIONS,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.phase === 'cluster' && !abortedAt) {
        abortedAt = performance.now();
        controller.abort();
      }
    },
  });
  await assert.rejects(started, (e) => e.name === 'CrmlensError' && e.code === 'ABORTED');
  const latency = performance.now() - abortedAt;
  // The core checks once per ~25 ms slice; the bound is loose for a busy CI host.
  assert.ok(latency < 1500, `aborted after ${latency.toFixed(0)} ms`);

  const pre = new AbortController();
  pre.abort();
  let called = false;
  await assert.rejects(segmentAsync(BIG, { ...BIG_OPTIONS, signal: pre.signal, onProgress: () => { called = true; } }),
    (e) => e.code === 'ABORTED');
  assert.equal(called, false);
  // The instance is not damaged: the same table segments afterwards.
  assert.equal(segment(Dataset.fromCsv(blobs(500)), { k: 3, seed: 1 }).k, 3);
});

test('bad lifecycle options reject with INVALID_OPTION naming them; unknown keys still fail', async () => {
  await assert.rejects(segmentAsync(BIG, { k: 3, signal: 'stop' }), (e) => e.code === 'INVALID_OPTION' && e.field === 'signal');
  await assert.rejects(segmentAsync(BIG, { k: 3, onProgress: 5 }), (e) => e.code === 'INVALID_OPTION' && e.field === 'onProgress');
  await assert.rejects(segmentAsync(BIG, { k: 3, onProgres: () => {} }), (e) => e.code === 'INVALID_OPTION' && e.field === 'onProgres');
});

test('profileAsync gives the same report as profile, with columns then rows progress', async () => {
  const ds = Dataset.fromCsv(readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv'));
  const sync = ds.profile();
  const phases = new Set();
  const a = await ds.profileAsync({ onProgress: (p) => phases.add(p.phase) });
  const strip = (r) => JSON.parse(JSON.stringify(r, (k, v) => (ArrayBuffer.isView(v) ? [...v] : v)));
  assert.deepEqual(strip(a), strip(sync));
  assert.deepEqual([...phases].slice(0, 1), ['columns']);
  assert.ok(phases.has('rows'), `phases: ${[...phases]}`);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(ds.profileAsync({ signal: controller.signal }), (e) => e.code === 'ABORTED');
});

test('customerValueAsync equals customerValue on CDNOW and reports rows, fit, predict, table', async () => {
  const ds = Dataset.fromCsv(readData('cdnow_lifetimes/CDNOW_master.txt'), { delimiter: 'whitespace' });
  const opts = { customer: 'customer_id', date: 'date', amount: 'dollar_value', calibrationEnd: '1997-09-30' };
  const sync = customerValue(ds, opts);
  const phases = [];
  const a = await customerValueAsync(ds, { ...opts, onProgress: (p) => phases.push(p.phase) });
  assert.deepEqual(a.customers.rows(0, 50), sync.customers.rows(0, 50));
  assert.equal(a.customers.numRows, 23_570);
  assert.equal(a.model.bgNbd.r, sync.model.bgNbd.r);
  for (const p of ['fit', 'predict', 'table']) assert.ok(phases.includes(p), `phase ${p} in ${phases}`);
  assert.ok(phases.indexOf('fit') < phases.indexOf('predict') && phases.indexOf('predict') < phases.indexOf('table'));
});

test('sentiment takes onProgress and signal (sentimentAsync is the same function); topTerms too', async () => {
  assert.equal(sentimentAsync, sentiment);
  assert.equal(topTermsAsync, topTerms);
  const texts = Array.from({ length: 20_000 }, (_, i) => (i % 3 ? 'Great service, fast delivery!' : 'awful, slow and rude'));
  const seen = [];
  const r = await sentiment(texts, { onProgress: (p) => seen.push(p) });
  assert.equal(r.compound.length, 20_000);
  assert.ok(seen.every((p) => p.phase === 'texts' && p.total === 20_000));
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(sentiment(texts, { signal: controller.signal }), (e) => e.code === 'ABORTED');
  const t = await topTerms(texts.slice(0, 300), { onProgress: () => {} });
  assert.ok(t.positive.length > 0 && t.negative.length > 0);
});

test('associationRulesAsync equals associationRules, reports baskets → mine → rules in order, and aborts', async () => {
  const { associationRules, associationRulesAsync } = await import('../../pkg/node.js');
  const retail = Dataset.fromCsv(readData('online_retail_uci_first5000/online_retail_small.csv'));
  const options = { transaction: 'InvoiceNo', item: 'StockCode', minSupport: 0.02, minConfidence: 0.3, maxLen: 3 };
  const sync = associationRules(retail, options);
  const seen = [];
  const later = await associationRulesAsync(retail, { ...options, onProgress: (p) => seen.push(p) });
  assert.deepEqual(later, sync);
  assert.ok(sync.rules.length > 0);
  const phases = seen.map((p) => p.phase).filter((p, i, a) => a.indexOf(p) === i);
  assert.ok(phases.includes('mine') && phases.includes('rules'), `phases ${phases}`);
  assert.ok(phases.indexOf('mine') < phases.indexOf('rules'), `phases ${phases}`);
  assert.ok(!phases.includes('baskets') || phases.indexOf('baskets') < phases.indexOf('mine'), `phases ${phases}`);
  for (const p of seen) assert.ok(p.done <= p.total || p.total === 0, JSON.stringify(p));

  // Abort: a basket table large enough that mining takes well over a time slice.
  const lines = ['t,item'];
  let s = 11;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let t = 0; t < 60_000; t++) for (let j = 0; j < 8; j++) lines.push(`${t},i${Math.floor(rnd() * rnd() * 300)}`);
  const big = Dataset.fromCsv(lines.join('\n'), { header: true });
  const controller = new AbortController();
  let abortedAt = 0;
  const started = associationRulesAsync(big, {
    transaction: 't', item: 'item', minSupport: 0.001, minConfidence: 0.9, maxLen: 3,
    signal: controller.signal,
    onProgress: () => { if (!abortedAt) { abortedAt = performance.now(); controller.abort(); } },
  });
  await assert.rejects(started, (e) => e.name === 'CrmlensError' && e.code === 'ABORTED');
  assert.ok(abortedAt > 0, 'progress was reported before the end');
  assert.ok(performance.now() - abortedAt < 1500);
  // The instance still works.
  assert.deepEqual(associationRules(retail, options), sync);
});
