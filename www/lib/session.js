// The app's data session: one crmlens Web Worker, the workspace of named tables kept in it,
// and the table currently used as input. Views share it (ctx.session): the Data view loads;
// later views (Profile, Customer value, Segments, ...) read `session.current` and ask the
// worker for rows or columns.
//
// Workspace: every loaded file and every derived table (cleaned table, customer value,
// segment labels, sentiment roll-up, predictions, rule events, ...) stays in the worker
// under a unique name (`session.tables`, `addTable`, `table(name)`, `use(name)`), with a
// role (customers / orders / feedback / products / derived kinds) so any view can take any
// of them as input. Views keep their last result with `stash(key, value)` / `stashed(key)`
// so it survives switching views. Join keys between tables: `session.joins`.
//
// Events: 'change' whenever the current dataset is set or cleared; 'tables' whenever the
// list of tables (or a role / join key) changes.

import { CrmlensPool, CrmlensWorker } from '../pkg/worker.js';
import { autoWorkers } from '../pkg/pool.js';
import { boolWords } from './boolwords.js';

// After Cancel, how long the worker may take to acknowledge the abort before it is
// terminated and replaced (crmlens checks the signal between chunks; the final step that
// types the columns is not interruptible).
const STOP_GRACE_MS = 3000;

// Files from this size on are read by every core (CrmlensPool, one shard per worker), unless
// the Data view's "Workers" choice says otherwise: a file this big takes seconds to read in
// one worker, and a file near the 4 GB of one wasm memory can only be held in shards.
export const POOL_MIN_BYTES = 64 << 20;

/** How many workers `new CrmlensPool({ workers: 'auto' })` starts on this device. */
export const poolWorkers = () => autoWorkers(globalThis.navigator?.hardwareConcurrency);

/** Views that work on a table held in the pool: the others need it in one worker (app.js says so). */
export const POOL_VIEWS = ['data', 'profile', 'segments'];

export function abortedError(message = 'The load was cancelled.') {
  return Object.assign(new Error(message), { name: 'CrmlensError', code: 'ABORTED' });
}

export function isAbort(err) {
  return err?.code === 'ABORTED' || err?.name === 'AbortError';
}

/** Roles a table can have in the workspace (files) and kinds of derived tables. */
export const ROLES = ['customers', 'orders', 'feedback', 'products', 'other'];
export const DERIVED_KINDS = ['cleaned', 'value', 'segments', 'sentiment', 'predictions', 'rule-events', 'recommendations', 'customers-360', 'derived'];

/** A role guessed from a file's name and columns. */
export function guessRole(name, columns) {
  const n = String(name).toLowerCase();
  const names = new Set(columns.map((c) => c.name));
  // Per-customer results made elsewhere (a churn model's scores, rule events): joined onto
  // the customer list by their key, never read as the customers file.
  if (names.has('action') && (names.has('rule') || names.has('key'))) return 'other';
  if (names.has('probability') || /prediction|scores|propensit|rule.?event|next.?action/.test(n)) return 'other';
  if (/review|feedback|comment|survey|ticket|nps/.test(n)) return 'feedback';
  if (/order|transaction|purchase|invoice|sales|retail/.test(n)) return 'orders';
  if (/product|item|catalog|sku/.test(n)) return 'products';
  if (/customer|client|contact|account|crm|member|user/.test(n)) return 'customers';
  const has = (re, types) => columns.some((c) => re.test(c.name) && (!types || types.includes(c.type)));
  if (columns.some((c) => c.role === 'freeText') || has(/review|comment|feedback|text/i, ['text'])) return 'feedback';
  if (columns.some((c) => c.type === 'date' || c.type === 'datetime') && has(/amount|price|value|total|qty|quantity/i)) return 'orders';
  return 'customers';
}

export class Session extends EventTarget {
  #worker = null;
  #pool = null;
  #current = null;
  #job = null;
  #tables = new Map(); // name -> entry (DatasetSummary + { name, role, kind, from, note })
  #stash = new Map();
  #stashLoad = new Map(); // stash key -> loadId of its input table when it was stashed
  #loads = 0;
  /** Join keys: [{ table, column, target, targetColumn }] (table.column refers to target.targetColumn). */
  joins = [];

  /** Frees a table's data: in the worker, or its shards in the pool. */
  #free(t) {
    if (t.pooled) return t.pooled.free().catch(() => {});
    return this.#worker?.free(t.handle).catch(() => {});
  }

  /** Every table of the workspace, files first, in insertion order. */
  get tables() { return [...this.#tables.values()]; }

  /** The table called `name`, or null. */
  table(name) { return this.#tables.get(name) ?? null; }

  /** Tables of a role (files) or kind (derived). */
  byRole(role) { return this.tables.filter((t) => t.role === role); }

  /** A name not yet taken, from `base`. */
  uniqueName(base) {
    let name = base;
    for (let i = 2; this.#tables.has(name); i++) name = `${base} (${i})`;
    return name;
  }

  /**
   * Keeps a dataset of the worker in the workspace under `name` (a table of that name is
   * replaced and freed). meta: { role, kind: 'file' | derived kind, from, note, use }.
   * With `use`, it becomes the current input. `sameData`: the new dataset holds the same rows
   * as the table it replaces (gather), so the views' results for it stay. Returns the entry.
   * Each entry has a `loadId`, new whenever its data is new: a view's kept result shows only
   * for the load it was made from (see `stashed`), not for a file loaded again under its name.
   */
  addTable(summary, { name, role, kind = 'derived', from = null, note = null, use = false, sameData = false, loadId: _saved, ...extra } = {}) {
    name = name ?? this.uniqueName(kind);
    const old = this.#tables.get(name);
    const entry = { ...summary, ...extra, name, role: role ?? (kind === 'file' ? guessRole(name, summary.columns) : kind), kind, from, note, addedAt: Date.now() };
    const changed = old && (old.pooled ? old.pooled !== entry.pooled : old.handle !== entry.handle);
    entry.loadId = old && (!changed || sameData) ? old.loadId : ++this.#loads;
    this.#tables.set(name, entry);
    if (changed) this.#free(old);
    if (old && this.#current?.name === name) { this.#current = entry; this.dispatchEvent(new Event('change')); }
    if (use) this.use(name);
    this.dispatchEvent(new Event('tables'));
    return entry;
  }

  /** Makes the table called `name` the current input of the views. */
  use(name) {
    const t = this.#tables.get(name);
    if (!t || t === this.#current) return t ?? null;
    this.#current = t;
    this.dispatchEvent(new Event('change'));
    return t;
  }

  /** Sets a table's role (files) and tells listeners. */
  setRole(name, role) {
    const t = this.#tables.get(name);
    if (!t) return;
    t.role = role;
    this.dispatchEvent(new Event('tables'));
  }

  /** Removes a table from the workspace and frees it in the worker. */
  async removeTable(name) {
    const t = this.#tables.get(name);
    if (!t) return;
    this.#tables.delete(name);
    this.joins = this.joins.filter((j) => j.table !== name && j.target !== name);
    for (const [k, v] of this.#stash) {
      if (v?.table !== name) continue;
      this.#stash.delete(k);
      this.#stashLoad.delete(k);
      if (v.p?.predictor != null) this.#worker?.freePredictor(v.p.predictor).catch(() => {}); // the Predict view's model of that table
    }
    if (this.#current === t) { this.#current = null; this.dispatchEvent(new Event('change')); }
    this.dispatchEvent(new Event('tables'));
    try { await this.#free(t); } catch { /* worker gone */ }
  }

  /** Sets (or with value undefined, deletes) the join key of `table.column` → `target.targetColumn`. */
  setJoin(join) {
    this.joins = this.joins.filter((j) => !(j.table === join.table && j.target === join.target));
    if (join.column && join.targetColumn) this.joins.push(join);
    this.dispatchEvent(new Event('tables'));
  }

  /** The join key from `table` to `target` (either direction), as { column, targetColumn } of `table`, or null. */
  joinOf(table, target) {
    const j = this.joins.find((x) => x.table === table && x.target === target);
    if (j) return { column: j.column, targetColumn: j.targetColumn };
    const r = this.joins.find((x) => x.table === target && x.target === table);
    return r ? { column: r.targetColumn, targetColumn: r.column } : null;
  }

  /** A view's last result (kept across view switches); `stash(key)` with no value deletes it. */
  stash(key, value) {
    if (value === undefined) { this.#stash.delete(key); this.#stashLoad.delete(key); return; }
    this.#stash.set(key, value);
    this.#stashLoad.set(key, value?.input != null ? this.#tables.get(value.input)?.loadId : undefined);
  }

  /** A view's last result; none when its `input` table has been loaded again since (another loadId). */
  stashed(key) {
    const v = this.#stash.get(key);
    if (v?.input != null && this.#tables.get(v.input)?.loadId !== this.#stashLoad.get(key)) return undefined;
    return v;
  }

  /** Everything in the workspace is dropped and freed. */
  async reset() {
    const all = this.tables;
    const rec = this.#stash.get('recommender'); // a model kept by the Recommendations view
    if (rec?.model != null) this.#worker?.freeModel(rec.model).catch(() => {});
    const pred = this.#stash.get('predict'); // the model kept by the Predict view
    if (pred?.p?.predictor != null) this.#worker?.freePredictor(pred.p.predictor).catch(() => {});
    this.#tables.clear();
    this.#stash.clear();
    this.#stashLoad.clear();
    this.joins = [];
    this.#current = null;
    this.dispatchEvent(new Event('change'));
    this.dispatchEvent(new Event('tables'));
    await Promise.all(all.map((t) => this.#free(t)));
  }

  /** { handle, numRows, columns, source, issues, issueCounts, name, size, options, ms } or null. */
  get current() { return this.#current; }

  /** True while a load runs. */
  get busy() { return this.#job !== null; }

  /** The worker, started on first use (starting it fetches /pkg/ files and the wasm, same origin). */
  get worker() {
    this.#worker ??= new CrmlensWorker();
    return this.#worker;
  }

  /** The pool of workers (one per core, CrmlensPool), started on the first load that uses it. */
  get pool() {
    this.#pool ??= new CrmlensPool({ workers: 'auto' });
    return this.#pool;
  }

  /** Whether a table of the workspace is held in the pool. */
  get hasPooled() { return this.tables.some((t) => t.pooled); }

  /** Starts the worker early so the first load does not wait for the wasm. */
  warmUp() {
    this.worker.ready.catch(() => this.#resetWorker());
  }

  /**
   * Loads a File/Blob in the worker, replacing the current dataset.
   * Rejects with code ABORTED when `signal` aborts.
   */
  async load(blob, { name = blob.name ?? 'data', role, options = {}, onProgress, signal, sameData = false } = {}) {
    // A previous load still running (for example cancelled but not yet stopped): stop it
    // for sure by replacing the worker.
    if (this.#job) { if (this.#job.pool) this.#resetPool(); else this.#resetWorker(); }
    // The previous input stays in the workspace; no table is current while this one loads.
    if (this.#current) { this.#current = null; this.dispatchEvent(new Event('change')); }
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
      const ms = performance.now() - started;
      // The file's own words of its yes/no columns (lib/boolwords.js), kept with the table.
      const words = await boolWords(blob, summary);
      return this.addTable(summary, { name, kind: 'file', role, size: blob.size, options, ms, use: true, sameData, ...(Object.keys(words).length ? { boolWords: words } : {}) });
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

  /**
   * Loads a File/Blob through the pool: each worker reads a byte range and keeps its shard
   * (CrmlensPool.fromFile). The table's entry has `pooled` (the ShardedDataset), `workers`
   * and `shards`, and no `handle`: the views of POOL_VIEWS use it, the others offer `gather`.
   * `split` also cuts a file smaller than the pool's own threshold (the user asked for every core).
   */
  async loadPooled(blob, { name = blob.name ?? 'data', role, options = {}, onProgress, signal, split = false } = {}) {
    if (this.#job) { if (this.#job.pool) this.#resetPool(); else this.#resetWorker(); }
    if (this.#current) { this.#current = null; this.dispatchEvent(new Event('change')); }
    if (signal?.aborted) throw abortedError();
    const pool = this.pool;
    const job = { pool, settled: false, timer: 0 };
    this.#job = job;
    // A pool that does not stop within the grace time is terminated (its tables are dropped).
    const onAbort = () => {
      job.timer = setTimeout(() => { if (!job.settled && this.#pool === pool) this.#resetPool(); }, STOP_GRACE_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    try {
      const ds = await pool.fromFile(blob, { ...options, onProgress, signal, ...(split ? { minShardBytes: 0 } : {}) });
      if (signal?.aborted) {
        ds.free().catch(() => {});
        throw abortedError();
      }
      const summary = { handle: null, numRows: ds.numRows, numColumns: ds.numColumns, columns: ds.columns(), source: ds.source, issues: ds.issues, issueCounts: ds.issueCounts, memoryBytes: ds.memoryBytes };
      return this.addTable(summary, { name, kind: 'file', role, size: blob.size, options, ms: performance.now() - started, use: true, pooled: ds, blob, workers: pool.size, shards: ds.numShards });
    } finally {
      job.settled = true;
      clearTimeout(job.timer);
      signal?.removeEventListener('abort', onAbort);
      if (this.#job === job) this.#job = null;
    }
  }

  /**
   * A table held in the pool, read again by the session's worker (the views that need one
   * Dataset): it replaces the pooled entry under the same name and its shards are freed.
   */
  async gather(name, { onProgress, signal } = {}) {
    const t = this.#tables.get(name);
    if (!t?.pooled) return t ?? null;
    return this.load(t.blob, { name, role: t.role, options: t.options, onProgress, signal, sameData: true });
  }

  /** Rows of the current dataset as plain objects. */
  rows(offset = 0, limit = 50) {
    if (!this.#current) return Promise.resolve([]);
    if (this.#current.pooled) return this.#current.pooled.rows(offset, limit);
    return this.worker.rows(this.#current.handle, offset, limit);
  }

  /** One column of the current dataset (Float64Array or array of values). */
  column(name) {
    if (!this.#current) return Promise.reject(new Error('no dataset loaded'));
    if (this.#current.pooled) return Promise.reject(Object.assign(new Error(`${this.#current.name} is held in ${this.#current.shards} shards of the pool: load it into one worker to read a whole column`), { name: 'CrmlensError', code: 'INVALID_STATE' }));
    return this.worker.column(this.#current.handle, name);
  }

  /** Removes the current dataset from the workspace and frees it. */
  async clear() {
    const cur = this.#current;
    if (!cur) return;
    await this.removeTable(cur.name);
  }

  #resetPool() {
    const p = this.#pool;
    this.#pool = null;
    this.#job = null;
    p?.terminate();
    const gone = this.tables.filter((t) => t.pooled);
    for (const t of gone) this.#tables.delete(t.name);
    if (this.#current?.pooled) { this.#current = null; this.dispatchEvent(new Event('change')); }
    if (gone.length) this.dispatchEvent(new Event('tables'));
  }

  #resetWorker() {
    const w = this.#worker;
    this.#worker = null;
    this.#job = null;
    w?.terminate();
    // Every handle lived in that worker: the workspace is gone with it (tables in the pool too).
    const had = this.#tables.size > 0;
    for (const t of this.#tables.values()) if (t.pooled) t.pooled.free().catch(() => {});
    this.#tables.clear();
    this.#stash.clear();
    this.joins = [];
    if (this.#current) {
      this.#current = null;
      this.dispatchEvent(new Event('change'));
    }
    if (had) this.dispatchEvent(new Event('tables'));
  }
}
