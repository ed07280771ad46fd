// A/B of two builds of the package on the crmlens side of every side-by-side benchmark
// (load, profile, customer value, segment, sentiment, recommend): old and new alternated in
// fresh Node processes, round after round, so both share the host's state. The peer side of
// each benchmark (Papa Parse, ydata-profiling, lifetimes, scikit-learn, vaderSentiment,
// implicit) does not change between builds, so new/old time here is the factor by which
// each published crmlens-vs-peer ratio moves.
//   node bench/ab.mjs --a OLD_PKG_DIR --b NEW_PKG_DIR [--rounds 5] [--in-process 15] [--only load,profile]
// Prints per workload: median ms of A and B, and the median of the per-round B/A ratios; then the
// minimum over all rounds of A and of B and their ratio. On this VM one build's best-of-5 varies
// +-20% from process to process (same binary), so the per-round ratio needs hundreds of rounds to
// resolve 5%; the minimum over processes (noise only ever adds time) converges much faster.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve, join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const data = (rel) => fileURLToPath(new URL(`../../shared/data/${rel}`, import.meta.url));

// Workloads: each sets up its input with package `m` and returns the timed part as a function.
const WORKLOADS = {
  async load(m) {
    const bytes = readFileSync(data('online_retail_uci_first5000/online_retail_small.csv'));
    const text = Array.from({ length: 40 }, (_, i) => (i ? bytes.toString('utf8').split('\n').slice(1).join('\n') : bytes.toString('utf8'))).join('\n');
    const b = Buffer.from(text);
    return () => m.Dataset.fromCsv(b).free();
  },
  async profile(m) {
    const ds = m.Dataset.fromCsv(readFileSync(data('bank_marketing/bank.csv')));
    const big = m.Dataset.fromCsv(Buffer.concat(Array.from({ length: 20 }, (_, i) => {
      const t = readFileSync(data('bank_marketing/bank.csv'), 'utf8');
      return Buffer.from(i ? t.slice(t.indexOf('\n') + 1) : t);
    })));
    ds.free();
    return () => big.profile({ correlations: false });
  },
  async customerValue(m) {
    const ds = m.Dataset.fromCsv(readFileSync(data('cdnow_lifetimes/CDNOW_master.txt')), { delimiter: 'whitespace' });
    const o = { customer: 'customer_id', date: 'date', amount: 'dollar_value', timeUnit: 'weeks' };
    return () => m.customerValue(ds, o).customers.free();
  },
  async segment(m) {
    let s = 7;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const lines = ['x,y,z'];
    for (let i = 0; i < 100_000; i++) lines.push(`${(i % 5) * 4 + rnd()},${(i % 5) * -3 + rnd()},${rnd() * 2}`);
    const ds = m.Dataset.fromCsv(lines.join('\n'));
    return () => m.segment(ds, { k: 5, nInit: 3, seed: 1, algorithm: 'kmeans' });
  },
  async sentiment(m) {
    const lines = readFileSync(data('uci_sentiment_labelled_sentences/amazon_cells_labelled.txt'), 'utf8').split('\n').map((l) => l.split('\t')[0]);
    const texts = Array.from({ length: 20 }, () => lines).flat();
    // Builds since 2026-12-07 load the English lexicon as a data module first.
    if (m.loadSentimentData) await m.loadSentimentData();
    return () => m.sentimentOfTexts(texts, {});
  },
  async recommend(m) {
    const rows = readFileSync(data('movielens_ml-100k/u.data'), 'utf8').trim().split('\n').map((l) => l.split('\t').slice(0, 2).join(','));
    const ds = m.Dataset.fromCsv(`user,item\n${rows.join('\n')}`);
    return () => m.Recommender.fit(ds, { user: 'user', item: 'item', method: 'als', seed: 1 }).free();
  },
};

const REPS = 5;
const CPU = process.env.AB_CLOCK === 'cpu';
async function best(reps, f, warm = true) {
  if (warm) f(); // warm-up
  let b = Infinity;
  for (let i = 0; i < reps; i++) {
    if (CPU) {
      // CPU time of this process (user + system, all threads) instead of wall time: on a host
      // shared with other jobs a timed part that is descheduled does not count its wait.
      const c0 = process.cpuUsage();
      f();
      const c = process.cpuUsage(c0);
      b = Math.min(b, (c.user + c.system) / 1000);
    } else {
      const t0 = performance.now();
      f();
      b = Math.min(b, performance.now() - t0);
    }
  }
  return b;
}

if (args[0] === '--child') {
  const [, pkg, name] = args;
  const m = await import(pathToFileURL(join(pkg, 'node.js')).href);
  const ms = await best(REPS, await WORKLOADS[name](m));
  process.stdout.write(JSON.stringify({ ms }));
  process.exit(0);
}

if (args[0] === '--child2') {
  // Both builds in one process: their timed parts alternate (A B B A ...), so what varies from
  // process to process on this VM (memory layout, CPU frequency, neighbours) hits both alike.
  const [, pa, pb, name, n] = args;
  const fa = await WORKLOADS[name](await import(pathToFileURL(join(pa, 'node.js')).href));
  const fb = await WORKLOADS[name](await import(pathToFileURL(join(pb, 'node.js')).href));
  fa(); fb(); // warm-up
  const a = [], b = [];
  for (let i = 0; i < Number(n); i++) {
    if (i % 2) { b.push(await best(1, fb, false)); a.push(await best(1, fa, false)); }
    else { a.push(await best(1, fa, false)); b.push(await best(1, fb, false)); }
  }
  process.stdout.write(JSON.stringify({ a, b }));
  process.exit(0);
}

const A = resolve(opt('--a', 'bench/out/pkg-a'));
const B = resolve(opt('--b', 'pkg'));
const rounds = Number(opt('--rounds', 5));
const only = opt('--only', Object.keys(WORKLOADS).join(',')).split(',');
// V8 runs wasm first in its baseline tier (Liftoff) and swaps in optimized (TurboFan) code on
// background threads when a function gets hot, so a short timed part can catch either tier and the
// per-round ratios swing 0.7-1.8 on an idle host. `--no-liftoff` (the default here) compiles the
// whole module optimized up front: both builds are timed in their steady state.
// `--v8 ''` measures with V8's default tiering instead.
const v8 = opt('--v8', '--no-liftoff').split(' ').filter(Boolean);
// `--clock cpu` times CPU seconds of the child instead of wall time (for a busy host).
const clock = opt('--clock', 'wall');
// `--in-process N`: each round is one process that holds both builds and alternates N timed
// runs of each; the round's ratio is median(B)/median(A) of those pairs.
const inProcess = Number(opt('--in-process', 0));
const run = (pkg, name) => JSON.parse(execFileSync(process.execPath, [...v8, fileURLToPath(import.meta.url), '--child', pkg, name], { encoding: 'utf8', env: { ...process.env, AB_CLOCK: clock } })).ms;
const median = (v) => { const s = [...v].sort((x, y) => x - y); const h = s.length >> 1; return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };

console.log(inProcess
  ? `A/B: A = ${A}, B = ${B}, ${rounds} processes each holding both builds, ${inProcess} alternated runs of each per process (round value: median), node ${v8.join(' ')}, ${clock} clock\n`
  : `A/B: A = ${A}, B = ${B}, ${rounds} rounds (order alternates each round), node ${v8.join(' ')}, ${clock} clock, best of ${REPS} after a warm-up\n`);
console.log('| workload | A median ms | B median ms | B/A per round | median B/A | A min ms | B min ms | min B/A |');
console.log('|---|---:|---:|---|---:|---:|---:|---:|');
for (const name of only) {
  const a = [], b = [], r = [];
  for (let i = 0; i < rounds; i++) {
    if (inProcess) {
      const out = JSON.parse(execFileSync(process.execPath, [...v8, fileURLToPath(import.meta.url), '--child2', A, B, name, String(inProcess)], { encoding: 'utf8', env: { ...process.env, AB_CLOCK: clock }, maxBuffer: 1 << 24 }));
      const x = median(out.a), y = median(out.b);
      a.push(x); b.push(y); r.push(y / x);
      continue;
    }
    const [x, y] = i % 2 ? [run(B, name), run(A, name)].reverse() : [run(A, name), run(B, name)];
    a.push(x); b.push(y); r.push(y / x);
  }
    const ma = Math.min(...a), mb = Math.min(...b);
  console.log(`| ${name} | ${median(a).toFixed(1)} | ${median(b).toFixed(1)} | ${r.map((v) => v.toFixed(3)).join(', ')} | **${median(r).toFixed(3)}** | ${ma.toFixed(1)} | ${mb.toFixed(1)} | **${(mb / ma).toFixed(3)}** |`);
}
