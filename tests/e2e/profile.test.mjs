// End-to-end test of the Profile and Clean views: load a customer CSV with hostile cells
// (an HTML payload and spreadsheet formulas) through the Data view, profile it, clean it,
// export it; the payloads must show as text, never run, and leave the export neutralised.
//
// Run from the repository root: node --test tests/e2e/profile.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameOriginGets, openDemo } from './_chromium.mjs';
import { parseCsv } from '../js/_util.mjs';

const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));
const XSS = '<img src=x onerror=alert(1)>';
const FORMULA = '=HYPERLINK("http://evil.example","click me")';
// Mall Customers (real) with a name, email, phone and note column added; two hostile notes,
// one exact duplicate row and one fuzzy duplicate customer.
function hostileCsv() {
  const mall = readFileSync(fileURLToPath(new URL('../../../shared/data/mall_customers/Mall_Customers.csv', import.meta.url)), 'utf8')
    .trim().split(/\r?\n/);
  const lines = [`${mall[0]},name,email,phone,note`];
  mall.slice(1).forEach((l, i) => {
    const note = i === 0 ? `"${XSS}"` : i === 1 ? `"${FORMULA.replace(/"/g, '""')}"` : i % 7 === 0 ? '  spaced  ' : 'ok';
    lines.push(`${l},Customer ${i},c${i}@example.com,+86 138 0000 ${String(1000 + i)},${note}`);
  });
  lines.push(lines[5]); // exact duplicate
  lines.push(`0999,Female,30,40,50,customer 3,C3@EXAMPLE.COM,+86-138-0000-1003,ok`); // same customer as row 4
  return lines.join('\n') + '\n';
}

const dialogs = [];
let demo;
let origin;
let page;
let requests;
let pageErrors;

before(async () => {
  demo = await openDemo({
    context: { acceptDownloads: true },
    onPage: (p) => {
      p.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    },
  });
  ({ origin, page, requests, pageErrors } = demo);
  await page.locator('[data-testid=file-input]').setInputFiles({ name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(hostileCsv()) });
  await page.locator('[data-testid=summary] h2', { hasText: 'hostile.csv' }).waitFor({ timeout: 30_000 });
});

after(() => demo?.close());

test('Profile view: overview, alerts, column cards; the HTML payload is shown as text', async () => {
  await page.locator('nav a', { hasText: 'Profile' }).click();
  await page.locator('[data-testid=run-profile]').click();
  await page.locator('[data-testid=rows] dd').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-testid=rows] dd').textContent(), '202');
  assert.equal(await page.locator('[data-testid=duplicates] dd').textContent(), '1');
  const kinds = await page.locator('[data-testid=alerts] tr').evaluateAll((rows) => rows.map((r) => r.dataset.kind));
  for (const k of ['duplicateRows', 'pii', 'whitespace']) assert.ok(kinds.includes(k), `${k} in ${kinds}`);
  assert.equal(await page.locator('[data-testid=column-card]').count(), 9);
  assert.ok(await page.locator('[data-testid=column-card][data-column=age] svg.hist rect').count() > 0);
  const note = page.locator('[data-testid=column-card][data-column=note]');
  assert.ok((await note.locator('td').allTextContents()).includes(XSS));
  assert.equal(await page.locator('img[src=x]').count(), 0);
  // Category bars beside the top values: gender's two values, the larger one full width.
  const gender = await page.locator('[data-testid=column-card][data-column=gender] .top-bar').evaluateAll((bs) => bs.map((b) => b.style.width));
  assert.equal(gender.length, 2);
  assert.equal(gender[0], '100%');
  assert.ok(parseFloat(gender[1]) > 50 && parseFloat(gender[1]) < 100, gender.join());
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUT_DIR, 'profile.png'), fullPage: true });

  // The profile exports as a table, one row per column, with a name saying what it is.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-profile]').click()]);
  assert.match(dl.suggestedFilename(), /^profile_hostile-csv_\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync(await dl.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'column,type,role,missing,missingPct,distinct,mean,std,min,median,max,from,to,topValue,topCount,alerts');
  assert.equal(lines.length, 10);
  const ages = readFileSync(fileURLToPath(new URL('../../../shared/data/mall_customers/Mall_Customers.csv', import.meta.url)), 'utf8')
    .trim().split(/\r?\n/).slice(1).map((l) => Number(l.split(',')[2]));
  ages.push(ages[4], 30); // the duplicate row and the fuzzy duplicate
  const age = lines.find((l) => l.startsWith('age,')).split(',');
  assert.equal(age[3], '0');
  assert.equal(Number(age[8]), Math.min(...ages));
  assert.equal(Number(age[10]), Math.max(...ages));
  assert.ok(Math.abs(Number(age[6]) - ages.reduce((a, b) => a + b, 0) / ages.length) < 1e-9);
  // Back from another view: the profile is still there, not recomputed.
  await page.locator('nav a', { hasText: 'Data' }).click();
  await page.locator('nav a', { hasText: 'Profile' }).click();
  await page.locator('[data-testid=rows] dd').waitFor({ timeout: 5_000 });
});

test('Clean view: log, duplicate customers, export with formulas neutralised', async () => {
  await page.locator('nav a', { hasText: 'Clean' }).click();
  await page.locator('#cl-fuzzy').check();
  assert.equal(await page.locator('#cl-email').inputValue(), 'email');
  await page.locator('[data-testid=run-clean]').click();
  await page.locator('[data-testid=rows-out] dd').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-testid=rows-out] dd').textContent(), '201');
  const log = await page.locator('[data-testid=clean-log] tbody tr').allTextContents();
  assert.ok(log.some((t) => t.includes('dropDuplicate')));
  assert.ok(log.some((t) => t.includes('spaced') && t.includes('trim')));
  assert.equal(await page.locator('[data-testid=duplicates] tbody tr').count(), 1);
  const preview = await page.locator('[data-testid=clean-preview] td').allTextContents();
  assert.ok(preview.includes(XSS) && preview.includes(FORMULA), 'shown exactly as text');
  assert.equal(await page.locator('img[src=x]').count(), 0);
  const href = await page.locator('[data-testid=export]').getAttribute('href');
  assert.match(href, /^blob:/);
  // Download it as a user would (the page's CSP does not let scripts fetch blob: URLs).
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export]').click()]);
  assert.match(download.suggestedFilename(), /^cleaned_[a-z0-9-]+_\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync(await download.path(), 'utf8');
  assert.ok(text.startsWith('\uFEFF'), 'UTF-8 mark for Excel');
  const rows = parseCsv(text.slice(1));
  const note = rows[0].indexOf('note');
  assert.equal(rows[2][note], `'${FORMULA}`);
  assert.equal(rows[1][note], XSS);
  for (const r of rows.slice(1)) assert.ok(!/^[=+\-@\t\r]/.test(r[note]), r[note]);
  await page.screenshot({ path: join(OUT_DIR, 'clean.png'), fullPage: true });
  assert.deepEqual(dialogs, []);
  assert.deepEqual(pageErrors, []);
});

test('every request is a same-origin GET without a body', () => {
  assertSameOriginGets(requests, origin);
});
