// Shared helpers of the crmlens Node tests (not a test file itself: `node --test` only
// runs *.test.mjs). Everything here is independent of the package, so the tests can use
// it as an oracle.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** URL of a file in the shared data directory (../shared/data beside the repository). */
export function dataUrl(rel) {
  return new URL(`../../../shared/data/${rel}`, import.meta.url);
}
export function dataPath(rel) {
  return fileURLToPath(dataUrl(rel));
}
export function readData(rel) {
  return readFileSync(dataUrl(rel));
}

export const PKG = new URL('../../pkg/', import.meta.url);
export const PKG_DIR = fileURLToPath(PKG);

/**
 * A small RFC 4180 reader used as an oracle: records of `text` split on `delim`, with
 * `"` quoting, doubled quotes, CRLF or LF line ends. Returns string[][] (no type
 * conversion, no trimming); a final empty line is not a record.
 */
export function parseCsv(text, delim = ',') {
  const records = [];
  let record = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  let fieldStarted = false;
  while (i < n) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        inQuotes = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"' && !fieldStarted) { inQuotes = true; fieldStarted = true; i++; continue; }
    if (c === delim) { record.push(field); field = ''; fieldStarted = false; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n') {
      record.push(field); records.push(record);
      record = []; field = ''; fieldStarted = false; i++; continue;
    }
    field += c; fieldStarted = true; i++;
  }
  if (fieldStarted || record.length > 0) { record.push(field); records.push(record); }
  return records;
}

/** Asserts `fn` throws a CrmlensError with the given code (and optional fields); returns it. */
export function assertCrmlensError(fn, code, extra = {}) {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  checkCrmlensError(err, code, extra);
  return err;
}

export async function assertRejectsCrmlens(promiseOrFn, code, extra = {}) {
  let err;
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    err = e;
  }
  checkCrmlensError(err, code, extra);
  return err;
}

export function checkCrmlensError(err, code, extra = {}) {
  assert.ok(err !== undefined, `expected a CrmlensError ${code}, but nothing was thrown`);
  assert.ok(err instanceof Error, `expected an Error, got ${String(err)}`);
  assert.equal(err.name, 'CrmlensError', `expected name CrmlensError, got ${err.name}: ${err.message}`);
  assert.equal(err.code, code, `expected code ${code}, got ${err.code}: ${err.message}`);
  for (const [k, v] of Object.entries(extra)) assert.deepEqual(err[k], v, `error.${k} (message: ${err.message})`);
}

/** xorshift32: a small seeded PRNG so random inputs are the same on every run. */
export function prng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/**
 * A GB18030/GBK encoder built with the platform's TextDecoder('gbk' / 'gb18030') as the
 * oracle (Node has no GBK encoder): every two-byte sequence (lead 0x81-0xFE, trail 0x40-0xFE except
 * 0x7F) is decoded once to build the reverse map; characters outside it (e.g. U+22EF)
 * get GB18030 four-byte sequences, found by binary search over the four-byte index (the
 * BMP part of that index is monotonic in code points).
 */
export function makeGbEncoder() {
  const dec = new TextDecoder('gbk', { fatal: true });
  const map = new Map();
  const pair = new Uint8Array(2);
  for (let a = 0x81; a <= 0xfe; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      pair[0] = a; pair[1] = b;
      let s;
      try { s = dec.decode(pair); } catch { continue; }
      if (s.length === 1 && !map.has(s)) map.set(s, [a, b]);
    }
  }
  if (!map.has('\u20ac')) map.set('\u20ac', [0xa2, 0xe3]); // GB18030's euro sign
  const four = (idx) => {
    const b4 = idx % 10; idx = Math.floor(idx / 10);
    const b3 = idx % 126; idx = Math.floor(idx / 126);
    const b2 = idx % 10; const b1 = Math.floor(idx / 10);
    return [0x81 + b1, 0x30 + b2, 0x81 + b3, 0x30 + b4];
  };
  const dec4 = new TextDecoder('gb18030', { fatal: true });
  const decodeFour = (idx) => dec4.decode(Uint8Array.from(four(idx))).codePointAt(0);
  const encodeFour = (cp) => {
    let lo = 0, hi = 39419; // BMP four-byte range: 81 30 81 30 .. 84 31 A4 39
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const got = decodeFour(mid);
      if (got === cp) return four(mid);
      if (got < cp) lo = mid + 1; else hi = mid - 1;
    }
    throw new Error(`cannot encode U+${cp.toString(16)} in GB18030`);
  };
  return (text) => {
    const out = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0);
      if (cp < 0x80) out.push(cp);
      else if (map.has(ch)) out.push(...map.get(ch));
      else out.push(...encodeFour(cp));
    }
    return Uint8Array.from(out);
  };
}

/** Compares two datasets cell by cell (columns(), source, issues, every row). */
export function assertSameDataset(actual, expected, label = '') {
  assert.deepEqual(actual.columns(), expected.columns(), `${label} columns()`);
  assert.equal(actual.numRows, expected.numRows, `${label} numRows`);
  assert.deepEqual(actual.issues, expected.issues, `${label} issues`);
  assert.deepEqual(actual.issueCounts, expected.issueCounts, `${label} issueCounts`);
  for (const c of expected.columns()) assert.deepEqual(actual.column(c.name), expected.column(c.name), `${label} column ${c.name}`);
}
