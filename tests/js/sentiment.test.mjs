// sentiment(input, options) from the built package in Node: English agreement with
// vaderSentiment 3.3.2 (the committed fixture), columnar typed-array results, a Dataset
// column with a per-customer roll-up, explanations, the Chinese data loaded on first
// Chinese text, and every bad option ending in a CrmlensError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Dataset, SentimentModel, sentiment, topTerms, sentimentOfTexts, chineseSentimentLoaded, loadChineseSentiment } from '../../pkg/node.js';
import { assertCrmlensError, assertRejectsCrmlens, readData } from './_util.mjs';

function groundTruth(file) {
  const text = readData(`vader_hutto_icwsm2014/hutto_ICWSM_2014/${file}`).toString('utf8');
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l).map((l) => {
    const a = l.indexOf('\t');
    const b = l.indexOf('\t', a + 1);
    return { id: l.slice(0, a), mean: Number(l.slice(a + 1, b)), text: l.slice(b + 1) };
  });
}

function reference(name) {
  const text = readFileSync(new URL(`../fixtures/sentiment/vader_${name}_3.3.2.tsv`, import.meta.url), 'utf8');
  return text.trim().split('\n').map((l) => Number(l.split('\t')[1]));
}

test('English: compound equals vaderSentiment 3.3.2 on the tweets (typed arrays, labels, languages)', async () => {
  const gt = groundTruth('tweets_GroundTruth.txt');
  const ref = reference('tweets');
  const r = await sentiment(gt.map((g) => g.text), { language: 'en' });
  for (const k of ['compound', 'positive', 'neutral', 'negative']) {
    assert.ok(r[k] instanceof Float64Array, k);
    assert.equal(r[k].length, gt.length);
  }
  let agree = 0;
  for (let i = 0; i < gt.length; i++) if (Math.abs(r.compound[i] - ref[i]) <= 1e-3) agree++;
  assert.ok(agree / gt.length >= 0.995, `${agree} of ${gt.length}`);
  assert.equal(r.label.length, gt.length);
  for (let i = 0; i < gt.length; i++) {
    const want = r.compound[i] >= 0.05 ? 'positive' : r.compound[i] <= -0.05 ? 'negative' : 'neutral';
    assert.equal(r.label[i], want);
  }
  assert.ok(r.language.every((l) => l === 'en'));
  assert.equal(r.summary.texts, gt.length);
  assert.equal(chineseSentimentLoaded(), false, 'English texts never load the Chinese data');
  assert.equal(r.summary.positive + r.summary.neutral + r.summary.negative, gt.length);
});

test('auto language on English texts gives the same scores as "en"', async () => {
  const texts = groundTruth('movieReviewSnippets_GroundTruth.txt').slice(0, 500).map((g) => g.text);
  const a = await sentiment(texts);
  const e = await sentiment(texts, { language: 'en' });
  assert.deepEqual(a.compound, e.compound);
});

test('thresholds move the labels; missing texts are NaN / null / "none"', async () => {
  const r = await sentiment(['good', null, undefined, 'bad'], { thresholds: { positive: 0.5, negative: -0.5 } });
  assert.deepEqual(r.label, [neutralOr(r.compound[0], 0.5), null, null, r.compound[3] <= -0.5 ? 'negative' : 'neutral']);
  assert.ok(Number.isNaN(r.compound[1]) && Number.isNaN(r.compound[2]));
  assert.deepEqual(r.language, ['en', 'none', 'none', 'en']);
  assert.equal(r.summary.missing, 2);
});
const neutralOr = (c, t) => (c >= t ? 'positive' : 'neutral');

test('explain: per-token contributions', async () => {
  const r = await sentiment(['The food was not great, but the service was VERY good :)'], { explain: true });
  const toks = r.explanation[0];
  const great = toks.find((t) => t.token === 'great');
  const good = toks.find((t) => t.token === 'good');
  assert.ok(great.valence < 0, 'negated');
  assert.ok(good.valence > 2.85, 'boosted, caps, after "but"');
  assert.ok(toks.every((t) => t.language === 'en'));
  assert.equal((await sentiment(['x'])).explanation, undefined);
});

test('a Dataset text column with a per-customer roll-up', async () => {
  const csv = 'customer,feedback\nc1,Great service and fast delivery!\nc2,Terrible support. Never again.\nc1,\nc3,我很满意这款手机！\nc2,Pretty good actually\n,ok\n';
  const ds = Dataset.fromCsv(csv);
  try {
    const r = await sentiment(ds, { column: 'feedback', customer: 'customer' });
    assert.equal(r.compound.length, 6);
    assert.equal(r.label[2], null);
    assert.equal(r.language[3], 'zh');
    const c = r.customers;
    assert.deepEqual(c.customer, ['c1', 'c2', 'c3']);
    assert.ok(c.texts instanceof Uint32Array && c.meanCompound instanceof Float64Array);
    assert.deepEqual([...c.texts], [1, 2, 1]);
    assert.ok(Math.abs(c.meanCompound[1] - (r.compound[1] + r.compound[4]) / 2) < 1e-12);
    assert.equal(c.missingCustomer, 1);
    assert.equal(c.missingText, 1);
    assert.equal(c.label[0], 'positive');
    await assertRejectsCrmlens(() => sentiment(ds, { column: 'nope' }), 'UNKNOWN_COLUMN', { field: 'nope' });
    await assertRejectsCrmlens(() => sentiment(ds, {}), 'INVALID_OPTION', { field: 'column' });
    await assertRejectsCrmlens(() => sentiment(ds, { column: 'feedback', customer: ['a'] }), 'INVALID_OPTION', { field: 'customer' });
  } finally {
    ds.free();
  }
});

test('customer ids given inline with an array of texts', async () => {
  const r = await sentiment(['love it', 'hate it', 'meh'], { customer: ['a', 7, 'a'] });
  assert.deepEqual(r.customers.customer, ['a', '7']);
  assert.deepEqual([...r.customers.texts], [2, 1]);
  await assertRejectsCrmlens(() => sentiment(['x', 'y'], { customer: ['a'] }), 'INVALID_OPTION', { field: 'customer' });
});

test('Chinese: the data module loads on the first Chinese text', async () => {
  const r = await sentiment(['我很满意这款手机！', '这辆车非常快，比任何想象中的都要迅速!', '价格太便宜了，没钱买别墅了!', '服务态度很差，再也不来了'], { explain: true });
  assert.ok(chineseSentimentLoaded());
  assert.deepEqual(r.language, ['zh', 'zh', 'zh', 'zh']);
  assert.deepEqual(r.label, ['positive', 'positive', 'negative', 'negative']);
  assert.ok(r.explanation[0].some((t) => t.token === '满意' && t.valence > 0 && t.language === 'zh'));
  await loadChineseSentiment(); // already loaded: resolves at once
  const mixed = await sentiment(['The app is great 但是 送货 太慢 了 really slow']);
  assert.equal(mixed.language[0], 'mixed');
});

test('bad options and inputs are CrmlensErrors naming the field', async () => {
  await assertRejectsCrmlens(() => sentiment(['x'], { langauge: 'en' }), 'INVALID_OPTION', { field: 'langauge' });
  await assertRejectsCrmlens(() => sentiment(['x'], { language: 'fr' }), 'INVALID_OPTION', { field: 'language' });
  await assertRejectsCrmlens(() => sentiment(['x'], { thresholds: { positive: -0.2, negative: 0.2 } }), 'INVALID_OPTION', { field: 'thresholds' });
  await assertRejectsCrmlens(() => sentiment(['x'], { thresholds: { positive: 0.2, neg: 0.2 } }), 'INVALID_OPTION', { field: 'thresholds' });
  await assertRejectsCrmlens(() => sentiment(['x', 3]), 'INVALID_OPTION', { field: 'texts' });
  await assertRejectsCrmlens(() => sentiment('just a string'), 'INVALID_OPTION', { field: 'texts' });
  await assertRejectsCrmlens(() => sentiment(['x'], { column: 'a' }), 'INVALID_OPTION', { field: 'column' });
  await assertRejectsCrmlens(() => sentiment(['x'], { customer: 'id' }), 'INVALID_OPTION', { field: 'customer' });
  // The instance still works.
  assert.equal(sentimentOfTexts(['great'], {}).label[0], 'positive');
});

function amazon() {
  const lines = readData('uci_sentiment_labelled_sentences/amazon_cells_labelled.txt').toString('utf8').split('\n').filter((l) => l.trim());
  return lines.map((l) => { const i = l.lastIndexOf('\t'); return { text: l.slice(0, i), label: l.slice(i + 1).trim() === '1' ? 'positive' : 'negative' }; });
}

test('SentimentModel: train, predict, evaluate, toJSON / fromJSON, free', () => {
  const rows = amazon();
  const train = rows.filter((_, i) => i % 5 !== 0);
  const held = rows.filter((_, i) => i % 5 === 0);
  for (const model of ['naive-bayes', 'logistic']) {
    const m = SentimentModel.train(train.map((r) => r.text), train.map((r) => r.label), { language: 'en', model });
    assert.deepEqual(m.classes, ['negative', 'positive']);
    const e = m.evaluate(held.map((r) => r.text), held.map((r) => r.label));
    assert.ok(e.accuracy >= 0.75, `${model}: ${e.accuracy}`);
    assert.equal(e.confusionMatrix.flat().reduce((a, b) => a + b), held.length);
    assert.equal(e.perClass.length, 2);
    const p = m.predict(held.map((r) => r.text));
    assert.ok(p.probability instanceof Float64Array && p.probabilities.length === 2 * held.length);
    const back = SentimentModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    assert.deepEqual(back.predict(held.map((r) => r.text)).label, p.label);
    const fromText = SentimentModel.fromJSON(JSON.stringify(m));
    assert.deepEqual(fromText.classes, m.classes);
    for (const x of [m, back, fromText]) x.free();
    assertCrmlensError(() => m.predict(['x']), 'INVALID_STATE');
  }
  assertCrmlensError(() => SentimentModel.train(['a', 'b'], ['x'], {}), 'INVALID_OPTION', { field: 'labels' });
  assertCrmlensError(() => SentimentModel.train(['a', 'b'], ['x', 'y'], { model: 'svm' }), 'INVALID_OPTION', { field: 'model' });
  assertCrmlensError(() => SentimentModel.train(['a', 3], ['x', 'y'], {}), 'INVALID_OPTION', { field: 'texts' });
  assertCrmlensError(() => SentimentModel.fromJSON({ format: 'other' }), 'INVALID_OPTION');
  const m = SentimentModel.train(['good', 'bad'], ['p', 'n'], {});
  const j = m.toJSON();
  j.params.pop();
  assertCrmlensError(() => SentimentModel.fromJSON(j), 'INVALID_OPTION', { field: 'json' });
  assertCrmlensError(() => m.evaluate(['good'], ['unknown']), 'INVALID_OPTION', { field: 'labels' });
  m.free();
});

test('aspects per text and per aspect; topTerms over a corpus (array and Dataset)', async () => {
  const texts = ['The price is great, but delivery was terribly late.', '客服态度很好，但是送货太慢', 'Nothing here', null];
  const r = await sentiment(texts, { aspects: true });
  const names = (i) => r.aspects.perText[i].map((a) => a.aspect);
  assert.deepEqual(names(0), ['price', 'delivery']);
  assert.deepEqual(names(1), ['delivery', 'service']);
  assert.deepEqual(r.aspects.perText[2], []);
  assert.deepEqual(r.aspects.perText[3], []);
  const price = r.aspects.perText[0].find((a) => a.aspect === 'price');
  const late = r.aspects.perText[0].find((a) => a.aspect === 'delivery');
  assert.ok(price.compound > 0 && late.compound < 0);
  const summary = Object.fromEntries(r.aspects.summary.map((a) => [a.aspect, a]));
  assert.equal(summary.delivery.texts, 2);
  assert.equal(summary.delivery.negative, 2);
  assert.equal(summary.usability.texts, 0);
  assert.ok(Number.isNaN(summary.usability.meanCompound));

  const gt = groundTruth('tweets_GroundTruth.txt').map((g) => g.text);
  const t = await topTerms(gt, { language: 'en', top: 5 });
  assert.equal(t.texts, gt.length);
  assert.equal(t.positive.length, 5);
  assert.ok(t.positive.every((x) => x.totalValence > 0) && t.negative.every((x) => x.totalValence < 0));
  assert.ok(t.positive[0].totalValence >= t.positive[4].totalValence);
  const ds = Dataset.fromCsv('feedback\ngreat\ngreat job\nawful\nawful day\n');
  try {
    const d = await topTerms(ds, { column: 'feedback', minTexts: 1 });
    assert.equal(d.positive[0].term, 'great');
    assert.equal(d.negative[0].term, 'awful');
  } finally {
    ds.free();
  }
  await assertRejectsCrmlens(() => topTerms(gt, { top: 0 }), 'INVALID_OPTION', { field: 'top' });
});
