// Sentiment by group and over time, from the per-text compound scores of the Sentiment
// view: the mean compound per level of a column with a few values (a product category, a
// channel, a star rating) and per month of a date column, as bars. Set as text.

import { h, replace } from './dom.js';
import { bars } from './charts.js';
import { fmtMonth } from './format.js';

const MAX_LEVELS = 40;
const signed = (v) => (Number.isFinite(v) ? `${v > 0 ? '+' : ''}${v.toFixed(3)}` : '—');
// Negative means are drawn in the negative colour, positive in the positive one.
const tone = (v) => (v >= 0.05 ? '#2b8a3e' : v <= -0.05 ? '#c92a2a' : '#868e96');

/** Mean of `compound` per key (`keyOf(i)`, null = skipped): [{ label, value, count }]. */
export function meanBy(compound, keyOf) {
  const acc = new Map();
  for (let i = 0; i < compound.length; i++) {
    const v = compound[i];
    if (!Number.isFinite(v)) continue;
    const k = keyOf(i);
    if (k == null) continue;
    const e = acc.get(k) ?? { sum: 0, count: 0 };
    e.sum += v; e.count++;
    acc.set(k, e);
  }
  return [...acc].map(([label, e]) => ({ label, value: e.sum / e.count, count: e.count, color: tone(e.sum / e.count) }));
}

/** The card (or null when the table has no column to group by or date): selects + bars. */
export function sentimentCharts(session, cur, compound, textColumn) {
  const groups = cur.columns.filter((c) => c.name !== textColumn && ['category', 'bool', 'int64', 'text'].includes(c.type)
    && !['id', 'freeText', 'email', 'url', 'phone'].includes(c.role) && (c.distinct === undefined || (c.distinct >= 2 && c.distinct <= MAX_LEVELS)));
  const dates = cur.columns.filter((c) => c.type === 'date' || c.type === 'datetime');
  if (!groups.length && !dates.length) return null;
  const groupSel = h('select', { id: 'st-by', dataset: { testid: 'st-by' } }, groups.map((c) => h('option', { value: c.name }, c.name)));
  const dateSel = h('select', { id: 'st-time', dataset: { testid: 'st-time' } }, dates.map((c) => h('option', { value: c.name }, c.name)));
  const byBox = h('div', { dataset: { testid: 'st-by-bars' } });
  const timeBox = h('div', { dataset: { testid: 'st-time-bars' } });

  async function drawGroups() {
    const values = await session.worker.column(cur.handle, groupSel.value);
    const items = meanBy(compound, (i) => (values[i] == null ? null : String(values[i]))).sort((a, b) => b.value - a.value);
    replace(byBox, bars(items, { fmt: signed, label: `Mean sentiment per ${groupSel.value}`, unit: 'texts' }));
  }
  async function drawTime() {
    const ts = await session.worker.timestamps(cur.handle, dateSel.value);
    const items = meanBy(compound, (i) => (Number.isFinite(ts[i]) ? new Date(ts[i]).toISOString().slice(0, 7) : null))
      .sort((a, b) => a.label.localeCompare(b.label)).map((d) => ({ ...d, label: fmtMonth(d.label) })); // "Dec 2010", in time order
    replace(timeBox, bars(items, { fmt: signed, label: `Mean sentiment per month of ${dateSel.value}`, unit: 'texts' }));
  }
  groupSel.addEventListener('change', () => drawGroups().catch(() => {}));
  dateSel.addEventListener('change', () => drawTime().catch(() => {}));
  if (groups.length) drawGroups().catch(() => {});
  if (dates.length) drawTime().catch(() => {});
  return h('section', { class: 'card', dataset: { testid: 'st-charts' } },
    h('div', { class: 'card-head' }, h('h2', {}, 'Sentiment by group and over time')),
    groups.length ? [h('div', { class: 'field' }, h('label', { for: 'st-by' }, 'Mean sentiment (−1 to 1) per'), groupSel), byBox] : null,
    dates.length ? [h('div', { class: 'field' }, h('label', { for: 'st-time' }, 'Per month of'), dateSel), timeBox] : null,
    h('p', { class: 'hint' }, 'Bars: the mean sentiment score of the texts in each group, from −1 (very negative) to 1 (very positive); green above +0.05, red below −0.05; n = texts.'));
}
