// End-to-end test of the demo on every core (issue 22): the Data view's "Workers" choice
// reads Telco through CrmlensPool (one shard per worker, the count shown); Profile and
// Segments run on the shards and give what one worker gives on the whole table (the profile's
// row, duplicate and alert counts; the k-means segment sizes); a view that needs one Dataset
// says so and reads the file again in one worker; Cancel stops a pooled load and the pool
// stays usable. Nothing leaves the origin.
//
// Run from the repository root: node --test tests/e2e/pool_demo.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertSameOriginGets, useDemo } from './_chromium.mjs';

const TELCO = fileURLToPath(new URL('../../../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv', import.meta.url));
const NAME = 'WA_Fn-UseC_-Telco-Customer-Churn.csv';
const SEG_COLUMNS = ['tenure', 'MonthlyCharges', 'TotalCharges'];

let workers; // what CrmlensPool({ workers: 'auto' }) starts in this browser
// From the pool's own rule (pkg/pool.js autoWorkers), as the demo's poolWorkers() reads it.
const demo = useDemo({ setup: async (p) => { workers = await p.evaluate(async () => (await import('/pkg/pool.js')).autoWorkers(navigator.hardwareConcurrency)); } });
const { page } = demo;

async function load(mode, files = TELCO, name = NAME) {
  await page.locator('nav a', { hasText: 'Data' }).click();
  await page.locator('[data-testid=workers-mode]').selectOption(mode);
  await page.locator('[data-testid=file-input]').setInputFiles(files);
  await page.locator('[data-testid=summary] h2', { hasText: name }).waitFor({ timeout: 60_000 });
  return page.locator('[data-testid=summary] [data-fact=workers] dd').textContent();
}

async function profileFacts() {
  await page.locator('nav a', { hasText: 'Profile' }).click();
  await page.locator('[data-testid=run-profile]').click();
  const box = page.locator('[data-testid=profile-overview]');
  await box.waitFor({ timeout: 60_000 });
  const fact = (id) => box.locator(`[data-testid=${id}] dd`).textContent();
  return { rows: await fact('rows'), duplicates: await fact('duplicates'), alerts: await fact('alert-count'), how: await box.locator('[data-testid=profiled-in]').textContent() };
}

/** Segments view: only SEG_COLUMNS, k = 4, standard scaling, impute, seed 42. */
async function chooseSegmentForm() {
  await page.locator('nav a', { hasText: 'Segments' }).click();
  await page.locator('[data-testid=run-segment]').waitFor();
  await page.locator('[data-testid=seg-columns] input[type=checkbox]').evaluateAll((els, keep) => {
    for (const e of els) e.checked = keep.includes(e.value);
  }, SEG_COLUMNS);
  await page.locator('#seg-k').selectOption('4');
}

test('Telco on every core: the worker count shown; profile and k-means equal one worker; other views read it again in one worker', async () => {
  // One worker: the reference.
  assert.equal(await load('one'), 'one worker');
  const rowsOne = await page.locator('[data-testid=summary] [data-fact=rows] dd').textContent();
  assert.equal(rowsOne, '7,043');
  const profOne = await profileFacts();
  await chooseSegmentForm();
  await page.locator('#seg-algorithm').selectOption('kmeans');
  await page.locator('[data-testid=run-segment]').click();
  await page.locator('[data-testid=segment-card]').first().waitFor({ timeout: 120_000 });
  const heads = await page.locator('[data-testid=segment-card] .card-head .muted').allTextContents();
  const sizesOne = heads.map((t) => Number(t.split(' ')[0].replace(/,/g, '')));
  assert.equal(sizesOne.length, 4);
  assert.equal(sizesOne.reduce((a, v) => a + v, 0), 7043);
  // k 'auto' (2–10 by silhouette) in one worker: the k the pool must choose too.
  await page.locator('#seg-k').selectOption('auto');
  await page.locator('[data-testid=run-segment]').click();
  const autoChoice = page.locator('[data-testid=k-choice]', { hasText: 'of k = 2–10' });
  await autoChoice.waitFor({ timeout: 120_000 });
  const kChoiceOne = await autoChoice.textContent();
  const kOne = await page.locator('[data-testid=segment-summary] [data-testid=seg-k] dd').textContent();

  // Every core: the same file through the pool, one shard per worker.
  const shown = await load('pool');
  assert.equal(shown, `${workers} workers (${workers} ${workers === 1 ? 'shard' : 'shards'})`);
  assert.equal(await page.locator('[data-testid=summary] [data-fact=rows] dd').textContent(), rowsOne);
  assert.match(await page.locator('[data-testid=pool-hint]').textContent(), new RegExp(`Held by ${workers} workers`));
  // The first rows come from the shards, in file order.
  assert.ok(await page.locator('[data-testid=result] table').count() > 0);

  const profPool = await profileFacts();
  assert.deepEqual({ ...profPool, how: undefined }, { ...profOne, how: undefined });
  assert.match(profPool.how, new RegExp(`by ${workers} workers \\(${workers} shards, states merged\\)`));

  await chooseSegmentForm();
  assert.match(await page.locator('[data-testid=pool-segment-notice]').textContent(), new RegExp(`held in ${workers} shards`));
  await page.locator('[data-testid=run-segment]').click();
  await page.locator('[data-testid=pool-segment-summary]').waitFor({ timeout: 120_000 });
  const sizesPool = await page.locator('[data-testid=pool-segment-row]').evaluateAll((els) => els.map((e) => Number(e.dataset.size)));
  assert.deepEqual(sizesPool, sizesOne);
  assert.match(await page.locator('[data-testid=seg-algorithm] dd').textContent(), new RegExp(`k-means over ${workers} shards`));
  assert.equal(await page.locator('[data-testid=seg-rows] dd').textContent(), '7,043 of 7,043');
  // k 'auto' on the shards: the silhouettes of the rows gathered from them choose the same k.
  await page.locator('#seg-k').selectOption('auto');
  await page.locator('[data-testid=run-segment]').click();
  await page.locator('[data-testid=pool-k-choice]').waitFor({ timeout: 240_000 });
  assert.equal(await page.locator('[data-testid=pool-segment-summary] [data-testid=seg-k] dd').textContent(), kOne);
  assert.equal(await page.locator('[data-testid=pool-k-score]').count(), 9);
  assert.ok(kChoiceOne.startsWith(await page.locator('[data-testid=pool-k-choice]').textContent()), 'the same explanation of k');

  // A view that needs one Dataset says so and reads the file again in one worker.
  await page.locator('nav a', { hasText: 'Customer value' }).click();
  const notice = page.locator('[data-testid=pool-notice]');
  await notice.waitFor();
  assert.match(await notice.textContent(), new RegExp(`held by ${workers} workers`));
  await page.locator('[data-testid=gather]').click();
  await notice.waitFor({ state: 'detached', timeout: 60_000 });
  await page.locator('[data-testid=compute]').waitFor({ timeout: 30_000 });
  await page.locator('nav a', { hasText: 'Data' }).click();
  assert.equal(await page.locator('[data-testid=summary] [data-fact=workers] dd').textContent(), 'one worker');
  assert.equal(await page.locator('[data-testid=summary] [data-fact=rows] dd').textContent(), rowsOne);
  assert.deepEqual(demo.pageErrors, []);
});

test('a pooled load shows progress with the worker count, Cancel stops it, and the pool stays usable', async () => {
  // Telco's rows 12 times over (~12 MB): long enough to press Cancel while it loads.
  const text = readFileSync(TELCO, 'latin1');
  const [head, ...rest] = text.split('\n');
  const body = rest.filter(Boolean).join('\n');
  const big = Buffer.from(`${head}\n${Array.from({ length: 12 }, () => body).join('\n')}\n`, 'latin1');
  await page.locator('nav a', { hasText: 'Data' }).click();
  await page.locator('[data-testid=workers-mode]').selectOption('pool');
  await page.locator('[data-testid=file-input]').setInputFiles({ name: 'telco_x12.csv', mimeType: 'text/csv', buffer: big });
  const panel = page.locator('[data-testid=progress]');
  await panel.waitFor();
  assert.equal(await panel.getAttribute('data-workers'), String(workers));
  await page.locator('[data-testid=cancel]').click();
  await page.locator('[data-testid=cancelled]').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=summary]').count(), 0);

  // The pool takes the next load: the whole big file, with progress up to every byte.
  const seen = page.evaluate(() => new Promise((ok) => {
    const bytes = new Set();
    // From the mutation records, not the DOM at callback time: the last progress update and
    // the summary that replaces the panel can land in one batch of records.
    const note = (el) => {
      if (el?.nodeType !== 1) return;
      const ps = el.matches('[data-testid=progress]') ? [el] : el.querySelectorAll('[data-testid=progress]');
      for (const p of ps) if (p.dataset.bytes !== undefined) bytes.add(Number(p.dataset.bytes));
    };
    const obs = new MutationObserver((records) => {
      for (const r of records) {
        note(r.target);
        r.addedNodes.forEach(note);
        r.removedNodes.forEach(note);
      }
      if (document.querySelector('[data-testid=summary]')) { obs.disconnect(); ok([...bytes]); }
    });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true });
  }));
  await page.locator('[data-testid=file-input]').setInputFiles({ name: 'telco_x12.csv', mimeType: 'text/csv', buffer: big });
  await page.locator('[data-testid=summary] h2', { hasText: 'telco_x12.csv' }).waitFor({ timeout: 120_000 });
  const progress = await seen;
  assert.ok(progress.includes(big.length), `progress reached the file's ${big.length} bytes: ${progress.join(', ')}`);
  // The workers report the bytes they have read as they go (1 MiB pieces), not only each
  // finished range: with 2 workers that gave a single value between 0 and the end.
  const inner = progress.filter((b) => b > 0 && b < big.length);
  if (workers > 1) assert.ok(inner.length >= 2, `progress within the ranges: ${progress.join(', ')}`);
  assert.equal(await page.locator('[data-testid=summary] [data-fact=rows] dd').textContent(), (12 * 7043).toLocaleString('en-US'));
  assert.equal(await page.locator('[data-testid=summary] [data-fact=workers] dd').textContent(), `${workers} workers (${workers} ${workers === 1 ? 'shard' : 'shards'})`);
  assert.deepEqual(demo.pageErrors, []);
  assertSameOriginGets(demo.requests, demo.origin);
});

test('a kept Profile or Segments result is not shown for another file loaded under the same name', async () => {
  const BANK = fileURLToPath(new URL('../../../shared/data/bank_marketing/bank.csv', import.meta.url));
  await load('one');
  assert.equal((await profileFacts()).rows, '7,043');
  await chooseSegmentForm();
  await page.locator('#seg-algorithm').selectOption('kmeans');
  await page.locator('[data-testid=run-segment]').click();
  await page.locator('[data-testid=segment-card]').first().waitFor({ timeout: 120_000 });

  // Another file (UCI Bank Marketing, 4,521 rows) under Telco's name: a new load of that table.
  await page.locator('nav a', { hasText: 'Data' }).click();
  await page.locator('[data-testid=file-input]').setInputFiles({ name: NAME, mimeType: 'text/csv', buffer: readFileSync(BANK) });
  await page.locator('[data-testid=summary] [data-fact=rows] dd', { hasText: '4,521' }).waitFor({ timeout: 60_000 });
  await page.locator('nav a', { hasText: 'Profile' }).click();
  await page.locator('[data-testid=run-profile]').waitFor();
  assert.equal(await page.locator('[data-testid=profile-overview]').count(), 0, 'the profile of the Telco load is not shown for the bank file');
  await page.locator('nav a', { hasText: 'Segments' }).click();
  await page.locator('[data-testid=run-segment]').waitFor();
  assert.equal(await page.locator('[data-testid=segment-card]').count(), 0, 'the segments of the Telco load are not shown for the bank file');

  // Its own profile is kept across view switches (same load).
  assert.equal((await profileFacts()).rows, '4,521');
  await page.locator('nav a', { hasText: 'Data' }).click();
  await page.locator('nav a', { hasText: 'Profile' }).click();
  await page.locator('[data-testid=profile-overview] [data-testid=rows] dd', { hasText: '4,521' }).waitFor({ timeout: 10_000 });
  assert.deepEqual(demo.pageErrors, []);
});
