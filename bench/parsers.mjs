// The contenders of the loading benchmark, shared by the Node runner (load.mjs) and the
// browser page (browser.html). Each entry turns the file's bytes (already in memory)
// into typed values; JS parsers first decode the bytes to a string, timed separately.
//
//   makeParsers(libs) -> { name: { label, input, load, touch, rows, types, dispose } }
//
// `input` is 'bytes' (parse from the Uint8Array), 'text' (decode, then parse the string)
// or 'blob' (stream a Blob: reading the file is inside the timed call).
// `touch(result)` sums the numeric columns that exist (age, orders, revenue) so nothing
// can be optimised away and so the parsers can be cross-checked.

export const NUMERIC = ['age', 'orders', 'revenue'];

const PAPA_OPTS = { header: true, dynamicTyping: true, skipEmptyLines: true };

/** Sums and non-null counts of the numeric columns present, from a per-column getter. */
function sumColumns(names, get) {
  const sums = {};
  for (const name of NUMERIC) {
    if (!names.includes(name)) continue;
    const col = get(name);
    let s = 0, n = 0;
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (typeof v === 'number' && v === v) { s += v; n++; }
    }
    sums[name] = { sum: s, count: n };
  }
  return sums;
}

/** Same from an array of row objects. */
function sumRows(rows) {
  const names = rows.length ? Object.keys(rows[0]) : [];
  const present = NUMERIC.filter((n) => names.includes(n));
  const sums = {};
  for (const name of present) {
    let s = 0, n = 0;
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i][name];
      if (typeof v === 'number' && v === v) { s += v; n++; }
    }
    sums[name] = { sum: s, count: n };
  }
  return sums;
}

/** JS type of each column's values: the set of typeof / Date seen in the first rows. */
function describe(v) {
  return v === null || v === undefined || v === '' ? null : v instanceof Date ? 'Date' : typeof v;
}
function typesFromRows(rows, limit = 2000) {
  const out = {};
  for (let i = 0; i < Math.min(limit, rows.length); i++) {
    for (const [k, v] of Object.entries(rows[i])) {
      const t = describe(v);
      if (t) (out[k] ??= new Set()).add(t);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, s]) => [k, [...s].sort().join('|')]));
}

export function makeParsers({ Dataset, Papa, csvParse, autoType, inferSchema, initParser }) {
  const crmlensCommon = {
    rows: (ds) => ds.numRows,
    touch: (ds) => sumColumns(ds.columns().map((c) => c.name), (name) => ds.column(name)),
    types: (ds) => Object.fromEntries(ds.columns().map((c) => [c.name, c.type])),
    dispose: (ds) => ds.free(),
  };
  const rowsCommon = {
    touch: sumRows,
    types: typesFromRows,
    dispose: () => {},
  };
  return {
    crmlens: {
      label: 'crmlens `Dataset.fromCsv(bytes)`',
      input: 'bytes',
      load: (bytes) => Dataset.fromCsv(bytes, {}),
      ...crmlensCommon,
    },
    'crmlens-stream': {
      label: 'crmlens `Dataset.fromFile(blob)` (streaming, 4 MiB chunks)',
      input: 'blob',
      load: (blob) => Dataset.fromFile(blob, {}),
      ...crmlensCommon,
    },
    'crmlens-stream-256k': {
      label: 'crmlens `Dataset.fromFile(blob, {chunkSize: 256 KiB})`',
      input: 'blob',
      load: (blob) => Dataset.fromFile(blob, { chunkSize: 256 * 1024 }),
      ...crmlensCommon,
    },
    'crmlens-stream-32m': {
      label: 'crmlens `Dataset.fromFile(blob, {chunkSize: 32 MiB})`',
      input: 'blob',
      load: (blob) => Dataset.fromFile(blob, { chunkSize: 32 * 1024 * 1024 }),
      ...crmlensCommon,
    },
    'crmlens-string': {
      label: 'crmlens `Dataset.fromCsv(string)`',
      input: 'text',
      load: (text) => Dataset.fromCsv(text, {}),
      ...crmlensCommon,
    },
    'crmlens-hinted': {
      label: "crmlens `fromCsv(bytes, {delimiter:',', header:true, encoding:'utf-8'})`",
      input: 'bytes',
      load: (bytes) => Dataset.fromCsv(bytes, { delimiter: ',', header: true, encoding: 'utf-8' }),
      ...crmlensCommon,
    },
    papaparse: {
      label: 'Papa Parse 5.7.1 `parse(text, {header, dynamicTyping, skipEmptyLines})`',
      input: 'text',
      load: (text) => {
        const res = Papa.parse(text, PAPA_OPTS);
        // A one-column file has no delimiter to detect: Papa warns, the data is fine.
        res.errors = res.errors.filter((e) => e.code !== 'UndetectableDelimiter');
        if (res.errors.length) throw new Error(`papaparse: ${res.errors.length} errors, first: ${JSON.stringify(res.errors[0])}`);
        return res.data;
      },
      rows: (data) => data.length,
      ...rowsCommon,
    },
    'd3-dsv': {
      label: 'd3-dsv 3.0.1 `csvParse(text, autoType)`',
      input: 'text',
      load: (text) => csvParse(text, autoType),
      rows: (data) => data.length,
      ...rowsCommon,
    },
    udsv: {
      label: 'uDSV 0.7.3 `initParser(inferSchema(text)).typedCols(text)`',
      input: 'text',
      load: (text) => {
        const schema = inferSchema(text);
        const parser = initParser(schema);
        return { names: schema.cols.map((c) => c.name), cols: parser.typedCols(text) };
      },
      rows: (r) => r.cols[0]?.length ?? 0,
      touch: (r) => sumColumns(r.names, (name) => r.cols[r.names.indexOf(name)]),
      types: (r) => {
        const rows = [];
        for (let i = 0; i < Math.min(2000, r.cols[0].length); i++) rows.push(Object.fromEntries(r.names.map((n, j) => [n, r.cols[j][i]])));
        return typesFromRows(rows);
      },
      dispose: () => {},
    },
  };
}

/** Relative difference of two numbers (0 when both are 0). */
export function relDiff(a, b) {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}
