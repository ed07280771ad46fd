// CrmlensPool.segment of a table held in several shards: k-means with the shards' sums each
// iteration. Each worker keeps its shard's scaled rows (kmeansShardOpen) and answers steps
// (kmeansShardStep, codes in src/wasm/shard_kmeans.rs); this file merges their answers and
// replays `segment`'s k-means (src/segment/kmeans.rs) step by step, with the same seeded draws
// (asked of the pool wasm: kmeansShardStep 16-18, crate::rng), so the run picks the same k-means++ centres, the same labels and
// the same restart as `segment` on the whole table. Sums of several shards may differ from one
// sequential sum in the last bits (the tests compare labels exactly, numbers within 1e-9).
//
// `k: 'auto'` (or no k): k-means for every k of kRange, each scored by the silhouette as
// segment scores it: the rows it uses (every row, or its seeded sample, drawn by the pool wasm:
// kmeansShardStep 19) are gathered from the shards with their labels and scored in the pool
// wasm (kmeansShardStep 20, crate::segment::metrics), the groups' silhouette likewise; k is
// chosen by segment's rule (the best silhouette of the groups, else the best plain one).
//
// What it supports: numeric columns, k given or 'auto', algorithm 'kmeans' (or 'auto': full k-means at
// any size, where one table would switch to mini-batch above 100,000 rows), scaling
// 'standard' / 'none', missing 'impute' / 'drop', weights, seed, nInit, maxIter, tol.
// Everything else is an INVALID_OPTION naming the option.
import { crmlensError } from './errors.js';

/**
 * The seeded stream of the run, drawn in the pool wasm (kmeansShardStep 16-18:
 * crate::rng::Rng, the crate's one generator, as segment draws); only its state, [hi, lo],
 * is kept here.
 */
class Draws {
  constructor(worker, state) { this.worker = worker; this.state = state; }
  static async start(worker, seed, k) {
    return new Draws(worker, await worker.call('kmeansShardStep', { run: 0, cmd: 16, arg: Float64Array.of(seed, k) }));
  }
  /** One restart's stream (Rng::fork). */
  async fork() {
    const out = await this.worker.call('kmeansShardStep', { run: 0, cmd: 17, arg: Float64Array.from(this.state) });
    this.state = out.slice(0, 2);
    return new Draws(this.worker, out.slice(2, 4));
  }
  /** `count` draws: each next_f64() × acc when acc > 0, else a row below(n). */
  async take(n, acc, count) {
    const out = await this.worker.call('kmeansShardStep', { run: 0, cmd: 18, arg: Float64Array.of(this.state[0], this.state[1], n, acc, count) });
    this.state = out.slice(0, 2);
    return out.subarray(2);
  }
}

/** The squared distance of crate::segment::distance::sq_dist: four running sums in a fixed order. */
export function sqDist(a, ao, b, bo, d) {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const whole = d - (d % 4);
  for (let i = 0; i < whole; i += 4) {
    const t0 = a[ao + i] - b[bo + i], t1 = a[ao + i + 1] - b[bo + i + 1], t2 = a[ao + i + 2] - b[bo + i + 2], t3 = a[ao + i + 3] - b[bo + i + 3];
    s0 += t0 * t0; s1 += t1 * t1; s2 += t2 * t2; s3 += t3 * t3;
  }
  for (let i = whole; i < d; i++) { const t = a[ao + i] - b[bo + i]; s0 += t * t; }
  return (s0 + s1) + (s2 + s3);
}

/** segment's work budget (src/segment/pipeline.rs MAX_WORK / MIN_ITER). */
const MAX_WORK = 1e10;
const MIN_ITER = 5;
const MAX_SCALED = 1e150;
/** segment's WEAK_SILHOUETTE (src/segment/pipeline.rs): below it, k's explanation says the groups are not clear. */
const WEAK_SILHOUETTE = 0.25;

const bad = (field, why) => crmlensError('INVALID_OPTION', `${field}: ${why}`, { field });

/** The options this sharded k-means cannot honour, refused by name. */
function refuse(opts, shards) {
  const where = `for a table held in ${shards} shards`;
  if (opts.algorithm != null && opts.algorithm !== 'kmeans' && opts.algorithm !== 'auto') {
    throw bad('algorithm', `"${opts.algorithm}" is not available ${where}: only "kmeans" (or load the table with workers: 1)`);
  }
  if (opts.scaling === 'robust') throw bad('scaling', `"robust" (medians) is not available ${where}: "standard" or "none"`);
}

/** Sums of the shards' arrays, element by element, in shard order. */
function addUp(parts, from = 0, len = parts[0].length - from) {
  const out = new Float64Array(len);
  for (const p of parts) for (let i = 0; i < len; i++) out[i] += p[from + i];
  return out;
}

/**
 * k-means of `live` shards (ShardedDataset.liveShards()); `opts` are segment's options.
 * Returns { k, algorithm, inertia, iterations, converged, seed, centroidColumns, centroids,
 * labels, sizes, preparation, shards }.
 */
export async function shardedKMeans(live, opts, { onProgress, signal } = {}) {
  const shards = live.length;
  refuse(opts, shards);
  const check = () => { if (signal?.aborted) throw crmlensError('ABORTED', 'aborted', { field: signal?.reason?.message }); };
  const call = (s, op, args) => s.worker.call(op, { handle: s.handle, ...args });
  // 1. Columns, imputation means (present values), scaling (squared deviations).
  let base = { ...opts, algorithm: 'kmeans' };
  const first = await Promise.all(live.map((s) => call(s, 'segmentShardStats', { options: base, shards })));
  check();
  const names = first[0].columns;
  const present = addUp(first.map((r) => r.present));
  const keep = names.map((n, j) => opts.columns != null || present[j] > 0);
  for (const [j, n] of names.entries()) if (opts.columns != null && present[j] === 0) throw bad('columns', `every value of column \`${n}\` is missing`);
  const columns = names.filter((_, j) => keep[j]);
  if (!columns.length) throw bad('columns', 'no numeric column to segment on');
  const pick = (a) => a.filter((_, j) => keep[j]);
  base = { ...base, columns };
  const rowsUsed = first.reduce((a, r) => a + r.kept, 0);
  const rowsTotal = first.reduce((a, r) => a + r.rows, 0);
  if (rowsUsed === 0) throw crmlensError('EMPTY_INPUT', 'every row has a missing value in the chosen columns (try missing: "impute")');
  const k = opts.k;
  const auto = k == null || k === 'auto';
  if (!auto && k > rowsUsed) throw bad('k', `k = ${k} but only ${rowsUsed} rows are segmented`);
  const d = columns.length;
  const pres = pick([...present]);
  const sums = pick([...addUp(first.map((r) => r.sums))]);
  const maxAbs = pick(first.map((r) => r.maxAbs).reduce((m, a) => m.map((v, j) => Math.max(v, a[j]))));
  const fills = sums.map((s, j) => s / pres[j]);
  const means = sums.map((s, j) => (s + (rowsUsed - pres[j]) * fills[j]) / rowsUsed);
  const scaling = opts.scaling ?? 'standard';
  let centers = columns.map(() => 0), scales = columns.map(() => 1);
  if (scaling === 'standard') {
    const second = await Promise.all(live.map((s) => call(s, 'segmentShardStats', { options: base, shards, means: Float64Array.from(means), fills: Float64Array.from(fills) })));
    check();
    const squares = addUp(second.map((r) => r.squares));
    centers = means;
    scales = columns.map((_, j) => { const sd = Math.sqrt(squares[j] / rowsUsed); return sd > 0 && Number.isFinite(sd) ? sd : 1; });
  }
  for (const [j, c] of columns.entries()) {
    if (!(maxAbs[j] <= MAX_SCALED && Number.isFinite(centers[j]) && (maxAbs[j] + Math.abs(centers[j])) / scales[j] <= MAX_SCALED)) {
      throw crmlensError('TOO_LARGE', `columns: column \`${c}\` has values too large to measure distances with (beyond ±1e150 after scaling); rescale it or leave it out`, { field: 'columns' });
    }
  }
  const roots = columns.map((c) => Math.sqrt(opts.weights?.[c] ?? 1));
  const plan = Float64Array.from([...fills, ...centers, ...scales, ...roots]);
  const runs = [];
  try {
    for (const s of live) {
      const [run, n] = await call(s, 'kmeansShardOpen', { options: base, shards, plan });
      runs.push({ ...s, run, n });
    }
    const ctx = { d, n: rowsUsed, opts, check, onProgress, columns, rowsTotal, fills, pres, scaling, shards };
    const parts = runs.filter((r) => r.n > 0);
    return await (auto ? chooseK(parts, runs, ctx) : cluster(parts, runs, { ...ctx, k }));
  } finally {
    for (const r of runs) r.worker.call('kmeansShardStep', { run: r.run, cmd: 14, arg: new Float64Array(0) }).catch(() => {});
  }
}

async function cluster(parts, all, { k, d, n, opts, check, onProgress, columns, rowsTotal, fills, pres, scaling, shards }) {
  const step = (r, cmd, arg = []) => { check(); return r.worker.call('kmeansShardStep', { run: r.run, cmd, arg: Float64Array.from(arg) }); };
  const each = (cmd, arg) => Promise.all(parts.map((r) => step(r, cmd, arg)));
  const nInit = opts.nInit ?? 10;
  const maxIter = opts.maxIter ?? 300;
  const seed = opts.seed ?? 42;
  const perIteration = n * k * Math.max(d, 1) * nInit;
  const iterCap = Math.min(maxIter, Math.max(MIN_ITER, Math.floor(MAX_WORK / Math.max(perIteration, 1))));
  // tol × mean per-column variance of the scaled rows (kmeans::mean_variance).
  const colMean = addUp(await each(0, [])).map((s) => s / n);
  const colVar = addUp(await each(0, colMean)).map((s) => s / n);
  const tolAbs = (opts.tol ?? 1e-4) * (colVar.reduce((a, v) => a + v, 0) / d);
  // rng_for(seed, k), then one fork per restart (drawn in the first shard's worker).
  check();
  const rng = await Draws.start(parts[0].worker, seed, k);
  const rowAt = async (g) => {
    let i = g;
    for (const r of parts) { if (i < r.n) return step(r, 1, [i]); i -= r.n; }
    throw crmlensError('INVALID_STATE', `row ${g} is in no shard`);
  };
  let best = null;
  for (let run = 0; run < nInit; run++) {
    onProgress?.({ stage: 'cluster', done: run, total: nInit });
    const r = await rng.fork();
    const init = await seedPlusPlus(parts, each, step, rowAt, r, n, k);
    const c = await lloyd(parts, each, step, init, k, d, iterCap, tolAbs);
    if (!best || c.inertia < best.inertia) {
      best = c;
      await each(11, []);
    }
  }
  onProgress?.({ stage: 'cluster', done: nInit, total: nInit });
  // Relabel by decreasing size (ties: lower label first), as segment does.
  const sizes = new Array(k).fill(0);
  const raw = await each(13, [k]);
  const rawSums = addUp(raw);
  for (let j = 0; j < k; j++) sizes[j] = rawSums[k * d + j];
  const order = [...sizes.keys()].sort((a, b) => sizes[b] - sizes[a] || a - b);
  const newOf = new Int32Array(k);
  order.forEach((old, i) => { newOf[old] = i; });
  const labelParts = await Promise.all(all.map((r) => step(r, 12, [])));
  const labels = new Int32Array(labelParts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of labelParts) { for (let i = 0; i < p.length; i++) labels[at + i] = p[i] < 0 ? -1 : newOf[p[i]]; at += p.length; }
  const centroids = order.map((old) => Float64Array.from({ length: d }, (_, j) => rawSums[old * d + j] / sizes[old]));
  const imputed = columns.flatMap((c, j) => (n - pres[j] > 0 ? [{ column: c, note: `${n - pres[j]} missing values set to the mean ${fills[j]}` }] : []));
  return {
    k,
    algorithm: 'kmeans',
    inertia: best.inertia,
    iterations: best.iterations,
    converged: best.converged,
    seed,
    centroidColumns: columns,
    centroids,
    labels,
    sizes: order.map((old) => sizes[old]),
    preparation: { rowsTotal, rowsUsed: n, rowsDropped: rowsTotal - n, numericColumns: columns, categoricalColumns: [], imputed, excluded: [], scaling },
    shards,
  };
}

/**
 * `k: 'auto'` over the shards, as segment chooses k: every k of kRange (capped at the rows
 * less one), each scored by the silhouette of the groups (segments of at least 1% of the rows)
 * on the rows segment scores; the best wins, else the best plain silhouette. Returns the
 * chosen k's result with `silhouette`, `silhouetteMethod`, `kScores` and `kChoice`.
 */
async function chooseK(parts, all, ctx) {
  const { n, d, opts, check, onProgress } = ctx;
  const [lo, asked] = opts.kRange ?? [2, 10];
  const hi = Math.min(asked, n - 1);
  if (lo > hi) throw bad('kRange', `with ${n} segmented rows k can be at most ${n - 1}`);
  const seed = opts.seed ?? 42;
  const plan = async (cmd, arg) => { check(); return parts[0].worker.call('kmeansShardStep', { run: 0, cmd, arg: Float64Array.from(arg) }); };
  const firstOf = [];
  parts.reduce((at, r) => { firstOf.push(at); return at + r.n; }, 0);
  // The silhouette of `rows` (ascending used-row numbers over the shards) labelled `labels`
  // (0..k-1): over the rows segment's silhouette takes (all, or its seeded sample), gathered.
  const silhouette = async (rows, labels, k) => {
    const [minSize, ...pick] = await plan(19, [rows.length, d, seed]);
    const want = parts.map(() => []);
    const labs = [];
    let s = 0;
    for (const j of pick) {
      const g = rows[j];
      while (s + 1 < parts.length && g >= firstOf[s + 1]) s++;
      want[s].push(g - firstOf[s]);
      labs.push(labels[j]);
    }
    check();
    const got = await Promise.all(parts.map((r, i) => (want[i].length ? r.worker.call('kmeansShardStep', { run: r.run, cmd: 10, arg: Float64Array.from(want[i]) }) : new Float64Array(0))));
    const x = got.flatMap((a) => [...a]);
    return { score: (await plan(20, [d, k, seed, ...labs, ...x]))[0], minSize, rows: pick.length };
  };
  const everyRow = Array.from({ length: n }, (_, i) => i);
  const better = (cur, score) => !Number.isNaN(score) && (!cur || score > cur.score || Number.isNaN(cur.score));
  const scores = [];
  let best = null, bestAny = null, method = null, minSize = 0;
  const tries = hi - lo + 1;
  for (let k = lo; k <= hi; k++) {
    const step = onProgress && ((p) => onProgress({ stage: 'cluster', done: (k - lo) * p.total + p.done, total: tries * p.total }));
    const c = await cluster(parts, all, { ...ctx, k, onProgress: step });
    const used = c.labels.filter((l) => l >= 0);
    const sil = await silhouette(everyRow, used, k);
    minSize = sil.minSize;
    method ??= { exact: sil.rows === n, rows: sil.rows, seed };
    // The groups: segments of at least minSize rows (smaller ones are outliers, not groups).
    let group = sil.score;
    if (c.sizes.some((v) => v < minSize)) {
      const newId = [];
      let groups = 0;
      for (let j = 0; j < k; j++) newId.push(c.sizes[j] >= minSize ? groups++ : -1);
      if (groups < 2) group = NaN;
      else {
        const rows = [], labs = [];
        used.forEach((l, i) => { if (newId[l] >= 0) { rows.push(i); labs.push(newId[l]); } });
        group = (await silhouette(rows, labs, groups)).score;
      }
    }
    scores.push({ k, silhouette: sil.score, groupSilhouette: group, inertia: c.inertia, smallestSegment: Math.min(...c.sizes) });
    if (better(best, group)) best = { c, sil: sil.score, score: group };
    else if (!best && (!bestAny || better(bestAny, sil.score))) bestAny = { c, sil: sil.score, score: sil.score };
  }
  const chosen = best ?? bestAny;
  if (!chosen) throw crmlensError('INVALID_STATE', 'segment: kRange produced no clustering');
  const k = chosen.c.k;
  const basis = method.exact ? 'silhouette over all rows' : `silhouette on a sample of ${method.rows} rows (seed ${seed})`;
  const at = scores.find((x) => x.k === k);
  const shown = at.groupSilhouette; // as segment words it (NaN when no k forms two groups)
  let kChoice = `k = ${k}: the highest ${basis} (${shown.toFixed(3)}) of k = ${lo}–${hi}`;
  const next = scores.filter((x) => x.k !== k && !Number.isNaN(x.groupSilhouette)).sort((a, b) => b.groupSilhouette - a.groupSilhouette)[0];
  if (next) kChoice += `; next best k = ${next.k} (${next.groupSilhouette.toFixed(3)})`;
  const passed = scores.filter((x) => x.k !== k && x.smallestSegment < minSize && x.silhouette > shown)
    .map((x) => `k = ${x.k} (silhouette ${x.silhouette.toFixed(3)} with a segment of ${x.smallestSegment} rows)`);
  if (scores.some((x) => x.smallestSegment < minSize)) kChoice += `; segments under ${minSize} rows count as outliers, not groups, in this comparison`;
  if (passed.length) kChoice += `; passed over ${passed.join(', ')} for isolating outliers`;
  if (shown < WEAK_SILHOUETTE) kChoice += `. A silhouette below ${WEAK_SILHOUETTE} means the rows do not fall into clearly separated groups: read the segments as a useful partition, not as natural clusters`;
  if (!best) kChoice += `. No k tried forms two segments of ${minSize} rows or more; this is the best plain silhouette`;
  return { ...chosen.c, silhouette: chosen.sil, silhouetteMethod: method, kScores: scores, kChoice };
}

/** Greedy k-means++ (kmeans::kmeans_plus_plus) over the shards: the same draws, the same picks. */
async function seedPlusPlus(parts, each, step, rowAt, r, n, k) {
  const centers = [];
  const firstRow = await rowAt((await r.take(n, 0, 1))[0]);
  centers.push(...firstRow);
  let accs = (await each(2, firstRow)).map((x) => x[0]);
  const trials = 2 + Math.floor(Math.log(k));
  for (let c = 1; c < k; c++) {
    const acc = accs.reduce((a, v) => a + v, 0);
    // Every draw first (as the core draws all of them before looking), then the rows.
    const draws = [...await r.take(n, acc, trials)].map((v) => (acc > 0 ? { r: v } : { g: v }));
    const rows = await Promise.all(draws.map(async (x) => {
      if (x.g != null) return rowAt(x.g);
      let prefix = 0;
      for (let s = 0; s < parts.length; s++) {
        if (x.r < prefix + accs[s] || s === parts.length - 1) return (await step(parts[s], 3, [x.r - prefix]));
        prefix += accs[s];
      }
      return null;
    }));
    const cand = rows.flatMap((row) => [...row]);
    const pots = addUp(await each(4, cand));
    let bestT = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[bestT]) bestT = t;
    const chosen = rows[bestT];
    centers.push(...chosen);
    accs = (await each(5, chosen)).map((x) => x[0]);
  }
  return Float64Array.from(centers);
}

/** Means of the merged sums (an empty cluster keeps its centre); the counts. */
function means(merged, centers, k, d) {
  const counts = merged.slice(k * d, k * d + k);
  for (let j = 0; j < k; j++) if (counts[j] > 0) for (let t = 0; t < d; t++) centers[j * d + t] = merged[j * d + t] / counts[j];
  return counts;
}

/** Lloyd (kmeans::lloyd_async without its bounds, which skip only work): the same labels per pass. */
async function lloyd(parts, each, step, init, k, d, maxIter, tolAbs) {
  let centers = Float64Array.from(init);
  let merged = addUp(await each(6, centers), 2);
  let iterations = 0, converged = false, strict = false, inertia = 0;
  while (iterations < maxIter) {
    iterations++;
    const old = Float64Array.from(centers);
    const counts = means(merged, centers, k, d);
    // Empty clusters: each onto the row farthest from its own centre (clusters keeping one).
    let reseeded = false;
    for (let j = 0; j < k; j++) {
      if (counts[j] > 0) continue;
      const far = await each(8, [k, ...centers, ...counts]);
      let pickS = -1;
      for (let s = 0; s < far.length; s++) if (far[s][0] >= 0 && (pickS < 0 || far[s][0] > far[pickS][0])) pickS = s;
      if (pickS < 0) break;
      const [, i, label] = far[pickS];
      await step(parts[pickS], 9, [i, j]);
      counts[label] -= 1;
      counts[j] = 1;
      centers.set(far[pickS].subarray(3, 3 + d), j * d);
      reseeded = true;
    }
    if (reseeded) means(addUp(await each(15, [k])), centers, k, d);
    let shift = 0;
    for (let j = 0; j < k; j++) shift += sqDist(centers, j * d, old, j * d, d);
    if (shift <= tolAbs && !reseeded) { converged = true; break; }
    const answers = await each(7, centers);
    const changed = answers.reduce((a, x) => a + x[0], 0);
    inertia = answers.reduce((a, x) => a + x[1], 0);
    merged = addUp(answers, 2);
    if (changed === 0 && !reseeded) { converged = true; strict = true; break; }
  }
  // A run that did not stop on unchanged labels ends with one more assignment (kmeans::assign).
  if (!strict) inertia = (await each(7, centers)).reduce((a, x) => a + x[1], 0);
  return { centers, inertia, iterations, converged };
}
