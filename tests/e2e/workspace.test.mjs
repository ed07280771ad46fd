// End-to-end test of the workspace: three files with roles (the CDNOW transaction log, a
// customer attribute table and reviews generated from CDNOW's own customer ids), the join
// keys proposed with their match counts, derived tables kept across views, the Customers
// list filtered by a segment (count = the segment's size in the Customer value view), a
// customer record page, formula-safe exports, and the encrypted save / reopen round trip
// (wrong passphrase refused, "forget everything" deletes it).
//
// Run from the repository root: node --test tests/e2e/workspace.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameOriginGets, useDemo } from './_chromium.mjs';

const CDNOW = fileURLToPath(new URL('../../../shared/data/cdnow_lifetimes/CDNOW_master.txt', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));
const FIX_DIR = join(OUT_DIR, 'workspace-fixtures');

// ---------- fixtures generated from the real CDNOW ids ----------
const ids = [...new Set(readFileSync(CDNOW, 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/)[0]))]; // after the header
// Every 50th customer has no CRM record (98% found); 40 CRM rows are not customers of the log.
const withRecord = ids.filter((_, i) => i % 50 !== 7);
const CITIES = ['Oslo', 'Lima', 'Rome', 'Kyoto', 'Austin', 'Lyon'];
const INJECTED = '=HYPERLINK("http://evil.example","click")';
const attrLines = ['customerID,name,city,signup_channel'];
withRecord.forEach((id, i) => {
  const name = i === 2 ? INJECTED : `Customer ${id}`;
  attrLines.push(`${id},"${name.replace(/"/g, '""')}",${CITIES[i % CITIES.length]},${i % 3 ? 'web' : 'store'}`);
});
for (let i = 0; i < 40; i++) attrLines.push(`9${String(i).padStart(5, '0')},Prospect ${i},Oslo,web`);
const POS = ['Great selection and fast delivery, I love it!', 'Excellent service, very happy with my order.', 'Good prices and friendly support.'];
const NEG = ['Terrible packaging, the CD arrived broken.', 'Awful delay, I am very disappointed.', 'Bad experience: the order was wrong.'];
const reviewLines = ['cust_id,review'];
for (let k = 0; k < 600; k++) {
  const id = ids[(Math.floor(k / 2) * 37) % ids.length]; // two reviews each
  const text = k === 5 ? '@SUM(1+1) cmd injection attempt, awful' : (k % 3 === 0 ? NEG : POS)[k % 3 === 0 ? k % NEG.length : k % POS.length];
  reviewLines.push(`${id},"${text}"`);
}
mkdirSync(FIX_DIR, { recursive: true });
const ATTRS = join(FIX_DIR, 'customers.csv');
const REVIEWS = join(FIX_DIR, 'reviews.csv');
writeFileSync(ATTRS, `${attrLines.join('\n')}\n`);
writeFileSync(REVIEWS, `${reviewLines.join('\n')}\n`);
const REVIEWED = ids[3 * 37]; // reviews k = 6 (negative) and 7 (positive)

// Per-customer results made elsewhere, in the shapes crmlens predict and rules write: a
// churn model's scores (id, probability, label, top factor) and rule events (rule, key,
// action, priority, status, reason), both from each customer's real purchase count.
const purchases = new Map();
for (const l of readFileSync(CDNOW, 'utf8').trim().split('\n').slice(1)) {
  const id = l.trim().split(/\s+/)[0];
  purchases.set(id, (purchases.get(id) ?? 0) + 1);
}
const scoreLines = ['customerID,probability,label,factor1,factor1Value,factor1Contribution'];
for (const id of ids) {
  const n = purchases.get(id);
  const p = 1 / (1 + 0.5 * n);
  scoreLines.push(`${id},${p.toFixed(4)},${p >= 0.5 ? 'Yes' : 'No'},purchases,${n},${(-0.5 * n).toFixed(2)}`);
}
const eventLines = ['rule,key,action,priority,status,reason'];
const events = []; // [key, action, priority, status]
for (const id of ids) {
  const n = purchases.get(id);
  if (n >= 10) events.push([id, 'loyal-buyer', 'Personal outreach', 1, 'new', `purchases = ${n}`]);
  if (n >= 20) events.push([id, 'top-buyer', 'Call within 24 h', 0, 'continuing', `purchases = ${n}`]);
  if (n === 1 && id.endsWith('3')) events.push([id, 'one-time', 'Send a welcome-back offer', 2, 'new', 'purchases = 1']);
  if (n >= 30) events.push([id, 'vip-check', 'Send a gift', 0, 'resolved', `purchases = ${n}`]); // resolved: never the next action
}
for (const [id, rule, action, priority, status, reason] of events) eventLines.push(`${rule},${id},${action},${priority},${status},${reason}`);
// The next action per customer: the most urgent open event (lowest priority, then first).
const nextAction = new Map();
for (const [id, , action, priority, status] of events) {
  if (status === 'resolved') continue;
  const best = nextAction.get(id);
  if (!best || priority < best.priority) nextAction.set(id, { action, priority });
}
const actionCount = (a) => [...nextAction.values()].filter((x) => x.action === a).length;
const TOP = ids.find((id) => purchases.get(id) >= 30);
const SCORES = join(FIX_DIR, 'churn-scores.csv');
const EVENTS = join(FIX_DIR, 'rule-events.csv');
writeFileSync(SCORES, `${scoreLines.join('\n')}\n`);
writeFileSync(EVENTS, `${eventLines.join('\n')}\n`);

const demo = useDemo({ context: { acceptDownloads: true } });
const { page, requests, pageErrors, go } = demo;

async function downloadText(click) {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

test('three files with roles, join keys proposed with their match counts', async () => {
  await go('#/workspace');
  await page.locator('[data-testid=ws-file-input]').setInputFiles([CDNOW, ATTRS, REVIEWS]);
  await page.locator('[data-testid=ws-table]').nth(2).waitFor({ timeout: 60_000 });
  const roles = await page.locator('[data-testid=ws-table]').evaluateAll((rows) => rows.map((r) => [r.dataset.table, r.dataset.role]));
  assert.deepEqual(roles, [['CDNOW_master.txt', 'orders'], ['customers.csv', 'customers'], ['reviews.csv', 'feedback']]);
  const ordersJoin = page.locator('[data-testid=join][data-table="CDNOW_master.txt"][data-target="customers.csv"]');
  await ordersJoin.waitFor({ timeout: 30_000 });
  // 23,570 distinct customers in the log (MANIFEST), of which every 50th has no CRM record.
  assert.equal(await ordersJoin.getAttribute('data-distinct'), String(ids.length));
  assert.equal(await ordersJoin.getAttribute('data-found'), String(withRecord.length));
  const text = await ordersJoin.locator('[data-testid=join-text]').textContent();
  assert.match(text, /98% of CDNOW_master\.txt\.customer_id found in customers\.csv\.customerID \(23,098 of 23,570 ids; /);
  const reviewsJoin = page.locator('[data-testid=join][data-table="reviews.csv"][data-target="customers.csv"]');
  assert.match(await reviewsJoin.locator('[data-testid=join-text]').textContent(), /of reviews\.csv\.cust_id found in customers\.csv\.customerID/);
  // Editable: another column gives another count (no customer id is a city).
  await ordersJoin.locator('select').nth(1).selectOption('city');
  await page.locator('[data-testid=join][data-table="CDNOW_master.txt"][data-target="customers.csv"][data-found="0"]').waitFor();
  await page.locator('[data-testid=join][data-table="CDNOW_master.txt"][data-target="customers.csv"] select').nth(1).selectOption('customerID');
  await page.locator(`[data-testid=join][data-table="CDNOW_master.txt"][data-target="customers.csv"][data-found="${withRecord.length}"]`).waitFor();
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUT_DIR, 'workspace.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

let segmentSizes;
let groupSize;
let recordSentiment;
let clusterNote;
test('derived tables: customer value and the sentiment roll-up stay in the workspace across views', async () => {
  await go('#/value');
  await page.locator('[data-testid=input-table]').selectOption('CDNOW_master.txt');
  // Long work shows progress and can be cancelled: Cancel right after Compute stops it in the worker.
  await page.evaluate(() => {
    document.querySelector('[data-testid=compute]').click();
    document.querySelector('[data-testid=cancel-value]').click();
  });
  await page.locator('[data-testid=value-cancelled]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid=compute]').click();
  await page.locator('[data-testid=customers] dd').waitFor({ timeout: 60_000 });
  segmentSizes = Object.fromEntries(await page.locator('[data-testid=segments] tbody tr').evaluateAll((rows) =>
    rows.map((r) => [r.cells[0].textContent, Number(r.cells[1].textContent.replace(/,/g, ''))])));
  assert.match(await page.locator('[data-testid=at-risk]').textContent(), /^[\d,]+ customers at risk/);
  // Sentiment of the reviews, rolled up per customer.
  await go('#/sentiment');
  await page.locator('[data-testid=input-table]').selectOption('reviews.csv');
  await page.locator('#st-column').selectOption('review');
  await page.locator('#st-customer').selectOption('cust_id');
  await page.evaluate(() => {
    document.querySelector('[data-testid=analyse]').click();
    document.querySelector('[data-testid=cancel-sentiment]').click();
  });
  await page.locator('[data-testid=sentiment-cancelled]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid=analyse]').click();
  await page.locator('[data-testid=distribution]').waitFor({ timeout: 60_000 });
  // The customer column came from the join proposed in the Workspace; the roll-up joins the workspace.
  assert.match(await page.locator('[data-testid=sentiment-kept]').textContent(), /^Kept in the workspace as sentiment \(reviews\.csv\): each customer's mean score and share of negative reviews/);
  // Segments of the customer value table (one row per customer): the labels become a table too.
  await go('#/segments');
  // On the orders file, the view says it would group purchases and offers the customer table made from it.
  await page.locator('[data-testid=input-table]').selectOption('CDNOW_master.txt');
  await page.locator('[data-testid=orders-notice]').waitFor();
  await page.locator('[data-testid=use-customer-table]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=input-table]')?.value === 'customer value (CDNOW_master.txt)');
  assert.equal(await page.locator('[data-testid=orders-notice]').count(), 0);
  await page.locator('#seg-k').selectOption('4');
  for (const c of ['frequency', 'monetary', 'recency', 'T', 'rScore', 'fScore', 'mScore', 'pAlive', 'expectedPurchases', 'expectedSpend', 'clv']) {
    const box = page.locator(`#seg-col-${c}`);
    if (await box.count()) await box.setChecked(['frequency', 'monetary', 'recency', 'T'].includes(c));
  }
  await page.locator('[data-testid=run-segment]').click();
  await page.locator('[data-testid=segment-summary]').waitFor({ timeout: 120_000 });
  groupSize = Number((await page.locator('[data-testid=segment-size-link]').first().textContent()).match(/^([\d,]+) customers/)[1].replace(/,/g, ''));
  // Back to Customer value: the result is still shown, not recomputed.
  await go('#/value');
  await page.locator('[data-testid=input-table]').selectOption('CDNOW_master.txt');
  await page.locator('[data-testid=customers] dd').waitFor({ timeout: 10_000 });
  await go('#/workspace');
  await page.locator('[data-testid=ws-table][data-kind=value]').waitFor();
  await page.locator('[data-testid=ws-table][data-kind=sentiment]').waitFor();
  await page.locator('[data-testid=ws-table][data-kind=segments]').waitFor();
  assert.deepEqual(pageErrors, []);
});

test('Customers list: a segment count links to the list filtered by that segment; search, sort, at risk', async () => {
  await go('#/value');
  await page.locator('[data-testid=segment-link]').first().waitFor({ timeout: 10_000 });
  const seg = 'Champions';
  assert.ok(segmentSizes[seg] > 0);
  await page.locator('[data-testid=segments] tr', { hasText: seg }).locator('[data-testid=segment-link]').click();
  const count = page.locator('[data-testid=customer-count]');
  await count.waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=filter-segment]').inputValue(), seg);
  assert.equal(Number(await count.getAttribute('data-count')), segmentSizes[seg]);
  assert.match(await count.textContent(), new RegExp(`^${segmentSizes[seg].toLocaleString('en-US')} of 23,570 customers`));
  // Virtual scrolling: only a window of rows is in the DOM.
  const rendered = await page.locator('[data-testid=customer-row]').count();
  assert.ok(rendered > 10 && rendered < 60, `${rendered} rows rendered`);
  const segs = await page.locator('[data-testid=customer-row]').evaluateAll((rows) => rows.length);
  assert.ok(segs > 0);
  // Charts of the rows shown: the scatter draws every customer with both values; bars per group.
  await page.locator('[data-testid=chart-scatter] canvas').waitFor();
  assert.ok(Number(await page.locator('[data-testid=chart-scatter] canvas').getAttribute('data-points')) > 0);
  const barCounts = (await page.locator('[data-testid=chart-bars] rect title').allTextContents()).map((t) => Number(t.match(/\((\d+) customers\)/)[1]));
  assert.ok(barCounts.length >= 1);
  assert.equal(barCounts.reduce((a, b) => a + b, 0), segmentSizes[seg]);
  await page.screenshot({ path: join(OUT_DIR, 'customers.png'), fullPage: true });
  // A segment's size on the Segments view links to the list of its customers.
  await go('#/segments');
  await page.locator('[data-testid=input-table]').selectOption('customer value (CDNOW_master.txt)');
  await page.locator('[data-testid=segment-size-link]').first().click();
  await page.waitForFunction((n) => document.querySelector('[data-testid=customer-count]')?.dataset.count === String(n), groupSize, { timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=filter-group]').inputValue(), 'Segment 1');
  await page.locator('[data-testid=filter-group]').selectOption('');
  // All segments: every customer; scroll to the end renders the last rows.
  await page.locator('[data-testid=filter-segment]').selectOption('');
  assert.equal(await count.getAttribute('data-count'), '23570');
  await page.locator('[data-testid=customer-list]').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=customer-row]')].some((r) => r.getBoundingClientRect().height > 0 && r.offsetTop >= 0) && document.querySelector('[data-testid=customer-list]').scrollTop > 100000);
  // At risk: high value and low P(alive).
  await page.locator('[data-testid=filter-atrisk]').check();
  const risky = Number(await count.getAttribute('data-count'));
  assert.ok(risky > 0 && risky < 23570 / 4, `${risky} at risk`);
  await page.locator('[data-testid=filter-atrisk]').uncheck();
  // Attributes and sentiment are joined on: search finds the customer by their city and name.
  await page.locator('[data-testid=search]').fill('HYPERLINK');
  await page.waitForFunction(() => document.querySelector('[data-testid=customer-count]').dataset.count === '1');
  // The Sentiment view's per-customer counts link to the list filtered by the customer's tone.
  await go('#/sentiment');
  await page.locator('[data-testid=input-table]').selectOption('reviews.csv');
  await page.locator('[data-testid=sentiment-link]').first().waitFor({ timeout: 10_000 });
  const byTone = await page.locator('[data-testid=sentiment-link]').evaluateAll((as) => as.map((a) => [a.dataset.label, Number(a.textContent.match(/^([\d,]+) /)[1].replace(/,/g, ''))]));
  // 300 reviewed customers, two reviews each (one negative and one positive, or two positive).
  assert.equal(byTone.reduce((s, [, n]) => s + n, 0), 300);
  const [tone, nTone] = byTone.find(([, n]) => n > 0 && n < 300);
  await page.locator(`[data-testid=sentiment-link][data-label=${tone}]`).click();
  await page.waitForFunction((n) => document.querySelector('[data-testid=customer-count]')?.dataset.count === String(n), nTone, { timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=filter-sentiment]').inputValue(), tone);
  await go('#/customers?q=HYPERLINK');
  await page.waitForFunction(() => document.querySelector('[data-testid=customer-count]')?.dataset.count === '1', null, { timeout: 60_000 });
  assert.deepEqual(pageErrors, []);
});

test('exports are formula-safe, with a UTF-8 mark and a meaningful name', async () => {
  const { name, bytes } = await downloadText(() => page.locator('[data-testid=export-customers]').click());
  assert.match(name, /^customers_search-hyperlink_\d{4}-\d{2}-\d{2}\.csv$/);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const csv = bytes.toString('utf8');
  const lines = csv.trim().split(/\r?\n/);
  assert.equal(lines.length, 2);
  assert.ok(lines[1].includes(`"'=HYPERLINK(""http://evil.example"",""click"")"`), lines[1]);
  assert.ok(!/(^|,)=/.test(lines[1]));
  // The workspace's per-table export goes through the same writer: the review starting with @ is neutralised.
  await go('#/workspace');
  const row = page.locator('[data-testid=ws-table][data-table="reviews.csv"]');
  const reviews = await downloadText(() => row.locator('button', { hasText: 'Export' }).click());
  assert.match(reviews.name, /^reviews-csv_\d{4}-\d{2}-\d{2}\.csv$/);
  const text = reviews.bytes.toString('utf8');
  assert.ok(text.includes("'@SUM(1+1) cmd injection attempt, awful"));
  assert.ok(!/(^|\n|,)"?@SUM/.test(text));
  // The Sentiment view's scores (every review with its label) through the same writer.
  await go('#/sentiment');
  await page.locator('[data-testid=input-table]').selectOption('reviews.csv');
  const scores = await downloadText(() => page.locator('[data-testid=export-scores]').click());
  assert.match(scores.name, /^sentiment_reviews-csv_\d{4}-\d{2}-\d{2}\.csv$/);
  assert.deepEqual([...scores.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const scored = scores.bytes.toString('utf8');
  assert.ok(scored.includes("'@SUM(1+1) cmd injection attempt, awful"));
  assert.ok(!/(^|\n|,)"?@SUM/.test(scored));
  assert.equal(scored.trim().split(/\r?\n/).length, 601);
});

test('customer record: value in plain language, purchase timeline, reviews with sentiment', async () => {
  await go(`#/customer/${REVIEWED}`);
  await page.locator('[data-testid=record-id]').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-testid=record-id]').textContent(), `Customer ${REVIEWED}`);
  await page.screenshot({ path: join(OUT_DIR, 'customer-record.png'), fullPage: true });
  await page.locator('[data-testid=record-reviews]').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('[data-testid=plain-value]').textContent(),
    /^(Likely still active|May have stopped buying|Probably no longer buying); expected [\d.]+ purchases in the next 12 months/);
  const expected = readFileSync(CDNOW, 'utf8').trim().split('\n').filter((l) => l.trim().split(/\s+/)[0] === REVIEWED).length;
  assert.match(await page.locator('[data-testid=record-orders] h2').textContent(), new RegExp(`Purchases \\(${expected}\\)`));
  assert.equal(await page.locator('[data-testid=record-orders] circle').count(), expected);
  const mine = reviewLines.slice(1).filter((l) => l.startsWith(`${REVIEWED},`)).length;
  assert.equal(await page.locator('[data-testid=review]').count(), mine);
  const labels = await page.locator('[data-testid=review]').evaluateAll((li) => li.map((x) => x.dataset.label));
  assert.ok(labels.every((l) => ['positive', 'negative', 'neutral'].includes(l)), labels.join());
  assert.ok(await page.locator('[data-testid=record-reviews] mark').count() > 0);
  assert.match(await page.locator('[data-testid=record-attributes]').textContent(), /city/);
  // Their cluster segment and what sets it apart (from the Segments view), linked to its list.
  assert.match(await page.locator('[data-testid=cluster-note]').textContent(), /^Segment [1-4]: .+ \([\d,]+ customers\)\. All customers in Segment [1-4]$/);
  // Their sentiment from the roll-up: one negative and one positive review.
  assert.equal(await page.locator('[data-testid=fig-negativeShare] dd').textContent(), '50% of 2 reviews');
  assert.match(await page.locator('[data-testid=fig-sentimentMean] dd').textContent(), /^-?\d(\.\d{1,2})?$/);
  recordSentiment = await page.locator('[data-testid=fig-sentimentMean] dd').textContent();
  clusterNote = await page.locator('[data-testid=cluster-note]').textContent();
  await page.screenshot({ path: join(OUT_DIR, 'customer-record.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('any per-customer table with a key joins: churn probability and next action in the list and on the record', async () => {
  await go('#/workspace');
  await page.locator('[data-testid=ws-file-input]').setInputFiles([SCORES, EVENTS]);
  await page.locator('[data-testid=ws-table][data-table="rule-events.csv"]').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=ws-table][data-table="churn-scores.csv"]').getAttribute('data-role'), 'other');
  assert.equal(await page.locator('[data-testid=ws-table][data-table="rule-events.csv"]').getAttribute('data-role'), 'other');
  // Both are proposed a join to the customers file, with their counts.
  const scoresJoin = page.locator('[data-testid=join][data-table="churn-scores.csv"][data-target="customers.csv"]');
  await scoresJoin.waitFor({ timeout: 30_000 });
  assert.equal(await scoresJoin.getAttribute('data-found'), String(withRecord.length));
  await page.locator('[data-testid=join][data-table="rule-events.csv"][data-target="customers.csv"]').waitFor({ timeout: 30_000 });
  // The workspace says how the customer list is built: which table joins by which key.
  assert.equal(await page.locator('[data-testid=ws-plan-part][data-table="churn-scores.csv"]').textContent(), 'churn-scores.csv joined by churn-scores.csv.customerID = customer_id');
  assert.equal(await page.locator('[data-testid=ws-plan-part][data-table="rule-events.csv"]').textContent(), 'rule-events.csv (rolled up to the next action per customer) joined by rule-events.csv.key = customer_id');

  await go('#/customers');
  const count = page.locator('[data-testid=customer-count]');
  await page.locator('[data-testid=filter-nextAction]').waitFor({ timeout: 60_000 });
  const heads = await page.locator('.vhead [data-testid=sort]').allTextContents();
  // The id, then the churn probability, the predicted class and the next action lead the list.
  assert.deepEqual(heads.slice(1, 4).map((t) => t.replace(/ [▲▼]$/, '')), ['Churn probability', 'Predicted churn', 'Next action']);
  const joins = await page.locator('[data-testid=join-report]').allTextContents();
  assert.ok(joins.some((t) => t.startsWith(`churn-scores.csv: 23,570 of 23,570 customers matched`)), joins.join('\n'));
  assert.ok(joins.some((t) => t.startsWith(`rule-events.csv: ${nextAction.size.toLocaleString('en-US')} of 23,570 customers matched`)), joins.join('\n'));
  for (const a of ['Personal outreach', 'Call within 24 h', 'Send a welcome-back offer']) {
    await page.locator('[data-testid=filter-nextAction]').selectOption(a);
    await page.waitForFunction((n) => document.querySelector('[data-testid=customer-count]')?.dataset.count === String(n), actionCount(a), { timeout: 10_000 });
  }
  assert.ok(!(await page.locator('[data-testid=filter-nextAction] option').allTextContents()).includes('Send a gift'));
  // The address keeps the filter; the export's name says which list it is; sorted by the probability when asked.
  await page.locator('[data-testid=filter-nextAction]').selectOption('Personal outreach');
  await page.waitForFunction((n) => document.querySelector('[data-testid=customer-count]')?.dataset.count === String(n), actionCount('Personal outreach'));
  assert.match(await page.evaluate(() => location.hash), /nextAction=Personal\+outreach/);
  await page.locator('.vhead [data-column=probability]').click();
  const { name, bytes } = await downloadText(() => page.locator('[data-testid=export-customers]').click());
  assert.match(name, /^customers_action-personal-outreach_\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines.length, actionCount('Personal outreach') + 1);
  const pi = lines[0].split(',').indexOf('probability');
  const probs = lines.slice(1).map((l) => Number(l.split(',')[pi]));
  // 10 to 19 purchases: 1 / (1 + 0.5 n) from 0.1667 down to 0.0952, highest first.
  assert.equal(probs[0], 0.1667);
  assert.equal(probs[probs.length - 1], 0.0952);
  assert.ok(probs.every((x, i) => i === 0 || x <= probs[i - 1]), 'sorted by probability, highest first');
  // The mean churn probability per RFM segment (the target rate per segment).
  await page.locator('[data-testid=chart-measure]').selectOption('probability');
  await page.locator('[data-testid=chart-by]').selectOption('segment');
  await page.locator('[data-testid=chart-bars] rect').first().waitFor();
  await page.locator('[data-testid=filter-nextAction]').selectOption('');
  await count.waitFor();

  // The record of a top buyer: what to do, the prediction in words and its factor, the rules that fired.
  await go(`#/customer/${TOP}`);
  await page.locator('[data-testid=record-next]').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('[data-testid=next-action]').textContent(), /^Next action: Call within 24 h \(rules: top-buyer; loyal-buyer\)/);
  const p = 1 / (1 + 0.5 * purchases.get(TOP));
  assert.equal(await page.locator('[data-testid=prediction]').first().textContent(), `Churn probability: ${Math.round(100 * p)}% (low)`);
  assert.equal(await page.locator('[data-testid=factors] li').first().textContent(), `purchases = ${purchases.get(TOP)} — lowers it`);
  const statuses = await page.locator('[data-testid=rule-event]').evaluateAll((li) => li.map((x) => x.dataset.status));
  assert.deepEqual(statuses.sort(), ['continuing', 'new', 'resolved']);
  await page.screenshot({ path: join(OUT_DIR, 'customer-record-actions.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('save encrypted, reload, wrong passphrase refused, reopen, forget everything', async () => {
  await go('#/workspace');
  await page.locator('[data-testid=ws-table]').first().waitFor();
  const before = await page.locator('[data-testid=ws-table]').count();
  await page.locator('[data-testid=ws-pass]').fill('correct horse battery');
  await page.locator('[data-testid=ws-save]').click();
  await page.locator('[data-testid=ws-vault-message]', { hasText: /Saved|Could not/ }).waitFor({ timeout: 120_000 });
  assert.match(await page.locator('[data-testid=ws-vault-message]').textContent(), /^Saved \d+ tables/);
  // What is stored is not readable: no customer id or city in the IndexedDB record.
  const stored = await page.evaluate(() => new Promise((ok, fail) => {
    const r = indexedDB.open('crmlens-workspace');
    r.onsuccess = () => {
      const g = r.result.transaction('vault').objectStore('vault').get('workspace');
      g.onsuccess = () => ok({ iterations: g.result.iterations, salt: g.result.salt.length, iv: g.result.iv.length, text: new TextDecoder('latin1').decode(g.result.data) });
      g.onerror = () => fail(g.error);
    };
  }));
  assert.ok(stored.iterations >= 100_000);
  assert.equal(stored.salt, 16);
  assert.equal(stored.iv, 12);
  assert.ok(!stored.text.includes('Oslo') && !stored.text.includes('customer_id'));

  await page.reload();
  await go('#/workspace');
  await page.locator('[data-testid=ws-empty]').waitFor();
  await page.locator('[data-testid=ws-saved-info]', { hasText: 'A workspace is saved' }).waitFor();
  await page.locator('[data-testid=ws-pass]').fill('wrong passphrase');
  await page.locator('[data-testid=ws-open]').click();
  await page.locator('[data-testid=ws-vault-message] [data-kind=error]').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('[data-testid=ws-vault-message]').textContent(), /^Wrong passphrase/);
  assert.equal(await page.locator('[data-testid=ws-table]').count(), 0);
  await page.locator('[data-testid=ws-pass]').fill('correct horse battery');
  await page.locator('[data-testid=ws-open]').click();
  await page.locator('[data-testid=ws-vault-message]', { hasText: 'Reopened' }).waitFor({ timeout: 120_000 });
  assert.equal(await page.locator('[data-testid=ws-table]').count(), before);
  assert.equal(await page.locator('[data-testid=ws-table][data-table="CDNOW_master.txt"] [data-testid=ws-rows]').textContent(), '69,659');
  // The reopened workspace still joins and lists every customer, by segment.
  await go('#/customers?segment=Champions');
  await page.locator('[data-testid=customer-count]').waitFor({ timeout: 60_000 });
  assert.equal(Number(await page.locator('[data-testid=customer-count]').getAttribute('data-count')), segmentSizes.Champions);
  await page.screenshot({ path: join(OUT_DIR, 'workspace-reopened.png'), fullPage: true });
  // The Customer value result came back too: shown without computing again.
  await go('#/value');
  await page.locator('[data-testid=input-table]').selectOption('CDNOW_master.txt');
  await page.locator('[data-testid=customers] dd').waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('[data-testid=customers] dd').textContent(), '23,570');
  assert.equal(await page.locator('[data-testid=value-working]').count(), 0);
  const champions = await page.locator('[data-testid=segments] tr', { hasText: 'Champions' }).locator('[data-testid=segment-link]').textContent();
  assert.equal(Number(champions.replace(/,/g, '')), segmentSizes.Champions);
  // The Segments and Sentiment results came back too: shown without computing again, their
  // per-customer tables still joined (the list's sentiment columns, the record's cluster note).
  await go('#/segments');
  await page.locator('[data-testid=input-table]').selectOption('customer value (CDNOW_master.txt)');
  await page.locator('[data-testid=segment-summary]').waitFor({ timeout: 10_000 });
  assert.equal(Number((await page.locator('[data-testid=segment-size-link]').first().textContent()).match(/^([\d,]+) customers/)[1].replace(/,/g, '')), groupSize);
  assert.equal(await page.locator('[data-testid=seg-k] dd').textContent(), '4');
  assert.ok(Number(await page.locator('[data-testid=scatter-canvas]').getAttribute('data-points')) > 20_000);
  await go('#/sentiment');
  await page.locator('[data-testid=input-table]').selectOption('reviews.csv');
  await page.locator('[data-testid=distribution]').waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('[data-testid=sentiment-working]').count(), 0);
  assert.equal(await page.locator('[data-testid=most-negative] mark.neg').count() > 0, true);
  await go(`#/customer/${REVIEWED}`);
  await page.locator('[data-testid=fig-negativeShare]').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-testid=fig-negativeShare] dd').textContent(), '50% of 2 reviews');
  assert.equal(await page.locator('[data-testid=fig-sentimentMean] dd').textContent(), recordSentiment);
  assert.equal(await page.locator('[data-testid=cluster-note]').textContent(), clusterNote);
  await go('#/customers');
  await page.locator('[data-testid=customer-count]').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=column-choice] input[value=negativeShare], [data-testid=column-choice] input[value=sentimentMean]').count(), 2);
  assert.match(await page.locator('[data-testid=column-choice]').textContent(), /Share of negative reviews/);
  // The scores and rule events came back with their role: the next action still joins.
  await go(`#/customers?nextAction=${encodeURIComponent('Call within 24 h')}`);
  await page.waitForFunction((n) => document.querySelector('[data-testid=customer-count]')?.dataset.count === String(n), actionCount('Call within 24 h'), { timeout: 60_000 });

  await go('#/workspace');
  await page.locator('[data-testid=ws-forget]').click();
  await page.locator('[data-testid=ws-vault-message]', { hasText: 'forgotten' }).waitFor();
  await page.locator('[data-testid=ws-saved-info]', { hasText: 'Nothing saved yet' }).waitFor();
  assert.equal(await page.locator('[data-testid=ws-table]').count(), 0);
  assert.deepEqual(pageErrors, []);
});

test('every request is a same-origin GET without a body', () => {
  assertSameOriginGets(requests, demo.origin);
});
