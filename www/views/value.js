// Customer value view: from the loaded transaction table to RFM segments, P(alive),
// expected purchases and lifetime value (crmlens customerValue, run in the worker).
// Everything from the file is set as text (lib/dom.js).

import { needFile } from '../lib/empty.js';
import { h, replace } from '../lib/dom.js';
import { fmtDate, fmtInt, fmtMoney, fmtMoneyShort, fmtMonth, fmtPct } from '../lib/format.js';
import { atRisk, customerHref, customersHref } from '../lib/customers.js';
import { heat } from '../lib/charts.js';
import { cancelledNote, longWork } from '../lib/work.js';
import { fileName } from '../lib/export.js';

/** What the view needs as input (its empty state and error notes say so; lib/empty.js). */
const NEEDS = { title: 'Customer value',
  needs: 'an orders file: one row per purchase, with the customer id, the date and the amount (or quantity × price)',
  example: 'CDNOW_master.txt (customer_id, date, quantity, dollar_value) or an e-shop’s order export', roles: ['orders'] };

const TOP = 20;

function guess(columns) {
  const by = (pred) => columns.find(pred)?.name ?? '';
  const numeric = (c) => c.type === 'int64' || c.type === 'float64';
  // Order lines (a quantity and a unit price): the amount of a line is quantity × price, not the price.
  const quantity = by((c) => numeric(c) && /^(qty|quantity)/i.test(c.name));
  const price = by((c) => numeric(c) && /price/i.test(c.name));
  const lines = Boolean(quantity && price);
  return {
    customer: by((c) => c.role === 'id' && /cust|client|member|user/i.test(c.name)) || by((c) => c.role === 'id'),
    date: by((c) => c.type === 'date' || c.type === 'datetime'),
    amount: lines ? '' : by((c) => c.role === 'money' && c.type !== 'text') || by((c) => c.type === 'float64'),
    quantity: lines ? quantity : '',
    price: lines ? price : '',
    invoice: lines ? by((c) => /invoice|order/i.test(c.name)) : '',
  };
}

/** The model's own warnings (`model.warnings`: { code, message }), shown where the numbers are. */
export function warningList(warnings, testid) {
  if (!warnings?.length) return null;
  return h('div', { class: 'notice notice-neutral', role: 'status', dataset: { testid } },
    h('div', {}, h('strong', { class: 'notice-title' }, 'What this data supports'),
      h('ul', {}, warnings.map((w) => h('li', { dataset: { code: w.code } }, w.message)))));
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** Histogram of finite values: 20 equal bins up to the 99th percentile, then one for the rest. */
export function histogram(values, bins = 20) {
  const v = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return { edges: [], counts: [], over: 0, n: 0 };
  const lo = Math.min(0, v[0]);
  const hi = v[Math.min(v.length - 1, Math.floor(0.99 * (v.length - 1)))] || v[v.length - 1] || 1;
  const width = (hi - lo) / bins || 1;
  const counts = new Array(bins).fill(0);
  let over = 0;
  for (const x of v) {
    if (x > hi) over++;
    else counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * width), counts, over, n: v.length };
}

/** Histogram of the positive finite values in 20 bins of equal ratio (log10 scale); zeros counted apart. */
export function logHistogram(values, bins = 20) {
  const v = Array.from(values).filter((x) => Number.isFinite(x) && x > 0);
  const zeros = Array.from(values).filter((x) => x === 0).length;
  if (!v.length) return { edges: [], counts: [], over: 0, n: 0, zeros, ratio: 1 };
  let lo = Infinity, hi = -Infinity;
  for (const x of v) { if (x < lo) lo = x; if (x > hi) hi = x; }
  const l0 = Math.log10(lo), l1 = Math.log10(hi), w = (l1 - l0) / bins || 1;
  const counts = new Array(bins).fill(0);
  for (const x of v) counts[Math.min(bins - 1, Math.floor((Math.log10(x) - l0) / w))]++;
  return { edges: Array.from({ length: bins + 1 }, (_, i) => 10 ** (l0 + i * w)), counts, over: null, n: v.length, zeros, ratio: 10 ** w };
}

function histogramSvg({ edges, counts, over }, fmt, { log = false } = {}) {
  if (log) return logHistogramSvg({ edges, counts }, fmt);
  const all = [...counts, over];
  const max = Math.max(1, ...all);
  const W = 640, H = 180, pad = 44, bw = (W - pad) / all.length;
  const g = svg('svg', { viewBox: `0 0 ${W} ${H + 36}`, class: 'chart', role: 'img', 'aria-label': 'Distribution of customer lifetime value' });
  all.forEach((c, i) => {
    const bh = (H - 10) * (c / max);
    const label = i < counts.length ? `${fmt(edges[i])}–${fmt(edges[i + 1])}: ${c} customers` : `above ${fmt(edges[edges.length - 1])}: ${c} customers`;
    g.append(svg('rect', { x: pad + i * bw + 1, y: H - bh, width: Math.max(1, bw - 2), height: bh, class: i < counts.length ? 'bar' : 'bar bar-over' },
      svg('title', {}, label)));
  });
  g.append(svg('line', { x1: pad, y1: H, x2: W, y2: H, class: 'axis' }));
  for (const i of [0, Math.floor(counts.length / 2)]) {
    g.append(svg('text', { x: pad + i * bw, y: H + 16, class: 'tick', 'text-anchor': 'middle' }, fmt(edges[i])));
  }
  g.append(svg('text', { x: pad + counts.length * bw + bw / 2, y: H + 16, class: 'tick', 'text-anchor': 'middle' }, '99%+'));
  g.append(svg('text', { x: pad - 6, y: 12, class: 'tick', 'text-anchor': 'end' }, String(max)));
  return g;
}

function logHistogramSvg({ edges, counts }, fmt) {
  const max = Math.max(1, ...counts);
  const W = 640, H = 180, pad = 44, bw = (W - pad) / Math.max(1, counts.length);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H + 36}`, class: 'chart', role: 'img', 'aria-label': 'Distribution of customer lifetime value, log scale' });
  counts.forEach((c, i) => {
    const bh = (H - 10) * (c / max);
    g.append(svg('rect', { x: pad + i * bw + 1, y: H - bh, width: Math.max(1, bw - 2), height: bh, class: 'bar' },
      svg('title', {}, `${fmt(edges[i])}–${fmt(edges[i + 1])}: ${c} customers`)));
  });
  g.append(svg('line', { x1: pad, y1: H, x2: W, y2: H, class: 'axis' }));
  for (const i of [0, Math.floor(counts.length / 2), counts.length]) {
    g.append(svg('text', { x: pad + i * bw, y: H + 16, class: 'tick', 'text-anchor': 'middle' }, fmt(edges[i])));
  }
  g.append(svg('text', { x: pad - 6, y: 12, class: 'tick', 'text-anchor': 'end' }, String(max)));
  return g;
}

const F_BUCKETS = [[0, 0, '0'], [1, 1, '1'], [2, 2, '2'], [3, 3, '3'], [4, 5, '4–5'], [6, 9, '6–9'], [10, Infinity, '10+']];

/** Mean P(alive) per (frequency bucket, recency bucket): rows = frequency, columns = recency. */
export function aliveGrid(freq, recency, alive, nRec = 8) {
  let maxR = 0;
  for (const r of recency) if (Number.isFinite(r) && r > maxR) maxR = r;
  const width = maxR / nRec || 1;
  const sum = F_BUCKETS.map(() => new Array(nRec).fill(0));
  const cnt = F_BUCKETS.map(() => new Array(nRec).fill(0));
  for (let i = 0; i < freq.length; i++) {
    if (!Number.isFinite(alive[i]) || !Number.isFinite(recency[i])) continue;
    const f = F_BUCKETS.findIndex(([lo, hi]) => freq[i] >= lo && freq[i] <= hi);
    const r = Math.min(nRec - 1, Math.floor(recency[i] / width));
    if (f < 0) continue;
    sum[f][r] += alive[i];
    cnt[f][r]++;
  }
  return { fLabels: F_BUCKETS.map((b) => b[2]), rEdges: Array.from({ length: nRec + 1 }, (_, i) => i * width), mean: sum.map((row, f) => row.map((s, r) => (cnt[f][r] ? s / cnt[f][r] : NaN))), count: cnt };
}

const num = (v, d = 2) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '—');

export function mount(root, { session, navigate }) {
  let result = null; // { customers: summary, model, cohorts }
  const out = h('div', { class: 'result' });

  function field(key, label, columns, value) {
    const select = h('select', { id: `cv-${key}`, name: key },
      h('option', { value: '' }, ['customer', 'date'].includes(key) ? '—' : '(none)'),
      columns.map((c) => h('option', { value: c.name, selected: c.name === value }, `${c.name} (${c.type})`)));
    return [h('div', { class: 'field' }, h('label', { for: `cv-${key}` }, label), select), select];
  }

  // The customers table belongs to the workspace ("customer value (<input>)"), so it is not
  // freed here: it stays an input of other views and of the Customers list.
  async function freeResult() {
    result = null;
  }

  function render() {
    const cur = session.current;
    if (!cur) {
      replace(root, needFile(session, navigate, NEEDS));
      return;
    }
    const g = guess(cur.columns);
    const [fc, sc] = field('customer', 'Customer column', cur.columns, g.customer);
    const [fd, sd] = field('date', 'Date column', cur.columns, g.date);
    const [fa, sa] = field('amount', 'Amount column', cur.columns, g.amount);
    // Order lines: amount = quantity × price; invoices starting with "C" are cancellations.
    const [fq, sq] = field('quantity', 'or Quantity column', cur.columns, g.quantity);
    const [fp, sp] = field('price', '× Price column', cur.columns, g.price);
    const [fi, si] = field('invoice', 'Invoice column (C… = cancelled)', cur.columns, g.invoice);
    const dateInput = (key, label) => {
      const input = h('input', { id: `cv-${key}`, name: key, type: 'date' });
      return [h('div', { class: 'field' }, h('label', { for: `cv-${key}` }, label), input), input];
    };
    const [fce, ice] = dateInput('calibrationEnd', 'Calibration end (optional)');
    const [foe, ioe] = dateInput('observationEnd', 'Holdout end (optional, grades the model)');
    const run = h('button', { class: 'btn btn-secondary', type: 'button', dataset: { testid: 'compute' } }, 'Compute customer value');
    run.addEventListener('click', async () => {
      run.disabled = true;
      // Long work in the worker: progress by phase and Cancel (customerValue's onProgress / signal).
      const work = longWork('Computing customer value', { testid: 'value',
        phases: { rows: 'reading transactions', fit: 'fitting BG/NBD and Gamma-Gamma', predict: 'predicting per customer', table: 'building the table' } });
      replace(out, work.box);
      try {
        await freeResult();
        const options = { customer: sc.value, date: sd.value, timeUnit: 'weeks' };
        if (sa.value) options.amount = sa.value;
        if (sq.value) options.quantity = sq.value;
        if (sp.value) options.price = sp.value;
        if (si.value) options.invoice = si.value;
        if (ice.value) options.calibrationEnd = ice.value;
        if (ioe.value) options.observationEnd = ioe.value;
        result = await session.worker.customerValue(cur.handle, { ...options, onProgress: work.onProgress, signal: work.signal });
        if (work.cancelled()) session.worker.free(result.customers.handle).catch(() => {});
        work.check();
        const entry = session.addTable(result.customers, {
          name: `customer value (${cur.name})`, kind: 'value', from: cur.name, key: result.customers.columns[0].name,
          horizonMonths: result.model.horizonMonths, valueOptions: options,
        });
        session.stash('value', { input: cur.name, table: entry.name, result, form: { ...options } });
        await show(result);
      } catch (e) {
        if (e?.code === 'ABORTED') { result = null; replace(out, cancelledNote('value', 'no customer value was computed')); return; }
        replace(out, h('div', { class: 'notice notice-error', role: 'alert', dataset: { testid: 'value-error' } },
          h('div', {}, h('strong', { class: 'notice-title' }, 'Could not compute customer value'),
            h('p', { class: 'error-message' }, `${e.message}${e.code ? ` (${e.code})` : ''}`),
            h('p', { class: 'hint', dataset: { testid: 'error-needs' } }, `This view needs ${NEEDS.needs}.`))));
      } finally {
        run.disabled = false;
      }
    });
    replace(root, h('section', { class: 'view' },
      h('header', { class: 'view-header' }, h('h1', {}, 'Customer value'),
        h('p', { class: 'lede' }, `RFM segments, probability of being alive, expected purchases and 12-month lifetime value for every customer of ${cur.name}. Computed in this tab.`)),
      h('section', { class: 'card' }, h('div', { class: 'options-grid' }, fc, fd, fa),
        h('details', { class: 'more-options' }, h('summary', {}, 'Order lines, cancellations, holdout'),
          h('div', { class: 'options-grid' }, fq, fp, fi, fce, foe)),
        h('div', { class: 'loader-actions' }, run)),
      out));
    // A result computed earlier on this input is shown again (results survive switching views).
    const kept = session.stashed('value');
    if (kept && kept.input === cur.name && session.table(kept.table)) {
      result = kept.result;
      show(kept.result).catch(() => {});
    }
  }

  async function show(r) {
    const w = session.worker;
    const handle = r.customers.handle;
    const [ids, clv, alive, seg, freq, recency] = await Promise.all(
      [r.customers.columns[0].name, 'clv', 'pAlive', 'segment', 'frequency', 'recency'].map((c) => w.column(handle, c)));
    const order = Array.from(clv.keys()).filter((i) => Number.isFinite(clv[i])).sort((a, b) => clv[b] - clv[a]).slice(0, TOP);
    const total = Array.from(clv).reduce((s, v) => s + (Number.isFinite(v) ? v : 0), 0);
    const bg = r.model.bgNbd;
    const gg = r.model.gammaGamma;
    const csv = await w.toCsv(handle, { bom: true });
    const href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const rows = r.model.rows;
    const fact = (label, value, cls = 'fact', testid = null) =>
      h('div', { class: cls, dataset: { testid } }, h('dd', {}, value), h('dt', {}, label));
    const table = (head, body) => h('div', { class: 'table-wrap' },
      h('table', { class: 'table' }, h('thead', {}, h('tr', {}, head)), h('tbody', {}, body)));
    const card = (testid, title, ...content) => h('section', { class: 'card', dataset: { testid } },
      title ? h('div', { class: 'card-head' }, h('h2', {}, title)) : null, ...content);

    const available = r.model.predictionsAvailable !== false && r.model.spendAvailable !== false;
    const risk = atRisk(clv, alive);
    const summary = card('value-summary', null,
      warningList(r.model.warnings, 'value-warnings'),
      risk.count ? h('p', { class: 'notice notice-neutral', dataset: { testid: 'at-risk' } },
        h('a', { href: customersHref({ atrisk: '1' }), dataset: { testid: 'at-risk-link' } }, `${fmtInt(risk.count)} customers at risk`),
        ` — high value (CLV ≥ ${fmtMoney(risk.clvCut)}, the top quarter) and probably no longer buying (P(alive) below ${Math.round(100 * risk.aliveCut)}%).`) : null,
      h('dl', { class: 'facts' },
        fact('Customers', fmtInt(r.customers.numRows), 'fact fact-big', 'customers'),
        fact(`${r.model.horizonMonths}-month value, all customers`, available ? h('span', { title: fmtMoney(total), dataset: { exact: fmtMoney(total) } }, fmtMoneyShort(total)) : 'not available', 'fact fact-big', 'total-value'),
        fact('Purchase model (BG/NBD) r / α / a / b', `${num(bg.r, 3)} / ${num(bg.alpha, 3)} / ${num(bg.a, 3)} / ${num(bg.b, 3)}`),
        fact('Spend model (Gamma-Gamma) p / q / v', gg ? `${num(gg.p, 3)} / ${num(gg.q, 3)} / ${num(gg.v, 3)}` : '—'),
        fact('Fit converged', bg.converged ? 'yes' : 'no'),
        fact('Predictions', r.model.predictionsAvailable === false ? 'withheld (see above)' : 'shown', 'fact', 'predictions'),
        fact('Learns from purchases up to', fmtDate(r.model.calibrationEnd))),
      h('p', { class: 'hint', dataset: { testid: 'model-plain' } }, 'How to read the models: in the purchase model, r and α say how often customers buy (r the shape, α the scale of the buying rates) and a and b how soon they stop buying; in the spend model, p, q and v say how much a purchase is worth. The value is the expected spend over the horizon, discounted (CLV); “fit converged: yes” means the model found its best values.'),
      h('p', { class: 'hint', dataset: { testid: 'rows-report' } }, `Transactions used ${fmtInt(rows.used)} of ${fmtInt(rows.rows)}; left out ${fmtInt(rows.rows - rows.used)} `
        + `(cancelled invoices ${fmtInt(rows.cancelled)}, negative amounts ${fmtInt(rows.negativeAmount)}, missing customer ${fmtInt(rows.missingCustomer)}, `
        + `missing amount ${fmtInt(rows.missingAmount)}, missing or invalid date ${fmtInt(rows.missingDate + rows.invalidDate)}, `
        + `after the calibration end ${fmtInt(rows.afterCalibration)}).`),
      h('a', { class: 'btn btn-ghost', href, download: fileName('customer-value', session.current?.name), dataset: { testid: 'export' } }, 'Export CSV'));

    const segments = card('segments', 'RFM segments', table(
      [h('th', {}, 'Segment'), h('th', { class: 'num' }, 'Customers'), h('th', { class: 'num' }, 'Share'), h('th', { class: 'num' }, 'Mean spend')],
      r.model.segments.map((sg) => h('tr', {},
        h('td', {}, sg.name), h('td', { class: 'num' }, h('a', { href: customersHref({ segment: sg.name }), dataset: { testid: 'segment-link' }, title: `List the ${fmtInt(sg.customers)} customers of ${sg.name}` }, fmtInt(sg.customers))),
        h('td', { class: 'num' }, `${num(100 * sg.share, 1)}%`), h('td', { class: 'num' }, fmtMoney(sg.meanMonetary))))));

    const top = card('top-customers', `Top ${TOP} customers by lifetime value`, table(
      [h('th', {}, 'Customer'), h('th', {}, 'Segment'), h('th', { class: 'num' }, 'Repeat purchases'), h('th', { class: 'num', title: 'P(alive): the chance the customer still buys' }, 'P(alive) · still buying'), h('th', { class: 'num', title: 'CLV: expected spend over the horizon, discounted' }, 'CLV · future value')],
      order.map((i) => h('tr', {},
        h('td', {}, h('a', { href: customerHref(ids[i]) }, String(ids[i]))), h('td', {}, String(seg[i])), h('td', { class: 'num' }, fmtInt(freq[i])),
        h('td', { class: 'num' }, fmtPct(alive[i])), h('td', { class: 'num' }, fmtMoney(clv[i]))))));

    const months = Math.min(13, r.cohorts.retention[0]?.length ?? 0);
    const maxLater = Math.max(1e-9, ...r.cohorts.retention.slice(0, 24).flatMap((row) => row.slice(1, months)).filter(Number.isFinite));
    const cohorts = card('cohorts', 'Monthly cohorts: share of customers buying in each month after the first', table(
      [h('th', {}, 'First purchase in'), h('th', { class: 'num' }, 'Customers'), ...Array.from({ length: months }, (_, k) => h('th', { class: 'num', title: k ? `${k} month${k > 1 ? 's' : ''} after the first purchase` : 'the month of the first purchase' }, `M${k}`))],
      r.cohorts.cohorts.slice(0, 24).map((c, i) => h('tr', {},
        h('td', { title: c }, fmtMonth(c)), h('td', { class: 'num' }, fmtInt(r.cohorts.sizes[i])),
        r.cohorts.retention[i].slice(0, months).map((v, k) => {
          const td = h('td', { class: 'num heat', title: `${num(100 * v, 1)}% of the ${fmtInt(r.cohorts.sizes[i])} customers who started in ${fmtMonth(c)} bought in month ${k} after` }, `${num(100 * v, 1)}%`);
          // Month 0 is 100% by definition: coloured on the same ramp as the later months would make them all look pale.
          if (k > 0) td.style.backgroundColor = heat(Math.min(1, v / maxLater));
          return td;
        })))),
      h('p', { class: 'hint' }, 'Darker = a larger share of the cohort buying again that month (scaled to the highest month after the first).'));

    const q = r.model.quality;
    const quality = q ? card('quality', `Model quality on the holdout ${q.holdoutStart} – ${q.holdoutEnd}`,
      h('dl', { class: 'facts' },
        fact('Grade', q.grade, 'fact fact-big', 'grade'),
        fact('Holdout purchases: actual / predicted / naive', `${fmtInt(q.actualPurchases)} / ${fmtInt(Math.round(q.predictedPurchases))} / ${fmtInt(Math.round(q.baselinePurchases))}`),
        fact('Per-customer error (model / naive)', `${num(q.mae, 3)} / ${num(q.baselineMae, 3)}`),
        fact('Correlation with actual (model / naive)', `${num(q.correlation, 3)} / ${num(q.baselineCorrelation, 3)}`)),
      h('p', { class: 'hint', dataset: { testid: 'grade-explanation' } }, q.explanation),
      h('p', { class: 'hint' }, 'A: error at most 80% of the naive baseline (each customer\'s own past rate) and total within ±10%; B: no worse than the baseline and total within ±25%; C: otherwise.')) : null;

    const hist = histogram(clv);
    const linearHint = `${fmtInt(hist.n)} customers; 20 equal bins up to the 99th percentile (${fmtMoney(hist.edges[hist.edges.length - 1] ?? NaN)}), the last bar holds the top 1%.`;
    const histBox = h('div', {}, histogramSvg(hist, fmtMoneyShort));
    const histHint = h('p', { class: 'hint' }, linearHint);
    const logBox = h('input', { type: 'checkbox', id: 'cv-log', dataset: { testid: 'clv-log' } });
    logBox.addEventListener('change', () => {
      if (!logBox.checked) { replace(histBox, histogramSvg(hist, fmtMoneyShort)); histHint.textContent = linearHint; return; }
      const lh = logHistogram(clv);
      replace(histBox, histogramSvg(lh, fmtMoneyShort, { log: true }));
      histHint.textContent = `${fmtInt(lh.n)} customers with a value above zero on a log scale: each bar covers the same ratio (×${num(lh.ratio, 2)}); ${fmtInt(lh.zeros)} customers at zero are left out.`;
    });
    const distribution = card('clv-distribution', 'Lifetime value distribution',
      h('label', { class: 'check', for: 'cv-log' }, logBox, ' log scale (spreads out the many small values)'),
      histBox, histHint);

    const grid = aliveGrid(freq, recency, alive);
    const cell = (m, n) => {
      const td = h('td', { class: 'num heat', title: `${n} customers: ${Number.isFinite(m) ? fmtPct(m) : 'none'} likely still buying, on average` }, Number.isFinite(m) ? fmtPct(m) : '');
      if (Number.isFinite(m)) td.style.backgroundColor = `hsl(${Math.round(120 * m)} 65% ${Math.round(88 - 28 * m)}%)`;
      return td;
    };
    const heatmap = card('alive-heatmap', 'P(alive) — the chance a customer still buys — by recency × repeat purchases', table(
      [h('th', {}, 'Repeat purchases ↓  recency (weeks) →'), ...grid.rEdges.slice(0, -1).map((e, k) => h('th', { class: 'num' }, `${num(e, 0)}–${num(grid.rEdges[k + 1], 0)}`))],
      grid.fLabels.map((label, f) => h('tr', {}, h('th', {}, label), grid.mean[f].map((m, k) => cell(m, grid.count[f][k]))))),
      h('p', { class: 'hint' }, 'Mean probability that the customer is still active, by how many repeat purchases they made and how long after their first purchase the last one was.'));

    replace(out, summary, quality, segments, distribution, heatmap, top, cohorts);
  }

  session.addEventListener('change', render);
  render();
  return () => {
    session.removeEventListener('change', render);
    freeResult();
  };
}
