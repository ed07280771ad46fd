// End-to-end test of the Clean view's full plan: per-column rules (convert, case,
// standardise, fill, outliers) next to trim, exact dedupe and fuzzy dedupe with drop, on real
// Mall Customers rows with a name, email and phone column added; the summary, notes, preview
// and log must show each rule's effect.
//
// Run from the repository root: node --test tests/e2e/clean.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertSameOriginGets, useDemo } from './_chromium.mjs';

// 200 real rows + name / email / phone; every 10th age left empty; one exact duplicate row and
// one fuzzy duplicate of row 4 (same customer, other case and phone format).
function csv() {
  const mall = readFileSync(fileURLToPath(new URL('../../../shared/data/mall_customers/Mall_Customers.csv', import.meta.url)), 'utf8')
    .trim().split(/\r?\n/);
  const lines = [`${mall[0]},name,email,phone`];
  mall.slice(1).forEach((l, i) => {
    const f = l.split(',');
    if (i % 10 === 9) f[2] = '';
    lines.push(`${f.join(',')},customer ${i},  C${i}@Example.COM ,+86 138 0000 ${String(1000 + i)}`);
  });
  lines.push(lines[5]);
  lines.push('0999,Female,30,40,50,Customer 3,c3@example.com,+86-138-0000-1003');
  return lines.join('\n') + '\n';
}

const demo = useDemo({
  setup: async (page) => {
    await page.locator('[data-testid=file-input]').setInputFiles({ name: 'plan.csv', mimeType: 'text/csv', buffer: Buffer.from(csv()) });
    await page.locator('[data-testid=summary] h2', { hasText: 'plan.csv' }).waitFor({ timeout: 30_000 });
  },
});
const { page, requests, pageErrors } = demo;

const rule = (key, column) => page.locator(`[data-testid=column-rules] select[data-rule=${key}][data-column="${column}"]`);

test('Clean view: every step of the plan from the page, each visible in the result', async () => {
  await page.locator('nav a', { hasText: 'Clean' }).click();
  await page.locator('[data-testid=column-rules]').waitFor({ timeout: 30_000 });
  // One select per column and rule.
  assert.equal(await page.locator('[data-testid=column-rules] tbody tr').count(), 8);
  await rule('convert', 'age').selectOption('float64');
  await rule('case', 'name').selectOption('upper');
  await rule('standardize', 'email').selectOption('email');
  await rule('standardize', 'phone').selectOption('phone');
  await rule('fill', 'age').selectOption('median');
  await rule('outliers', 'annual_income_thousands').selectOption('iqr flag');
  await page.locator('#cl-fuzzy').check();
  await page.locator('#cl-fuzzy-drop').check();
  await page.locator('[data-testid=run-clean]').click();
  await page.locator('[data-testid=rows-out] dd').waitFor({ timeout: 30_000 });
  // 202 rows in: the exact duplicate and the fuzzy duplicate dropped.
  assert.equal(await page.locator('[data-testid=rows-out] dd').textContent(), '200');
  const facts = await page.locator('[data-testid=clean-summary] .fact dt').allTextContents();
  for (const f of ['trim · email', 'case · name', 'standardizeEmail · email', 'standardizePhone · phone', 'fill · age']) {
    assert.ok(facts.includes(f), `${f} in ${facts}`);
  }
  assert.ok(facts.some((f) => f.startsWith('flagOutlier')), facts.join(' | '));
  const notes = await page.locator('[data-testid=clean-summary] .hint').allTextContents();
  assert.ok(notes.some((n) => n.includes('converted from int64 to float64')), notes.join(' | '));
  const heads = await page.locator('[data-testid=clean-preview] th').allTextContents();
  assert.ok(heads.includes('annual_income_thousands_outlier'), heads.join(' | '));
  const cells = await page.locator('[data-testid=clean-preview] td').allTextContents();
  assert.ok(cells.includes('CUSTOMER 0') && cells.includes('c0@example.com') && cells.includes('+8613800001000'), cells.slice(0, 12).join(' | '));
  assert.ok(!cells.some((c) => /Example\.COM/.test(c)));
  const log = await page.locator('[data-testid=clean-log] tbody tr').allTextContents();
  // The page shows the first 200 changes (trim comes first in the plan's order); counts are in the summary.
  assert.ok(log.some((t) => t.includes('trim') && t.includes('C0@Example.COM')), log.slice(0, 3).join(' | '));
  assert.ok(facts.includes('dropDuplicate') && facts.includes('dropFuzzyDuplicate'), facts.join(' | '));
  assert.equal(await page.locator('[data-testid=duplicates] tbody tr').count(), 1);
  assert.deepEqual(pageErrors, []);
});

test('the cleaned table stays in the workspace and is the input of the other views', async () => {
  await page.locator('[data-testid=keep-cleaned]').click();
  await page.locator('[data-testid=kept-cleaned]').waitFor();
  assert.equal(await page.locator('[data-testid=input-table]').inputValue(), 'cleaned (plan.csv)');
  // Another view opens on it; the workspace lists it next to the file it came from.
  await page.locator('nav a', { hasText: 'Profile' }).click();
  await page.locator('[data-testid=input-table]').waitFor();
  assert.equal(await page.locator('[data-testid=input-table]').inputValue(), 'cleaned (plan.csv)');
  await page.evaluate(() => { location.hash = '#/workspace'; });
  const row = page.locator('[data-testid=ws-table][data-table="cleaned (plan.csv)"]');
  await row.waitFor({ timeout: 30_000 });
  assert.equal(await row.getAttribute('data-kind'), 'cleaned');
  assert.equal(await row.locator('[data-testid=ws-rows]').textContent(), '200');
  assert.equal(await page.locator('[data-testid=ws-table][data-table="plan.csv"] [data-testid=ws-rows]').textContent(), '202');
  await page.locator('nav a', { hasText: 'Clean' }).click();
  assert.deepEqual(pageErrors, []);
});

test('a bad rule combination is reported, not thrown', async () => {
  await page.locator('[data-testid=run-clean]').waitFor();
  await rule('fill', 'name').selectOption('mean'); // mean of a text column
  await page.locator('[data-testid=run-clean]').click();
  const err = page.locator('[data-testid=clean-error]');
  await err.waitFor({ timeout: 30_000 });
  assert.match(await err.textContent(), /fill/);
  assert.deepEqual(pageErrors, []);
});

test('every request is a same-origin GET without a body', () => {
  assertSameOriginGets(requests, demo.origin);
});
