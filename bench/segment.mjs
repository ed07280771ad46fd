// Segmentation benchmark: crmlens segment() vs ml-kmeans (same V8) vs scikit-learn KMeans
// (one thread), k-means with one k-means++ start, on the same generated data.
// node bench/segment.mjs [--sizes 10000,100000,1000000] [--d 8] [--k 8] [--runs 3] [--python PATH]
//
// Data: k Gaussian blobs in d dimensions (centres uniform in [-10, 10], standard deviation 2.5,
// so blobs overlap), values rounded to 6 decimals, seeded PRNG; written to bench/out/ as raw
// float64 (scikit-learn reads it) and as CSV (crmlens loads it; loading is not timed).
// Each contender runs in its own child process (so peak RSS is its own), --runs times
// with seeds 0..runs-1 (ml-kmeans once at 10⁶ rows); the fastest run is reported (this
// machine is shared, so the minimum is the steadiest estimate), iterations and inertia are
// medians. Prints a markdown table.
import { writeFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const D = Number(opt('--d', 8));
const K = Number(opt('--k', 8));
const RUNS = Number(opt('--runs', 3));
const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

function sfc32(a, b, c, d) {
  return () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b | 0) + d | 0;
    d = d + 1 | 0; a = b ^ b >>> 9; b = c + (c << 3) | 0; c = c << 21 | c >>> 11; c = c + t | 0;
    return (t >>> 0) / 4294967296;
  };
}

function files(n) {
  const base = `${OUT}segment_${n}x${D}_k${K}`;
  if (!existsSync(`${base}.f64`)) {
    mkdirSync(OUT, { recursive: true });
    const rand = sfc32(42, n, D, K);
    const centers = Array.from({ length: K * D }, () => rand() * 20 - 10);
    const x = new Float64Array(n * D);
    const lines = [Array.from({ length: D }, (_, j) => `x${j}`).join(',')];
    for (let i = 0; i < n; i++) {
      const c = Math.floor(rand() * K);
      const row = [];
      for (let j = 0; j < D; j++) {
        const g = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
        const v = Math.round((centers[c * D + j] + 2.5 * g) * 1e6) / 1e6;
        x[i * D + j] = v;
        row.push(String(v));
      }
      lines.push(row.join(','));
    }
    writeFileSync(`${base}.f64`, new Uint8Array(x.buffer));
    writeFileSync(`${base}.csv`, lines.join('\n') + '\n');
  }
  return base;
}

// --- child mode: one contender, one size -------------------------------------------------
async function child(which, base) {
  const x = new Float64Array(readFileSync(`${base}.f64`).buffer.slice(0));
  const n = x.length / D;
  const runs = [];
  if (which === 'crmlens' || which === 'crmlens-minibatch') {
    const { Dataset, segment, initSync } = await import('../pkg/node.js');
    const memory = initSync().memory;
    const ds = Dataset.fromCsv(readFileSync(`${base}.csv`));
    const before = memory.buffer.byteLength;
    const algorithm = which === 'crmlens' ? 'kmeans' : 'minibatch';
    for (let run = -1; run < RUNS; run++) { // run -1: warm-up, not reported
      const t0 = performance.now();
      const r = segment(ds, { k: K, nInit: 1, algorithm, scaling: 'none', seed: Math.max(run, 0), maxIter: algorithm === 'kmeans' ? 300 : 100, tol: 1e-4 });
      const ms = performance.now() - t0;
      if (run >= 0) runs.push({ ms, clusterMs: r.timings.clusterMs, iterations: r.iterations, inertia: r.inertia, timings: r.timings });
    }
    return { runs, wasmGrowthMB: (memory.buffer.byteLength - before) / 2 ** 20, wasmMB: memory.buffer.byteLength / 2 ** 20, peakRssMB: process.resourceUsage().maxRSS / 1024 };
  }
  if (which === 'ml-kmeans') {
    const { kmeans } = await import('ml-kmeans');
    const rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * D, (i + 1) * D)));
    const heap0 = process.memoryUsage().heapUsed;
    let heapPeak = 0;
    for (let run = -1; run < (n >= 1e6 ? 1 : RUNS); run++) {
      if (n >= 1e6 && run < 0) continue; // no warm-up and one run at 10⁶ (it takes long enough)
      const t0 = performance.now();
      const r = kmeans(rows, K, { initialization: 'kmeans++', seed: Math.max(run, 0) + 1, maxIterations: 300 });
      const ms = performance.now() - t0;
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed - heap0);
      let inertia = 0;
      for (let i = 0; i < n; i++) {
        const c = r.centroids[r.clusters[i]];
        for (let j = 0; j < D; j++) inertia += (rows[i][j] - c[j]) ** 2;
      }
      if (run >= 0) runs.push({ ms, clusterMs: ms, iterations: r.iterations, inertia });
    }
    return { runs, heapAfterMB: heapPeak / 2 ** 20, peakRssMB: process.resourceUsage().maxRSS / 1024 };
  }
  throw new Error(`unknown contender ${which}`);
}

if (args[0] === '--child') {
  process.stdout.write(JSON.stringify(await child(args[1], args[2])));
  process.exit(0);
}

// --- parent ---------------------------------------------------------------------------------
const sizes = opt('--sizes', '10000,100000,1000000').split(',').map(Number);
const python = opt('--python', '/tmp/venv-segment/bin/python');
const me = fileURLToPath(import.meta.url);
const pyScript = fileURLToPath(new URL('./segment_sklearn.py', import.meta.url));
let skVersion = '?';
const lines = [];
const p = (s = '') => { lines.push(s); console.error(s); };
p(`k-means, k = ${K}, d = ${D}, one k-means++ start (nInit 1), max 300 iterations, tol 1e-4; fastest of ${RUNS} runs (seeds 0..${RUNS - 1}; ml-kmeans: one run at 10⁶), iterations and inertia: median.`);
p(`time = the whole call (crmlens segment() also prepares, scores — silhouette on all rows up to 10,000, else on 5,000, Davies–Bouldin, Calinski–Harabasz —, projects and describes); cluster = seeding + iterations; per iter = cluster / iterations.`);
p();
p('| n | contender | time ms | cluster ms | iterations | ms / iter | inertia | × ml-kmeans (cluster) | × scikit-learn (cluster) | × sklearn per iter | memory |');
p('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const n of sizes) {
  const base = files(n);
  const results = {};
  for (const which of ['crmlens', 'crmlens-minibatch', 'ml-kmeans']) {
    const out = execFileSync(process.execPath, ['--max-old-space-size=8192', me, '--child', which, base, '--d', String(D), '--k', String(K), '--runs', String(RUNS)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    results[which] = JSON.parse(out);
  }
  const py = JSON.parse(execFileSync(python, [pyScript, '--file', `${base}.f64`, '--d', String(D), '--k', String(K), '--runs', String(RUNS)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } }));
  skVersion = py.sklearn;
  results['scikit-learn'] = { runs: py.runs.map((r) => ({ ...r, clusterMs: r.ms })), peakRssMB: py.peakRssMB, version: py.sklearn };
  const m = (r, key) => median(r.runs.map((x) => x[key]));
  const fastest = (r, key) => Math.min(...r.runs.map((x) => x[key]));
  const perIter = (r) => Math.min(...r.runs.map((x) => x.clusterMs / Math.max(1, x.iterations)));
  const ml = fastest(results['ml-kmeans'], 'clusterMs'), sk = fastest(results['scikit-learn'], 'clusterMs'), skIter = perIter(results['scikit-learn']);
  for (const [name, r] of Object.entries(results)) {
    const mem = name.startsWith('crmlens')
      ? `wasm ${r.wasmMB.toFixed(0)} MB (+${r.wasmGrowthMB.toFixed(0)} in segment), peak RSS ${r.peakRssMB.toFixed(0)} MB`
      : name === 'ml-kmeans' ? `JS heap +${r.heapAfterMB.toFixed(0)} MB, peak RSS ${r.peakRssMB.toFixed(0)} MB` : `peak RSS ${r.peakRssMB.toFixed(0)} MB`;
    const c = fastest(r, 'clusterMs');
    p(`| ${n.toLocaleString('en')} | ${name} | ${fastest(r, 'ms').toFixed(1)} | ${c.toFixed(1)} | ${m(r, 'iterations')} | ${perIter(r).toFixed(2)} | ${m(r, 'inertia').toExponential(5)} | ${(ml / c).toFixed(2)} | ${(sk / c).toFixed(2)} | ${(skIter / perIter(r)).toFixed(2)} | ${mem} |`);
  }
  const t = results.crmlens.runs.at(-1).timings;
  console.error(`  crmlens phases (last run, ms): ${Object.entries(t).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
}
p();
p(`scikit-learn ${skVersion}, ml-kmeans 7.0.1, Node ${process.version}.`);
console.log(lines.join('\n'));
