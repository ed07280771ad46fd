// Formatting of numbers, sizes and values for display (never used to change data).

const intFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const pctFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

export function fmtInt(n) {
  return intFormat.format(n);
}

/** Share of a whole, e.g. 0.16%; "<0.1%" for tiny non-zero shares. */
export function fmtShare(part, whole) {
  if (!whole || !part) return pctFormat.format(0);
  const share = part / whole;
  return share < 0.001 ? `<${pctFormat.format(0.001)}` : pctFormat.format(share);
}

/** Decimal units (1 KB = 1000 B), as file managers show them. */
export function fmtBytes(n) {
  if (!Number.isFinite(n)) return '?';
  if (n < 1000) return `${fmtInt(n)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  do { v /= 1000; u++; } while (v >= 1000 && u < units.length - 1);
  const digits = v < 10 ? 2 : v < 100 ? 1 : 0;
  return `${new Intl.NumberFormat(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v)} ${units[u]}`;
}

export function fmtDuration(ms) {
  if (ms < 1000) return `${Math.max(1, Math.round(ms))} ms`;
  return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

const DELIMITERS = { lines: 'none: one text value per line', ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe', whitespace: 'whitespace', ' ': 'space' };

/** "comma (,)", "tab", ... ; "—" when there is none (JSON). */
export function fmtDelimiter(d) {
  if (d == null || d === '') return '—';
  const name = DELIMITERS[d];
  if (!name) return JSON.stringify(d);
  return d.length === 1 && d.trim() ? `${name} (${d})` : name;
}

/** Cell text for a value of a column of the given type; null for a missing value. */
export function fmtCell(value, type) {
  if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (type === 'datetime' && typeof value === 'string') return value.replace('T', ' ');
  return String(value);
}

export const NUMERIC_TYPES = new Set(['int64', 'float64']);
