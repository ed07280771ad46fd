// Table operations from the lazily loaded module `tables` (src/ext/tables): the module's
// wasm is fetched on the first call. The table goes over as bytes (dataset.toBytes()),
// since the module has its own memory; the result comes back as plain columns.
import { Dataset } from './crmlens.js';
import { datasetToBytes } from './bytes.js';
import { loadModule } from './modules.js';

/**
 * Rows grouped by `options.by` (key columns), with `options.aggregates` per group
 * (count / sum / mean / min / max / distinct); resolves to
 * `{ numRows, columns: [{ name, type, values }] }` (values: Float64Array for numbers).
 */
export async function groupBy(dataset, options) {
  if (!(dataset instanceof Dataset)) {
    throw Object.assign(new Error('groupBy: the first argument must be a Dataset'), { name: 'CrmlensError', code: 'INVALID_OPTION', field: 'dataset' });
  }
  const tables = await loadModule('tables');
  return tables.groupBy(datasetToBytes(dataset), JSON.stringify(options ?? {}));
}
