// The wasm fuzz driver (issue 19; see FUZZING.md): the built package in Node, every public
// entry point, mutated slices of the real files in ../shared/data and hostile options. It
// detects what only the wasm build can show: a `RuntimeError` trap (panic → `unreachable`,
// out-of-memory, 32-bit truncation) poisons the instance, so after one the package is
// imported afresh; a thrown error that is not a `CrmlensError` breaks the error contract.
//
//   node scripts/fuzz-wasm.mjs                      # bounded pass: 2,000 inputs or 120 s
//   node scripts/fuzz-wasm.mjs --long               # 100,000 inputs or 2 hours
//   node scripts/fuzz-wasm.mjs --inputs 5000 --seconds 600 --seed 7 --out target/fuzz-wasm
//   CRMLENS_PKG=/path/to/pkg node scripts/fuzz-wasm.mjs   (default: ./pkg)
//
// Exit status 1 when any trap, contract break, wrong result or input over its time bound
// (default 5 s + 100 ms per KiB) was found; every such input is written to --out as JSON.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const arg = (k, d) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : d; };
const long = args.includes('--long');
const INPUTS = Number(arg('--inputs', long ? 100_000 : 2_000));
const SECONDS = Number(arg('--seconds', long ? 7_200 : 120));
const SEED = BigInt(arg('--seed', '19'));
const OUT = arg('--out', 'target/fuzz-wasm');
const MAX_BYTES = Number(arg('--max-bytes', 16 * 1024));
const SLOW_MS = Number(arg('--slow-ms', 5000));
const SLOW_MS_PER_KB = Number(arg('--slow-ms-per-kb', 100));
const PKG = resolve(process.env.CRMLENS_PKG || 'pkg');
const DATA = resolve(arg('--data', '../shared/data'));
const VERBOSE = args.includes('--verbose'); // print every CrmlensError (code and message)

// SplitMix64, as crate::rng::Rng: the same seed gives the same inputs.
class Rng {
  constructor(seed) { this.s = BigInt.asUintN(64, seed); }
  u64() {
    this.s = BigInt.asUintN(64, this.s + 0x9e3779b97f4a7c15n);
    let z = this.s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }
  f64() { return Number(this.u64() >> 11n) / 2 ** 53; }
  below(n) { return Math.floor(this.f64() * n); }
  pick(a) { return a[this.below(a.length)]; }
  chance(p) { return this.f64() < p; }
}

let instance = 0;
async function freshPackage() {
  // A query string makes a new module record: a new wasm instance after a trap.
  instance++;
  const url = pathToFileURL(join(PKG, 'node.js')).href + `?instance=${instance}`;
  return import(url);
}

function corpus(dir) {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) { walk(p); continue; }
      if (/^license|\.md$|\.zip$/i.test(name)) continue;
      const b = readFileSync(p);
      if (b.length >= 64) files.push({ name: p, bytes: b.subarray(0, 256 * 1024) });
    }
  };
  try { walk(dir); } catch { /* no data: generated tables only */ }
  return files;
}

const HOSTILE = ['', 'NaN', '1e308', '-1e308', '-0', '4294967296', '9007199254740993', '1,5', '$1,234.50',
  '=HYPERLINK("x")', '"unterminated', 'a"b', '😀', '好评', '2024-02-30', '31/12/2023', 'C536365', '\u0000', '\uFFFD'];
const HOSTILE_VALUES = [0, -1, 2 ** 32, 2 ** 32 + 5, 2 ** 53, 1e308, 0.5, 1e-12, true, '', 'auto', [], {}, null];

function table(rng, rows, must = [], hostile = 0.05) {
  const kinds = ['customer', 'invoice', 'date', 'amount', 'quantity', 'price', 'item', 'category', 'text'].filter((k) => must.includes(k) || rng.chance(0.6));
  if (!kinds.length) kinds.push('amount');
  const cell = (k, r) => {
    if (rng.chance(hostile)) return rng.pick(HOSTILE);
    switch (k) {
      case 'customer': return `c${rng.below(Math.max(1, rows / 3))}`;
      case 'invoice': return `${rng.chance(0.05) ? 'C' : ''}${500000 + Math.floor(r / 3)}`;
      case 'date': return `20${20 + rng.below(5)}-${String(1 + rng.below(12)).padStart(2, '0')}-${String(1 + rng.below(28)).padStart(2, '0')}`;
      case 'amount': case 'price': return (rng.f64() * 200 - 5).toFixed(2);
      case 'quantity': return String(rng.below(20) - 2);
      case 'item': return `item${rng.below(12)}`;
      case 'category': return rng.pick(['gold', 'silver', 'bronze']);
      default: return Array.from({ length: 1 + rng.below(8) }, () => rng.pick(['good', 'bad', 'not', 'very', 'love', '好', '差', '!!!'])).join(' ');
    }
  };
  const q = (c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const lines = [kinds.join(',')];
  for (let r = 0; r < rows; r++) lines.push(kinds.map((k) => q(cell(k, r))).join(','));
  return { bytes: Buffer.from(lines.join('\n') + '\n'), names: kinds, kinds, lines };
}

// The same rows as a JSON array of objects or NDJSON (numbers as numbers where they parse).
function jsonOf(rng, t) {
  const rows = t.lines.slice(1).map((line) => {
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
    return Object.fromEntries(t.kinds.map((k, i) => [k, cells[i] !== undefined && cells[i] !== '' && Number.isFinite(Number(cells[i])) && rng.chance(0.9) ? Number(cells[i]) : cells[i] ?? null]));
  });
  const text = rng.chance(0.5) ? JSON.stringify(rows) : rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  return Buffer.from(text);
}
// Columns an analysis needs, so most of its inputs get past the option checks to the work.
const NEEDS = {
  customer_value: ['customer', 'invoice', 'date', 'amount', 'quantity', 'price'],
  recommend: ['customer', 'item'], association_rules: ['invoice', 'item'], sentiment: ['text'],
};

function mutate(rng, b) {
  let a = Array.from(b);
  const n = 1 + rng.below(5);
  const inserts = [',', '"', '\n', ';', '\t', '\u0000', '1e308', '""', '\n\n\n'].map((s) => Array.from(Buffer.from(s)));
  for (let k = 0; k < n; k++) {
    const at = rng.below(a.length + 1);
    switch (rng.below(7)) {
      case 0: if (a.length) a[rng.below(a.length)] ^= 1 << rng.below(8); break;
      case 1: a.splice(at, 0, ...rng.pick(inserts)); break;
      case 2: a.splice(at, 1 + rng.below(64)); break;
      case 3: { const s = rng.below(a.length + 1); a.splice(at, 0, ...a.slice(s, s + 1 + rng.below(256))); break; }
      case 4: a.splice(at, 0, ...new Array(1 + rng.below(5000)).fill(97)); break;
      case 5: a.splice(at, 0, ...new Array(1 + rng.below(2000)).fill(10)); break;
      default: a = a.slice(0, at);
    }
  }
  return Buffer.from(a.slice(0, MAX_BYTES));
}

function input(rng, files, target) {
  if (target === 'load_json' && rng.chance(0.7)) {
    const t = table(rng, 1 + rng.below(200));
    const bytes = jsonOf(rng, t);
    return { bytes: rng.chance(0.3) ? mutate(rng, bytes) : bytes, names: t.names };
  }
  if (!files.length || rng.chance(0.6)) {
    // Half the tables an analysis gets are clean enough to type as intended (one hostile
    // cell in a numeric column makes it text, and the analysis refuses it at once).
    const clean = NEEDS[target] && rng.chance(0.5);
    const t = table(rng, 1 + rng.below(200), NEEDS[target] ?? [], clean ? 0 : 0.05);
    return { bytes: !clean && rng.chance(0.2) ? mutate(rng, t.bytes) : t.bytes, names: t.names };
  }
  const f = rng.pick(files);
  let b = f.bytes.subarray(0, 64 + rng.below(MAX_BYTES));
  const nl = b.lastIndexOf(10);
  if (nl > 0) b = b.subarray(0, nl + 1);
  if (rng.chance(0.4)) b = mutate(rng, b);
  const header = b.subarray(0, Math.max(0, b.indexOf(10))).toString('utf8');
  const delim = [',', ';', '\t', '|'].sort((x, y) => header.split(y).length - header.split(x).length)[0];
  return { bytes: b, names: header.split(delim).map((s) => s.replace(/^"|"$/g, '').trim()).filter(Boolean) };
}

const value = (rng, good, names) => (rng.chance(0.9) && good.length ? rng.pick(good)
  : rng.chance(0.5) ? rng.pick(HOSTILE_VALUES) : rng.pick(names.length ? names : ['x']));
let lastOptions = null; // the options of the input running now, saved with a finding
function options(rng, keys, names, p = 0.4) {
  const o = {};
  for (const [k, good] of keys) if (rng.chance(p)) o[k] = value(rng, good, names);
  lastOptions = o;
  return o;
}
const col = (rng, names, like) => {
  const m = like && names.find((n) => n.toLowerCase().includes(like));
  return m && rng.chance(0.8) ? m : names.length ? rng.pick(names) : 'x';
};

function tamper(rng, v, depth = 0) {
  if (depth < 5 && v && typeof v === 'object' && rng.below(4)) {
    const keys = Object.keys(v);
    if (keys.length) { const k = rng.pick(keys); v[k] = tamper(rng, v[k], depth + 1); return v; }
  }
  return rng.pick([-1, 1e308, 2 ** 32, null, 'x', [], {}]);
}

const LOAD_KEYS = [['delimiter', [',', ';', 'whitespace']], ['header', [true, false]],
  ['onBadRows', ['repair', 'skip', 'error']], ['maxRows', [1, 5, 100]], ['encoding', ['utf-8', 'gbk', 'latin1']]];
// maxRows: N returns at most N rows, whatever the format and the position (findings 03, 05).
function withinMaxRows(ds) {
  const m = lastOptions?.maxRows;
  const n = ds.numRows;
  ds.free();
  return Number.isInteger(m) && m > 0 && n > m ? `maxRows ${m} returned ${n} rows` : null;
}

// Each target: (pkg, rng, data) → runs the entry point on a new input (a wrong result as a string).
const TARGETS = {
  load_csv: (P, rng, d) => withinMaxRows(P.Dataset.fromCsv(d.bytes, options(rng, LOAD_KEYS, d.names, 0.15))),
  load_json: (P, rng, d) => withinMaxRows(P.Dataset.fromJson(d.bytes, options(rng, [['format', ['json', 'ndjson']], ['maxRows', [1, 5]]], d.names, 0.2))),
  // Chunked = whole: fromFile(Blob) in small chunks gives the table (or the error) fromCsv gives.
  load_chunked: async (P, rng, d) => {
    const o = options(rng, LOAD_KEYS, d.names, 0.15);
    const chunkSize = 1 + rng.below(4096);
    let whole = null;
    let chunked = null;
    try { whole = P.Dataset.fromCsv(d.bytes, o); } catch (e) { whole = e; }
    try { chunked = await P.Dataset.fromFile(new Blob([d.bytes]), { ...o, chunkSize }); } catch (e) { chunked = e; }
    const text = (x) => (x instanceof Error ? `${x.name} ${x.code}` : `${x.numRows}\n${x.toCsv()}`);
    const [a, b] = [text(whole), text(chunked)];
    for (const x of [whole, chunked]) if (!(x instanceof Error)) x.free();
    for (const x of [whole, chunked]) if (x instanceof Error && x.name !== 'CrmlensError') throw x;
    return a === b ? null : `fromFile(Blob, { chunkSize: ${chunkSize} }) differs from fromCsv: ${b.slice(0, 80)} vs ${a.slice(0, 80)}`;
  },
  csv_round_trip: (P, rng, d) => {
    const ds = P.Dataset.fromCsv(d.bytes);
    const back = P.Dataset.fromCsv(ds.toCsv(), { header: true });
    const wrong = back.numRows !== ds.numRows || back.numColumns !== ds.numColumns
      ? `toCsv → fromCsv: ${ds.numRows} × ${ds.numColumns} became ${back.numRows} × ${back.numColumns}` : null;
    back.free(); ds.free();
    return wrong;
  },
  profile: (P, rng, d) => { const ds = P.Dataset.fromCsv(d.bytes); try { ds.profile(options(rng, [['topK', [1, 10, 1000]], ['bins', [1, 20, 100000]], ['correlations', [true, false]]], d.names)); } finally { ds.free(); } },
  clean: (P, rng, d) => {
    const ds = P.Dataset.fromCsv(d.bytes);
    try {
      const c = col(rng, d.names);
      const plan = rng.pick([{ trim: 'all' }, { dedupe: true }, { fill: { [c]: rng.pick(['mean', 'mode', { constant: 0 }]) } },
        { outliers: { [c]: { method: rng.pick(['iqr', 'mad']), action: rng.pick(['flag', 'drop']) } } }, { fuzzyDedupe: { name: c, threshold: value(rng, [0.85], d.names) } }]);
      ds.clean(plan).dataset.free();
    } finally { ds.free(); }
  },
  mask: (P, rng, d) => { const ds = P.Dataset.fromCsv(d.bytes); try { ds.mask(options(rng, [['columns', ['auto', [col(rng, d.names)]]], ['method', ['redact', 'hash', 'partial']]], d.names, 0.7)).dataset.free(); } finally { ds.free(); } },
  customer_value: (P, rng, d) => {
    const ds = P.Dataset.fromCsv(d.bytes);
    try {
      const o = { customer: col(rng, d.names, 'cust'), date: col(rng, d.names, 'date'),
        ...options(rng, [['horizon', [1, 12, 600, 601, 1e7]], ['timeUnit', ['days', 'weeks']], ['discountRate', [0.01, 0.5]]], d.names, 0.3) };
      if (rng.chance(0.5)) o.amount = col(rng, d.names, 'amount'); else { o.quantity = col(rng, d.names, 'quant'); o.price = col(rng, d.names, 'price'); }
      const v = P.customerValue(ds, o);
      v.customers.free();
    } finally { ds.free(); }
  },
  segment: (P, rng, d) => {
    const ds = P.Dataset.fromCsv(d.bytes);
    try {
      const r = P.segment(ds, options(rng, [['k', ['auto', 2, 3, 8, 2 ** 32, 2 ** 32 + 5, 9007199254740992]], ['kRange', [[2, 4], [2, 31], [2, 1e6]]],
        ['algorithm', ['kmeans', 'minibatch', 'kprototypes']], ['scaling', ['standard', 'robust', 'none']], ['missing', ['impute', 'drop']],
        ['nInit', [1, 3, 100, 1e6]], ['maxIter', [1, 3, 1e9]]], d.names, 0.3));
      // Centroids of used segments: no ±Infinity (NaN marks a column a segment has no value in).
      const flat = (v) => (Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v).flatMap(flat) : [v]);
      const bad = flat(r.centroids ?? []).find((x) => typeof x === 'number' && (x === Infinity || x === -Infinity));
      r.free?.();
      return bad !== undefined ? `segment centroid ${bad}` : null;
    } finally { ds.free(); }
  },
  sentiment: (P, rng, d) => { const ds = P.Dataset.fromCsv(d.bytes); try { P.sentimentOfDataset(ds, { column: col(rng, d.names, 'text'), ...options(rng, [['language', ['auto', 'en']], ['aspects', [true, false]]], d.names) }); } finally { ds.free(); } },
  recommend: (P, rng, d) => {
    const ds = P.Dataset.fromCsv(d.bytes);
    try {
      const o = { user: col(rng, d.names, 'cust'), item: col(rng, d.names, 'item'),
        ...options(rng, [['method', ['item-knn', 'als', 'popularity', 'auto']], ['factors', [1, 8, 512]], ['regularization', [0, 1e-6, 0.1]], ['alpha', [40, 1e30]]], d.names, 0.3) };
      let m = P.Recommender.fit(ds, o);
      if (rng.chance(0.3)) { const j = tamper(rng, JSON.parse(JSON.stringify(m))); m.free(); m = P.Recommender.fromJSON(j); }
      const u = rng.pick(['c0', 'c1', 'c2']);
      const recs = m.recommend(u, { k: 1 + rng.below(10) });
      m.free();
      const bad = recs.find((x) => !Number.isFinite(x.score));
      return bad ? `recommendation score ${bad.score}` : null;
    } finally { ds.free(); }
  },
  association_rules: (P, rng, d) => { const ds = P.Dataset.fromCsv(d.bytes); try { P.associationRules(ds, { transaction: col(rng, d.names, 'invoice'), item: col(rng, d.names, 'item'), ...options(rng, [['minSupport', [0.001, 0.01, 0.1]], ['maxLen', [2, 3, 64]]], d.names) }); } finally { ds.free(); } },
  sentiment_model: (P, rng) => {
    const n = 2 + rng.below(50);
    const texts = Array.from({ length: n }, () => Array.from({ length: rng.below(10) }, () => rng.pick(['good', 'bad', 'meh', '好', rng.pick(HOSTILE)])).join(' '));
    const labels = texts.map(() => `c${rng.below(3)}`);
    let m = P.SentimentModel.train(texts, labels, options(rng, [['model', ['naive-bayes', 'logistic']], ['l2', [0, 1e-4, 100]], ['alpha', [1, 1e308]]], []));
    if (rng.chance(0.3)) { const j = tamper(rng, JSON.parse(JSON.stringify(m))); m.free(); m = P.SentimentModel.fromJSON(j); }
    const p = m.predict(texts.slice(0, 5));
    m.free();
    const bad = Array.from(p.probability).find((x) => !Number.isFinite(x));
    return bad !== undefined ? `sentiment probability ${bad}` : null;
  },
};

const names = Object.keys(TARGETS);
const files = corpus(DATA);
// The English lexicon is a lazily loaded data module: installed once per instance.
const ready = async (p) => { await p.loadSentimentData?.(); return p; };
let P = await ready(await freshPackage());
const counts = Object.fromEntries(names.map((n) => [n, { inputs: 0, ok: 0, crmlensError: 0, trap: 0, contract: 0, slow: 0, wrong: 0, maxMs: 0 }]));
const findings = [];
mkdirSync(OUT, { recursive: true });
const start = performance.now();
let i = 0;
for (; i < INPUTS && performance.now() - start < SECONDS * 1000; i++) {
  const name = names[i % names.length];
  const seed = BigInt.asUintN(64, SEED * 1_000_003n + BigInt(i));
  const rng = new Rng(seed);
  const d = input(rng, files, name);
  const c = counts[name];
  c.inputs++;
  lastOptions = null;
  const t0 = performance.now();
  let kind = null;
  let message = '';
  try {
    const wrong = await TARGETS[name](P, rng, d);
    if (wrong) { kind = 'wrong'; message = wrong; c.wrong++; } else c.ok++;
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError || e?.name === 'RuntimeError') {
      kind = 'trap'; message = String(e.message); c.trap++;
      P = await ready(await freshPackage());
    } else if (e?.name === 'CrmlensError') {
      c.crmlensError++;
      if (VERBOSE) console.log(`${name} ${e.code}: ${String(e.message).slice(0, 160)}`);
    } else {
      kind = 'contract'; message = `${e?.name}: ${e?.message}`; c.contract++;
    }
  }
  const ms = performance.now() - t0;
  c.maxMs = Math.max(c.maxMs, ms);
  const bound = SLOW_MS + SLOW_MS_PER_KB * d.bytes.length / 1024;
  if (!kind && ms > bound) { kind = 'slow'; message = `${ms.toFixed(0)} ms > ${bound.toFixed(0)} ms`; c.slow++; }
  if (kind && findings.filter((f) => f.target === name && f.kind === kind).length < 20) {
    const file = join(OUT, `${name}-${kind}-${seed.toString(16)}.json`);
    writeFileSync(file, JSON.stringify({ target: name, kind, message, seed: seed.toString(), options: lastOptions, data: d.bytes.toString('latin1') }));
    findings.push({ target: name, kind, message, file });
  }
}
const secs = (performance.now() - start) / 1000;
console.log(`${'target'.padEnd(20)} ${'inputs'.padStart(8)} ${'ok'.padStart(8)} ${'errors'.padStart(8)} ${'trap'.padStart(5)} ${'contract'.padStart(8)} ${'slow'.padStart(5)} ${'wrong'.padStart(5)} ${'max ms'.padStart(8)}`);
for (const [n, c] of Object.entries(counts)) {
  console.log(`${n.padEnd(20)} ${String(c.inputs).padStart(8)} ${String(c.ok).padStart(8)} ${String(c.crmlensError).padStart(8)} ${String(c.trap).padStart(5)} ${String(c.contract).padStart(8)} ${String(c.slow).padStart(5)} ${String(c.wrong).padStart(5)} ${c.maxMs.toFixed(0).padStart(8)}`);
}
console.log(`total ${i} inputs in ${secs.toFixed(0)} s against ${PKG}`);
for (const f of findings) console.log(`${f.target} ${f.kind}: ${f.message.slice(0, 200)} -> ${f.file}`);
process.exit(findings.length ? 1 : 0);
