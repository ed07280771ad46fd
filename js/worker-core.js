// CrmlensWorker: runs crmlens in a module Web Worker so the page stays responsive. (This file
// is the class itself, imported by worker.js, the `crmlens/worker` entry, and by pool.js, whose
// workers are CrmlensWorkers: neither imports the other.)
// Datasets and models stay in the worker; this class hands out plain summaries and fetches
// rows or columns on demand. Its operation methods are generated from the declaration in
// ops.js (one per op, arguments in the declared order); their types are pkg/worker.d.ts,
// generated from the same declaration.
import { crmlensError, rebuildError } from './errors.js';
import { OPS, parseParam } from './ops.js';
import { loadModule } from './modules.js';

export class CrmlensWorker {
  /** @param {{ url?: string | URL }} [options] where worker-entry.js is served (defaults to next to this file) */
  constructor(options = {}) {
    // The literal `new Worker(new URL('./worker-entry.js', import.meta.url), ...)` form is
    // the one bundlers (Vite, webpack) recognise and bundle as a worker. (`options.worker`:
    // a worker CrmlensPool started, see pool.js.)
    this.worker = options.worker ?? (options.url
      ? new Worker(options.url, { type: 'module' })
      : new Worker(new URL('./worker-entry.js', import.meta.url), { type: 'module' }));
    this.failed = null;
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
      if (this.failed) { reject(this.failed); return; }
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

  // On the first Chinese text the worker answers INVALID_STATE (data not loaded): the page
  // loads the data module `zh` (modules.js: the package's own crmlens_zh.js, same origin),
  // hands its text to the worker, and the call is made again. (Wasm modules load inside the
  // worker itself: see the groupBy op.)
  async withChinese(op, args, control = {}) {
    // The English lexicon (a data module too) before the first sentiment op of this worker.
    if (!(await this.call('englishLoaded', {}))) {
      const en = await loadModule('en');
      await this.call('installEnglish', { lexicon: en.lexicon, emoji: en.emoji });
    }
    try {
      return await this.call(op, args, control);
    } catch (e) {
      if (e?.code !== 'INVALID_STATE' || await this.call('chineseLoaded', {})) throw e;
      const data = await loadModule('zh');
      await this.call('installChinese', { data });
      return this.call(op, args, control);
    }
  }

  terminate() {
    this.worker.terminate();
    this.fail(crmlensError('ABORTED', 'worker terminated'));
  }

  /** Rejects every pending and later call with `error` (the worker stopped or crashed). */
  fail(error) {
    this.failed ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

/** The method of one declared op: positional arguments -> the message's fields. */
function method(name, op) {
  const params = op.params.map(parseParam);
  const last = params.length - 1;
  const fn = {
    [name](...argv) {
      const args = {};
      let control = {};
      params.forEach((p, i) => {
        let v = argv[i] === undefined ? p.default : argv[i];
        if (op.progress && i === last) {
          const { onProgress, signal, ...options } = v ?? {};
          control = { onProgress, signal };
          v = options;
        }
        if (v !== undefined) args[p.name] = v;
      });
      return op.chinese ? this.withChinese(name, args, control) : this.call(name, args, control);
    },
  }[name];
  return fn;
}

for (const [name, op] of Object.entries(OPS)) {
  if (Object.hasOwn(CrmlensWorker.prototype, name)) throw new Error(`crmlens ops: ${name} clashes with a CrmlensWorker member`);
  Object.defineProperty(CrmlensWorker.prototype, name, { value: method(name, op), writable: true, configurable: true });
}
