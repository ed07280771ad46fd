// Recommender fit time: crmlens (release wasm in Node) vs implicit 0.7.3 (one thread) on
// MovieLens 100K, ALS (64 factors, 15 iterations, 3 CG steps, confidence 1 + 10·w) and BM25
// item kNN (20 neighbours), side by side in one run.
// node bench/recommend.mjs [--python /tmp/venv-recommend/bin/python] [--runs 3]
// The data is read from ../shared/data (MovieLens may not be copied).
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const python = opt('--python', '/tmp/venv-recommend/bin/python');
const runs = Number(opt('--runs', 3));
const file = fileURLToPath(new URL('../../shared/data/movielens_ml-100k/u.data', import.meta.url));
const pyScript = fileURLToPath(new URL('./recommend_implicit.py', import.meta.url));

const { Dataset, Recommender, initSync } = await import('../pkg/node.js');
const memory = initSync().memory;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

function table(minRating) {
  const lines = ['user,item'];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const [u, i, r] = line.split('\t');
    if (Number(r) >= minRating) lines.push(`${u},${i}`);
  }
  return Dataset.fromCsv(lines.join('\n'));
}

const ours = {};
for (const [name, minRating] of [['positives', 4], ['all', 1]]) {
  const ds = table(minRating);
  const v = { ms: {}, cpuMs: {}, memory: {} };
  for (const method of ['als', 'item-knn']) {
    const fit = () => Recommender.fit(ds, { user: 'user', item: 'item', method });
    fit().free(); // warm-up
    const before = memory.buffer.byteLength;
    const times = [], cpu = [];
    let model;
    for (let r = 0; r < runs; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      model = fit();
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      if (r < runs - 1) model.free();
    }
    v.ms[method] = median(times);
    v.cpuMs[method] = median(cpu);
    v.memory[method] = { wasmBytes: memory.buffer.byteLength, grewBy: memory.buffer.byteLength - before, modelJsonBytes: JSON.stringify(model).length };
    v.nnz = model.report.used - model.report.mergedDuplicates;
    v.users = model.numUsers;
    v.items = model.numItems;
    model.free();
  }
  ds.free();
  ours[name] = v;
}

const py = JSON.parse(execFileSync(python, [pyScript, '--runs', String(runs)], {
  encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
}));

const f = (x) => x.toFixed(1);
const lines = [];
const p = (s = '') => lines.push(s);
p(`MovieLens 100K (u.data). crmlens: release wasm in Node ${process.version}, median of ${runs} after a warm-up; implicit ${py.implicit}, num_threads=1, OPENBLAS_NUM_THREADS=1, median of ${runs} after a warm-up.`);
p();
p('Wall-clock ms and, since the machine may be shared, CPU ms of the process (Node: process.cpuUsage, Python: time.process_time), each the median of its runs.');
p();
p('| data | users × items, nnz | method | crmlens ms | implicit ms | crmlens ÷ implicit | crmlens CPU ms | implicit CPU ms | CPU ratio |');
p('|---|---|---|---:|---:|---:|---:|---:|---:|');
for (const name of ['positives', 'all']) {
  const o = ours[name], t = py.variants[name];
  if (o.nnz !== t.nnz) throw new Error(`${name}: crmlens has ${o.nnz} interactions, implicit ${t.nnz}`);
  for (const m of ['als', 'item-knn']) {
    p(`| ${name === 'positives' ? 'ratings ≥ 4' : 'all ratings'} | ${o.users} × ${o.items}, ${o.nnz} | ${m} | ${f(o.ms[m])} | ${f(t.ms[m])} | ${(o.ms[m] / t.ms[m]).toFixed(2)} | ${f(o.cpuMs[m])} | ${f(t.cpuMs[m])} | ${(o.cpuMs[m] / t.cpuMs[m]).toFixed(2)} |`);
  }
}
p();
p("From the loaded table to a fitted model: crmlens' fit reads the Dataset into its CSR matrix itself, implicit's fit takes a ready scipy CSR matrix, so its side adds the step a caller needs (pandas.factorize of the user and item columns + scipy.sparse.csr_matrix; that step is in neither column of the table above).");
p();
p('| data | method | crmlens ms | implicit CSR build + fit ms | ratio | CPU ratio |');
p('|---|---|---:|---:|---:|---:|');
for (const name of ['positives', 'all']) {
  const o = ours[name], t = py.variants[name];
  for (const m of ['als', 'item-knn']) {
    const wall = t.ms.build + t.ms[m], cpu = t.cpuMs.build + t.cpuMs[m];
    p(`| ${name === 'positives' ? 'ratings ≥ 4' : 'all ratings'} | ${m} | ${f(o.ms[m])} | ${f(t.ms.build)} + ${f(t.ms[m])} = ${f(wall)} | ${(o.ms[m] / wall).toFixed(2)} | ${(o.cpuMs[m] / cpu).toFixed(2)} |`);
  }
}
p();
p('Memory: crmlens WebAssembly linear memory after the fits (it only grows, so this bounds the peak) and what the fitted model serialises to; implicit: peak RSS of the whole Python process (interpreter, numpy, scipy included).');
p();
p('| data | method | wasm memory MiB | grew during timed fits MiB | toJSON MiB |');
p('|---|---|---:|---:|---:|');
const mib = (b) => (b / 1048576).toFixed(1);
for (const name of ['positives', 'all']) {
  for (const m of ['als', 'item-knn']) {
    const x = ours[name].memory[m];
    p(`| ${name} | ${m} | ${mib(x.wasmBytes)} | ${mib(x.grewBy)} | ${mib(x.modelJsonBytes)} |`);
  }
}
p();
p(`implicit process peak RSS: ${mib(py.maxRssBytes)} MiB.`);
console.log(lines.join('\n'));
