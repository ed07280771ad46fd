// End-to-end test of the demo app (www/) in Chromium: real files through the file input,
// the bundled sample, Cancel on a large file, error and untrusted-content display, and
// that the page never sends a request anywhere but its own origin.
//
// Run from the repository root: node --test tests/e2e/demo.test.mjs
// Needs /usr/bin/chromium and the built package in pkg/ (bash scripts/build.sh).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './_chromium.mjs';
import { serve } from '../../scripts/serve.mjs';

const TELCO = fileURLToPath(new URL('../../../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));
const SCREENSHOT = join(OUT_DIR, 'demo.png');
const BIG_BYTES = 48e6;

let server;
let origin;
let browser;
let context;
let page;
let bigFile;
const requests = [];
const pageErrors = [];

/** A CSV of about `bytes` bytes of made-up orders (no real data). */
function writeBigCsv(path, bytes) {
  const countries = ['United Kingdom', 'France', 'Germany', 'EIRE', 'Spain', 'Netherlands'];
  const parts = ['order_id,customer_id,email,amount,order_date,country,note\n'];
  let size = parts[0].length;
  for (let i = 0; size < bytes; i++) {
    const line = `${100000 + i},C${(i * 7919) % 50000},user${i % 50000}@example.com,${((i * 37) % 10000 / 100).toFixed(2)},`
      + `2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${countries[i % 6]},"note ${i % 977}, again"\n`;
    parts.push(line);
    size += line.length;
  }
  writeFileSync(path, parts.join(''));
  return size;
}

const fact = (name) => page.locator(`[data-testid=summary] [data-fact=${name}] dd`);
const columnRow = (name) => page.locator(`[data-testid=columns] tr[data-column="${name}"]`);

async function waitForSummaryOf(fileName) {
  await page.locator('[data-testid=summary] h2', { hasText: fileName }).waitFor({ timeout: 20_000 });
}

before(async () => {
  ({ server } = await serve({ port: 0 }));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  page = await context.newPage();
  // Also sees the requests of the page's Web Worker (checked below with the wasm fetch).
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), postData: r.postData(), type: r.resourceType() }));
  page.on('pageerror', (e) => pageErrors.push(e));
  await page.goto(`${origin}/`);
  await page.locator('[data-testid=dropzone]').waitFor();
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
  if (bigFile) rmSync(bigFile, { force: true });
});

test('shell: title, nav with the Data view, privacy footer', async () => {
  assert.equal(await page.title(), 'Data · crmlens');
  assert.equal(await page.locator('nav a[aria-current=page]').textContent(), 'Data');
  assert.match(await page.locator('footer').textContent(), /Nothing leaves your browser/);
});

test('Telco churn file through the file input', async () => {
  await page.locator('[data-testid=file-input]').setInputFiles(TELCO);
  await waitForSummaryOf('WA_Fn-UseC_-Telco-Customer-Churn.csv');

  assert.equal(await fact('rows').textContent(), '7,043');
  assert.equal(await fact('columns').textContent(), '21');
  assert.equal(await fact('encoding').textContent(), 'UTF-8');
  assert.equal(await fact('delimiter').textContent(), 'comma (,)');
  assert.equal(await fact('header').textContent(), 'yes');
  assert.equal(await fact('skipped').textContent(), '0');
  assert.equal(await fact('repaired').textContent(), '0');

  assert.equal(await page.locator('[data-testid=columns] tbody tr').count(), 21);
  assert.equal(await columnRow('TotalCharges').locator('.col-type').textContent(), 'float64');
  assert.equal(await columnRow('TotalCharges').locator('.col-missing').getAttribute('data-count'), '11');
  assert.match(await columnRow('TotalCharges').locator('.col-missing').textContent(), /^11/);
  assert.equal(await columnRow('customerID').locator('.col-role').textContent(), 'id');
  assert.equal(await columnRow('tenure').locator('.col-type').textContent(), 'int64');

  const preview = page.locator('[data-testid=preview]');
  assert.match(await preview.locator('.card-head').textContent(), /First 50 of 7,043 rows/);
  assert.equal(await preview.locator('tbody tr').count(), 50);
  await preview.getByRole('cell', { name: '7590-VHVEG', exact: true }).waitFor({ state: 'visible' });
  assert.equal(await page.locator('[data-testid=issues]').count(), 0, 'no issues panel for a clean file');

  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
});

test('"Try sample data" loads the bundled Online Retail slice', async () => {
  await page.getByRole('button', { name: 'Try sample data' }).click();
  await waitForSummaryOf('online_retail_sample.csv');
  assert.equal(await fact('rows').textContent(), '1,000');
  assert.equal(await fact('columns').textContent(), '8');
  assert.equal(await columnRow('InvoiceDate').locator('.col-type').textContent(), 'datetime');
  assert.equal(await columnRow('InvoiceDate').locator('.col-format').textContent(), 'DD/MM/YYYY HH:MM');
  assert.equal(await columnRow('CustomerID').locator('.col-type').textContent(), 'int64');
  // 1/12/2010 8:26 in the file is 1 December 2010 (the sample is loaded day first).
  await page.locator('[data-testid=preview]').getByRole('cell', { name: '2010-12-01 08:26:00' }).first().waitFor();
  assert.match(await page.locator('[data-testid=options-used]').textContent(), /dates day first/);
});

test('Cancel stops the load of a large file; the page keeps working', async () => {
  bigFile = join(tmpdir(), `crmlens-e2e-${process.pid}.csv`);
  const size = writeBigCsv(bigFile, BIG_BYTES);

  await page.locator('[data-testid=file-input]').setInputFiles(bigFile);
  const progress = page.locator('[data-testid=progress]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=progress]')?.dataset.bytes) > 0, null, { timeout: 20_000 });
  assert.match(await progress.locator('[data-testid=progress-text]').textContent(), /MB of 48\.\d+ MB · [\d,]+ rows/);
  const clicked = Date.now();
  await page.getByRole('button', { name: 'Cancel' }).click();

  const cancelled = page.locator('[data-testid=cancelled]');
  await cancelled.waitFor({ timeout: 10_000 });
  const tookMs = Date.now() - clicked;
  assert.match(await cancelled.textContent(), /^Cancelled/);
  assert.equal(await progress.count(), 0, 'the progress panel is replaced');
  const detail = await cancelled.textContent();
  const m = /Stopped after ([\d.]+) MB \(([\d,]+) rows\)/.exec(detail);
  assert.ok(m, `cancel detail: ${detail}`);
  assert.ok(Number(m[1]) * 1e6 < size, 'stopped before the end of the file');
  // crmlens itself acknowledged the abort (the app would terminate the worker after 3 s).
  assert.ok(tookMs < 2900, `cancel took ${tookMs} ms`);
  assert.equal(await page.locator('[data-testid=summary]').count(), 0, 'nothing shown as loaded');
  assert.equal(await page.getByRole('button', { name: 'Try sample data' }).isEnabled(), true);

  await page.getByRole('button', { name: 'Try sample data' }).click();
  await waitForSummaryOf('online_retail_sample.csv');
  assert.equal(await fact('rows').textContent(), '1,000');
  assert.equal(await page.locator('[data-testid=cancelled]').count(), 0);
});

test('errors are shown with code, line and column', async () => {
  await page.locator('summary', { hasText: 'Reading options' }).click();
  await page.getByLabel('Broken rows').selectOption('error');
  await page.locator('[data-testid=file-input]').setInputFiles({ name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2,3\n') });
  const error = page.locator('[data-testid=error]');
  await error.waitFor({ timeout: 10_000 });
  assert.equal(await error.getAttribute('data-code'), 'RAGGED_ROW');
  assert.match(await error.locator('h2').textContent(), /Could not load ragged\.csv/);
  assert.equal(await error.locator('[data-fact=line]').textContent(), '2');
  assert.equal(await error.locator('[data-fact=column]').textContent(), '3');
  await page.getByLabel('Broken rows').selectOption('');

  await page.locator('[data-testid=file-input]').setInputFiles({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
  await page.locator('[data-testid=error][data-code=EMPTY_INPUT]').waitFor({ timeout: 10_000 });
});

test('file content is shown as text, never as markup; issues are listed with lines', async () => {
  const evil = 'name,<b id="inj-h">head</b>\n'
    + '<img src=x onerror="window.__pwned=1">,<script>window.__pwned=2</script>\n'
    + 'ok,1,extra\n';
  await page.locator('[data-testid=file-input]').setInputFiles({ name: '<i id="inj-f">x</i>.csv', mimeType: 'text/csv', buffer: Buffer.from(evil) });
  await waitForSummaryOf('<i id="inj-f">x</i>.csv');
  assert.equal(await page.locator('#view img, #inj-h, #inj-f, #view script').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.locator('[data-testid=preview]').getByRole('cell', { name: '<img src=x onerror="window.__pwned=1">' }).waitFor();
  const issues = page.locator('[data-testid=issues]');
  await issues.waitFor();
  assert.match(await issues.textContent(), /1 ragged · repaired/);
  assert.equal(await issues.locator('tbody tr td').first().textContent(), '3');
});

test('a file dropped on the drop zone is loaded', async () => {
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['id;amount;joined\n1;9,50;03/01/2024\n2;;11/02/2024\n'], 'dropped.csv', { type: 'text/csv' }));
    return dt;
  });
  await page.locator('[data-testid=dropzone]').dispatchEvent('dragenter', { dataTransfer });
  await page.locator('[data-testid=dropzone]').dispatchEvent('drop', { dataTransfer });
  await waitForSummaryOf('dropped.csv');
  assert.equal(await fact('rows').textContent(), '2');
  assert.equal(await fact('delimiter').textContent(), 'semicolon (;)');
  assert.equal(await page.locator('[data-testid=dropzone].dragging').count(), 0);
});

test('every request went to the page\'s own origin, as a GET without a body', () => {
  assert.ok(requests.length > 0);
  assert.ok(requests.some((r) => r.url === `${origin}/pkg/crmlens_bg.wasm`), 'the worker\'s wasm request was recorded');
  assert.ok(requests.some((r) => r.url === `${origin}/sample/online_retail_sample.csv`), 'the sample request was recorded');
  for (const r of requests) {
    assert.equal(new URL(r.url).origin, origin, `request to another origin: ${r.url}`);
    assert.equal(r.method, 'GET', `${r.method} ${r.url}`);
    assert.equal(r.postData, null, `request with a body: ${r.url}`);
  }
  assert.deepEqual(pageErrors.map(String), []);
});
