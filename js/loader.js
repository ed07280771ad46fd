// The shared loader of the package's lazily loaded modules (docs-lazy-modules.md). A module
// is data (an ES module whose default export is the data) or a separate wasm crate
// (wasm-bindgen glue + its .wasm). Each is fetched once, on first use, from a URL relative to
// the package's own files (same origin: the only requests the package makes).
//
// This file has no dynamic import(), so the worker entry can use it: bundlers emit workers
// as classic scripts, which cannot split code. A wasm module's glue is imported statically
// here (a few KB of JS); only its .wasm is fetched, and only when first loaded. Data modules,
// which are loaded with import(), are declared in modules.js (the page's loader).
import initTables, * as tables from './crmlens_tables.js';
import initPredict, * as predict from './crmlens_predict.js';
import initRules, * as rulesModule from './crmlens_rules.js';
import initSheets, * as sheets from './crmlens_sheets.js';
import initArrow, * as arrow from './crmlens_arrow.js';

/** The wasm modules: name -> glue, init and the URL of its .wasm (literal, for bundlers). */
export const WASM_MODULES = {
  tables: { kind: 'wasm', glue: tables, init: initTables, url: () => new URL('./crmlens_tables_bg.wasm', import.meta.url) },
  predict: { kind: 'wasm', glue: predict, init: initPredict, url: () => new URL('./crmlens_predict_bg.wasm', import.meta.url) },
  rules: { kind: 'wasm', glue: rulesModule, init: initRules, url: () => new URL('./crmlens_rules_bg.wasm', import.meta.url) },
  sheets: { kind: 'wasm', glue: sheets, init: initSheets, url: () => new URL('./crmlens_sheets_bg.wasm', import.meta.url) },
  arrow: { kind: 'wasm', glue: arrow, init: initArrow, url: () => new URL('./crmlens_arrow_bg.wasm', import.meta.url) },
};

let readFile = null;
/** Node: read `file:` URLs from disk (node.js installs `readFileSync`); no fetch of files. */
export function setFileReader(read) {
  readFile = read;
}

function loadError(code, message, name, url, cause) {
  const e = new Error(message, cause === undefined ? undefined : { cause });
  e.name = 'CrmlensError';
  e.code = code;
  e.field = name;
  if (url !== undefined) e.url = String(url);
  return e;
}

async function instantiate(name, spec) {
  const url = spec.url();
  try {
    if (spec.kind === 'data') return (await spec.load()).default;
    if (url.protocol === 'file:' && readFile) spec.glue.initSync({ module: readFile(url) });
    else await spec.init({ module_or_path: url });
    return spec.glue;
  } catch (e) {
    throw loadError('MODULE_LOAD_FAILED', `crmlens module "${name}" could not be loaded from ${url}: ${e?.message ?? e}`, name, url, e);
  }
}

/**
 * A `loadModule(name)` over `modules` (name -> spec): a memoised Promise of the module (the
 * data for a data module, the glue's exports for a wasm module). A failed load is not
 * memoised, so a later call tries again. `loadModule.loaded(name)` is the module if it has
 * loaded, else undefined.
 */
export function createLoader(modules) {
  const pending = new Map();
  const done = new Map();
  function loadModule(name) {
    if (!Object.hasOwn(modules, name)) {
      const known = Object.keys(modules).join(', ');
      return Promise.reject(loadError('INVALID_OPTION', `unknown crmlens module "${name}" (known: ${known})`, name));
    }
    let p = pending.get(name);
    if (!p) {
      p = instantiate(name, modules[name]).then(
        (m) => { done.set(name, m); return m; },
        (e) => { pending.delete(name); throw e; },
      );
      pending.set(name, p);
    }
    return p;
  }
  loadModule.loaded = (name) => done.get(name);
  /** Node: a wasm module loaded synchronously from disk (undefined where that cannot be:
   * in a browser, or for a data module); for synchronous APIs over a module (rules). */
  loadModule.now = (name) => {
    if (done.has(name)) return done.get(name);
    const spec = Object.hasOwn(modules, name) ? modules[name] : undefined;
    if (!spec || spec.kind !== 'wasm' || !readFile) return undefined;
    const url = spec.url();
    if (url.protocol !== 'file:') return undefined;
    try {
      spec.glue.initSync({ module: readFile(url) });
    } catch (e) {
      throw loadError('MODULE_LOAD_FAILED', `crmlens module "${name}" could not be loaded from ${url}: ${e?.message ?? e}`, name, url, e);
    }
    done.set(name, spec.glue);
    pending.set(name, Promise.resolve(spec.glue));
    return spec.glue;
  };
  return loadModule;
}
