// CrmlensPool: crmlens on every core. The pool's .wasm (crmlens_pool_bg.wasm: the core with
// the shard ops, built by scripts/build.sh with the boundary crate's `pool` feature, so the
// default crmlens_bg.wasm carries none of them) is compiled once on the page and the
// WebAssembly.Module is posted to N module workers (pool-entry.js) (no SharedArrayBuffer, so no
// cross-origin isolation needed); each worker instantiates it with its own memory.
//
// A file is loaded in parallel: it is cut into byte ranges after newlines, each worker reads
// its range (speculatively assuming the range starts at a record) and scans its quote states;
// the scans, chained from the file's start, tell where a cut fell inside a quoted field, and
// those ranges are read again from the next real record start (Ge et al., "Speculative
// Distributed CSV Data Parsing for Big Data Analytics", SIGMOD 2019). Column types are then
// decided across ranges (int and float: float; one date order; otherwise text) and the
// ranges whose own inference differs are read again with the decided types. Row numbers and
// issues refer to the file's own lines. The result is a ShardedDataset: each worker holds
// only its shard.
//
// Platform: plain module Workers here; worker_threads in Node (pool-node.js supplies them).
import { crmlensError, rebuildError } from './errors.js';
import { CrmlensWorker } from './worker-core.js';
import { shardedKMeans } from './pool-kmeans.js';

/** `workers: 'auto'` = navigator.hardwareConcurrency, at most this many. */
export const AUTO_WORKERS_CAP = 8;
/** How many workers `workers: 'auto'` starts for this many cores (the demo shows it before it starts a pool). */
export const autoWorkers = (cores) => Math.max(1, Math.min(AUTO_WORKERS_CAP, cores || 1));
/** Files smaller than this load in one worker (options.minShardBytes overrides it). */
export const MIN_SHARD_BYTES = 4 << 20;
/** A range is never smaller than the loader's sniffing window (64 KiB), so every range is sniffed alike. */
const MIN_RANGE = 64 * 1024 + 1;
const HEAD_BYTES = 256 * 1024;
const MAX_LISTED_ISSUES = 10_000;

/** Browser workers: module Workers named 'crmlens-pool' running pool-entry.js, the pool's .wasm fetched and compiled once. */
export const browserPlatform = {
  cores: () => globalThis.navigator?.hardwareConcurrency ?? 1,
  async compile() {
    const res = await fetch(new URL('./crmlens_pool_bg.wasm', import.meta.url));
    if (!res.ok) throw crmlensError('MODULE_LOAD_FAILED', `crmlens_pool_bg.wasm: HTTP ${res.status}`);
    return WebAssembly.compile(await res.arrayBuffer());
  },
  spawn(url) {
    // The literal form bundlers recognise as a worker entry.
    const w = url
      ? new Worker(url, { type: 'module', name: 'crmlens-pool' })
      : new Worker(new URL('./pool-entry.js', import.meta.url), { type: 'module', name: 'crmlens-pool' });
    return w;
  },
  /** What a worker can be sent: a File / Blob as it is. */
  async blob(b) { return b; },
};

const aborted = (signal) => crmlensError('ABORTED', 'aborted', { field: signal?.reason?.message });

export class CrmlensPool {
  /**
   * @param {{ workers?: 'auto' | number, url?: string | URL }} [options]
   * @param {object} [platform] how workers are started (pool-node.js passes worker_threads)
   */
  constructor(options = {}, platform = browserPlatform) {
    const { workers = 'auto', url, ...rest } = options ?? {};
    const unknown = Object.keys(rest);
    if (unknown.length) throw crmlensError('INVALID_OPTION', `unknown option ${unknown[0]} (known: workers, url)`, { field: unknown[0] });
    if (workers !== 'auto' && !(Number.isInteger(workers) && workers >= 1 && workers <= 256)) {
      throw crmlensError('INVALID_OPTION', "workers must be 'auto' or an integer from 1 to 256", { field: 'workers' });
    }
    this.platform = platform;
    this.url = url;
    this.size = workers === 'auto' ? autoWorkers(platform.cores()) : workers;
    this.crashes = 0;
    this.terminated = false;
    this.module = platform.compile();
    this.module.catch(() => {}); // reported through `ready`
    this.workers = [];
    for (let i = 0; i < this.size; i++) this.workers.push(this.#start(i));
    this.ready = Promise.all(this.workers.map((w) => w.ready)).then(() => {});
  }

  /** Whether the pool can take work (false once terminated). A crashed worker is replaced, so a crash leaves the pool usable; the datasets that worker held are lost. */
  get usable() {
    return !this.terminated;
  }

  #start(i) {
    const raw = this.platform.spawn(this.url);
    const w = new CrmlensWorker({ worker: raw });
    w.index = i;
    w.generation = (this.workers[i]?.generation ?? 0) + 1;
    w.ready.catch(() => {});
    this.module.then((module) => raw.postMessage({ module }), (e) => w.fail(e));
    const lost = (why) => this.#crashed(i, w, why);
    raw.addEventListener('error', (e) => lost(e?.message || 'uncaught error'));
    raw.addEventListener('exit', (e) => lost(`exited with code ${e?.code ?? '?'}`));
    return w;
  }

  #crashed(i, w, why) {
    if (this.terminated || this.workers[i] !== w) return;
    this.crashes++;
    const e = crmlensError('WORKER_CRASHED', `crmlens pool worker ${i} stopped (${why}): the datasets it held are lost; the pool started a new worker and stays usable`);
    e.poolUsable = true;
    w.fail(e);
    try { w.worker.terminate(); } catch { /* already gone */ }
    this.workers[i] = this.#start(i);
  }

  #alive() {
    if (this.terminated) throw crmlensError('INVALID_STATE', 'the pool was terminated');
  }

  /** Stops every worker: their memory is given back; pending calls reject with ABORTED. */
  terminate() {
    this.terminated = true;
    for (const w of this.workers) w.terminate();
  }

  /**
   * Loads a File / Blob / bytes into a ShardedDataset, in parallel byte ranges (CSV and
   * whitespace-separated text; JSON, NDJSON, UTF-16 and small files load in one worker).
   */
  async fromFile(input, options = {}) {
    this.#alive();
    const { onProgress, signal, minShardBytes = MIN_SHARD_BYTES, ...load } = options ?? {};
    const blob = input instanceof Uint8Array || input instanceof ArrayBuffer ? new Blob([input]) : input;
    if (!blob || typeof blob.slice !== 'function' || typeof blob.size !== 'number') {
      throw crmlensError('INVALID_OPTION', 'expected a File, Blob, Uint8Array or ArrayBuffer', { field: 'input' });
    }
    if (blob.name && load.fileName === undefined) load.fileName = blob.name;
    const check = () => { if (signal?.aborted) throw aborted(signal); };
    await this.ready;
    check();
    const size = blob.size;
    const w0 = this.workers[0];
    const single = async () => {
      const ds = await w0.call('loadFile', { file: await this.platform.blob(blob), options: load }, { onProgress, signal });
      return new ShardedDataset(this, [{ worker: w0, summary: ds, lineOffset: 0 }], ds.columns, ds.source);
    };
    const n = Math.min(this.size, Math.max(1, Math.floor(size / MIN_RANGE)));
    const head = new Uint8Array(await blob.slice(0, Math.min(size, HEAD_BYTES)).arrayBuffer());
    const first = head.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0xef && b !== 0xbb && b !== 0xbf);
    const ext = /\.(json|ndjson|jsonl)$/i.test(load.fileName ?? '');
    if (n < 2 || size < minShardBytes || load.maxRows != null || ext || first === 0x5b || first === 0x7b
      || (load.format && load.format !== 'auto' && load.format !== 'csv')) {
      return single();
    }
    // The dialect, encoding and header, from the head (as the loader sniffs them: its first 64 KiB).
    const sniffed = await w0.call('load', { input: head, options: { ...load, maxRows: 200 } });
    w0.call('free', { handle: sniffed.handle }).catch(() => {});
    const src = sniffed.source;
    if (src.format !== 'csv' || !src.delimiter || src.delimiter === 'lines' || /utf-16/i.test(src.encoding)) return single();
    const whitespace = src.delimiter === 'whitespace';
    const scanArgs = { delimiter: whitespace ? 0x20 : src.delimiter.charCodeAt(0), quote: whitespace ? 0 : (load.quote ?? '"').charCodeAt(0) };
    const names = sniffed.columns.map((c) => c.name);
    const later = { ...load, delimiter: src.delimiter, encoding: src.encoding, header: false };
    check();

    // Speculative cuts: just after the first newline at or after k/n of the file.
    const starts = [0];
    for (let k = 1; k < n; k++) {
      const s = await nextLineStart(blob, Math.floor((k * size) / n));
      if (s !== null && s > starts.at(-1) && s < size) starts.push(s);
    }
    const ends = starts.map((s, k) => starts[k + 1] ?? size);
    // Progress of the first reading: per range, its bytes and rows read so far (each worker
    // reports after every 1 MiB piece), summed; ranges read again are not counted twice.
    const seen = starts.map(() => ({ bytes: 0, rows: 0 }));
    const progress = (k, p) => {
      seen[k] = { bytes: p.bytesRead, rows: p.rows };
      onProgress?.({ bytesRead: seen.reduce((a, x) => a + x.bytes, 0), totalBytes: size, rows: seen.reduce((a, x) => a + x.rows, 0) });
    };
    const kept = []; // every dataset handed out, to free on failure
    let failed = false; // once set, a dataset that still arrives is freed at once
    const read = async (k, a, b, shard, scan) => {
      check();
      const bytes = new Uint8Array(await blob.slice(a, b).arrayBuffer());
      check();
      const w = this.workers[k % this.size];
      const out = await w.call('loadShard', { bytes, options: k === 0 && !shard.names ? load : later, shard, scan }, { signal, onProgress: scan ? (p) => progress(k, p) : undefined }, [bytes.buffer]);
      if (out.dataset) {
        if (failed) w.call('free', { handle: out.dataset.handle }).catch(() => {});
        else kept.push({ worker: w, handle: out.dataset.handle });
      }
      return { ...out, worker: w };
    };
    const spec = (k, first, last, force) => ({ ...(first > 0 ? { names } : {}), firstLine: 1, last, ...(force ? { force } : {}) });
    try {
      // 1. Every range, speculatively, with its quote scan.
      const spec1 = await Promise.all(starts.map((a, k) => read(k, a, ends[k], spec(k, a, k === starts.length - 1), scanArgs)
        .then((r) => { progress(k, { bytesRead: ends[k] - a, rows: r.dataset?.numRows ?? 0 }); return r; })));
      check();
      // 2. Verify: chain the scans from the file's start.
      let inside = false;
      let line = 1;
      const shards = [];
      spec1.forEach((r, k) => {
        const [newlines, outEnds, boundary, before, inEnds] = r.scan;
        if (!inside) shards.push({ k, at: starts[k], line });
        else if (boundary >= 0) shards.push({ k, at: starts[k] + boundary, line: line + before });
        inside = inside ? inEnds === 1 : outEnds === 1;
        line += newlines;
      });
      const free = (r) => { if (r?.dataset) r.worker.call('free', { handle: r.dataset.handle }).catch(() => {}); };
      const used = new Set();
      let parts = await Promise.all(shards.map(async (s, i) => {
        const end = shards[i + 1]?.at ?? size;
        const last = i === shards.length - 1;
        const r = spec1[s.k];
        if (s.at === starts[s.k] && end === ends[s.k]) {
          used.add(s.k);
          return { ...r, at: s.at, end, last, line: s.line, lineOffset: s.line - 1, k: s.k };
        }
        // A cut inside a quoted field: this range again, from its first real record.
        const again = await read(s.k, s.at, end, { ...spec(s.k, s.at, last), firstLine: s.line });
        return { ...again, at: s.at, end, last, line: s.line, lineOffset: 0, k: s.k };
      }));
      spec1.forEach((r, k) => { if (!used.has(k)) free(r); });
      // 3. Errors of the verified ranges, in file order (lines are the file's).
      const failed = parts.find((p) => p.error);
      if (failed) throw rebuildError({ ...failed.error, ...(failed.error.line != null ? { line: failed.error.line + failed.lineOffset } : {}) });
      // 4. One type per column across the ranges.
      let force = names.map(() => 'auto');
      for (let round = 0; round < 3; round++) {
        // A shard where the column is all missing has no say (it reads as text).
        const next = names.map((_, j) => decide(force[j], parts.filter((p) => p.dataset.columns[j].nullCount < p.dataset.numRows).map((p) => ({ info: p.dataset.columns[j], rows: p.dataset.numRows }))));
        const redo = parts.map((p) => p.dataset.numRows > 0 && next.some((f, j) => f !== force[j] && !agrees(f, p.dataset.columns[j])));
        force = next;
        if (!redo.some(Boolean)) break;
        check();
        parts = await Promise.all(parts.map(async (p, i) => {
          if (!redo[i]) return p;
          free(p);
          const again = await read(p.k, p.at, p.end, { ...spec(p.k, p.at, p.last, force), firstLine: p.line });
          if (again.error) throw rebuildError(again.error);
          return { ...again, at: p.at, end: p.end, last: p.last, line: p.line, lineOffset: 0, k: p.k };
        }));
      }
      const source = { ...parts[0].dataset.source };
      return new ShardedDataset(this, parts.map((p) => ({ worker: p.worker, summary: p.dataset, lineOffset: p.lineOffset })), null, source);
    } catch (e) {
      failed = true;
      for (const { worker, handle } of kept) worker.call('free', { handle }).catch(() => {});
      throw e;
    }
  }

  /**
   * customerValue of a sharded transaction table: each worker reads its shard's rows into a
   * customer summary (mergeable bytes), one worker merges them in table order and fits once:
   * the same result as customerValue on the whole table. `customers` is a ShardedDataset of
   * one shard (the worker that fitted).
   */
  async customerValue(ds, options = {}) {
    this.#alive();
    const { onProgress, signal, ...opts } = options ?? {};
    const live = ds.liveShards();
    if (live.length === 1) {
      const s = live[0];
      const r = await s.worker.customerValue(s.handle, { ...opts, onProgress, signal });
      return { ...r, customers: ShardedDataset.of(this, s.worker, r.customers) };
    }
    const states = await Promise.all(live.map((s) => s.worker.call('customerSummaryState', { handle: s.handle, options: opts }, { signal })));
    if (signal?.aborted) throw aborted(signal);
    onProgress?.({ stage: 'fit', done: live.length, total: live.length });
    const w = live[0].worker;
    const packed = pack(states);
    const r = await w.call('customerValueOfStates', { states: packed, options: opts }, { signal }, [packed.buffer]);
    return { ...r, customers: ShardedDataset.of(this, w, r.customers) };
  }

  /**
   * Sentiment of a sharded table's text column: each worker scores its shard, the per-text
   * arrays are concatenated in table order and the summary counts added (the same result as
   * on the whole table; `mean_compound` up to the order of the sums). `customer` and
   * `aspects` need every text in one place: they are refused for a table in several shards.
   */
  async sentiment(ds, options = {}) {
    this.#alive();
    const { onProgress, signal, ...opts } = options ?? {};
    const live = ds.liveShards();
    if (live.length > 1) {
      for (const f of ['customer', 'aspects']) {
        if (opts[f] != null && opts[f] !== false) throw crmlensError('INVALID_OPTION', `${f}: not available for a table in ${live.length} shards (load it with workers: 1)`, { field: f });
      }
    }
    let done = 0;
    const parts = await Promise.all(live.map((s) => s.worker.sentiment(s.handle, { ...opts, signal, onProgress: onProgress && ((p) => onProgress({ ...p, shard: s.worker.index })) })
      .then((r) => { done++; onProgress?.({ stage: 'shards', done, total: live.length }); return r; })));
    return mergeSentiment(parts);
  }

  /**
   * segment of a sharded table. A table in one shard is segmented by its worker (every
   * option). A table in several shards: k-means with the shards' sums each iteration
   * (pool-kmeans.js): each worker keeps its shard's scaled rows, the page merges their
   * statistics (imputation means, scaling), replays segment's seeded k-means++ over them and
   * merges per-centroid sums and counts each Lloyd pass; the same labels, centroids and
   * inertia as segment on the whole table (numbers up to the order of the sums). Numeric
   * columns, k given or 'auto' (every k of kRange, scored by segment's silhouette on the rows
   * it uses, gathered from the shards: the same k), algorithm 'kmeans', scaling 'standard' /
   * 'none'; the result is `{ k, algorithm, inertia, iterations, converged, seed,
   * centroidColumns, centroids, labels, sizes, preparation, shards }`, with 'auto' also
   * `silhouette, silhouetteMethod, kScores, kChoice` (no projection or segment descriptions).
   */
  async segment(ds, options = {}) {
    this.#alive();
    const live = ds.liveShards();
    if (live.length === 1) return live[0].worker.segment(live[0].handle, options);
    const { onProgress, signal, ...opts } = options ?? {};
    return shardedKMeans(live, opts, { onProgress, signal });
  }
}

/** States packed back to back, each after its u64 (little-endian) length. */
function pack(parts) {
  const out = new Uint8Array(parts.reduce((a, p) => a + 8 + p.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    view.setBigUint64(at, BigInt(p.length), true);
    out.set(p, at + 8);
    at += 8 + p.length;
  }
  return out;
}

const SENTIMENT_ARRAYS = ['compound', 'positive', 'neutral', 'negative'];

/** Per-shard sentiment results, in table order, as one. */
export function mergeSentiment(parts) {
  if (parts.length === 1) return parts[0];
  const out = { ...parts[0] };
  for (const k of SENTIMENT_ARRAYS) {
    const all = new Float64Array(parts.reduce((a, p) => a + p[k].length, 0));
    let at = 0;
    for (const p of parts) { all.set(p[k], at); at += p[k].length; }
    out[k] = all;
  }
  out.label = parts.flatMap((p) => p.label);
  out.language = parts.flatMap((p) => p.language);
  if (parts[0].explanation) out.explanation = parts.flatMap((p) => p.explanation ?? []);
  const summary = { ...parts[0].summary };
  let scored = 0, sum = 0;
  for (const [i, p] of parts.entries()) {
    const n = p.summary.texts - p.summary.missing;
    if (n > 0) { scored += n; sum += p.summary.meanCompound * n; }
    if (i > 0) for (const k of ['texts', 'missing', 'positive', 'neutral', 'negative', 'english', 'chinese', 'mixed']) summary[k] += p.summary[k];
  }
  summary.meanCompound = scored ? sum / scored : NaN;
  out.summary = summary;
  return out;
}
/** Just after the first newline at or after `p - 1` (null: none before the end). */
async function nextLineStart(blob, p) {
  for (let at = Math.max(0, p - 1); at < blob.size; at += 65536) {
    const chunk = new Uint8Array(await blob.slice(at, Math.min(blob.size, at + 65536)).arrayBuffer());
    const i = chunk.indexOf(10);
    if (i >= 0) return at + i + 1;
  }
  return null;
}

/** A shard's column already has the decided type (no re-read needed). */
function agrees(force, info) {
  if (force === 'float') return info.type === 'float64';
  if (force === 'text') return info.type === 'text';
  return false;
}

/**
 * One type for a column over the shards' own inference: the same type and format stays as it
 * is; int64 with float64 is float; category with text is text; one date type in two orders is
 * the order of most rows; anything else is read as strings (a category where values repeat).
 */
export function decide(was, parts) {
  if (!parts.length) return was;
  const types = parts.map((p) => p.info.type);
  const same = parts.every((p) => p.info.type === types[0] && (p.info.format ?? null) === (parts[0].info.format ?? null));
  if (same) return was;
  if (types.every((t) => t === 'int64' || t === 'float64')) return 'float';
  if (types.every((t) => t === 'category' || t === 'text')) return 'text';
  if (types.every((t) => t === types[0] && (t === 'date' || t === 'datetime'))) {
    let dmy = 0, all = 0;
    for (const p of parts) { all += p.rows; if ((p.info.format ?? '').startsWith('DD')) dmy += p.rows; }
    return 2 * dmy >= all ? 'dmy' : 'mdy';
  }
  return was === 'text' ? 'text' : 'string';
}

/** Merges lists of [token, count] whose tokens come in one global order (each list a subsequence of it). */
function mergeTokens(lists) {
  const out = [];
  for (const list of lists) {
    let at = 0;
    for (const [tok, c] of list) {
      const i = out.findIndex((x) => x[0] === tok);
      if (i >= 0) { out[i][1] += c; at = i + 1; } else { out.splice(at, 0, [tok, c]); at++; }
    }
  }
  return out;
}

/**
 * A table held in shards, one per pool worker (or one, for a file loaded whole): the same
 * reading API as a Dataset (numRows, columns(), rows(), issues, profile()).
 */
export class ShardedDataset {
  constructor(pool, shards, columns, source) {
    this.pool = pool;
    this.shards = [];
    let start = 0;
    for (const s of shards) {
      this.shards.push({ worker: s.worker, generation: s.worker.generation, handle: s.summary.handle, numRows: s.summary.numRows, start, lineOffset: s.lineOffset, summary: s.summary });
      start += s.summary.numRows;
    }
    this.numRows = start;
    const live = shards.filter((s) => s.summary.numRows > 0).map((s) => s.summary);
    const all = live.length ? live : [shards[0].summary];
    this.numColumns = all[0].numColumns;
    this.memoryBytes = shards.reduce((a, s) => a + s.summary.memoryBytes, 0);
    // Type, role and format from the first shard where the column has values.
    this.columnInfo = columns ?? all[0].columns.map((_, j) => ({
      ...(all.find((s) => s.columns[j].nullCount < s.numRows) ?? all[0]).columns[j],
      nullCount: all.reduce((a, s) => a + s.columns[j].nullCount, 0),
      missingTokens: mergeTokens(all.map((s) => s.columns[j].missingTokens)),
      warnings: [...new Set(all.flatMap((s) => s.columns[j].warnings))],
    }));
    const sum = (f) => shards.reduce((a, s) => a + (s.summary.source[f] ?? 0), 0);
    this.source = { ...source, bytes: sum('bytes'), records: sum('records'), skippedRows: sum('skippedRows'), repairedRows: sum('repairedRows') };
    this.issues = shards.flatMap((s) => s.summary.issues.map((i) => ({ ...i, line: i.line + s.lineOffset }))).slice(0, MAX_LISTED_ISSUES);
    const counts = new Map();
    for (const s of shards) for (const c of s.summary.issueCounts) {
      const key = `${c.kind}\u0000${c.action}`;
      const had = counts.get(key);
      counts.set(key, had ? { ...had, count: had.count + c.count } : { ...c });
    }
    this.issueCounts = [...counts.values()];
    this.freed = false;
  }

  /** How many workers hold a part of this table. */
  get numShards() {
    return this.shards.length;
  }

  columns() {
    return this.columnInfo.map((c) => ({ ...c }));
  }

  #check() {
    if (this.freed) throw crmlensError('INVALID_STATE', 'this sharded dataset was freed');
    for (const s of this.shards) {
      if (s.worker.failed || this.pool.workers[s.worker.index] !== s.worker) {
        throw crmlensError('INVALID_STATE', `a shard of this dataset was lost: pool worker ${s.worker.index} crashed or was stopped`);
      }
    }
  }

  /** A dataset one worker holds (a result of that worker), as a ShardedDataset of one shard. */
  static of(pool, worker, summary) {
    return new ShardedDataset(pool, [{ worker, summary, lineOffset: 0 }], null, summary.source);
  }

  /** The shards with rows (or the first, for an empty table), checked to be alive. */
  liveShards() {
    this.#check();
    const live = this.shards.filter((s) => s.numRows > 0);
    return live.length ? live : [this.shards[0]];
  }

  /**
   * The profile report, as Dataset.profile gives it on the whole table: each worker runs the
   * first pass over its shard; their states (bytes) are merged to plan the second pass, which
   * each worker runs; one worker merges every state into the report. Exact where the profile
   * is exact (counts, moments, histograms, outliers, Pearson, duplicate rows); distinct counts
   * and quantiles within the sketches' error once they take over, as for one dataset (on the
   * test files, with exact states, identical). Spearman uses each column's merged quantile
   * sketch as its rank map, as Dataset.profile does, so it is the same method.
   */
  async profile(options = {}) {
    const live = this.liveShards();
    const { onProgress, signal, ...opts } = options ?? {};
    if (live.length === 1) return live[0].worker.call('profile', { handle: live[0].handle, options: opts }, { onProgress, signal });
    const step = async (stage, fn) => {
      if (signal?.aborted) throw aborted(signal);
      let done = 0;
      const out = await Promise.all(live.map((s) => fn(s).then((r) => { done++; onProgress?.({ stage, done, total: live.length }); return r; })));
      if (signal?.aborted) throw aborted(signal);
      return out;
    };
    const firsts = pack(await step('first', (s) => s.worker.call('profileState', { handle: s.handle, options: opts })));
    const seconds = pack(await step('second', (s) => s.worker.call('profileState', { handle: s.handle, options: opts, firsts })));
    const report = await live[0].worker.call('profileOfShards', { handle: live[0].handle, options: opts, firsts, seconds, rows: this.numRows, memoryBytes: this.memoryBytes }, {}, [firsts.buffer, seconds.buffer]);
    // The tokens read as missing, counted over every shard.
    report.columns.forEach((c, j) => { c.missingTokens = (this.columnInfo[j].missingTokens ?? []).map(([t, n]) => [t, n]); });
    return report;
  }

  /** Rows `offset` .. `offset + limit`, across shards, as plain objects. */
  async rows(offset = 0, limit = 100) {
    this.#check();
    const end = Math.min(this.numRows, offset + limit);
    const parts = this.shards.filter((s) => s.numRows > 0 && s.start < end && s.start + s.numRows > offset);
    const got = await Promise.all(parts.map((s) => {
      const from = Math.max(0, offset - s.start);
      return s.worker.call('rows', { handle: s.handle, offset: from, limit: Math.min(s.numRows, end - s.start) - from });
    }));
    return got.flat();
  }

  /** Frees every shard (a second free is harmless). */
  async free() {
    if (this.freed) return;
    this.freed = true;
    await Promise.all(this.shards.map((s) => s.worker.call('free', { handle: s.handle }).catch(() => true)));
  }
}
