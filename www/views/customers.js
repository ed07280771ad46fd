// Customers view: one row per customer joining everything the workspace knows (attributes,
// RFM segment, P(alive), CLV, segment labels, sentiment, predictions, rule events), with
// sort, filters (segment, group, "at risk"), search, column choice, virtual scrolling over
// any number of rows and CSV export through the package's writer. The address carries the
// filters (#/customers?segment=At%20Risk&atrisk=1), so counts elsewhere link here.

import { h, replace } from '../lib/dom.js';
import { fmtDate, fmtInt, fmtMoney, fmtMoneyShort, fmtNum, fmtPct, isMoney, PLAIN } from '../lib/format.js';
import { atRisk, buildCustomers, customerHref, customerPlan, customersHref, firedRules } from '../lib/customers.js';
import { download, fileName, rowsToCsv } from '../lib/export.js';
import { bars, PALETTE, scatter } from '../lib/charts.js';
import { boolText } from '../lib/boolwords.js';

const ROW_H = 34;
const VIEWPORT_H = 560;
const PROB = /^(pAlive|negativeShare|.*(probability|prob|churnRisk).*)$/i;
export const LABELS = {
  pAlive: 'P(alive) · still buying', clv: 'CLV · future value', expectedPurchases: 'Expected purchases', expectedSpend: 'Spend per purchase',
  frequency: 'Repeat purchases', recency: 'Recency (weeks)', T: 'Age (weeks)', monetary: 'Mean spend', rfm: 'RFM score',
  segment: 'RFM segment', firstPurchase: 'First purchase', lastPurchase: 'Last purchase', group: 'Segment (clusters)',
  sentiment: 'Sentiment', sentimentMean: 'Mean sentiment (−1 to 1)', reviews: 'Reviews', positiveReviews: 'Positive reviews', negativeReviews: 'Negative reviews', negativeShare: 'Share of negative reviews',
  nextAction: 'Next action', actionPriority: 'Action priority (0 = most urgent)', openRules: 'Open rule events', rulesFired: 'Rules fired',
  probability: 'Predicted probability', label: 'Predicted class',
  recommended: 'Recommended next', because: 'Because they bought', bestSellerFallback: 'Best sellers (no history)',
};
/** Columns with few values offered as filters (in this order); the address keeps them by name. */
const FILTERS = ['segment', 'group', 'sentiment', 'nextAction'];
const DEFAULT_HIDDEN = new Set(['rScore', 'fScore', 'mScore', 'T', 'recency', 'positiveReviews', 'negativeReviews', 'expectedSpend', 'firstPurchase', 'rfm', 'monetary',
  'actionPriority', 'openRules', 'baseValue', 'because', 'bestSellerFallback']);
const isFactor = (name) => /^factor\d+(Value|Contribution)?$/.test(name);
const MAX_DEFAULT_COLUMNS = 14;
/** Words of a filter in an export's file name (customers_segment-champions_…). */
const FILE_WORDS = { nextAction: 'action' };

/** Display text of a value of a column. */
export function cellText(col, v) {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  if (col.type === 'date' || col.type === 'datetime') return fmtDate(v);
  if (typeof v === 'boolean') return boolText(v, col.words);
  if (typeof v === 'number') {
    if (PROB.test(col.name)) return fmtPct(v);
    if (isMoney(col.name)) return fmtMoney(v);
    return col.type === 'int64' ? fmtInt(v) : fmtNum(v, 2);
  }
  return String(v);
}

async function readTable(worker, entry) {
  const cols = [];
  for (const c of entry.columns) {
    const values = c.type === 'date' || c.type === 'datetime'
      ? await worker.timestamps(entry.handle, c.name) : await worker.column(entry.handle, c.name);
    cols.push({ ...c, values, words: entry.boolWords?.[c.name] ?? null });
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

  function show(entry, allCols) {
    const n = entry.numRows;
    const label = (name) => entry.labels?.[name] ?? LABELS[name] ?? name;
    const idCol = allCols.find((c) => c.name === entry.key) ?? allCols[0];
    // The customer id first, then what says what to do (predictions, next action), then the rest.
    const highlights = (entry.highlights ?? []).filter((x) => allCols.some((c) => c.name === x));
    const cols = [idCol, ...highlights.map((x) => allCols.find((c) => c.name === x)),
      ...allCols.filter((c) => c !== idCol && !highlights.includes(c.name))];
    const byName = Object.fromEntries(cols.map((c) => [c.name, c]));
    const risk = byName.clv && byName.pAlive ? atRisk(byName.clv.values, byName.pAlive.values) : null;
    const visible = new Set(cols.filter((c) => !DEFAULT_HIDDEN.has(c.name) && !isFactor(c.name)).slice(0, MAX_DEFAULT_COLUMNS).map((c) => c.name));
    visible.add(idCol.name);
    const probCol = highlights.find((x) => byName[x].values instanceof Float64Array);
    let sort = { name: byName.clv ? 'clv' : probCol ?? null, dir: -1 };
    let order = new Uint32Array(0);

    // ---------- controls ----------
    const levels = (c) => [...new Set(c.values.filter((v) => v != null))].sort((a, b) => String(a).localeCompare(String(b)));
    const filterSelect = (name, title) => {
      const c = byName[name];
      if (!c || c.type === 'float64' || c.type === 'int64') return [null, null];
      const wanted = query.get(name) ?? '';
      const s = h('select', { id: `cu-${name}`, dataset: { testid: `filter-${name}` } }, h('option', { value: '' }, 'All'),
        levels(c).map((v) => h('option', { value: String(v), selected: String(v) === wanted }, cellText(c, v) || String(v))));
      return [h('div', { class: 'field' }, h('label', { for: `cu-${name}` }, title), s), s];
    };
    const filterNames = [...FILTERS, ...highlights.filter((x) => !FILTERS.includes(x))]
      .filter((x) => byName[x] && !(byName[x].values instanceof Float64Array) && levels(byName[x]).length <= 200);
    // `predicted=Yes` (the Predict view's "N above the threshold") names the predicted class
    // whatever its column is called after the join.
    const predictedCol = entry.predictedColumn && byName[entry.predictedColumn] ? entry.predictedColumn : null;
    if (predictedCol && query.has('predicted') && !query.has(predictedCol)) query.set(predictedCol, query.get('predicted'));
    const filters = filterNames.map((x) => { const [field, select] = filterSelect(x, label(x)); return { name: x, field, select }; })
      .filter((f) => f.select);
    for (const f of filters) { const v = byName[f.name].values; f.test = (i, wanted) => String(v[i]) === wanted; }
    // `rule=churn-risk` (the Rules view's per-rule counts): the customers with an open event
    // of that rule, whichever rule is their most urgent (their `rulesFired` list holds it).
    const rulesCol = byName[entry.rulesColumn ?? 'rulesFired'];
    if (rulesCol) {
      const sets = Array.from(rulesCol.values, (v) => new Set(firedRules(v)));
      const ids = [...new Set(sets.flatMap((x) => [...x]))].sort((a, b) => a.localeCompare(b));
      const wanted = query.get('rule') ?? '';
      const select = h('select', { id: 'cu-rule', dataset: { testid: 'filter-rule' } }, h('option', { value: '' }, 'All'),
        ids.map((v) => h('option', { value: v, selected: v === wanted }, v)));
      filters.push({ name: 'rule', field: h('div', { class: 'field' }, h('label', { for: 'cu-rule' }, 'Rule fired'), select), select,
        test: (i, x) => sets[i].has(x) });
    }
    const search = h('input', { type: 'search', id: 'cu-search', value: query.get('q') ?? '', placeholder: 'id, name, city…', dataset: { testid: 'search' } });
    const riskBox = risk ? h('input', { type: 'checkbox', id: 'cu-risk', checked: query.get('atrisk') === '1', dataset: { testid: 'filter-atrisk' } }) : null;
    const count = h('p', { class: 'count', dataset: { testid: 'customer-count' } });
    const bom = h('input', { type: 'checkbox', id: 'cu-bom', checked: true });
    const exportBtn = h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: 'export-customers' } }, 'Export CSV');
    const colPicker = h('details', { class: 'more-options', dataset: { testid: 'column-choice' } }, h('summary', {}, 'Columns'),
      h('div', { class: 'column-choice' }, cols.map((c) => {
        const box = h('input', { type: 'checkbox', checked: visible.has(c.name), value: c.name });
        box.addEventListener('change', () => { if (box.checked) visible.add(c.name); else visible.delete(c.name); renderHeader(); renderRows(true); });
        return h('label', { class: 'check' }, box, ` ${label(c.name)}`);
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
        `${label(c.name)}${arrow}`);
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
      const q = search.value.trim().toLowerCase();
      const onlyRisk = riskBox?.checked;
      const active = filters.filter((f) => f.select.value).map((f) => ({ name: f.name, test: f.test, wanted: f.select.value }));
      if (q && !haystack) haystack = Array.from({ length: n }, (_, i) => textCols.map((c) => (c.values[i] == null ? '' : String(c.values[i]))).join('\u0001').toLowerCase());
      const idx = [];
      for (let i = 0; i < n; i++) {
        if (active.length && !active.every((f) => f.test(i, f.wanted))) continue;
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
      for (const f of active) qs.set(f.name, f.wanted);
      if (onlyRisk) qs.set('atrisk', '1');
      if (q) qs.set('q', search.value.trim());
      const hash = `#/customers${qs.toString() ? `?${qs}` : ''}`;
      if (location.hash !== hash) history.replaceState(null, '', hash);
      renderHeader();
      renderRows(true);
      drawCharts();
    }

    // ---------- charts over the rows shown ----------
    const numeric = cols.filter((c) => c.values instanceof Float64Array && c.type !== 'date' && c.type !== 'datetime' && c !== idCol);
    const groupable = cols.filter((c) => (c.type === 'category' || c.type === 'text' || c.type === 'bool') && c !== idCol && levels(c).length <= 30 && levels(c).length > 1);
    const pick = (id, title, list, value, none) => {
      const s = h('select', { id, dataset: { testid: id } }, none ? h('option', { value: '' }, none) : null,
        list.map((c) => h('option', { value: c.name, selected: c.name === value }, label(c.name))));
      s.addEventListener('change', drawCharts);
      return [h('div', { class: 'field' }, h('label', { for: id }, title), s), s];
    };
    const has = (n) => numeric.some((c) => c.name === n);
    const target = probCol ?? numeric.find((c) => /churn|propens|probab|predict|score/i.test(c.name) && !/^[rfm]Score$/.test(c.name))?.name ?? (has('pAlive') ? 'pAlive' : numeric[0]?.name);
    const [fx, sx] = pick('chart-x', 'Across', numeric, has('frequency') ? 'frequency' : numeric[0]?.name);
    const [fy, sy] = pick('chart-y', 'Up', numeric, has('clv') ? 'clv' : numeric[1]?.name);
    const [fcol, scol] = pick('chart-colour', 'Colour by', groupable, byName.group ? 'group' : byName.segment ? 'segment' : '', '(none)');
    const [fm, sm] = pick('chart-measure', 'Measure', numeric, target);
    const [fg, sg] = pick('chart-by', 'Per', groupable, byName.group ? 'group' : byName.segment ? 'segment' : groupable[0]?.name);
    const logX = h('input', { type: 'checkbox', id: 'chart-logx' });
    const logY = h('input', { type: 'checkbox', id: 'chart-logy', checked: sy.value === 'clv' });
    logX.addEventListener('change', drawCharts);
    logY.addEventListener('change', drawCharts);
    const scatterBox = h('div', { dataset: { testid: 'chart-scatter' } });
    const barsBox = h('div', { dataset: { testid: 'chart-bars' } });
    const chartsCard = numeric.length >= 2 ? h('section', { class: 'card', dataset: { testid: 'customer-charts' } },
      h('div', { class: 'card-head' }, h('h2', {}, 'Charts of the customers shown')),
      h('div', { class: 'options-grid' }, fx, fy, fcol,
        h('div', { class: 'field' }, h('label', { class: 'check', for: 'chart-logx' }, logX, ' log scale across'), h('label', { class: 'check', for: 'chart-logy' }, logY, ' log scale up'))),
      scatterBox,
      h('h3', {}, 'Mean per group'),
      h('div', { class: 'options-grid' }, fm, fg),
      barsBox,
      h('p', { class: 'hint' }, 'Hover a point for the customer, click it for their record; click a bar to list that group.')) : null;
    // Axis ticks and tooltips: amounts short ("$1.2K"), the rest as in the list.
    const fmtOf = (name) => (v) => (isMoney(name) && Number.isFinite(v) ? fmtMoneyShort(v) : cellText(byName[name], v));
    let drawTimer = 0;
    function drawCharts() {
      if (!chartsCard) return;
      clearTimeout(drawTimer);
      drawTimer = setTimeout(() => {
        const gc = byName[scol.value];
        const lv = gc ? levels(gc).map(String) : [];
        const levelIndex = new Map(lv.map((v, k) => [v, k]));
        const groupIdx = gc ? Array.from(gc.values, (v) => (v == null ? null : levelIndex.get(String(v)))) : null;
        replace(scatterBox, scatter(byName[sx.value].values, byName[sy.value].values, order, groupIdx, {
          xLabel: label(sx.value), yLabel: label(sy.value), xLog: logX.checked, yLog: logY.checked,
          fmtX: fmtOf(sx.value), fmtY: fmtOf(sy.value), label: (i) => `Customer ${idCol.values[i]}`,
          onClick: (i) => { location.hash = customerHref(idCol.values[i]); },
        }), gc ? h('div', { class: 'legend' }, lv.map((v, k) => {
          const sw = h('span', { class: 'swatch' });
          sw.style.background = PALETTE[k % PALETTE.length];
          return h('span', { class: 'legend-item' }, sw, v);
        })) : null);
        const bc = byName[sg.value], mc = byName[sm.value];
        if (!bc || !mc) { replace(barsBox); return; }
        const sums = new Map();
        for (const i of order) {
          const k = bc.values[i], v = mc.values[i];
          if (k == null || !Number.isFinite(v)) continue;
          const e = sums.get(String(k)) ?? { sum: 0, count: 0 };
          e.sum += v; e.count++;
          sums.set(String(k), e);
        }
        const barLevels = new Map(levels(bc).map((v, k) => [String(v), k])); // same colours as the legend
        const items = [...sums].map(([label, e]) => ({ label, value: e.sum / e.count, count: e.count, color: PALETTE[(barLevels.get(label) ?? 0) % PALETTE.length] }))
          .sort((a, b) => b.value - a.value);
        const linkable = filters.some((f) => f.name === bc.name);
        replace(barsBox, bars(items, { fmt: fmtOf(mc.name), label: `Mean ${label(mc.name)} per ${label(bc.name)}`,
          href: linkable ? (d) => customersHref({ [bc.name]: d.label }) : null }));
      }, 60);
    }
    for (const s of [...filters.map((f) => f.select), riskBox]) s?.addEventListener('change', apply);
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
        const parts = ['customers', ...filters.map((f) => f.select.value && `${FILE_WORDS[f.name] ?? f.name} ${f.select.value}`),
          riskBox?.checked && 'at risk', search.value.trim() && `search ${search.value.trim()}`];
        const name = fileName(...parts);
        exportBtn.dataset.file = name;
        download(csv, name);
      } finally {
        exportBtn.disabled = false;
      }
    });

    const joins = (entry.reports ?? []).map((r) => h('li', { dataset: { testid: 'join-report' } },
      `${r.table}: ${fmtInt(r.matched)} of ${fmtInt(r.customers)} customers matched`
      + (r.unmatchedRows ? `; ${fmtInt(r.unmatchedRows)} rows with an id that is not a customer` : '')
      + (r.duplicateRows ? `; ${fmtInt(r.duplicateRows)} rows repeat a customer (the first one is used: is it one row per customer?)` : '')));
    const riskHint = risk ? h('label', { class: 'check', for: 'cu-risk' }, riskBox,
      ` At risk only: high value and low P(alive) (CLV ≥ ${fmtMoney(risk.clvCut)}, the top quarter; chance of still buying below ${fmtPct(risk.aliveCut)}) — ${fmtInt(risk.count)} customers`) : null;
    replace(body,
      h('section', { class: 'card', dataset: { testid: 'customer-controls' } },
        h('div', { class: 'options-grid' }, h('div', { class: 'field' }, h('label', { for: 'cu-search' }, 'Search'), search), filters.map((f) => f.field)),
        riskHint, colPicker,
        h('div', { class: 'loader-actions' }, count, h('span', { class: 'spacer' }),
          h('label', { class: 'check', for: 'cu-bom' }, bom, ' UTF-8 mark for Excel'), exportBtn),
        joins.length ? h('details', { class: 'more-options' }, h('summary', {}, `Built from ${entry.from} and ${joins.length} joined tables`), h('ul', { class: 'hint' }, joins)) : null),
      h('section', { class: 'card vlist' }, inner),
      chartsCard);
    apply();
  }

  return () => { disposed = true; };
}
