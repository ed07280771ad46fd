// customerProfiles: the per-customer record (value table + attribute tables + later sentiment
// and segment columns) joined by customer id. The join itself is Rust (`joinCustomers`); this
// only walks the tables given in the options and frees the intermediate results.
import { Dataset, joinCustomers } from './crmlens.js';
import { crmlensError } from './errors.js';

const optionError = (message, field) => crmlensError('INVALID_OPTION', message, { field });

const KNOWN = new Set(['attributes', 'attributesKey', 'key', 'extra', 'prefix']);

/**
 * Joins the customer value table with other per-customer tables by customer id.
 * @param values the result of `customerValue` (its `customers` table is used) or any Dataset
 *   with one row per customer.
 * @param options `{ attributes?: Dataset, attributesKey?: string, key?: string,
 *   extra?: Dataset | Array<Dataset | { table: Dataset, key?: string, prefix?: string }>, prefix?: string }`
 * @returns `{ profiles: Dataset, joins: Array<JoinReport & { table: string }> }`: one row per
 *   customer of `values`; each join's report counts matched and unmatched ids on both sides.
 */
export function customerProfiles(values, options = {}) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw optionError('options must be a plain object', 'options');
  }
  for (const k of Object.keys(options)) {
    if (!KNOWN.has(k)) throw optionError(`unknown option \`${k}\`; expected one of ${[...KNOWN].join(', ')}`, k);
  }
  const base = values instanceof Dataset ? values : values?.customers;
  if (!(base instanceof Dataset)) {
    throw optionError('values must be the result of customerValue or a Dataset', 'values');
  }
  const steps = [];
  if (options.attributes !== undefined) {
    if (!(options.attributes instanceof Dataset)) throw optionError('`attributes` must be a Dataset', 'attributes');
    steps.push({ label: 'attributes', table: options.attributes, otherKey: options.attributesKey, prefix: options.prefix });
  } else if (options.attributesKey !== undefined) {
    throw optionError('`attributesKey` needs `attributes`', 'attributesKey');
  }
  const extra = options.extra === undefined ? [] : Array.isArray(options.extra) ? options.extra : [options.extra];
  extra.forEach((e, i) => {
    const table = e instanceof Dataset ? e : e?.table;
    if (!(table instanceof Dataset)) throw optionError(`extra[${i}] must be a Dataset or { table: Dataset, key?, prefix? }`, 'extra');
    const { key, prefix } = e instanceof Dataset ? {} : e;
    steps.push({ label: `extra[${i}]`, table, otherKey: key, prefix });
  });
  let current = base;
  const joins = [];
  try {
    for (const s of steps) {
      const opts = { key: options.key, otherKey: s.otherKey, prefix: s.prefix };
      for (const k of Object.keys(opts)) if (opts[k] === undefined) delete opts[k];
      const { dataset, report } = joinCustomers(current, s.table, opts);
      if (current !== base) current.free();
      current = dataset;
      joins.push({ table: s.label, ...report });
    }
  } catch (e) {
    if (current !== base) current.free();
    throw e;
  }
  return { profiles: current === base ? base.copy() : current, joins };
}
