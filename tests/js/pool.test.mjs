// CrmlensPool on Node worker_threads (pkg/pool-node.js, what `crmlens/worker` resolves to in
// Node): real files loaded in parallel byte ranges by 1, 2, 3 and 7 workers give the same
// table, issues and profile as one Dataset; customerValue merges the shards' summaries and
// fits once (the same model and customer table); sentiment concatenates the shards' scores;
// quoted newlines across cuts, an unclosed quote and terminate().
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

// Shard even small files (the pool's default keeps files under 4 MiB whole).
const SHARDED = { minShardBytes: 0 };

/** Deep equality, numbers within 1e-9 relative (sums merged in another order); typed arrays as arrays. */
function close(a, b, path = '') {
  if (ArrayBuffer.isView(a)) a = Array.from(a);
  if (ArrayBuffer.isView(b)) b = Array.from(b);
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) { assert.ok(Number.isNaN(a) && Number.isNaN(b), `${path}: ${a} vs ${b}`); return; }
    assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)), `${path}: ${a} vs ${b}`);
  } else if (Array.isArray(a)) {
    assert.ok(Array.isArray(b), `${path}: array`);
    assert.equal(a.length, b.length, `${path}: length`);
    a.forEach((x, i) => close(x, b[i], `${path}[${i}]`));
  } else if (a && typeof a === 'object') {
    assert.deepEqual(Object.keys(a), Object.keys(b), `${path}: keys`);
    for (const k of Object.keys(a)) close(a[k], b[k], `${path}.${k}`);
  } else {
    assert.equal(a, b, path);
  }
}

const FILES = [
  ['telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv', 'telco'],
  ['bank_marketing/bank.csv', 'bank'],
  ['cdnow_lifetimes/CDNOW_master.txt', 'cdnow'],
];

async function sameTable(bytes, ds, whole, what) {
  assert.equal(ds.numRows, whole.numRows, `${what}: rows`);
  const want = whole.columns();
  const got = ds.columns();
  assert.deepEqual(got.map((c) => [c.name, c.type, c.nullCount]), want.map((c) => [c.name, c.type, c.nullCount]), `${what}: columns`);
  // The rows at the start, around every shard boundary, and at the end.
  const spots = [0, ...ds.shards.map((s) => Math.max(0, s.start - 3)), Math.max(0, ds.numRows - 5)];
  for (const at of spots) close(await ds.rows(at, 6), whole.rows(at, 6), `${what}: rows at ${at}`);
  assert.deepEqual(ds.issues, whole.issues, `${what}: issues`);
}

test('real files load in 1, 2, 3 and 7 workers as one Dataset, and profile the same', async () => {
  for (const [rel, what] of FILES) {
    const bytes = readData(rel);
    const whole = crm.Dataset.fromCsv(bytes);
    const want = whole.profile();
    want.dataset.memoryBytes = 0;
    for (const n of [1, 2, 3, 7]) {
      const ds = await pool(n).fromFile(new Uint8Array(bytes), SHARDED);
      assert.equal(ds.numShards, n, `${what}: one shard per worker`);
      await sameTable(bytes, ds, whole, `${what} n=${n}`);
      const got = await ds.profile();
      // Each shard keeps its own dictionaries: memory is their sum, not the whole table's.
      got.dataset.memoryBytes = 0;
      close(got, want, `${what} n=${n} profile`);
      await ds.free();
    }
    whole.free();
  }
});

test('quoted fields with newlines across the cuts: the same records, the file\'s line numbers', async () => {
  // Long quoted notes with line breaks (and doubled quotes) in every record, so that every
  // speculative cut lands inside one; a ragged row far in, whose issue must carry its file line.
  let text = 'id,note,amount\n';
  for (let i = 0; i < 6000; i++) {
    const note = `"line one of ${i}\nline two, with ""quotes""\nline three ${'x'.repeat(i % 40)}"`;
    text += i === 4321 ? `${i},${note},1.5,extra\n` : `${i},${note},${i % 7 === 0 ? i : i + 0.25}\n`;
  }
  const bytes = new TextEncoder().encode(text);
  const whole = crm.Dataset.fromCsv(bytes);
  assert.ok(whole.issues.length >= 1);
  for (const n of [2, 3, 7]) {
    const ds = await pool(n).fromFile(bytes, SHARDED);
    assert.ok(ds.numShards >= 2, `n=${n}: sharded`);
    await sameTable(bytes, ds, whole, `quoted n=${n}`);
    await ds.free();
  }
});

test('an unclosed quote is the same error or the same repaired rows as the single loader', async () => {
  let text = 'id,name\n';
  for (let i = 0; i < 20000; i++) text += i === 15000 ? `${i},"never closed\n` : `${i},name ${i}\n`;
  const bytes = new TextEncoder().encode(text);
  let want;
  try { want = { ds: crm.Dataset.fromCsv(bytes) }; } catch (e) { want = { code: e.code, line: e.line }; }
  let got;
  try { got = { ds: await pool(3).fromFile(bytes, SHARDED) }; } catch (e) { got = { code: e.code, line: e.line }; }
  if (want.ds) {
    assert.ok(got.ds, `the pool failed (${got.code}) where one Dataset loads`);
    await sameTable(bytes, got.ds, want.ds, 'unclosed');
  } else {
    assert.deepEqual(got, want);
  }
});

test('customerValue over shards: merged summaries, one fit, the same customers and model', async () => {
  const bytes = readData('cdnow_lifetimes/CDNOW_master.txt');
  const opts = { customer: 'customer_id', date: 'date', amount: 'dollar_value', calibrationEnd: '1997-09-30', observationEnd: '1998-06-30' };
  const whole = crm.customerValue(crm.Dataset.fromCsv(bytes), opts);
  for (const n of [2, 3]) {
    const p = pool(n);
    const ds = await p.fromFile(new Uint8Array(bytes), SHARDED);
    const v = await p.customerValue(ds, opts);
    // Timings differ run to run; everything else is the same.
    const { timings: _a, ...model } = v.model;
    const { timings: _b, ...wantModel } = whole.model;
    close(model, wantModel, `n=${n} model`);
    close(v.cohorts, whole.cohorts, `n=${n} cohorts`);
    assert.equal(v.customers.numRows, whole.customers.numRows);
    for (const at of [0, 1000, whole.customers.numRows - 3]) close(await v.customers.rows(at, 3), whole.customers.rows(at, 3), `n=${n} customers at ${at}`);
    await v.customers.free();
    await ds.free();
  }
});

test('sentiment over shards: the whole table\'s scores, labels and summary', async () => {
  const bytes = readData('waimai_10k/waimai_10k.csv');
  const whole = await crm.sentiment(crm.Dataset.fromCsv(bytes), { column: 'review' });
  const p = pool(2);
  const ds = await p.fromFile(new Uint8Array(bytes), SHARDED);
  assert.equal(ds.numShards, 2);
  const got = await p.sentiment(ds, { column: 'review' });
  close(got, whole, 'sentiment');
  await assert.rejects(p.sentiment(ds, { column: 'review', aspects: true }), { code: 'INVALID_OPTION', field: 'aspects' });
  // segment of several shards is k-means on numeric columns (pool_kmeans.test.mjs): the text column is refused by name.
  await assert.rejects(p.segment(ds, { columns: ['review'], k: 3 }), { code: 'INVALID_OPTION', field: 'columns' });
  await ds.free();
});

test('the shard ops through one pool worker: a table cut in two ranges, and its states, answer like the table', async () => {
  // The ops CrmlensPool runs on its workers (marked `pool` in ops.js, in crmlens_pool_bg.wasm
  // only), called directly on a pool worker's CrmlensWorker: a real order log (the first
  // lines of UCI Online Retail, within 16 KB) cut after a newline near 4,000 bytes.
  const p = pool(1);
  await p.ready;
  const w = p.workers[0];
  const raw = readData('online_retail_uci_first5000/online_retail_small.csv');
  const csv = new TextDecoder().decode(raw.subarray(0, raw.subarray(0, 16384).lastIndexOf(10) + 1));
  const local = crm.Dataset.fromCsv(csv);
  const tx = await w.load(csv);
  const vopts = { customer: 'CustomerID', date: 'InvoiceDate', quantity: 'Quantity', price: 'UnitPrice', invoice: 'InvoiceNo' };
  const valueLocal = crm.customerValue(local, vopts);
  const text = new TextEncoder().encode(csv);
  const cut = text.indexOf(10, 4000) + 1;
  const head = await w.loadShard(text.slice(0, cut), {}, { last: false }, { delimiter: 44, quote: 34 });
  assert.equal(head.error, null);
  assert.equal(head.scan[0], new TextDecoder().decode(text.slice(0, cut)).split('\n').length - 1, 'newlines of the range');
  const names = local.columns().map((c) => c.name);
  const tail = await w.loadShard(text.slice(cut), { delimiter: ',' }, { names, firstLine: head.scan[0] + 1, last: true });
  assert.equal(head.dataset.numRows + tail.dataset.numRows, local.numRows);
  assert.deepEqual(await w.rows(tail.dataset.handle, 0, 2), local.rows(head.dataset.numRows, 2));
  const pack = (parts) => {
    const out = new Uint8Array(parts.reduce((a, p) => a + 8 + p.length, 0));
    let at = 0;
    for (const p of parts) { new DataView(out.buffer).setBigUint64(at, BigInt(p.length), true); out.set(p, at + 8); at += 8 + p.length; }
    return out;
  };
  const firsts = pack([await w.profileState(tx.handle)]);
  const seconds = pack([await w.profileState(tx.handle, undefined, firsts)]);
  const merged = await w.profileOfShards(tx.handle, undefined, firsts, seconds, local.numRows, local.memoryBytes);
  const whole = local.profile();
  assert.deepEqual(JSON.stringify(merged.correlations), JSON.stringify(whole.correlations));
  assert.equal(merged.dataset.duplicateRows, whole.dataset.duplicateRows);
  const states = pack([await w.customerSummaryState(tx.handle, vopts)]);
  const vMerged = await w.customerValueOfStates(states, vopts);
  assert.equal(vMerged.customers.numRows, valueLocal.customers.numRows);
  assert.equal(vMerged.model.bgNbd.r, valueLocal.model.bgNbd.r);
  for (const d of [head.dataset, tail.dataset, vMerged.customers]) await w.free(d.handle);
  await w.free(tx.handle);
  valueLocal.customers.free();
  local.free();
});

test('a pooled load reports the bytes each worker has read as it goes, and an abort stops the workers inside their shards', async () => {
  // Telco's rows 24 times (about 23 MB): two ranges of about 12 MB, each read in 1 MiB pieces.
  const text = new TextDecoder().decode(readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv'));
  const cut = text.indexOf('\n') + 1;
  const big = new TextEncoder().encode(text.slice(0, cut) + text.slice(cut).repeat(24));
  const p = pool(2);
  const seen = [];
  const ds = await p.fromFile(big, { onProgress: (e) => seen.push(e) });
  assert.equal(ds.numShards, 2);
  assert.equal(ds.numRows, 7043 * 24);
  assert.deepEqual(seen.at(-1), { bytesRead: big.length, totalBytes: big.length, rows: ds.numRows });
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].bytesRead >= seen[i - 1].bytesRead, 'bytes read never go back');
  // Before: one report per finished range (2). Now one per 1 MiB piece of either range.
  const partial = seen.filter((e) => e.bytesRead < big.length);
  assert.ok(partial.length >= 10, `${partial.length} reports before the end`);
  assert.ok(partial.some((e) => e.rows > 0 && e.rows < ds.numRows), 'rows counted as they are read');
  await ds.free();

  // Abort after the first 1 MiB piece: both workers stop within their ranges (they never report
  // reading to its end), the call is ABORTED, and the pool loads the file again in full.
  const ac = new AbortController();
  let most = 0;
  await assert.rejects(p.fromFile(big, {
    signal: ac.signal,
    onProgress: (e) => { most = Math.max(most, e.bytesRead); if (!ac.signal.aborted) ac.abort(); },
  }), { code: 'ABORTED' });
  assert.ok(most > 0 && most < big.length, `read ${most} of ${big.length} bytes before stopping`);
  const again = await p.fromFile(big);
  assert.equal(again.numRows, ds.numRows);
  assert.equal(again.numShards, 2);
  await again.free();
});

test('options are checked; terminate stops every worker and later calls fail clearly', async () => {
  assert.throws(() => new CrmlensPool({ workers: 0 }), { code: 'INVALID_OPTION', field: 'workers' });
  assert.throws(() => new CrmlensPool({ worker: 2 }), { code: 'INVALID_OPTION', field: 'worker' });
  const p = new CrmlensPool({ workers: 2 });
  const ds = await p.fromFile(new Uint8Array(readData('bank_marketing/bank.csv')), SHARDED);
  assert.equal(ds.numShards, 2);
  const exits = p.workers.map((w) => new Promise((resolve) => w.worker.thread.once('exit', resolve)));
  p.terminate();
  await Promise.all(exits);
  await assert.rejects(ds.rows(0, 1), { code: 'INVALID_STATE' });
  await assert.rejects(p.fromFile(new Uint8Array(10)), { code: 'INVALID_STATE' });
  assert.equal(p.usable, false);
});

test('a worker that dies mid-work is a CrmlensError for the call; the pool stays usable', async () => {
  const p = new CrmlensPool({ workers: 2 });
  const bytes = new Uint8Array(readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv'));
  const ds = await p.fromFile(bytes, SHARDED);
  const profiling = ds.profile();
  p.workers[1].worker.thread.terminate(); // as an out-of-memory abort would end it
  await assert.rejects(profiling, (e) => e.name === 'CrmlensError' && e.code === 'WORKER_CRASHED');
  await assert.rejects(ds.rows(0, 1), { code: 'INVALID_STATE' });
  assert.equal(p.usable, true);
  const again = await p.fromFile(bytes, SHARDED);
  assert.equal(again.numRows, ds.numRows);
  p.terminate();
});

test('the pool\'s modules: no import circle, and pool-entry.js never loads the core glue', async () => {
  const { readFileSync } = await import('node:fs');
  const pkg = new URL('../../pkg/', import.meta.url);
  const imports = (f) => [...readFileSync(new URL(f, pkg), 'utf8').matchAll(/^(?:import|export)\s[^'"]*?from\s+'\.\/([^']+)'|^import\s+'\.\/([^']+)'/gm)].map((m) => m[1] ?? m[2]);
  /** Every module `f` reaches through static imports, and any circle met on the way. */
  const walk = (f, stack = [], seen = new Set(), circles = []) => {
    if (stack.includes(f)) { circles.push([...stack.slice(stack.indexOf(f)), f].join(' -> ')); return { seen, circles }; }
    if (seen.has(f)) return { seen, circles };
    seen.add(f);
    for (const g of imports(f)) walk(g, [...stack, f], seen, circles);
    return { seen, circles };
  };
  for (const entry of ['worker.js', 'pool.js', 'pool-node.js', 'pool-entry.js', 'worker-entry.js']) {
    assert.deepEqual(walk(entry).circles, [], `${entry}: import circles`);
  }
  assert.ok(!imports('pool.js').includes('worker.js'), 'pool.js imports worker-core.js, not the worker.js entry');
  const reached = walk('pool-entry.js').seen;
  for (const f of ['crmlens.js', 'profiles.js', 'rules.js', 'predict.js']) assert.ok(!reached.has(f), `pool-entry.js reaches ${f}`);
  assert.ok(reached.has('crmlens_pool.js') && reached.has('pool-api.js'), 'pool-entry.js loads the pool glue and pool-api.js');
  // The plain worker still has customerProfiles, rules and prediction.
  assert.ok(walk('worker-entry.js').seen.has('profiles.js'));
});
