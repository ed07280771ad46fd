// The one place JS code builds a CrmlensError: the same shape as the errors the Rust layer
// throws (an `Error` named "CrmlensError" with a stable `code`, and `line` / `column` /
// `field` where known), so callers test `e.code` whatever layer failed.

const EXTRA = ['code', 'line', 'column', 'field', 'hint', 'kind'];

/** A CrmlensError with `code` (e.g. "INVALID_STATE", "INVALID_OPTION", "ABORTED") and optional `{ line, column, field, kind }`. */
export function crmlensError(code, message, extra = {}) {
  const e = new Error(message);
  e.name = 'CrmlensError';
  e.code = code;
  for (const k of EXTRA) if (k !== 'code' && extra[k] !== undefined && extra[k] !== null) e[k] = extra[k];
  return e;
}

/** The plain, structured-clone-safe description of an error (what the worker posts to the page). */
export function errorInfo(e) {
  const info = { name: e?.name ?? 'Error', message: e?.message ?? String(e) };
  for (const k of EXTRA) if (e?.[k] !== undefined) info[k] = e[k];
  return info;
}

/** The Error described by `errorInfo(e)` (on the page, from the worker's message). */
export function rebuildError(info) {
  const e = new Error(info.message);
  e.name = info.name;
  for (const k of EXTRA) if (info[k] !== undefined) e[k] = info[k];
  return e;
}
