// Random rule conditions over a real table for the DuckDB-Wasm differential test
// (rules_duckdb.test.mjs; not a test file itself). The JS twin of tests/rules_support/gen.rs:
// one random tree rendered three ways, the crmlens expression text, JSON Logic, and a SQL
// `WHERE` clause with crmlens's documented semantics spelt out where SQL differs (division and
// remainder by zero are missing; a yes/no column compared with 'Yes' / 'No' is compared with
// true / false). Literals are sampled from the table so that conditions select something.

/** Mulberry32: a small seeded generator (same seed, same conditions). */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { below: (n) => Math.floor(next() * n), next };
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'between', 'is', 'missing', 'null', 'true', 'false', 'contains',
  'starts', 'ends', 'with', 'like', 'day']);
const KIND = { int64: 'num', float64: 'num', bool: 'bool', date: 'date', datetime: 'date', category: 'str', text: 'str' };
const sqlStr = (s) => `'${s.replace(/'/g, "''")}'`;
const paren = (g, min) => (g.prec >= min ? [g.text, g.sql] : [`(${g.text})`, `(${g.sql})`]);
// Literals as JS writes them (shortest round trip, up to 17 significant digits): the rules
// module reads JSON Logic numbers exactly (crmlens::io::json_exact), so a sampled value such as
// 0.9019776233440785 equals itself.
const numLit = (v) => {
  const t = String(v);
  return { text: t, sql: `CAST('${t}' AS DOUBLE)`, json: v, prec: v < 0 ? 8 : 10 };
};
const CMP = [['=', '=', '=='], ['!=', '<>', '!='], ['<', '<', '<'], ['<=', '<=', '<='], ['>', '>', '>'], ['>=', '>=', '>=']];
const ISO = (days) => new Date(days * 86_400_000).toISOString().slice(0, 10);

/**
 * A generator over `ds` (a crmlens Dataset) without the columns named in `skip`; `asOf`
 * enables the date functions. `gen.case()` → `{ text, json, sql }`.
 */
export function generator(ds, seed, asOf, skip = new Set()) {
  const r = rng(seed);
  const cols = ds.columns().filter((c) => !skip.has(c.name)).map((c) => ({ name: c.name, kind: KIND[c.type] ?? 'str', type: c.type }));
  const values = new Map(); // column name → non-missing values (numbers, strings, booleans, day numbers)
  for (const c of cols) {
    let v;
    if (c.kind === 'date') v = Array.from(ds.timestamps(c.name), (ms) => (Number.isNaN(ms) ? null : Math.floor(ms / 86_400_000)));
    else v = Array.from(ds.column(c.name));
    values.set(c.name, v.filter((x) => x !== null && !(typeof x === 'number' && Number.isNaN(x))));
  }
  const pick = (kind) => {
    const of = cols.filter((c) => c.kind === kind);
    return of.length ? of[r.below(of.length)] : null;
  };
  const sample = (c) => {
    const v = values.get(c.name);
    return v.length ? v[r.below(v.length)] : null;
  };
  const column = (c) => {
    const bare = /^[A-Za-z][A-Za-z0-9_]*$/.test(c.name) && !KEYWORDS.has(c.name.toLowerCase());
    const text = bare && r.below(3) > 0 ? c.name : `\`${c.name.replace(/`/g, '``')}\``;
    let sql = `"${c.name.replace(/"/g, '""')}"`;
    if (c.kind === 'num') sql = `CAST(${sql} AS DOUBLE)`;
    return { text, sql, json: { var: c.name }, prec: 10 };
  };
  const sampleNum = (c) => {
    const s = sample(c);
    const v = typeof s === 'number' ? s : r.below(100);
    switch (r.below(6)) {
      case 0: return v + 1;
      case 1: return Math.round(v * 0.5);
      case 2: return -r.below(5) || 0;
      default: return v;
    }
  };
  const sampleStr = (c) => {
    const s = sample(c);
    return typeof s === 'string' ? s : 'No';
  };
  const strLit = (s) => ({ text: sqlStr(s), sql: sqlStr(s), json: s, prec: 10 });
  const call = (f, sqlF, a) => ({ text: `${f}(${a.text})`, sql: `${sqlF}(${a.sql})`, json: { [f]: [a.json] }, prec: 10 });
  const cmpOp = () => CMP[r.below(6)];
  const binary = (a, op, b) => {
    let t = op[0];
    if (t === '=' && r.below(3) === 0) t = '==';
    else if (t === '!=' && r.below(3) === 0) t = '<>';
    const [lt, ls] = paren(a, 5);
    const [rt, rs] = paren(b, 5);
    return { text: `${lt} ${t} ${rt}`, sql: `${ls} ${op[1]} ${rs}`, json: { [op[2]]: [a.json, b.json] }, prec: 4 };
  };
  const negate = (g) => {
    const [t, s] = paren(g, 4);
    return { text: `not ${t}`, sql: `NOT ${s}`, json: { '!': [g.json] }, prec: 3 };
  };

  function derivedNum() {
    const d = pick('date');
    if (d && asOf) {
      const a = column(d);
      const sub = (unit) => `CAST(date_sub('${unit}', ${a.sql}, DATE '${asOf}') AS DOUBLE)`;
      const [f, sql] = [
        ['days_since', `CAST(date_diff('day', ${a.sql}, DATE '${asOf}') AS DOUBLE)`],
        ['months_since', sub('month')],
        ['years_since', sub('year')],
        ['year', `CAST(year(${a.sql}) AS DOUBLE)`],
        ['month', `CAST(month(${a.sql}) AS DOUBLE)`],
        ['day', `CAST(day(${a.sql}) AS DOUBLE)`],
        ['weekday', `CAST(isodow(${a.sql}) AS DOUBLE)`],
      ][r.below(7)];
      return { text: `${f}(${a.text})`, sql, json: { [f]: [a.json] }, prec: 10 };
    }
    const s = pick('str');
    if (!s) return numLit(1);
    const g = call('length', 'length', column(s));
    return { ...g, sql: `CAST(${g.sql} AS DOUBLE)` };
  }

  function num(depth) {
    const k = depth === 0 ? r.below(5) : r.below(10);
    if (k <= 3) { const c = pick('num'); return c ? column(c) : numLit(r.below(10)); }
    if (k === 4) { const c = pick('num'); return numLit(c ? sampleNum(c) : 2); }
    if (k <= 6) {
      const a = num(depth - 1);
      const b = num(depth - 1);
      const [op, prec] = [['+', 6], ['-', 6], ['*', 7]][r.below(3)];
      const [lt, ls] = paren(a, prec);
      const [rt, rs] = paren(b, prec + 1);
      return { text: `${lt} ${op} ${rt}`, sql: `${ls} ${op} ${rs}`, json: { [op]: [a.json, b.json] }, prec };
    }
    if (k === 7) {
      const a = num(depth - 1);
      const b = r.below(2) === 0 ? num(depth - 1) : numLit(r.below(4));
      const op = r.below(3) === 0 ? '%' : '/';
      const [lt] = paren(a, 7);
      const [rt] = paren(b, 8);
      return {
        text: `${lt} ${op} ${rt}`,
        sql: `(CASE WHEN (${b.sql}) = 0 THEN NULL ELSE (${a.sql}) ${op} (${b.sql}) END)`,
        json: { [op]: [a.json, b.json] },
        prec: 7,
      };
    }
    if (k === 8) {
      const a = num(depth - 1);
      if (r.below(2) === 0) return call('abs', 'abs', a);
      const [t, s] = paren(a, 9);
      return { text: `-${t}`, sql: `(- ${s})`, json: { '-': [a.json] }, prec: 8 };
    }
    return derivedNum();
  }

  function inList(a, lits) {
    const neg = r.below(4) === 0;
    const [at, as] = paren(a, 5);
    const j = { in: [a.json, lits.map((l) => l.json)] };
    return {
      text: `${at} ${neg ? 'not ' : ''}in (${lits.map((l) => l.text).join(', ')})`,
      sql: `${as} ${neg ? 'NOT ' : ''}IN (${lits.map((l) => l.sql).join(', ')})`,
      json: neg ? { '!': [j] } : j,
      prec: 4,
    };
  }

  function numIn() {
    const c = pick('num');
    if (!c) return leafBool();
    return inList(column(c), Array.from({ length: 1 + r.below(5) }, () => numLit(sampleNum(c))));
  }

  function leafBool() {
    const c = pick('bool');
    if (!c) return binary(num(1), ['>', '>', '>'], numLit(1));
    const a = column(c);
    switch (r.below(4)) {
      case 0: return a;
      case 1: return negate(a);
      case 2: {
        const b = r.below(2) === 0;
        return binary(a, ['=', '=', '=='], { text: String(b), sql: String(b), json: b, prec: 10 });
      }
      default: {
        // The file's words: 'Yes' / 'no' / 'TRUE' / 'f' read as the loader reads them.
        const [word, b] = [['Yes', true], ['No', false], ['yes', true], ['no', false], ['TRUE', true], ['f', false]][r.below(6)];
        const op = [CMP[0], CMP[1]][r.below(2)];
        const lit = { text: sqlStr(word), sql: String(b), json: word, prec: 10 };
        return r.below(2) === 0 ? binary(a, op, lit) : binary(lit, op, a);
      }
    }
  }

  function leaf() {
    const k = r.below(12);
    if (k <= 1) {
      const a = num(2);
      const op = cmpOp();
      const c = pick('num');
      const b = r.below(3) === 0 ? num(1) : numLit(c ? sampleNum(c) : 3);
      return binary(a, op, b);
    }
    if (k === 2) {
      const c = pick('str');
      if (!c) return numIn();
      const f = r.below(5);
      const col = column(c);
      const a = f === 0 ? call('lower', 'lower', col) : f === 1 ? call('upper', 'upper', col) : col;
      let s = sampleStr(c);
      if (f === 0) s = s.toLowerCase();
      else if (f === 1) s = s.toUpperCase();
      return binary(a, cmpOp(), strLit(s));
    }
    if (k === 3) {
      const c = pick('str');
      if (!c) return numIn();
      return inList(column(c), Array.from({ length: 1 + r.below(4) }, () => strLit(sampleStr(c))));
    }
    if (k === 4) return numIn();
    if (k === 5) {
      const x = num(1);
      const c = pick('num');
      let [lo, hi] = c ? [sampleNum(c), sampleNum(c)] : [0, 5];
      if (r.below(5) > 0 && lo > hi) [lo, hi] = [hi, lo];
      const [L, H] = [numLit(lo), numLit(hi)];
      const [xt, xs] = paren(x, 5);
      const [lt, ls] = paren(L, 5);
      const [ht, hs] = paren(H, 5);
      const g = { text: `${xt} between ${lt} and ${ht}`, sql: `${xs} BETWEEN ${ls} AND ${hs}`, json: { '<=': [L.json, x.json, H.json] }, prec: 4 };
      if (r.below(4) !== 0) return g;
      return { text: `${xt} not between ${lt} and ${ht}`, sql: `${xs} NOT BETWEEN ${ls} AND ${hs}`, json: { '!': [g.json] }, prec: 4 };
    }
    if (k === 6) {
      const a = column(cols[r.below(cols.length)]);
      const neg = r.below(2) === 0;
      return {
        text: `${a.text} is ${neg ? 'not ' : ''}missing`,
        sql: `${a.sql} IS ${neg ? 'NOT ' : ''}NULL`,
        json: { [neg ? '!=' : '==']: [a.json, null] },
        prec: 4,
      };
    }
    if (k === 7) {
      const c = pick('str');
      if (!c) return numIn();
      const a = column(c);
      const chars = [...sampleStr(c)];
      const from = chars.length ? r.below(chars.length) : 0;
      const len = chars.length ? 1 + r.below(chars.length - from) : 0;
      const [op, sqlF, jop] = [['contains', 'contains', 'contains'], ['starts with', 'starts_with', 'starts_with'],
        ['ends with', 'ends_with', 'ends_with']][r.below(3)];
      const sub = op === 'starts with' ? chars.slice(0, len).join('')
        : op === 'ends with' ? chars.slice(chars.length - len).join('') : chars.slice(from, from + len).join('');
      const b = strLit(sub);
      const json = op === 'contains' && r.below(2) === 0 ? { in: [b.json, a.json] } : { [jop]: [a.json, b.json] };
      const g = { text: `${a.text} ${op} ${b.text}`, sql: `${sqlF}(${a.sql}, ${b.sql})`, json, prec: 4 };
      if (r.below(4) !== 0) return g;
      return { text: `${a.text} not ${op} ${b.text}`, sql: `NOT ${sqlF}(${a.sql}, ${b.sql})`, json: { '!': [g.json] }, prec: 4 };
    }
    if (k === 8) {
      const c = pick('date');
      if (!c) return leafBool();
      const a = column(c);
      const s = sample(c);
      const d = ISO((typeof s === 'number' ? s : 10_000) + [0, 0, 1, -1, 30, -45][r.below(6)]);
      const b = { text: `'${d}'`, sql: `DATE '${d}'`, json: d, prec: 10 };
      return r.below(2) === 0 ? binary(a, cmpOp(), b) : binary(b, cmpOp(), a);
    }
    if (k === 9) return binary(derivedNum(), cmpOp(), numLit([0, 1, 3, 7, 30, 365, 1997, 500][r.below(8)]));
    return leafBool();
  }

  function logic(depth, and) {
    const items = Array.from({ length: 2 + r.below(2) }, () => cond(depth - 1));
    const prec = and ? 2 : 1;
    let word = and ? 'and' : 'or';
    if (r.below(4) === 0) word = word.toUpperCase();
    const parts = items.map((g) => paren(g, prec + 1));
    return {
      text: parts.map((p) => p[0]).join(` ${word} `),
      sql: parts.map((p) => p[1]).join(and ? ' AND ' : ' OR '),
      json: { [and ? 'and' : 'or']: items.map((g) => g.json) },
      prec,
    };
  }

  function cond(depth) {
    if (depth === 0) return leaf();
    const k = r.below(8);
    if (k <= 2) return leaf();
    if (k <= 4) return logic(depth, true);
    if (k <= 6) return logic(depth, false);
    return negate(cond(depth - 1));
  }

  return { case: () => { const g = cond(3); return { text: g.text, json: g.json, sql: g.sql }; } };
}
