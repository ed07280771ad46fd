// The rules differential test against DuckDB-Wasm (issue 18), in CI: 10,400 random conditions
// (tests/js/rules_gen.mjs) over Telco and the CDNOW customer table, each also with 8 % of its
// cells made missing, half of them given as text and half as JSON Logic; crmlens's ruleCounts
// and DuckDB-Wasm (the npm dev dependency, Node blocking bundle, offline) must agree on the
// rows where the condition is true and where it is unknown (`WHERE (cond) IS NULL`). Counts
// alone could hide two rows swapped, so each table also has four seeded random true/false
// columns `__bit0..3`, and the rows matching `(cond) and __bitK` are counted too: two row sets
// with equal counts differ in some of those four counts unless they agree on every bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readData, parseCsv } from './_util.mjs';
import { generator, rng } from './rules_gen.mjs';

const { Dataset, customerValue, ruleCounts } = await import('../../pkg/node.js');

const PER_TABLE = Number(process.env.RULES_DUCKDB_PER_TABLE ?? 2_600);
const BITS = 4;
const BATCH = 20; // conditions per DuckDB query
const AS_OF = '1998-07-01';
const TYPES = { int64: 'BIGINT', float64: 'DOUBLE', bool: 'BOOLEAN', date: 'DATE', datetime: 'TIMESTAMP', category: 'VARCHAR', text: 'VARCHAR' };
const quoteId = (name) => `"${name.replace(/"/g, '""')}"`;
const csvField = (s) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** `ds` as CSV, `holes` of its cells blanked (seeded), with the bit columns appended. */
function variant(ds, holes, seed) {
  const r = rng(seed);
  const [head, ...body] = parseCsv(ds.toCsv({ escapeFormulas: false }));
  const bits = Array.from({ length: BITS }, (_, k) => `__bit${k}`);
  const lines = [[...head, ...bits].map(csvField).join(',')];
  for (const row of body) {
    const cells = row.map((v) => (r.next() < holes ? '' : v));
    lines.push([...cells, ...bits.map(() => (r.below(2) ? 'true' : 'false'))].map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

const telco = Dataset.fromCsv(readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv'));
const log = Dataset.fromCsv(readData('cdnow_lifetimes/CDNOW_master.txt').toString('latin1'));
const cdnow = customerValue(log, { customer: 'customer_id', date: 'date', amount: 'dollar_value' }).customers;
const TABLES = [
  ['telco', variant(telco, 0, 1), null],
  ['telco_holes', variant(telco, 0.08, 18), null],
  ['cdnow', variant(cdnow, 0, 2), AS_OF],
  ['cdnow_holes', variant(cdnow, 0.08, 81), AS_OF],
];

const require = createRequire(import.meta.url);
const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
const DIST = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));

test('crmlens rules agree with DuckDB-Wasm WHERE on 10,400 random conditions over Telco and CDNOW', async (t) => {
  const ms = { crmlens: 0, duckdb: 0 };
  const db = await duckdb.createDuckDB({
    mvp: { mainModule: join(DIST, 'duckdb-mvp.wasm'), mainWorker: join(DIST, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(DIST, 'duckdb-eh.wasm'), mainWorker: join(DIST, 'duckdb-node-eh.worker.cjs') },
  }, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  const conn = db.connect();
  const bitNames = Array.from({ length: BITS }, (_, k) => `__bit${k}`);
  let total = 0;
  let differ = 0;
  const shown = [];
  const seen = { matched: 0, none: 0, undecided: 0, json: 0, words: 0 };
  for (const [name, csv, asOf] of TABLES) {
    const ds = Dataset.fromCsv(csv);
    const schema = ds.columns();
    assert.deepEqual(schema.slice(-BITS).map((c) => c.type), bitNames.map(() => 'bool'));
    db.registerFileText(`${name}.csv`, csv);
    const cols = schema.map((c) => `${quoteId(c.name)}: '${TYPES[c.type]}'`).join(', ');
    conn.query(`CREATE TABLE ${quoteId(name)} AS SELECT * FROM read_csv('${name}.csv', header = true, auto_detect = false, `
      + `columns = {${cols}}, nullstr = '', quote = '"', escape = '"', delim = ',')`);
    assert.equal(Number(conn.query(`SELECT count(*) AS n FROM ${quoteId(name)}`).toArray()[0].n), ds.numRows);

    const gen = generator(ds, 0x5eed0018 ^ name.length * 7919 ^ name.charCodeAt(0), asOf, new Set(bitNames));
    const cases = Array.from({ length: PER_TABLE }, () => gen.case());
    // crmlens: per case the condition and the condition with each bit, text or JSON Logic.
    const rules = [];
    cases.forEach((c, i) => {
      const json = i % 2 === 1;
      if (json) seen.json++;
      if (/'(Yes|No|yes|no|TRUE|f)'/.test(c.text) && /\b(true|false)\b/.test(c.sql)) seen.words++;
      rules.push({ id: `c${i}`, when: json ? c.json : c.text, then: { action: 'a' } });
      bitNames.forEach((b, k) => rules.push({
        id: `c${i}b${k}`,
        when: json ? { and: [c.json, { var: b }] } : `(${c.text}) and \`${b}\``,
        then: { action: 'a' },
      }));
    });
    let t0 = performance.now();
    const mine = [];
    for (let at = 0; at < rules.length; at += 1000) {
      for (const r of ruleCounts(ds, rules.slice(at, at + 1000), asOf ? { asOf } : {})) {
        assert.equal(r.error, null, `${name} ${r.rule}: ${r.error?.message}\n${JSON.stringify(rules.find((x) => x.id === r.rule).when)}`);
        mine.push(r);
      }
    }
    ds.free();
    ms.crmlens += performance.now() - t0;
    t0 = performance.now();
    // DuckDB: the same counts, BATCH conditions a query.
    for (let at = 0; at < cases.length; at += BATCH) {
      const batch = cases.slice(at, at + BATCH);
      // Each condition evaluated once (a column of the inner query), then counted.
      const inner = [...batch.map((c, j) => `(${c.sql}) AS v${j}`), ...bitNames.map(quoteId)].join(', ');
      const aggs = batch.flatMap((c, j) => [
        `count(*) FILTER (WHERE v${j}) AS m${j}`,
        `count(*) FILTER (WHERE v${j} IS NULL) AS u${j}`,
        ...bitNames.map((b, k) => `count(*) FILTER (WHERE v${j} AND ${quoteId(b)}) AS b${j}_${k}`),
      ]);
      const row = conn.query(`SELECT ${aggs.join(', ')} FROM (SELECT ${inner} FROM ${quoteId(name)})`).toArray()[0].toJSON();
      batch.forEach((c, j) => {
        const i = at + j;
        const theirs = [Number(row[`m${j}`]), Number(row[`u${j}`]), ...bitNames.map((_, k) => Number(row[`b${j}_${k}`]))];
        const base = mine[i * (1 + BITS)];
        const ours = [base.matched, base.undecided, ...bitNames.map((_, k) => mine[i * (1 + BITS) + 1 + k].matched)];
        total++;
        if (base.matched > 0) seen.matched++;
        if (base.matched === 0) seen.none++;
        if (base.undecided > 0) seen.undecided++;
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
          differ++;
          if (shown.length < 10) shown.push(`${name} case ${i}: crmlens ${ours} DuckDB ${theirs}\n  ${c.text}\n  ${c.sql}`);
        }
      });
    }
    ms.duckdb += performance.now() - t0;
  }
  conn.close();
  t.diagnostic(`${total} conditions: crmlens ${(ms.crmlens / 1000).toFixed(1)} s, DuckDB-Wasm ${(ms.duckdb / 1000).toFixed(1)} s`);
  assert.equal(total, 4 * PER_TABLE);
  assert.ok(PER_TABLE >= 2_600 || process.env.RULES_DUCKDB_PER_TABLE, 'at least 10,400 conditions');
  assert.equal(differ, 0, `${differ} of ${total} conditions differ:\n${shown.join('\n')}`);
  // The conditions are not degenerate: many select rows, many select none, many are unknown on
  // some rows; half are JSON Logic; yes/no words appear.
  assert.ok(seen.matched > total / 3 && seen.none > total / 20 && seen.undecided > total / 10, JSON.stringify(seen));
  assert.ok(seen.json === total / 2 && seen.words > total / 100, JSON.stringify(seen));
});
