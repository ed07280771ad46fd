// Scoring with explanations (issue 17, "score 10^6 customers with explanations"): crmlens
// Predictor (the package's wasm module `predict`, in Node) trained on the first --train rows
// of bench/out/predict_125000.csv (written by bench/predict.mjs), then predictor.predict with
// explain: 3 and predictor.scores on the table repeated to --rows rows (GBDT: --gbdt-rows).
// Prints one JSON line per model and the peak resident memory of the process.
// node --no-liftoff bench/predict_score.mjs [--rows 1000000] [--gbdt-rows 1000000] [--train 25000]
//   [--models logistic,gbdt]
// The scikit-learn reference without explanations: bench/predict_score_sklearn.py.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Dataset, Predictor } from '../pkg/node.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const ROWS = Number(opt('--rows', 1_000_000));
const GBDT_ROWS = Number(opt('--gbdt-rows', ROWS));
const TRAIN = Number(opt('--train', 25_000));
const MODELS = opt('--models', 'logistic,gbdt').split(',');
const csv = readFileSync(new URL('./out/predict_125000.csv', import.meta.url), 'utf8');
const [head, ...lines] = csv.trimEnd().split('\n');
const table = (n) => {
  const out = [head];
  for (let i = 0; i < n; i++) out.push(lines[i % lines.length]);
  return Dataset.fromCsv(out.join('\n') + '\n');
};
const train = table(TRAIN);
for (const model of MODELS) {
  const rows = model === 'gbdt' ? GBDT_ROWS : ROWS;
  const p = await Predictor.train(train, { target: 'y', positive: 'yes', model, validation: { folds: 2, seed: 0 } });
  const big = table(rows);
  let t = performance.now();
  const s = p.scores(big);
  const scoresMs = performance.now() - t;
  t = performance.now();
  const scored = p.predict(big, { explain: 3 });
  const explainMs = performance.now() - t;
  console.log(JSON.stringify({ model, rows: s.length, scoresMs: Math.round(scoresMs), explainMs: Math.round(explainMs), columns: scored.numColumns, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
  scored.free(); big.free(); p.free();
}
