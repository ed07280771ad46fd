// End-to-end checks of the demo walk-through of the trust issue (19): a file that is not a
// table is refused, not celebrated; the Segments export neutralises formula cells; the
// model's own warnings are shown where the numbers are (Customer value and Segments on the
// demo's "Try sample data").
//
// Run from the repository root after scripts/build.sh: node --test tests/e2e/trust.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertSameOriginGets, useDemo } from './_chromium.mjs';

const demo = useDemo({ context: { acceptDownloads: true } });
const { page, requests, pageErrors } = demo;

const dataView = () => page.locator('nav a', { hasText: 'Data' }).first().click();

async function loadFile(name, buffer) {
  await dataView();
  await page.locator('[data-testid=file-input]').setInputFiles({ name, mimeType: 'text/csv', buffer });
}

test('a PNG, a zip and random bytes renamed .csv: NOT_A_TABLE, no green check', async () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 4000 }, (_, i) => (i * 97 + 13) & 255)]);
  const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('xl/workbook.xml'), Buffer.alloc(2000, 7)]);
  let x = 19;
  const noise = Buffer.from(Array.from({ length: 8000 }, () => { x = (x * 1103515245 + 12345) >>> 0; return x >>> 24; }));
  for (const [name, bytes] of [['photo.csv', png], ['book.csv', zip], ['noise.csv', noise]]) {
    await loadFile(name, bytes);
    const error = page.locator('[data-testid=error]');
    await error.waitFor({ timeout: 20_000 });
    assert.equal(await error.getAttribute('data-code'), 'NOT_A_TABLE', name);
    assert.match(await error.locator('h2').textContent(), new RegExp(`Could not load ${name.replace('.', '\\.')}`));
    assert.equal(await page.locator('[data-testid=summary]').count(), 0, `${name}: nothing shown as loaded`);
    assert.equal(await page.locator('[data-testid=load-status][data-status=ok]').count(), 0, `${name}: no green check`);
  }
});

test('Segments export: formula-like ids are written as text (leading \')', async () => {
  const hostile = ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", '@SUM(1+1)*cmd|\' /C calc\'!A0', '-2+3', '=1+1'];
  const lines = ['customer_id,age,spend'];
  for (let i = 0; i < 40; i++) {
    const id = i < hostile.length ? hostile[i] : `c${1000 + i}`;
    lines.push(`"${id.replace(/"/g, '""')}",${20 + (i % 30)},${i % 2 ? 10 + i : 200 + i}`);
  }
  await loadFile('hostile.csv', Buffer.from(lines.join('\n') + '\n'));
  await page.locator('[data-testid=summary] h2', { hasText: 'hostile.csv' }).waitFor({ timeout: 20_000 });
  await page.locator('nav a', { hasText: 'Segments' }).click();
  await page.locator('#seg-k').selectOption('2');
  await page.locator('[data-testid=run-segment]').click();
  await page.locator('[data-testid=segment-card]').first().waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-labels]').click()]);
  const text = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  const rows = text.trim().split('\n');
  assert.equal(rows[0], 'row,customer_id,segment');
  assert.equal(rows.length, 41);
  for (let i = 0; i < hostile.length; i++) {
    const cell = rows[i + 1].slice(rows[i + 1].indexOf(',') + 1, rows[i + 1].lastIndexOf(','));
    // Either '… or a quoted "'…": never a bare formula start.
    assert.ok(cell.startsWith("'") || cell.startsWith("\"'"), `row ${i + 1}: ${rows[i + 1]}`);
    assert.ok(!/^[=+\-@]/.test(cell), cell);
  }
  assert.match(rows[hostile.length + 1], /^6,c1005,[12]$/);
});

test('"Try sample data": Customer value shows its warnings and withholds the predictions', async () => {
  await dataView();
  await page.getByRole('button', { name: 'Try sample data' }).click();
  await page.locator('[data-testid=summary] h2', { hasText: 'online_retail_sample.csv' }).waitFor({ timeout: 30_000 });
  await page.locator('nav a', { hasText: 'Customer value' }).click();
  // Order lines: the amount of a line is Quantity × UnitPrice, not the unit price alone.
  assert.equal(await page.locator('#cv-amount').inputValue(), '');
  assert.equal(await page.locator('#cv-quantity').inputValue(), 'Quantity');
  assert.equal(await page.locator('#cv-price').inputValue(), 'UnitPrice');
  assert.equal(await page.locator('#cv-invoice').inputValue(), 'InvoiceNo');
  await page.locator('[data-testid=compute]').click();
  await page.locator('[data-testid=customers] dd').waitFor({ timeout: 60_000 });
  // The warnings sit in the summary card, with the numbers they qualify.
  const warnings = page.locator('[data-testid=value-summary] [data-testid=value-warnings] li');
  assert.ok(await warnings.count() >= 1, 'model warnings shown');
  const codes = await warnings.evaluateAll((els) => els.map((e) => e.dataset.code));
  assert.ok(codes.some((c) => ['FEW_REPEAT_CUSTOMERS', 'NO_REPEAT_CUSTOMERS', 'SHORT_SPAN', 'FIT_AT_BOUND', 'FEW_CUSTOMERS'].includes(c)), codes.join(', '));
  assert.match(await page.locator('[data-testid=predictions] dd').textContent(), /withheld/);
  assert.equal(await page.locator('[data-testid=total-value] dd').textContent(), 'not available');
});

test('"Try sample data": Segments of order lines say they are transactions of repeated customers', async () => {
  await page.locator('nav a', { hasText: 'Segments' }).click();
  await page.locator('[data-testid=run-segment]').click();
  await page.locator('[data-testid=segment-card]').first().waitFor({ timeout: 90_000 });
  const warnings = page.locator('[data-testid=segment-summary] [data-testid=segment-warnings] li');
  const codes = await warnings.evaluateAll((els) => els.map((e) => e.dataset.code));
  assert.ok(codes.includes('TRANSACTION_ROWS'), codes.join(', '));
  assert.deepEqual(pageErrors, []);
});

test('every request is a same-origin GET without a body', () => {
  assertSameOriginGets(requests, demo.origin);
});
