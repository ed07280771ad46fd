// End-to-end test of the Recommendations view: load the Online Retail sample through the
// Data view's file input, build recommendations in the worker, check the evaluation against
// best sellers, a customer's explained recommendations, the basket rules, and that no
// request leaves the page's origin.
//
// Run from the repository root: node --test tests/e2e/recommend.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameOriginGets, useDemo } from './_chromium.mjs';
import { parseCsv } from '../js/_util.mjs';

const RETAIL = fileURLToPath(new URL('../../../shared/data/online_retail_uci_first5000/online_retail_small.csv', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));

const demo = useDemo({ context: { acceptDownloads: true } });
const { page, requests, pageErrors } = demo;

test('Online Retail: evaluation vs best sellers, explained recommendations, basket rules', async () => {
  // Oracle from the raw file: which stock codes each customer bought.
  const [head, ...rows] = parseCsv(readFileSync(RETAIL, 'utf8'));
  const ci = head.indexOf('CustomerID'), si = head.indexOf('StockCode');
  const bought = new Map();
  for (const r of rows) if (r[ci]) (bought.get(r[ci]) ?? bought.set(r[ci], new Set()).get(r[ci])).add(r[si]);

  await page.locator('[data-testid=file-input]').setInputFiles(RETAIL);
  await page.locator('[data-testid=summary] h2', { hasText: 'online_retail_small.csv' }).waitFor({ timeout: 30_000 });
  await page.locator('nav a', { hasText: 'Recommendations' }).click();
  assert.equal(await page.locator('#rc-user').inputValue(), 'CustomerID');
  assert.equal(await page.locator('#rc-item').inputValue(), 'StockCode');
  assert.equal(await page.locator('#rc-timestamp').inputValue(), 'InvoiceDate');
  assert.equal(await page.locator('#rc-transaction').inputValue(), 'InvoiceNo');
  assert.equal(await page.locator('#rc-label').inputValue(), 'Description');
  assert.equal(await page.locator('#rc-method').inputValue(), 'auto');
  // On these two days of orders "auto" may well pick best sellers; item-item neighbours
  // explain themselves, so the test asks for them.
  await page.locator('#rc-method').selectOption('item-knn');
  await page.locator('[data-testid=fit]').click();
  await page.locator('[data-testid=recs-table] tbody tr').first().waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=rc-method-used] dd').textContent(), 'item-item neighbours');

  assert.equal(await page.locator('[data-testid=rc-users] dd').textContent(), String(bought.size));
  assert.equal(await page.locator('[data-testid=evaluation-table] tbody tr').count(), 5);
  assert.match(await page.locator('[data-testid=evaluation] h2').textContent(), /^Offline test: (better|worse|no clearer) than recommending best sellers$/);

  // The first customer (17850) shares no products with other customers in these two days, so
  // gets best sellers; the second one in the list has neighbours. Its ten recommendations:
  // none already bought, each explained by products the customer did buy.
  const customer = await page.locator('#rc-customers option').nth(1).getAttribute('value');
  await page.locator('#rc-customer').fill(customer);
  await page.locator('[data-testid=show-customer]').click();
  await page.locator('[data-testid=recs-table] td', { hasText: 'because you bought' }).first().waitFor();
  const mine = bought.get(customer);
  assert.ok(mine, `customer ${customer} is in the file`);
  const recRows = page.locator('[data-testid=recs-table] tbody tr');
  assert.equal(await recRows.count(), 10);
  const products = await recRows.locator('td:nth-child(2)').evaluateAll((tds) => tds.map((td) => td.dataset.item));
  const productNames = (await recRows.locator('td:nth-child(2)').allTextContents()).map((t) => t.replace(/ \([^)]*\)$/, ''));
  for (const p of products) assert.ok(!mine.has(p), `recommended ${p}, already bought`);
  const because = await recRows.locator('td:nth-child(3)').evaluateAll((tds) => tds.map((td) => td.dataset.because));
  const explained = because.filter((b) => b);
  assert.ok(explained.length >= 5, because.join(' | '));
  for (const b of explained) for (const code of b.split('\u001f')) assert.ok(mine.has(code), `${code} not bought by ${customer}`);
  // Shown with product names: "because you bought WHITE HANGING HEART T-LIGHT HOLDER (85123A); ..."
  const why = await recRows.locator('td:nth-child(3)').allTextContents();
  assert.ok(why.filter((w) => /^because you bought [A-Z0-9].* \([0-9A-Z]+\)/.test(w)).length >= 5, why.join(' | '));

  // An unknown customer gets best sellers, and is told so.
  await page.locator('#rc-customer').fill('no such customer');
  await page.locator('[data-testid=show-customer]').click();
  await page.locator('[data-testid=fallback]').waitFor();

  const ruleRows = page.locator('[data-testid=rules-table] tbody tr');
  assert.ok(await ruleRows.count() > 0);
  const lifts = (await ruleRows.locator('td:nth-child(5)').allTextContents()).map(Number);
  for (let i = 1; i < lifts.length; i++) assert.ok(lifts[i - 1] >= lifts[i]);
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUT_DIR, 'recommend.png'), fullPage: true });

  // Every customer's top 3 are kept in the workspace (one row per customer, joined by the
  // Customers list) and export through the package's writer.
  await page.evaluate(() => { location.hash = '#/workspace'; });
  const kept = page.locator('[data-testid=ws-table][data-kind=recommendations]');
  await kept.waitFor({ timeout: 30_000 });
  assert.equal(await kept.locator('[data-testid=ws-rows]').textContent(), bought.size.toLocaleString('en-US'));
  const [dl] = await Promise.all([page.waitForEvent('download'), kept.locator('button', { hasText: 'Export' }).click()]);
  assert.match(dl.suggestedFilename(), /^recommendations-online-retail-small-csv_\d{4}-\d{2}-\d{2}\.csv$/);
  const [khead, ...krows] = parseCsv(readFileSync(await dl.path(), 'utf8').replace(/^\uFEFF/, ''));
  assert.deepEqual(khead, ['CustomerID', 'recommended', 'because', 'bestSellerFallback']);
  assert.equal(krows.length, bought.size);
  const mineRow = krows.find((r) => r[0] === customer);
  assert.deepEqual(mineRow[1].split('; '), productNames.slice(0, 3));
  assert.equal(mineRow[3], 'false');
  // The customer's record: their purchases with the products (from the orders file itself),
  // and what to recommend next, with "because".
  await page.evaluate((c) => { location.hash = `#/customer/${c}`; }, customer);
  await page.locator('[data-testid=record-orders]').waitFor({ timeout: 30_000 });
  const di = head.indexOf('Description');
  const theirs = rows.filter((r) => r[ci] === customer);
  const shownCount = Number((await page.locator('[data-testid=record-orders] h2').textContent()).match(/\((\d+)\)/)[1]);
  assert.ok(shownCount >= 1 && shownCount <= theirs.length, `${shownCount} of ${theirs.length}`);
  const shownProducts = await page.locator('[data-testid=order-product]').allTextContents();
  assert.equal(shownProducts.length, Math.min(50, shownCount));
  const described = new Set(theirs.map((r) => r[di].trim()));
  for (const p of shownProducts) assert.ok(described.has(p.trim()), `${p} bought by ${customer}`);
  assert.equal(await page.locator('[data-testid=recommendations] li').count(), 5);
  assert.match(await page.locator('[data-testid=recommendations] li').first().textContent(), / — because they bought /);
  // Back to the view: the result is still there (kept across views).
  await page.locator('nav a', { hasText: 'Recommendations' }).click();
  await page.locator('[data-testid=recs-table] tbody tr').first().waitFor({ timeout: 10_000 });
  assert.deepEqual(pageErrors, []);
});

test('a log where nobody bought twice: recommendations shown, the evaluation says why it cannot run', async () => {
  // ALS in the worker reports each iteration: the view's progress bar goes 1, 2, … 15 of 15.
  await page.evaluate(() => {
    window.alsProgress = [];
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid=fit-progress]');
      if (bar) window.alsProgress.push([bar.value, bar.max]);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await page.locator('#rc-method').selectOption('als');
  await page.locator('[data-testid=fit]').click();
  await page.locator('[data-testid=rc-method-used] dd', { hasText: 'matrix factorisation (ALS)' }).waitFor({ timeout: 60_000 });
  const steps = await page.evaluate(() => window.alsProgress.filter(([, max]) => max === 15).map(([v]) => v));
  assert.deepEqual([...new Set(steps)], Array.from({ length: 15 }, (_, i) => i + 1), JSON.stringify(steps));

  const dir = mkdtempSync(join(tmpdir(), 'crmlens-rec-'));
  const file = join(dir, 'single_purchases.csv');
  writeFileSync(file, 'customer,product\n' + Array.from({ length: 40 }, (_, i) => `c${i},p${i % 7}`).join('\n') + '\n');
  await page.locator('nav a', { hasText: 'Data' }).click();
  await page.locator('[data-testid=file-input]').setInputFiles(file);
  await page.locator('[data-testid=summary] h2', { hasText: 'single_purchases.csv' }).waitFor({ timeout: 30_000 });
  await page.locator('nav a', { hasText: 'Recommendations' }).click();
  assert.equal(await page.locator('#rc-user').inputValue(), 'customer');
  assert.equal(await page.locator('#rc-item').inputValue(), 'product');
  await page.locator('[data-testid=fit]').click();
  await page.locator('[data-testid=recs-table] tbody tr').first().waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-testid=rc-method-used] dd').textContent(), 'popularity');
  const err = await page.locator('[data-testid=evaluation] [data-testid=recommend-error]').textContent();
  assert.match(err, /nothing can be held out/);
  // Customer c0 bought p0: six other products, all best sellers, none of them p0.
  const products = await page.locator('[data-testid=recs-table] tbody tr td:nth-child(2)').allTextContents();
  assert.equal(products.length, 6);
  assert.ok(!products.includes('p0'));
  singleProducts = products;
  assert.deepEqual(pageErrors, []);
});

let singleProducts;
test('the fitted model is saved with the workspace (encrypted) and answers again after a reload', async () => {
  await page.evaluate(() => { location.hash = '#/workspace'; });
  await page.locator('[data-testid=ws-pass]').fill('a long passphrase');
  await page.locator('[data-testid=ws-save]').click();
  const msg = page.locator('[data-testid=ws-vault-message]');
  await msg.filter({ hasText: /Saved|Could not/ }).waitFor({ timeout: 60_000 });
  assert.match(await msg.textContent(), /^Saved 4 tables/);
  await page.reload();
  await page.evaluate(() => { location.hash = '#/workspace'; });
  await page.locator('[data-testid=ws-pass]').fill('a long passphrase');
  await page.locator('[data-testid=ws-open]').click();
  await msg.filter({ hasText: /Reopened|Could not/ }).waitFor({ timeout: 60_000 });
  assert.match(await msg.textContent(), /^Reopened 4 tables/);
  await page.locator('nav a', { hasText: 'Recommendations' }).click();
  assert.equal(await page.locator('[data-testid=input-table]').inputValue(), 'single_purchases.csv');
  await page.locator('[data-testid=recs-table] tbody tr').first().waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('[data-testid=rc-method-used] dd').textContent(), 'popularity');
  assert.deepEqual(await page.locator('[data-testid=recs-table] tbody tr td:nth-child(2)').allTextContents(), singleProducts);
  // The evaluation's reason came back with it.
  assert.match(await page.locator('[data-testid=evaluation] [data-testid=recommend-error]').textContent(), /nothing can be held out/);
  await page.evaluate(() => { location.hash = '#/workspace'; });
  await page.locator('[data-testid=ws-forget]').click();
  await page.locator('[data-testid=ws-saved-info]', { hasText: 'Nothing saved yet' }).waitFor();
  assert.deepEqual(pageErrors, []);
});

test('every request is a same-origin GET without a body', () => {
  assertSameOriginGets(requests, demo.origin);
});
