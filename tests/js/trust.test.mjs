// Issue 19 through the built package in Node: the fuzz findings that trapped, hung or returned
// nonsense in the wasm build come back as CrmlensError (TOO_LARGE / INVALID_OPTION naming the
// option) or as honest results, and the instance keeps working afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readData } from './_util.mjs';

const { Dataset, associationRules, customerValue, segment } = await import('../../pkg/node.js');

function rejects(fn, code, field) {
  assert.throws(fn, (e) => {
    assert.equal(e.name, 'CrmlensError', `${e.name}: ${e.message}`);
    assert.equal(e.code, code, e.message);
    if (field) assert.equal(e.field, field, e.message);
    return true;
  });
}

test('segment: k = 2^32, 2^32 + 5 and 2^53 are TOO_LARGE, never wrapped (findings 14 and the one-customer trap)', () => {
  const ds = Dataset.fromCsv('x,y\n1,2\n3,4\n5,6\n7,8\n9,1\n2,2\n', { header: true });
  for (const k of [2 ** 32, 2 ** 32 + 5, 2 ** 53]) rejects(() => segment(ds, { k }), 'TOO_LARGE', 'k');
  const one = Dataset.fromCsv('customer,spend,visits\nc1,12.5,3\n', { header: true });
  rejects(() => segment(one, { k: 9007199254740992, missing: 'drop', maxIter: 3 }), 'TOO_LARGE', 'k');
  rejects(() => segment(ds, { k: 3, nInit: 1e6 }), 'TOO_LARGE', 'nInit');
  rejects(() => segment(ds, { kRange: [2, 1e6] }), 'TOO_LARGE', 'kRange');
  // The instance still works.
  assert.equal(segment(ds, { k: 2 }).k, 2);
  ds.free();
  one.free();
});

test('segment: more than 512 encoded columns is TOO_LARGE, not a capacity-overflow trap (finding 09)', () => {
  const p = 16385;
  const head = Array.from({ length: p }, (_, i) => `c${i}`).join(',');
  const rows = [0, 1, 2, 3].map((r) => Array.from({ length: p }, (_, i) => (i % 3) + (r % 2) + 10).join(','));
  const ds = Dataset.fromCsv(`${head}\n${rows.join('\n')}\n`, { header: true });
  rejects(() => segment(ds, { k: 2 }), 'TOO_LARGE', 'columns');
  ds.free();
});

test('associationRules: one 15-item basket and the 4 KB Telco slice are TOO_LARGE at once (findings 06, 13)', () => {
  const basket = Dataset.fromCsv('t,i\n' + Array.from({ length: 15 }, (_, k) => `1,item${k}`).join('\n') + '\n', { header: true });
  const t0 = performance.now();
  assert.throws(() => associationRules(basket, { transaction: 't', item: 'i' }), (e) => e.code === 'TOO_LARGE');
  const b = readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv');
  const cut = b.subarray(0, 4096);
  const telco = Dataset.fromCsv(cut.subarray(0, cut.lastIndexOf(10) + 1));
  assert.throws(() => associationRules(telco, { transaction: 'InternetService', item: 'TotalCharges' }), (e) => e.code === 'TOO_LARGE');
  assert.ok(performance.now() - t0 < 30_000);
  const r = associationRules(basket, { transaction: 't', item: 'i', maxLen: 2 });
  assert.equal(r.rules.length, 210);
  basket.free();
  telco.free();
});

test("customerValue on the demo's sample data withholds predictions and says why", () => {
  const ds = Dataset.fromCsv(readFileSync(new URL('../../www/sample/online_retail_sample.csv', import.meta.url)));
  const v = customerValue(ds, { customer: 'CustomerID', date: 'InvoiceDate', quantity: 'Quantity', price: 'UnitPrice', invoice: 'InvoiceNo' });
  const codes = v.model.warnings.map((w) => w.code);
  for (const c of ['NO_REPEAT_CUSTOMERS', 'SHORT_SPAN', 'FEW_CUSTOMERS']) assert.ok(codes.includes(c), codes.join());
  assert.equal(v.model.predictionsAvailable, false);
  assert.ok(v.model.warnings.every((w) => typeof w.message === 'string' && w.message.length > 20));
  v.customers.free();
  rejects(() => customerValue(ds, { customer: 'CustomerID', date: 'InvoiceDate', horizon: 1e6 }), 'TOO_LARGE', 'horizon');
  ds.free();
});
