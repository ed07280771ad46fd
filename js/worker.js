// CrmlensWorker: runs crmlens in a module Web Worker so the page stays responsive.
// Datasets stay in the worker; this class hands out plain summaries and fetches rows or
// columns on demand.
import { loadModule } from './modules.js';

function rebuildError(info) {
  const e = new Error(info.message);
  e.name = info.name;
  for (const k of ['code', 'line', 'column', 'field']) if (info[k] !== undefined) e[k] = info[k];
  return e;
}

export class CrmlensWorker {
  /** @param {{ url?: string | URL }} [options] where worker-entry.js is served (defaults to next to this file) */
  constructor(options = {}) {
    // The literal `new Worker(new URL('./worker-entry.js', import.meta.url), ...)` form is
    // the one bundlers (Vite, webpack) recognise and bundle as a worker.
    this.worker = options.url
      ? new Worker(options.url, { type: 'module' })
      : new Worker(new URL('./worker-entry.js', import.meta.url), { type: 'module' });
    this.pending = new Map();
    this.nextId = 1;
    this.ready = new Promise((resolve, reject) => {
      this.worker.addEventListener('error', (e) => reject(new Error(`crmlens worker failed to start: ${e.message || 'the worker script could not be loaded (check its URL and that module workers are allowed)'}`)), { once: true });
      this.worker.addEventListener('message', (e) => {
        if (e.data?.ready === true) resolve();
        else if (e.data?.ready === false) reject(rebuildError(e.data.error));
      }, { once: true });
    });
    this.worker.onmessage = (event) => {
      const { id, result, error, progress } = event.data;
      const p = this.pending.get(id);
      if (!p) return;
      if (progress) { p.onProgress?.(progress); return; }
      this.pending.delete(id);
      if (error) p.reject(rebuildError(error)); else p.resolve(result);
    };
  }

  async call(op, args, { onProgress, signal } = {}, transfer = []) {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const abort = () => this.worker.postMessage({ id: this.nextId++, op: 'abort', args: { target: id } });
      const done = (fn) => (value) => { signal?.removeEventListener('abort', abort); fn(value); };
      this.pending.set(id, { resolve: done(resolve), reject: done(reject), onProgress });
      // The operation is posted first, so an abort (even of an already-aborted signal)
      // always reaches the worker after the operation it targets has started.
      this.worker.postMessage({ id, op, args }, transfer);
      if (signal) {
        if (signal.aborted) abort();
        else signal.addEventListener('abort', abort, { once: true });
      }
    });
  }

  /** Streams a File/Blob into a dataset inside the worker. Resolves to { handle, numRows, columns, source, issues, issueCounts }. */
  loadFile(file, { onProgress, signal, ...options } = {}) {
    return this.call('loadFile', { file, options }, { onProgress, signal });
  }
  /** Loads a string or bytes (format "csv" or "json"). */
  load(input, { format = 'csv', ...options } = {}) {
    return this.call('load', { input, format, options });
  }
  /** customerValue on a dataset in the worker: { customers: DatasetSummary (a new handle), model, cohorts }. */
  customerValue(handle, options) { return this.call('customerValue', { handle, options }); }
  /** customerProfiles in the worker: `attributes` and `extra` tables are dataset handles. Resolves to { profiles: DatasetSummary, joins }. */
  customerProfiles(handle, options = {}) { return this.call('customerProfiles', { handle, ...options }); }
  /** dataset.profile(options) in the worker: the profile report. */
  profile(handle, options) { return this.call('profile', { handle, options }); }
  /** dataset.clean(plan) in the worker: { dataset: DatasetSummary (a new handle), log, duplicates }. */
  clean(handle, plan) { return this.call('clean', { handle, plan }); }
  /** dataset.mask(options) in the worker: { dataset: DatasetSummary (a new handle), report }. */
  mask(handle, options) { return this.call('mask', { handle, options }); }
  /** segment on a dataset in the worker: the same result as segment() (labels, projection, segments, ...). */
  segment(handle, options) { return this.call('segment', { handle, options }); }
  /** Recommender.fitAsync on a dataset in the worker (onProgress / signal as there): { model (a handle), method, auto, report, numUsers, numItems, users }. */
  fitRecommender(handle, { onProgress, signal, ...options } = {}) { return this.call('fitRecommender', { handle, options }, { onProgress, signal }); }
  recommend(model, user, options) { return this.call('recommend', { model, user, options }); }
  recommendFor(model, items, k) { return this.call('recommendFor', { model, items, k }); }
  similarItems(model, item, k) { return this.call('similarItems', { model, item, k }); }
  evaluateRecommender(model, options) { return this.call('evaluateRecommender', { model, options }); }
  associationRules(handle, options) { return this.call('associationRules', { handle, options }); }
  freeModel(model) { return this.call('freeModel', { model }); }
  /** sentiment of a dataset's text column in the worker (options.column), or of an array of texts. */
  sentiment(handleOrTexts, options) {
    return this.#withChinese('sentiment', Array.isArray(handleOrTexts) ? { texts: handleOrTexts, options } : { handle: handleOrTexts, options });
  }
  /** topTerms of a dataset's text column (options.column), or of an array of texts. */
  topTerms(handleOrTexts, options) {
    return this.#withChinese('topTerms', Array.isArray(handleOrTexts) ? { texts: handleOrTexts, options } : { handle: handleOrTexts, options });
  }
  // On the first Chinese text the worker answers INVALID_STATE (data not loaded): the page
  // loads the data module `zh` (modules.js: the package's own crmlens_zh.js, same origin),
  // hands its text to the worker, and the call is made again. (Wasm modules load inside
  // the worker itself: see groupBy.)
  async #withChinese(op, args) {
    try {
      return await this.call(op, args);
    } catch (e) {
      if (e?.code !== 'INVALID_STATE' || await this.call('chineseLoaded', {})) throw e;
      const data = await loadModule('zh');
      await this.call('installChinese', { data });
      return this.call(op, args);
    }
  }
  /** groupBy (the lazily loaded `tables` module, loaded inside the worker on first use): the same columns as groupBy(). */
  groupBy(handle, options) { return this.call('groupBy', { handle, options }); }
  rows(handle, offset = 0, limit = 100) { return this.call('rows', { handle, offset, limit }); }
  column(handle, name) { return this.call('column', { handle, name }); }
  toCsv(handle, options) { return this.call('toCsv', { handle, options }); }
  toJson(handle) { return this.call('toJson', { handle }); }
  free(handle) { return this.call('free', { handle }); }
  terminate() {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(Object.assign(new Error('worker terminated'), { name: 'CrmlensError', code: 'ABORTED' }));
    this.pending.clear();
  }
}
