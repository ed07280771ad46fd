// The one-row-per-customer table of the workspace ("customer 360"): the customer value
// table (or the customers file) with every per-customer table joined on by id in the worker
// (crmlens joinCustomers): attributes from the customers file, segment labels, the sentiment
// roll-up, predictions, rule events. Also the shared definition of "at risk".

/** Derived kinds that hold one row per customer and are joined onto the customer table. */
const PER_CUSTOMER = ['segments', 'sentiment', 'predictions', 'rule-events', 'recommendations'];

/** The newest table of a role / kind, or null. */
const newest = (session, role) => session.byRole(role).sort((a, b) => b.addedAt - a.addedAt)[0] ?? null;

/** The key column of a derived per-customer table (its `key`, else its first column). */
const keyOf = (t) => t.key ?? t.columns[0]?.name;

/**
 * What the customer table would be built from: { base, baseKey, parts: [{ table, key,
 * otherKey }] } or null when there is neither a customer value table nor a customers file.
 */
export function customerPlan(session) {
  const value = newest(session, 'value');
  const attrs = newest(session, 'customers');
  const base = value ?? attrs;
  if (!base) return null;
  const baseKey = keyOf(base);
  const parts = [];
  if (value && attrs) {
    // The value table's key is the orders table's customer column (same name): the join
    // chosen between orders and customers in the workspace says which attribute column it meets.
    const j = (value.from && session.joinOf(value.from, attrs.name)) || null;
    const otherKey = j && j.column === baseKey ? j.targetColumn : j?.targetColumn ?? attrs.columns.find((c) => c.role === 'id')?.name ?? attrs.columns[0].name;
    parts.push({ table: attrs, key: baseKey, otherKey });
  }
  for (const kind of PER_CUSTOMER) {
    const t = newest(session, kind);
    if (t) parts.push({ table: t, key: baseKey, otherKey: keyOf(t) });
  }
  return { base, baseKey, parts };
}

/**
 * Builds the customer table in the worker and keeps it in the workspace as
 * "customers (joined)" (kind customers-360). Returns { entry, reports }.
 */
export async function buildCustomers(session) {
  const plan = customerPlan(session);
  if (!plan) return null;
  const w = session.worker;
  let handle = plan.base.handle;
  let summary = null;
  const reports = [];
  for (const p of plan.parts) {
    const r = await w.joinCustomers(handle, p.table.handle, { key: plan.baseKey, otherKey: p.otherKey });
    if (handle !== plan.base.handle) await w.free(handle);
    handle = r.dataset.handle;
    summary = r.dataset;
    reports.push({ table: p.table.name, kind: p.table.kind, ...r.report });
  }
  if (!summary) summary = await w.copy(plan.base.handle);
  const entry = session.addTable(summary, {
    name: 'customers (joined)', kind: 'customers-360', from: plan.base.name, key: plan.baseKey, reports,
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

/** The hash of one customer's record page. */
export const customerHref = (id) => `#/customer/${encodeURIComponent(String(id))}`;
