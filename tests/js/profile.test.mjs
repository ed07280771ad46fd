// dataset.profile() from the built package in Node, on real files, against the pandas
// reference figures in tests/fixtures/profile (scripts/reference/profile_pandas_reference.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Dataset } from '../../pkg/node.js';
import { assertCrmlensError, readData } from './_util.mjs';

const fixture = (name) => JSON.parse(readFileSync(new URL(`../fixtures/profile/${name}.json`, import.meta.url), 'utf8'));
const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b)), `${what}: ${a} vs ${b}`);

test('telco profile matches the pandas reference through the JS API', () => {
  const ds = Dataset.fromCsv(readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv'));
  const rep = ds.profile();
  const ref = fixture('telco');
  assert.equal(rep.dataset.rows, ref.rows);
  assert.equal(rep.dataset.duplicateRows, ref.duplicate_rows);
  assert.equal(rep.dataset.missingCells, ref.missing_cells);
  assert.equal(rep.dataset.alerts, rep.alerts.length);
  for (const rc of ref.column_profiles) {
    const c = rep.columns.find((x) => x.name === rc.name);
    assert.equal(c.count, rc.count, rc.name);
    assert.equal(c.missing, rc.missing, rc.name);
    assert.equal(c.distinct, rc.distinct, rc.name);
    if (rc.kind === 'numeric') {
      close(c.numeric.mean, rc.mean, 1e-9, `${rc.name} mean`);
      close(c.numeric.std, rc.std, 1e-9, `${rc.name} std`);
      close(c.numeric.skewness, rc.skewness, 1e-8, `${rc.name} skewness`);
      assert.ok(c.quantiles.values instanceof Float64Array);
      assert.equal(c.quantiles.values.length, 99);
      c.quantiles.values.forEach((v, i) => close(v, rc.quantiles[i + 1], 1e-9, `${rc.name} p${i + 1}`));
      assert.ok(c.histogram.counts instanceof Float64Array && c.histogram.edges instanceof Float64Array);
      assert.deepEqual(Array.from(c.histogram.counts), rc.histogram);
      assert.equal(c.histogram.edges.length, 21);
    }
  }
  const tc = rep.columns.find((c) => c.name === 'TotalCharges');
  assert.equal(tc.type, 'float64');
  assert.equal(tc.role, 'money');
  assert.equal(tc.missingTokens.reduce((s, [, n]) => s + n, 0), tc.missing);
  const cid = rep.columns.find((c) => c.name === 'customerID');
  assert.equal(cid.text.shapes[0].value, '9999-A');
  assert.ok(rep.alerts.some((a) => a.kind === 'unique' && a.column === 'customerID' && a.severity === 'info'));
  const names = rep.correlations.numericColumns;
  const p = rep.correlations.pearson;
  assert.ok(p instanceof Float64Array);
  assert.equal(p.length, names.length * names.length);
  const i = names.indexOf('tenure'), j = names.indexOf('TotalCharges');
  const refPair = ref.pearson.find(([a, b]) => a === 'tenure' && b === 'TotalCharges');
  close(p[i * names.length + j], refPair[2], 1e-9, 'pearson tenure/TotalCharges');
  assert.ok(rep.correlations.strongest.length > 0);
  ds.free();
});

test('profile options: unknown keys and bad values are errors naming the option', () => {
  const ds = Dataset.fromCsv('a,b\n1,x\n2,y\n3,x\n');
  assertCrmlensError(() => ds.profile({ topk: 3 }), 'INVALID_OPTION', { field: 'topk' });
  assertCrmlensError(() => ds.profile({ bins: 0 }), 'INVALID_OPTION', { field: 'bins' });
  assertCrmlensError(() => ds.profile({ bins: 'ten' }), 'INVALID_OPTION', { field: 'bins' });
  const rep = ds.profile({ topK: 1, bins: 2, correlations: false });
  assert.equal(rep.columns[1].top.length, 1);
  assert.deepEqual(Array.from(rep.columns[0].histogram.counts), [1, 2]);
  assert.equal(rep.correlations.pearson.length, 0);
  ds.free();
  assertCrmlensError(() => ds.profile(), 'INVALID_STATE');
});

test('profile of hostile and personal values: reported as plain strings, PII flagged', () => {
  const csv = 'name,email,note\n' +
    'Ann,ann@example.com,"<img src=x onerror=alert(1)>"\n' +
    'Bob,bob@example.org,"=HYPERLINK(""http://x"",""y"")"\n' +
    ' beijing,carl@example.net,call 13812345678\n' +
    'Beijing,dora@example.com,ok\n';
  const ds = Dataset.fromCsv(csv);
  const rep = ds.profile();
  const col = (n) => rep.columns.find((c) => c.name === n);
  assert.ok(col('note').top.some((t) => t.value === '<img src=x onerror=alert(1)>'));
  assert.deepEqual(col('email').text.pii, [{ kind: 'email', count: 4 }]);
  assert.ok(rep.alerts.some((a) => a.kind === 'pii' && a.column === 'email' && a.severity === 'high'));
  assert.ok(rep.alerts.some((a) => a.kind === 'whitespace' && a.column === 'name'));
  assert.deepEqual(col('name').text.caseVariants, [[' beijing', 'Beijing']]);
  assert.deepEqual(col('note').text.pii, [{ kind: 'phone', count: 1 }]);
  ds.free();
});
