// Customer value view: from the loaded transaction table to RFM segments, P(alive),
// expected purchases and lifetime value (crmlens customerValue, run in the worker).
// Everything from the file is set as text (lib/dom.js).

import { h, replace } from '../lib/dom.js';
import { fmtInt } from '../lib/format.js';

const TOP = 20;

function guess(columns) {
  const by = (pred) => columns.find(pred)?.name ?? '';
  return {
    customer: by((c) => c.role === 'id' && /cust|client|member|user/i.test(c.name)) || by((c) => c.role === 'id'),
    date: by((c) => c.type === 'date' || c.type === 'datetime'),
    amount: by((c) => c.role === 'money' && c.type !== 'text') || by((c) => c.type === 'float64'),
  };
}

const num = (v, d = 2) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '—');

export function mount(root, { session, navigate }) {
  let result = null; // { customers: summary, model, cohorts }
  const out = h('div', { class: 'result' });

  function field(key, label, columns, value) {
    const select = h('select', { id: `cv-${key}`, name: key },
      h('option', { value: '' }, key === 'amount' ? '(none)' : '—'),
      columns.map((c) => h('option', { value: c.name, selected: c.name === value }, `${c.name} (${c.type})`)));
    return [h('div', { class: 'field' }, h('label', { for: `cv-${key}` }, label), select), select];
  }

  async function freeResult() {
    if (result) session.worker.free(result.customers.handle).catch(() => {});
    result = null;
  }

  function render() {
    const cur = session.current;
    if (!cur) {
      replace(root, h('section', { class: 'view' },
        h('header', { class: 'view-header' }, h('h1', {}, 'Customer value'),
          h('p', { class: 'lede' }, 'Load a transaction table first (customer, date, amount per row).')),
        h('button', { class: 'btn btn-secondary', type: 'button', onclick: () => navigate('data') }, 'Go to Data')));
      return;
    }
    const g = guess(cur.columns);
    const [fc, sc] = field('customer', 'Customer column', cur.columns, g.customer);
    const [fd, sd] = field('date', 'Date column', cur.columns, g.date);
    const [fa, sa] = field('amount', 'Amount column', cur.columns, g.amount);
    const run = h('button', { class: 'btn btn-secondary', type: 'button', dataset: { testid: 'compute' } }, 'Compute customer value');
    run.addEventListener('click', async () => {
      run.disabled = true;
      replace(out, h('p', { class: 'muted', role: 'status' }, 'Fitting BG/NBD and Gamma-Gamma…'));
      try {
        await freeResult();
        const options = { customer: sc.value, date: sd.value, timeUnit: 'weeks' };
        if (sa.value) options.amount = sa.value;
        result = await session.worker.customerValue(cur.handle, options);
        await show(result);
      } catch (e) {
        replace(out, h('div', { class: 'notice notice-error', role: 'alert', dataset: { testid: 'value-error' } },
          h('div', {}, h('strong', { class: 'notice-title' }, 'Could not compute customer value'),
            h('p', { class: 'error-message' }, `${e.message}${e.code ? ` (${e.code})` : ''}`))));
      } finally {
        run.disabled = false;
      }
    });
    replace(root, h('section', { class: 'view' },
      h('header', { class: 'view-header' }, h('h1', {}, 'Customer value'),
        h('p', { class: 'lede' }, `RFM segments, probability of being alive, expected purchases and 12-month lifetime value for every customer of ${cur.name}. Computed in this tab.`)),
      h('section', { class: 'card' }, h('div', { class: 'options-grid' }, fc, fd, fa), h('div', { class: 'loader-actions' }, run)),
      out));
  }

  async function show(r) {
    const w = session.worker;
    const handle = r.customers.handle;
    const [ids, clv, alive, seg, freq] = await Promise.all(
      [r.customers.columns[0].name, 'clv', 'pAlive', 'segment', 'frequency'].map((c) => w.column(handle, c)));
    const order = Array.from(clv.keys()).filter((i) => Number.isFinite(clv[i])).sort((a, b) => clv[b] - clv[a]).slice(0, TOP);
    const total = Array.from(clv).reduce((s, v) => s + (Number.isFinite(v) ? v : 0), 0);
    const bg = r.model.bgNbd;
    const gg = r.model.gammaGamma;
    const csv = await w.toCsv(handle);
    const href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    const rows = r.model.rows;
    const fact = (label, value, cls = 'fact', testid = null) =>
      h('div', { class: cls, dataset: { testid } }, h('dd', {}, value), h('dt', {}, label));
    const table = (head, body) => h('div', { class: 'table-wrap' },
      h('table', { class: 'table' }, h('thead', {}, h('tr', {}, head)), h('tbody', {}, body)));
    const card = (testid, title, ...content) => h('section', { class: 'card', dataset: { testid } },
      title ? h('div', { class: 'card-head' }, h('h2', {}, title)) : null, ...content);

    const summary = card('value-summary', null,
      h('dl', { class: 'facts' },
        fact('Customers', fmtInt(r.customers.numRows), 'fact fact-big', 'customers'),
        fact('12-month value (all)', num(total, 0), 'fact fact-big'),
        fact('BG/NBD r / α / a / b', `${num(bg.r, 3)} / ${num(bg.alpha, 3)} / ${num(bg.a, 3)} / ${num(bg.b, 3)}`),
        fact('Gamma-Gamma p / q / v', gg ? `${num(gg.p, 3)} / ${num(gg.q, 3)} / ${num(gg.v, 3)}` : '—'),
        fact('Fit converged', bg.converged ? 'yes' : 'no'),
        fact('Calibration end', r.model.calibrationEnd)),
      h('p', { class: 'hint' }, `Transactions used ${fmtInt(rows.used)} of ${fmtInt(rows.rows)}; left out ${fmtInt(rows.rows - rows.used)} `
        + `(negative amounts ${fmtInt(rows.negativeAmount)}, missing customer ${fmtInt(rows.missingCustomer)}, `
        + `missing or invalid date ${fmtInt(rows.missingDate + rows.invalidDate)}).`),
      h('a', { class: 'btn btn-ghost', href, download: 'customer_value.csv', dataset: { testid: 'export' } }, 'Export CSV'));

    const segments = card('segments', 'RFM segments', table(
      [h('th', {}, 'Segment'), h('th', { class: 'num' }, 'Customers'), h('th', { class: 'num' }, 'Share'), h('th', { class: 'num' }, 'Mean spend')],
      r.model.segments.map((sg) => h('tr', {},
        h('td', {}, sg.name), h('td', { class: 'num' }, fmtInt(sg.customers)),
        h('td', { class: 'num' }, `${num(100 * sg.share, 1)}%`), h('td', { class: 'num' }, num(sg.meanMonetary))))));

    const top = card('top-customers', `Top ${TOP} customers by lifetime value`, table(
      [h('th', {}, 'Customer'), h('th', {}, 'Segment'), h('th', { class: 'num' }, 'Repeat purchases'), h('th', { class: 'num' }, 'P(alive)'), h('th', { class: 'num' }, 'CLV')],
      order.map((i) => h('tr', {},
        h('td', {}, String(ids[i])), h('td', {}, String(seg[i])), h('td', { class: 'num' }, fmtInt(freq[i])),
        h('td', { class: 'num' }, num(alive[i], 3)), h('td', { class: 'num' }, num(clv[i]))))));

    const months = Math.min(13, r.cohorts.retention[0]?.length ?? 0);
    const cohorts = card('cohorts', 'Monthly cohorts: share of customers buying in each month after the first', table(
      [h('th', {}, 'Cohort'), h('th', { class: 'num' }, 'Customers'), ...Array.from({ length: months }, (_, k) => h('th', { class: 'num' }, `M${k}`))],
      r.cohorts.cohorts.slice(0, 24).map((c, i) => h('tr', {},
        h('td', {}, c), h('td', { class: 'num' }, fmtInt(r.cohorts.sizes[i])),
        r.cohorts.retention[i].slice(0, months).map((v) => h('td', { class: 'num' }, `${num(100 * v, 1)}%`))))));

    replace(out, summary, segments, top, cohorts);
  }

  session.addEventListener('change', render);
  render();
  return () => {
    session.removeEventListener('change', render);
    freeResult();
  };
}
