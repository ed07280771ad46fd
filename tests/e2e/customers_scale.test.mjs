// End-to-end test of the Customers list at scale: 122,067 customers (the 4,521 real rows of
// UCI Bank Marketing, each repeated with its own customer id) loaded as the customers file of
// the workspace; the list counts them all, draws only a window of rows, scrolls to the last
// one, sorts and searches the whole table, and exports a filtered list. Times are printed.
//
// Run from the repository root: node --test tests/e2e/customers_scale.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDemo } from './_chromium.mjs';

const BANK = fileURLToPath(new URL('../../../shared/data/bank_marketing/bank.csv', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));
const FIX = join(OUT_DIR, 'workspace-fixtures', 'bank_customers.csv');
const COPIES = 27;

const [head, ...rows] = readFileSync(BANK, 'utf8').trim().split(/\r?\n/).map((l) => l.split(';').map((f) => f.replace(/^"|"$/g, '')));
const cols = ['customerID', ...head];
const customers = [];
for (let k = 0; k < COPIES; k++) rows.forEach((r, i) => customers.push([`B${String(k * rows.length + i).padStart(6, '0')}`, ...r]));
const N = customers.length;
mkdirSync(join(OUT_DIR, 'workspace-fixtures'), { recursive: true });
writeFileSync(FIX, `${cols.join(',')}\n${customers.map((r) => r.join(',')).join('\n')}\n`);
const bi = cols.indexOf('balance');

let demo;
let page;
let pageErrors;

before(async () => {
  demo = await openDemo({ context: { acceptDownloads: true } });
  ({ page, pageErrors } = demo);
});

after(() => demo?.close());

const countIs = (n, timeout = 60_000) => page.waitForFunction((x) => document.querySelector('[data-testid=customer-count]')?.dataset.count === String(x), n, { timeout });

test(`${N.toLocaleString('en-US')} customers: counted, windowed, scrolled, sorted, searched, exported`, async () => {
  assert.ok(N > 100_000);
  await page.evaluate(() => { location.hash = '#/workspace'; });
  let t = Date.now();
  await page.locator('[data-testid=ws-file-input]').setInputFiles(FIX);
  await page.locator('[data-testid=ws-table][data-table="bank_customers.csv"][data-role=customers]').waitFor({ timeout: 120_000 });
  const loadMs = Date.now() - t;

  t = Date.now();
  await page.evaluate(() => { location.hash = '#/customers'; });
  await countIs(N, 120_000);
  const listMs = Date.now() - t;
  assert.match(await page.locator('[data-testid=customer-count]').textContent(), new RegExp(`^${N.toLocaleString('en-US')} of ${N.toLocaleString('en-US')} customers`));
  // Only a window of rows is in the page, whatever the size of the list.
  const rendered = await page.locator('[data-testid=customer-row]').count();
  assert.ok(rendered > 10 && rendered < 60, `${rendered} rows rendered`);

  // Scrolled to the end: the last customer is drawn.
  await page.locator('[data-testid=customer-list]').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.locator('[data-testid=customer-link]', { hasText: customers[N - 1][0] }).waitFor({ timeout: 10_000 });

  // Sorted by balance over the whole table, highest first.
  t = Date.now();
  await page.locator('.vhead [data-column=balance]').click();
  await page.waitForFunction(() => document.querySelector('.vhead [data-column=balance]')?.textContent.endsWith('▼'));
  const sortMs = Date.now() - t;
  const maxBalance = Math.max(...customers.map((r) => Number(r[bi])));
  const firstRow = page.locator('[data-testid=customer-row]').first();
  const top = await firstRow.locator('[role=cell]').nth(cols.indexOf('balance')).textContent();
  assert.equal(Number(top.replace(/[^\d.-]/g, '')), maxBalance);

  // Search over every text column: the unemployed customers (job is the only column saying so).
  t = Date.now();
  await page.locator('[data-testid=search]').fill('unemployed');
  const unemployed = customers.filter((r) => r.some((f) => f.includes('unemployed'))).length;
  await countIs(unemployed);
  const searchMs = Date.now() - t;

  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-customers]').click()]);
  assert.match(dl.suggestedFilename(), /^customers_search-unemployed_\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync(await dl.path(), 'utf8').trim().split(/\r?\n/);
  assert.equal(lines.length, unemployed + 1);
  await page.screenshot({ path: join(OUT_DIR, 'customers-scale.png') });
  console.log(`customers at scale (${N}): load ${loadMs} ms, list ${listMs} ms, sort ${sortMs} ms, search ${searchMs} ms`);
  assert.deepEqual(pageErrors, []);
});
