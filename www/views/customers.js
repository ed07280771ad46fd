// Customers view: one row per customer joining everything the workspace knows (attributes,
// RFM segment, P(alive), CLV, segment labels, sentiment, predictions, rule events), with
// sort, filters (segment, group, "at risk"), search, column choice, virtual scrolling over
// any number of rows and CSV export through the package's writer. The address carries the
// filters (#/customers?segment=At%20Risk&atrisk=1), so counts elsewhere link here.

import { h, replace } from '../lib/dom.js';
import { fmtDate, fmtInt, fmtMoney, fmtNum, fmtPct, PLAIN } from '../lib/format.js';
import { atRisk, buildCustomers, customerHref, customerPlan } from '../lib/customers.js';
import { download, fileName, rowsToCsv } from '../lib/export.js';

const ROW_H = 34;
const VIEWPORT_H = 560;
const MONEY = /^(clv|monetary|expectedSpend|.*(amount|spend|revenue|value|price|total).*)$/i;
const PROB = /^(pAlive|.*(probability|prob|churnRisk).*)$/i;
export const LABELS = {
  pAlive: 'P(alive) · still buying', clv: 'CLV · future value', expectedPurchases: 'Expected purchases', expectedSpend: 'Spend per purchase',
  frequency: 'Repeat purchases', recency: 'Recency (weeks)', T: 'Age (weeks)', monetary: 'Mean spend', rfm: 'RFM score',
  segment: 'RFM segment', firstPurchase: 'First purchase', lastPurchase: 'Last purchase', group: 'Segment (clusters)',
  sentiment: 'Sentiment', sentimentMean: 'Mean sentiment (−1 to 1)', reviews: 'Reviews', positiveReviews: 'Positive reviews', negativeReviews: 'Negative reviews',
};
const DEFAULT_HIDDEN = new Set(['rScore', 'fScore', 'mScore', 'T', 'recency', 'positiveReviews', 'negativeReviews', 'expectedSpend', 'firstPurchase', 'rfm', 'monetary']);
const MAX_DEFAULT_COLUMNS = 14;

/** Display text of a value of a column. */
export function cellText(col, v) {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  if (col.type === 'date' || col.type === 'datetime') return fmtDate(v);
  if (typeof v === 'number') {
    if (PROB.test(col.name)) return fmtPct(v);
    if (MONEY.test(col.name)) return fmtMoney(v);
    return col.type === 'int64' ? fmtInt(v) : fmtNum(v, 2);
  }
  return String(v);
}

async function readTable(worker, entry) {
  const cols = [];
  for (const c of entry.columns) {
    const values = c.type === 'date' || c.type === 'datetime'
      ? await worker.timestamps(entry.handle, c.name) : await worker.column(entry.handle, c.name);
    cols.push({ ...c, values });
  }
  return cols;
}

/** A signature of what the customer table is built from, to rebuild it when that changes. */
function planSignature(session) {
  const p = customerPlan(session);
  return p ? [p.base.handle, ...p.parts.map((x) => `${x.table.handle}:${x.otherKey}`)].join('|') : '';
}

export function mount(root, { session, navigate, params }) {
  let disposed = false;
  const query = params?.query ?? new URLSearchParams();
  const head = h('header', { class: 'view-header' }, h('h1', {}, 'Customers'),
    h('p', { class: 'lede' }, 'One row per customer with everything known about them. Click a customer for their record.'));
  const body = h('div', { class: 'result' });
  replace(root, head, body);

  (async () => {
    let entry = session.table('customers (joined)');
    const sig = planSignature(session);
    if (!sig) {
      replace(body, h('section', { class: 'card notice notice-neutral', dataset: { testid: 'customers-empty' } },
        h('div', {}, h('strong', { class: 'notice-title' }, 'No customers yet'),
          h('p', {}, 'Load a customers file (CRM export) in the Workspace, or an orders file and compute its Customer value: the list is built from them.'),
          h('div', { class: 'loader-actions' },
            h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => navigate('workspace') }, 'Go to Workspace'),
            h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => navigate('value') }, 'Go to Customer value')))));
      return;
    }
    if (!entry || entry.signature !== sig) {
      replace(body, h('p', { class: 'muted', role: 'status' }, 'Joining the customer tables…'));
      const built = await buildCustomers(session);
      entry = built.entry;
      entry.signature = sig;
    }
    replace(body, h('p', { class: 'muted', role: 'status' }, `Reading ${fmtInt(entry.numRows)} customers…`));
    const cols = await readTable(session.worker, entry);
    if (!disposed) show(entry, cols);
  })().catch((e) => {
    if (!disposed) replace(body, h('div', { class: 'notice notice-error', role: 'alert', dataset: { testid: 'customers-error' } }, h('p', {}, `Could not build the customer list: ${e.message}`)));
  });

  function show(entry, cols) {
    const n = entry.numRows;
    const byName = Object.fromEntries(cols.map((c) => [c.name, c]));
    const idCol = byName[entry.key] ?? cols[0];
    const risk = byName.clv && byName.pAlive ? atRisk(byName.clv.values, byName.pAlive.values) : null;
    const visible = new Set(cols.filter((c) => !DEFAULT_HIDDEN.has(c.name)).slice(0, MAX_DEFAULT_COLUMNS).map((c) => c.name));
    visible.add(idCol.name);
    let sort = { name: byName.clv ? 'clv' : null, dir: -1 };
    let order = new Uint32Array(0);

    // ---------- controls ----------
    const levels = (c) => [...new Set(c.values.filter((v) => v != null))].sort((a, b) => String(a).localeCompare(String(b)));
    const filterSelect = (name, label) => {
      const c = byName[name];
      if (!c || c.type === 'float64' || c.type === 'int64') return [null, null];
      const wanted = query.get(name) ?? '';
      const s = h('select', { id: `cu-${name}`, dataset: { testid: `filter-${name}` } }, h('option', { value: '' }, 'All'),
        levels(c).map((v) => h('option', { value: String(v), selected: String(v) === wanted }, String(v))));
      return [h('div', { class: 'field' }, h('label', { for: `cu-${name}` }, label), s), s];
    };
    const [fSeg, sSeg] = filterSelect('segment', 'RFM segment');
    const [fGroup, sGroup] = filterSelect('group', 'Segment (clusters)');
    const [fSent, sSent] = filterSelect('sentiment', 'Sentiment');
    const search = h('input', { type: 'search', id: 'cu-search', value: query.get('q') ?? '', placeholder: 'id, name, city…', dataset: { testid: 'search' } });
    const riskBox = risk ? h('input', { type: 'checkbox', id: 'cu-risk', checked: query.get('atrisk') === '1', dataset: { testid: 'filter-atrisk' } }) : null;
    const count = h('p', { class: 'count', dataset: { testid: 'customer-count' } });
    const bom = h('input', { type: 'checkbox', id: 'cu-bom', checked: true });
    const exportBtn = h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: 'export-customers' } }, 'Export CSV');
    const colPicker = h('details', { class: 'more-options', dataset: { testid: 'column-choice' } }, h('summary', {}, 'Columns'),
      h('div', { class: 'column-choice' }, cols.map((c) => {
        const box = h('input', { type: 'checkbox', checked: visible.has(c.name), value: c.name });
        box.addEventListener('change', () => { if (box.checked) visible.add(c.name); else visible.delete(c.name); renderHeader(); renderRows(true); });
        return h('label', { class: 'check' }, box, ` ${LABELS[c.name] ?? c.name}`);
      })));

    // ---------- virtual list ----------
    const headerRow = h('div', { class: 'vrow vhead', role: 'row' });
    const spacer = h('div', { class: 'vspacer' });
    const rowsBox = h('div', { class: 'vrows', role: 'rowgroup' });
    const viewport = h('div', { class: 'vviewport', role: 'table', 'aria-label': 'Customers', dataset: { testid: 'customer-list' } }, spacer, rowsBox);
    viewport.style.height = `${VIEWPORT_H}px`;
    const inner = h('div', { class: 'vinner' }, headerRow, viewport);
    const shown = () => cols.filter((c) => visible.has(c.name));
    const widthOf = (c) => (c === idCol ? 110 : c.type === 'date' || c.type === 'datetime' ? 120 : c.type === 'text' || c.type === 'category' ? 150 : 120);
    const gridTemplate = () => {
      const cs = shown();
      inner.style.minWidth = `${cs.reduce((s, c) => s + widthOf(c), 0)}px`;
      return cs.map((c) => `minmax(${widthOf(c)}px,1fr)`).join(' ');
    };

    function renderHeader() {
      const template = gridTemplate();
      headerRow.style.gridTemplateColumns = template;
      replace(headerRow, shown().map((c) => {
        const arrow = sort.name === c.name ? (sort.dir > 0 ? ' ▲' : ' ▼') : '';
        return h('button', { type: 'button', class: `vcell vth${c.type === 'int64' || c.type === 'float64' ? ' num' : ''}`, role: 'columnheader',
          title: PLAIN[c.name] ?? c.name, dataset: { column: c.name, testid: 'sort' },
          onclick: () => { sort = { name: c.name, dir: sort.name === c.name ? -sort.dir : (c.type === 'text' || c.type === 'category' ? 1 : -1) }; apply(); } },
        `${LABELS[c.name] ?? c.name}${arrow}`);
      }));
    }

    let lastFirst = -1;
    function renderRows(force = false) {
      const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_H) - 5);
      if (!force && first === lastFirst) return;
      lastFirst = first;
      const last = Math.min(order.length, first + Math.ceil(VIEWPORT_H / ROW_H) + 10);
      const template = gridTemplate();
      const cs = shown();
      rowsBox.style.transform = `translateY(${first * ROW_H}px)`;
      const rows = [];
      for (let k = first; k < last; k++) {
        const i = order[k];
        const row = h('div', { class: 'vrow', role: 'row', dataset: { testid: 'customer-row', row: i } }, cs.map((c) => {
          const text = cellText(c, c.values[i]);
          if (c === idCol) return h('a', { class: 'vcell', role: 'cell', href: customerHref(c.values[i]), dataset: { testid: 'customer-link' } }, text);
          return h('span', { class: `vcell${c.type === 'int64' || c.type === 'float64' ? ' num' : ''}`, role: 'cell', title: text }, text);
        }));
        row.style.gridTemplateColumns = template;
        rows.push(row);
      }
      replace(rowsBox, rows);
    }
    viewport.addEventListener('scroll', () => requestAnimationFrame(() => renderRows()));

    // ---------- filter + sort ----------
    let haystack = null;
    const textCols = cols.filter((c) => c.type === 'text' || c.type === 'category');
    function apply() {
      const seg = sSeg?.value, grp = sGroup?.value, sent = sSent?.value, q = search.value.trim().toLowerCase();
      const onlyRisk = riskBox?.checked;
      if (q && !haystack) haystack = Array.from({ length: n }, (_, i) => textCols.map((c) => (c.values[i] == null ? '' : String(c.values[i]))).join('\u0001').toLowerCase());
      const idx = [];
      for (let i = 0; i < n; i++) {
        if (seg && String(byName.segment.values[i]) !== seg) continue;
        if (grp && String(byName.group.values[i]) !== grp) continue;
        if (sent && String(byName.sentiment.values[i]) !== sent) continue;
        if (onlyRisk && !risk.mask[i]) continue;
        if (q && !haystack[i].includes(q)) continue;
        idx.push(i);
      }
      const sc = sort.name ? byName[sort.name] : null;
      if (sc) {
        const v = sc.values, d = sort.dir;
        const numeric = v instanceof Float64Array;
        idx.sort((a, b) => {
          const x = v[a], y = v[b];
          const mx = x == null || (numeric && Number.isNaN(x)), my = y == null || (numeric && Number.isNaN(y));
          if (mx || my) return mx === my ? a - b : mx ? 1 : -1; // missing last
          if (numeric) return (x - y) * d || a - b;
          return String(x).localeCompare(String(y), undefined, { numeric: true }) * d || a - b;
        });
      }
      order = Uint32Array.from(idx);
      spacer.style.height = `${order.length * ROW_H}px`;
      viewport.scrollTop = 0;
      count.textContent = `${fmtInt(order.length)} of ${fmtInt(n)} customers`;
      count.dataset.count = String(order.length);
      // The address keeps the filters (shareable within the tab, and the back button works).
      const qs = new URLSearchParams();
      if (seg) qs.set('segment', seg);
      if (grp) qs.set('group', grp);
      if (sent) qs.set('sentiment', sent);
      if (onlyRisk) qs.set('atrisk', '1');
      if (q) qs.set('q', search.value.trim());
      const hash = `#/customers${qs.toString() ? `?${qs}` : ''}`;
      if (location.hash !== hash) history.replaceState(null, '', hash);
      renderHeader();
      renderRows(true);
    }
    for (const s of [sSeg, sGroup, sSent, riskBox]) s?.addEventListener('change', apply);
    let timer = 0;
    search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(apply, 150); });

    exportBtn.addEventListener('click', async () => {
      exportBtn.disabled = true;
      try {
        const cs = shown();
        const rows = Array.from(order, (i) => cs.map((c) => {
          const v = c.values[i];
          if (c.type === 'date' || c.type === 'datetime') return Number.isFinite(v) ? new Date(v).toISOString().slice(0, c.type === 'date' ? 10 : 19) : null;
          return typeof v === 'number' && !Number.isFinite(v) ? null : v;
        }));
        const csv = await rowsToCsv(session.worker, cs.map((c) => c.name), rows, { bom: bom.checked });
        const parts = ['customers', sSeg?.value && `segment ${sSeg.value}`, sGroup?.value && `group ${sGroup.value}`, sSent?.value && `sentiment ${sSent.value}`, riskBox?.checked && 'at risk', search.value.trim() && `search ${search.value.trim()}`];
        const name = fileName(...parts);
        exportBtn.dataset.file = name;
        download(csv, name);
      } finally {
        exportBtn.disabled = false;
      }
    });

    const joins = (entry.reports ?? []).map((r) => h('li', { dataset: { testid: 'join-report' } },
      `${r.table}: ${fmtInt(r.matched)} of ${fmtInt(r.customers)} customers matched`
      + (r.unmatchedRows ? `; ${fmtInt(r.unmatchedRows)} rows with an id that is not a customer` : '')));
    const riskHint = risk ? h('label', { class: 'check', for: 'cu-risk' }, riskBox,
      ` At risk only: high value and low P(alive) (CLV ≥ ${fmtMoney(risk.clvCut)}, the top quarter; chance of still buying below ${fmtPct(risk.aliveCut)}) — ${fmtInt(risk.count)} customers`) : null;
    replace(body,
      h('section', { class: 'card', dataset: { testid: 'customer-controls' } },
        h('div', { class: 'options-grid' }, h('div', { class: 'field' }, h('label', { for: 'cu-search' }, 'Search'), search), fSeg, fGroup, fSent),
        riskHint, colPicker,
        h('div', { class: 'loader-actions' }, count, h('span', { class: 'spacer' }),
          h('label', { class: 'check', for: 'cu-bom' }, bom, ' UTF-8 mark for Excel'), exportBtn),
        joins.length ? h('details', { class: 'more-options' }, h('summary', {}, `Built from ${entry.from} and ${joins.length} joined tables`), h('ul', { class: 'hint' }, joins)) : null),
      h('section', { class: 'card vlist' }, inner));
    apply();
  }

  return () => { disposed = true; };
}
