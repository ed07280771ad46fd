// End-to-end test of the Customer value view: load the CDNOW transaction log through the
// Data view's file input, compute customer value in the worker, check what is shown, and
// that no request leaves the page's origin.
//
// Run from the repository root: node --test tests/e2e/value.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameOriginGets, openDemo } from './_chromium.mjs';

const CDNOW = fileURLToPath(new URL('../../../shared/data/cdnow_lifetimes/CDNOW_master.txt', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));

let demo;
let origin;
let page;
let requests;
let pageErrors;

before(async () => {
  demo = await openDemo();
  ({ origin, page, requests, pageErrors } = demo);
});

after(() => demo?.close());

test('CDNOW master: segments, top customers, cohorts and export in the Customer value view', async () => {
  await page.locator('[data-testid=file-input]').setInputFiles(CDNOW);
  await page.locator('[data-testid=summary] h2', { hasText: 'CDNOW_master.txt' }).waitFor({ timeout: 30_000 });
  await page.locator('nav a', { hasText: 'Customer value' }).click();
  // The columns are guessed from types and roles.
  assert.equal(await page.locator('#cv-customer').inputValue(), 'customer_id');
  assert.equal(await page.locator('#cv-date').inputValue(), 'date');
  assert.equal(await page.locator('#cv-amount').inputValue(), 'dollar_value');
  await page.locator('[data-testid=compute]').click();
  await page.locator('[data-testid=customers] dd').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=customers] dd').textContent(), '23,570'); // MANIFEST
  const segments = page.locator('[data-testid=segments] tbody tr');
  assert.equal(await segments.count(), 11);
  const sizes = await segments.locator('td:nth-child(2)').allTextContents();
  assert.equal(sizes.reduce((s, t) => s + Number(t.replace(/,/g, '')), 0), 23_570);
  assert.equal(await page.locator('[data-testid=top-customers] tbody tr').count(), 20);
  const cohorts = await page.locator('[data-testid=cohorts] tbody tr td:first-child').allTextContents();
  assert.deepEqual(cohorts, ['Jan 1997', 'Feb 1997', 'Mar 1997']); // months as months (en-US)
  assert.match(await page.locator('[data-testid=export]').getAttribute('href'), /^blob:/);
  // CLV distribution: 20 bins + the top 1%, holding every customer.
  const bars = page.locator('[data-testid=clv-distribution] rect');
  assert.equal(await bars.count(), 21);
  const counts = (await bars.locator('title').allTextContents()).map((t) => Number(t.match(/: (\d+) customers/)[1]));
  assert.equal(counts.reduce((a, b) => a + b, 0), 23_570);
  // P(alive) heatmap: 7 frequency buckets × 8 recency buckets; one-time buyers are alive (1.00).
  const heatRows = page.locator('[data-testid=alive-heatmap] tbody tr');
  assert.equal(await heatRows.count(), 7);
  assert.equal((await heatRows.first().locator('td').first().textContent()).trim(), '100%');
  assert.equal(await page.locator('[data-testid=quality]').count(), 0);
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUT_DIR, 'value.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('holdout period: the model is graded against the naive baseline', async () => {
  await page.locator('.more-options summary').click();
  await page.locator('#cv-calibrationEnd').fill('1997-09-30');
  await page.locator('#cv-observationEnd').fill('1998-06-30');
  await page.locator('[data-testid=compute]').click();
  await page.locator('[data-testid=grade] dd').waitFor({ timeout: 60_000 });
  // lifetimes on the same split (tests/fixtures/value/cdnow_holdout_reference.csv): 19,684 actual
  // holdout purchases; the grade text carries the numbers behind the letter.
  const grade = (await page.locator('[data-testid=grade] dd').textContent()).trim();
  assert.match(grade, /^[ABC]$/);
  const why = await page.locator('[data-testid=grade-explanation]').textContent();
  assert.match(why, new RegExp(`^Grade ${grade}: .* vs 19684 actual`));
  assert.match(await page.locator('[data-testid=rows-report]').textContent(), /after the calibration end [1-9]/);
  await page.screenshot({ path: join(OUT_DIR, 'value-holdout.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('CrmlensWorker: customerValue then customerProfiles with an attribute table, by handle', async () => {
  const out = await page.evaluate(async () => {
    const { CrmlensWorker } = await import('/pkg/worker.js');
    const w = new CrmlensWorker();
    try {
      const orders = await w.load('cust,day,amount\nA,2024-01-02,10\nA,2024-02-03,12\nB,2024-01-05,7\nC,2024-03-01,3\n');
      const attrs = await w.load('id,city\nB,Oslo\nA,Lima\nZ,Rome\n');
      const v = await w.customerValue(orders.handle, { customer: 'cust', date: 'day', amount: 'amount' });
      const p = await w.customerProfiles(v.customers.handle, { attributes: attrs.handle, attributesKey: 'id' });
      const rows = await w.rows(p.profiles.handle, 0, 10);
      return { rows: rows.map((r) => [r.cust, r.city]), join: p.joins[0] };
    } finally {
      w.terminate();
    }
  });
  assert.deepEqual(out.rows, [['A', 'Lima'], ['B', 'Oslo'], ['C', null]]);
  assert.equal(out.join.matched, 2);
  assert.equal(out.join.unmatchedCustomers, 1);
  assert.deepEqual(out.join.unmatchedRowExamples, ['Z']);
});

test('every request is a same-origin GET without a body', () => {
  assertSameOriginGets(requests, origin);
});
