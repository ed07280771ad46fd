// End-to-end: the demo's Data view opens a workbook (the .xlsx fixture of
// scripts/make_sheet_fixtures.mjs) in Chromium: the worker fetches the lazily loaded
// `sheets` module from the page's origin, the title rows and Total row are listed as
// issues, and the sheet picker loads the other sheet.
//
// Run from the repository root: node --test tests/e2e/sheets.test.mjs
// Needs /usr/bin/chromium and the built package in pkg/ (bash scripts/build.sh).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './_chromium.mjs';
import { serve } from '../../scripts/serve.mjs';

const XLSX = fileURLToPath(new URL('../fixtures/sheets/orders.xlsx', import.meta.url));

let server;
let browser;
let page;
const requests = [];
const pageErrors = [];

const fact = (name) => page.locator(`[data-testid=summary] [data-fact=${name}] dd`);
const columnRow = (name) => page.locator(`[data-testid=columns] tr[data-column="${name}"]`);

before(async () => {
  ({ server } = await serve({ port: 0 }));
  const origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(e));
  await page.goto(`${origin}/`);
  await page.locator('[data-testid=dropzone]').waitFor();
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
});

test('the Data view opens an .xlsx: typed columns, title rows and footer listed, a sheet picker', async () => {
  assert.match(await page.locator('[data-testid=file-input]').getAttribute('accept'), /\.xlsx/);
  assert.ok(!requests.some((u) => u.endsWith('crmlens_sheets_bg.wasm')), 'the sheets module is not fetched before a workbook is opened');
  await page.locator('[data-testid=file-input]').setInputFiles(XLSX);
  await page.locator('[data-testid=summary] h2', { hasText: 'orders.xlsx' }).waitFor({ timeout: 30_000 });
  assert.equal(await fact('rows').textContent(), '40');
  assert.equal(await fact('columns').textContent(), '8');
  assert.equal(await columnRow('order_date').locator('.col-type').textContent(), 'date');
  assert.equal(await columnRow('ordered_at').locator('.col-type').textContent(), 'datetime');
  assert.equal(await columnRow('amount').locator('.col-type').textContent(), 'float64');
  assert.equal(await columnRow('paid').locator('.col-type').textContent(), 'bool');
  const issues = await page.locator('[data-testid=issues]').textContent();
  assert.match(issues, /Q3 2023 Orders/);
  assert.match(issues, /Total/);
  const origin = new URL(page.url()).origin;
  const wasm = requests.filter((u) => u.endsWith('crmlens_sheets_bg.wasm'));
  assert.equal(wasm.length, 1, 'the sheets module is fetched once');
  assert.ok(requests.every((u) => u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:')), 'same origin only');

  const picker = page.locator('[data-testid=sheet-select]');
  assert.deepEqual(await picker.locator('option').allTextContents(), ['Orders', 'Customers']);
  await picker.selectOption('Customers');
  await page.locator('[data-testid=summary] [data-fact=rows] dd', { hasText: /^10$/ }).waitFor({ timeout: 20_000 });
  assert.equal(await columnRow('since').locator('.col-type').textContent(), 'date');
  assert.equal(await page.locator('[data-testid=sheet-select]').inputValue(), 'Customers');
  assert.deepEqual(pageErrors, []);
});
