// A view's kept result as plain JSON and back, for the encrypted workspace save (lib/vault.js):
// typed arrays (segment labels and projection, sentiment scores) become base64 of their bytes,
// Maps their entries, and NaN / ±Infinity a marker, so what comes back is what was kept.

const TYPED = { Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, Uint8ClampedArray };

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** A JSON-safe copy of `value` (typed arrays, Maps, Sets, non-finite numbers kept by markers). */
export function pack(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $num: String(value) };
  if (value === null || typeof value !== 'object') return value === undefined ? null : value;
  if (ArrayBuffer.isView(value) && TYPED[value.constructor.name]) {
    return { $typed: value.constructor.name, b64: toBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
  }
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [pack(k), pack(v)]) };
  if (value instanceof Set) return { $set: [...value].map(pack) };
  if (Array.isArray(value)) return value.map(pack);
  const out = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined && typeof v !== 'function') out[k] = pack(v);
  return out;
}

/** The value `pack` was given (typed arrays of the same kind, Maps, Sets, NaN back). */
export function unpack(value) {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(unpack);
  if (typeof value.$num === 'string' && Object.keys(value).length === 1) return Number(value.$num);
  if (typeof value.$typed === 'string' && typeof value.b64 === 'string') {
    const Kind = TYPED[value.$typed];
    if (!Kind) throw new Error(`unknown array type ${value.$typed}`);
    const bytes = fromBase64(value.b64);
    return new Kind(bytes.buffer, 0, bytes.byteLength / Kind.BYTES_PER_ELEMENT);
  }
  if (Array.isArray(value.$map)) return new Map(value.$map.map(([k, v]) => [unpack(k), unpack(v)]));
  if (Array.isArray(value.$set)) return new Set(value.$set.map(unpack));
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = unpack(v);
  return out;
}
