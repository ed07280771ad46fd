// Deterministic generator of the 20-column customer table for the profile benchmark.
//
//   node bench/gen-profile.mjs [N=1000000] [--seed 7] [--out path]
//
// Writes bench/out/profile_<N>x20.csv in ~1 MiB batches (memory stays flat). Columns: ids and
// emails (unique text), 4 categorical columns (skewed), a date, a boolean, 6 integer and 5
// decimal columns with missing values, zeros, negatives, sentinels (-1) and heavy tails, and
// free-text notes (40 % empty, some with a phone number or an email in them).
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'out');
export const profileCsvPath = (n) => join(OUT_DIR, `profile_${n}x20.csv`);

function rng(seed) {
  let a = seed >>> 0 || 1, b = 0x9e3779b9, c = 0x85ebca6b, d = 0xc2b2ae35;
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

const COUNTRIES = ['China', 'United States', 'Germany', 'United Kingdom', 'France', 'Japan', 'India', 'Brazil', 'Canada', 'Spain',
  'Italy', 'Mexico', 'Australia', 'Netherlands', 'Sweden', 'Poland', 'Korea', 'Turkey', 'Norway', 'Chile'];
const SEGMENTS = ['consumer', 'corporate', 'home office', 'small business', 'enterprise'];
const CHANNELS = ['web', 'app', 'store', 'phone', 'partner', 'email', 'social', 'referral'];
const WORDS = ['great', 'slow', 'delivery', 'refund', 'price', 'quality', 'support', 'again', 'late', 'happy', 'broken', 'size'];
export const HEADER = ['customer_id', 'email', 'country', 'segment', 'channel', 'gender', 'signup_date', 'is_active',
  'age', 'orders', 'tenure_days', 'visits', 'returns', 'nps', 'revenue', 'avg_basket', 'discount', 'score', 'balance', 'notes'];

export function generate(n, seed = 7, out = profileCsvPath(n)) {
  mkdirSync(dirname(out), { recursive: true });
  const r = rng(seed);
  const pick = (xs, skew = 1) => xs[Math.floor(xs.length * Math.pow(r(), skew))];
  const normal = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const fd = openSync(out, 'w');
  let buf = HEADER.join(',') + '\n';
  const day0 = Date.UTC(2015, 0, 1);
  for (let i = 0; i < n; i++) {
    const id = 'C' + String(i + 1).padStart(7, '0');
    const orders = Math.floor(-Math.log(r() + 1e-12) * 4);
    const revenue = r() < 0.02 ? '' : (Math.exp(3 + normal()) * (1 + orders)).toFixed(2);
    const notes = r() < 0.4 ? '' : Array.from({ length: 1 + Math.floor(r() * 6) }, () => pick(WORDS)).join(' ') +
      (r() < 0.03 ? ' call 13' + String(Math.floor(r() * 1e9)).padStart(9, '0') : '');
    const row = [
      id,
      `user${i}@example.com`,
      pick(COUNTRIES, 2.2),
      pick(SEGMENTS, 1.5),
      pick(CHANNELS, 1.3),
      r() < 0.01 ? '' : (r() < 0.5 ? 'F' : 'M'),
      new Date(day0 + Math.floor(r() * 3650) * 86400000).toISOString().slice(0, 10),
      r() < 0.7 ? 'true' : 'false',
      r() < 0.03 ? '' : String(18 + Math.floor(r() * 70)),
      String(orders),
      String(Math.floor(r() * 3650)),
      String(Math.floor(-Math.log(r() + 1e-12) * 30)),
      String(r() < 0.9 ? 0 : 1 + Math.floor(r() * 5)),
      r() < 0.05 ? '-1' : String(Math.floor(r() * 11)),
      revenue,
      (Math.exp(2 + 0.5 * normal())).toFixed(2),
      (r() * 0.5).toFixed(3),
      (50 + 15 * normal()).toFixed(4),
      (1000 * normal() + 200).toFixed(2),
    ];
    row.push(notes);
    buf += row.join(',') + '\n';
    if (buf.length > 1 << 20) { writeSync(fd, buf); buf = ''; }
  }
  writeSync(fd, buf);
  closeSync(fd);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 1000000);
  const s = args.indexOf('--seed');
  const o = args.indexOf('--out');
  console.log(generate(n, s >= 0 ? Number(args[s + 1]) : 7, o >= 0 ? args[o + 1] : profileCsvPath(n)));
}
