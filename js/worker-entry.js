// Runs inside a module Web Worker started by CrmlensWorker (worker.js). Datasets and models
// live in this worker's WebAssembly memory; the page gets handles and summaries, and rows or
// columns by message. The op table is built from the declaration in ops.js (one entry per
// operation), so nothing here names an operation.
// No top-level await here (bundlers emit workers as classic scripts by default): the
// module is instantiated once, and every message waits for it.
import init, * as crmlens from './crmlens.js';
import { guardFreed } from './guard.js';
import { crmlensError, errorInfo } from './errors.js';
import { HANDLES, HANDLE_UNIONS, OPS, parseParam, parseRun } from './ops.js';
// Lazily loaded wasm modules, fetched by this worker on first use (loader.js has no import()).
import { createLoader, WASM_MODULES } from './loader.js';
import { datasetToBytes, defineToBytes } from './bytes.js';
// customerProfiles, rules, prediction (pool-entry.js imports pool-api.js here: none of them).
import { workerApi } from './worker-api.js';
import { defineSheets } from './sheets.js';

const loadModule = createLoader(WASM_MODULES);

// A worker of a CrmlensPool (pool.js, started with the name 'crmlens-pool') is sent the
// WebAssembly.Module the pool compiled once, as its first message; any other worker
// fetches and compiles the package's .wasm itself.
let receiveModule = null;
const pooled = self.name === 'crmlens-pool';
const ready = (pooled
  ? new Promise((resolve) => { receiveModule = resolve; }).then((module) => init({ module_or_path: module }))
  : init({ module_or_path: new URL('./crmlens_bg.wasm', import.meta.url) })
).then(() => {
  // Predictor (js/predict.js) guards itself: it is not a wasm-bindgen class of the core.
  for (const cls of Object.keys(HANDLES)) if (crmlens[cls]) guardFreed(crmlens[cls]);
  // dataset.toBytes() (written in JS, js/bytes.js) as in index.js and node.js: the toBytes op runs it.
  defineToBytes(crmlens.Dataset);
  // Workbooks (Dataset.sheets / fromExcel / fromFile of a workbook) through this worker's loader.
  defineSheets(crmlens.Dataset, loadModule);
});

/** What `run` sees as `api`: the package's exports (plus the JS-only customerProfiles, and
 * the worker's own loader of lazily loaded wasm modules with the Dataset-bytes helper, and
 * the rules and prediction APIs over that loader). */
const api = { ...crmlens, loadModule, datasetToBytes, ...workerApi(loadModule) };

const objects = new Map(); // handle -> Dataset | Recommender | SentimentModel | Predictor
const running = new Map(); // message id -> AbortController
let nextHandle = 1;

const kindOf = (obj) => Object.keys(HANDLES).find((cls) => typeof api[cls] === 'function' && obj instanceof api[cls]);
const label = (kind) => (kind === 'Dataset' ? 'dataset' : kind === 'Recommender' ? 'recommender' : kind === 'SentimentModel' ? 'sentiment model' : kind === 'Predictor' ? 'predictor' : 'model');

/** What `run` sees as `worker`: handle lookup, freeing and errors. */
const worker = {
  error: crmlensError,
  /** The object of `handle` if it is one of `kind` (a HANDLES class or a HANDLE_UNIONS name). */
  get(handle, kind) {
    const obj = objects.get(handle);
    const kinds = HANDLES[kind] ? [kind] : HANDLE_UNIONS[kind];
    if (!obj || !kinds.includes(kindOf(obj))) throw crmlensError('INVALID_STATE', `no ${label(kind)} with handle ${handle} (freed?)`);
    return obj;
  },
  /** Frees `handle` if it holds a `kind`; anything else (a freed or unknown handle) is left alone. */
  free(handle, kind) {
    const obj = objects.get(handle);
    const kinds = HANDLES[kind] ? [kind] : HANDLE_UNIONS[kind];
    if (obj && kinds.includes(kindOf(obj))) {
      obj.free();
      objects.delete(handle);
    }
  },
};

/** Keeps a Dataset / model in the worker and describes it (HANDLES[kind].fields) for the page. */
function keep(obj, kind) {
  const { handleField, fields } = HANDLES[kind];
  const handle = nextHandle++;
  objects.set(handle, obj);
  const summary = { [handleField]: handle };
  for (const f of Object.keys(fields)) summary[f] = typeof obj[f] === 'function' ? obj[f]() : obj[f];
  // A scored table (Predictor.predictAsync) carries what scoring read differently: kept.
  if (kind === 'Dataset' && Array.isArray(obj.warnings)) summary.warnings = [...obj.warnings];
  return summary;
}

/** The reply for `result`: every handle object in it (itself, or a top-level field) kept and summarised. */
function reply(result) {
  const kind = result != null && typeof result === 'object' ? kindOf(result) : undefined;
  if (kind) return keep(result, kind);
  if (result === null || typeof result !== 'object' || Array.isArray(result) || ArrayBuffer.isView(result)) return result;
  const out = {};
  for (const [k, v] of Object.entries(result)) {
    const vk = v != null && typeof v === 'object' ? kindOf(v) : undefined;
    out[k] = vk ? keep(v, vk) : v;
  }
  return out;
}

/** Buffers of the typed arrays made for this reply: the result itself or its top-level fields. */
function transferables(result) {
  const views = ArrayBuffer.isView(result) ? [result] : result && typeof result === 'object' ? Object.values(result).filter((v) => ArrayBuffer.isView(v)) : [];
  return [...new Set(views.map((v) => v.buffer))];
}

/** One handler per declared op: resolves handle arguments, runs, keeps handle results. */
function handler(name, op) {
  const params = op.params.map(parseParam);
  const options = op.progress ? params.at(-1).name : null;
  const call = typeof op.run === 'function' ? op.run : (() => {
    const { recv, fn, args } = parseRun(op.run);
    const isParam = params.some((p) => p.name === recv);
    return (a) => {
      const target = recv === null ? api : isParam ? a[recv] : api[recv];
      if (typeof target?.[fn] !== 'function') throw crmlensError('INVALID_STATE', `${name}: ${op.run} is not available`);
      return target[fn](...args.map((x) => a[x]));
    };
  })();
  return async (id, message) => {
    // The shard ops are in the pool's wasm only (pool-entry.js); not in this package's core.
    if (op.pool && typeof api.csvShardScan !== 'function') {
      throw crmlensError('INVALID_STATE', `${name} runs only in a CrmlensPool worker (pool-entry.js, crmlens_pool_bg.wasm)`);
    }
    const a = {};
    for (const p of params) {
      const v = message[p.name] === undefined ? p.default : message[p.name];
      a[p.name] = p.handle && !(v === undefined && p.optional) ? worker.get(v, p.type) : v;
    }
    if (!options) return call(a, api, worker);
    const controller = new AbortController();
    running.set(id, controller);
    try {
      a[options] = { ...a[options], signal: controller.signal, onProgress: (p) => self.postMessage({ id, progress: p }) };
      return await call(a, api, worker);
    } finally {
      running.delete(id);
    }
  };
}

/** The op table: every declared op, plus `abort` (the page's side of an AbortSignal). Not
 * exported: bundlers emit this entry as a classic worker script, which has no exports. */
const table = Object.fromEntries(Object.entries(OPS).map(([name, op]) => [name, handler(name, op)]));
table.abort = (id, { target }) => {
  running.get(target)?.abort();
  return true;
};

self.onmessage = async (event) => {
  if (receiveModule && event.data?.module instanceof WebAssembly.Module) {
    receiveModule(event.data.module);
    receiveModule = null;
    return;
  }
  const { id, op, args } = event.data;
  try {
    await ready;
    if (!Object.hasOwn(table, op)) throw crmlensError('INVALID_STATE', `unknown operation ${op}`);
    const result = reply(await table[op](id, args ?? {}));
    self.postMessage({ id, result }, OPS[op]?.transfer ? transferables(result) : []);
  } catch (e) {
    self.postMessage({ id, error: errorInfo(e) });
  }
};
ready.then(
  () => self.postMessage({ ready: true }),
  (e) => self.postMessage({ ready: false, error: errorInfo(e) }),
);
