// One JS contract (issue 16, item 2): js/ops.js declares every worker operation once; the
// worker's op table (worker-entry.js), CrmlensWorker's methods (worker.js) and the types
// (worker.d.ts) must each have every declared op, and every public export of `crmlens`
// (pkg/crmlens.d.ts + index.d.ts) must have a worker operation, unless it is listed below as
// main-thread-only. The public declarations must not use `any`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as api from '../../pkg/node.js';
// The wasm-bindgen glue of CrmlensPool's workers (pool-entry.js): the core plus the shard ops
// (ops marked `pool`), built from src/wasm with its `pool` feature.
import * as poolApi from '../../pkg/crmlens_pool.js';
import { HANDLES, HANDLE_UNIONS, OPS, parseParam, parseRun } from '../../pkg/ops.js';

const PKG = new URL('../../pkg/', import.meta.url);
const read = (f) => readFileSync(new URL(f, PKG), 'utf8');

// Public exports that have no worker operation, on purpose.
const MAIN_THREAD_ONLY = new Set([
  'default', // __wbg_init in crmlens.d.ts (not re-exported by the entries, which call it themselves)
  'initSync', // instantiates the wasm module of this thread (the worker instantiates its own)
  'start', // wasm-bindgen's start function, run by init itself
]);

// CrmlensWorker's methods before the declaration existed: a public contract, never renamed.
const HISTORIC_METHODS = [
  'loadFile', 'load', 'customerValue', 'customerProfiles', 'profile', 'clean', 'mask', 'segment',
  'fitRecommender', 'recommend', 'recommendFor', 'similarItems', 'evaluateRecommender', 'associationRules',
  'freeModel', 'sentiment', 'topTerms', 'rows', 'column', 'toCsv', 'toJson', 'free', 'terminate', 'call',
];

/** Text without comments (a block or line comment never holds a declaration). */
const uncomment = (s) => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** The body (between its braces) of `export class|interface NAME`. */
function body(dts, kind, name) {
  const start = dts.search(new RegExp(`^export (?:declare )?${kind} ${name}\\b`, 'm'));
  assert.ok(start >= 0, `${kind} ${name} declared`);
  let depth = 0;
  for (let i = dts.indexOf('{', start); i < dts.length; i++) {
    if (dts[i] === '{') depth++;
    else if (dts[i] === '}' && --depth === 0) return dts.slice(dts.indexOf('{', start) + 1, i);
  }
  throw new Error(`unbalanced ${name}`);
}

/** Public names of a .d.ts: functions as `fn`, class members as `Class.member` (getters included). */
function publicNames(dts) {
  const text = uncomment(dts);
  const names = [...text.matchAll(/^export (?:declare )?function (\w+)/gm)].map((m) => m[1]);
  if (/^export default function/m.test(text)) names.push('default');
  for (const [, cls] of text.matchAll(/^export (?:declare )?class (\w+)/gm)) {
    for (const line of body(text, 'class', cls).split('\n')) {
      const m = /^\s*(?:static\s+)?(?:readonly\s+)?(\w+)\s*[(:]/.exec(line);
      if (m && m[1] !== 'constructor') names.push(`${cls}.${m[1]}`);
    }
  }
  // Statics added in JS to a generated class (`declare module './crmlens.js' { namespace
  // Dataset { function fromExcel(…) } }` in index.d.ts) are public as `Class.fn` too.
  for (const m of text.matchAll(/^\s*namespace (\w+) \{([\s\S]*?)^\s*\}/gm)) {
    for (const [, fn] of m[2].matchAll(/^\s*function (\w+)/gm)) names.push(`${m[1]}.${fn}`);
  }
  return names;
}

const crmlensDts = read('crmlens.d.ts');
const indexDts = read('index.d.ts');
const workerDts = read('worker.d.ts');
const poolDts = read('crmlens_pool.d.ts');

test('the declaration: every op is well formed and runs something the package has', () => {
  const problems = [];
  for (const [name, op] of Object.entries(OPS)) {
    if (typeof op.doc !== 'string' || !op.doc) problems.push(`${name}: no doc`);
    if (typeof op.result !== 'string' || !op.result) problems.push(`${name}: no result type`);
    if (!Array.isArray(op.covers)) problems.push(`${name}: no covers`);
    let params;
    try { params = op.params.map(parseParam); } catch (e) { problems.push(`${name}: ${e.message}`); continue; }
    if (op.progress && !(params.at(-1)?.optional || /LongWork/.test(op.params.at(-1) ?? ''))) problems.push(`${name}: progress needs its options (with LongWork: onProgress, signal) as the last param`);
    if (typeof op.run === 'function') continue;
    const { recv, fn, args } = parseRun(op.run);
    for (const a of args) if (!params.some((p) => p.name === a)) problems.push(`${name}: run names ${a}, not a param`);
    const param = params.find((p) => p.name === recv);
    const from = op.pool ? poolApi : api;
    const owners = recv === null ? [from] : param ? (param.handle ?? []).map((c) => from[c].prototype) : [from[recv]];
    if (!owners.length || owners.some((o) => typeof o?.[fn] !== 'function')) problems.push(`${name}: ${op.run} does not resolve in the package`);
  }
  for (const kind of Object.values(HANDLE_UNIONS).flat()) assert.ok(HANDLES[kind], kind);
  assert.deepEqual(problems, []);
});

test('the worker op table (worker-entry.js) has every declared op', async () => {
  // worker-entry.js runs in a worker (`self`); here it shares node.js's instantiated module.
  // Each op is sent with no arguments: any answer but "unknown operation" means the table has it.
  const replies = new Map();
  globalThis.self ??= globalThis;
  globalThis.postMessage = (m) => { if (m.id !== undefined) replies.get(m.id)?.(m); };
  await import('../../pkg/worker-entry.js');
  const ask = (id, op) => new Promise((resolve) => { replies.set(id, resolve); self.onmessage({ data: { id, op, args: {} } }); });
  const missing = [];
  let id = 1;
  for (const op of [...Object.keys(OPS), 'abort']) {
    const r = await ask(id++, op);
    if (r.error?.message === `unknown operation ${op}`) missing.push(op);
  }
  assert.deepEqual(missing, []);
  assert.equal((await ask(id++, 'noSuchOperation')).error?.message, 'unknown operation noSuchOperation', 'an op not in the table is reported');
});

test('CrmlensWorker (worker.js) has a method per declared op and keeps every historic method', async () => {
  const { CrmlensWorker } = await import('../../pkg/worker.js');
  const proto = CrmlensWorker.prototype;
  const missing = [...Object.keys(OPS), ...HISTORIC_METHODS].filter((m) => typeof proto[m] !== 'function');
  assert.deepEqual(missing, []);
  // The generated methods take the declared params in order (Function.length counts them
  // up to the first default; the rest parameter counts none, so check by name instead).
  for (const [name, op] of Object.entries(OPS)) assert.equal(proto[name].name, name, `${name} is the generated method`);
});

test('worker.d.ts declares every op (and the historic methods) on CrmlensWorker', () => {
  const cls = body(uncomment(workerDts), 'class', 'CrmlensWorker');
  const declared = new Set([...cls.matchAll(/^\s*(\w+)\(/gm)].map((m) => m[1]));
  const missing = [...Object.keys(OPS), ...HISTORIC_METHODS.filter((m) => m !== 'call')].filter((m) => !declared.has(m));
  assert.deepEqual(missing, []);
  for (const [name, op] of Object.entries(OPS)) {
    const sig = new RegExp(`^\\s*${name}\\(([^\\n]*)\\): Promise<`, 'm').exec(cls);
    assert.ok(sig, `${name} returns a Promise`);
    const params = op.params.map(parseParam).map((p) => p.name);
    const got = sig[1] ? [...sig[1].matchAll(/(?:^|, )(\w+)\??:/g)].map((m) => m[1]) : [];
    assert.deepEqual(got, params, `${name}'s params in the declared order`);
  }
});

test('every public export of crmlens has a worker operation (or is main-thread-only)', () => {
  const exported = [...publicNames(crmlensDts), ...publicNames(indexDts)];
  assert.ok(exported.includes('segment') && exported.includes('Dataset.profile') && exported.includes('customerProfiles'), 'the .d.ts was read');
  const coreOps = Object.values(OPS).filter((op) => !op.pool);
  const covered = new Set(coreOps.flatMap((op) => op.covers));
  // Handle getters are in the summary the worker answers with; free / dispose are free / freeModel.
  for (const [cls, { fields }] of Object.entries(HANDLES)) {
    for (const f of Object.keys(fields)) covered.add(`${cls}.${f}`);
  }
  const uncovered = exported.filter((n) => !covered.has(n) && !MAIN_THREAD_ONLY.has(n));
  assert.deepEqual(uncovered, [], 'exports with no worker operation: add an entry to js/ops.js (or, if it cannot run in a worker, to MAIN_THREAD_ONLY with the reason)');
  const stale = [...new Set(coreOps.flatMap((op) => op.covers))].filter((n) => !exported.includes(n));
  assert.deepEqual(stale, [], 'covers entries that are not exports');
});

test('the pool ops cover exports of the pool wasm only: the core has none of them, the pool wasm has the core and them', () => {
  const exported = publicNames(crmlensDts);
  const pooled = publicNames(poolDts);
  const poolCovers = Object.values(OPS).filter((op) => op.pool).flatMap((op) => op.covers);
  assert.ok(poolCovers.length >= 6, 'the shard ops are marked pool');
  assert.deepEqual(poolCovers.filter((n) => !pooled.includes(n)), [], 'pool covers that crmlens_pool.d.ts does not export');
  assert.deepEqual(poolCovers.filter((n) => exported.includes(n)), [], 'pool ops found in the core (crmlens.d.ts)');
  assert.deepEqual(exported.filter((n) => !pooled.includes(n)), [], 'core exports missing from the pool wasm');
  // Every export the pool wasm adds to the core is a pool op's.
  assert.deepEqual(pooled.filter((n) => !exported.includes(n) && !poolCovers.includes(n)), [], 'pool exports no op covers');
});

test('no two declarations of crmlens.d.ts share a name (TypeScript would merge them into one type)', () => {
  const names = [...uncomment(crmlensDts).matchAll(/^export (?:declare )?(?:interface|type|class|function|enum) (\w+)/gm)].map((m) => m[1]);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  assert.deepEqual(twice, []);
});

test('no `any` in the public declarations (crmlens.d.ts outside InitOutput, index.d.ts, worker.d.ts)', () => {
  const initOutput = /^export interface InitOutput \{[\s\S]*?^\}\n/m;
  assert.match(crmlensDts, initOutput, 'wasm-bindgen\'s InitOutput (raw exports) is found and left out');
  const files = { 'crmlens.d.ts': crmlensDts.replace(initOutput, ''), 'index.d.ts': indexDts, 'worker.d.ts': workerDts };
  const found = [];
  for (const [f, text] of Object.entries(files)) {
    uncomment(text).split('\n').forEach((line, i) => {
      const code = line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""');
      if (/\bany\b/.test(code)) found.push(`${f}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
});
