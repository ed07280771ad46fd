// The browser package's results (the built pkg/, run in Node) on one file, as JSON on stdout,
// for tests/python/test_same_as_js.py to compare the Python wheel's and the engines' results
// with. Usage: node tests/python/js_reference.mjs value FILE OPTIONS_JSON
//              node tests/python/js_reference.mjs sentiment FILE OPTIONS_JSON
//              node tests/python/js_reference.mjs profile FILE OPTIONS_JSON
import { readFileSync } from 'node:fs';

const [what, file, options] = process.argv.slice(2);
const m = await import(new URL('../../pkg/node.js', import.meta.url));
const ds = m.Dataset.fromCsv(readFileSync(file));
const opts = JSON.parse(options || '{}');
const call = (o, k) => (typeof o[k] === "function" ? o[k]() : o[k]);
const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : v);
let out;
if (what === 'value') {
  const v = m.customerValue(ds, opts);
  const customers = {};
  for (const c of v.customers.columns()) { const name = typeof c === "string" ? c : c.name; customers[name] = plain(v.customers.column(name)); }
  delete v.model.timings;
  out = { customers, model: v.model, cohorts: v.cohorts, load: { rows: call(ds, "numRows"), issueCounts: call(ds, "issueCounts") } };
} else if (what === 'sentiment') {
  const s = await m.sentiment(ds, opts);
  out = {};
  for (const k of ['compound', 'positive', 'neutral', 'negative', 'label', 'language']) out[k] = plain(s[k]);
} else if (what === 'profile') {
  out = ds.profile(opts);
} else {
  throw new Error(`unknown: ${what}`);
}
// Typed arrays (the report's quantiles, histograms, correlations) as plain arrays; NaN as null.
process.stdout.write(JSON.stringify(out, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : typeof v === 'number' && !Number.isFinite(v) ? null : v)));
