// crmlens/worker for Node.js: CrmlensWorker as in browsers, and CrmlensPool on worker_threads
// (each thread runs pool-entry.js behind pool-thread.js, which gives it the `self` of a
// Web Worker). The pool's .wasm (crmlens_pool_bg.wasm) is read from disk and compiled once.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { setFileReader } from './loader.js';
import { CrmlensPool as BrowserPool, ShardedDataset, decide, mergeSentiment, AUTO_WORKERS_CAP, MIN_SHARD_BYTES } from './pool.js';

export { CrmlensWorker } from './worker-core.js';

// The data modules the page side loads for its workers (the English / Chinese sentiment
// data, see CrmlensWorker.withChinese) are files here.
setFileReader(readFileSync);
export { ShardedDataset, decide, mergeSentiment, AUTO_WORKERS_CAP, MIN_SHARD_BYTES };

/** A worker_threads Worker seen as a Web Worker: message / error / exit events. */
class ThreadWorker extends EventTarget {
  constructor(url) {
    super();
    this.onmessage = null;
    this.thread = new Worker(url ?? new URL('./pool-thread.js', import.meta.url));
    this.thread.on('message', (data) => {
      const ev = new MessageEvent('message', { data });
      this.dispatchEvent(ev);
      this.onmessage?.(ev);
    });
    this.thread.on('error', (e) => this.dispatchEvent(Object.assign(new Event('error'), { message: e?.message ?? String(e) })));
    this.thread.on('exit', (code) => this.dispatchEvent(Object.assign(new Event('exit'), { code })));
  }
  postMessage(data, transfer = []) {
    this.thread.postMessage(data, transfer);
  }
  terminate() {
    this.thread.terminate();
  }
}

export const nodePlatform = {
  cores: () => availableParallelism(),
  compile: async () => WebAssembly.compile(readFileSync(new URL('./crmlens_pool_bg.wasm', import.meta.url))),
  spawn: (url) => new ThreadWorker(url),
  // A file-backed Blob (fs.openAsBlob) cannot be posted to a thread: its bytes can.
  blob: async (b) => new Blob([await b.arrayBuffer()]),
};

export class CrmlensPool extends BrowserPool {
  /** @param {{ workers?: 'auto' | number, url?: string | URL }} [options] */
  constructor(options = {}) {
    super(options, nodePlatform);
  }
}
