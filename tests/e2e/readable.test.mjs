// End-to-end test of item 7 of the workspace issue, "every view readable by a non-statistician",
// on the real CDNOW log: empty views say which file they need (and offer the workspace's tables
// that fit), amounts carry the currency the user picks (the locale's by default) with thousands
// separators, dates read as dates (the profile's date histogram, cohorts as months), plain names
// stand next to the jargon, long texts are shortened with "more", and an error says which file
// the view needs.
//
// Run from the repository root: node --test tests/e2e/readable.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameOriginGets, useDemo } from './_chromium.mjs';

const CDNOW = fileURLToPath(new URL('../../../shared/data/cdnow_lifetimes/CDNOW_master.txt', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));
const FIX_DIR = join(OUT_DIR, 'readable-fixtures');

// A customers file with a long note per customer (no dates: not an orders file), from CDNOW's ids.
const ids = [...new Set(readFileSync(CDNOW, 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/)[0]))];
const LONG = 'Called about a missing CD from the March order; the parcel was returned to the depot because the address was incomplete, '
  + 'so we resent it with tracking and added a voucher for the trouble. Customer was happy with the outcome and asked to be told about new jazz releases.';
mkdirSync(FIX_DIR, { recursive: true });
const NOTES = join(FIX_DIR, 'customer-notes.csv');
writeFileSync(NOTES, `customerID,city,note\n${ids.slice(0, 300).map((id, i) => `${id},${i % 2 ? 'Oslo' : 'Lima'},"${i % 10 === 0 ? LONG : 'ok'}"`).join('\n')}\n`);

mkdirSync(OUT_DIR, { recursive: true });
const demo = useDemo({ context: { acceptDownloads: true } });
const { page, requests, pageErrors, go } = demo;

test('every view without its input says which file it needs, and offers the tables that fit', async () => {
  const views = { value: /orders file: one row per purchase/, segments: /customer table with numbers to compare/, sentiment: /feedback file: one row per review/,
    recommend: /orders file with products/, predict: /customer table with an outcome column/, rules: /customer table: one row per customer/,
    profile: /a table to describe/, clean: /a table to clean/ };
  for (const [view, needs] of Object.entries(views)) {
    await go(`#/${view}`);
    const box = page.locator(`[data-view="${view}"] [data-testid=view-needs]`); // this view's, not the one before
    await box.waitFor();
    assert.match(await box.textContent(), new RegExp(`^This view needs (an? )?${needs.source}.*For example: `), view);
    assert.equal(await page.locator(`[data-view="${view}"] button`, { hasText: 'Go to Data' }).count(), 1, view);
  }
  await page.screenshot({ path: join(OUT_DIR, 'readable-empty.png'), fullPage: true });
  // With the orders file in the workspace but another table as input, Customer value offers it.
  await go('#/workspace');
  await page.locator('[data-testid=ws-file-input]').setInputFiles([CDNOW, NOTES]);
  await page.locator('[data-testid=ws-table]').nth(1).waitFor({ timeout: 60_000 });
  assert.deepEqual(await page.locator('[data-testid=ws-table]').evaluateAll((rows) => rows.map((r) => r.dataset.role)), ['orders', 'customers']);
  assert.deepEqual(pageErrors, []);
});

test('an error says which file the view needs', async () => {
  await go('#/value');
  await page.locator('[data-testid=input-table]').selectOption('customer-notes.csv');
  await page.locator('[data-testid=compute]').click();
  await page.locator('[data-testid=value-error]').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('[data-testid=error-needs]').textContent(), /^This view needs an orders file: one row per purchase, with the customer id, the date and the amount/);
  assert.deepEqual(pageErrors, []);
});

test('long texts are shortened with "more" in the data preview', async () => {
  // The Data view shows the current input: customer-notes.csv (selected above).
  await go('#/data');
  const clamp = page.locator('[data-testid=preview] [data-testid=clamp]').first();
  await clamp.waitFor({ timeout: 30_000 });
  assert.equal(await clamp.evaluate((el) => el.classList.contains('closed')), true);
  const closed = await clamp.evaluate((el) => el.querySelector('.clamp-body').getBoundingClientRect().height);
  await clamp.locator('[data-testid=more]').click();
  const open = await clamp.evaluate((el) => el.querySelector('.clamp-body').getBoundingClientRect().height);
  assert.ok(open > closed, `${open} > ${closed}`);
  assert.equal(await clamp.locator('[data-testid=more]').textContent(), 'less');
  assert.deepEqual(pageErrors, []);
});

test('amounts in the chosen currency (the locale\'s by default), months and dates as dates, plain names next to the jargon', async () => {
  // en-US: dollars by default.
  assert.equal(await page.locator('[data-testid=currency]').inputValue(), 'USD');
  await go('#/value');
  await page.locator('[data-testid=input-table]').selectOption('CDNOW_master.txt');
  await page.locator('[data-testid=compute]').click();
  await page.locator('[data-testid=customers] dd').waitFor({ timeout: 60_000 });
  // The big figure is short ("$780K"), the exact amount in its tooltip.
  assert.match(await page.locator('[data-testid=total-value] dd').textContent(), /^\$\d+(\.\d+)?[KM]$/);
  const total = await page.locator('[data-testid=total-value] dd span').getAttribute('title');
  assert.match(total, /^\$\d{1,3}(,\d{3})+\.\d{2}$/, total);
  const clv = await page.locator('[data-testid=top-customers] tbody tr td:nth-child(5)').first().textContent();
  assert.match(clv, /^\$[\d,]+\.\d{2}$/, clv);
  assert.match(await page.locator('[data-testid=top-customers] tbody tr td:nth-child(4)').first().textContent(), /^\d{1,3}%$/);
  // Cohorts as months; the purchase model's parameters with what they mean.
  assert.deepEqual((await page.locator('[data-testid=cohorts] tbody tr td:first-child').allTextContents()).slice(0, 2), ['Jan 1997', 'Feb 1997']);
  assert.match(await page.locator('[data-testid=model-plain]').textContent(), /r and α say how often customers buy/);
  assert.match(await page.locator('[data-testid=clv-distribution] rect title').first().textContent(), /^\$/);
  await page.screenshot({ path: join(OUT_DIR, 'readable-value-usd.png'), fullPage: true });
  // Another currency: the view shows the same amounts in euros at once (no conversion).
  await page.locator('[data-testid=currency]').selectOption('EUR');
  await page.waitForFunction(() => /€/.test(document.querySelector('[data-testid=total-value] dd')?.textContent ?? ''));
  const euros = await page.locator('[data-testid=total-value] dd span').getAttribute('title');
  assert.equal(euros.replace(/[^\d.,]/g, ''), total.replace(/[^\d.,]/g, ''));
  // The Customers list and a record use it too.
  await go('#/customers');
  await page.locator('[data-testid=customer-count]').waitFor({ timeout: 60_000 });
  const heads = await page.locator('.vhead [data-testid=sort]').evaluateAll((b) => b.map((x) => x.dataset.column));
  const ci = heads.indexOf('clv');
  assert.ok(ci > 0, heads.join());
  const cell = await page.locator('[data-testid=customer-row]').first().locator('.vcell').nth(ci).textContent();
  assert.match(cell, /^€[\d,]+\.\d{2}$/, cell);
  await go(`#/customer/${ids[0]}`);
  await page.locator('[data-testid=fig-clv] dd').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('[data-testid=fig-clv] dd').textContent(), /^€/);
  assert.match(await page.locator('[data-testid=record-orders] .hint').first().textContent(), /€[\d,]+\.\d{2} in total, from [A-Z][a-z]{2} \d{1,2}, 1997 to /);
  // The choice stays for the next visit (this browser only).
  await page.reload();
  await page.locator('[data-testid=currency]').waitFor();
  assert.equal(await page.locator('[data-testid=currency]').inputValue(), 'EUR');
  await page.locator('[data-testid=currency]').selectOption('USD');
  assert.deepEqual(pageErrors, []);
});

test('the profile\'s date histogram reads as dates, and its statistics have plain names', async () => {
  await go('#/data');
  await page.locator('[data-testid=file-input]').setInputFiles(CDNOW);
  await page.locator('[data-testid=summary] h2', { hasText: 'CDNOW_master.txt' }).waitFor({ timeout: 60_000 });
  await go('#/profile');
  await page.locator('[data-testid=run-profile]').click();
  const card = page.locator('[data-testid=column-card][data-column=date]');
  await card.waitFor({ timeout: 60_000 });
  // CDNOW runs from 1997-01-01 to 1998-06-30 (MANIFEST).
  assert.match(await card.locator('[data-testid=hist-range]').textContent(), /^Jan 1, 1997 … Jun 30, 1998$/);
  const tips = await card.locator('svg.hist rect title').allTextContents();
  assert.ok(tips.length > 5);
  for (const t of tips) assert.match(t, /^[A-Z][a-z]{2} \d{1,2}, 199[78] – [A-Z][a-z]{2} \d{1,2}, 199[78]: [\d,]+ rows$/, t);
  assert.equal(tips.reduce((s, t) => s + Number(t.match(/: ([\d,]+) rows$/)[1].replace(/,/g, '')), 0), 69_659);
  const money = page.locator('[data-testid=column-card][data-column=dollar_value]');
  assert.match(await money.textContent(), /Median \(middle value\)/);
  assert.match(await money.locator('.fact', { hasText: 'Median' }).locator('dd').textContent(), /^\$\d+\.\d{2}$/);
  await page.screenshot({ path: join(OUT_DIR, 'readable-profile.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('every request is a same-origin GET without a body', () => {
  assertSameOriginGets(requests, demo.origin);
});
