// dataset.toBytes(): the Dataset in crmlens's compact binary form (src/table/bytes.rs,
// version 1), to hand a table to a lazily loaded wasm module, which has its own memory and
// reads it with the checking `Dataset::from_bytes`. Written here, in JS, from the Dataset's
// public accessors, because the core .wasm has no room in its size budget for an encoder
// (the Rust `Dataset::to_bytes` cost ~2.1 KB gzipped there). tests/js/modules.test.mjs checks
// that the Rust reader re-encodes these bytes to the same bytes.
const TYPES = ['int64', 'float64', 'bool', 'date', 'datetime', 'category', 'text'];
const ROLES = ['id', 'email', 'phone', 'money', 'percent', 'postalCode', 'country', 'city', 'url', 'freeText'];
const DAY_MS = 86_400_000;

class Writer {
  constructor(size) {
    this.buf = new Uint8Array(Math.max(64, size));
    this.view = new DataView(this.buf.buffer);
    this.at = 0;
    this.utf8 = new TextEncoder();
  }
  room(n) {
    if (this.at + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v) { this.room(1); this.buf[this.at++] = v; }
  u16(v) { this.room(2); this.view.setUint16(this.at, v, true); this.at += 2; }
  u32(v) { this.room(4); this.view.setUint32(this.at, v, true); this.at += 4; }
  u64(v) { this.room(8); this.view.setBigUint64(this.at, BigInt(v), true); this.at += 8; }
  i64(v) { this.room(8); this.view.setBigInt64(this.at, BigInt(v), true); this.at += 8; }
  i32(v) { this.room(4); this.view.setInt32(this.at, v, true); this.at += 4; }
  f64(v) { this.room(8); this.view.setFloat64(this.at, v, true); this.at += 8; }
  raw(b) { this.room(b.length); this.buf.set(b, this.at); this.at += b.length; }
  str(s) { const b = this.utf8.encode(s); this.u32(b.length); this.raw(b); }
  optStr(s) { this.u8(s == null ? 0 : 1); if (s != null) this.str(s); }
  bytes() { return this.buf.slice(0, this.at); }
}

/** The bytes of `ds` (a Dataset of this package). */
export function datasetToBytes(ds) {
  const rows = ds.numRows;
  const cols = ds.columns();
  const w = new Writer(rows * cols.length * 8 + 1024);
  w.raw([0x43, 0x52, 0x4d, 0x54]); // "CRMT"
  w.u16(1);
  w.u16(0);
  w.u64(rows);
  w.u32(cols.length);
  const s = ds.source;
  w.str(s.format); w.str(s.encoding); w.optStr(s.delimiter); w.u8(s.header ? 1 : 0);
  for (const v of [s.bytes, s.records, s.skippedRows, s.repairedRows]) w.u64(v);
  w.u8(s.truncated ? 1 : 0);
  const issues = ds.issues;
  w.u32(issues.length);
  for (const i of issues) {
    w.u64(i.line);
    w.u8(i.column == null ? 0 : 1);
    if (i.column != null) w.u64(i.column);
    w.str(i.kind); w.str(i.action); w.str(i.message);
  }
  const counts = ds.issueCounts;
  w.u32(counts.length);
  for (const c of counts) { w.str(c.kind); w.str(c.action); w.u64(c.count); }
  for (const c of cols) writeColumn(w, ds, c, rows);
  return w.bytes();
}

function writeColumn(w, ds, c, rows) {
  w.str(c.name);
  w.u8(TYPES.indexOf(c.type));
  w.u8(c.role == null ? 0 : ROLES.indexOf(c.role) + 1);
  w.optStr(c.format);
  w.u32(c.missingTokens.length);
  for (const [t, n] of c.missingTokens) { w.str(t); w.u64(n); }
  w.u32(c.warnings.length);
  for (const x of c.warnings) w.str(x);
  w.u8(0); // utc: not visible from JS (it only adds the `Z` when the column is written as text)
  const temporal = c.type === 'date' || c.type === 'datetime';
  const values = temporal ? ds.timestamps(c.name) : ds.column(c.name);
  const isNull = (v) => v === null || (typeof v === 'number' && Number.isNaN(v));
  switch (c.type) {
    case 'int64': for (const v of values) w.i64(isNull(v) ? 0 : v); break;
    case 'datetime': for (const v of values) w.i64(isNull(v) ? 0 : v); break;
    case 'float64': for (const v of values) w.f64(isNull(v) ? 0 : v); break;
    case 'bool': for (const v of values) w.u8(v === true ? 1 : 0); break;
    case 'date': for (const v of values) w.i32(isNull(v) ? 0 : Math.round(v / DAY_MS)); break;
    case 'category': {
      const dict = new Map();
      for (const v of values) if (v !== null && !dict.has(v)) dict.set(v, dict.size);
      w.u32(dict.size);
      for (const k of dict.keys()) w.str(k);
      for (const v of values) w.u32(v === null ? 0 : dict.get(v));
      break;
    }
    case 'text': {
      const parts = values.map((v) => w.utf8.encode(v ?? ''));
      w.u64(parts.reduce((n, p) => n + p.length, 0));
      for (const p of parts) w.raw(p);
      let end = 0;
      for (const p of parts) { end += p.length; w.u64(end); }
      break;
    }
    default: throw Object.assign(new Error(`toBytes: unknown column type ${c.type}`), { name: 'CrmlensError', code: 'INVALID_STATE' });
  }
  w.u8(c.nullCount > 0 ? 1 : 0);
  if (c.nullCount > 0) {
    for (let b = 0; b < rows; b += 8) {
      let byte = 0;
      for (let k = 0; k < 8 && b + k < rows; k++) if (!isNull(values[b + k])) byte |= 1 << k;
      w.u8(byte);
    }
  }
}

/** Adds `toBytes()` to the Dataset class (index.js, node.js, worker-entry.js). */
export function defineToBytes(Dataset) {
  if (!Object.hasOwn(Dataset.prototype, 'toBytes')) {
    Object.defineProperty(Dataset.prototype, 'toBytes', { value() { return datasetToBytes(this); }, writable: true, configurable: true });
  }
}
