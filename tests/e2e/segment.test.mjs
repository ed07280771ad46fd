// End-to-end test of the Segments view: load Mall Customers through the Data view's file
// input, segment in the worker with the columns and k chosen in the form, check the cards,
// the scatter plot, the k chart and the exported label column, and that no request leaves
// the page's origin.
//
// Run from the repository root: node --test tests/e2e/segment.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameOriginGets, useDemo } from './_chromium.mjs';

const MALL = fileURLToPath(new URL('../../../shared/data/mall_customers/Mall_Customers.csv', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));

const demo = useDemo({
  context: { acceptDownloads: true },
  setup: async (page) => {
    await page.locator('[data-testid=file-input]').setInputFiles(MALL);
    await page.locator('[data-testid=summary] h2', { hasText: 'Mall_Customers.csv' }).waitFor({ timeout: 30_000 });
    await page.locator('nav a', { hasText: 'Segments' }).click();
    await page.locator('[data-testid=run-segment]').waitFor();
  },
});
const { page, requests, pageErrors } = demo;

test('income and spending score, k = 5: the known segments, scatter and exported labels', async () => {
  const boxes = page.locator('[data-testid=seg-columns] input[type=checkbox]');
  assert.deepEqual(await boxes.evaluateAll((els) => els.map((e) => e.value)), ['gender', 'age', 'annual_income_thousands', 'spending_score']);
  await page.locator('#seg-col-age').uncheck();
  await page.locator('#seg-col-gender').uncheck();
  await page.locator('#seg-k').selectOption('5');
  await page.locator('[data-testid=run-segment]').click();
  await page.locator('[data-testid=segment-card]').first().waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=seg-k] dd').textContent(), '5');
  const heads = await page.locator('[data-testid=segment-card] .card-head .muted').allTextContents();
  assert.deepEqual(heads.map((t) => Number(t.split(' ')[0])), [81, 39, 35, 23, 22]);
  const descriptions = await page.locator('[data-testid=segment-description]').allTextContents();
  assert.equal(descriptions[0], 'close to the overall average');
  assert.ok(descriptions.some((d) => /high annual income/.test(d) && /low spending score/.test(d)), descriptions.join(' | '));
  assert.equal(await page.locator('[data-testid=scatter-canvas]').getAttribute('data-points'), '200');
  // The plot is not blank: some pixels carry the first segment's colour.
  const painted = await page.locator('[data-testid=scatter-canvas]').evaluate((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
  assert.ok(painted > 200, `painted pixels: ${painted}`);
  assert.match(await page.locator('[data-testid=k-chart]').textContent(), /k = 5 was fixed/);
  // Exported labels: one line per customer, with the id column and the 1-based segment.
  const href = await page.locator('[data-testid=export-labels]').getAttribute('href');
  assert.match(href, /^blob:/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-labels]').click()]);
  assert.match(download.suggestedFilename(), /^segments_[a-z0-9-]+_\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync(await download.path(), 'utf8');
  // Written by the package's CSV writer (via the worker's toCsv): a UTF-8 BOM for Excel.
  assert.ok(text.startsWith('\uFEFF'), 'BOM');
  const csv = text.slice(1);
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], 'row,customer_id,segment');
  assert.equal(lines.length, 201);
  const counts = new Map();
  for (const l of lines.slice(1)) { const s = l.split(',')[2]; counts.set(s, (counts.get(s) ?? 0) + 1); }
  assert.deepEqual([...counts.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]), [81, 39, 35, 23, 22]);
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUT_DIR, 'segment.png'), fullPage: true });
});

test('k "auto" on every column: the k chart, gender in the descriptions', async () => {
  await page.locator('#seg-col-age').check();
  await page.locator('#seg-col-gender').check();
  await page.locator('#seg-k').selectOption('auto');
  await page.locator('[data-testid=run-segment]').click();
  await page.locator('[data-testid=k-chart-canvas]').waitFor({ timeout: 60_000 });
  const k = Number(await page.locator('[data-testid=seg-k] dd').textContent());
  assert.ok(k >= 2 && k <= 10);
  assert.match(await page.locator('[data-testid=k-choice]').textContent(), new RegExp(`^k = ${k}: the highest silhouette`));
  assert.equal(await page.locator('[data-testid=segment-card]').count(), k);
  const descriptions = await page.locator('[data-testid=segment-description]').allTextContents();
  assert.ok(descriptions.some((d) => /mostly (female|male)/.test(d)), descriptions.join(' | '));
  assert.ok(descriptions.some((d) => /older|younger/.test(d)), descriptions.join(' | '));
  await page.screenshot({ path: join(OUT_DIR, 'segment-auto.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

const TELCO = fileURLToPath(new URL('../../../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv', import.meta.url));

test('Telco on tenure and monthly charges: the churn rate per segment, beside the overall rate', async () => {
  const lines = readFileSync(TELCO, 'utf8').trim().split(/\r?\n/).slice(1);
  const churned = lines.filter((l) => l.endsWith(',Yes')).length;
  await page.locator('nav a', { hasText: 'Data' }).click();
  await page.locator('[data-testid=file-input]').setInputFiles(TELCO);
  await page.locator('[data-testid=summary] h2', { hasText: 'Telco' }).waitFor({ timeout: 30_000 });
  await page.locator('nav a', { hasText: 'Segments' }).click();
  await page.locator('[data-testid=run-segment]').waitFor();
  const names = await page.locator('[data-testid=seg-columns] input[type=checkbox]').evaluateAll((els) => els.map((e) => e.value));
  for (const n of names) await page.locator(`#seg-col-${n}`).setChecked(n === 'tenure' || n === 'MonthlyCharges');
  await page.locator('#seg-k').selectOption('4');
  await page.locator('[data-testid=run-segment]').click();
  await page.locator('[data-testid=segment-rate] [data-testid=rate-bars] rect').first().waitFor({ timeout: 60_000 });
  // The outcome column and its "yes" value are found by themselves (the loader types Yes / No as a boolean).
  assert.equal(await page.locator('[data-testid=rate-column]').inputValue(), 'Churn');
  assert.equal(await page.locator('[data-testid=rate-value]').inputValue(), 'true');
  const overall = page.locator('[data-testid=rate-overall]');
  assert.equal(await overall.getAttribute('data-hits'), String(churned));
  assert.match(await overall.textContent(), new RegExp(`^Over all ${lines.length.toLocaleString('en-US')} segmented rows: ${(100 * churned / lines.length).toFixed(1)}% have Churn = true`));
  const bars = (await page.locator('[data-testid=rate-bars] rect title').allTextContents())
    .map((t) => t.match(/^Segment \d+: ([\d.]+)% \((\d+) customers\)$/)).map((m) => ({ rate: Number(m[1]) / 100, n: Number(m[2]) }));
  assert.equal(bars.length, 4);
  assert.equal(bars.reduce((a, b) => a + b.n, 0), lines.length);
  // Weighted by size, the segments' rates give back the overall rate (to the rounding of the labels).
  assert.ok(Math.abs(bars.reduce((a, b) => a + b.rate * b.n, 0) - churned) < lines.length * 0.0005 * 4);
  // Short-tenure customers churn far more often than long-tenure ones: the segments differ.
  const rates = bars.map((b) => b.rate);
  assert.ok(Math.max(...rates) - Math.min(...rates) > 0.2, rates.join());
  // The scatter's axes can be two columns instead of the principal components: every row drawn.
  await page.locator('[data-testid=seg-axis-x]').selectOption('tenure');
  await page.locator('[data-testid=seg-axis-y]').selectOption('MonthlyCharges');
  const drawn = page.locator('[data-testid=scatter] canvas[data-points]');
  await page.waitForFunction(() => document.querySelector('[data-testid=scatter] .scatter-wrap canvas')?.dataset.points);
  // (every row with both values: the file leaves 2 monthly charges empty, imputed for segmenting but not drawn)
  const hdr = readFileSync(TELCO, 'utf8').split(/\r?\n/)[0].split(',');
  const [ti, mi] = [hdr.indexOf('tenure'), hdr.indexOf('MonthlyCharges')];
  const both = lines.map((l) => l.split(',')).filter((f) => f[ti].trim() !== '' && f[mi].trim() !== '').length;
  assert.ok(both < lines.length);
  assert.equal(await page.locator('[data-testid=scatter] .scatter-wrap canvas').getAttribute('data-points'), String(both));
  assert.equal(await drawn.count(), 1);
  await page.screenshot({ path: join(OUT_DIR, 'segment-rate.png'), fullPage: true });
  // A segment's size links to the Customers list of that segment (the Telco file is the customers table).
  const link = page.locator('[data-testid=segment-size-link]').first();
  const size = Number((await link.textContent()).match(/^([\d,]+) customers/)[1].replace(/,/g, ''));
  await link.click();
  await page.waitForFunction((n) => document.querySelector('[data-testid=customer-count]')?.dataset.count === String(n), size, { timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=filter-group]').inputValue(), 'Segment 1');
  // A record: their segment and what sets it apart; no value figures (no orders were loaded).
  await page.locator('[data-testid=customer-link]').first().click();
  await page.locator('[data-testid=record-id]').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-testid=fig-group] dd').textContent(), 'Segment 1');
  assert.equal(await page.locator('[data-testid=fig-clv]').count(), 0);
  assert.match(await page.locator('[data-testid=cluster-note]').textContent(), /^Segment 1: low tenure, high monthly charges \(2,204 customers\)/);
  assert.deepEqual(pageErrors, []);
});

test('every request is a same-origin GET without a body', () => {
  assertSameOriginGets(requests, demo.origin);
});
