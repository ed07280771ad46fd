// rules / rulesAsync / ruleTemplates / ruleFromTemplate / ruleCounts through the built
// package in Node, on the real Telco table and the CDNOW customer table from customerValue:
// matched rows against conditions evaluated here in JS from the raw file or the columns,
// rules over joined outputs (customerValue + segment), the change trigger across two runs
// with the snapshot through JSON, and the bad input of issue 18 (every one a CrmlensError,
// the instance working afterwards).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readData, parseCsv, assertCrmlensError, assertRejectsCrmlens } from './_util.mjs';

const {
  Dataset, customerValue, joinCustomers, segment, rules, rulesAsync, ruleTemplates, ruleFromTemplate, ruleCounts,
} = await import('../../pkg/node.js');

const TELCO = 'telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv';
const DAY = 86_400_000;

// --- the tables ------------------------------------------------------------------------------
const telcoBytes = readData(TELCO);
const telcoRows = parseCsv(telcoBytes.toString('utf8'));
const telcoHead = telcoRows[0];
const telcoBody = telcoRows.slice(1);
const col = (name) => telcoHead.indexOf(name);
const telco = Dataset.fromCsv(telcoBytes);

const cdnowText = readData('cdnow_lifetimes/CDNOW_master.txt').toString('latin1');
const cdnowLog = Dataset.fromCsv(cdnowText);
const cv = customerValue(cdnowLog, { customer: 'customer_id', date: 'date', amount: 'dollar_value' });
const customers = cv.customers;
const AS_OF = '1998-07-01';

/** Row indexes of `ds` where `pred(row)` is true, `row` reading columns by name. */
function oracle(ds, names, pred) {
  const cols = Object.fromEntries(names.map((n) => [n, ds.columns().find((c) => c.name === n).type.startsWith('date') ? ds.timestamps(n) : ds.column(n)]));
  const out = [];
  for (let i = 0; i < ds.numRows; i++) {
    const row = Object.fromEntries(names.map((n) => [n, cols[n][i]]));
    if (pred(row)) out.push(i);
  }
  return out;
}
const daysSince = (ms, asOf) => Math.round((Date.parse(asOf) - Math.floor(ms / DAY) * DAY) / DAY);
/** The events of `r` for rule `id` and status, as a sorted list of keys. */
function eventKeys(r, id, status) {
  const rule = r.events.column('rule');
  const key = r.events.column('key');
  const st = r.events.column('status');
  const out = [];
  for (let i = 0; i < r.events.numRows; i++) if (rule[i] === id && st[i] === status) out.push(String(key[i]));
  return out.sort();
}

// --- real tables -----------------------------------------------------------------------------
test('Telco: text and JSON Logic conditions match the rows computed from the raw CSV', () => {
  const [contract, tenure, monthly, total, internet, pay] =
    ['Contract', 'tenure', 'MonthlyCharges', 'TotalCharges', 'InternetService', 'PaymentMethod'].map(col);
  const list = [
    { id: 'flight-risk', when: "Contract = 'Month-to-month' and tenure < 12 and MonthlyCharges > 70", then: { action: 'Call', priority: 1 } },
    { id: 'fiber-echeck', when: { and: [{ '==': [{ var: 'InternetService' }, 'Fiber optic'] }, { in: ['check', { var: 'PaymentMethod' }] }] }, then: { action: 'Offer autopay' } },
    { id: 'big-total', when: 'TotalCharges > 5000', then: { action: 'Thank', priority: 3 } },
    { id: 'no-total', when: 'TotalCharges is missing', then: { action: 'Fix billing' } },
  ];
  const want = {
    'flight-risk': telcoBody.filter((r) => r[contract] === 'Month-to-month' && Number(r[tenure]) < 12 && Number(r[monthly]) > 70),
    'fiber-echeck': telcoBody.filter((r) => r[internet] === 'Fiber optic' && r[pay].includes('check')),
    'big-total': telcoBody.filter((r) => r[total].trim() !== '' && Number(r[total]) > 5000),
    'no-total': telcoBody.filter((r) => r[total].trim() === ''),
  };
  const blanks = want['no-total'].length;
  assert.ok(blanks > 0 && blanks < 20, `Telco has a few blank TotalCharges (${blanks})`);
  // Undecided (SQL's NULL): a blank cell the outcome depends on, the other conjuncts not false.
  const blank = (r, c) => r[c].trim() === '';
  const undecided = {
    'flight-risk': telcoBody.filter((r) => r[contract] === 'Month-to-month' && Number(r[tenure]) < 12 && blank(r, monthly)).length,
    'fiber-echeck': telcoBody.filter((r) => (blank(r, internet) || blank(r, pay))
      && (blank(r, internet) || r[internet] === 'Fiber optic') && (blank(r, pay) || r[pay].includes('check'))).length,
    'big-total': blanks,
    'no-total': 0,
  };
  assert.ok(undecided['flight-risk'] > 0, 'the copy of Telco has blank MonthlyCharges in a flight-risk row');
  const r = rules(telco, list, { key: 'customerID' });
  for (const c of r.counts) {
    assert.equal(c.matched, want[c.rule].length, c.rule);
    assert.equal(c.new, c.matched, c.rule);
    assert.equal(c.events, c.matched, c.rule);
    assert.equal(c.undecided, undecided[c.rule], c.rule);
    assert.deepEqual(eventKeys(r, c.rule, 'new'), want[c.rule].map((row) => row[0]).sort(), c.rule);
  }
  const names = r.events.columns().map((c) => c.name);
  assert.deepEqual(names.slice(0, 7), ['rule', 'key', 'action', 'priority', 'status', 'row', 'reason']);
  for (const n of ['Contract', 'tenure', 'MonthlyCharges', 'InternetService', 'PaymentMethod', 'TotalCharges']) assert.ok(names.includes(n), n);
  // The reason shows the values the rule read, from the row the event points to.
  const i = r.events.column('rule').indexOf('flight-risk');
  const row = telcoBody[r.events.column('row')[i]];
  assert.match(r.events.column('reason')[i], new RegExp(`tenure = ${row[tenure]}\\b`));
  assert.equal(r.snapshot.key, 'customerID');
  assert.equal(r.snapshot.rules.find((s) => s.id === 'no-total').keys.length, blanks);
  r.events.free();
});

test("Telco: a Yes/No column that loads as true/false compares with 'Yes' / 'No' (text and JSON Logic)", () => {
  const [churn, partner] = ['Churn', 'Partner'].map(col);
  assert.equal(telco.columns().find((c) => c.name === 'Churn').type, 'bool');
  const churned = telcoBody.filter((r) => r[churn] === 'Yes');
  const single = churned.filter((r) => r[partner] === 'No');
  const list = [
    { id: 'churned', when: "Churn = 'Yes'", then: { action: 'Win back' } },
    { id: 'churned-logic', when: { '==': [{ var: 'Churn' }, 'Yes'] }, then: { action: 'Win back' } },
    { id: 'churned-single', when: "Churn = 'yes' and Partner != 'Yes'", then: { action: 'Call' } },
    { id: 'stayed', when: { in: [{ var: 'Churn' }, ['No', 'n']] }, then: { action: 'Thank' } },
  ];
  const r = rules(telco, list, { key: 'customerID' });
  const want = { churned, 'churned-logic': churned, 'churned-single': single, stayed: telcoBody.filter((x) => x[churn] === 'No') };
  for (const c of r.counts) {
    assert.equal(c.matched, want[c.rule].length, c.rule);
    assert.deepEqual(eventKeys(r, c.rule, 'new'), want[c.rule].map((row) => row[0]).sort(), c.rule);
  }
  assert.equal(churned.length, 1869);
  // The reason shows the value as the table holds it.
  assert.match(r.events.column('reason')[0], /^Churn = true$/);
  r.events.free();
  const [bad] = ruleCounts(telco, [{ id: 'x', when: "Churn = 'Maybe'", then: { action: 'a' } }]);
  assert.equal(bad.error.code, 'RULE_ERROR');
  assert.equal(bad.error.column, 9);
  assert.match(bad.error.message, /`Churn` is true \/ false/);
});

test('the snapshot: keys made when read, the same through JSON and structuredClone, assignable', () => {
  const list = [{ id: 'month', when: "Contract = 'Month-to-month'", then: { action: 'a' } }, { id: 'none', when: 'tenure < 0', then: { action: 'b' } }];
  const want = telcoBody.filter((x) => x[col('Contract')] === 'Month-to-month').map((x) => x[0]);
  const fresh = () => rules(telco, list, { key: 'customerID', maxEvents: 0 });
  const a = fresh();
  assert.equal(a.eventsTruncated, true);
  const viaJson = JSON.parse(JSON.stringify(a.snapshot));
  assert.deepEqual(viaJson.rules.map((x) => Object.keys(x)), [['id', 'fingerprint', 'keys'], ['id', 'fingerprint', 'keys']]);
  assert.deepEqual(viaJson.rules[0].keys, want);
  assert.deepEqual(viaJson.rules[1].keys, []);
  assert.deepEqual(a.snapshot, viaJson);
  const b = fresh();
  assert.deepEqual(structuredClone(b.snapshot), viaJson);
  const c = fresh();
  c.snapshot.rules[0].keys = ['x'];
  assert.deepEqual(c.snapshot.rules[0].keys, ['x']);
  // Non-ASCII keys are cut at the right places.
  const ds = Dataset.fromCsv('id,v\n客户一,1\nb,2\n😀x,3\nd,0\n');
  const d = rules(ds, [{ id: 'v', when: 'v > 0', then: { action: 'a' } }], { key: 'id' });
  assert.deepEqual(d.snapshot.rules[0].keys, ['客户一', 'b', '😀x']);
  for (const x of [a, b, c, d]) x.events.free();
  ds.free();
});

test('CDNOW customer table: templates and the issue example agree with the columns', () => {
  const templates = ruleTemplates();
  assert.ok(templates.length >= 6);
  for (const t of templates) {
    assert.ok(t.id && t.name && t.description && t.when && t.columns.length > 0 && t.then.action, t.id);
    assert.equal(t.rule.id, t.id);
  }
  assert.ok(['inactive', 'win-back', 'new-customer-follow-up', 'purchase-anniversary', 'churn-risk'].every((id) => templates.some((t) => t.id === id)));
  const inactive60 = ruleFromTemplate('inactive', { days: 60 });
  assert.equal(inactive60.when, 'days_since(lastPurchase) > 60');
  assertCrmlensError(() => ruleFromTemplate('inactive', { dayz: 60 }), 'INVALID_OPTION', { field: 'dayz' });
  assertCrmlensError(() => ruleFromTemplate('no-such-template'), 'INVALID_OPTION', { field: 'template' });

  const fromTemplates = templates.filter((t) => t.columns.every((c) => customers.columns().some((k) => k.name === c))).map((t) => t.rule);
  assert.ok(fromTemplates.length >= 5, 'most templates run on the customerValue table as it is');
  const list = [
    ...fromTemplates,
    inactive60 && { ...inactive60, id: 'inactive-60' },
    // The example with CDNOW-sized amounts (nobody there has clv > 200 and pAlive < 0.3).
    { id: 'win-back-issue', when: 'pAlive < 0.3 and clv > 20 and days_since(lastPurchase) > 90', then: { action: 'Send win-back offer', priority: 1 } },
  ];
  const r = rules(customers, list, { key: 'customer_id', asOf: AS_OF });
  const byId = Object.fromEntries(r.counts.map((c) => [c.rule, c]));
  const want = {
    'inactive-60': oracle(customers, ['lastPurchase'], (x) => daysSince(x.lastPurchase, AS_OF) > 60),
    'win-back-issue': oracle(customers, ['pAlive', 'clv', 'lastPurchase'], (x) => x.pAlive < 0.3 && x.clv > 20 && daysSince(x.lastPurchase, AS_OF) > 90),
    'at-risk-high-value': oracle(customers, ['pAlive', 'clv'], (x) => x.pAlive < 0.3 && x.clv > 200),
    'lapsing-repeat-buyer': oracle(customers, ['frequency', 'pAlive'], (x) => x.frequency >= 3 && x.pAlive < 0.5),
  };
  for (const [id, rows] of Object.entries(want)) {
    assert.equal(byId[id].matched, rows.length, id);
    if (id !== 'at-risk-high-value') assert.ok(rows.length > 0, `${id} matches someone`);
  }
  // CDNOW's customers all bought in Q1 1997: nobody is a new customer in July 1998.
  assert.equal(byId['new-customer-follow-up'].matched, 0);
  r.events.free();
});

test("events: { reason: false } leaves out `reason` and nothing else; a value that is not a boolean is an INVALID_OPTION", () => {
  const list = [
    { id: 'lapsed', when: 'days_since(lastPurchase) > 365 and clv > 5', then: { action: 'Win back', priority: 1 } },
    { id: 'loyal', when: "segment in ('Champions', 'Loyal') or frequency >= 10", then: { action: 'Thank' } },
  ];
  for (const values of ['read', 'none']) {
    const a = rules(customers, list, { key: 'customer_id', asOf: AS_OF, events: { values } });
    const b = rules(customers, list, { key: 'customer_id', asOf: AS_OF, events: { values, reason: false } });
    const names = a.events.columns().map((c) => c.name);
    assert.ok(names.includes('reason') && a.events.numRows > 1000, `${values}: ${a.events.numRows} events`);
    assert.deepEqual(b.events.columns().map((c) => c.name), names.filter((n) => n !== 'reason'));
    assert.equal(b.events.numRows, a.events.numRows);
    for (const n of names.filter((x) => x !== 'reason')) assert.deepEqual(b.events.column(n), a.events.column(n), n);
    assert.deepEqual(b.counts, a.counts);
    a.events.free();
    b.events.free();
  }
  assertCrmlensError(() => rules(customers, list, { events: { reason: 'no' } }), 'INVALID_OPTION');
});

test('rules over joined outputs: customerValue + segment labels joined per customer', () => {
  const seg = segment(customers, { columns: ['frequency', 'monetary', 'recency'], k: 4, seed: 7 });
  const ids = customers.column('customer_id');
  const labelCsv = 'customer_id,cluster\n' + Array.from(seg.labels, (l, i) => `${ids[i]},c${l}`).join('\n');
  const labels = Dataset.fromCsv(labelCsv);
  const joined = joinCustomers(customers, labels, { key: 'customer_id', otherKey: 'customer_id' });
  assert.equal(joined.dataset.numRows, customers.numRows);
  const big = seg.labels[customers.column('monetary').indexOf(Math.max(...customers.column('monetary')))];
  const list = [{ id: 'big-cluster-lapsing', when: `cluster = 'c${big}' and pAlive < 0.5`, then: { action: 'Account manager call' } }];
  const r = rules(joined.dataset, list, { asOf: AS_OF });
  const p = customers.column('pAlive');
  const want = Array.from(seg.labels).filter((l, i) => l === big && p[i] < 0.5).length;
  assert.equal(r.counts[0].matched, want);
  assert.ok(r.events.columns().some((c) => c.name === 'cluster'));
  r.events.free();
  joined.dataset.free();
  labels.free();
});

// --- the change trigger ----------------------------------------------------------------------
test('change trigger across two runs: new, continuing, resolved from the snapshot through JSON', async () => {
  // Run 1: the customer table of the log up to 1997-12-31, as of 1998-01-01; run 2: the full log as of 1998-07-01.
  const lines = cdnowText.split('\n');
  const firstHalf = [lines[0], ...lines.slice(1).filter((l) => { const d = l.trim().split(/\s+/)[1]; return d && d < '19980101'; })].join('\n');
  const log1 = Dataset.fromCsv(firstHalf);
  const cv1 = customerValue(log1, { customer: 'customer_id', date: 'date', amount: 'dollar_value' });
  const list = [{ id: 'quiet-half-year', when: 'days_since(lastPurchase) > 180', then: { action: 'Reminder', priority: 2, channel: 'email' } }];
  const run1 = rules(cv1.customers, list, { key: 'customer_id', asOf: '1998-01-01' });
  const stored = JSON.stringify({ rules: list, snapshot: run1.snapshot });
  const back = JSON.parse(stored);
  assert.deepEqual(back.snapshot, run1.snapshot);
  const run2 = rules(customers, back.rules, { key: 'customer_id', asOf: AS_OF, previous: back.snapshot });
  const always = await rulesAsync(customers, back.rules, { key: 'customer_id', asOf: AS_OF, previous: back.snapshot, trigger: 'always' });

  const keys = (ds, asOf) => {
    const id = ds.column('customer_id');
    return new Set(oracle(ds, ['lastPurchase'], (x) => daysSince(x.lastPurchase, asOf) > 180).map((i) => String(id[i])));
  };
  const before = keys(cv1.customers, '1998-01-01');
  const now = keys(customers, AS_OF);
  const sorted = (it) => [...it].sort();
  const wantNew = sorted([...now].filter((k) => !before.has(k)));
  const wantCont = sorted([...now].filter((k) => before.has(k)));
  const wantRes = sorted([...before].filter((k) => !now.has(k)));
  assert.ok(wantNew.length > 0 && wantCont.length > 0 && wantRes.length > 0, 'the periods give all three statuses');
  const c = run2.counts[0];
  assert.deepEqual([c.matched, c.new, c.continuing, c.resolved], [now.size, wantNew.length, wantCont.length, wantRes.length]);
  assert.deepEqual(eventKeys(run2, 'quiet-half-year', 'new'), wantNew);
  assert.deepEqual(eventKeys(run2, 'quiet-half-year', 'resolved'), wantRes);
  assert.deepEqual(eventKeys(run2, 'quiet-half-year', 'continuing'), [], "'change' does not repeat continuing keys");
  assert.deepEqual(eventKeys(always, 'quiet-half-year', 'continuing'), wantCont, "'always' does");
  assert.deepEqual(always.counts, run2.counts.map((x) => ({ ...x, events: x.new + x.continuing + x.resolved })));
  assert.deepEqual(sorted(run2.snapshot.rules[0].keys), sorted(now));
  // The action's extra keys reach the events' host; the snapshot is small and plain.
  assert.equal(run2.events.column('action')[0], 'Reminder');
  assert.deepEqual(Object.keys(run2.snapshot).sort(), ['asOf', 'key', 'rules', 'version']);
  // A changed condition is reported.
  const changed = rules(customers, [{ ...list[0], when: 'days_since(lastPurchase) > 200' }], { key: 'customer_id', asOf: AS_OF, previous: back.snapshot });
  assert.ok(changed.warnings.some((w) => w.includes('quiet-half-year') && w.includes('changed')));
  assertCrmlensError(() => rules(customers, list, { key: 'customer', asOf: AS_OF, previous: back.snapshot }), 'INVALID_OPTION', { field: 'key' });
  for (const x of [run1, run2, always, changed]) x.events.free();
  cv1.customers.free();
  log1.free();
});

test('rulesAsync: the same result as rules, progress, abort', async () => {
  const list = ruleTemplates().filter((t) => t.source === 'customerValue').map((t) => t.rule);
  const sync = rules(customers, list, { asOf: AS_OF, trigger: 'always' });
  const phases = [];
  const r = await rulesAsync(customers, list, { asOf: AS_OF, trigger: 'always', onProgress: (p) => phases.push(p) });
  assert.deepEqual(r.counts, sync.counts);
  assert.deepEqual(r.snapshot, sync.snapshot);
  assert.equal(r.events.toCsv(), sync.events.toCsv());
  assert.ok(phases.length > 0 && phases.every((p) => p.phase === 'rules'));
  const ac = new AbortController();
  ac.abort();
  await assertRejectsCrmlens(rulesAsync(customers, list, { asOf: AS_OF, signal: ac.signal }), 'ABORTED');
  const ac2 = new AbortController();
  const big = Array.from({ length: 200 }, (_, i) => ({ id: `r${i}`, when: `clv * ${i} > monetary / 3 or lower(segment) contains 'x'`, then: { action: 'a' } }));
  const p = rulesAsync(customers, big, { signal: ac2.signal });
  setImmediate(() => ac2.abort());
  await assertRejectsCrmlens(p, 'ABORTED');
  r.events.free();
  sync.events.free();
});

test('ruleCounts: live counts, and per-rule errors with position and hint, without throwing', () => {
  const checks = ruleCounts(telco, [
    { id: 'ok', when: 'tenure > 60', then: { action: 'a' } },
    { id: 'typo', when: 'tenure > 60 and monthlycharges > 70', then: { action: 'a' } },
    { id: 'type', when: 'Contract > 3', then: { action: 'a' } },
  ]);
  const t = col('tenure');
  assert.equal(checks[0].matched, telcoBody.filter((r) => Number(r[t]) > 60).length);
  assert.equal(checks[0].rows, telcoBody.length);
  assert.deepEqual(checks[0].columns, ['tenure']);
  assert.equal(checks[0].error, null);
  assert.equal(checks[1].error.code, 'RULE_ERROR');
  assert.deepEqual([checks[1].error.line, checks[1].error.column], [1, 17]);
  assert.match(checks[1].error.hint, /MonthlyCharges/);
  assert.equal(checks[2].error.column, 1, 'the comparison starts at column 1');
  assert.match(checks[2].error.message, /text/);
  assert.match(checks[2].error.hint, /quote the value/);
});

// --- bad input (issue 18) --------------------------------------------------------------------
const one = (when, id = 'r') => [{ id, when, then: { action: 'a' } }];

test('bad input: every case a CrmlensError with position and hint, never a trap; the instance works after', () => {
  const e1 = assertCrmlensError(() => rules(telco, one('monthlycharges > 70')), 'RULE_ERROR', { field: 'r', line: 1, column: 1 });
  assert.match(e1.message, /unknown column `monthlycharges`/);
  assert.match(e1.hint, /did you mean `MonthlyCharges`\?/);
  const e2 = assertCrmlensError(() => rules(customers, one('segment > 3')), 'RULE_ERROR', { line: 1 });
  assert.match(e2.message, /segment.*text/);
  const e3 = assertCrmlensError(() => rules(customers, one('lastPurchase > 5'), { asOf: AS_OF }), 'RULE_ERROR');
  assert.match(e3.hint ?? e3.message, /days_since/);
  assertCrmlensError(() => rules(customers, one('days_since(lastPurchase) > 5')), 'RULE_ERROR'); // no asOf
  // Division by zero is missing (three-valued logic): nothing matches, every row undecided.
  const z = rules(customers, one('clv / 0 > 1 or monetary % 0 = 0'));
  assert.equal(z.counts[0].matched, 0);
  assert.equal(z.counts[0].undecided, customers.numRows);
  z.events.free();
  // Size and depth.
  const mb = 'clv > 1 and '.repeat(90_000) + 'clv > 1';
  assert.ok(mb.length > 1_000_000);
  assertCrmlensError(() => rules(customers, one(mb)), 'TOO_LARGE', { field: 'r' });
  assertCrmlensError(() => rules(customers, one('('.repeat(10_000) + 'clv > 1' + ')'.repeat(10_000))), 'RULE_ERROR');
  assertCrmlensError(() => rules(customers, one('not '.repeat(10_000) + 'clv > 1')), 'RULE_ERROR');
  assertCrmlensError(() => rules(customers, one('-'.repeat(10_000) + 'clv > 1')), 'RULE_ERROR');
  let deep = { '>': [{ var: 'clv' }, 1] };
  for (let i = 0; i < 10_000; i++) deep = { '!': [deep] };
  const ed = assertCrmlensError(() => rules(customers, one(deep)), 'INVALID_OPTION');
  assert.match(ed.field, /^rules/);
  const wide = { or: Array.from({ length: 20_000 }, (_, i) => ({ '>': [{ var: 'clv' }, i] })) };
  assertCrmlensError(() => rules(customers, one(wide)), 'TOO_LARGE', { field: 'r' });
  // Hostile strings.
  for (const s of ["clv > '", '`', '😀 > 1', "=cmd|'/c calc'!A1", '\u202eclv > 1', 'clv >> 1', '1 < clv < 5', 'clv', '', '   ',
    `segment = '${'x'.repeat(5000)}`, `segment = ${'\u0000'.repeat(100)}`]) {
    const e = assertCrmlensError(() => rules(customers, one(s)), 'RULE_ERROR');
    assert.ok(e.message.length < 400, `short message for ${JSON.stringify(s.slice(0, 40))}: ${e.message.length}`);
  }
  // Hostile but valid text literals are only compared, never interpreted.
  for (const s of ["segment = 'x\u0000y'", "segment = 'Robert''); DROP TABLE customers;--'", "segment starts with '=cmd|'"]) {
    const r = rules(customers, one(s));
    assert.equal(r.counts[0].matched, 0, s);
    r.events.free();
  }
  assertCrmlensError(() => rules(customers, one('clv > 1', '')), 'INVALID_OPTION', { field: 'rules[0].id' });
  assertCrmlensError(() => rules(customers, [...one('clv > 1'), ...one('clv > 2')]), 'INVALID_OPTION', { field: 'rules[1].id' });
  assertCrmlensError(() => rules(customers, [{ id: 'r', when: 'clv > 1' }]), 'INVALID_OPTION', { field: 'rules[0]' });
  assertCrmlensError(() => rules(customers, [{ id: 'r', when: 'clv > 1', then: { action: 'a' }, whne: 1 }]), 'INVALID_OPTION', { field: 'rules[0]' });
  assertCrmlensError(() => rules(customers, 'clv > 1'), 'INVALID_OPTION', { field: 'rules' });
  assertCrmlensError(() => rules(customers, one('clv > 1'), { trigger: 'sometimes' }), 'INVALID_OPTION', { field: 'trigger' });
  assertCrmlensError(() => rules(customers, one('clv > 1'), { asOf: 'yesterday' }), 'INVALID_OPTION', { field: 'asOf' });
  assertCrmlensError(() => rules(customers, one('clv > 1'), { previous: { version: 9, key: '', asOf: null, rules: [] } }), 'INVALID_OPTION', { field: 'previous' });
  const ej = assertCrmlensError(() => rules(customers, one({ and: [{ '==': [{ var: 'segmnt' }, 'Champions'] }] })), 'RULE_ERROR');
  assert.match(ej.message, /at \/and\/0\/==\/0/);
  assert.match(ej.hint, /segment/);
  assertCrmlensError(() => rules(customers, one({ if: [true, 1, 2] })), 'RULE_ERROR');
  // A lone surrogate cannot be UTF-8: refused where the rules are read.
  assertCrmlensError(() => rules(customers, one("segment = '\ud800'")), 'INVALID_OPTION', { field: 'rules[0]' });
  assertCrmlensError(() => rules(customers, one(JSON.parse('{"__proto__": [1]}'))), 'RULE_ERROR');
  // Still working, with the same answer as before.
  const ok = rules(customers, one('pAlive < 0.3 and clv > 200'));
  assert.equal(ok.counts[0].matched, oracle(customers, ['pAlive', 'clv'], (x) => x.pAlive < 0.3 && x.clv > 200).length);
  ok.events.free();
});

test('a column named in Chinese and with spaces, quoted; missing values as SQL', () => {
  const ds = Dataset.fromCsv('客户,城市,Monthly Spend,vip\nA,北京,10,true\nB,上海,,false\nC,北京,30,\nD,,5,true\n');
  const r = rules(ds, [
    { id: 'bj', when: "城市 = '北京' and `Monthly Spend` > 8", then: { action: 'x' } },
    { id: 'vip-or', when: 'vip or `Monthly Spend` > 20', then: { action: 'x' } },
    { id: 'not-vip', when: 'not vip', then: { action: 'x' } },
    { id: 'in', when: "城市 not in ('上海')", then: { action: 'x' } },
  ], { key: '客户' });
  const got = Object.fromEntries(r.counts.map((c) => [c.rule, [c.matched, c.undecided]]));
  assert.deepEqual(got, { bj: [2, 0], 'vip-or': [3, 1], 'not-vip': [1, 1], in: [2, 1] });
  assert.deepEqual(eventKeys(r, 'bj', 'new'), ['A', 'C']);
  r.events.free();
  ds.free();
});
