// The app's data session: one crmlens Web Worker and the dataset currently loaded in it.
// Views share it (ctx.session): the Data view loads; later views (Profile, Customer
// value, Segments, ...) read `session.current` and ask the worker for rows or columns.
//
// Events: 'change' whenever the current dataset is set or cleared.

import { CrmlensWorker } from '../pkg/worker.js';

// After Cancel, how long the worker may take to acknowledge the abort before it is
// terminated and replaced (crmlens checks the signal between chunks; the final step that
// types the columns is not interruptible).
const STOP_GRACE_MS = 3000;

export function abortedError(message = 'The load was cancelled.') {
  return Object.assign(new Error(message), { name: 'CrmlensError', code: 'ABORTED' });
}

export function isAbort(err) {
  return err?.code === 'ABORTED' || err?.name === 'AbortError';
}

export class Session extends EventTarget {
  #worker = null;
  #current = null;
  #job = null;

  /** { handle, numRows, columns, source, issues, issueCounts, name, size, options, ms } or null. */
  get current() { return this.#current; }

  /** True while a load runs. */
  get busy() { return this.#job !== null; }

  /** The worker, started on first use (starting it fetches /pkg/ files and the wasm, same origin). */
  get worker() {
    this.#worker ??= new CrmlensWorker();
    return this.#worker;
  }

  /** Starts the worker early so the first load does not wait for the wasm. */
  warmUp() {
    this.worker.ready.catch(() => this.#resetWorker());
  }

  /**
   * Loads a File/Blob in the worker, replacing the current dataset.
   * Rejects with code ABORTED when `signal` aborts.
   */
  async load(blob, { name = blob.name ?? 'data', options = {}, onProgress, signal } = {}) {
    // A previous load still running (for example cancelled but not yet stopped): stop it
    // for sure by replacing the worker.
    if (this.#job) this.#resetWorker();
    await this.clear();
    if (signal?.aborted) throw abortedError();

    const worker = this.worker;
    const job = { worker, settled: false, timer: 0 };
    this.#job = job;
    const onAbort = () => {
      job.timer = setTimeout(() => {
        if (!job.settled && this.#worker === worker) this.#resetWorker();
      }, STOP_GRACE_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    try {
      const summary = await worker.loadFile(blob, { ...options, onProgress, signal });
      if (signal?.aborted) {
        // The load finished although Cancel was pressed: honour the cancel.
        worker.free(summary.handle).catch(() => {});
        throw abortedError();
      }
      this.#current = { ...summary, name, size: blob.size, options, ms: performance.now() - started };
      this.dispatchEvent(new Event('change'));
      return this.#current;
    } catch (err) {
      // A worker that failed to start or crashed is replaced on the next load.
      if (err?.name !== 'CrmlensError' && this.#worker === worker) this.#resetWorker();
      throw err;
    } finally {
      job.settled = true;
      clearTimeout(job.timer);
      signal?.removeEventListener('abort', onAbort);
      if (this.#job === job) this.#job = null;
    }
  }

  /** Rows of the current dataset as plain objects. */
  rows(offset = 0, limit = 50) {
    if (!this.#current) return Promise.resolve([]);
    return this.worker.rows(this.#current.handle, offset, limit);
  }

  /** One column of the current dataset (Float64Array or array of values). */
  column(name) {
    if (!this.#current) return Promise.reject(new Error('no dataset loaded'));
    return this.worker.column(this.#current.handle, name);
  }

  /** Frees the current dataset. */
  async clear() {
    const cur = this.#current;
    if (!cur) return;
    this.#current = null;
    this.dispatchEvent(new Event('change'));
    try { await this.#worker?.free(cur.handle); } catch { /* worker gone: memory gone too */ }
  }

  #resetWorker() {
    const w = this.#worker;
    this.#worker = null;
    this.#job = null;
    w?.terminate();
    if (this.#current) {
      this.#current = null;
      this.dispatchEvent(new Event('change'));
    }
  }
}
