// End-to-end test of "every count links to the list filtered" for the Predict and Rules views
// (issue 20 item 2) and the Predict view's threshold choice (issue 17: best F1, a budget, the
// least cost), on Telco in headless Chromium:
// - Predict with the cost rule: the view says which threshold was chosen and how
//   (p.quality.thresholdRule), the total cost out of fold; "N customers above the threshold"
//   opens the Customers list filtered to exactly those N customers (checked against the
//   view's own export); the predicted class reads Yes/No (the file's words), not true/false;
//   the budget rule ("top 20%") the same way.
// - Rules with two rules that overlap: each rule's Matched count opens the list filtered to
//   the customers that rule fired for (checked against the Telco file itself), although only
//   the most urgent rule is their next action; reasons read rounded.
// - Profile alerts carry plain words next to the engine's figure.
//
// Run from the repository root: node --test tests/e2e/links.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameOriginGets, useDemo } from './_chromium.mjs';
import { parseCsv } from '../js/_util.mjs';

const TELCO = fileURLToPath(new URL('../../../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv', import.meta.url));
const CDNOW = fileURLToPath(new URL('../../../shared/data/cdnow_lifetimes/CDNOW_master.txt', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));
const TELCO_NAME = 'WA_Fn-UseC_-Telco-Customer-Churn.csv';

mkdirSync(OUT_DIR, { recursive: true });
const demo = useDemo({ context: { acceptDownloads: true } });
const { page, requests, pageErrors, go } = demo;
const countIs = (n, timeout = 60_000) => page.waitForFunction((x) => document.querySelector('[data-testid=customer-count]')?.dataset.count === String(x), n, { timeout });
const shownCount = () => page.locator('[data-testid=customer-count]').getAttribute('data-count').then(Number);
const int = (t) => Number(String(t).replace(/[^\d.-]/g, ''));

async function downloadCsv(click) {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const rows = parseCsv(readFileSync(await dl.path(), 'utf8').replace(/^\uFEFF/, ''));
  return { name: dl.suggestedFilename(), head: rows[0], body: rows.slice(1).filter((r) => r.length > 1) };
}

/** The Telco file read here, independently of the demo: customerID → row object. */
function telco() {
  const rows = parseCsv(readFileSync(TELCO, 'utf8').replace(/^\uFEFF/, ''));
  const head = rows[0];
  return rows.slice(1).filter((r) => r.length === head.length).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

/** Trains in the Predict view with the chosen threshold rule and waits for the result. */
async function train(setThreshold) {
  await go('#/predict');
  await page.locator('[data-testid=run-predict]').waitFor();
  await page.locator('#pred-model').selectOption('logistic');
  await page.locator('#pred-folds').selectOption('3');
  await setThreshold();
  await page.locator('[data-testid=pred-summary]').evaluateAll((els) => els.forEach((e) => { e.dataset.stale = '1'; }));
  await page.locator('[data-testid=run-predict]').click();
  await page.waitForFunction(() => { const s = document.querySelector('[data-testid=pred-summary]'); return s && !s.dataset.stale; }, null, { timeout: 180_000 });
}

/** Ids of the Customers list as shown (its export), and the column of the predicted class. */
async function listed() {
  const list = await downloadCsv(() => page.locator('[data-testid=export-customers]').click());
  const idi = list.head.indexOf('customerID');
  return { ids: list.body.map((r) => r[idi]), list };
}

test('Predict, least cost: the threshold and how it was chosen; "N above the threshold" opens the list of exactly those N', async () => {
  await page.locator('[data-testid=file-input]').setInputFiles(TELCO);
  await page.locator('[data-testid=summary] h2', { hasText: TELCO_NAME }).waitFor({ timeout: 60_000 });
  // No positive class typed: the target's own words are used (Yes/No, as the file says).
  await train(async () => {
    assert.equal(await page.locator('#pred-target').inputValue(), 'Churn');
    assert.equal(await page.locator('#pred-positive').getAttribute('placeholder'), "Yes (the file's word for yes)");
    await page.locator('#pred-threshold').selectOption('cost');
    await page.locator('#pred-cost-fp').fill('10');
    await page.locator('#pred-cost-fn').fill('100');
  });
  const rule = await page.locator('[data-testid=pred-threshold-rule]').textContent();
  assert.equal(rule, 'the least cost out of fold, a false alarm costing 10 and a missed positive 100');
  const threshold = Number(await page.locator('[data-testid=pred-threshold-chosen]').getAttribute('data-threshold'));
  assert.ok(threshold > 0 && threshold < 0.5, `a miss costing 10× a false alarm flags far more than half the churners: ${threshold}`);
  // The total cost shown is the confusion matrix's (out of fold) at the prices given, and no
  // worse than contacting everyone or no one.
  const [tp, fn, fp, tn] = (await page.locator('[data-testid=pred-confusion] td').allTextContents()).map(int);
  assert.equal(tp + fn, 1869, 'churners');
  assert.equal(tp + fn + fp + tn, 7043);
  const cost = await page.locator('[data-testid=pred-cost]').textContent();
  const m = /= ([\d,.]+), against ([\d,.]+) contacting everyone and ([\d,.]+) contacting no one/.exec(cost);
  assert.ok(m, cost);
  assert.equal(int(m[1]), fp * 10 + fn * 100);
  assert.equal(int(m[2]), (fp + tn) * 10);
  assert.equal(int(m[3]), 1869 * 100);
  assert.ok(int(m[1]) <= int(m[2]) && int(m[1]) <= int(m[3]), cost);
  assert.match(await page.locator('[data-testid=pred-confusion] th').allTextContents().then((t) => t.join('|')), /predicted Yes\|predicted No/);

  // The scored customers: their predicted class in the file's words; those at or above the threshold.
  const pred = await downloadCsv(() => page.locator('[data-testid=export-predictions]').click());
  const [pi, li] = [pred.head.indexOf('probability'), pred.head.indexOf('label')];
  assert.deepEqual([...new Set(pred.body.map((r) => r[li]))].sort(), ['No', 'Yes']);
  const flagged = pred.body.filter((r) => r[li] === 'Yes').map((r) => r[0]).sort();
  assert.deepEqual(flagged, pred.body.filter((r) => Number(r[pi]) >= threshold).map((r) => r[0]).sort());
  const link = page.locator('[data-testid=pred-above-link]');
  assert.equal(Number(await link.getAttribute('data-count')), flagged.length);
  assert.match(await link.textContent(), new RegExp(`^${flagged.length.toLocaleString('en-US')} customers above the threshold \\(predicted “Yes”\\)`));
  assert.equal(Number(await page.locator('[data-testid=pred-list-above-link]').getAttribute('data-count')), flagged.length);
  await page.screenshot({ path: join(OUT_DIR, 'links-predict-cost.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1500 } });

  await link.click();
  await countIs(flagged.length);
  const { ids } = await listed();
  assert.deepEqual(ids.sort(), flagged);
  // The list shows Yes/No for the prediction and for the file's yes/no columns (not true/false).
  const predictedHead = page.locator('.vhead [data-testid=sort]', { hasText: 'Predicted churn' });
  await predictedHead.waitFor();
  const cells = await page.locator('[data-testid=customer-row]').first().locator('[role=cell]').allTextContents();
  assert.ok(cells.includes('Yes'), cells.join('|'));
  assert.ok(!cells.includes('true') && !cells.includes('false'), cells.join('|'));
  await page.screenshot({ path: join(OUT_DIR, 'links-customers-predicted.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('Predict, a budget: the top 20% rule, its count linked the same way', async () => {
  await go('#/predict');
  await page.locator('[data-testid=input-table]').selectOption(TELCO_NAME);
  await train(async () => {
    await page.locator('#pred-threshold').selectOption('top');
    await page.locator('#pred-budget').fill('20');
  });
  assert.equal(await page.locator('[data-testid=pred-threshold-rule]').textContent(), 'flags the top 20% of customers by score');
  const above = Number(await page.locator('[data-testid=pred-above-link]').getAttribute('data-count'));
  // The threshold is set on the out-of-fold scores; the final model flags about as many.
  assert.ok(above > 0.15 * 7043 && above < 0.25 * 7043, String(above));
  await page.locator('[data-testid=pred-list-above-link]').click();
  await countIs(above);
  assert.deepEqual(pageErrors, []);
});

test('Rules: each rule\'s Matched count opens the list of the customers it fired for, not only those it is the next action of', async () => {
  const file = telco();
  const shortTenure = file.filter((r) => Number(r.tenure) < 6).map((r) => r.customerID).sort();
  await go('#/rules');
  await page.locator('[data-testid=input-table]').selectOption('customers (joined)');
  await page.locator('[data-testid=run-rules]').waitFor();
  // Rule 1 (written): new customers, priority 2; rule 2 (template): churn risk, priority 1.
  const card = page.locator('[data-testid=rule-card]').first();
  await card.locator('[data-testid=rule-id]').fill('short-tenure');
  await card.locator('[data-testid=rule-when]').fill('tenure < 6');
  await card.locator('[data-testid=rule-action]').fill('Welcome call');
  await card.locator('input[aria-label="Rule 1 priority"]').fill('2');
  await page.locator('[data-testid=rule-template]').selectOption('churn-risk');
  await page.locator('[data-testid=add-rule]').click();
  await page.locator('#rules-key').selectOption('customerID');
  await page.locator('[data-testid=run-rules]').click();
  await page.locator('[data-testid=events-table]').waitFor({ timeout: 30_000 });

  const matched = async (id) => Number(await page.locator(`[data-testid=rule-customers-link][data-rule=${id}]`).getAttribute('data-count'));
  assert.equal(await matched('short-tenure'), shortTenure.length);
  const risky = await matched('churn-risk');
  assert.ok(risky > 10, String(risky));
  // Reasons read rounded (3 significant digits), whole numbers as they are.
  const reasons = await page.locator('[data-testid=events-table] tbody td').allTextContents();
  const prob = reasons.filter((t) => t.startsWith('probability = '));
  assert.ok(prob.length > 0);
  for (const t of prob) assert.match(t, /^probability = 0\.\d{1,3}$/);
  for (const t of reasons.filter((x) => x.startsWith('tenure = '))) assert.match(t, /^tenure = \d$/);
  await page.screenshot({ path: join(OUT_DIR, 'links-rules.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 2000 } });

  await page.locator('[data-testid=rule-customers-link][data-rule=short-tenure]').click();
  await countIs(shortTenure.length);
  assert.equal(await page.locator('[data-testid=filter-rule]').inputValue(), 'short-tenure');
  const { ids } = await listed();
  assert.deepEqual(ids.sort(), shortTenure);
  await page.screenshot({ path: join(OUT_DIR, 'links-customers-rule.png'), fullPage: true });
  // Filtering by next action instead would miss the short-tenure customers whose next action
  // is the more urgent churn-risk one: that is why the list filters on the rules fired.
  await page.locator('[data-testid=filter-rule]').selectOption('');
  await page.locator('[data-testid=filter-nextAction]').selectOption('Welcome call');
  await page.waitForFunction(() => document.querySelector('[data-testid=customer-count]')?.dataset.count !== '7043', null, { timeout: 10_000 });
  const byAction = await shownCount();
  assert.ok(byAction < shortTenure.length, `${byAction} < ${shortTenure.length}`);
  await page.locator('[data-testid=filter-nextAction]').selectOption('');

  await go('#/rules');
  await page.locator('[data-testid=rule-customers-link][data-rule=churn-risk]').click();
  await countIs(risky);
  // The riskiest customer's record: the rule's reason and the event's figures rounded too.
  await page.locator('[data-testid=customer-link]').first().click();
  await page.locator('[data-testid=rule-event]').first().waitFor({ timeout: 30_000 });
  const events = await page.locator('[data-testid=rule-event]').allTextContents();
  assert.ok(events.some((t) => /because probability = 0\.\d{1,3}(?!\d)/.test(t)), events.join('\n'));
  for (const t of events) assert.ok(!/\d\.\d{5,}/.test(t), t);
  assert.deepEqual(pageErrors, []);
});

test('Profile: the jargon alerts (outliers, skewness) in plain words next to the figure', async () => {
  await go('#/profile');
  await page.locator('[data-testid=input-table]').selectOption(TELCO_NAME);
  await page.locator('[data-testid=run-profile]').click();
  await page.locator('[data-testid=alerts] tr').first().waitFor({ timeout: 60_000 });
  const texts = await page.locator('[data-testid=alert-plain]').allTextContents();
  assert.ok(texts.length > 0);
  const kinds = await page.locator('[data-testid=alerts] tr').evaluateAll((rows) => rows.map((r) => r.dataset.kind));
  // TotalCharges: the engine's "1.5·IQR" and "modified z-score" come after plain words.
  const outliers = texts[kinds.indexOf('outliers')];
  assert.match(outliers, /^some values lie far from the rest \(.*1\.5·IQR.*\)$/, outliers);
  // No message is left in the engine's jargon alone.
  for (const t of texts) assert.ok(!/IQR|z-score|skewness/.test(t) || /^[a-z][^(]+ \(/.test(t), t);
  await page.locator('[data-testid=alerts]').screenshot({ path: join(OUT_DIR, 'links-profile-alerts.png') });
  assert.deepEqual(pageErrors, []);
});

test('Predict on another file (CDNOW orders, ids not in the Telco list): best F1, Yes/No, and its count not linked to a list it is not in', async () => {
  await go('#/data');
  await page.locator('[data-testid=file-input]').setInputFiles(CDNOW);
  await page.locator('[data-testid=summary] h2', { hasText: 'CDNOW_master.txt' }).waitFor({ timeout: 60_000 });
  await go('#/predict');
  await page.locator('#pred-mode').selectOption('orders');
  await page.locator('#pred-customer').selectOption('customer_id');
  await page.locator('#pred-date').selectOption('date');
  await page.locator('#pred-cutoff').fill('1997-09-30');
  await page.locator('#pred-horizon').fill('273');
  await train(async () => { await page.locator('#pred-threshold').selectOption('maxF1'); });
  assert.equal(await page.locator('[data-testid=pred-threshold-rule]').textContent(), 'the highest F1 out of fold');
  const labels = new Set(await page.locator('[data-testid=pred-row] td:nth-child(3)').allTextContents());
  assert.ok([...labels].every((l) => l === 'Yes' || l === 'No') && labels.size > 0, [...labels].join());
  assert.equal(await page.locator('[data-testid=pred-above-link]').count(), 0);
  assert.ok(Number(await page.locator('[data-testid=pred-above]').getAttribute('data-count')) > 0);
  assert.deepEqual(pageErrors, []);
});

test('every request is a same-origin GET without a body', () => {
  assertSameOriginGets(requests, demo.origin);
});
