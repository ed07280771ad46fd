// The words a file wrote for its yes/no columns. The package reads "Yes"/"No" (or "Y"/"N",
// "1"/"0", "T"/"F") as true/false; the views show the file's own words again (a "Churn"
// column and its prediction read Yes/No, not true/false) and the Predict view names the
// positive class in them. Read from the start of the file (256 KB), as text: one pass of a
// small quote-aware splitter over the records, with the delimiter the loader found.

const SNIFF_BYTES = 256 * 1024;
const TRUE = new Set(['true', 'yes', 'y', '1', 't']);
const FALSE = new Set(['false', 'no', 'n', '0', 'f']);

/** Records of delimited `text` (quotes may hold delimiters, quotes and newlines); the last, maybe cut, record is dropped. */
export function records(text, delimiter, quote = '"') {
  const out = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === quote) {
        if (text[i + 1] === quote) { field += quote; i++; } else quoted = false;
      } else field += ch;
    } else if (ch === quote && field === '') quoted = true;
    else if (ch === delimiter) { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      out.push(row);
      row = []; field = '';
    } else field += ch;
  }
  return out; // the unfinished record (no newline yet) is left out: it may be cut
}

/**
 * The words of each yes/no column of `summary` (a loaded dataset) in the text `text`:
 * `{ Churn: { true: 'Yes', false: 'No' } }`. Columns written "true"/"false" are left out
 * (nothing to show differently), and so is a column whose sample has more than one word per side.
 */
export function wordsOf(text, summary) {
  const src = summary?.source ?? {};
  const bools = (summary?.columns ?? []).filter((c) => c.type === 'bool');
  if (!bools.length || typeof src.delimiter !== 'string' || src.delimiter.length !== 1 || src.header === false) return {};
  const rows = records(text.replace(/^\uFEFF/, ''), src.delimiter);
  if (rows.length < 2) return {};
  const header = rows[0].map((x) => x.trim());
  const out = {};
  for (const c of bools) {
    const at = header.indexOf(c.name);
    if (at < 0) continue;
    const missing = new Set((c.missingTokens ?? []).map(([t]) => t));
    const yes = new Set(), no = new Set();
    for (let r = 1; r < rows.length; r++) {
      const w = (rows[r][at] ?? '').trim();
      if (!w || missing.has(w)) continue;
      const low = w.toLowerCase();
      if (TRUE.has(low)) yes.add(w); else if (FALSE.has(low)) no.add(w);
    }
    if (yes.size !== 1 || no.size > 1) continue;
    const t = [...yes][0];
    const f = no.size ? [...no][0] : opposite(t);
    if (t === 'true' && f === 'false') continue;
    out[c.name] = { true: t, false: f };
  }
  return out;
}

/** The other word of a yes/no pair, written like `t` ("Yes" → "No", "Y" → "N", "1" → "0"). */
function opposite(t) {
  const w = { yes: 'no', y: 'n', true: 'false', t: 'f', 1: '0' }[t.toLowerCase()] ?? `not ${t}`;
  return t === t.toUpperCase() && t.length > 1 ? w.toUpperCase() : /^[A-Z]/.test(t) ? w[0].toUpperCase() + w.slice(1) : w;
}

/** The words of the yes/no columns of a loaded file `blob` (see wordsOf); {} when it cannot tell. */
export async function boolWords(blob, summary) {
  if (!(summary?.columns ?? []).some((c) => c.type === 'bool') || typeof blob?.slice !== 'function') return {};
  try {
    return wordsOf(await blob.slice(0, SNIFF_BYTES).text(), summary);
  } catch {
    return {};
  }
}

/** A yes/no value in the file's words when they are known ({ true, false }), else true/false. */
export const boolText = (v, words) => (words ? (v ? words.true : words.false) : String(v));
