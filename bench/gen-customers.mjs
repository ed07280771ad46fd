// Deterministic generator of a realistic customer CSV for the loading benchmark.
//
//   node bench/gen-customers.mjs [N=1000000] [--seed 42] [--cols a,b,c] [--out path]
//
// Writes bench/out/customers_<N>.csv (or customers_<N>_<cols>.csv with --cols, which
// keeps only the named columns, for the per-type breakdown). Rows are produced and
// written in ~1 MiB batches, so memory stays flat whatever N is. The same N and seed
// always give byte-identical output.
//
// Columns: customer_id (text C0001234), signup_date (YYYY-MM-DD), last_order
// (YYYY-MM-DDTHH:MM:SSZ), country (30 values, skewed), city (300 values, 10 per
// country, some accented Latin-1 letters), segment (5 values), age (int, ~3% empty),
// orders (int), revenue (money with 2 decimals, ~2% empty), is_active (true/false),
// email (text), notes (free text, ~40% empty, some quoted with commas and "" quotes).
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const COLUMNS = ['customer_id', 'signup_date', 'last_order', 'country', 'city', 'segment', 'age', 'orders', 'revenue', 'is_active', 'email', 'notes'];
export const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'out');

/** Path of the generated file for n rows and an optional column subset. */
export function csvPath(n, cols = null) {
  return join(OUT_DIR, cols ? `customers_${n}_${cols.join('-')}.csv` : `customers_${n}.csv`);
}

// sfc32 seeded from splitmix32: small, fast and good enough for synthetic data.
function makeRng(seed) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

const COUNTRIES = [
  'United States', 'United Kingdom', 'Germany', 'France', 'Canada', 'Australia', 'Netherlands', 'Spain', 'Italy', 'Sweden',
  'Brazil', 'Mexico', 'Japan', 'India', 'Ireland', 'Belgium', 'Switzerland', 'Austria', 'Denmark', 'Norway',
  'Finland', 'Portugal', 'Poland', 'New Zealand', 'Singapore', 'South Africa', 'Argentina', 'Chile', 'Czechia', 'Israel',
];
const SEGMENTS = ['Consumer', 'SMB', 'Mid-Market', 'Enterprise', 'Partner'];
const SEGMENT_W = [0.46, 0.28, 0.14, 0.07, 0.05];
const FIRST = ['james', 'mary', 'john', 'patricia', 'robert', 'jennifer', 'michael', 'linda', 'william', 'elizabeth', 'david', 'barbara',
  'richard', 'susan', 'joseph', 'jessica', 'thomas', 'sarah', 'charles', 'karen', 'luca', 'sofia', 'lukas', 'emma', 'hugo', 'lea',
  'noah', 'mia', 'liam', 'olivia', 'mateo', 'valentina', 'yuki', 'hana', 'arjun', 'priya', 'oscar', 'freja', 'finn', 'ingrid'];
const LAST = ['smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez',
  'lopez', 'wilson', 'anderson', 'taylor', 'thomas', 'moore', 'martin', 'jackson', 'lee', 'muller', 'schmidt', 'schneider',
  'fischer', 'dubois', 'moreau', 'rossi', 'russo', 'silva', 'santos', 'tanaka', 'suzuki', 'sharma', 'patel', 'jensen',
  'hansen', 'nielsen', 'kowalski', 'novak', 'murphy'];
const DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me', 'gmx.de', 'orange.fr', 'acme.io', 'example.org', 'web.de'];
const NOTE_PHRASES = [
  'Prefers email contact', 'Asked for a discount', 'VIP', 'Renewal due next quarter', 'Complained about shipping delay',
  'Interested in premium plan', 'Referred by a friend', 'Do not call', 'Pays by invoice', 'Churn risk',
  'Upgraded last month', 'Requested a demo', 'Left voicemail', 'Needs follow-up', 'Happy with support',
];
const NOTES_WITH_COMMAS = [
  'Called twice, no answer', 'Likes the product, but price is an issue', 'Moved to Berlin, update address',
  'Wants invoices in EUR, not USD', 'Spoke to manager, promised callback', 'Returned item, refund issued',
];
const NOTES_WITH_QUOTES = ['Said "call me after 5pm"', 'Wrote "great service", will renew', 'Asked about the "family" bundle'];

// City names: built from syllables, 10 per country, fixed by their own seed so the
// vocabulary never depends on N.
function makeCities() {
  const rng = makeRng(7);
  const pre = ['Nor', 'Val', 'Ost', 'San', 'Ber', 'Mar', 'Kel', 'Ash', 'Bro', 'Lin', 'Cas', 'Dun', 'Eri', 'Fal', 'Gre', 'Hal', 'Sø', 'Mün', 'Cré', 'Åre'];
  const mid = ['', '', 'a', 'e', 'o', 'en', 'ar', 'il', 'ó', 'ü'];
  const suf = ['burg', 'ton', 'ville', 'field', 'port', 'stad', 'heim', 'mouth', 'dale', 'ford', 'haven', 'bridge', 'sund', 'lund', 'ia'];
  const seen = new Set();
  const out = [];
  for (let c = 0; c < COUNTRIES.length; c++) {
    const list = [];
    while (list.length < 10) {
      let name = pre[(rng() * pre.length) | 0] + mid[(rng() * mid.length) | 0] + suf[(rng() * suf.length) | 0];
      if (rng() < 0.12) name = (rng() < 0.5 ? 'New ' : 'Port ') + name;
      if (rng() < 0.08) name = 'Saint-' + name;
      if (seen.has(name)) continue;
      seen.add(name);
      list.push(name);
    }
    out.push(list);
  }
  return out;
}

const DAY = 86400000;
const START = Date.UTC(2015, 0, 1);
const SIGNUP_SPAN = Date.UTC(2024, 11, 31) - START;
const END = Date.UTC(2025, 5, 30);
const pad2 = (n) => (n < 10 ? '0' + n : '' + n);
function isoDate(ms) {
  const d = new Date(ms);
  return d.getUTCFullYear() + '-' + pad2(d.getUTCMonth() + 1) + '-' + pad2(d.getUTCDate());
}
function isoDateTime(ms) {
  const d = new Date(ms);
  return isoDate(ms) + 'T' + pad2(d.getUTCHours()) + ':' + pad2(d.getUTCMinutes()) + ':' + pad2(d.getUTCSeconds()) + 'Z';
}
function quote(s) {
  return /[",\n\r]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
}

/** Writes n rows to path; returns { path, bytes, rows }. */
export function generate(n, { seed = 42, cols = null, path = csvPath(n, cols) } = {}) {
  const keep = (cols ?? COLUMNS).map((c) => {
    const i = COLUMNS.indexOf(c);
    if (i < 0) throw new Error(`unknown column ${c}; columns are ${COLUMNS.join(',')}`);
    return i;
  });
  const rng = makeRng(seed);
  const cities = makeCities();
  // Zipf-like weights for countries and cities: a few big ones, a long tail.
  const zipf = (k) => { const w = Array.from({ length: k }, (_, i) => 1 / (i + 1) ** 0.9); const s = w.reduce((a, b) => a + b); let acc = 0; return w.map((x) => (acc += x / s)); };
  const countryCdf = zipf(COUNTRIES.length);
  const cityCdf = zipf(10);
  const segCdf = SEGMENT_W.reduce((a, w) => (a.push((a.at(-1) ?? 0) + w), a), []);
  const pick = (cdf) => { const r = rng(); let i = 0; while (i < cdf.length - 1 && r >= cdf[i]) i++; return i; };
  const normal = () => { let s = 0; for (let i = 0; i < 4; i++) s += rng(); return (s - 2) / 0.577; };

  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  let bytes = 0;
  let buf = keep.map((i) => COLUMNS[i]).join(',') + '\n';
  const fields = new Array(12);
  try {
    for (let r = 0; r < n; r++) {
      const signup = START + Math.floor(rng() * SIGNUP_SPAN / DAY) * DAY;
      const last = signup + Math.floor(rng() * (END - signup));
      const ci = pick(countryCdf);
      const seg = pick(segCdf);
      const orders = Math.floor(-Math.log(1 - rng()) * (seg >= 3 ? 40 : 8));
      const basket = 15 + rng() * (seg >= 3 ? 900 : 120);
      const first = FIRST[(rng() * FIRST.length) | 0];
      const lastName = LAST[(rng() * LAST.length) | 0];
      const nr = rng();
      let notes = '';
      if (nr < 0.6) {
        const k = rng();
        notes = k < 0.12 ? NOTES_WITH_COMMAS[(rng() * NOTES_WITH_COMMAS.length) | 0]
          : k < 0.15 ? NOTES_WITH_QUOTES[(rng() * NOTES_WITH_QUOTES.length) | 0]
            : k < 0.35 ? NOTE_PHRASES[(rng() * NOTE_PHRASES.length) | 0] + '; ' + NOTE_PHRASES[(rng() * NOTE_PHRASES.length) | 0]
              : NOTE_PHRASES[(rng() * NOTE_PHRASES.length) | 0];
      }
      const age = Math.min(90, Math.max(18, Math.round(42 + 13 * normal())));
      fields[0] = 'C' + String(r + 1).padStart(7, '0');
      fields[1] = isoDate(signup);
      fields[2] = isoDateTime(last);
      fields[3] = COUNTRIES[ci];
      fields[4] = quote(cities[ci][pick(cityCdf)]);
      fields[5] = SEGMENTS[seg];
      fields[6] = rng() < 0.03 ? '' : String(age);
      fields[7] = String(orders);
      fields[8] = rng() < 0.02 ? '' : (orders * basket).toFixed(2);
      fields[9] = rng() < 0.72 ? 'true' : 'false';
      fields[10] = first + '.' + lastName + ((rng() * 1000) | 0) + '@' + DOMAINS[(rng() * DOMAINS.length) | 0];
      fields[11] = quote(notes);
      let line = fields[keep[0]];
      for (let j = 1; j < keep.length; j++) line += ',' + fields[keep[j]];
      buf += line + '\n';
      if (buf.length > 1 << 20) { bytes += writeSync(fd, buf); buf = ''; }
    }
    if (buf) bytes += writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
  return { path, bytes, rows: n };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); if (i < 0) return undefined; const v = args[i + 1]; args.splice(i, 2); return v; };
  const seed = Number(opt('--seed') ?? 42);
  const cols = opt('--cols')?.split(',');
  const out = opt('--out');
  const n = Number((args[0] ?? '1000000').replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) throw new Error('usage: node bench/gen-customers.mjs [rows] [--seed S] [--cols a,b] [--out path]');
  const t = performance.now();
  const res = generate(n, { seed, cols, ...(out ? { path: out } : {}) });
  console.log(`wrote ${res.path}: ${res.rows} rows, ${(res.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
