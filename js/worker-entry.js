// Runs inside a module Web Worker started by CrmlensWorker (worker.js). Datasets live in
// this worker's WebAssembly memory; the page gets handles, rows and columns by message.
// No top-level await here (bundlers emit workers as classic scripts by default): the
// module is instantiated once, and every message waits for it.
import init, {
  Dataset, customerValue, segment, Recommender, associationRules,
  sentimentOfTexts, sentimentOfDataset, topTermsOfTexts, topTermsOfDataset, installChineseSentiment, chineseSentimentLoaded,
} from './crmlens.js';
import { customerProfiles } from './profiles.js';
// Lazily loaded wasm modules, fetched by this worker on first use (loader.js has no import()).
import { createLoader, WASM_MODULES } from './loader.js';
import { datasetToBytes } from './bytes.js';

const loadModule = createLoader(WASM_MODULES);

const ready = init({ module_or_path: new URL('./crmlens_bg.wasm', import.meta.url) });

const datasets = new Map();
const models = new Map(); // fitted Recommenders, in the same handle space as datasets
const running = new Map();
let nextHandle = 1;

function errorInfo(e) {
  return { name: e?.name ?? 'Error', message: e?.message ?? String(e), code: e?.code, line: e?.line, column: e?.column, field: e?.field };
}

function summary(handle, ds) {
  return { handle, numRows: ds.numRows, columns: ds.columns(), source: ds.source, issues: ds.issues, issueCounts: ds.issueCounts };
}

const ops = {
  async loadFile(id, { file, options }) {
    const controller = new AbortController();
    running.set(id, controller);
    try {
      const ds = await Dataset.fromFile(file, {
        ...options,
        signal: controller.signal,
        onProgress: (p) => self.postMessage({ id, progress: p }),
      });
      const handle = nextHandle++;
      datasets.set(handle, ds);
      return summary(handle, ds);
    } finally {
      running.delete(id);
    }
  },
  load(id, { input, format, options }) {
    const ds = format === 'json' ? Dataset.fromJson(input, options) : Dataset.fromCsv(input, options);
    const handle = nextHandle++;
    datasets.set(handle, ds);
    return summary(handle, ds);
  },
  customerValue(id, { handle, options }) {
    const v = customerValue(get(handle), options);
    const customers = nextHandle++;
    datasets.set(customers, v.customers);
    return { customers: summary(customers, v.customers), model: v.model, cohorts: v.cohorts };
  },
  customerProfiles(id, { handle, attributes, extra, ...options }) {
    const table = (h) => get(h);
    const { profiles, joins } = customerProfiles(get(handle), {
      ...options,
      ...(attributes != null ? { attributes: table(attributes) } : {}),
      ...(extra != null ? { extra: [extra].flat().map((e) => (typeof e === 'number' ? table(e) : { ...e, table: table(e.table) })) } : {}),
    });
    const h = nextHandle++;
    datasets.set(h, profiles);
    return { profiles: summary(h, profiles), joins };
  },
  profile(id, { handle, options }) {
    return get(handle).profile(options);
  },
  clean(id, { handle, plan }) {
    const r = get(handle).clean(plan);
    const h = nextHandle++;
    datasets.set(h, r.dataset);
    return { dataset: summary(h, r.dataset), log: r.log, duplicates: r.duplicates };
  },
  mask(id, { handle, options }) {
    const r = get(handle).mask(options);
    const h = nextHandle++;
    datasets.set(h, r.dataset);
    return { dataset: summary(h, r.dataset), report: r.report };
  },
  segment(id, { handle, options }) {
    return segment(get(handle), options);
  },
  async fitRecommender(id, { handle, options }) {
    const controller = new AbortController();
    running.set(id, controller);
    let model;
    try {
      model = await Recommender.fitAsync(get(handle), {
        ...options,
        signal: controller.signal,
        onProgress: (p) => self.postMessage({ id, progress: p }),
      });
    } finally {
      running.delete(id);
    }
    const h = nextHandle++;
    models.set(h, model);
    return { model: h, method: model.method, auto: model.auto, report: model.report, numUsers: model.numUsers, numItems: model.numItems, users: model.users };
  },
  recommend(id, { model, user, options }) {
    return getModel(model).recommend(user, options);
  },
  recommendFor(id, { model, items, k }) {
    return getModel(model).recommendFor(items, k);
  },
  similarItems(id, { model, item, k }) {
    return getModel(model).similarItems(item, k);
  },
  evaluateRecommender(id, { model, options }) {
    return getModel(model).evaluate(options);
  },
  associationRules(id, { handle, options }) {
    return associationRules(get(handle), options);
  },
  freeModel(id, { model }) {
    models.get(model)?.free();
    models.delete(model);
  },
  // Chinese data: this entry has no dynamic import (bundlers emit it as a classic worker);
  // CrmlensWorker imports crmlens_zh.js on the page and sends its text (installChinese).
  sentiment(id, { handle, texts, options }) {
    return handle === undefined ? sentimentOfTexts(texts, options) : sentimentOfDataset(get(handle), options);
  },
  topTerms(id, { handle, texts, options }) {
    return handle === undefined ? topTermsOfTexts(texts, options) : topTermsOfDataset(get(handle), options);
  },
  chineseLoaded() {
    return chineseSentimentLoaded();
  },
  installChinese(id, { data }) {
    installChineseSentiment(data);
    return true;
  },
  async groupBy(id, { handle, options }) {
    const tables = await loadModule('tables');
    return tables.groupBy(datasetToBytes(get(handle)), JSON.stringify(options ?? {}));
  },
  rows(id, { handle, offset, limit }) {
    return get(handle).rows(offset, limit);
  },
  column(id, { handle, name }) {
    return get(handle).column(name);
  },
  toCsv(id, { handle, options }) {
    return get(handle).toCsv(options);
  },
  toJson(id, { handle }) {
    return get(handle).toJson();
  },
  free(id, { handle }) {
    const ds = datasets.get(handle);
    if (ds) {
      ds.free();
      datasets.delete(handle);
    }
    return true;
  },
  abort(id, { target }) {
    running.get(target)?.abort();
    return true;
  },
};

function getModel(handle) {
  const m = models.get(handle);
  if (!m) throw Object.assign(new Error(`no recommender with handle ${handle} (freed?)`), { name: 'CrmlensError', code: 'INVALID_STATE' });
  return m;
}

function get(handle) {
  const ds = datasets.get(handle);
  if (!ds) throw Object.assign(new Error(`no dataset with handle ${handle} (freed?)`), { name: 'CrmlensError', code: 'INVALID_STATE' });
  return ds;
}

self.onmessage = async (event) => {
  const { id, op, args } = event.data;
  try {
    await ready;
    if (!Object.hasOwn(ops, op)) throw Object.assign(new Error(`unknown operation ${op}`), { name: 'CrmlensError', code: 'INVALID_STATE' });
    const result = await ops[op](id, args ?? {});
    // Typed arrays made for this reply (columns; segment's labels and projection) move
    // instead of being copied.
    const transfer = result instanceof Float64Array ? [result.buffer]
      : op === 'segment' ? [result.labels.buffer, result.projection.buffer] : [];
    self.postMessage({ id, result }, transfer);
  } catch (e) {
    self.postMessage({ id, error: errorInfo(e) });
  }
};
ready.then(
  () => self.postMessage({ ready: true }),
  (e) => self.postMessage({ ready: false, error: errorInfo(e) }),
);
