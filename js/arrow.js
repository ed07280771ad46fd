// Dataset.fromArrow(bytes): an Apache Arrow IPC stream (or .arrow file) read by the lazily
// loaded module `arrow` (src/ext/arrow), whose wasm is fetched on the first call. The module
// reads the stream in its own memory and hands the table back as Dataset bytes, which the
// core reads with Dataset.fromBytes. (ds.toArrow() is in the core: it writes straight into
// the returned Uint8Array.)

/** Adds the static `Dataset.fromArrow(bytes)` (a Promise<Dataset>), loading modules with `loadModule`. */
export function defineFromArrow(Dataset, loadModule) {
  if (Object.hasOwn(Dataset, 'fromArrow')) return;
  async function fromArrow(bytes) {
    if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
    if (!(bytes instanceof Uint8Array)) {
      throw Object.assign(new Error('invalid option `bytes`: expected a Uint8Array or ArrayBuffer holding an Arrow IPC stream'), { name: 'CrmlensError', code: 'INVALID_OPTION', field: 'bytes' });
    }
    const arrow = await loadModule('arrow');
    return Dataset.fromBytes(arrow.readArrow(bytes));
  }
  Object.defineProperty(Dataset, 'fromArrow', { value: fromArrow, writable: true, configurable: true });
}
