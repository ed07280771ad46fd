// Pure helpers shared by the Node (load.mjs) and browser (browser.mjs) runners:
// medians, number formatting, and the row-count / numeric-sum cross-checks.
import { relDiff } from './parsers.mjs';

export const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const fmt = (x, d = 2) => (x == null ? '–' : x.toFixed(d));

/** MB/s (1 MB = 10^6 bytes) of decode + parse. */
export const mbps = (m) => m.bytes / 1e6 / (m.loadMs / 1000);

/** Markdown bullet lines: do all parsers agree on row counts and numeric sums (vs Papa)? */
export function checks(res, parsers) {
  const ok = parsers.filter((p) => res[p] && !res[p].error);
  const lines = [];
  const rowCounts = ok.map((p) => `${p}=${res[p].rows}`);
  const sameRows = ok.every((p) => res[p].rows === res[ok[0]].rows) && ok.every((p) => res[p].rowsAgree !== false);
  lines.push(`- row counts: ${sameRows ? 'OK' : 'MISMATCH'} (${rowCounts.join(', ')})`);
  const ref = res.papaparse && !res.papaparse.error ? 'papaparse' : ok[0];
  for (const p of ok) {
    if (p === ref) continue;
    const parts = [];
    let good = true;
    for (const [col, a] of Object.entries(res[ref].sums ?? {})) {
      const b = res[p].sums?.[col];
      const d = b ? relDiff(a.sum, b.sum) : Infinity;
      const sameCount = b && a.count === b.count;
      if (!(d <= 1e-6) || !sameCount) good = false;
      parts.push(`${col} Σ rel.diff ${d === Infinity ? 'missing' : d.toExponential(1)}${sameCount ? '' : ` count ${b?.count} vs ${a.count}`}`);
    }
    lines.push(`- ${p} vs ${ref} numeric sums: ${good ? 'OK' : 'MISMATCH'} (${parts.join('; ')})`);
  }
  if (res[ref]?.sums) lines.push(`- reference sums (${ref}): ${Object.entries(res[ref].sums).map(([c, s]) => `${c} Σ=${s.sum.toFixed(2)} over ${s.count} non-null`).join('; ')}`);
  return lines.join('\n');
}
