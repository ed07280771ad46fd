// Sentiment benchmark: texts per second, side by side in one run.
//   English: crmlens sentiment (VADER port, wasm) vs the npm `vader-sentiment` 1.1.3 port in
//   this same V8, and vaderSentiment 3.3.2 in Python; over the 14,805 ground-truth texts of
//   Hutto & Gilbert (tweets + movie snippets), repeated --repeat times.
//   Chinese: crmlens vs SnowNLP 0.12.3 on waimai_10k reviews (local data; SnowNLP is slow, so it
//   gets the first --snownlp texts).
// Also reports how often each port's compound is within 1e-3 of vaderSentiment (the committed
// fixture tests/fixtures/sentiment/vader_*_3.3.2.tsv).
// node bench/sentiment.mjs [--python /tmp/venv-sentiment/bin/python] [--runs 5] [--repeat 3] [--snownlp 2000]
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const python = opt('--python', '/tmp/venv-sentiment/bin/python');
const runs = Number(opt('--runs', 5));
const repeat = Number(opt('--repeat', 3));
const snowN = Number(opt('--snownlp', 2000));
const data = (rel) => fileURLToPath(new URL(`../../shared/data/${rel}`, import.meta.url));

const groundTruth = (f) => readFileSync(data(`vader_hutto_icwsm2014/hutto_ICWSM_2014/${f}`), 'utf8')
  .split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l).map((l) => l.split('\t').slice(2).join('\t'));
const gt = [...groundTruth('tweets_GroundTruth.txt'), ...groundTruth('movieReviewSnippets_GroundTruth.txt')];
const fixture = ['tweets', 'movies'].flatMap((n) => readFileSync(new URL(`../tests/fixtures/sentiment/vader_${n}_3.3.2.tsv`, import.meta.url), 'utf8')
  .trim().split('\n').map((l) => Number(l.split('\t')[1])));
const en = Array.from({ length: repeat }, () => gt).flat();
const waimai = readFileSync(data('waimai_10k/waimai_10k.csv'), 'utf8').split('\n').slice(1).filter((l) => l).map((l) => l.slice(l.indexOf(',') + 1).replace(/^"|"$/g, ''));

const { sentimentOfTexts, sentiment, loadChineseSentiment } = await import('../pkg/node.js');
const vader = createRequire(import.meta.url)('vader-sentiment');

const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
function time(fn) {
  fn(); // warm-up
  return median(Array.from({ length: runs }, () => { const t = performance.now(); fn(); return performance.now() - t; }));
}

const crmlensEn = time(() => sentimentOfTexts(en, { language: 'en' }));
const crmlensAuto = time(() => sentimentOfTexts(en));
const npmEn = time(() => { for (const s of en) vader.SentimentIntensityAnalyzer.polarity_scores(s); });
const tLoad = performance.now();
await loadChineseSentiment();
const zhLoadMs = performance.now() - tLoad;
const crmlensZh = time(() => sentimentOfTexts(waimai, { language: 'zh' }));

// Agreement with vaderSentiment 3.3.2 (compound within 1e-3).
const ours = (await sentiment(gt, { language: 'en' })).compound;
let agreeOurs = 0, agreeNpm = 0;
gt.forEach((s, i) => {
  if (Math.abs(ours[i] - fixture[i]) <= 1e-3) agreeOurs++;
  if (Math.abs(vader.SentimentIntensityAnalyzer.polarity_scores(s).compound - fixture[i]) <= 1e-3) agreeNpm++;
});

const dir = mkdtempSync(join(tmpdir(), 'crmlens-sent-'));
writeFileSync(join(dir, 'en.json'), JSON.stringify(en));
writeFileSync(join(dir, 'zh.json'), JSON.stringify(waimai.slice(0, snowN)));
const py = JSON.parse(execFileSync(python, [fileURLToPath(new URL('./sentiment_py.py', import.meta.url)),
  '--en', join(dir, 'en.json'), '--zh', join(dir, 'zh.json'), '--runs', String(Math.min(runs, 3))], { encoding: 'utf8', maxBuffer: 1 << 26 }));

const rate = (n, ms) => n / (ms / 1000);
const f0 = (x) => Math.round(x).toLocaleString('en-US');
const lines = [];
const p = (s = '') => lines.push(s);
p(`English: ${en.length.toLocaleString('en-US')} texts (the ${gt.length.toLocaleString('en-US')} tweets + movie snippets × ${repeat}); crmlens and npm: median of ${runs} after a warm-up, in this Node ${process.version}; Python ${py.versions.vaderSentiment}: median of ${Math.min(runs, 3)}.`);
p();
p('| scorer | ms | texts/s | × npm vader-sentiment | × vaderSentiment (Python) | compound within 1e-3 of vaderSentiment 3.3.2 |');
p('|---|---:|---:|---:|---:|---:|');
const enRow = (name, ms, agree) => p(`| ${name} | ${f0(ms)} | ${f0(rate(en.length, ms))} | ${(npmEn / ms).toFixed(2)} | ${(py.ms.vader / ms).toFixed(2)} | ${agree} |`);
const share = (k) => `${k} / ${gt.length} (${(100 * k / gt.length).toFixed(2)}%)`;
enRow('crmlens `sentimentOfTexts(texts, { language: "en" })`', crmlensEn, share(agreeOurs));
enRow('crmlens, `language: "auto"` (detection per text)', crmlensAuto, share(agreeOurs));
enRow('npm vader-sentiment 1.1.3', npmEn, share(agreeNpm));
enRow(`vaderSentiment ${py.versions.vaderSentiment} (Python ${'3'})`, py.ms.vader, share(gt.length) + ' (reference)');
p();
p(`Chinese: waimai_10k reviews. crmlens: all ${waimai.length.toLocaleString('en-US')}, median of ${runs} (the data module's import + install took ${f0(zhLoadMs)} ms once); SnowNLP ${py.versions.snownlp}: the first ${py.n.snownlp}, one run.`);
p();
p('| scorer | texts | ms | texts/s | × SnowNLP |');
p('|---|---:|---:|---:|---:|');
p(`| crmlens \`language: "zh"\` | ${waimai.length} | ${f0(crmlensZh)} | ${f0(rate(waimai.length, crmlensZh))} | ${(rate(waimai.length, crmlensZh) / rate(py.n.snownlp, py.ms.snownlp)).toFixed(1)} |`);
p(`| SnowNLP ${py.versions.snownlp} | ${py.n.snownlp} | ${f0(py.ms.snownlp)} | ${f0(rate(py.n.snownlp, py.ms.snownlp))} | 1.0 |`);
console.log(lines.join('\n'));
