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

const dec1 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

// ---------- money: the currency the user picks (top bar), by default the locale's ----------

/** Currencies offered in the picker ('' = plain numbers, no currency sign). */
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CNY', 'JPY', 'INR', 'CAD', 'AUD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'BRL', 'MXN', 'KRW', 'HKD', 'TWD', 'SGD', 'ZAR', 'TRY', 'AED', 'NZD'];
const EURO = 'AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK'.split(' ');
const BY_REGION = { US: 'USD', GB: 'GBP', CN: 'CNY', JP: 'JPY', IN: 'INR', CA: 'CAD', AU: 'AUD', CH: 'CHF', LI: 'CHF', SE: 'SEK', NO: 'NOK', DK: 'DKK',
  PL: 'PLN', CZ: 'CZK', BR: 'BRL', MX: 'MXN', KR: 'KRW', HK: 'HKD', TW: 'TWD', SG: 'SGD', ZA: 'ZAR', TR: 'TRY', AE: 'AED', NZ: 'NZD' };
const STORE_KEY = 'crmlens-currency';

/** The currency of the browser's locale (its region: en-GB → GBP, de-AT → EUR, zh → CNY), or '' when unknown. */
export function localeCurrency(locale = globalThis.navigator?.language) {
  try {
    const region = new Intl.Locale(locale).maximize().region;
    return EURO.includes(region) ? 'EUR' : BY_REGION[region] ?? '';
  } catch {
    return '';
  }
}

function storedCurrency() {
  try {
    const v = localStorage.getItem(STORE_KEY);
    return v === null ? null : v;
  } catch {
    return null; // storage blocked: the locale's default
  }
}

let currency = storedCurrency() ?? localeCurrency();
let moneyFormat = null;
let moneyShort = null;
function formats() {
  if (!moneyFormat) {
    const style = currency ? { style: 'currency', currency, currencyDisplay: 'narrowSymbol' } : {};
    moneyFormat = new Intl.NumberFormat(undefined, { ...style, ...(currency ? {} : { minimumFractionDigits: 2, maximumFractionDigits: 2 }) });
    moneyShort = new Intl.NumberFormat(undefined, { ...style, notation: 'compact', maximumSignificantDigits: 3 });
  }
  return [moneyFormat, moneyShort];
}

/** The currency amounts are shown in ('' = plain numbers). */
export const currencyCode = () => currency;

/** Shows amounts in `code` from now on (kept in this browser; '' = plain numbers); views re-render on the window event 'currency'. */
export function setCurrency(code) {
  const next = CURRENCIES.includes(code) ? code : '';
  if (next === currency) return;
  currency = next;
  moneyFormat = moneyShort = null;
  try { localStorage.setItem(STORE_KEY, currency); } catch { /* storage blocked: for this tab only */ }
  window.dispatchEvent(new Event('currency'));
}

/** An amount in the chosen currency with thousands separators ("$1,234.50"); "—" when missing. */
export function fmtMoney(v) {
  return Number.isFinite(v) ? formats()[0].format(v) : '—';
}

/** A short amount for chart axes ("$1.2K"); "—" when missing. */
export function fmtMoneyShort(v) {
  return Number.isFinite(v) ? formats()[1].format(v) : '—';
}

/** True for a column that holds amounts of money, by its name (clv, monetary, amount, price, TotalCharges, balance…). */
export function isMoney(name) {
  const n = String(name);
  if (/^(baseValue|factor\d+.*)$/.test(n) || /count|qty|quantity|score|share|rate|percent|pct|number|items|days|weeks|months|tenure|probab/i.test(n) || /^age$/i.test(n)) return false;
  return /^(clv|monetary|expectedSpend)$/.test(n) || /amount|spend|revenue|value|price|total|charge|balance|income|salary|cost|fee|payment|sales|金额|价格|消费/i.test(n);
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

const monthFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', timeZone: 'UTC' });

/** A month as a month ("Jan 1997") from "1997-01"; the text itself when it is not one. */
export function fmtMonth(v) {
  const m = /^(\d{4})-(\d{2})$/.exec(String(v ?? ''));
  return m ? monthFormat.format(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)) : String(v ?? '—');
}

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
  sentimentMean: 'mean sentiment score of their reviews, from −1 (very negative) to 1 (very positive)',
  negativeShare: 'share of their reviews that read as negative',
  probability: 'the model\'s chance of the predicted outcome, 0–100%',
  nextAction: 'what the rules say to do next (the most urgent open rule event)',
  group: 'the group of similar customers the Segments view put them in',
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

const sig3 = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** A number from the engine for reading: 3 significant digits (whole numbers from 1,000 up), money in the chosen currency when `name` is an amount. */
export function fmtReadable(v, name = '') {
  if (!Number.isFinite(v)) return '—';
  if (name && isMoney(name)) return fmtMoney(v);
  if (Number.isInteger(v)) return fmtInt(v);
  return Math.abs(v) >= 1000 ? whole.format(v) : sig3.format(v);
}

/**
 * A rule event's reason ("probability = 0.7836852157482211, tenure = 5") for reading: each
 * number rounded by fmtReadable, money in the chosen currency ("probability = 0.784,
 * MonthlyCharges = $89.10"); the export keeps every digit.
 */
export function fmtReason(text) {
  if (text == null) return '';
  return String(text).replace(/(^|, )([^,=]+?) = (-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?=, |$)/g,
    (_, lead, name, num) => `${lead}${name} = ${fmtReadable(Number(num), name)}`);
}

/**
 * What an alert means, in plain words, for the alerts whose message is the engine's jargon
 * (a skewness, 1.5·IQR, a modified z-score); the others already say it plainly.
 */
const ALERT_PLAIN = {
  skewed: (a) => (a.value < 0 ? 'a few very small values pull the average down' : 'a few very large values pull the average up'),
  outliers: () => 'some values lie far from the rest',
};
/** "a few very large values pull the average up (skewness 5.86)". */
export const alertText = (a) => {
  const plain = ALERT_PLAIN[a.kind]?.(a);
  return plain ? `${plain} (${a.message})` : a.message;
};
