// Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) from the lazily loaded wasm module `sheets`
// (src/ext/sheets, calamine): its .wasm is fetched on the first call, which is why these
// functions are async. The module reads the workbook in its own memory and hands the table
// back as Dataset bytes, which the core reads with Dataset.fromBytes.
//
// No import() and no loader of its own here: the caller passes the loader (the page's
// modules.js, or the worker's createLoader), so the worker entry can use this file too.
import { crmlensError } from './errors.js';

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Whether bytes start like a workbook: an OLE2 compound file (.xls) or a ZIP (.xlsx, .ods). */
export function looksLikeWorkbook(head) {
  const b = head instanceof Uint8Array ? head : new Uint8Array(head);
  if (b.length >= 8 && OLE2.every((v, i) => b[i] === v)) return true;
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
}

const isBlob = (x) => typeof Blob !== 'undefined' && x instanceof Blob;

async function bytesOf(input, what) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (isBlob(input)) return new Uint8Array(await input.arrayBuffer());
  throw crmlensError('INVALID_OPTION', `${what}: expected the workbook as a Uint8Array, an ArrayBuffer or a Blob/File`, { field: 'input' });
}

const aborted = () => crmlensError('ABORTED', 'the load was aborted');

/** The workbook kind its first bytes tell (for errors): "xls" (OLE2), "xlsx" (ZIP) or "binary". */
function kindOf(b) {
  if (b.length >= 8 && OLE2.every((v, i) => b[i] === v)) return 'xls';
  return looksLikeWorkbook(b) ? 'xlsx' : 'binary';
}

/**
 * Calls the module. A damaged workbook can make the reader (calamine) panic, which in wasm
 * is a trap (`WebAssembly.RuntimeError`): it becomes `NOT_A_TABLE`, so no trap reaches the
 * caller. The module instance stays usable (the trap unwinds no Rust frames: the few KB
 * of its shadow stack and the copy of the input are not given back).
 */
function guarded(call, bytes) {
  try {
    return call();
  } catch (e) {
    if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) {
      throw crmlensError('NOT_A_TABLE', `not a table (${kindOf(bytes)}): the workbook is damaged; its reader stopped on it (${e.message})`, { kind: kindOf(bytes) });
    }
    throw e;
  }
}

/** Splits the JS-only controls from the options the module reads (as JSON). */
function controls(options) {
  if (options != null && (typeof options !== 'object' || Array.isArray(options))) {
    throw crmlensError('INVALID_OPTION', 'options must be an object', { field: 'options' });
  }
  const { onProgress, signal, ...rest } = options ?? {};
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw crmlensError('INVALID_OPTION', 'onProgress must be a function', { field: 'onProgress' });
  }
  if (signal !== undefined && (signal === null || typeof signal.aborted !== 'boolean')) {
    throw crmlensError('INVALID_OPTION', 'signal must be an AbortSignal', { field: 'signal' });
  }
  for (const [k, v] of Object.entries(rest)) {
    // JSON would drop a function silently: say so instead (the lifecycle rule of every option).
    if (typeof v === 'function') throw crmlensError('INVALID_OPTION', `${k} must not be a function`, { field: k });
  }
  return { onProgress, signal, rest };
}

/**
 * Adds `Dataset.sheets`, `Dataset.fromExcel` and workbook reading to `Dataset.fromFile`,
 * over `loadModule` (which fetches the `sheets` module on first use).
 */
export function defineSheets(Dataset, loadModule) {
  async function sheets(input) {
    const bytes = await bytesOf(input, 'Dataset.sheets');
    const m = await loadModule('sheets');
    return guarded(() => m.sheetNames(bytes), bytes);
  }

  async function fromExcel(input, options) {
    const { onProgress, signal, rest } = controls(options);
    if (signal?.aborted) throw aborted();
    const bytes = await bytesOf(input, 'Dataset.fromExcel');
    const total = bytes.length;
    onProgress?.({ bytesRead: 0, totalBytes: total, rows: 0 });
    const m = await loadModule('sheets');
    if (signal?.aborted) throw aborted();
    // Reading the sheet is one synchronous step in the module; an abort that arrives
    // meanwhile still wins, and the table is dropped.
    const table = guarded(() => m.readSheet(bytes, JSON.stringify(rest)), bytes);
    if (signal?.aborted) throw aborted();
    const ds = Dataset.fromBytes(table);
    onProgress?.({ bytesRead: total, totalBytes: total, rows: ds.numRows });
    return ds;
  }

  const fromFile = Dataset.fromFile;
  /** fromFile, reading a workbook (told by its first bytes) with the sheets module. */
  async function fromFileOrWorkbook(input, options) {
    if (isBlob(input) && input.size >= 4 && looksLikeWorkbook(await input.slice(0, 8).arrayBuffer())) {
      const { sheet, range, header, maxRows, onProgress, signal } = options ?? {};
      return fromExcel(input, { sheet, range, header, maxRows, onProgress, signal });
    }
    return fromFile.call(Dataset, input, options);
  }

  Object.defineProperty(Dataset, 'sheets', { value: sheets, writable: true, configurable: true });
  Object.defineProperty(Dataset, 'fromExcel', { value: fromExcel, writable: true, configurable: true });
  Object.defineProperty(Dataset, 'fromFile', { value: fromFileOrWorkbook, writable: true, configurable: true });
}
