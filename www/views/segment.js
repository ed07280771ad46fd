// Segments view: segment the loaded customers with crmlens segment() in the worker, then
// show the 2-D projection coloured by segment, the choice of k, one card per segment with
// its description and numbers, and export the labels as a column.
// Everything from the file is set as text (lib/dom.js).

import { needFile } from '../lib/empty.js';
import { h, replace } from '../lib/dom.js';
import { fmtInt, fmtMoney, isMoney } from '../lib/format.js';
import { customersHref } from '../lib/customers.js';
import { rateCard } from '../lib/segment_rate.js';
import { scatter as chartScatter } from '../lib/charts.js';
import { fileName } from '../lib/export.js';
import { pooledSegments } from '../lib/segment_pool.js';

/** What the view needs as input (its empty state and error notes say so; lib/empty.js). */
const NEEDS = { title: 'Segments',
  needs: 'a customer table with numbers to compare: one row per customer (a CRM export, or the Customer value results of an orders file)',
  example: 'the Customer value table made from CDNOW_master.txt, or a customer file with age, income, spending score', roles: ['customers', 'value', 'customers-360'] };

const PALETTE = ['#3b5bdb', '#e8590c', '#2b8a3e', '#c2255c', '#7048e8', '#0b7285', '#f08c00', '#5c940d', '#862e9c', '#1971c2', '#d9480f', '#495057'];
const color = (id) => PALETTE[id % PALETTE.length];
// Styles go through the CSSOM: the page's CSP (style-src 'self') blocks style attributes.
function swatch(id) {
  const el = h('span', { class: 'swatch' });
  el.style.background = color(id);
  return el;
}
const SKIP_ROLES = new Set(['id', 'email', 'phone', 'url', 'freeText', 'postalCode']);
const usable = (c) => ['int64', 'float64', 'bool', 'category'].includes(c.type) && !SKIP_ROLES.has(c.role);
// At most this many points are drawn (an even subsample above it, stated under the plot).
const MAX_POINTS = 200_000;

const num = (v, d = 2) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '—');
const pct = (v) => `${num(100 * v, 1)}%`;

/**
 * CSV text of plain rows through the package's one CSV writer (quoting, formula
 * neutralisation, one-column rows kept): the rows are loaded as a dataset in the worker
 * and written with toCsv. `names` are the columns, `rows` arrays of values (null = missing).
 */
async function toCsvViaPackage(worker, names, rows) {
  const objects = rows.map((r) => Object.fromEntries(names.map((n, j) => [n, r[j] ?? null])));
  const ds = await worker.load(JSON.stringify(objects), { format: 'json' });
  try {
    return await worker.toCsv(ds.handle, { bom: true });
  } finally {
    await worker.free(ds.handle);
  }
}

/** A canvas sized for the device pixel ratio; draw(ctx, width, height) in CSS pixels. */
function canvas(width, height, label, draw) {
  const el = h('canvas', { width: Math.round(width * devicePixelRatio), height: Math.round(height * devicePixelRatio), role: 'img', 'aria-label': label, class: 'chart' });
  el.style.width = `${width}px`;
  const ctx = el.getContext('2d');
  ctx.scale(devicePixelRatio, devicePixelRatio);
  draw(ctx, width, height);
  return el;
}

function scatter(r) {
  const n = r.labels.length;
  const step = Math.max(1, Math.ceil(n / MAX_POINTS));
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i += step) {
    const x = r.projection[2 * i], y = r.projection[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  const W = 720, H = 440, pad = 16;
  const el = canvas(W, H, `Scatter plot of ${fmtInt(n)} rows on two principal components, coloured by segment`, (ctx) => {
    const sx = (W - 2 * pad) / ((x1 - x0) || 1), sy = (H - 2 * pad) / ((y1 - y0) || 1);
    ctx.globalAlpha = n > 20_000 ? 0.35 : 0.8;
    for (let s = 0; s < r.k; s++) {
      ctx.fillStyle = color(s);
      for (let i = 0; i < n; i += step) {
        if (r.labels[i] !== s) continue;
        ctx.fillRect(pad + (r.projection[2 * i] - x0) * sx - 1.5, H - pad - (r.projection[2 * i + 1] - y0) * sy - 1.5, 3, 3);
      }
    }
  });
  el.dataset.testid = 'scatter-canvas';
  el.dataset.points = String(Math.ceil(n / step));
  const [e1, e2] = r.explainedVariance;
  return [el,
    h('div', { class: 'legend' }, Array.from({ length: r.k }, (_, s) =>
      h('span', { class: 'legend-item' }, swatch(s), `Segment ${s + 1}`))),
    h('p', { class: 'hint' }, `Axes: the first two principal components of the scaled columns — the two directions along which customers differ most, mixing all columns (they carry ${pct(e1)} and ${pct(e2)} of the differences). Pick two columns above to see them instead.`
      + (step > 1 ? ` Every ${step}th row is drawn (${fmtInt(Math.ceil(n / step))} of ${fmtInt(n)}).` : ''))];
}

/**
 * The scatter with choosable axes: the two principal components (default), or any two
 * numeric columns of the input, every row coloured by its segment (hover for the row).
 */
function axesChoice(cur, r, column) {
  const numeric = cur.columns.filter((c) => (c.type === 'int64' || c.type === 'float64') && !SKIP_ROLES.has(c.role));
  const box = h('div', {}, scatter(r));
  if (numeric.length < 2) return box;
  const pick = (id, label, value) => {
    const sel = h('select', { id, dataset: { testid: id } }, h('option', { value: '' }, 'principal component'),
      numeric.map((c) => h('option', { value: c.name, selected: c.name === value }, c.name)));
    return [h('div', { class: 'field' }, h('label', { for: id }, label), sel), sel];
  };
  const [fx, sx] = pick('seg-axis-x', 'Across', '');
  const [fy, sy] = pick('seg-axis-y', 'Up', '');
  const draw = async () => {
    if (!sx.value || !sy.value) { replace(box, scatter(r)); return; }
    const [xs, ys] = await Promise.all([column(sx.value), column(sy.value)]);
    const index = [];
    for (let i = 0; i < r.labels.length; i++) if (r.labels[i] >= 0) index.push(i);
    replace(box, chartScatter(xs, ys, index, r.labels, {
      xLabel: sx.value, yLabel: sy.value, fmtX: (v) => num(v), fmtY: (v) => num(v), label: (i) => `Row ${i + 1} · Segment ${r.labels[i] + 1}`,
    }), h('div', { class: 'legend' }, Array.from({ length: r.k }, (_, s) => h('span', { class: 'legend-item' }, swatch(s), `Segment ${s + 1}`))),
    h('p', { class: 'hint' }, `Axes: ${sx.value} across, ${sy.value} up (every segmented row; hover a point for it).`));
  };
  sx.addEventListener('change', () => draw().catch(() => {}));
  sy.addEventListener('change', () => draw().catch(() => {}));
  return [h('div', { class: 'options-grid' }, fx, fy), box];
}

function kChart(r) {
  const scores = r.kScores;
  const W = 520, H = 220, pad = 34;
  const maxSil = Math.max(...scores.map((s) => (Number.isFinite(s.silhouette) ? s.silhouette : 0)), 0.01);
  const el = canvas(W, H, `Silhouette for k = ${scores.map((s) => s.k).join(', ')}; k = ${r.k} chosen`, (ctx) => {
    const bw = (W - 2 * pad) / scores.length;
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    scores.forEach((s, i) => {
      const v = Number.isFinite(s.silhouette) ? Math.max(0, s.silhouette) : 0;
      const bh = (H - 2 * pad) * (v / maxSil);
      ctx.fillStyle = s.k === r.k ? '#3b5bdb' : '#aab4cf';
      ctx.fillRect(pad + i * bw + bw * 0.15, H - pad - bh, bw * 0.7, bh);
      ctx.fillStyle = '#5f6678';
      ctx.fillText(String(s.k), pad + (i + 0.5) * bw, H - pad + 16);
      ctx.fillText(num(s.silhouette, 2), pad + (i + 0.5) * bw, H - pad - bh - 6);
    });
    ctx.textAlign = 'left';
    ctx.fillText('silhouette by k (higher = better separated)', pad, 16);
  });
  el.dataset.testid = 'k-chart-canvas';
  return el;
}

function segmentCard(r, s) {
  const v = (f, x) => (isMoney(f.column) ? fmtMoney(x) : num(x));
  // z: how many standard deviations the segment's mean is from everyone's; lift: how many times more common the level is.
  const zText = (z) => (Number.isFinite(z) ? `${z > 0 ? '+' : ''}${num(z, 1)} sd (${Math.abs(z) < 0.2 ? 'about the same' : z > 0 ? 'higher' : 'lower'})` : '—');
  const rows = s.features.map((f) => f.kind === 'numeric'
    ? h('tr', {}, h('td', {}, f.column), h('td', { class: 'num' }, v(f, f.mean)), h('td', { class: 'num' }, v(f, f.overallMean)),
      h('td', { class: 'num', title: `z = ${num(f.z)}: standard deviations from the mean of all rows` }, zText(f.z)))
    : h('tr', {}, h('td', {}, f.column), h('td', { class: 'num' }, `${f.level} ${pct(f.share)}`), h('td', { class: 'num' }, pct(f.overallShare)),
      h('td', { class: 'num', title: `lift ${num(f.lift)}: share in the segment ÷ share in all rows` }, `×${num(f.lift, 1)} as common`)));
  return h('section', { class: 'card segment-card', dataset: { testid: 'segment-card', segment: s.id } },
    h('div', { class: 'card-head' },
      h('h2', {}, swatch(s.id), `Segment ${s.id + 1}`),
      r.labelTable
        ? h('a', { class: 'muted', href: customersHref({ group: `Segment ${s.id + 1}` }), dataset: { testid: 'segment-size-link' } }, `${fmtInt(s.size)} customers · ${pct(s.share)}`)
        : h('span', { class: 'muted' }, `${fmtInt(s.size)} rows · ${pct(s.share)}`)),
    h('p', { class: 'segment-description', dataset: { testid: 'segment-description' } }, s.description),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Column'), h('th', { class: 'num' }, 'Segment'), h('th', { class: 'num' }, 'All rows'), h('th', { class: 'num', title: 'numbers: standard deviations (sd) from the mean of all rows; categories: how many times as common as in all rows' }, 'Difference'))),
      h('tbody', {}, rows))));
}

export function mount(root, { session, navigate }) {
  const out = h('div', { class: 'result' });
  let href = null;

  function select(id, label, options, value) {
    const el = h('select', { id, name: id }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
    return [h('div', { class: 'field' }, h('label', { for: id }, label), el), el];
  }

  function render() {
    const cur = session.current;
    if (!cur) {
      replace(root, needFile(session, navigate, NEEDS));
      return;
    }
    // A table held in the pool (every core): k-means over its shards (lib/segment_pool.js).
    if (cur.pooled) {
      replace(root, pooledSegments(cur, { session, NEEDS }));
      return;
    }
    const cols = cur.columns.filter(usable);
    const boxes = cols.map((c) => h('input', { type: 'checkbox', value: c.name, checked: true, id: `seg-col-${c.name}` }));
    const colField = h('fieldset', { class: 'field seg-columns', dataset: { testid: 'seg-columns' } }, h('legend', {}, 'Columns'),
      cols.map((c, i) => h('label', { class: 'check' }, boxes[i], ` ${c.name} (${c.type})`)));
    const [fk, sk] = select('seg-k', 'Segments (k)', [['auto', 'auto (2–10, by silhouette)'], ...Array.from({ length: 11 }, (_, i) => [String(i + 2), String(i + 2)])], 'auto');
    const [fa, sa] = select('seg-algorithm', 'Algorithm', [['auto', 'auto'], ['kmeans', 'k-means (one-hot categories)'], ['minibatch', 'mini-batch k-means'], ['kprototypes', 'k-prototypes']], 'auto');
    const [fs, ss] = select('seg-scaling', 'Scaling', [['standard', 'standard (z-scores)'], ['robust', 'robust (median, IQR)'], ['none', 'none']], 'standard');
    const [fm, sm] = select('seg-missing', 'Missing values', [['impute', 'impute (mean / most frequent)'], ['drop', 'drop the row']], 'impute');
    const seed = h('input', { id: 'seg-seed', type: 'number', value: '42', min: '0', step: '1' });
    const fseed = h('div', { class: 'field' }, h('label', { for: 'seg-seed' }, 'Seed'), seed);
    const run = h('button', { class: 'btn btn-secondary', type: 'button', dataset: { testid: 'run-segment' } }, 'Find segments');
    run.addEventListener('click', async () => {
      run.disabled = true;
      // Long work: progress from the worker (segmentAsync's phases) and a Cancel button.
      const controller = new AbortController();
      const status = h('span', {}, 'Segmenting…');
      const cancel = h('button', { class: 'btn btn-secondary', type: 'button', dataset: { testid: 'cancel-segment' }, onclick: () => controller.abort() }, 'Cancel');
      replace(out, h('p', { class: 'muted', role: 'status' }, status, ' ', cancel));
      const onProgress = ({ phase, done, total }) => {
        status.textContent = phase === 'cluster' && total > 1 ? `Segmenting… trying k ${done + 1} of ${total}` : phase === 'score' ? 'Scoring the segments…' : 'Segmenting…';
      };
      try {
        const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
        const options = { k: sk.value === 'auto' ? 'auto' : Number(sk.value), algorithm: sa.value, scaling: ss.value, missing: sm.value, seed: Number(seed.value) || 0 };
        if (chosen.length !== cols.length) options.columns = chosen;
        const started = performance.now();
        const r = await session.worker.segment(cur.handle, { ...options, onProgress, signal: controller.signal });
        await keepLabels(cur, r);
        session.stash('segments', { input: cur.name, r, ms: performance.now() - started });
        await show(cur, r, performance.now() - started);
      } catch (e) {
        if (e?.code === 'ABORTED') {
          replace(out, h('p', { class: 'muted', role: 'status', dataset: { testid: 'segment-cancelled' } }, 'Cancelled: no segments were computed.'));
          return;
        }
        replace(out, h('div', { class: 'notice notice-error', role: 'alert', dataset: { testid: 'segment-error' } },
          h('div', {}, h('strong', { class: 'notice-title' }, 'Could not segment'),
            h('p', { class: 'error-message' }, `${e.message}${e.code ? ` (${e.code})` : ''}`),
            h('p', { class: 'hint', dataset: { testid: 'error-needs' } }, `This view needs ${NEEDS.needs}.`))));
      } finally {
        run.disabled = false;
      }
    });
    replace(root, h('section', { class: 'view' },
      h('header', { class: 'view-header' }, h('h1', {}, 'Segments'),
        h('p', { class: 'lede' }, `Groups of similar rows in ${cur.name}, with what sets each group apart. Computed in this tab.`)),
      ordersNotice(cur),
      h('section', { class: 'card' }, colField, h('div', { class: 'options-grid' }, fk, fa, fs, fm, fseed), h('div', { class: 'loader-actions' }, run)),
      out));
    const kept = session.stashed('segments');
    if (kept && !kept.pooled && kept.input === cur.name) show(cur, kept.r, kept.ms).catch(() => {});
  }

  // An orders table has one row per purchase: segments of it would group purchases, not
  // customers. Offer the customer table made from it (Customer value), or the way to make it.
  function ordersNotice(cur) {
    if (cur.role !== 'orders') return null;
    const value = session.byRole('value').find((t) => t.from === cur.name);
    return h('div', { class: 'notice notice-neutral', role: 'status', dataset: { testid: 'orders-notice' } },
      h('div', {}, h('strong', { class: 'notice-title' }, `${cur.name} has one row per purchase (${fmtInt(cur.numRows)} rows)`),
        h('p', {}, 'Segments of it would group purchases, not customers. Segment one row per customer instead.'),
        value
          ? h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: 'use-customer-table' }, onclick: () => session.use(value.name) }, `Use ${value.name}`)
          : h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: 'make-customer-table' }, onclick: () => navigate('value') }, 'Compute Customer value first')));
  }

  // Labels of a table with an id column (one row per customer) are kept in the workspace
  // as "segments (<input>)": id, group; the Customers list joins them.
  async function keepLabels(cur, r) {
    const idCol = cur.columns.find((c) => c.role === 'id') ?? (cur.kind === 'value' ? cur.columns[0] : null);
    if (!idCol) return;
    const ids = await session.column(idCol.name);
    const rows = Array.from(r.labels, (label, i) => ({ [idCol.name]: ids[i] == null ? null : String(ids[i]), group: label < 0 ? null : `Segment ${label + 1}` }));
    const ds = await session.worker.load(JSON.stringify(rows), { format: 'json' });
    session.addTable(ds, { name: `segments (${cur.name})`, kind: 'segments', from: cur.name, key: idCol.name });
    r.labelTable = `segments (${cur.name})`;
  }

  async function show(cur, r, ms) {
    if (href) URL.revokeObjectURL(href);
    // Labels as a column: row number, the id column if there is one, segment (1-based; empty for a dropped row).
    const idCol = cur.columns.find((c) => c.role === 'id');
    const ids = idCol ? await session.column(idCol.name) : null;
    const idName = idCol ? (['row', 'segment'].includes(idCol.name) ? `${idCol.name}_id` : idCol.name) : null;
    const names = ['row', ...(idName ? [idName] : []), 'segment'];
    const rows = Array.from(r.labels, (label, i) => [i + 1, ...(ids ? [ids[i]] : []), label < 0 ? null : label + 1]);
    const csv = await toCsvViaPackage(session.worker, names, rows);
    href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const prep = r.preparation;
    const fact = (label, value, testid = null) => h('div', { class: 'fact', dataset: { testid } }, h('dd', {}, value), h('dt', {}, label));
    const notes = [
      ...prep.imputed.map((c) => `${c.column}: ${c.note}`),
      ...prep.excluded.map((c) => `${c.column} not used: ${c.note}`),
      prep.rowsDropped ? `${fmtInt(prep.rowsDropped)} rows with a missing value were left out.` : null,
    ].filter(Boolean);
    // The segmentation's own warnings (tiny segments, k at the edge of its range, transaction rows).
    const warnings = r.warnings?.length
      ? h('div', { class: 'notice notice-neutral', role: 'status', dataset: { testid: 'segment-warnings' } },
        h('div', {}, h('strong', { class: 'notice-title' }, 'Read these segments with care'),
          h('ul', {}, r.warnings.map((w) => h('li', { dataset: { code: w.code } }, w.message)))))
      : null;
    const summary = h('section', { class: 'card', dataset: { testid: 'segment-summary' } },
      warnings,
      h('dl', { class: 'facts' },
        fact('Segments', String(r.k), 'seg-k'),
        fact('Silhouette (how well separated: −1 to 1, higher = clearer)', num(r.silhouette, 3), 'seg-silhouette'),
        fact('Davies–Bouldin (how much groups overlap: lower = more distinct)', num(r.daviesBouldin, 3)),
        fact('Calinski–Harabasz (spread between groups ÷ within: higher = tighter groups)', num(r.calinskiHarabasz, 1)),
        fact('Rows segmented', `${fmtInt(prep.rowsUsed)} of ${fmtInt(prep.rowsTotal)}`),
        fact('Algorithm', `${r.algorithm}, ${num(ms / 1000, 2)} s`)),
      h('p', { class: 'hint', dataset: { testid: 'k-choice' } }, r.kChoice
        + (r.silhouetteMethod.exact ? '' : ` (silhouette on a sample of ${fmtInt(r.silhouetteMethod.rows)} rows)`)),
      notes.length ? h('ul', { class: 'hint' }, notes.map((t) => h('li', {}, t))) : null,
      h('a', { class: 'btn btn-ghost', href, download: fileName('segments', cur.name), dataset: { testid: 'export-labels' } }, 'Export labels (CSV column)'));
    const plot = h('section', { class: 'card', dataset: { testid: 'scatter' } }, h('div', { class: 'card-head' }, h('h2', {}, 'Segments on a 2-D plot')),
      axesChoice(cur, r, (name) => session.column(name)));
    const chart = h('section', { class: 'card', dataset: { testid: 'k-chart' } }, h('div', { class: 'card-head' }, h('h2', {}, 'Choosing k')),
      r.kScores.length > 1 ? kChart(r) : h('p', { class: 'hint' }, `k = ${r.k} was fixed; choose “auto” to compare k = 2–10.`));
    const rate = rateCard(session, cur, r.labels, { k: r.k, color, href: r.labelTable ? (s) => customersHref({ group: `Segment ${s + 1}` }) : null });
    replace(out, summary, plot, chart, rate, h('div', { class: 'segment-cards' }, r.segments.map((s) => segmentCard(r, s))));
  }

  session.addEventListener('change', render);
  render();
  return () => {
    session.removeEventListener('change', render);
    if (href) URL.revokeObjectURL(href);
  };
}
