// Business rules (issue 18) from the lazily loaded module `rules` (src/ext/rules: the
// engine's wasm is not in the core). The table goes over once as Dataset bytes and is kept
// there while the same Dataset is used (an editor's live counts copy nothing); rules and
// options go as JSON text; the events come back as a Dataset (Dataset.fromBytes).
//
// Loading: rulesAsync loads the module itself. The synchronous rules / ruleCounts /
// ruleTemplates / ruleFromTemplate need it loaded: in Node it is read from disk on first use;
// in a browser, `await loadRules()` first (else a CrmlensError INVALID_STATE says so).
// This file has no import(), so the worker entry uses it too (with the worker's loader).
import { Dataset } from './crmlens.js';
import { datasetToBytes } from './bytes.js';
import { crmlensError } from './errors.js';
import { macrotask } from './macrotask.js';

const NOT_LOADED = 'the rules module is not loaded yet: `await loadRules()` first (or call rulesAsync, which loads it)';

function json(value, field, what) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw crmlensError('INVALID_OPTION', `${field}: ${what} must be JSON-like (no cycles, no BigInt): ${e?.message ?? e}`, { field });
  }
  return text;
}

function ruleJson(list) {
  if (!Array.isArray(list)) throw crmlensError('INVALID_OPTION', 'rules: expected an array of rules `{ id, when, then }`', { field: 'rules' });
  // Each rule's own JSON text, so that the module names the rule it cannot read (`rules[i]`).
  return JSON.stringify(list.map((rule, i) => json(rule ?? null, `rules[${i}]`, 'a rule') ?? 'null'));
}

/** Options as JSON text; `onProgress` / `signal` taken out when `longWork`. A function-valued
 * option would vanish in JSON: it is an error naming it. */
function split(options, longWork) {
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    throw crmlensError('INVALID_OPTION', 'options must be a plain object', { field: 'options' });
  }
  const copy = { ...(options ?? {}) };
  let onProgress;
  let signal;
  if (longWork) {
    onProgress = copy.onProgress;
    signal = copy.signal;
    delete copy.onProgress;
    delete copy.signal;
    if (onProgress !== undefined && onProgress !== null && typeof onProgress !== 'function') {
      throw crmlensError('INVALID_OPTION', '`onProgress` must be a function', { field: 'onProgress' });
    }
    if (signal != null && (typeof signal !== 'object' || signal.aborted === undefined)) {
      throw crmlensError('INVALID_OPTION', '`signal` must be an AbortSignal', { field: 'signal' });
    }
  }
  for (const [k, v] of Object.entries(copy)) {
    if (typeof v === 'function') {
      const only = longWork ? 'the only function option is `onProgress`' : 'rulesAsync takes `onProgress`';
      throw crmlensError('INVALID_OPTION', `unknown option \`${k}\` (a function; ${only})`, { field: k });
    }
  }
  return { text: json(copy, 'options', 'options'), onProgress: onProgress ?? undefined, signal: signal ?? undefined };
}

/** The rules API over a module loader (`loadModule` of modules.js, or the worker's). */
export function makeRules(loadModule) {
  let cache = null; // { dataset, table }: the last table handed to the module

  function loaded() {
    const m = loadModule.loaded('rules') ?? loadModule.now?.('rules');
    if (!m) throw crmlensError('INVALID_STATE', NOT_LOADED, { field: 'rules' });
    return m;
  }

  function tableOf(m, dataset) {
    if (!(dataset instanceof Dataset)) throw crmlensError('INVALID_OPTION', 'the first argument must be a Dataset', { field: 'dataset' });
    void dataset.numRows; // a freed Dataset throws here (guard.js)
    if (cache && cache.dataset === dataset && cache.module === m) return cache.table;
    cache?.table.free();
    cache = null;
    const table = new m.Table(datasetToBytes(dataset));
    cache = { dataset, table, module: m };
    return table;
  }

  function result(r) {
    const rest = JSON.parse(r.result);
    return { events: Dataset.fromBytes(r.events), ...rest };
  }

  /** Loads the rules module (once); afterwards the synchronous functions work in a browser too. */
  function loadRules() {
    return loadModule('rules').then(() => undefined);
  }

  /** Runs `ruleList` over `dataset`: `{ events, counts, snapshot, eventsTruncated, warnings }`. */
  function rules(dataset, ruleList, options) {
    const m = loaded();
    const list = ruleJson(ruleList);
    const { text } = split(options, false);
    return result(m.run(tableOf(m, dataset), list, text));
  }

  /** `rules` as long work (`onProgress`, `signal`); loads the module itself. */
  async function rulesAsync(dataset, ruleList, options) {
    const list = ruleJson(ruleList);
    const { text, onProgress, signal } = split(options, true);
    if (signal?.aborted) throw crmlensError('ABORTED', 'aborted');
    const m = await loadModule('rules');
    const control = { onProgress, aborted: () => signal?.aborted === true, pause: macrotask };
    return result(await m.runAsync(tableOf(m, dataset), list, text, control));
  }

  /** Each rule checked against `dataset`: matched and undecided rows, or its error. */
  function ruleCounts(dataset, ruleList, options) {
    const m = loaded();
    const list = ruleJson(ruleList);
    const { text } = split(options, false);
    return JSON.parse(m.counts(tableOf(m, dataset), list, text));
  }

  /** The ready-made CRM rules. */
  function ruleTemplates() {
    return JSON.parse(loaded().templates());
  }

  /** The rule of template `name` with some parameters set. */
  function ruleFromTemplate(name, params) {
    if (typeof name !== 'string') throw crmlensError('INVALID_OPTION', 'template: expected the id of a template (a string)', { field: 'template' });
    return JSON.parse(loaded().fromTemplate(name, json(params ?? {}, 'params', 'params')));
  }

  return { loadRules, rules, rulesAsync, ruleCounts, ruleTemplates, ruleFromTemplate };
}
