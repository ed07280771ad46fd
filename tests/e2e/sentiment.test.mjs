// End-to-end test of the Sentiment view: load a feedback table with English and Chinese
// texts (and a customer column) through the Data view, analyse it in the worker (the
// Chinese data module loads there, from the page's own origin), check the distribution,
// aspects, highlighted texts, terms and the per-customer roll-up, and that no request leaves
// the origin or carries a body.
//
// Run from the repository root: node --test tests/e2e/sentiment.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameOriginGets, openDemo } from './_chromium.mjs';
import { sentiment } from '../../pkg/node.js';

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
  const c02 = page.locator('[data-testid=customers] tbody tr', { hasText: 'c02' });
  assert.equal(await c02.locator('td:nth-child(4)').textContent(), 'negative');

  // The Chinese data came from the page's own origin.
  assert.ok(requests.some((r) => r.url === `${origin}/pkg/crmlens_zh.js`), 'crmlens_zh.js was loaded');
  mkdirSync(OUT_DIR, { recursive: true });
  await page.screenshot({ path: join(OUT_DIR, 'sentiment.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('every request is a same-origin GET without a body', () => {
  assertSameOriginGets(requests, origin);
});
