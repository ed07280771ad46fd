// End-to-end test of the Sentiment view: load a feedback table with English and Chinese
// texts (and a customer column) through the Data view, analyse it in the worker (the
// Chinese data module loads there, from the page's own origin), check the distribution,
// aspects, highlighted texts, terms and the per-customer roll-up, and that no request leaves
// the origin or carries a body.
//
// Run from the repository root: node --test tests/e2e/sentiment.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameOriginGets, openDemo } from './_chromium.mjs';
import { sentiment } from '../../pkg/node.js';
import { parseCsv } from '../js/_util.mjs';

const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));
const ROWS = [
  ['c01', 'Great phone, the battery is amazing and delivery was fast!'],
  ['c01', 'The price is too high but the quality is excellent.'],
  ['c02', 'Terrible service. The staff were rude and the package arrived broken.'],
  ['c02', '送货太慢了，服务态度很差，再也不会买了'],
  ['c03', '我很满意这款手机！'],
  ['c03', '这辆车非常快，比任何想象中的都要迅速!'],
  ['c04', '质量不好，价格也贵'],
  ['c04', 'It is a phone.'],
  ['c05', '味道很好，分量足，送餐很快'],
  ['c05', 'Easy to use and very convenient, I love it'],
];
const CSV = 'customer_id,feedback\n' + ROWS.map(([c, t]) => `${c},"${t.replace(/"/g, '""')}"`).join('\n') + '\n';

let demo;
let origin;
let page;
let requests;
let pageErrors;

before(async () => {
  demo = await openDemo({
    context: { acceptDownloads: true },
    onPage: (p, errors) => {
      p.on('console', (m) => { if (m.type() === 'error') errors.push(new Error(m.text())); });
    },
  });
  ({ origin, page, requests, pageErrors } = demo);
});

after(() => demo?.close());

test('English and Chinese feedback in the Sentiment view', async () => {
  await page.locator('[data-testid=file-input]').setInputFiles({ name: 'feedback.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await page.locator('[data-testid=summary] h2', { hasText: 'feedback.csv' }).waitFor({ timeout: 30_000 });
  await page.locator('nav a', { hasText: 'Sentiment' }).click();
  assert.equal(await page.locator('#st-column').inputValue(), 'feedback');
  assert.equal(await page.locator('#st-customer').inputValue(), 'customer_id');
  await page.locator('[data-testid=analyse]').click();
  await page.locator('[data-testid=distribution] [data-testid=positive] dd').waitFor({ timeout: 30_000 });

  // The same numbers as the package computes in Node.
  const want = await sentiment(ROWS.map((r) => r[1]), { customer: ROWS.map((r) => r[0]) });
  const fact = (id) => page.locator(`[data-testid=distribution] [data-testid=${id}] dd`).textContent();
  assert.equal(await fact('positive'), String(want.summary.positive));
  assert.equal(await fact('neutral'), String(want.summary.neutral));
  assert.equal(await fact('negative'), String(want.summary.negative));
  assert.equal(await fact('languages'), `${want.summary.english} / ${want.summary.chinese} / ${want.summary.mixed}`);
  assert.equal(want.summary.chinese, 5);
  assert.ok(want.summary.positive >= 5 && want.summary.negative >= 2);

  // Aspects found in both languages.
  const aspects = await page.locator('[data-testid=aspects] tbody td:first-child').allTextContents();
  for (const a of ['price', 'quality', 'delivery', 'service']) assert.ok(aspects.includes(a), `${a} in ${aspects}`);

  // Most positive / negative texts, with their sentiment words highlighted (Chinese too).
  const posMarks = await page.locator('[data-testid=most-positive] mark.pos').allTextContents();
  const negMarks = await page.locator('[data-testid=most-negative] mark.neg').allTextContents();
  assert.ok(posMarks.length > 0 && negMarks.length > 0);
  assert.ok(negMarks.some((m) => /[\u4e00-\u9fff]/.test(m)) || posMarks.some((m) => /[\u4e00-\u9fff]/.test(m)), `${posMarks} / ${negMarks}`);
  const negText = await page.locator('[data-testid=most-negative] li').first().textContent();
  assert.match(negText, /Terrible|差|不好/);

  // Terms and the per-customer roll-up.
  assert.ok(await page.locator('[data-testid=positive-terms] li').count() > 0);
  const customers = await page.locator('[data-testid=customers] tbody tr td:first-child').allTextContents();
  assert.deepEqual([...customers].sort(), ['c01', 'c02', 'c03', 'c04', 'c05']);
  // Each customer links to their record page.
  assert.equal(await page.locator('[data-testid=customers] [data-testid=customer-link]', { hasText: 'c02' }).getAttribute('href'), '#/customer/c02');
  const c02 = page.locator('[data-testid=customers] tbody tr', { hasText: 'c02' });
  assert.equal(await c02.locator('td:nth-child(4)').textContent(), 'negative');

  // The Chinese data came from the page's own origin.
  assert.ok(requests.some((r) => r.url === `${origin}/pkg/crmlens_zh.js`), 'crmlens_zh.js was loaded');
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUT_DIR, 'sentiment.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

const AMAZON = fileURLToPath(new URL('../../../shared/data/uci_sentiment_labelled_sentences/amazon_cells_labelled.txt', import.meta.url));

test('sentiment by group: the Amazon sentences labelled positive score far above those labelled negative; kept across views', async () => {
  const rows = readFileSync(AMAZON, 'utf8').trim().split(/\r?\n/).map((l) => l.split('\t')).filter((r) => r.length === 2);
  // One long review (real negative sentences run together): shown shortened, with "more".
  const longText = rows.filter(([t, l]) => l === '0' && /worst|terrible|horrible|awful/i.test(t)).slice(0, 14).map(([t]) => t).join(' ');
  assert.ok(longText.length > 500, `${longText.length} characters`);
  rows.push([longText, '0']);
  rows.push(['=HYPERLINK("http://evil.example","awful, broken")', '0']); // must not export as a formula
  const csv = 'review,label\n' + rows.map(([t, l]) => `"${t.replace(/"/g, '""')}",${l === '1' ? 'positive' : 'negative'}`).join('\n') + '\n';
  await page.locator('nav a', { hasText: 'Data' }).click();
  await page.locator('[data-testid=file-input]').setInputFiles({ name: 'amazon.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.locator('[data-testid=summary] h2', { hasText: 'amazon.csv' }).waitFor({ timeout: 30_000 });
  await page.locator('nav a', { hasText: 'Sentiment' }).click();
  await page.locator('#st-column').selectOption('review');
  await page.locator('[data-testid=analyse]').click();
  await page.locator('[data-testid=st-by-bars] rect').first().waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=st-by]').inputValue(), 'label');
  // The means per label, as the package computes them in Node.
  const want = await sentiment(rows.map((r) => r[0]));
  const mean = (lab) => {
    const xs = rows.map((r, i) => (r[1] === lab && Number.isFinite(want.compound[i]) ? want.compound[i] : null)).filter((x) => x !== null);
    return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, n: xs.length };
  };
  const shown = Object.fromEntries((await page.locator('[data-testid=st-by-bars] rect title').allTextContents())
    .map((t) => t.match(/^(\w+): ([+-]?[\d.]+) \((\d+) texts\)$/)).map((m) => [m[1], { mean: Number(m[2]), n: Number(m[3]) }]));
  for (const [lab, l] of [['1', 'positive'], ['0', 'negative']]) {
    const w = mean(lab);
    assert.equal(shown[l].n, w.n);
    assert.ok(Math.abs(shown[l].mean - w.mean) < 0.0006, `${l}: ${shown[l].mean} vs ${w.mean}`);
  }
  assert.ok(shown.positive.mean - shown.negative.mean > 0.4, JSON.stringify(shown));
  // The long review is among the most negative (as the package scores it in Node), shortened: "more" shows all of it.
  const li = rows.length - 2;
  assert.ok(want.compound.filter((c) => c < want.compound[li]).length < 5, `compound ${want.compound[li]}`);
  const clamped = page.locator('[data-testid=most-negative] [data-testid=clamp]');
  assert.equal(await clamped.count(), 1);
  const hidden = () => clamped.locator('.clamp-body').evaluate((el) => el.scrollHeight - el.clientHeight);
  assert.ok(await hidden() > 5, 'shortened: part of the text is hidden');
  await clamped.locator('[data-testid=more]').click();
  assert.equal(await clamped.locator('[data-testid=more]').textContent(), 'less');
  assert.equal(await clamped.evaluate((el) => el.classList.contains('closed')), false);
  await page.screenshot({ path: join(OUT_DIR, 'sentiment-by-group.png'), fullPage: true });
  // Every text with its score exports formula-safe, with a UTF-8 mark and a name saying what it is.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-scores]').click()]);
  assert.match(dl.suggestedFilename(), /^sentiment_amazon-csv_\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = readFileSync(await dl.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').slice(1).trim().split(/\r?\n/);
  assert.equal(lines[0], 'row,review,label,compound,language');
  assert.equal(lines.length, rows.length + 1);
  const last = lines[lines.length - 1];
  assert.ok(last.startsWith(`${rows.length},"'=HYPERLINK(""http://evil.example"",""awful, broken"")",negative,`), last);
  assert.equal(Number(last.split(',').at(-2)), want.compound[rows.length - 1]);
  // Back from another view: the result is shown again without scoring again (no progress box).
  await page.locator('nav a', { hasText: 'Data' }).click();
  await page.locator('nav a', { hasText: 'Sentiment' }).click();
  await page.locator('[data-testid=st-by-bars] rect').first().waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('[data-testid=sentiment-working]').count(), 0);
  assert.deepEqual(pageErrors, []);
});

const RETAIL = fileURLToPath(new URL('../../../shared/data/online_retail_uci_first5000/online_retail_small.csv', import.meta.url));

test('sentiment per month of a date column and per country (Online Retail product descriptions)', async () => {
  const [head, ...rows] = parseCsv(readFileSync(RETAIL, 'utf8'));
  const [di, ti, ci] = ['Description', 'InvoiceDate', 'Country'].map((n) => head.indexOf(n));
  await page.locator('nav a', { hasText: 'Data' }).click();
  await page.locator('[data-testid=file-input]').setInputFiles(RETAIL);
  await page.locator('[data-testid=summary] h2', { hasText: 'online_retail_small.csv' }).waitFor({ timeout: 30_000 });
  await page.locator('nav a', { hasText: 'Sentiment' }).click();
  await page.locator('#st-column').selectOption('Description');
  await page.locator('[data-testid=analyse]').click();
  await page.locator('[data-testid=st-time-bars] rect').first().waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=st-time]').inputValue(), 'InvoiceDate');
  const parse = (t) => t.match(/^(.+): ([+-]?[\d.]+) \((\d+) texts\)$/);
  const months = (await page.locator('[data-testid=st-time-bars] rect title').allTextContents()).map(parse);
  // Every month label is a month, in order; the texts per month add up to the texts with a date and a score.
  // Months read as months ("Dec 2010", en-US), in time order.
  assert.ok(months.every((m) => /^[A-Z][a-z]{2} \d{4}$/.test(m[1])), months.map((m) => m[1]).join());
  const starts = months.map((m) => Date.parse(`1 ${m[1]}`));
  assert.ok(starts.every((x, i) => Number.isFinite(x) && (i === 0 || x > starts[i - 1])), months.map((m) => m[1]).join());
  const want = await sentiment(rows.map((r) => r[di] || null));
  const dated = rows.filter((r, i) => r[ti]?.trim() && Number.isFinite(want.compound[i])).length;
  assert.equal(months.reduce((a, m) => a + Number(m[3]), 0), dated);
  // Per country (the group column chosen by hand): the United Kingdom's mean as Node computes it.
  await page.locator('[data-testid=st-by]').selectOption('Country');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=st-by-bars] rect title')].some((t) => t.textContent.startsWith('United Kingdom:')));
  const uk = (await page.locator('[data-testid=st-by-bars] rect title').allTextContents()).map(parse).find((m) => m[1] === 'United Kingdom');
  const ukScores = rows.map((r, i) => (r[ci] === 'United Kingdom' && Number.isFinite(want.compound[i]) ? want.compound[i] : null)).filter((x) => x !== null);
  assert.equal(Number(uk[3]), ukScores.length);
  assert.ok(Math.abs(Number(uk[2]) - ukScores.reduce((a, b) => a + b, 0) / ukScores.length) < 0.0006);
  assert.deepEqual(pageErrors, []);
});

test('every request is a same-origin GET without a body', () => {
  assertSameOriginGets(requests, origin);
});
