// CrmlensPool in headless Chromium: the wasm compiled once on the page and posted to plain
// module Workers; real files loaded in 2 and 3 workers give the rows, issues and profile of
// one Dataset on the page; customerValue over shards gives the same model; terminate stops
// the workers; nothing leaves the origin.
//
// Run from the repository root: node --test tests/e2e/pool.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertSameOriginGets, openDemo } from './_chromium.mjs';

const data = (rel) => readFileSync(new URL(`../../../shared/data/${rel}`, import.meta.url), 'latin1');
const TELCO = data('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv');
const CDNOW = data('cdnow_lifetimes/CDNOW_master.txt');

let demo;
before(async () => { demo = await openDemo(); });
after(() => demo?.close());

test('CrmlensPool in Chromium: sharded load, profile and customerValue equal one Dataset', async () => {
  const { page, requests, origin, pageErrors } = demo;
  const before = requests.length; // the demo's own loads (its session worker fetches the wasm too)
  const out = await page.evaluate(async ({ telco, cdnow }) => {
    const crm = await import('/pkg/index.js');
    await crm.start?.();
    const { CrmlensPool } = await import('/pkg/worker.js');
    // Numbers within 1e-9 relative (sums merged in another order); typed arrays as arrays.
    const close = (a, b) => {
      if (ArrayBuffer.isView(a)) a = Array.from(a);
      if (ArrayBuffer.isView(b)) b = Array.from(b);
      if (typeof a === 'number' && typeof b === 'number') return (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
      if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => close(x, b[i]));
      if (a && typeof a === 'object') return b && typeof b === 'object' && JSON.stringify(Object.keys(a)) === JSON.stringify(Object.keys(b)) && Object.keys(a).every((k) => close(a[k], b[k]));
      return a === b;
    };
    const checks = {};
    const bytes = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    const whole = crm.Dataset.fromCsv(bytes(telco));
    const want = whole.profile();
    want.dataset.memoryBytes = 0;
    for (const n of [2, 3]) {
      const pool = new CrmlensPool({ workers: n });
      const progress = [];
      const ds = await pool.fromFile(new Blob([bytes(telco)], { type: 'text/csv' }), { minShardBytes: 0, onProgress: (p) => progress.push(p.bytesRead) });
      checks[`shards${n}`] = ds.numShards === n;
      checks[`progress${n}`] = progress.length >= n && progress.at(-1) === telco.length;
      checks[`rows${n}`] = ds.numRows === whole.numRows && close(await ds.rows(0, 20), whole.rows(0, 20))
        && close(await ds.rows(ds.shards[1].start - 2, 4), whole.rows(ds.shards[1].start - 2, 4));
      checks[`columns${n}`] = close(ds.columns().map((c) => [c.name, c.type, c.nullCount]), whole.columns().map((c) => [c.name, c.type, c.nullCount]));
      const got = await ds.profile();
      got.dataset.memoryBytes = 0;
      checks[`profile${n}`] = close(got, want);
      if (n === 2) {
        const tx = crm.Dataset.fromCsv(bytes(cdnow));
        const opts = { customer: 'customer_id', date: 'date', amount: 'dollar_value' };
        const v1 = crm.customerValue(tx, opts);
        const sharded = await pool.fromFile(new Blob([bytes(cdnow)]), { minShardBytes: 0 });
        const v2 = await pool.customerValue(sharded, opts);
        delete v1.model.timings; delete v2.model.timings;
        checks.customerValue = sharded.numShards === 2 && close(v2.model, v1.model) && v2.customers.numRows === v1.customers.numRows
          && close(await v2.customers.rows(100, 5), v1.customers.rows(100, 5));
        const ac = new AbortController();
        ac.abort();
        checks.abort = await pool.fromFile(new Blob([bytes(cdnow)]), { minShardBytes: 0, signal: ac.signal }).then(() => 'loaded', (e) => e.code);
      }
      pool.terminate();
      checks[`terminated${n}`] = await ds.rows(0, 1).then(() => 'answered', (e) => e.code);
    }
    return checks;
  }, { telco: TELCO, cdnow: CDNOW });
  assert.deepEqual(out, {
    shards2: true, progress2: true, rows2: true, columns2: true, profile2: true, customerValue: true, abort: 'ABORTED', terminated2: 'INVALID_STATE',
    shards3: true, progress3: true, rows3: true, columns3: true, profile3: true, terminated3: 'INVALID_STATE',
  });
  assert.deepEqual(pageErrors, []);
  assertSameOriginGets(requests, origin);
  // The pool's own wasm (crmlens_pool_bg.wasm, the core with the shard ops) was fetched
  // once per pool, not once per worker (2 + 3 workers): compiled once, the
  // WebAssembly.Module posted to the workers; the workers never fetch the core's wasm.
  const got = requests.slice(before);
  const poolWasm = got.filter((r) => r.url.endsWith('/crmlens_pool_bg.wasm'));
  assert.equal(poolWasm.length, 2, `crmlens_pool_bg.wasm fetched ${poolWasm.length} times (once per pool)`);
  // The core's: at most the page's import and the demo's own worker warming up meanwhile.
  const coreWasm = got.filter((r) => r.url.endsWith('/crmlens_bg.wasm'));
  assert.ok(coreWasm.length <= 2, `crmlens_bg.wasm fetched ${coreWasm.length} times`);
});
