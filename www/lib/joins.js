// Join keys between the tables of the workspace, proposed from column names and from how
// many of one column's values are found in the other ("98% of orders.CustomerID found in
// customers.customerID"). Pure functions plus one that reads columns from the worker.

const KEYISH = /(^|_|\b)(id|key|code|no|number|email|sku)$|customer|client|user|member|account|contact|buyer|product|item|sku|email/i;
// Key values are compared as text, trimmed; numbers that are whole compare as integers.
export function keyText(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

/** Column names folded for comparison: lower case, letters and digits only. */
export const fold = (name) => String(name).toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** How alike two column names are as join keys: 1 same folded name, 0.8 same entity, 0 unrelated. */
export function nameScore(a, b) {
  const fa = fold(a), fb = fold(b);
  if (fa === fb) return 1;
  const entity = (f) => (/cust|client|buyer|member|account|contact/.test(f) ? 'customer' : /user/.test(f) ? 'user'
    : /product|item|sku|article/.test(f) ? 'product' : /email|mail/.test(f) ? 'email' : /order|invoice|basket/.test(f) ? 'order' : null);
  const ea = entity(fa), eb = entity(fb);
  if (ea && ea === eb) return 0.8;
  if ((ea === 'customer' && eb === 'user') || (ea === 'user' && eb === 'customer')) return 0.6;
  if (fa === 'id' || fb === 'id') return 0.3;
  return 0;
}

/** Columns that can hold a key: an id role, a key-like name, or a text/int column. */
export function keyCandidates(columns) {
  return columns.filter((c) => c.role === 'id' || c.role === 'email'
    || (KEYISH.test(c.name) && ['text', 'category', 'int64'].includes(c.type)));
}

/** Distinct key texts of a column's values. */
export function keySet(values) {
  const set = new Set();
  for (const v of values) { const k = keyText(v); if (k !== null) set.add(k); }
  return set;
}

/**
 * Overlap of `from` values in `to`: { distinct, found, share, rows, rowsFound } where rows
 * counts non-missing values of `from` (with repeats: order rows) and rowsFound those whose
 * key is in `to`.
 */
export function overlap(fromValues, toSet) {
  const distinct = new Set();
  let rows = 0, rowsFound = 0;
  for (const v of fromValues) {
    const k = keyText(v);
    if (k === null) continue;
    rows++;
    if (toSet.has(k)) rowsFound++;
    distinct.add(k);
  }
  let found = 0;
  for (const k of distinct) if (toSet.has(k)) found++;
  return { distinct: distinct.size, found, share: distinct.size ? found / distinct.size : 0, rows, rowsFound };
}

/**
 * Proposes the best key pair from `table` to `target` (workspace entries), reading the
 * candidate columns through `column(entry, name)` (cached by the caller). Returns
 * { table, column, target, targetColumn, ...overlap, score, candidates } or null when no
 * pair shares a value. Pairs are tried by name score first; the best overlap wins.
 */
export async function proposeJoin(table, target, column) {
  const from = keyCandidates(table.columns);
  const to = keyCandidates(target.columns);
  const pairs = [];
  for (const a of from) for (const b of to) pairs.push({ a, b, name: nameScore(a.name, b.name) });
  pairs.sort((x, y) => y.name - x.name);
  const tried = [];
  const sets = new Map();
  for (const p of pairs.slice(0, 12)) {
    if (!sets.has(p.b.name)) sets.set(p.b.name, keySet(await column(target, p.b.name)));
    const o = overlap(await column(table, p.a.name), sets.get(p.b.name));
    tried.push({ table: table.name, column: p.a.name, target: target.name, targetColumn: p.b.name, ...o, nameScore: p.name, score: o.share + 0.05 * p.name });
  }
  tried.sort((x, y) => y.score - x.score);
  const best = tried[0];
  if (!best || best.found === 0) return null;
  return { ...best, candidates: tried };
}

/** "98% of orders.CustomerID found in customers.customerID (2,310 of 2,357 ids; 69,120 of 69,659 rows)". */
export function describeJoin(j, fmtInt = String) {
  const pct = j.distinct ? Math.round((1000 * j.found) / j.distinct) / 10 : 0;
  return `${pct}% of ${j.table}.${j.column} found in ${j.target}.${j.targetColumn} `
    + `(${fmtInt(j.found)} of ${fmtInt(j.distinct)} ids; ${fmtInt(j.rowsFound)} of ${fmtInt(j.rows)} rows)`;
}
