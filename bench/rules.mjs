// Rules benchmark (issue 18): 20 business rules over 10^6 customer rows, in one Node process.
//   crmlens     ruleCounts(ds, rules, { asOf }): every rule compiled and counted (the like-for-like
//               of `count(*)`), and rules(ds, rules, { key, asOf }): events Dataset + snapshot too;
//   DuckDB-Wasm `SELECT count(*) FROM t WHERE cond` for each of the 20 conditions (Node blocking
//               bundle, same process), and one query with 20 `count(*) FILTER (WHERE cond)`;
//   json-rules-engine one engine holding the 20 rules, `engine.run(facts)` one row at a time
//               (its documented use), on the first --jre-rows rows, extrapolated linearly to
//               --rows; the facts of a row (its values and the derived ones: days since, lower,
//               products) are built in the timed loop.
// The table: the CDNOW customer table (customerValue over CDNOW_master.txt) repeated to --rows
// rows with a new `id`, as CSV (loading is not timed). The 20 conditions are those of
// examples/rules_timing.rs, except that `rfm` loads from CSV as a number (so its two rules
// compare numbers) and one `starts with` reads `segment` instead.
// Every engine's matched counts are checked equal before any time is reported. Runs are
// paired (each run times every contender once, in turn); ratios are medians of the per-run
// ratios. node bench/rules.mjs [--rows 1000000] [--runs 5] [--jre-rows 20000]
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import os from 'node:os';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
const ROWS = opt('--rows', 1_000_000);
const RUNS = opt('--runs', 5);
const JRE_ROWS = Math.min(opt('--jre-rows', 20_000), ROWS);
const AS_OF = '1998-07-01';
const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const here = (rel) => fileURLToPath(new URL(rel, import.meta.url));

// --- the 20 conditions: crmlens, DuckDB SQL, json-rules-engine ---------------------------------
const all = (...c) => ({ all: c });
const any = (...c) => ({ any: c });
const f = (fact, operator, value) => ({ fact, operator, value });
const CONDITIONS = [
  ['days_since(lastPurchase) > 90', "date_diff('day', lastPurchase, DATE '1998-07-01') > 90", all(f('daysLast', 'greaterThan', 90))],
  ['pAlive < 0.3 and clv > 200', 'pAlive < 0.3 AND clv > 200', all(f('pAlive', 'lessThan', 0.3), f('clv', 'greaterThan', 200))],
  ['pAlive < 0.3 and clv > 200 and days_since(lastPurchase) > 90', "pAlive < 0.3 AND clv > 200 AND date_diff('day', lastPurchase, DATE '1998-07-01') > 90",
    all(f('pAlive', 'lessThan', 0.3), f('clv', 'greaterThan', 200), f('daysLast', 'greaterThan', 90))],
  ['days_since(firstPurchase) <= 14 and frequency = 0', "date_diff('day', firstPurchase, DATE '1998-07-01') <= 14 AND frequency = 0",
    all(f('daysFirst', 'lessThanInclusive', 14), f('frequency', 'equal', 0))],
  ['month(firstPurchase) = month() and day(firstPurchase) = day() and years_since(firstPurchase) >= 1',
    "month(firstPurchase) = 7 AND day(firstPurchase) = 1 AND date_sub('year', firstPurchase, DATE '1998-07-01') >= 1",
    all(f('monthFirst', 'equal', 7), f('dayFirst', 'equal', 1), f('yearsFirst', 'greaterThanInclusive', 1))],
  ['mScore >= 4 and rScore <= 2', 'mScore >= 4 AND rScore <= 2', all(f('mScore', 'greaterThanInclusive', 4), f('rScore', 'lessThanInclusive', 2))],
  ["segment in ('Champions', 'Loyal') and monetary > 50", "segment IN ('Champions', 'Loyal') AND monetary > 50",
    all(f('segment', 'in', ['Champions', 'Loyal']), f('monetary', 'greaterThan', 50))],
  ['frequency >= 3 and pAlive < 0.5', 'frequency >= 3 AND pAlive < 0.5', all(f('frequency', 'greaterThanInclusive', 3), f('pAlive', 'lessThan', 0.5))],
  ["segment = 'At risk' or segment = \"Can't lose them\"", "segment = 'At risk' OR segment = 'Can''t lose them'",
    any(f('segment', 'equal', 'At risk'), f('segment', 'equal', "Can't lose them"))],
  ['expectedPurchases between 0.5 and 2', 'expectedPurchases BETWEEN 0.5 AND 2',
    all(f('expectedPurchases', 'greaterThanInclusive', 0.5), f('expectedPurchases', 'lessThanInclusive', 2))],
  ['clv / (frequency + 1) > 20', 'clv / (frequency + 1) > 20', all(f('clvPerPurchase', 'greaterThan', 20))],
  ['monetary * frequency > 1000', 'monetary * frequency > 1000', all(f('monetaryTimesFrequency', 'greaterThan', 1000))],
  ["lower(segment) contains 'loyal'", "contains(lower(segment), 'loyal')", all(f('segmentLower', 'textContains', 'loyal'))],
  ["segment starts with 'Can'", "starts_with(segment, 'Can')", all(f('segment', 'startsWith', 'Can'))],
  ['rfm in (555, 554, 545)', 'rfm IN (555, 554, 545)', all(f('rfm', 'in', [555, 554, 545]))],
  ['months_since(lastPurchase) >= 12 and clv > 50', "date_sub('month', lastPurchase, DATE '1998-07-01') >= 12 AND clv > 50",
    all(f('monthsLast', 'greaterThanInclusive', 12), f('clv', 'greaterThan', 50))],
  ["not (segment in ('Lost', 'Hibernating')) and pAlive > 0.8", "NOT (segment IN ('Lost', 'Hibernating')) AND pAlive > 0.8",
    all(f('segment', 'notIn', ['Lost', 'Hibernating']), f('pAlive', 'greaterThan', 0.8))],
  ["lastPurchase < '1997-06-01' and frequency > 0", "lastPurchase < DATE '1997-06-01' AND frequency > 0",
    all(f('lastPurchaseMs', 'lessThan', Date.UTC(1997, 5, 1)), f('frequency', 'greaterThan', 0))],
  ['recency > T * 0.5 or expectedSpend > 100', 'recency > T * 0.5 OR expectedSpend > 100',
    any(f('recencyOverHalfT', 'greaterThan', 0), f('expectedSpend', 'greaterThan', 100))],
  ['weekday(firstPurchase) in (6, 7) and mScore = 5', 'isodow(firstPurchase) IN (6, 7) AND mScore = 5',
    all(f('weekdayFirst', 'in', [6, 7]), f('mScore', 'equal', 5))],
];
const RULES = CONDITIONS.map(([when], i) => ({ id: `r${i}`, when, then: { action: `action ${i}`, priority: i % 3 } }));

// --- the table ---------------------------------------------------------------------------------
const { Dataset, customerValue, ruleCounts, rules, version } = await import('../pkg/node.js');
const dataFile = (rel) => ['../../shared/data/', '../../../shared/data/'].map((d) => here(d + rel)).find(existsSync);
const log = Dataset.fromCsv(readFileSync(dataFile('cdnow_lifetimes/CDNOW_master.txt')));
const base = customerValue(log, { customer: 'customer_id', date: 'date', amount: 'dollar_value' }).customers;
const baseLines = base.toCsv({ escapeFormulas: false }).trimEnd().split('\n');
const header = 'id' + baseLines[0].slice(baseLines[0].indexOf(','));
const body = baseLines.slice(1).map((l) => l.slice(l.indexOf(',')));
const tableCsv = (n) => { const out = [header]; for (let i = 0; i < n; i++) out.push(i + body[i % body.length]); return out.join('\n') + '\n'; };
const csv = tableCsv(ROWS);
const ds = Dataset.fromCsv(csv);
const small = Dataset.fromCsv(tableCsv(JRE_ROWS));
console.error(`table: ${ds.numRows} rows × ${ds.numColumns} columns, ${(csv.length / 1e6).toFixed(0)} MB of CSV`);

// --- DuckDB-Wasm ---------------------------------------------------------------------------------
const require = createRequire(import.meta.url);
const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
const DIST = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
const db = await duckdb.createDuckDB({
  mvp: { mainModule: join(DIST, 'duckdb-mvp.wasm'), mainWorker: join(DIST, 'duckdb-node-mvp.worker.cjs') },
  eh: { mainModule: join(DIST, 'duckdb-eh.wasm'), mainWorker: join(DIST, 'duckdb-node-eh.worker.cjs') },
}, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
await db.instantiate();
const conn = db.connect();
db.registerFileText('t.csv', csv);
conn.query("CREATE TABLE t AS SELECT * FROM read_csv('t.csv', header = true)");
const duckVersion = conn.query('SELECT version() AS v').toArray()[0].v;
const duckCount = (sql) => Number(conn.query(`SELECT count(*) AS n FROM t WHERE ${sql}`).toArray()[0].n);
const duckFilter = `SELECT ${CONDITIONS.map(([, sql], i) => `count(*) FILTER (WHERE ${sql}) AS c${i}`).join(', ')} FROM t`;

// --- json-rules-engine ---------------------------------------------------------------------------
const { Engine } = require('json-rules-engine');
const engine = new Engine([], { allowUndefinedFacts: true });
engine.addOperator('textContains', (a, b) => typeof a === 'string' && a.includes(b));
engine.addOperator('startsWith', (a, b) => typeof a === 'string' && a.startsWith(b));
CONDITIONS.forEach(([, , conditions], i) => engine.addRule({ name: `r${i}`, conditions, event: { type: `r${i}` } }));
const asOfMs = Date.parse(AS_OF);
const asOfDate = new Date(asOfMs);
const lastDay = (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate() === d.getUTCDate();
function wholeMonths(fromMs) { // months_since as README: complete when the day comes round or the later date ends its month
  const a = new Date(fromMs), b = asOfDate;
  let m = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
  if (b.getUTCDate() < a.getUTCDate() && !lastDay(b)) m -= 1;
  return m;
}
const smallRows = small.rows(0, JRE_ROWS);
const ms = (iso) => (iso == null ? undefined : Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso));
function facts(r) {
  const last = ms(r.lastPurchase), first = ms(r.firstPurchase);
  const und = (x) => (x == null ? undefined : x);
  return {
    ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, und(v)])),
    daysLast: last === undefined ? undefined : Math.round((asOfMs - last) / 864e5),
    daysFirst: first === undefined ? undefined : Math.round((asOfMs - first) / 864e5),
    monthFirst: first === undefined ? undefined : new Date(first).getUTCMonth() + 1,
    dayFirst: first === undefined ? undefined : new Date(first).getUTCDate(),
    yearsFirst: first === undefined ? undefined : Math.floor(wholeMonths(first) / 12),
    monthsLast: last === undefined ? undefined : wholeMonths(last),
    weekdayFirst: first === undefined ? undefined : ((new Date(first).getUTCDay() + 6) % 7) + 1,
    lastPurchaseMs: last,
    clvPerPurchase: r.clv == null || r.frequency == null ? undefined : r.clv / (r.frequency + 1),
    monetaryTimesFrequency: r.monetary == null || r.frequency == null ? undefined : r.monetary * r.frequency,
    segmentLower: r.segment == null ? undefined : r.segment.toLowerCase(),
    recencyOverHalfT: r.recency == null || r.T == null ? undefined : r.recency - r.T * 0.5,
  };
}
async function jre() {
  const counts = new Array(CONDITIONS.length).fill(0);
  for (const r of smallRows) {
    const { results } = await engine.run(facts(r));
    for (const x of results) counts[Number(x.name.slice(1))]++;
  }
  return counts;
}

// --- agreement, then paired runs -----------------------------------------------------------------
const crmCounts = () => ruleCounts(ds, RULES, { asOf: AS_OF }).map((c) => { if (c.error) throw new Error(`${c.rule}: ${c.error.message}`); return c.matched; });
const mine = crmCounts();
const theirs = CONDITIONS.map(([, sql]) => duckCount(sql));
const filtered = Object.values(conn.query(duckFilter).toArray()[0].toJSON()).map(Number);
const smallMine = ruleCounts(small, RULES, { asOf: AS_OF }).map((c) => c.matched);
const smallJre = await jre();
const agree = (a, b, what) => { if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${what} disagree:\n${a}\n${b}`); };
agree(mine, theirs, 'crmlens and DuckDB');
agree(mine, filtered, 'crmlens and DuckDB FILTER');
agree(smallMine, smallJre, `crmlens and json-rules-engine on ${JRE_ROWS} rows`);
console.error('matched per rule (all three agree):', mine.join(' '));

const timed = async (fn) => { const t = performance.now(); await fn(); return performance.now() - t; };
const runs = [];
for (let run = -1; run < RUNS; run++) { // run -1 warms up and is not kept
  const t = {};
  t.crmCounts = await timed(crmCounts);
  t.crmRules = await timed(() => { const r = rules(ds, RULES, { key: 'id', asOf: AS_OF }); r.events.free(); });
  t.crmRulesLean = await timed(() => { const r = rules(ds, RULES, { key: 'id', asOf: AS_OF, events: { values: 'none' } }); r.events.free(); });
  t.crmRulesBare = await timed(() => { const r = rules(ds, RULES, { key: 'id', asOf: AS_OF, events: { values: 'none', reason: false } }); r.events.free(); });
  t.duck = await timed(() => CONDITIONS.forEach(([, sql]) => duckCount(sql)));
  t.duckFilter = await timed(() => conn.query(duckFilter));
  t.jre = (await timed(jre)) * (ROWS / JRE_ROWS);
  if (run >= 0) runs.push(t);
  console.error(`run ${run}:`, Object.entries(t).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', '));
}

const med = (k) => median(runs.map((r) => r[k]));
const ratio = (k, base = 'crmCounts') => median(runs.map((r) => r[k] / r[base]));
const jrePkg = JSON.parse(readFileSync(here('../node_modules/json-rules-engine/package.json'), 'utf8')).version;
const out = [];
out.push(`${ROWS.toLocaleString('en')} rows × 20 rules (CDNOW customer table repeated), crmlens ${version()}, DuckDB-Wasm ${duckVersion} (Node blocking bundle), json-rules-engine ${jrePkg} (${JRE_ROWS.toLocaleString('en')} rows, × ${ROWS / JRE_ROWS} extrapolated); Node ${process.version}, ${RUNS} paired runs after a warm-up, load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}.`);
out.push('');
out.push('| contender | median ms | ÷ crmlens counts (median of paired ratios) |');
out.push('|---|---:|---:|');
out.push(`| crmlens \`ruleCounts\` (20 rules compiled + counted) | ${med('crmCounts').toFixed(1)} | 1 |`);
out.push(`| crmlens \`rules\` (+ events Dataset, snapshot) | ${med('crmRules').toFixed(1)} | ${ratio('crmRules').toFixed(2)} |`);
out.push(`| crmlens \`rules\`, \`events: { values: 'none' }\` (the fixed event columns only) | ${med('crmRulesLean').toFixed(1)} | ${ratio('crmRulesLean').toFixed(2)} |`);
out.push(`| crmlens \`rules\`, \`events: { values: 'none', reason: false }\` (1,000,000 events × 6 columns) | ${med('crmRulesBare').toFixed(1)} | ${ratio('crmRulesBare').toFixed(2)} |`);
out.push(`| DuckDB-Wasm, 20 × \`SELECT count(*) … WHERE\` | ${med('duck').toFixed(1)} | ${ratio('duck').toFixed(2)} |`);
out.push(`| DuckDB-Wasm, one query of 20 \`count(*) FILTER (WHERE …)\` | ${med('duckFilter').toFixed(1)} | ${ratio('duckFilter').toFixed(2)} |`);
out.push(`| json-rules-engine, one row at a time (extrapolated) | ${med('jre').toFixed(0)} | ${ratio('jre').toFixed(0)} |`);
out.push('');
out.push(`json-rules-engine ÷ crmlens \`rules\`: ${ratio('jre', 'crmRules').toFixed(0)}×; DuckDB 20 queries ÷ crmlens \`rules\`: ${ratio('duck', 'crmRules').toFixed(2)}× (with \`values: 'none'\`: ${ratio('duck', 'crmRulesLean').toFixed(2)}×; with \`values: 'none', reason: false\`: ${ratio('duck', 'crmRulesBare').toFixed(2)}×). Matched per rule: ${mine.join(', ')}.`);
console.log(out.join('\n'));
