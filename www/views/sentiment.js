// Sentiment view: pick the text column (and optionally the customer column) of the loaded
// table → label distribution, languages, sentiment per business aspect, the most positive
// and most negative texts with the words that made them so highlighted, the most positive /
// negative terms, and a per-customer roll-up. Runs in the worker (crmlens sentiment +
// topTerms; the Chinese data module loads there on the first Chinese text). Everything
// from the file is set as text (lib/dom.js).

import { needFile } from '../lib/empty.js';
import { clamp, h, replace } from '../lib/dom.js';
import { fmtInt, fmtPct } from '../lib/format.js';
import { cancelledNote, longWork } from '../lib/work.js';
import { sentimentCharts } from '../lib/sentiment_charts.js';
import { download, fileName, rowsToCsv } from '../lib/export.js';
import { customerHref, customersHref } from '../lib/customers.js';

/** What the view needs as input (its empty state and error notes say so; lib/empty.js). */
const NEEDS = { title: 'Sentiment',
  needs: 'a feedback file: one row per review or comment, with the text (English or Chinese) and, to roll it up per customer, the customer’s id',
  example: 'reviews.csv with cust_id and review columns', roles: ['feedback'] };

const SHOW = 5;
const TOP_CUSTOMERS = 20;
const num = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : '—');

function guess(columns) {
  const text = columns.filter((c) => c.type === 'text' && c.role !== 'id' && c.role !== 'email');
  return {
    column: (text.find((c) => /feedback|review|comment|text|message|note|评论|评价|内容/i.test(c.name)) ?? text[0])?.name ?? '',
    customer: columns.find((c) => c.role === 'id' && /cust|client|member|user/i.test(c.name))?.name
      ?? columns.find((c) => c.role === 'id')?.name ?? '',
  };
}

/** The text with each token that carried sentiment wrapped in <mark class="pos|neg">. */
function highlighted(text, tokens) {
  const parts = [];
  let at = 0;
  for (const t of tokens) {
    if (t.valence === 0) continue;
    const i = text.indexOf(t.token, at);
    if (i < 0) continue;
    if (i > at) parts.push(text.slice(at, i));
    parts.push(h('mark', { class: t.valence > 0 ? 'pos' : 'neg', title: `${t.valence > 0 ? '+' : ''}${t.valence.toFixed(2)}` }, t.token));
    at = i + t.token.length;
  }
  parts.push(text.slice(at));
  return parts;
}

export function mount(root, { session, navigate }) {
  const out = h('div', { class: 'result' });

  function field(id, label, columns, value, none) {
    const select = h('select', { id, name: id },
      h('option', { value: '' }, none),
      columns.map((c) => h('option', { value: c.name, selected: c.name === value }, `${c.name} (${c.type})`)));
    return [h('div', { class: 'field' }, h('label', { for: id }, label), select), select];
  }

  function render() {
    const cur = session.current;
    if (!cur) {
      replace(root, needFile(session, navigate, NEEDS));
      return;
    }
    const g = guess(cur.columns);
    // The customer key of a feedback file is the column the Workspace joins to the customers file.
    const crm = session.byRole('customers').find((t) => t !== cur);
    const joinKey = crm && session.joinOf(cur.name, crm.name)?.column;
    if (joinKey && cur.columns.some((c) => c.name === joinKey)) g.customer = joinKey;
    const [ft, st] = field('st-column', 'Text column', cur.columns, g.column, '—');
    const [fc, sc] = field('st-customer', 'Customer column', cur.columns, g.customer, '(none)');
    const run = h('button', { class: 'btn btn-secondary', type: 'button', dataset: { testid: 'analyse' } }, 'Analyse sentiment');
    run.addEventListener('click', async () => {
      run.disabled = true;
      // Long work in the worker: progress over the texts and Cancel.
      const work = longWork('Scoring the texts', { testid: 'sentiment', phases: { texts: 'texts scored' } });
      replace(out, work.box);
      try {
        const data = await compute(cur, st.value, sc.value, work);
        session.stash('sentiment', { input: cur.name, column: st.value, customer: sc.value, data });
        await show(cur, data, st.value, sc.value);
      } catch (e) {
        if (e?.code === 'ABORTED') { replace(out, cancelledNote('sentiment', 'no text was scored')); return; }
        replace(out, h('div', { class: 'notice notice-error', role: 'alert', dataset: { testid: 'sentiment-error' } },
          h('div', {}, h('strong', { class: 'notice-title' }, 'Could not analyse sentiment'),
            h('p', { class: 'error-message' }, `${e.message}${e.code ? ` (${e.code})` : ''}`),
            h('p', { class: 'hint', dataset: { testid: 'error-needs' } }, `This view needs ${NEEDS.needs}.`))));
      } finally {
        run.disabled = false;
      }
    });
    replace(root, h('section', { class: 'view' },
      h('header', { class: 'view-header' }, h('h1', {}, 'Sentiment'),
        h('p', { class: 'lede' }, `Positive, neutral or negative for every text of ${cur.name}, in English (VADER) or Chinese, detected per text. Computed in this tab.`)),
      h('section', { class: 'card' }, h('div', { class: 'options-grid' }, ft, fc), h('div', { class: 'loader-actions' }, run)),
      out));
    // The result computed earlier on this input is shown again (not recomputed).
    const kept = session.stashed('sentiment');
    if (kept && kept.input === cur.name && kept.data) {
      st.value = kept.column;
      sc.value = kept.customer;
      show(cur, kept.data, kept.column, kept.customer).catch(() => {});
    }
  }

  /** Scores the texts in the worker (progress, Cancel) and keeps the per-customer roll-up in the workspace. */
  async function compute(cur, column, customer, { onProgress, signal, check }) {
    const w = session.worker;
    const options = { column, aspects: true, onProgress, signal };
    if (customer) options.customer = customer;
    const r = await w.sentiment(cur.handle, options);
    check();
    const [terms, texts] = await Promise.all([w.topTerms(cur.handle, { column, top: 10, signal }), w.column(cur.handle, column)]);
    const scored = Array.from(r.compound.keys()).filter((i) => Number.isFinite(r.compound[i]));
    const byScore = [...scored].sort((a, b) => r.compound[b] - r.compound[a]);
    const best = byScore.slice(0, SHOW).filter((i) => r.compound[i] > 0);
    const worst = byScore.slice(-SHOW).reverse().filter((i) => r.compound[i] < 0);
    const pick = [...best, ...worst];
    const ex = await w.sentiment(pick.map((i) => String(texts[i])), { explain: true });
    check();
    if (r.customers) {
      const c = r.customers;
      // The roll-up is kept in the workspace ("sentiment (<input>)": one row per customer).
      const rollup = Array.from(c.customer, (id, i) => ({
        [customer]: id, reviews: c.texts[i], sentimentMean: Number.isFinite(c.meanCompound[i]) ? c.meanCompound[i] : null,
        sentiment: c.label[i] ?? null, positiveReviews: c.positive[i], negativeReviews: c.negative[i],
        negativeShare: c.texts[i] ? c.negative[i] / c.texts[i] : null,
      }));
      const ds = await w.load(JSON.stringify(rollup), { format: 'json' });
      session.addTable(ds, { name: `sentiment (${cur.name})`, kind: 'sentiment', from: cur.name, key: customer });
    }
    // Only the texts shown are kept (not the whole column).
    return { r, terms, best, worst, shownTexts: new Map(pick.map((i) => [i, String(texts[i])])), tokensOf: new Map(pick.map((i, k) => [i, ex.explanation[k]])) };
  }

  // Every text with its score, through the package's writer (formula-safe, UTF-8 mark for Excel).
  function exportButton(cur, r, column, customer) {
    const btn = h('button', { type: 'button', class: 'btn btn-ghost', dataset: { testid: 'export-scores' } }, 'Export scores (CSV)');
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        const w = session.worker;
        const [texts, ids] = await Promise.all([w.column(cur.handle, column), customer ? w.column(cur.handle, customer) : null]);
        const names = ['row', ...(customer ? [customer] : []), column, 'label', 'compound', 'language'];
        const rows = Array.from(texts, (t, i) => [i + 1, ...(ids ? [ids[i]] : []), t, r.label[i] ?? null,
          Number.isFinite(r.compound[i]) ? r.compound[i] : null, r.language[i] ?? null]);
        const name = fileName('sentiment', cur.name);
        btn.dataset.file = name;
        download(await rowsToCsv(w, names, rows, { bom: true }), name);
      } finally {
        btn.disabled = false;
      }
    });
    return btn;
  }

  async function show(cur, { r, terms, best, worst, shownTexts: texts, tokensOf }, column, customer) {
    const s = r.summary;
    const card = (testid, title, ...content) => h('section', { class: 'card', dataset: { testid } },
      title ? h('div', { class: 'card-head' }, h('h2', {}, title)) : null, ...content);
    const table = (head, body) => h('div', { class: 'table-wrap' },
      h('table', { class: 'table' }, h('thead', {}, h('tr', {}, head)), h('tbody', {}, body)));
    const fact = (label, value, testid) => h('div', { class: 'fact', dataset: { testid } }, h('dd', {}, value), h('dt', {}, label));
    const scoredN = s.texts - s.missing;
    // Widths through the CSSOM (the page's CSP allows no inline style attributes).
    const bar = (n, cls) => { const el = h('span', { class: `st-bar ${cls}` }); el.style.width = `${scoredN ? (100 * n) / scoredN : 0}%`; return el; };

    const dist = card('distribution', 'Distribution',
      h('dl', { class: 'facts' },
        fact('Positive', fmtInt(s.positive), 'positive'), fact('Neutral', fmtInt(s.neutral), 'neutral'),
        fact('Negative', fmtInt(s.negative), 'negative'), fact('Mean score (compound: −1 very negative to 1 very positive)', num(s.meanCompound), 'mean'),
        fact('English / Chinese / mixed', `${fmtInt(s.english)} / ${fmtInt(s.chinese)} / ${fmtInt(s.mixed)}`, 'languages'),
        fact('Missing texts', fmtInt(s.missing), 'missing')),
      h('div', { class: 'st-bars', 'aria-hidden': 'true' }, bar(s.positive, 'pos'), bar(s.neutral, 'neu'), bar(s.negative, 'neg')),
      h('div', { class: 'loader-actions' }, exportButton(cur, r, column, customer)));

    const aspects = card('aspects', 'By aspect', table(
      [h('th', {}, 'Aspect'), h('th', { class: 'num' }, 'Texts'), h('th', { class: 'num' }, 'Mean score (−1 to 1)'),
        h('th', { class: 'num' }, 'Positive'), h('th', { class: 'num' }, 'Neutral'), h('th', { class: 'num' }, 'Negative')],
      r.aspects.summary.filter((a) => a.texts > 0).map((a) => h('tr', {},
        h('td', {}, a.aspect), h('td', { class: 'num' }, fmtInt(a.texts)), h('td', { class: 'num' }, num(a.meanCompound)),
        h('td', { class: 'num' }, fmtInt(a.positive)), h('td', { class: 'num' }, fmtInt(a.neutral)), h('td', { class: 'num' }, fmtInt(a.negative))))));

    const list = (testid, title, rows) => card(testid, title, h('ol', { class: 'st-texts' },
      rows.map((i) => h('li', {}, h('span', { class: 'st-score' }, num(r.compound[i])), ' ',
        h('span', { class: 'st-text', lang: r.language[i] === 'zh' ? 'zh' : null }, clamp(highlighted(texts.get(i), tokensOf.get(i) ?? []), texts.get(i).length))))));

    const termList = (testid, title, items) => card(testid, title, h('ol', { class: 'st-terms' },
      items.map((t) => h('li', {}, h('strong', {}, t.term), ` ${num(t.totalValence, 2)} in ${fmtInt(t.texts)} texts`))));

    const parts = [dist, sentimentCharts(session, cur, r.compound, column), aspects,
      list('most-positive', 'Most positive texts', best), list('most-negative', 'Most negative texts', worst),
      termList('positive-terms', 'Most positive terms', terms.positive), termList('negative-terms', 'Most negative terms', terms.negative)];
    if (r.customers && customer) {
      const c = r.customers;
      const order = Array.from(c.customer.keys()).sort((a, b) => c.texts[b] - c.texts[a] || c.customer[a].localeCompare(c.customer[b])).slice(0, TOP_CUSTOMERS);
      parts.push(card('customers', `Per customer (${fmtInt(c.customer.length)} customers; the ${Math.min(TOP_CUSTOMERS, c.customer.length)} with most texts)`, table(
        [h('th', {}, 'Customer'), h('th', { class: 'num' }, 'Texts'), h('th', { class: 'num' }, 'Mean score (−1 to 1)'), h('th', {}, 'Label'),
          h('th', { class: 'num' }, 'Positive'), h('th', { class: 'num' }, 'Negative'), h('th', { class: 'num' }, 'Share negative')],
        order.map((i) => h('tr', {}, h('td', {}, h('a', { href: customerHref(c.customer[i]), dataset: { testid: 'customer-link' } }, c.customer[i])), h('td', { class: 'num' }, fmtInt(c.texts[i])),
          h('td', { class: 'num' }, num(c.meanCompound[i])), h('td', {}, c.label[i] ?? '—'),
          h('td', { class: 'num' }, fmtInt(c.positive[i])), h('td', { class: 'num' }, fmtInt(c.negative[i])),
          h('td', { class: 'num' }, c.texts[i] ? fmtPct(c.negative[i] / c.texts[i]) : '—')))),
        h('p', { class: 'hint', dataset: { testid: 'sentiment-by-label' } }, 'Customers by the overall tone of their reviews: ',
          ['negative', 'neutral', 'positive'].map((l, k) => [k ? ' · ' : '', h('a', { href: customersHref({ sentiment: l }), dataset: { testid: 'sentiment-link', label: l } },
            `${fmtInt(c.label.filter((x) => x === l).length)} ${l}`)])),
        h('p', { class: 'hint', dataset: { testid: 'sentiment-kept' } }, session.table(`sentiment (${cur.name})`)
          ? ['Kept in the workspace as ', h('strong', {}, `sentiment (${cur.name})`), ': each customer\'s mean score and share of negative reviews show in the ',
            h('a', { href: '#/customers', dataset: { testid: 'sentiment-customers-link' } }, 'Customers list'), ' and on their record.'] : null)));
    }
    if (!customer) {
      parts.push(h('p', { class: 'hint', dataset: { testid: 'sentiment-no-customer' } },
        'No customer column chosen: pick the column with the customer’s id above and analyse again to get each customer’s mean score and share of negative reviews in the Customers list and on their record.'));
    }
    replace(out, ...parts);
  }

  session.addEventListener('change', render);
  render();
  return () => session.removeEventListener('change', render);
}
