// The one-row-per-customer table of the workspace ("customer 360"): the customer value
// table (or the customers file) with every per-customer table joined on by id in the worker
// (crmlens joinCustomers): attributes from the customers file, segment labels, the sentiment
// roll-up, predictions, rule events (rolled up to the next action), and any other table of
// the workspace with a customer key. Also the shared definition of "at risk".

/** Derived kinds that hold one row per customer and are joined onto the customer table. */
const PER_CUSTOMER = ['segments', 'sentiment', 'predictions', 'rule-events', 'recommendations'];
/** Kinds never joined on: copies of a file, the value table itself (the base), the result. */
const NOT_JOINED = new Set(['cleaned', 'value', 'customers-360']);
/** File roles with many rows per customer (read by the record page, not joined). */
const MANY_PER_CUSTOMER = new Set(['orders', 'feedback', 'products']);

/** The newest table of a role / kind, or null. */
const newest = (session, role) => session.byRole(role).sort((a, b) => b.addedAt - a.addedAt)[0] ?? null;

const hasColumn = (t, name) => t.columns.some((c) => c.name === name);
const fold = (name) => String(name).toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * The key column of a per-customer table: its declared `key` (whoever added it says which
 * column identifies the customer), else a column called `key` (rule events), else its id
 * column, else its first column.
 */
export function keyOf(t) {
  if (t.key && hasColumn(t, t.key)) return t.key;
  if (hasColumn(t, 'key')) return 'key';
  return t.columns.find((c) => c.role === 'id')?.name ?? t.columns[0]?.name;
}

/** An event list (rule events: rule, key, action, priority, status…): rolled up per customer before the join. */
export const isEvents = (t) => hasColumn(t, 'action') && (hasColumn(t, 'rule') || hasColumn(t, 'key'));

/** A readable name of what a table predicts ("Churn", from its `target` or its name), or null. */
function predicted(t) {
  if (t.target) return String(t.target);
  const m = /churn|default|cancel|lapse|attrition|upsell|convert|respon/i.exec(t.name);
  return m ? m[0][0].toUpperCase() + m[0].slice(1).toLowerCase() : null;
}

/** Display labels of the columns a per-customer table brings (only those it names differently). */
function labelsOf(t) {
  const what = predicted(t);
  const out = {};
  for (const c of t.columns) {
    if (c.name === 'probability') out.probability = what ? `${what} probability` : `Probability (${t.name})`;
    else if (c.name === 'label' && hasColumn(t, 'probability')) out.label = what ? `Predicted ${what.toLowerCase()}` : `Predicted class (${t.name})`;
    else if (c.name === 'value' && t.kind === 'predictions') out.value = what ? `Predicted ${what.toLowerCase()}` : `Predicted value (${t.name})`;
  }
  return out;
}

/**
 * What the customer table would be built from: { base, baseKey, parts: [{ table, key,
 * otherKey }] } or null when there is neither a customer value table nor a customers file.
 *
 * Joined on, besides the customers file: the newest table of each per-customer derived kind
 * (segment labels, sentiment roll-up, predictions, rule events, recommendations), every
 * other derived table that declares its `key` (so a new kind of per-customer result joins
 * without a change here), and every file with the role "other" or a second customers file
 * (scores or labels computed elsewhere), by the join chosen in the Workspace when there is
 * one, else by a column named like the customer key, else by its id column.
 */
export function customerPlan(session) {
  const value = newest(session, 'value');
  const attrs = newest(session, 'customers');
  const base = value ?? attrs;
  if (!base) return null;
  const baseKey = keyOf(base);
  const parts = [];
  let attrsKey = null;
  if (value && attrs) {
    // The value table's key is the orders table's customer column (same name): the join
    // chosen between orders and customers in the workspace says which attribute column it meets.
    const j = (value.from && session.joinOf(value.from, attrs.name)) || null;
    attrsKey = j?.targetColumn ?? attrs.columns.find((c) => c.role === 'id')?.name ?? attrs.columns[0].name;
    parts.push({ table: attrs, key: baseKey, otherKey: attrsKey });
  }
  const seenKinds = new Set();
  const newestFirst = [...session.tables].sort((a, b) => b.addedAt - a.addedAt);
  for (const t of newestFirst) {
    if (t === base || t === attrs || NOT_JOINED.has(t.kind)) continue;
    if (t.kind === 'file' ? MANY_PER_CUSTOMER.has(t.role) : !PER_CUSTOMER.includes(t.kind) && !t.key) continue;
    if (PER_CUSTOMER.includes(t.kind)) {
      if (seenKinds.has(t.kind)) continue;
      seenKinds.add(t.kind);
    }
    const p = partOf(session, t, { base, baseKey, attrs, attrsKey });
    if (p) parts.push(p);
  }
  // Oldest first, so columns come in the order the tables were made.
  const head = parts.filter((p) => p.table === attrs);
  const rest = parts.filter((p) => p.table !== attrs).sort((a, b) => a.table.addedAt - b.table.addedAt);
  return { base, baseKey, parts: [...head, ...rest] };
}

/** How table `t` meets the customer table: { table, key, otherKey } or null. */
function partOf(session, t, { base, baseKey, attrs, attrsKey }) {
  if (t.key && hasColumn(t, t.key)) return { table: t, key: baseKey, otherKey: t.key };
  const viaBase = session.joinOf(t.name, base.name);
  if (viaBase && hasColumn(t, viaBase.column)) return { table: t, key: baseKey, otherKey: viaBase.column };
  const viaAttrs = attrs && attrs !== base ? session.joinOf(t.name, attrs.name) : null;
  if (viaAttrs && hasColumn(t, viaAttrs.column)) {
    // Met on the attributes file's key: that is the customer key. Met on another attribute
    // column (an email, an account number): that column is in the joined table too.
    return { table: t, key: viaAttrs.targetColumn === attrsKey ? baseKey : viaAttrs.targetColumn, otherKey: viaAttrs.column };
  }
  const viaName = t.columns.find((c) => fold(c.name) === fold(baseKey) || (attrsKey && fold(c.name) === fold(attrsKey)));
  if (viaName) return { table: t, key: baseKey, otherKey: viaName.name };
  const k = keyOf(t);
  return k ? { table: t, key: baseKey, otherKey: k } : null;
}

/**
 * One row per customer of an event list: the most urgent open event's `nextAction` (lowest
 * `priority`; events with status "resolved" are left out), `actionPriority`, `openRules`
 * (how many open events) and `rulesFired` (their rules, most urgent first). Returns rows.
 */
export async function rollUpEvents(worker, t, key) {
  const get = (name) => (hasColumn(t, name) ? worker.column(t.handle, name) : Promise.resolve(null));
  const [keys, actions, priority, status, rules] = await Promise.all([get(key), get('action'), get('priority'), get('status'), get('rule')]);
  const by = new Map();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] == null ? '' : String(keys[i]).trim();
    if (!k || (status && status[i] === 'resolved')) continue;
    const p = priority && Number.isFinite(priority[i]) ? priority[i] : Infinity;
    let e = by.get(k);
    if (!e) by.set(k, (e = []));
    e.push({ i, p });
  }
  const rows = [];
  for (const [k, list] of by) {
    list.sort((a, b) => a.p - b.p || a.i - b.i);
    const best = list[0];
    const fired = rules ? [...new Set(list.map((x) => rules[x.i]).filter((r) => r != null))] : [];
    rows.push({ [key]: k, nextAction: actions[best.i] ?? null, actionPriority: Number.isFinite(best.p) ? best.p : null,
      openRules: list.length, rulesFired: fired.join('; ') || null });
  }
  return rows;
}

/**
 * Builds the customer table in the worker and keeps it in the workspace as
 * "customers (joined)" (kind customers-360). Returns { entry, reports }. The entry carries
 * `labels` (display names of joined columns, e.g. "Churn probability") and `highlights`
 * (the columns the list shows first: predictions and next actions).
 */
export async function buildCustomers(session) {
  const plan = customerPlan(session);
  if (!plan) return null;
  const w = session.worker;
  let handle = plan.base.handle;
  let summary = null;
  const reports = [];
  const labels = {};
  const highlights = [];
  // Final names (after the join's renames) of the columns other views link to: the
  // predicted class (Predict's "N above the threshold") and the rules fired (Rules' counts).
  let predictedColumn = null;
  let rulesColumn = null;
  const boolWords = { ...(plan.base.boolWords ?? {}) };
  for (const p of plan.parts) {
    let other = p.table.handle;
    let otherKey = p.otherKey;
    let brought = p.table.columns.map((c) => c.name);
    if (isEvents(p.table)) {
      const rows = await rollUpEvents(w, p.table, p.otherKey);
      if (!rows.length) continue;
      other = (await w.load(JSON.stringify(rows), { format: 'json' })).handle;
      brought = Object.keys(rows[0]);
    }
    let r;
    try {
      r = await w.joinCustomers(handle, other, { key: p.key, otherKey });
    } finally {
      if (other !== p.table.handle) await w.free(other);
    }
    if (handle !== plan.base.handle) await w.free(handle);
    handle = r.dataset.handle;
    summary = r.dataset;
    reports.push({ table: p.table.name, kind: p.table.kind, ...r.report });
    const renamed = new Map(r.report.renamed ?? []);
    const own = labelsOf(p.table);
    for (const name of brought) {
      if (name === otherKey) continue;
      const final = renamed.get(name) ?? name;
      if (name === 'label' && own.label) predictedColumn = final;
      if (name === 'rulesFired') rulesColumn = final;
      if (p.table.boolWords?.[name]) boolWords[final] = p.table.boolWords[name];
      if (own[name]) labels[final] = own[name];
      else if (final !== name) labels[final] = `${name} (${p.table.name})`;
      if (name === 'probability' || name === 'nextAction' || (name === 'label' && own.label) || (name === 'recommended' && p.table.kind === 'recommendations')) highlights.push(final);
    }
  }
  if (!summary) summary = await w.copy(plan.base.handle);
  const entry = session.addTable(summary, {
    name: 'customers (joined)', kind: 'customers-360', from: plan.base.name, key: plan.baseKey, reports, labels, highlights,
    predictedColumn, rulesColumn, boolWords,
    horizonMonths: plan.base.horizonMonths ?? 12,
  });
  return { entry, reports };
}

/**
 * "At risk": high value and low P(alive) — CLV in the top quarter of the customers with a
 * CLV, and P(alive) below 0.5. Returns { mask: Uint8Array, clvCut, aliveCut, count }.
 */
export function atRisk(clv, alive) {
  const finite = Array.from(clv).filter(Number.isFinite).sort((a, b) => a - b);
  const clvCut = finite.length ? finite[Math.floor(0.75 * (finite.length - 1))] : Infinity;
  const aliveCut = 0.5;
  const mask = new Uint8Array(clv.length);
  let count = 0;
  for (let i = 0; i < clv.length; i++) {
    if (Number.isFinite(clv[i]) && clv[i] >= clvCut && Number.isFinite(alive[i]) && alive[i] < aliveCut) { mask[i] = 1; count++; }
  }
  return { mask, clvCut, aliveCut, count };
}

/** The hash of the Customers list with filters: customersHref({ segment: 'At Risk' }). */
export function customersHref(filters = {}) {
  const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v != null && v !== ''));
  const s = q.toString();
  return `#/customers${s ? `?${s}` : ''}`;
}

/**
 * The rule ids of a `rulesFired` cell ("churn-risk; win-back" → ["churn-risk", "win-back"]):
 * the Customers list's `rule` filter keeps the customers whose list holds the rule.
 */
export const firedRules = (cell) => (cell == null || cell === '' ? [] : String(cell).split('; '));

/** The hash of one customer's record page. */
export const customerHref = (id) => `#/customer/${encodeURIComponent(String(id))}`;
