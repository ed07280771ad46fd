// "Rate per segment": the share of rows of each segment with a chosen value of a column
// (e.g. Churn = Yes on Telco), as bars next to the rate over all rows, so a segmentation
// can be read against an outcome the segments were not computed from. Set as text.

import { h, replace } from './dom.js';
import { fmtInt } from './format.js';
import { bars } from './charts.js';

const TARGETISH = /churn|target|label|exited|attrition|cancel|default|convert|respon|^y$/i;
const POSITIVE = /^(yes|true|1|y|churned|exited|default)$/i;
const MAX_LEVELS = 20;
const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—');

/**
 * The card, or null when the table has no column with a few values. `labels[i]` is row i's
 * segment (−1 = not segmented); `color(s)` its colour; `href(s)` a link to its customers or null.
 */
export function rateCard(session, cur, labels, { color, href, k }) {
  const candidates = cur.columns.filter((c) => ['bool', 'category', 'text', 'int64'].includes(c.type)
    && !['id', 'email', 'phone', 'url', 'freeText'].includes(c.role) && (c.distinct === undefined || (c.distinct >= 2 && c.distinct <= MAX_LEVELS)));
  if (!candidates.length) return null;
  const first = candidates.find((c) => TARGETISH.test(c.name)) ?? candidates.find((c) => c.type === 'bool') ?? candidates[0];
  const colSel = h('select', { id: 'seg-rate-column', dataset: { testid: 'rate-column' } },
    candidates.map((c) => h('option', { value: c.name, selected: c === first }, c.name)));
  const valSel = h('select', { id: 'seg-rate-value', dataset: { testid: 'rate-value' } });
  const box = h('div', { dataset: { testid: 'rate-bars' } });
  const hint = h('p', { class: 'hint', dataset: { testid: 'rate-overall' } });
  let values = null;

  async function pickColumn() {
    values = await session.column(colSel.value);
    const counts = new Map();
    for (const v of values) if (v != null) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    const levels = [...counts.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    // The value to count: a "yes"-like one, else the rarer one (the outcome is usually the rare side).
    const wanted = levels.find((l) => POSITIVE.test(l)) ?? [...levels].sort((a, b) => counts.get(a) - counts.get(b))[0];
    replace(valSel, levels.slice(0, 200).map((l) => h('option', { value: l, selected: l === wanted }, l)));
    draw();
  }

  function draw() {
    if (!values) return;
    const wanted = valSel.value;
    const n = new Array(k).fill(0);
    const hit = new Array(k).fill(0);
    let all = 0, allHit = 0;
    for (let i = 0; i < values.length; i++) {
      const s = labels[i], v = values[i];
      if (v == null || !(s >= 0 && s < k)) continue;
      const yes = String(v) === wanted ? 1 : 0;
      n[s]++; hit[s] += yes; all++; allHit += yes;
    }
    const items = n.map((m, s) => ({ label: `Segment ${s + 1}`, value: m ? hit[s] / m : NaN, count: m, color: color(s), segment: s }))
      .filter((d) => d.count > 0);
    replace(box, bars(items, { fmt: pct, label: `Share with ${colSel.value} = ${wanted} per segment`, href: href ? (d) => href(d.segment) : null }));
    hint.textContent = `Over all ${fmtInt(all)} segmented rows: ${pct(all ? allHit / all : NaN)} have ${colSel.value} = ${wanted} (${fmtInt(allHit)}). `
      + 'A segment well above this rate concentrates the outcome.';
    hint.dataset.rate = String(all ? allHit / all : NaN);
    hint.dataset.hits = String(allHit);
  }

  colSel.addEventListener('change', () => pickColumn().catch(() => {}));
  valSel.addEventListener('change', draw);
  pickColumn().catch(() => replace(box, h('p', { class: 'muted' }, 'Could not read the column.')));
  return h('section', { class: 'card', dataset: { testid: 'segment-rate' } },
    h('div', { class: 'card-head' }, h('h2', {}, 'Rate per segment (e.g. churn rate)')),
    h('div', { class: 'options-grid' },
      h('div', { class: 'field' }, h('label', { for: 'seg-rate-column' }, 'Column'), colSel),
      h('div', { class: 'field' }, h('label', { for: 'seg-rate-value' }, 'Share of rows with'), valSel)),
    box, hint);
}
