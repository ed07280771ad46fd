// End-to-end test of the Rules view on Telco: a rule from the blank form with live counts
// (checked against the raw CSV), an inline error with its position, a template, Run (events
// sorted, exported through the package's CSV writer with formulas neutralised), then a new
// file (Telco a year later, some customers gone) run with the previous snapshot: new and
// resolved as computed here. No request leaves the page's origin.
//
// Run from the repository root: node --test tests/e2e/rules.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameOriginGets, openDemo } from './_chromium.mjs';
import { parseCsv } from '../js/_util.mjs';

const TELCO = fileURLToPath(new URL('../../../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));
const rows = parseCsv(readFileSync(TELCO, 'utf8'));
const head = rows[0];
const body = rows.slice(1);
const at = (name) => head.indexOf(name);
const RULE = "Contract = 'Month-to-month' and tenure < 12 and MonthlyCharges > 70";
const matches = (r) => r[at('Contract')] === 'Month-to-month' && Number(r[at('tenure')]) < 12 && Number(r[at('MonthlyCharges')]) > 70;

let demo;
let origin;
let page;
let requests;
let pageErrors;

async function load(file, name) {
  await page.locator('nav a', { hasText: 'Data' }).click();
  await page.locator('[data-testid=file-input]').setInputFiles(file);
  await page.locator('[data-testid=summary] h2', { hasText: name }).waitFor({ timeout: 30_000 });
  await page.locator('nav a', { hasText: 'Rules' }).click();
  await page.locator('[data-testid=run-rules]').waitFor();
}

before(async () => {
  demo = await openDemo({ context: { acceptDownloads: true } });
  ({ origin, page, requests, pageErrors } = demo);
  await load(TELCO, 'WA_Fn-UseC_-Telco-Customer-Churn.csv');
});

after(() => demo?.close());

test('live counts while editing, an inline error at its position, a template', async () => {
  const when = page.locator('[data-testid=rule-when]').first();
  await when.fill('tenure < 12 and monthlycharges > 70');
  const error = page.locator('[data-testid=rule-error]').first();
  await error.waitFor();
  assert.match(await error.textContent(), /unknown column `monthlycharges` — did you mean `MonthlyCharges`\?.*line 1, column 17/);
  assert.equal(await page.locator('[data-testid=rule-error-at] mark').first().textContent(), 'm');
  await when.fill(RULE);
  const count = page.locator('[data-testid=rule-count]').first();
  await count.waitFor();
  assert.equal(Number(await count.getAttribute('data-matched')), body.filter(matches).length);
  await page.locator('[data-testid=rule-action]').first().fill('=HYPERLINK("http://x")');
  // A template for customerValue columns on Telco: its error names the missing column.
  await page.locator('[data-testid=rule-template]').selectOption('churn-risk');
  await page.locator('[data-testid=add-rule]').click();
  await page.locator('[data-testid=rule-card]').nth(1).locator('[data-testid=rule-error]').waitFor();
  assert.match(await page.locator('[data-testid=rule-card]').nth(1).locator('[data-testid=rule-error]').textContent(), /unknown column `probability`/);
  await page.locator('[data-testid=rule-card]').nth(1).locator('[data-testid=rule-when]').fill('Churn and TotalCharges > 5000'); // Churn (Yes/No) loads as true/false
  await page.locator('[data-testid=rule-card]').nth(1).locator('[data-testid=rule-count]').waitFor();
});

test('run: counts, sortable events, formula-safe export', async () => {
  await page.locator('#rules-key').selectOption('customerID');
  await page.locator('[data-testid=run-rules]').click();
  await page.locator('[data-testid=events-table]').waitFor({ timeout: 30_000 });
  const want = body.filter(matches).length;
  const wantChurn = body.filter((r) => r[at('Churn')] === 'Yes' && r[at('TotalCharges')].trim() !== '' && Number(r[at('TotalCharges')]) > 5000).length;
  const cells = await page.locator('[data-testid=rule-counts] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.deepEqual(cells.map((c) => [c[0], Number(c[1].replace(/,/g, '')), Number(c[2].replace(/,/g, ''))]), [['rule-1', want, want], ['churn-risk', wantChurn, wantChurn]]);
  assert.equal(await page.locator('[data-testid=events-table] tbody tr').count(), want + wantChurn);
  // Sort by key, then descending.
  await page.locator('[data-testid=events-table] th button[data-column=key]').click();
  const keys = await page.locator('[data-testid=events-table] tbody tr td:nth-child(2)').allTextContents();
  assert.deepEqual(keys, [...keys].sort((a, b) => a.localeCompare(b)));
  await page.locator('[data-testid=events-table] th button[data-column=key]').click();
  const down = await page.locator('[data-testid=events-table] tbody tr td:nth-child(2)').allTextContents();
  assert.deepEqual(down, [...keys].reverse());
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-events]').click()]);
  assert.match(download.suggestedFilename(), /^rule-events_wa-fn-usec-telco-customer-churn-csv_\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync(await download.path(), 'utf8');
  assert.ok(text.startsWith('\uFEFF'));
  const csv = parseCsv(text.slice(1));
  assert.deepEqual(csv[0].slice(0, 5), ['rule', 'key', 'action', 'priority', 'status']);
  assert.equal(csv.length - 1, want + wantChurn);
  const action = csv.find((r) => r[0] === 'rule-1')[2];
  assert.ok(!action.startsWith('='), `formula neutralised: ${action}`);
  assert.match(action, /HYPERLINK/);
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUT_DIR, 'rules.png'), fullPage: true });
});

test('a new file with the previous snapshot: new and resolved', async () => {
  // A year later: tenure + 12 for everybody, the first 300 customers gone, monthly charges of every 5th + 20.
  const t = at('tenure'), m = at('MonthlyCharges');
  const later = body.slice(300).map((r, i) => r.map((v, j) => (j === t ? String(Number(v) + (i % 3 === 0 ? 0 : 12))
    : j === m && i % 5 === 0 ? String(Number(v) + 20) : v)));
  const quote = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, 'telco-later.csv');
  writeFileSync(file, [head, ...later].map((r) => r.map(quote).join(',')).join('\n') + '\n');
  await load(file, 'telco-later.csv');
  assert.match(await page.locator('[data-testid=previous]').textContent(), /Previous snapshot: WA_Fn-UseC_-Telco-Customer-Churn\.csv/);
  assert.equal(await page.locator('[data-testid=rule-when]').first().inputValue(), RULE, 'the rules are kept across files');
  await page.locator('#rules-key').selectOption('customerID');
  await page.locator('[data-testid=run-rules]').click();
  await page.locator('[data-testid=events-table]').waitFor({ timeout: 30_000 });
  const before = new Set(body.filter(matches).map((r) => r[0]));
  const now = new Set(later.filter(matches).map((r) => r[0]));
  const wantNew = [...now].filter((k) => !before.has(k)).length;
  const wantResolved = [...before].filter((k) => !now.has(k)).length;
  const wantCont = [...now].filter((k) => before.has(k)).length;
  assert.ok(wantNew > 0 && wantResolved > 0 && wantCont > 0);
  const row = await page.locator('[data-testid=rule-counts] tbody tr[data-rule=rule-1] td').allTextContents();
  const n = row.slice(1).map((v) => Number(v.replace(/,/g, '')));
  assert.deepEqual(n.slice(0, 4), [now.size, wantNew, wantCont, wantResolved]);
  assert.equal(await page.locator('[data-testid=events-table] tbody tr[data-status=resolved]').count() > 0, true);
  assert.deepEqual(pageErrors, []);
  assertSameOriginGets(requests, origin);
});
