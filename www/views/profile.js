// Profile view: a report of the loaded table (dataset.profile, run in the worker):
// overview, alerts, strongest correlations and a card per column with its histogram or
// top values. Every value from the file is set as text (lib/dom.js); bars are SVG
// rectangles sized by numbers only.

import { needFile } from '../lib/empty.js';
import { h, replace } from '../lib/dom.js';
import { download, fileName, rowsToCsv } from '../lib/export.js';
import { cancelledNote, longWork } from '../lib/work.js';
import { fmtBytes, fmtDate, fmtInt, alertText, fmtMoney, isMoney } from '../lib/format.js';

/** What the view needs as input (its empty state and error notes say so; lib/empty.js). */
const NEEDS = { title: 'Profile',
  needs: 'a table to describe: any CSV, TSV, JSON or Excel file (a CRM export, orders, reviews…)',
  example: 'customers.csv or orders.csv', roles: ['customers', 'orders', 'feedback', 'products', 'other'] };

const SVG = 'http://www.w3.org/2000/svg';
const num = (v, d = 2) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: d }) : '—');
const SEVERITY = { high: 'tag tag-bad', warning: 'tag tag-warn', info: 'tag' };

/** A bar chart of counts (SVG, no inline styles); `tip(i)` is bar i's tooltip (its range and count). */
function bars(counts, label, tip = null) {
  const w = 240, ht = 64, n = counts.length, max = Math.max(1, ...counts);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${ht}`);
  svg.setAttribute('class', 'hist');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  counts.forEach((c, i) => {
    const r = document.createElementNS(SVG, 'rect');
    const bh = Math.max(c > 0 ? 1 : 0, (c / max) * ht);
    r.setAttribute('x', String((i * w) / n + 0.5));
    r.setAttribute('y', String(ht - bh));
    r.setAttribute('width', String(Math.max(1, w / n - 1)));
    r.setAttribute('height', String(bh));
    if (tip) {
      const t = document.createElementNS(SVG, 'title');
      t.textContent = tip(i);
      r.append(t);
    }
    svg.append(r);
  });
  return svg;
}

/** A histogram edge as text: dates as dates (date edges are days since 1970, datetime edges milliseconds). */
function edgeText(c, v) {
  if (c.type === 'date') return fmtDate(Math.round(v) * 86_400_000);
  if (c.type === 'datetime') return fmtDate(v);
  return isMoney(c.name) ? fmtMoney(v) : num(v);
}

/** A category bar sized by its count (width through the CSSOM: the CSP blocks style attributes). */
function topBar(count, max) {
  const bar = h('span', { class: 'top-bar', 'aria-hidden': 'true' });
  bar.style.width = `${max ? (100 * count) / max : 0}%`;
  return bar;
}

function columnCard(c) {
  const facts = [
    ['Type', `${c.type}${c.role ? ` · ${c.role}` : ''}`],
    ['Missing', `${fmtInt(c.missing)} (${num(c.missingPct, 1)}%)`],
    ['Distinct', `${c.distinctExact ? '' : '≈'}${fmtInt(c.distinct)}`],
  ];
  if (c.numeric) {
    const n = c.numeric;
    const v = (x) => (isMoney(c.name) ? fmtMoney(x) : num(x));
    facts.push(['Mean (average)', v(n.mean)], ['Std (typical spread)', v(n.std)], ['Min', v(n.min)], ['Median (middle value)', v(c.quantiles.values[49])],
      ['Max', v(n.max)], ['Zeros', fmtInt(n.zeros)], ['Negatives', fmtInt(n.negatives)], ['Skewness (0 = symmetric)', num(n.skewness)],
      ['Outliers (IQR rule)', fmtInt(n.outliersIqr)]);
  }
  if (c.dates) facts.push(['From', c.type === 'date' ? fmtDate(c.dates.min) : c.dates.min.replace('T', ' ')], ['To', c.type === 'date' ? fmtDate(c.dates.max) : c.dates.max.replace('T', ' ')], ['Granularity', c.dates.granularity]);
  if (c.text) {
    facts.push(['Length', `${num(c.text.minLength, 0)}–${num(c.text.maxLength, 0)} (mean ${num(c.text.meanLength, 1)})`]);
    if (c.text.shapes[0]) facts.push(['Common shape', c.text.shapes[0].value]);
    if (c.text.padded) facts.push(['Padded with spaces', fmtInt(c.text.padded)]);
    if (c.text.pii.length) facts.push(['Personal data', c.text.pii.map((p) => `${p.kind} ${fmtInt(p.count)}`).join(', ')]);
  }
  const chart = c.histogram && c.histogram.counts.length
    ? h('figure', { class: 'hist-figure' }, bars(c.histogram.counts, `Histogram of ${c.name}`,
      (i) => `${edgeText(c, c.histogram.edges[i])} – ${edgeText(c, c.histogram.edges[i + 1])}: ${fmtInt(c.histogram.counts[i])} rows`),
      h('figcaption', { class: 'hint', dataset: { testid: 'hist-range' } }, `${edgeText(c, c.histogram.edges[0])} … ${edgeText(c, c.histogram.edges.at(-1))}`))
    : null;
  const top = c.top.length && !c.histogram
    ? h('div', { class: 'table-wrap table-wrap-short' }, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Value'), h('th', { class: 'num' }, 'Count'), h('th', { class: 'bar-cell' }, h('span', { class: 'sr-only' }, 'Share')))),
      h('tbody', {}, c.top.map((t) => h('tr', {}, h('td', { class: 'wrap' }, t.value), h('td', { class: 'num' }, fmtInt(t.count)),
        h('td', { class: 'bar-cell' }, topBar(t.count, c.top[0].count)))))))
    : null;
  return h('section', { class: 'card profile-column', dataset: { testid: 'column-card', column: c.name } },
    h('div', { class: 'card-head' }, h('h2', {}, c.name), h('span', { class: 'tag' }, c.kind)),
    h('dl', { class: 'facts' }, facts.map(([k, v]) => h('div', { class: 'fact' }, h('dd', {}, v), h('dt', {}, k)))),
    chart, top);
}

/** One row per column of the profile, for the export (numbers as numbers, dates as written). */
function profileRows(rep) {
  const names = ['column', 'type', 'role', 'missing', 'missingPct', 'distinct', 'mean', 'std', 'min', 'median', 'max', 'from', 'to', 'topValue', 'topCount', 'alerts'];
  const alertsOf = new Map();
  for (const a of rep.alerts) if (a.column) alertsOf.set(a.column, [...(alertsOf.get(a.column) ?? []), a.kind]);
  const rows = rep.columns.map((c) => [c.name, c.type, c.role ?? null, c.missing, c.missingPct, c.distinct,
    c.numeric?.mean ?? null, c.numeric?.std ?? null, c.numeric?.min ?? null, c.quantiles?.values?.[49] ?? null, c.numeric?.max ?? null,
    c.dates?.min ?? null, c.dates?.max ?? null, c.top?.[0]?.value ?? null, c.top?.[0]?.count ?? null, (alertsOf.get(c.name) ?? []).join('; ') || null]
    .map((v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
  return { names, rows };
}

export function mount(root, { session, navigate }) {
  const out = h('div', { class: 'result' });

  function render() {
    const cur = session.current;
    if (!cur) {
      replace(root, needFile(session, navigate, NEEDS));
      return;
    }
    const run = h('button', { class: 'btn btn-secondary', type: 'button', dataset: { testid: 'run-profile' } }, 'Profile this table');
    run.addEventListener('click', async () => {
      run.disabled = true;
      // A table held in the pool (every core): each worker profiles its shard, the states
      // are merged (ShardedDataset.profile), with progress per pass and Cancel.
      const work = cur.pooled ? longWork(`Profiling in ${cur.workers} workers`, { testid: 'profile', phases: { first: 'first pass', second: 'second pass' } }) : null;
      replace(out, work ? work.box : h('p', { class: 'muted', role: 'status' }, 'Profiling…'));
      const t0 = performance.now();
      try {
        const rep = cur.pooled
          ? await cur.pooled.profile({ signal: work.signal, onProgress: (p) => work.onProgress({ phase: p.stage, done: p.done, total: p.total }) })
          : await session.worker.profile(cur.handle);
        work?.check();
        session.stash('profile', { input: cur.name, rep, ms: performance.now() - t0 });
        show(rep, performance.now() - t0, cur);
      } catch (e) {
        if (e?.code === 'ABORTED') {
          replace(out, cancelledNote('profile', 'no profile was computed'));
          return;
        }
        replace(out, h('div', { class: 'notice notice-error', role: 'alert', dataset: { testid: 'profile-error' } },
          h('p', { class: 'error-message' }, `${e.message}${e.code ? ` (${e.code})` : ''}`)));
      } finally {
        run.disabled = false;
      }
    });
    replace(root, h('section', { class: 'view' },
      h('header', { class: 'view-header' }, h('h1', {}, 'Profile'),
        h('p', { class: 'lede' }, `Statistics, distributions, alerts and correlations for ${cur.name}. Computed in this tab.`)),
      h('div', { class: 'loader-actions' }, run), out));
    // The profile computed earlier on this input is shown again (results survive switching views).
    const kept = session.stashed('profile');
    if (kept && kept.input === cur.name) show(kept.rep, kept.ms, cur);
    else replace(out);
  }

  function show(rep, ms, cur) {
    const d = rep.dataset;
    const fact = (label, value, testid) => h('div', { class: 'fact fact-big', dataset: { testid } }, h('dd', {}, value), h('dt', {}, label));
    const overview = h('section', { class: 'card', dataset: { testid: 'profile-overview' } },
      h('dl', { class: 'facts' },
        fact('Rows', fmtInt(d.rows), 'rows'), fact('Columns', fmtInt(d.columns), 'columns'),
        fact('Memory', fmtBytes(d.memoryBytes)), fact('Duplicate rows', fmtInt(d.duplicateRows), 'duplicates'),
        fact('Missing cells', `${num(d.missingCellsPct, 2)}%`), fact('Alerts', fmtInt(d.alerts), 'alert-count')),
      h('p', { class: 'hint', dataset: { testid: 'profiled-in' } }, `Profiled in ${num(ms, 0)} ms${cur.pooled ? ` by ${fmtInt(cur.workers)} workers (${fmtInt(cur.shards)} shards, states merged)` : ''}.`),
      h('div', { class: 'loader-actions' }, exportButton(rep, cur)));
    const alerts = h('section', { class: 'card', dataset: { testid: 'alerts' } },
      h('div', { class: 'card-head' }, h('h2', {}, 'Alerts')),
      rep.alerts.length ? h('div', { class: 'table-wrap table-wrap-short' }, h('table', { class: 'table' },
        h('tbody', {}, rep.alerts.map((a) => h('tr', { dataset: { kind: a.kind } },
          h('td', {}, h('span', { class: SEVERITY[a.severity] ?? 'tag' }, a.severity)),
          h('td', {}, a.column ?? '(table)'), h('td', { class: 'wrap', dataset: { testid: 'alert-plain' } }, alertText(a)))))))
        : h('p', { class: 'muted' }, 'Nothing to report.'));
    const corr = h('section', { class: 'card', dataset: { testid: 'correlations' } },
      h('div', { class: 'card-head' }, h('h2', {}, 'Strongest correlations')),
      rep.correlations.strongest.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Columns'), h('th', {}, 'Measure'), h('th', { class: 'num' }, 'Value'))),
        h('tbody', {}, rep.correlations.strongest.map((p) => h('tr', {},
          h('td', {}, `${p.a} · ${p.b}`), h('td', {}, p.method), h('td', { class: 'num' }, num(p.value, 3)))))))
        : h('p', { class: 'muted' }, 'No pairs to correlate.'),
      rep.correlations.strongest.length ? h('p', { class: 'hint', dataset: { testid: 'corr-plain' } },
        'Correlation runs from −1 to 1: near 1, the two columns rise together; near −1, one falls as the other rises; near 0, no link. Pearson looks for a straight-line link, Spearman for the same order; Cramér’s V (0 to 1) compares categories. A link is not a cause.') : null);
    replace(out, overview, alerts, corr, h('div', { class: 'profile-columns' }, rep.columns.map(columnCard)));
  }

  // The profile as a table (one row per column), through the package's writer (formula-safe).
  function exportButton(rep, cur) {
    const btn = h('button', { type: 'button', class: 'btn btn-ghost', dataset: { testid: 'export-profile' } }, 'Export profile (CSV)');
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        const { names, rows } = profileRows(rep);
        download(await rowsToCsv(session.worker, names, rows, { bom: true }), fileName('profile', cur.name));
      } finally {
        btn.disabled = false;
      }
    });
    return btn;
  }

  session.addEventListener('change', render);
  render();
  return () => session.removeEventListener('change', render);
}
