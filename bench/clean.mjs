// Clean benchmark: crmlens dataset.clean(plan) vs pandas doing the same steps, side by side,
// on the 1,000,000 × 20 customer CSV of the profile benchmark.
//
//   node bench/clean.mjs [--rows 1000000] [--runs 3] [--python /tmp/venv-profile-ydata/bin/python]
//
// Steps (both sides, in this order): trim + collapse inner whitespace in every text column,
// lower-case `country`, standardise `email`, fill `age` (median), `revenue` (mean), `country`
// (mode), flag `revenue` IQR outliers (k = 1.5) in a new column, drop exact duplicate rows.
// Loading is timed apart. crmlens also writes its change log (first maxLog changes + exact
// counts per rule); pandas keeps none. Not a test: it prints the row counts of both results.
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { generate, profileCsvPath } from './gen-profile.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const rows = Number(opt('--rows', 1000000));
const runs = Number(opt('--runs', 3));
const python = opt('--python', '/tmp/venv-profile-ydata/bin/python');
const file = profileCsvPath(rows);
if (!existsSync(file)) generate(rows);
const bytes = readFileSync(file);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const plan = {
  trim: 'all',
  case: { country: 'lower' },
  standardize: { email: 'email' },
  fill: { age: 'median', revenue: 'mean', country: 'mode' },
  outliers: { revenue: { method: 'iqr', action: 'flag' } },
  dedupe: true,
};
const m = await import('../pkg/node.js');
const ds = m.Dataset.fromCsv(bytes);
function run() {
  const t0 = performance.now();
  const r = ds.clean(plan);
  const t = performance.now() - t0;
  const out = { clean: t, rows: r.dataset.numRows, changes: r.log.counts };
  r.dataset.free();
  return out;
}
run();
const rs = Array.from({ length: runs }, run);
const cr = { clean: median(rs.map((r) => r.clean)), last: rs.at(-1) };
let pd = null;
try {
  pd = JSON.parse(execFileSync(python, [new URL('./clean_pandas.py', import.meta.url).pathname, '--file', file, '--runs', String(runs)],
    { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1));
} catch (e) { console.error(`pandas skipped: ${e.message.split('\n')[0]}`); }
const f = (ms) => (ms / 1000).toFixed(3);
console.log(`${file.split('/').pop()}: ${rows.toLocaleString('en')} rows × 20 columns. Median of ${runs} (crmlens after a warm-up, Node ${process.version}${pd ? `; pandas ${pd.pandas}` : ''}). Load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}.`);
console.log();
console.log('| engine | clean s | rows after | × crmlens |');
console.log('|---|---:|---:|---:|');
console.log(`| crmlens \`clean(plan)\` (with change log) | ${f(cr.clean)} | ${cr.last.rows} | 1.00 |`);
if (pd) console.log(`| pandas, same steps (no log) | ${f(pd.clean_s * 1000)} | ${pd.rows} | ${(pd.clean_s * 1000 / cr.clean).toFixed(2)} |`);
console.log();
console.log(`crmlens log counts: ${JSON.stringify(cr.last.changes)}`);
