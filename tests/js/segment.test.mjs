// segment(dataset, options) from the built package in Node: the public result shape and
// option names, the known Mall solution, the automatic k, errors, memory, and bit-for-bit
// agreement with the native build (tests/fixtures/segment/determinism.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Dataset, segment, initSync } from '../../pkg/node.js';
import { assertCrmlensError, readData } from './_util.mjs';

const fixture = (name) => readFileSync(new URL(`../fixtures/segment/${name}`, import.meta.url));
const MALL = readData('mall_customers/Mall_Customers.csv');
const INCOME_SPENDING = ['annual_income_thousands', 'spending_score'];

const bits = (x) => {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0).toString(16).padStart(16, '0');
};

test('Mall, income and spending score, k = 5: the known sizes, typed arrays, described segments', () => {
  const ds = Dataset.fromCsv(MALL);
  const r = segment(ds, { columns: INCOME_SPENDING, k: 5, seed: 42, nInit: 10, maxIter: 300, tol: 1e-4, scaling: 'standard', missing: 'impute', algorithm: 'kmeans' });
  assert.deepEqual(r.segments.map((s) => s.size), [81, 39, 35, 23, 22]);
  assert.ok(r.labels instanceof Int32Array);
  assert.equal(r.labels.length, 200);
  assert.ok(r.projection instanceof Float64Array);
  assert.equal(r.projection.length, 400);
  assert.equal(r.k, 5);
  assert.equal(r.centroids.length, 5);
  assert.ok(r.centroids.every((c) => c instanceof Float64Array && c.length === 2));
  assert.deepEqual(r.centroidColumns, INCOME_SPENDING);
  // Centroids in original units = the mean of each segment's rows.
  const income = ds.column('annual_income_thousands');
  for (const s of r.segments) {
    let sum = 0, n = 0;
    r.labels.forEach((l, i) => { if (l === s.id) { sum += income[i]; n++; } });
    assert.equal(n, s.size);
    assert.ok(Math.abs(r.centroids[s.id][0] - sum / n) < 1e-9);
    assert.equal(typeof s.description, 'string');
    assert.ok(Math.abs(s.share - s.size / 200) < 1e-12);
    assert.deepEqual(s.features.map((f) => f.column), INCOME_SPENDING);
  }
  for (const key of ['inertia', 'silhouette', 'daviesBouldin', 'calinskiHarabasz']) assert.equal(typeof r[key], 'number', key);
  assert.ok(Math.abs(r.silhouette - 0.5546571631111091) < 1e-9, 'scikit-learn silhouette of the same partition');
  assert.deepEqual(r.kScores.map((s) => s.k), [5]);
  assert.ok(r.segments.some((s) => /high annual income/.test(s.description) && /low spending score/.test(s.description)));
  ds.free();
});

test('k "auto" over kRange picks 5 on Mall and says why', () => {
  const ds = Dataset.fromCsv(MALL);
  const r = segment(ds, { columns: INCOME_SPENDING, k: 'auto', kRange: [2, 8] });
  assert.equal(r.k, 5);
  assert.deepEqual(r.kScores.map((s) => s.k), [2, 3, 4, 5, 6, 7, 8]);
  assert.match(r.kChoice, /^k = 5: the highest silhouette/);
  ds.free();
});

test('native and wasm give the same labels, inertia, silhouette and projection bits', () => {
  const recorded = JSON.parse(fixture('determinism.json'));
  for (const [name, c] of Object.entries(recorded)) {
    const ds = Dataset.fromCsv(fixture(c.file));
    const r = segment(ds, JSON.parse(c.options));
    assert.deepEqual(Array.from(r.labels), c.labels, `${name} labels`);
    assert.equal(r.k, c.k);
    assert.equal(bits(r.inertia), c.inertia, `${name} inertia`);
    assert.equal(bits(r.silhouette), c.silhouette, `${name} silhouette`);
    assert.deepEqual(Array.from(r.projection.subarray(0, c.projection.length), bits), c.projection, `${name} projection`);
    ds.free();
  }
});

test('bad options and columns are CrmlensErrors naming the problem', () => {
  const ds = Dataset.fromCsv(MALL);
  assertCrmlensError(() => segment(ds, { nInits: 3 }), 'INVALID_OPTION', { field: 'nInits' });
  assertCrmlensError(() => segment(ds, { k: 'many' }), 'INVALID_OPTION', { field: 'k' });
  assertCrmlensError(() => segment(ds, { kRange: [1, 4] }), 'INVALID_OPTION', { field: 'kRange' });
  assertCrmlensError(() => segment(ds, { scaling: 'minmax' }), 'INVALID_OPTION', { field: 'scaling' });
  assertCrmlensError(() => segment(ds, { columns: ['nope'] }), 'UNKNOWN_COLUMN', { field: 'nope' });
  // Above the stated maximum of 100 segments (issue 19): TOO_LARGE naming k, before the rows are counted.
  assertCrmlensError(() => segment(ds, { k: 500 }), 'TOO_LARGE', { field: 'k' });
  assertCrmlensError(() => segment(ds, 'k=5'), 'INVALID_OPTION');
  // The instance still works.
  assert.equal(segment(ds, { columns: INCOME_SPENDING, k: 5 }).segments[0].size, 81);
  ds.free();
});

test('missing "drop": dropped rows are labelled -1 and counted', () => {
  const ds = Dataset.fromCsv(fixture('mixed.csv'));
  const r = segment(ds, { k: 3, missing: 'drop', nInit: 2 });
  const dropped = Array.from(r.labels).filter((l) => l === -1).length;
  assert.ok(dropped > 0);
  assert.equal(r.preparation.rowsDropped, dropped);
  assert.equal(r.preparation.rowsUsed + dropped, ds.numRows);
  assert.deepEqual(r.preparation.categoricalColumns, ['plan', 'region']);
  const imputed = segment(ds, { k: 3, nInit: 2 });
  assert.equal(imputed.preparation.rowsDropped, 0);
  assert.deepEqual(imputed.preparation.imputed.map((c) => c.column), ['spend', 'visits', 'tenure', 'plan']);
  ds.free();
});

test('30 segment calls do not grow WebAssembly memory after warm-up', () => {
  const memory = initSync().memory;
  const ds = Dataset.fromCsv(fixture('mixed.csv'));
  for (let i = 0; i < 3; i++) segment(ds, { k: 4, nInit: 2 });
  const before = memory.buffer.byteLength;
  for (let i = 0; i < 30; i++) segment(ds, { k: 4, nInit: 2, seed: i });
  assert.equal(memory.buffer.byteLength, before);
  ds.free();
});

test('options are optional: defaults pick the columns and k', () => {
  const ds = Dataset.fromCsv(fixture('mixed.csv'));
  const r = segment(ds);
  assert.equal(r.algorithm, 'kmeans');
  assert.ok(r.k >= 2 && r.k <= 10);
  assert.deepEqual(r.kScores.map((s) => s.k), [2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(r.preparation.excluded.map((c) => c.column), ['customer']);
  assert.equal(r.seed, 42);
  ds.free();
});
