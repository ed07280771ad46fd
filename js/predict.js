// Prediction from the lazily loaded module `predict` (src/ext/predict, issue 17): the
// module's wasm is fetched on the first Predictor.train / Predictor.fromJSON /
// transactionFeatures. Tables go over as bytes (datasetToBytes), since the module has its
// own memory; tables it makes come back as core Datasets (Dataset.fromBytes).
//
// `predictApi(loadModule)` builds the API over a loader: the page's (modules.js, in
// index.js / node.js) or the worker's (loader.js, in worker-entry.js, which has no import()).
import { Dataset } from './crmlens.js';
import { datasetToBytes } from './bytes.js';
import { crmlensError } from './errors.js';
import { macrotask } from './macrotask.js';

const table = (ds, field) => {
  if (!(ds instanceof Dataset)) throw crmlensError('INVALID_OPTION', `${field} must be a Dataset`, { field });
  return datasetToBytes(ds);
};

/** Splits `{ onProgress, signal, ...options }` as the core's …Async operations do. */
function split(options) {
  if (options != null && (typeof options !== 'object' || Array.isArray(options))) {
    throw crmlensError('INVALID_OPTION', 'options must be a plain object', { field: 'options' });
  }
  const { onProgress, signal, ...rest } = options ?? {};
  if (onProgress != null && typeof onProgress !== 'function') throw crmlensError('INVALID_OPTION', '`onProgress` must be a function', { field: 'onProgress' });
  if (signal != null && (typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) throw crmlensError('INVALID_OPTION', '`signal` must be an AbortSignal', { field: 'signal' });
  for (const [k, v] of Object.entries(rest)) {
    // JSON would drop a function silently (a misspelt onProgress): name it instead.
    if (typeof v === 'function') throw crmlensError('INVALID_OPTION', `unknown option \`${k}\` (a function; the only function option is \`onProgress\`)`, { field: k });
  }
  return { onProgress, signal, rest };
}

const json = (value) => JSON.stringify(value ?? {});

export function predictApi(loadModule) {
  const models = new WeakMap(); // Predictor -> its model in the module (absent once freed)
  const model = (p, what) => {
    const m = models.get(p);
    if (!m) throw crmlensError('INVALID_STATE', p instanceof Predictor ? `this Predictor was freed; ${what} is not available` : `${what} called on something that is not a Predictor`);
    return m;
  };

  /** A trained model: see index.d.ts. */
  class Predictor {
    #report;
    /** @private Use Predictor.train or Predictor.fromJSON. */
    constructor(handle, token) {
      if (token !== models) throw crmlensError('INVALID_STATE', 'use Predictor.train(customers, options) or Predictor.fromJSON(json)');
      models.set(this, handle);
      this.#report = JSON.parse(handle.report());
    }

    static async train(customers, options) {
      const bytes = table(customers, 'customers');
      const { onProgress, signal, rest } = split(options);
      if (signal?.aborted) throw crmlensError('ABORTED', 'the operation was aborted');
      const m = await loadModule('predict');
      const progress = onProgress ? (phase, done, total) => onProgress({ phase, done, total }) : undefined;
      const handle = await m.train(bytes, json(rest), progress, () => signal?.aborted === true, macrotask);
      return new Predictor(handle, models);
    }

    static async fromJSON(json) {
      const text = typeof json === 'string' ? json : JSON.stringify(json);
      if (typeof text !== 'string') throw crmlensError('INVALID_OPTION', 'Predictor.fromJSON takes the text or object of predictor.toJSON()', { field: 'model' });
      const m = await loadModule('predict');
      return new Predictor(m.Model.fromJson(text), models);
    }

    #get(key) {
      model(this, key);
      return this.#report[key];
    }
    get task() { return this.#get('task'); }
    get target() { return this.#get('target'); }
    get model() { return this.#get('model'); }
    get positive() { return this.#get('positive'); }
    get negative() { return this.#get('negative'); }
    get output() { return this.#get('output'); }
    get threshold() { return this.#get('threshold'); }
    get quality() { return this.#get('quality'); }
    get candidates() { return this.#get('candidates'); }
    get importance() { return this.#get('importance'); }
    get features() { return this.#get('features'); }
    get warnings() { return this.#get('warnings'); }

    predict(dataset, options) {
      const m = model(this, 'predict');
      return scoredTable(m.predict(table(dataset, 'dataset'), json(options)));
    }

    async predictAsync(dataset, options) {
      const m = model(this, 'predictAsync');
      const bytes = table(dataset, 'dataset');
      const { onProgress, signal, rest } = split(options);
      if (signal?.aborted) throw crmlensError('ABORTED', 'the operation was aborted');
      const progress = onProgress ? (phase, done, total) => onProgress({ phase, done, total }) : undefined;
      return scoredTable(await m.predictAsync(bytes, json(rest), progress, () => signal?.aborted === true, macrotask));
    }

    scores(dataset) {
      const out = model(this, 'scores').scores(table(dataset, 'dataset'));
      return withWarnings(out.scores, out.warnings);
    }

    toJSON() {
      return JSON.parse(model(this, 'toJSON').toJson());
    }

    free() {
      const m = models.get(this);
      if (!m) return;
      models.delete(this);
      m.free();
    }
  }
  if (Symbol.dispose) Predictor.prototype[Symbol.dispose] = Predictor.prototype.free;

  /** The module's `{ bytes, warnings }` as a Dataset with a read-only `warnings` array. */
  function scoredTable(out) {
    return withWarnings(Dataset.fromBytes(out.bytes), out.warnings);
  }

  /** `target` with `warnings` (JSON text from the module): what scoring read differently
   * from training, counted per feature (unknown category levels, cells read as missing). */
  function withWarnings(target, warningsJson) {
    Object.defineProperty(target, 'warnings', { value: Object.freeze(JSON.parse(warningsJson)), enumerable: false, configurable: true });
    return target;
  }

  async function transactionFeatures(orders, options) {
    const bytes = table(orders, 'orders');
    const m = await loadModule('predict');
    const out = m.transactionFeatures(bytes, json(options));
    return { customers: Dataset.fromBytes(out.customers), report: JSON.parse(out.report) };
  }

  return { Predictor, transactionFeatures };
}
