// End-to-end test of the Predict view: load Telco churn through the Data view's file input,
// train a logistic model on Churn in the worker (which fetches the lazily loaded `predict`
// wasm itself, same origin), check the grade, the out-of-fold AUC, the ROC / lift /
// calibration charts, the confusion matrix, importance, the scored list sorted by risk with
// its factors and the exported CSV (the package's CSV writer: BOM, one line per customer);
// then the transaction flow on the CDNOW order log (propensity to buy in the next 273 days).
// No request leaves the page's origin.
//
// Run from the repository root: node --test tests/e2e/predict.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameOriginGets, useDemo } from './_chromium.mjs';

const TELCO = fileURLToPath(new URL('../../../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv', import.meta.url));
const CDNOW = fileURLToPath(new URL('../../../shared/data/cdnow_lifetimes/CDNOW_master.txt', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));

const demo = useDemo({ context: { acceptDownloads: true } });
const { page, requests, pageErrors } = demo;

async function load(file, name) {
  await page.locator('nav a', { hasText: 'Data' }).click();
  await page.locator('[data-testid=file-input]').setInputFiles(file);
  await page.locator('[data-testid=summary] h2', { hasText: name }).waitFor({ timeout: 60_000 });
  await page.locator('nav a', { hasText: 'Predict' }).click();
  await page.locator('[data-testid=run-predict]').waitFor();
}

test('Telco churn, logistic: grade, AUC >= 0.845, charts, confusion, importance, risk list and export', async () => {
  await load(TELCO, 'WA_Fn-UseC_-Telco-Customer-Churn.csv');
  assert.equal(await page.locator('#pred-target').inputValue(), 'Churn', 'the target is guessed from the column name');
  await page.locator('#pred-positive').fill('Yes');
  await page.locator('#pred-model').selectOption('logistic');
  await page.locator('#pred-folds').selectOption('5');
  await page.locator('[data-testid=run-predict]').click();
  await page.locator('[data-testid=pred-summary]').waitFor({ timeout: 180_000 });
  const aucText = await page.locator('[data-testid=pred-auc] dd').textContent();
  assert.ok(Number(aucText) >= 0.845, `AUC ${aucText}`);
  assert.match(await page.locator('[data-testid=pred-grade]').textContent(), /^Grade [ABC]$/);
  assert.ok((await page.locator('[data-testid=pred-explanation]').textContent()).length > 20);
  // Charts: polylines with points (ROC has many).
  for (const id of ['pred-roc', 'pred-lift', 'pred-calibration']) {
    const pts = await page.locator(`[data-testid=${id}] polyline`).first().getAttribute('points');
    assert.ok(pts.split(' ').length >= 5, `${id}: ${pts}`);
  }
  const cells = await page.locator('[data-testid=pred-confusion] td').allTextContents();
  const counts = cells.map((t) => Number(t.replace(/,/g, '')));
  assert.equal(counts.reduce((a, b) => a + b, 0), 7043);
  assert.equal(counts[0] + counts[1], 1869, 'churners: true positives + false negatives');
  const importance = await page.locator('[data-testid=pred-importance-chart] text').allTextContents();
  assert.ok(importance.includes('tenure') || importance.includes('Contract'), importance.join());
  assert.match(await page.locator('[data-testid=pred-importance]').textContent(), /customerID not used: .*identifier/);
  // The list: 100 rows by decreasing probability, each with its top factors.
  const rows = page.locator('[data-testid=pred-row]');
  assert.equal(await rows.count(), 100);
  const probs = (await page.locator('[data-testid=pred-row] td.num').allTextContents()).map((t) => Number(t.replace('%', '')));
  for (let i = 1; i < probs.length; i++) assert.ok(probs[i - 1] >= probs[i], 'sorted by risk');
  assert.match(await rows.first().textContent(), /=.*\([+-]/);
  // Export: the package's CSV writer (BOM), one line per customer.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-predictions]').click()]);
  assert.match(download.suggestedFilename(), /^predictions_[a-z0-9-]+_\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync(await download.path(), 'utf8');
  assert.ok(text.startsWith('\uFEFF'), 'BOM');
  const lines = text.slice(1).trim().split(/\r?\n/);
  assert.equal(lines.length, 7044);
  assert.match(lines[0], /^customerID,probability,label,baseValue,factor1,factor1Value,factor1Contribution/);
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUT_DIR, 'predict.png'), fullPage: true });
});

test('the transaction flow: CDNOW orders → propensity to buy in the next 273 days', async () => {
  await load(CDNOW, 'CDNOW_master.txt');
  await page.locator('#pred-mode').selectOption('orders');
  await page.locator('#pred-customer').selectOption('customer_id');
  await page.locator('#pred-date').selectOption('date');
  await page.locator('#pred-amount').selectOption('dollar_value');
  await page.locator('#pred-cutoff').fill('1997-09-30');
  await page.locator('#pred-horizon').fill('273');
  await page.locator('#pred-model').selectOption('logistic');
  await page.locator('[data-testid=run-predict]').click();
  await page.locator('[data-testid=pred-summary]').waitFor({ timeout: 180_000 });
  assert.match(await page.locator('[data-testid=pred-tx-report]').textContent(), /23,570 customers as of 1997-09-30.*1998-06-30 \(273 days\)/);
  assert.ok(Number(await page.locator('[data-testid=pred-auc] dd').textContent()) > 0.75);
  assert.equal(await page.locator('[data-testid=pred-row]').count(), 100);
});

test('no request left the origin; the predict wasm was fetched once; no page errors', () => {
  assertSameOriginGets(requests, demo.origin);
  assert.equal(requests.filter((r) => r.url.endsWith('/crmlens_predict_bg.wasm')).length, 1);
  assert.deepEqual(pageErrors.map((e) => e.message), []);
});
