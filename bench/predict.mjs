// Prediction benchmark (issue 17), side by side in one run: crmlens Predictor.train (the
// package's lazily loaded wasm module `predict`, in Node) against scikit-learn (one thread)
// and ml.js (ml-logistic-regression, ml-random-forest; same V8), on one generated table.
// node bench/predict.mjs [--rows 125000] [--runs 3] [--folds 5] [--models logistic,gbdt]
//                        [--score-rows 1000000] [--mljs-rows 100000] [--mljs-forest-rows 20000]
//                        [--python /tmp/predict-venv/bin/python] [--skip-mljs]
//
// Data: 12 numeric columns (5% missing), 8 categories of 5..19 levels, a yes/no target from a
// logistic model with an interaction and a non-linear term (seeded PRNG), written to
// bench/out/ as CSV (loading is not timed). With --rows 125000 and 5 folds every fold fit
// sees 10^5 rows.
// Protocol, per run r (seed r), contenders alternated so each pair shares the machine's
// state: 5-fold stratified CV + a final fit on every row. Reported per model: the mean fold
// fit (crmlens: the core's own fit time of the candidate / folds; scikit-learn: fit() of the
// pipeline, preprocessing included), the whole training (crmlens: Predictor.train wall time,
// which also encodes, calibrates and measures permutation importance; scikit-learn: the k
// fold fits + the final fit), the out-of-fold AUC; ratios are medians of the per-run ratios.
// ml.js: one fit on the first 80% of the rows (or --mljs-rows), AUC on the rest, compared
// with crmlens's fold fit and out-of-fold AUC. Scoring: --score-rows rows with 3 factors
// per row (predict, explain: 3) and without (scores).
import { writeFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const ROWS = Number(opt('--rows', 125_000));
const RUNS = Number(opt('--runs', 3));
const FOLDS = Number(opt('--folds', 5));
const MODELS = opt('--models', 'logistic,gbdt').split(',');
const SCORE_ROWS = Number(opt('--score-rows', 1_000_000));
const MLJS_ROWS = Number(opt('--mljs-rows', 100_000));
const MLJS_FOREST_ROWS = Number(opt('--mljs-forest-rows', 20_000));
const PYTHON = opt('--python', '/tmp/predict-venv/bin/python');
const SKIP_MLJS = args.includes('--skip-mljs');
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '—');

function sfc32(a, b, c, d) {
  return () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b | 0) + d | 0;
    d = d + 1 | 0; a = b ^ b >>> 9; b = c + (c << 3) | 0; c = c << 21 | c >>> 11; c = c + t | 0;
    return (t >>> 0) / 4294967296;
  };
}
const NUM = 12, CAT = 8;
const LEVELS = Array.from({ length: CAT }, (_, j) => 5 + 2 * j);

/** The table as rows: [x0..x11 (NaN = missing), c0..c7 (level index), y (0/1)]. */
function generate(n, seed) {
  const rand = sfc32(7, seed, NUM, CAT);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const beta = Array.from({ length: NUM }, (_, j) => (j < 8 ? (rand() - 0.5) * 1.2 : 0));
  const effect = LEVELS.map((k) => Array.from({ length: k }, () => (rand() - 0.5) * 1.0));
  const rows = [];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: NUM }, () => Math.round(gauss() * 1e4) / 1e4);
    const c = LEVELS.map((k) => Math.floor(rand() * k));
    let logit = -1.0 + 0.6 * x[0] * x[1] + Math.sin(2 * x[2]);
    for (let j = 0; j < NUM; j++) logit += beta[j] * x[j];
    for (let j = 0; j < CAT; j++) logit += effect[j][c[j]];
    const y = rand() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    for (let j = 0; j < NUM; j++) if (rand() < 0.05) x[j] = NaN;
    rows.push([...x, ...c, y]);
  }
  return rows;
}

function csvOf(rows) {
  const head = [...Array.from({ length: NUM }, (_, j) => `x${j}`), ...Array.from({ length: CAT }, (_, j) => `c${j}`), 'y'];
  const lines = [head.join(',')];
  for (const r of rows) {
    lines.push([...r.slice(0, NUM).map((v) => (Number.isNaN(v) ? '' : String(v))), ...r.slice(NUM, NUM + CAT).map((v, j) => `L${j}_${v}`), r[NUM + CAT] ? 'yes' : 'no'].join(','));
  }
  return lines.join('\n') + '\n';
}

function auc(labels, score) {
  const idx = [...score.keys()].sort((a, b) => score[a] - score[b]);
  let rankSum = 0, pos = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && score[idx[j + 1]] === score[idx[i]]) j++;
    for (let k = i; k <= j; k++) if (labels[idx[k]]) { rankSum += (i + j) / 2 + 1; pos++; }
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * (idx.length - pos));
}

/** One-hot + mean imputation + missing indicators + standardisation (as the logistic pipelines). */
function design(train, test) {
  const cols = [];
  for (let j = 0; j < NUM; j++) {
    const v = train.map((r) => r[j]).filter((x) => !Number.isNaN(x));
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length) || 1;
    cols.push((r) => (Number.isNaN(r[j]) ? 0 : (r[j] - mean) / sd), (r) => (Number.isNaN(r[j]) ? 1 : 0));
  }
  for (let j = 0; j < CAT; j++) for (let l = 0; l < LEVELS[j]; l++) cols.push((r) => (r[NUM + j] === l ? 1 : 0));
  cols.push(() => 1); // intercept
  return [train, test].map((rows) => rows.map((r) => cols.map((f) => f(r))));
}

async function mljs(rows) {
  const out = {};
  const { Matrix } = await import('ml-matrix');
  const LogisticRegression = (await import('ml-logistic-regression')).default;
  const { RandomForestClassifier } = await import('ml-random-forest');
  {
    const data = rows.slice(0, MLJS_ROWS);
    const cut = Math.floor(data.length * 0.8);
    const [xtr, xte] = design(data.slice(0, cut), data.slice(cut));
    const ytr = data.slice(0, cut).map((r) => r[NUM + CAT]);
    const yte = data.slice(cut).map((r) => r[NUM + CAT]);
    const model = new LogisticRegression({ numSteps: 200, learningRate: 2 / cut });
    const t0 = performance.now();
    model.train(new Matrix(xtr), Matrix.columnVector(ytr));
    const ms = performance.now() - t0;
    // classifiers[0] is "not class 0" = P(yes).
    const s = model.classifiers[0].testScores(new Matrix(xte));
    out.logistic = { rows: cut, ms, auc: auc(yte, Array.from(s)) };
  }
  {
    const data = rows.slice(0, MLJS_FOREST_ROWS);
    const cut = Math.floor(data.length * 0.8);
    const x = (r) => [...r.slice(0, NUM).map((v) => (Number.isNaN(v) ? 0 : v)), ...r.slice(NUM, NUM + CAT)];
    const rf = new RandomForestClassifier({ nEstimators: 20, maxFeatures: 0.5, replacement: true, seed: 1, treeOptions: { maxDepth: 12, minNumSamples: 10 } });
    const t0 = performance.now();
    rf.train(data.slice(0, cut).map(x), data.slice(0, cut).map((r) => r[NUM + CAT]));
    const ms = performance.now() - t0;
    const p = rf.predictProbability(data.slice(cut).map(x), 1);
    out.forest = { rows: cut, ms, auc: auc(data.slice(cut).map((r) => r[NUM + CAT]), p), trees: 20 };
  }
  return out;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const file = `${OUT}predict_${ROWS}.csv`;
  const rows = generate(ROWS, 1);
  if (!existsSync(file)) writeFileSync(file, csvOf(rows));
  const { Dataset, Predictor } = await import('../pkg/node.js');
  const ds = Dataset.fromCsv(readFileSync(file));
  const results = Object.fromEntries(MODELS.map((m) => [m, { crmlens: [], sklearn: [] }]));
  let lastModel = null;
  for (let run = 0; run < RUNS; run++) {
    for (const model of MODELS) {
      const t0 = performance.now();
      const p = await Predictor.train(ds, { target: 'y', positive: 'yes', model, validation: { folds: FOLDS, seed: run } });
      const totalMs = performance.now() - t0;
      results[model].crmlens.push({ foldFitMs: p.candidates[0].fitMs / FOLDS, totalMs, auc: p.quality.auc });
      if (lastModel) lastModel.free();
      lastModel = p;
      const py = JSON.parse(execFileSync(PYTHON, [fileURLToPath(new URL('./predict_sklearn.py', import.meta.url)), '--file', file, '--runs', '1', '--seed', String(run), '--folds', String(FOLDS), '--models', model], { env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' }, encoding: 'utf8', maxBuffer: 1 << 24 }));
      results[model].sklearn.push(py.models[model][0]);
      results.sklearnVersion = py.sklearn;
      console.error(`run ${run} ${model}: crmlens ${JSON.stringify(results[model].crmlens.at(-1))} sklearn ${JSON.stringify(py.models[model][0])}`);
    }
  }
  const ml = SKIP_MLJS ? null : await mljs(rows);
  if (ml) console.error(`ml.js ${JSON.stringify(ml)}`);
  // Forest against forest on ml.js's rows: crmlens random-forest (100 trees), 5 folds, so each
  // fold fit sees 80% of the rows as ml.js's fit does; compared per tree.
  if (ml) {
    const small = Dataset.fromCsv(csvOf(rows.slice(0, MLJS_FOREST_ROWS)));
    const p = await Predictor.train(small, { target: 'y', positive: 'yes', model: 'random-forest', validation: { folds: 5, seed: 0 } });
    ml.crmlensForest = { rows: Math.floor(MLJS_FOREST_ROWS * 0.8), ms: p.candidates[0].fitMs / 5, auc: p.quality.auc, trees: 100 };
    console.error(`crmlens forest ${JSON.stringify(ml.crmlensForest)}`);
    p.free();
    small.free();
  }

  // Scoring SCORE_ROWS rows (the generated table repeated), with and without explanations.
  const scoring = {};
  if (SCORE_ROWS > 0 && lastModel) {
    const big = generate(SCORE_ROWS, 2);
    const bigDs = Dataset.fromCsv(csvOf(big));
    big.length = 0;
    const log = await Predictor.train(ds, { target: 'y', positive: 'yes', model: 'logistic', validation: { folds: 2 } });
    for (const [name, p] of [['logistic', log], [lastModel.model, lastModel]]) {
      let t0 = performance.now();
      const s = p.scores(bigDs);
      const scoresMs = performance.now() - t0;
      t0 = performance.now();
      const scored = p.predict(bigDs, { explain: 3 });
      const explainMs = performance.now() - t0;
      scoring[name] = { rows: s.length, scoresMs, explainMs, columns: scored.numColumns };
      scored.free();
    }
    log.free();
    bigDs.free();
  }
  lastModel?.free();

  const lines = [`crmlens (wasm, Node ${process.version}) vs scikit-learn ${results.sklearnVersion} (OMP_NUM_THREADS=1) vs ml.js; ${ROWS.toLocaleString('en-US')} rows x 20 columns, ${FOLDS} folds, ${RUNS} paired runs`, '',
    '| model | crmlens fold fit | scikit-learn fold fit | ratio (median) | crmlens train (CV + final) | scikit-learn (CV + final) | ratio | AUC crmlens | AUC scikit-learn |',
    '|---|---|---|---|---|---|---|---|---|'];
  for (const m of MODELS) {
    const c = results[m].crmlens, s = results[m].sklearn;
    lines.push(`| ${m} | ${fmt(median(c.map((r) => r.foldFitMs)) / 1000, 2)} s | ${fmt(median(s.map((r) => r.foldFitMs)) / 1000, 2)} s | ${fmt(median(c.map((r, i) => r.foldFitMs / s[i].foldFitMs)), 2)}x | ${fmt(median(c.map((r) => r.totalMs)) / 1000, 1)} s | ${fmt(median(s.map((r) => r.totalMs)) / 1000, 1)} s | ${fmt(median(c.map((r, i) => r.totalMs / s[i].totalMs)), 2)}x | ${fmt(median(c.map((r) => r.auc)), 4)} | ${fmt(median(s.map((r) => r.auc)), 4)} |`);
  }
  if (ml) {
    lines.push('', '| ml.js | rows fitted | fit | AUC (held-out 20%) | crmlens fold fit per 10^5 rows / ml.js fit per 10^5 rows |', '|---|---|---|---|---|');
    const perRow = (m) => median(results[m]?.crmlens.map((r) => r.foldFitMs) ?? [NaN]) / (ROWS * (1 - 1 / FOLDS));
    lines.push(`| ml-logistic-regression (200 steps) | ${ml.logistic.rows} | ${fmt(ml.logistic.ms / 1000, 2)} s | ${fmt(ml.logistic.auc, 4)} | ${fmt(ml.logistic.ms / ml.logistic.rows / perRow('logistic'), 1)}x faster (logistic) |`);
    lines.push(`| ml-random-forest (${ml.forest.trees} trees, depth 12) | ${ml.forest.rows} | ${fmt(ml.forest.ms / 1000, 2)} s | ${fmt(ml.forest.auc, 4)} | ${fmt(ml.forest.ms / ml.forest.rows / perRow('gbdt'), 1)}x faster (GBDT, 100 rounds) |`);
    const cf = ml.crmlensForest;
    lines.push(`| crmlens random-forest (${cf.trees} trees, same rows, 5-fold) | ${cf.rows} | ${fmt(cf.ms / 1000, 2)} s per fold | ${fmt(cf.auc, 4)} (out of fold) | ${fmt((ml.forest.ms / ml.forest.trees) / (cf.ms / cf.trees), 1)}x faster per tree than ml-random-forest |`);
  }
  if (Object.keys(scoring).length) {
    lines.push('', '| scoring | rows | scores() | predict(explain: 3) |', '|---|---|---|---|');
    for (const [m, s] of Object.entries(scoring)) lines.push(`| ${m} | ${s.rows.toLocaleString('en-US')} | ${fmt(s.scoresMs / 1000, 2)} s | ${fmt(s.explainMs / 1000, 2)} s |`);
  }
  console.log(lines.join('\n'));
  writeFileSync(`${OUT}predict_results.json`, JSON.stringify({ results, ml, scoring }, null, 2));
}

await main();
