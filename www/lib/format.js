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

const moneyFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const dec1 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** An amount with thousands separators and cents ("1,234.50"); "—" when missing. */
export function fmtMoney(v) {
  return Number.isFinite(v) ? moneyFormat.format(v) : '—';
}

/** A number with thousands separators and up to `digits` decimals; "—" when missing. */
export function fmtNum(v, digits = 1) {
  if (!Number.isFinite(v)) return '—';
  return digits === 1 ? dec1.format(v) : new Intl.NumberFormat(undefined, { maximumFractionDigits: digits }).format(v);
}

/** A probability as a percentage ("87%"); "—" when missing. */
export function fmtPct(v) {
  return Number.isFinite(v) ? `${Math.round(100 * v)}%` : '—';
}

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A date as a date ("Jan 5, 1997") from "1997-01-05", milliseconds or a Date; "—" when missing. */
export function fmtDate(v) {
  if (v === null || v === undefined || v === '') return '—';
  const d = v instanceof Date ? v : typeof v === 'number' ? new Date(v) : new Date(`${String(v).slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? String(v) : dateFormat.format(d);
}

/** Plain-language names shown next to the statistical ones. */
export const PLAIN = {
  pAlive: 'P(alive): chance the customer still buys',
  clv: 'CLV: expected spend over the horizon, discounted',
  expectedPurchases: 'expected purchases over the horizon',
  expectedSpend: 'expected spend per purchase',
  frequency: 'repeat purchases',
  recency: 'age at last purchase (weeks since first)',
  T: 'weeks since first purchase',
  monetary: 'mean spend per repeat purchase',
  rfm: 'RFM score (recency, frequency, money; 5 = best)',
  silhouette: 'silhouette: how well separated the groups are (−1 to 1)',
  alpha: 'α: scale of the purchase rate',
  r: 'r: shape of the purchase rate',
};

/** A plain reading of a customer's value figures ("likely still active; expected 2.3 purchases in the next 12 months"). */
export function plainValue({ pAlive, expectedPurchases, clv }, horizonMonths = 12) {
  const parts = [];
  if (Number.isFinite(pAlive)) {
    parts.push(pAlive >= 0.7 ? 'likely still active' : pAlive >= 0.3 ? 'may have stopped buying' : 'probably no longer buying');
  }
  if (Number.isFinite(expectedPurchases)) parts.push(`expected ${fmtNum(expectedPurchases, 1)} purchases in the next ${horizonMonths} months`);
  if (Number.isFinite(clv)) parts.push(`worth about ${fmtMoney(clv)} over that time`);
  return parts.join('; ');
}
