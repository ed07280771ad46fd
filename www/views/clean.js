// Clean view: choose a plan (whole-table steps plus per-column rules: convert, case,
// standardise, fill, outliers), preview the cleaned table with the log of every change and
// the duplicate groups, export it as CSV (formula-like cells neutralised) — all run by
// dataset.clean / dataset.mask in the worker. Every value from the file is set as text.

import { needFile } from '../lib/empty.js';
import { h, replace } from '../lib/dom.js';
import { fmtInt } from '../lib/format.js';
import { fileName } from '../lib/export.js';

/** What the view needs as input (its empty state and error notes say so; lib/empty.js). */
const NEEDS = { title: 'Clean',
  needs: 'a table to clean: any CSV, TSV, JSON or Excel file with the rows to tidy (names, emails, phones, dates…)',
  example: 'a CRM export such as customers.csv, or an orders file', roles: ['customers', 'orders', 'feedback', 'products', 'other'] };

const LOG_ROWS = 200;
// Per-column rules: [plan key, label, choices]. The values are the plan's own words.
const RULES = [
  ['convert', 'Convert to', ['int64', 'float64', 'bool', 'date', 'datetime', 'category', 'text']],
  ['case', 'Case', ['lower', 'upper', 'title']],
  ['standardize', 'Standardise', ['email', 'phone']],
  ['fill', 'Fill missing', ['mean', 'median', 'mode', 'previous']],
  ['outliers', 'Outliers', ['iqr flag', 'iqr drop', 'mad flag', 'mad drop']],
];

// The per-column part of a plan from the rule selects (`sel[key][column]`).
function columnRules(plan, sel) {
  for (const [key] of RULES) {
    for (const [col, s] of Object.entries(sel[key])) {
      if (!s.value) continue;
      plan[key] ??= {};
      if (key === 'outliers') {
        const [method, action] = s.value.split(' ');
        plan.outliers[col] = { method, action };
      } else {
        plan[key][col] = s.value;
      }
    }
  }
}
const PREVIEW_ROWS = 20;

function guess(columns, re, role) {
  return columns.find((c) => c.role === role)?.name ?? columns.find((c) => re.test(c.name))?.name ?? '';
}

export function mount(root, { session, navigate }) {
  let cleaned = null; // worker summary of the cleaned dataset (freed here until kept in the workspace)
  let cleanedFrom = null; // the workspace table it was cleaned from
  let blobUrl = null;
  const out = h('div', { class: 'result' });

  async function freeResult() {
    if (cleaned) session.worker.free(cleaned.handle).catch(() => {});
    cleaned = null;
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    blobUrl = null;
  }

  function check(id, label, checked = false) {
    const input = h('input', { type: 'checkbox', id, checked });
    return [h('div', { class: 'field field-check' }, input, h('label', { for: id }, label)), input];
  }

  function select(id, label, columns, value) {
    const s = h('select', { id }, h('option', { value: '' }, '—'),
      columns.map((c) => h('option', { value: c.name, selected: c.name === value }, c.name)));
    return [h('div', { class: 'field' }, h('label', { for: id }, label), s), s];
  }

  function render() {
    const cur = session.current;
    if (!cur) {
      replace(root, needFile(session, navigate, NEEDS));
      return;
    }
    const cols = cur.columns;
    const [fTrim, cTrim] = check('cl-trim', 'Trim and collapse whitespace in text columns', true);
    const [fDedupe, cDedupe] = check('cl-dedupe', 'Drop exact duplicate rows', true);
    const [fFill, cFill] = check('cl-fill', 'Fill missing values (median for numbers, most common value otherwise)');
    const [fMask, cMask] = check('cl-mask', 'Mask personal data found in text columns (redact)');
    const [fFuzzy, cFuzzy] = check('cl-fuzzy', 'Find duplicate customers (fuzzy)');
    const [fFuzzyDrop, cFuzzyDrop] = check('cl-fuzzy-drop', 'Drop fuzzy duplicates (keep the suggested survivor)');
    const sel = Object.fromEntries(RULES.map(([key]) => [key, {}]));
    const ruleTable = h('div', { class: 'table-wrap table-wrap-short' }, h('table', { class: 'table', dataset: { testid: 'column-rules' } },
      h('thead', {}, h('tr', {}, h('th', {}, 'Column'), RULES.map(([, label]) => h('th', {}, label)))),
      h('tbody', {}, cols.map((c, i) => h('tr', {}, h('td', {}, c.name), RULES.map(([key, label, choices]) => {
        const s = h('select', { id: `cl-${key}-${i}`, 'aria-label': `${label}: ${c.name}`, dataset: { column: c.name, rule: key } },
          h('option', { value: '' }, '—'), choices.map((v) => h('option', { value: v }, v)));
        sel[key][c.name] = s;
        return h('td', {}, s);
      }))))));
    const [fName, sName] = select('cl-name', 'Name column', cols, guess(cols, /name/i, null));
    const [fEmail, sEmail] = select('cl-email', 'Email column', cols, guess(cols, /mail/i, 'email'));
    const [fPhone, sPhone] = select('cl-phone', 'Phone column', cols, guess(cols, /phone|mobile|tel/i, 'phone'));
    const run = h('button', { class: 'btn btn-secondary', type: 'button', dataset: { testid: 'run-clean' } }, 'Preview cleaning');
    run.addEventListener('click', async () => {
      run.disabled = true;
      replace(out, h('p', { class: 'muted', role: 'status' }, 'Cleaning…'));
      try {
        await freeResult();
        const plan = {};
        if (cTrim.checked) plan.trim = 'all';
        if (cDedupe.checked) plan.dedupe = true;
        if (cFill.checked) {
          plan.fill = {};
          for (const c of cols.filter((c) => c.nullCount > 0)) {
            plan.fill[c.name] = c.type === 'int64' || c.type === 'float64' ? 'median' : 'mode';
          }
        }
        columnRules(plan, sel);
        if (cFuzzy.checked) {
          plan.fuzzyDedupe = { drop: cFuzzyDrop.checked };
          if (sName.value) plan.fuzzyDedupe.name = sName.value;
          if (sEmail.value) plan.fuzzyDedupe.email = sEmail.value;
          if (sPhone.value) plan.fuzzyDedupe.phone = sPhone.value;
        }
        const w = session.worker;
        let r = await w.clean(cur.handle, plan);
        let masked = null;
        if (cMask.checked) {
          const m = await w.mask(r.dataset.handle, { columns: 'auto', method: 'redact' });
          await w.free(r.dataset.handle);
          masked = m.report;
          r = { ...r, dataset: m.dataset };
        }
        cleaned = r.dataset;
        cleanedFrom = cur;
        await show(r, masked);
      } catch (e) {
        replace(out, h('div', { class: 'notice notice-error', role: 'alert', dataset: { testid: 'clean-error' } },
          h('p', { class: 'error-message' }, `${e.message}${e.code ? ` (${e.code})` : ''}`)));
      } finally {
        run.disabled = false;
      }
    });
    replace(root, h('section', { class: 'view' },
      h('header', { class: 'view-header' }, h('h1', {}, 'Clean'),
        h('p', { class: 'lede' }, `Clean ${cur.name} with every change logged. The original table is kept as it is.`)),
      h('section', { class: 'card' }, h('div', { class: 'options-grid' }, fTrim, fDedupe, fFill, fMask, fFuzzy, fFuzzyDrop, fName, fEmail, fPhone),
        h('h2', {}, 'Column rules'), ruleTable,
        h('div', { class: 'loader-actions' }, run)),
      out));
  }

  async function show(r, masked) {
    const w = session.worker;
    const table = (head, body, cls = 'table-wrap table-wrap-short') => h('div', { class: cls },
      h('table', { class: 'table' }, h('thead', {}, h('tr', {}, head.map((t) => h('th', {}, t)))), h('tbody', {}, body)));
    const cell = (v) => h('td', { class: 'wrap' }, v == null ? '' : String(v));
    const log = r.log;
    const csv = await w.toCsv(r.dataset.handle, { bom: true });
    blobUrl = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const rows = await w.rows(r.dataset.handle, 0, PREVIEW_ROWS);
    const names = r.dataset.columns.map((c) => c.name);
    const summary = h('section', { class: 'card', dataset: { testid: 'clean-summary' } },
      h('dl', { class: 'facts' },
        h('div', { class: 'fact fact-big', dataset: { testid: 'rows-out' } }, h('dd', {}, fmtInt(log.rowsOut)), h('dt', {}, `Rows (of ${fmtInt(log.rowsIn)})`)),
        log.counts.map((c) => h('div', { class: 'fact' }, h('dd', {}, fmtInt(c.count)), h('dt', {}, `${c.rule}${c.column ? ` · ${c.column}` : ''}`))),
        masked ? masked.columns.map((c) => h('div', { class: 'fact' }, h('dd', {}, fmtInt(c.cells)), h('dt', {}, `masked · ${c.name}`))) : null),
      log.notes.map((n) => h('p', { class: 'hint' }, n)),
      h('div', { class: 'loader-actions' }, keepButton(),
        h('a', { class: 'btn btn-ghost', href: blobUrl, download: fileName('cleaned', session.current?.name), dataset: { testid: 'export' } }, 'Export CSV')));
    const preview = h('section', { class: 'card', dataset: { testid: 'clean-preview' } },
      h('div', { class: 'card-head' }, h('h2', {}, `Cleaned table (first ${PREVIEW_ROWS} rows)`)),
      table(names, rows.map((row) => h('tr', {}, names.map((n) => cell(row[n])))), 'table-wrap'));
    const changes = h('section', { class: 'card', dataset: { testid: 'clean-log' } },
      h('div', { class: 'card-head' }, h('h2', {}, `Change log${log.changes.length > LOG_ROWS ? ` (first ${LOG_ROWS})` : ''}`)),
      log.changes.length ? table(['Row', 'Column', 'Before', 'After', 'Rule'],
        log.changes.slice(0, LOG_ROWS).map((c) => h('tr', {}, cell(c.row), cell(c.column), cell(c.before), cell(c.after), cell(c.rule))))
        : h('p', { class: 'muted' }, 'No changes.'));
    const dups = h('section', { class: 'card', dataset: { testid: 'duplicates' } },
      h('div', { class: 'card-head' }, h('h2', {}, `Duplicate customers (${fmtInt(r.duplicates.length)} groups)`)),
      r.duplicates.length ? [table(['Rows', 'Row kept', 'Likeness', 'Name', 'Email', 'Phone'],
        r.duplicates.slice(0, 100).flatMap((g) => g.pairs.map((p) => h('tr', {},
          cell(`${p.a} · ${p.b}`), cell(g.survivor), cell(likeness(p.score)),
          cell(likeness(p.name)), cell(likeness(p.email)), cell(likeness(p.phone)))))),
        h('p', { class: 'hint' }, 'Likeness: how alike the two rows are, from 0% (nothing in common) to 100% (the same), overall and per column; the row kept is the most complete one.')]
        : h('p', { class: 'muted' }, 'None found (or fuzzy matching not asked for).'));
    replace(out, summary, preview, changes, dups);
  }

  const likeness = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : null);

  // The cleaned table joins the workspace (kind "cleaned", the role of its source: a cleaned
  // orders file is read as orders) and becomes the input of every view; the workspace owns it from then on.
  function keepButton() {
    const btn = h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: 'keep-cleaned' } }, 'Use the cleaned table in every view');
    btn.addEventListener('click', () => {
      if (!cleaned || !cleanedFrom) return;
      const name = session.uniqueName(`cleaned (${cleanedFrom.name})`);
      session.addTable(cleaned, { name, kind: 'cleaned', role: cleanedFrom.role, from: cleanedFrom.name, use: true });
      cleaned = null;
      btn.replaceWith(h('p', { class: 'notice notice-neutral', role: 'status', dataset: { testid: 'kept-cleaned' } },
        `Kept as “${name}” in the workspace: it is now the input of every view (switch back with the Input table bar).`));
    });
    return btn;
  }

  session.addEventListener('change', render);
  render();
  return () => {
    session.removeEventListener('change', render);
    freeResult();
  };
}
