// customerValue (holdout grade, order lines, cancellations) and customerProfiles through the
// built package in Node, on the real files in ../shared/data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readData, parseCsv } from './_util.mjs';

const { Dataset, customerValue, customerProfiles, joinCustomers } = await import('../../pkg/node.js');

const fixture = Object.fromEntries(
  readFileSync(new URL('../fixtures/value/cdnow_holdout_reference.csv', import.meta.url), 'utf8')
    .trim().split('\n').slice(1).map((l) => l.split(',')),
);

test('holdout grade on CDNOW master agrees with lifetimes and follows its rules', () => {
  const ds = Dataset.fromCsv(readData('cdnow_lifetimes/CDNOW_master.txt'));
  const v = customerValue(ds, {
    customer: 'customer_id', date: 'date', amount: 'dollar_value',
    calibrationEnd: '1997-09-30', observationEnd: '1998-06-30',
  });
  const q = v.model.quality;
  assert.equal(q.customers, Number(fixture.customers));
  assert.equal(q.actualPurchases, Number(fixture.actual_total));
  assert.ok(Math.abs(q.predictedPurchases / Number(fixture.predicted_total) - 1) < 1e-4);
  assert.ok(Math.abs(q.mae / Number(fixture.mae) - 1) < 1e-4);
  const ratio = q.mae / q.baselineMae;
  const want = ratio <= 0.8 && Math.abs(q.aggregateError) <= 0.1 ? 'A'
    : ratio <= 1 && Math.abs(q.aggregateError) <= 0.25 ? 'B' : 'C';
  assert.equal(q.grade, want);
  assert.match(q.explanation, new RegExp(`^Grade ${want}`));
  const actual = v.customers.column('holdoutPurchases');
  assert.ok(actual instanceof Float64Array);
  assert.equal(actual.reduce((a, b) => a + b, 0), q.actualPurchases);
  // The BG/NBD contract: parameters plus fit facts on model.bgNbd.
  for (const k of ['r', 'alpha', 'a', 'b', 'logLikelihood', 'converged', 'iterations']) assert.ok(k in v.model.bgNbd, k);
  // Timings from performance.now(): each step measured, the parts within the total.
  const t = v.model.timings;
  const parts = ['summary', 'bgNbd', 'gammaGamma', 'rfm', 'predictions', 'table'].map((k) => t[k]);
  assert.ok(t.total > 0 && parts.every((p) => p >= 0), JSON.stringify(t));
  assert.ok(parts.reduce((a, b) => a + b, 0) <= t.total + 1e-6, JSON.stringify(t));
  v.customers.free();
  ds.free();
});

test('online retail order lines: cancellations and missing customer ids are counted', () => {
  const bytes = readData('online_retail_uci_first5000/online_retail_small.csv');
  const rows = parseCsv(bytes.toString('latin1'));
  const h = rows[0];
  const [inv, cid] = [h.indexOf('InvoiceNo'), h.indexOf('CustomerID')];
  const body = rows.slice(1);
  const cancelled = body.filter((r) => /^c/i.test(r[inv])).length;
  const noId = body.filter((r) => !/^c/i.test(r[inv]) && r[cid] === '').length;
  const ids = new Set(body.filter((r) => !/^c/i.test(r[inv]) && r[cid] !== '').map((r) => r[cid]));
  const ds = Dataset.fromCsv(bytes);
  const v = customerValue(ds, {
    customer: 'CustomerID', date: 'InvoiceDate', quantity: 'Quantity', price: 'UnitPrice', invoice: 'InvoiceNo',
  });
  assert.equal(v.model.rows.rows, body.length);
  assert.equal(v.model.rows.cancelled, cancelled);
  assert.equal(v.model.rows.missingCustomer, noId);
  assert.equal(v.customers.numRows, ids.size);

  // customerProfiles: join a per-customer attribute table (country, from the same export).
  const firstCountry = new Map();
  for (const r of body) if (r[cid] !== '' && !firstCountry.has(r[cid])) firstCountry.set(r[cid], r[h.indexOf('Country')]);
  const attrCsv = 'CustomerID,Country\n' + [...firstCountry].map(([k, c]) => `${k},${c}`).join('\n') + '\n99999,Atlantis\n';
  const attrs = Dataset.fromCsv(attrCsv);
  const { profiles, joins } = customerProfiles(v, { attributes: attrs });
  assert.equal(profiles.numRows, v.customers.numRows);
  assert.ok(profiles.columns().some((c) => c.name === 'Country'));
  const [j] = joins;
  assert.equal(j.table, 'attributes');
  assert.equal(j.matched, ids.size);
  assert.equal(j.unmatchedRows, 1 + [...firstCountry.keys()].filter((k) => !ids.has(k)).length);
  assert.ok(j.unmatchedRowExamples.includes('99999'));
  const row = profiles.rows(0, 1)[0];
  assert.equal(row.Country, firstCountry.get(String(row.CustomerID)));
  // extra tables, with their own key, and errors naming the option.
  const seg = Dataset.fromCsv('id,tier\n17850,gold\n');
  const two = customerProfiles(v, { attributes: attrs, extra: [{ table: seg, key: 'id', prefix: 'seg_' }] });
  assert.equal(two.joins.length, 2);
  assert.equal(two.joins[1].matched, ids.has('17850') ? 1 : 0);
  assert.ok(two.profiles.columns().some((c) => c.name === 'seg_tier'));
  assert.throws(() => customerProfiles(v, { atributes: attrs }), (e) => e.name === 'CrmlensError' && e.code === 'INVALID_OPTION' && /atributes/.test(e.message));
  assert.throws(() => customerProfiles(v, { extra: [seg], attributesKey: 'x' }), (e) => e.code === 'INVALID_OPTION');
  assert.throws(() => joinCustomers(v.customers, seg, { otherKey: 'nope' }), (e) => e.code === 'INVALID_OPTION' && /nope/.test(e.message));
  // With nothing to join, the profile is a copy of the value table (free both independently).
  const alone = customerProfiles(v);
  assert.equal(alone.profiles.numRows, v.customers.numRows);
  alone.profiles.free();
  assert.equal(v.customers.numRows, ids.size);
  for (const d of [two.profiles, seg, profiles, attrs, v.customers, ds]) d.free();
});
