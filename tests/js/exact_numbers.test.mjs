// Numbers with 16-17 significant digits or an exponent are read exactly (issue 18): the core
// and the rules module parse JSON with serde_json without `float_roundtrip`, which can land one
// unit in the last place off; crmlens::io::json_exact reads such tokens with Rust's exact
// `str::parse`. Checked here against JS's own parse (JSON.parse / Number): Dataset.fromJson
// (array, NDJSON, one object) and rule literals (text and JSON Logic) on last-bit values and on
// the float columns of the CDNOW customer table (customerValue's 17-digit results).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readData } from './_util.mjs';

const { Dataset, customerValue, rules, ruleCounts } = await import('../../pkg/node.js');

/** Values whose last bit serde_json's short path gets wrong, or that sit at the ends of f64. */
const EDGES = [
  '0.30000000000000004', '0.9019776233440785', '5e-324', '1.7976931348623157e308', '2.2250738585072014e-308',
  '-0.1234567890123456789', '123456789.12345679', '9007199254740993', '1e23', '8.98846567431158e307', '4.35e-311',
].map(Number);

const cdnow = customerValue(Dataset.fromCsv(readData('cdnow_lifetimes/CDNOW_master.txt').toString('latin1')),
  { customer: 'customer_id', date: 'date', amount: 'dollar_value' }).customers;
const REAL = cdnow.columns().filter((c) => c.type === 'float64')
  .flatMap((c) => Array.from(cdnow.column(c.name)).filter(Number.isFinite));

test('the CDNOW float columns hold many 16-17 digit values (the case under test)', () => {
  const long = REAL.filter((v) => String(v).replace(/^-?0?\.?0*|e.*$|\./g, '').length >= 16);
  assert.ok(REAL.length > 20_000 && long.length > 10_000, `${REAL.length} values, ${long.length} long`);
});

/** `Object.is` per value, with the first few differences shown. */
function sameBits(got, want, what) {
  assert.equal(got.length, want.length, what);
  const bad = [];
  want.forEach((w, i) => {
    if (!Object.is(got[i], w)) bad.push(`${JSON.stringify(w)} read as ${got[i]}`);
  });
  assert.equal(bad.length, 0, `${what}: ${bad.length} of ${want.length} off:\n${bad.slice(0, 5).join('\n')}`);
}

test('Dataset.fromJson reads last-bit values as JSON.parse does (array, NDJSON, one object)', () => {
  const values = [...EDGES, ...REAL, 0.1 + 0.2, -(0.1 + 0.2)];
  const rows = values.map((v, i) => ({ i, x: v }));
  const text = JSON.stringify(rows);
  const want = JSON.parse(text).map((r) => r.x);
  const arr = Dataset.fromJson(text);
  assert.equal(arr.columns().find((c) => c.name === 'x').type, 'float64');
  sameBits(Array.from(arr.column('x')), want, 'JSON array');
  arr.free();
  const nd = Dataset.fromJson(rows.map((r) => JSON.stringify(r)).join('\n'));
  sameBits(Array.from(nd.column('x')), want, 'NDJSON');
  nd.free();
  const one = Dataset.fromJson(JSON.stringify(Object.fromEntries(EDGES.map((v, i) => [`c${i}`, v]))));
  // (An integral value such as 9007199254740992 makes an int64 column: compared as a Number.)
  sameBits(EDGES.map((_, i) => Number(one.column(`c${i}`)[0])), EDGES, 'one object');
  one.free();
  // Strings that look like the marker's content stay strings; bad numbers are still errors.
  const s = Dataset.fromJson('[{"a":"\\u00010.30000000000000004","b":0.30000000000000004}]');
  assert.equal(s.column('a')[0], '\u00010.30000000000000004');
  assert.ok(Object.is(s.column('b')[0], 0.30000000000000004));
  s.free();
  assert.throws(() => Dataset.fromJson('[{"a":1e400}]'), { name: 'CrmlensError' });
});

test('rule literals with 17 digits match exactly, as text and as JSON Logic', () => {
  // Each value once, with its two neighbours one ulp away in the table too.
  const step = (v, d) => {
    const b = new BigInt64Array(new Float64Array([v]).buffer);
    b[0] += BigInt(d * Math.sign(v));
    return new Float64Array(b.buffer)[0];
  };
  const picks = [...EDGES.filter((v) => v > 1e-300 && v < 1e300), ...REAL.filter((_, i) => i % 97 === 0)];
  const centre = [...new Set(picks)].filter((v) => v !== 0);
  const x = [...new Set(centre.flatMap((v) => [step(v, -1), v, step(v, 1)]))];
  const ds = Dataset.fromCsv(`x\n${x.map(String).join('\n')}\n`);
  sameBits(Array.from(ds.column('x')), x, 'the table');
  const list = centre.flatMap((v, i) => [
    { id: `t${i}`, when: `x = ${String(v)}`, then: { action: 'a' } },
    { id: `j${i}`, when: { '==': [{ var: 'x' }, v] }, then: { action: 'a' } },
    { id: `r${i}`, when: { and: [{ '>': [{ var: 'x' }, step(v, -1)] }, { '<': [{ var: 'x' }, step(v, 1)] }] }, then: { action: 'a' } },
  ]);
  const counts = ruleCounts(ds, list);
  const off = counts.filter((c) => c.error !== null || c.matched !== 1);
  assert.equal(off.length, 0, `${off.length} of ${counts.length} rules do not match exactly one row: `
    + off.slice(0, 5).map((c) => `${c.rule} ${JSON.stringify(list.find((r) => r.id === c.rule).when)} → ${c.matched} ${c.error?.message ?? ''}`).join('; '));
  // The events carry the value read.
  const r = rules(ds, [{ id: 'w', when: { '==': [{ var: 'x' }, 0.30000000000000004] }, then: { action: 'a' } }]);
  assert.equal(r.counts[0].matched, 1);
  assert.ok(Object.is(r.events.column('x')[0], 0.30000000000000004));
  r.events.free();
  ds.free();
});
