// Customer record page (#/customer/<id>): who this customer is (attributes), their value
// figures read in plain language, their segment and what sets it apart, their purchase
// timeline, their reviews with sentiment and the words that carried it, recommendations
// and rule events when the workspace has them. Everything from a file is set as text.

import { clamp, h, replace } from '../lib/dom.js';
import { fmtDate, fmtInt, fmtMoney, fmtNum, fmtPct, fmtReadable, fmtReason, plainValue, PLAIN } from '../lib/format.js';
import { customersHref, isEvents, keyOf } from '../lib/customers.js';
import { keyText } from '../lib/joins.js';
import { cellText, LABELS } from './customers.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** Row indexes of `values` equal (as key text) to `id`, cached per column array. */
const indexCache = new WeakMap();
function rowsOf(values, id) {
  let index = indexCache.get(values);
  if (!index) {
    index = new Map();
    for (let i = 0; i < values.length; i++) {
      const k = keyText(values[i]);
      if (k === null) continue;
      let list = index.get(k);
      if (!list) index.set(k, (list = []));
      list.push(i);
    }
    indexCache.set(values, index);
  }
  return index.get(keyText(id)) ?? [];
}

/** Cached columns of workspace tables (per handle), kept in the session's stash. */
async function col(session, t, name) {
  const cache = session.stashed('record-columns') ?? new Map();
  session.stash('record-columns', cache);
  const k = `${t.handle}|${name}`;
  if (!cache.has(k)) {
    const c = t.columns.find((x) => x.name === name);
    cache.set(k, c && (c.type === 'date' || c.type === 'datetime') ? session.worker.timestamps(t.handle, name) : session.worker.column(t.handle, name));
  }
  return cache.get(k);
}

/** Purchase timeline: one dot per order on a time axis, sized by amount. */
function timeline(dates, amounts) {
  const W = 720, H = 90, pad = 24;
  const t0 = Math.min(...dates), t1 = Math.max(...dates);
  const span = t1 - t0 || 86_400_000;
  const maxA = Math.max(1, ...amounts.filter(Number.isFinite));
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart timeline', role: 'img', 'aria-label': `${dates.length} purchases from ${fmtDate(t0)} to ${fmtDate(t1)}` });
  g.append(svg('line', { x1: pad, y1: H / 2, x2: W - pad, y2: H / 2, class: 'axis' }));
  dates.forEach((d, i) => {
    const x = pad + ((d - t0) / span) * (W - 2 * pad);
    const r = 3 + 9 * Math.sqrt(Math.max(0, amounts[i] || 0) / maxA);
    g.append(svg('circle', { cx: x, cy: H / 2, r, class: 'dot' }, svg('title', {}, `${fmtDate(d)}: ${fmtMoney(amounts[i])}`)));
  });
  g.append(svg('text', { x: pad, y: H - 6, class: 'tick' }, fmtDate(t0)));
  g.append(svg('text', { x: W - pad, y: H - 6, class: 'tick', 'text-anchor': 'end' }, fmtDate(t1)));
  return g;
}

function highlighted(text, tokens) {
  const parts = [];
  let at = 0;
  for (const t of tokens ?? []) {
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

export function mount(root, { session, navigate, params }) {
  const id = params?.arg ?? '';
  let disposed = false;
  const card = (testid, title, ...content) => h('section', { class: 'card', dataset: { testid } },
    title ? h('div', { class: 'card-head' }, h('h2', {}, title)) : null, ...content);
  replace(root, h('p', { class: 'muted', role: 'status' }, `Looking up customer ${id}…`));

  (async () => {
    const parts = [];
    const joined = session.table('customers (joined)');
    let row = null;
    let cols = [];
    if (joined) {
      const key = joined.key ?? joined.columns[0].name;
      const ids = await col(session, joined, key);
      const i = rowsOf(ids, id)[0];
      if (i !== undefined) {
        row = await session.worker.rows(joined.handle, i, 1).then((r) => r[0]);
        cols = joined.columns;
      }
    }
    // ---------- header + value in plain language ----------
    const v = row ?? {};
    const reading = plainValue(v, joined?.horizonMonths ?? 12);
    parts.push(h('header', { class: 'view-header' },
      h('p', {}, h('a', { href: customersHref(), dataset: { testid: 'back' } }, '← Customers')),
      h('h1', { dataset: { testid: 'record-id' } }, `Customer ${id}`),
      reading ? h('p', { class: 'lede', dataset: { testid: 'plain-value' } }, reading[0].toUpperCase() + reading.slice(1), '.') : null));
    if (!row && joined) parts.push(h('p', { class: 'notice notice-neutral', role: 'status' }, `${id} is not in the customer list.`));
    if (row) {
      const fig = (name, text) => (v[name] == null ? null : h('div', { class: 'fact', dataset: { testid: `fig-${name}` } }, h('dd', {}, text), h('dt', { title: PLAIN[name] ?? '' }, LABELS[name] ?? name)));
      const figs = [
          fig('segment', String(v.segment)),
          fig('group', String(v.group)),
          fig('pAlive', fmtPct(v.pAlive)),
          fig('expectedPurchases', fmtNum(v.expectedPurchases, 1)),
          fig('clv', fmtMoney(v.clv)),
          fig('frequency', fmtInt(v.frequency)),
          fig('monetary', fmtMoney(v.monetary)),
          fig('firstPurchase', fmtDate(v.firstPurchase)),
          fig('lastPurchase', fmtDate(v.lastPurchase)),
          fig('sentiment', String(v.sentiment)),
          fig('sentimentMean', fmtNum(v.sentimentMean, 2)),
          fig('negativeShare', `${fmtPct(v.negativeShare)}${Number.isFinite(v.reviews) ? ` of ${fmtInt(v.reviews)} reviews` : ''}`)].filter(Boolean);
      // Without value figures (a customers file alone): say where they come from instead of an empty card.
      parts.push(figs.length ? card('record-value', v.sentimentMean != null || v.sentiment != null ? 'Value, segment and sentiment' : 'Value and segment', h('dl', { class: 'facts' }, figs),
        v.segment != null ? h('p', { class: 'hint' }, h('a', { href: customersHref({ segment: v.segment }), dataset: { testid: 'segment-link' } }, `All customers in “${v.segment}”`)) : null,
        segmentNote(v), clusterNote(session, v))
        : h('p', { class: 'notice notice-neutral', dataset: { testid: 'no-value' } },
          'No value figures yet: load this customer’s orders in the Workspace and compute Customer value (P(alive), expected purchases, CLV, RFM segment).'));
      const todo = nextSteps(joined, v);
      if (todo) parts.push(todo);
      const known = new Set(['segment', 'group', 'pAlive', 'expectedPurchases', 'clv', 'frequency', 'monetary', 'firstPurchase', 'lastPurchase', 'sentiment', 'sentimentMean', 'negativeShare', 'reviews', 'rScore', 'fScore', 'mScore', 'recency', 'T', 'expectedSpend', 'rfm', joined.key,
        'nextAction', 'actionPriority', 'openRules', 'rulesFired', 'baseValue', 'recommended', 'because', 'bestSellerFallback', ...(joined.highlights ?? [])]);
      const attrs = cols.filter((c) => !known.has(c.name) && !/^factor\d+(Value|Contribution)?$/.test(c.name));
      if (attrs.length) {
        parts.push(card('record-attributes', 'Everything else known',
          h('dl', { class: 'facts' }, attrs.map((c) => h('div', { class: 'fact' },
            h('dd', {}, cellText({ ...c, words: joined.boolWords?.[c.name] ?? null }, c.type === 'date' || c.type === 'datetime' ? (v[c.name] ? Date.parse(String(v[c.name]).slice(0, 10)) : null) : v[c.name]) || '—'),
            h('dt', {}, joined.labels?.[c.name] ?? LABELS[c.name] ?? c.name))))));
      }
    }

    // ---------- purchases ----------
    const orders = session.byRole('orders')[0];
    if (orders) {
      const key = orderKey(session, orders);
      const isNum = (c) => c.type === 'float64' || c.type === 'int64';
      const isText = (c) => (c.type === 'text' || c.type === 'category') && c.name !== key;
      const dateCol = orders.columns.find((c) => c.type === 'date' || c.type === 'datetime');
      // The amount of a row: an amount column, else quantity × unit price (order lines), else a price.
      const amountCol = orders.columns.find((c) => /amount|value|total|revenue|sales/i.test(c.name) && isNum(c));
      const qtyCol = amountCol ? null : orders.columns.find((c) => /^(qty|quantity)/i.test(c.name) && isNum(c));
      const priceCol = amountCol ? null : orders.columns.find((c) => /price/i.test(c.name) && isNum(c));
      const productCol = orders.columns.find((c) => isText(c) && /descr|product.?name|item.?name|title/i.test(c.name))
        ?? orders.columns.find((c) => isText(c) && /product|item|sku|stock|article/i.test(c.name));
      if (key && dateCol) {
        const idx = rowsOf(await col(session, orders, key), id);
        const ds = await col(session, orders, dateCol.name);
        const am = amountCol ? await col(session, orders, amountCol.name) : null;
        const [qs, ps] = [qtyCol && await col(session, orders, qtyCol.name), priceCol && await col(session, orders, priceCol.name)];
        const amount = (i) => (am ? am[i] : qs && ps ? qs[i] * ps[i] : ps ? ps[i] : NaN);
        const names = productCol ? await productNames(session, orders, productCol) : null;
        const list = idx.map((i) => ({ d: ds[i], a: amount(i), p: names ? names(i) : null })).filter((o) => Number.isFinite(o.d)).sort((a, b) => a.d - b.d);
        const total = list.reduce((s, o) => s + (Number.isFinite(o.a) ? o.a : 0), 0);
        const amountTitle = amountCol?.name ?? (qtyCol && priceCol ? `${qtyCol.name} × ${priceCol.name}` : priceCol?.name ?? 'Amount');
        parts.push(card('record-orders', `Purchases (${fmtInt(list.length)})`,
          list.length ? [timeline(list.map((o) => o.d), list.map((o) => o.a)),
            h('p', { class: 'hint' }, `${fmtInt(list.length)} purchases, ${fmtMoney(total)} in total, from ${fmtDate(list[0].d)} to ${fmtDate(list[list.length - 1].d)}.`),
            h('div', { class: 'table-wrap table-wrap-short' }, h('table', { class: 'table' },
              h('thead', {}, h('tr', {}, h('th', {}, 'Date'), names ? h('th', {}, 'Product') : null, h('th', { class: 'num' }, amountTitle))),
              h('tbody', {}, list.slice(-50).reverse().map((o) => h('tr', { dataset: { testid: 'order-row' } }, h('td', {}, fmtDate(o.d)),
                names ? h('td', { class: 'wrap', dataset: { testid: 'order-product' } }, o.p ?? '—') : null, h('td', { class: 'num' }, fmtMoney(o.a)))))))]
            : h('p', { class: 'muted' }, `No rows of ${orders.name} for this customer.`)));
      }
    }

    // ---------- reviews ----------
    const feedback = session.byRole('feedback')[0];
    if (feedback) {
      const key = orderKey(session, feedback);
      const isText = (c) => (c.type === 'text' || c.type === 'category') && c.name !== key;
      const textCol = feedback.columns.find((c) => isText(c) && (c.role === 'freeText' || /review|text|comment|feedback|message|评论|评价/i.test(c.name)))
        ?? feedback.columns.find(isText);
      if (key && textCol) {
        const idx = rowsOf(await col(session, feedback, key), id);
        const texts = await col(session, feedback, textCol.name);
        const mine = idx.map((i) => texts[i]).filter((t) => t != null && String(t).trim()).map(String);
        let scored = null;
        if (mine.length) scored = await session.worker.sentiment(mine, { explain: true });
        parts.push(card('record-reviews', `Reviews (${fmtInt(mine.length)})`,
          mine.length ? h('ol', { class: 'st-texts' }, mine.map((t, k) => h('li', { dataset: { testid: 'review', label: scored.label[k] ?? '' } },
            h('span', { class: `tag tag-${scored.label[k] ?? 'none'}` }, `${scored.label[k] ?? '—'} ${fmtNum(scored.compound[k], 2)}`), ' ',
            h('span', { class: 'st-text' }, clamp(highlighted(t, scored.explanation?.[k]), t.length)))))
            : h('p', { class: 'muted' }, `No reviews in ${feedback.name}.`)));
      }
    }

    // ---------- recommendations and rules (when the workspace has them) ----------
    const rec = session.stashed('recommender');
    if (rec?.model != null) {
      try {
        const items = await session.worker.recommend(rec.model, id, { k: 5 });
        const name = (item) => (rec.names?.has(String(item)) ? `${rec.names.get(String(item))} (${item})` : String(item));
        parts.push(card('record-recommendations', 'Recommended next',
          items.length ? h('ol', { dataset: { testid: 'recommendations' } }, items.map((r) => h('li', {}, name(r.item),
            h('span', { class: 'muted' }, r.fallback ? ' — a best seller (no history to go on)' : r.because?.length ? ` — because they bought ${r.because.map(name).join('; ')}` : ' — a best seller'))))
            : h('p', { class: 'muted' }, 'No recommendation for this customer.')));
      } catch { /* not a user of the model */ }
    } else if (row?.recommended != null) {
      // No model in this tab (e.g. a reopened workspace): the recommendations kept per customer.
      parts.push(card('record-recommendations', 'Recommended next',
        h('ol', { dataset: { testid: 'recommendations' } }, String(row.recommended).split('; ').map((item, k) => h('li', {}, item,
          k === 0 && row.because ? h('span', { class: 'muted' }, ` — because they bought ${row.because}`) : null)))));
    }
    for (const events of session.tables.filter(isEvents)) {
      const key = keyOf(events);
      const idx = rowsOf(await col(session, events, key), id);
      if (!idx.length) continue;
      const rows = await Promise.all(idx.slice(0, 20).map((i) => session.worker.rows(events.handle, i, 1).then((r) => r[0])));
      rows.sort((a, b) => (a.priority ?? Infinity) - (b.priority ?? Infinity));
      const shown = new Set([key, 'rule', 'action', 'priority', 'status', 'reason', 'row']);
      parts.push(card('record-rules', `Rules that fired (${fmtInt(idx.length)}, from ${events.name})`,
        h('ul', { class: 'rule-events' }, rows.map((r) => h('li', { dataset: { testid: 'rule-event', status: r.status ?? '' } },
          h('strong', {}, r.action ?? '—'),
          r.rule != null ? h('span', { class: 'muted' }, ` — rule ${r.rule}`) : null,
          r.status ? h('span', { class: `tag${r.status === 'resolved' ? '' : ' tag-negative'}` }, r.status) : null,
          r.reason ? h('div', { class: 'hint', title: String(r.reason) }, `because ${fmtReason(r.reason)}`) : null,
          h('div', { class: 'hint' }, Object.entries(r).filter(([k, x]) => !shown.has(k) && x != null).map(([k, x]) => `${k}: ${typeof x === 'number' ? fmtReadable(x, k) : x}`).join(' · ')))))));
    }
    if (!joined && !orders && !feedback) {
      parts.push(h('p', { class: 'notice notice-neutral' }, 'The workspace has no customer data yet.'),
        h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => navigate('workspace') }, 'Go to Workspace'));
    }
    if (!disposed) replace(root, ...parts);
  })().catch((e) => {
    if (!disposed) replace(root, h('div', { class: 'notice notice-error', role: 'alert' }, h('p', {}, `Could not show customer ${id}: ${e.message}`)));
  });
  return () => { disposed = true; };
}

/**
 * Product text of each orders row: the orders column itself, or, when it holds product ids
 * and the workspace joins it to a products file, that file's name column. Returns (row) → text.
 */
async function productNames(session, orders, productCol) {
  const values = await col(session, orders, productCol.name);
  const products = session.byRole('products')[0];
  const j = products && session.joinOf(orders.name, products.name);
  const nameCol = j && products.columns.find((c) => (c.type === 'text' || c.type === 'category') && c.name !== j.targetColumn && /name|title|descr/i.test(c.name));
  if (!j || j.column !== productCol.name || !nameCol) return (i) => (values[i] == null ? null : String(values[i]));
  const [ids, names] = [await col(session, products, j.targetColumn), await col(session, products, nameCol.name)];
  const byId = new Map();
  for (let k = 0; k < ids.length; k++) { const t = keyText(ids[k]); if (t !== null && !byId.has(t)) byId.set(t, names[k]); }
  return (i) => { const n = byId.get(keyText(values[i])); return n == null ? (values[i] == null ? null : String(values[i])) : `${n} (${values[i]})`; };
}

/** The customer key column of an orders / feedback table: its join to the customers file, else the value table's key, else its id column. */
function orderKey(session, t) {
  const customers = session.byRole('customers')[0];
  const j = customers && session.joinOf(t.name, customers.name);
  if (j) return j.column;
  const value = session.byRole('value').find((v) => v.from === t.name);
  if (value) return value.key ?? value.columns[0].name;
  const named = (c) => /cust|client|user|member|buyer/i.test(c.name);
  return t.columns.find((c) => c.role === 'id' && named(c))?.name ?? t.columns.find(named)?.name ?? t.columns.find((c) => c.role === 'id')?.name ?? null;
}

/** How sure a probability is, in words. */
const likelihood = (p) => (p >= 0.7 ? 'high' : p >= 0.4 ? 'medium' : 'low');

/**
 * "What to do": the next action from the rules, and every prediction joined onto the customer
 * (a churn model's probability, in words, with the factors that weighed most). Null when the
 * workspace has neither.
 */
function nextSteps(joined, v) {
  const items = [];
  if (v.nextAction != null) {
    items.push(h('p', { dataset: { testid: 'next-action' } }, h('strong', {}, 'Next action: '), String(v.nextAction),
      v.rulesFired ? h('span', { class: 'muted' }, ` (rules: ${v.rulesFired})`) : null));
  }
  for (const name of joined.highlights ?? []) {
    const x = v[name];
    if (typeof x !== 'number' || !Number.isFinite(x) || name === 'actionPriority') continue;
    const label = joined.labels?.[name] ?? LABELS[name] ?? name;
    items.push(h('p', { dataset: { testid: 'prediction' } }, h('strong', {}, `${label}: `), `${fmtPct(x)} (${likelihood(x)})`));
  }
  const factors = [];
  for (let k = 1; v[`factor${k}`] != null; k++) {
    const c = v[`factor${k}Contribution`];
    factors.push(h('li', {}, `${v[`factor${k}`]} = ${v[`factor${k}Value`] ?? '—'}`,
      Number.isFinite(c) ? h('span', { class: 'muted' }, c > 0 ? ' — raises it' : c < 0 ? ' — lowers it' : ' — no effect') : null));
  }
  if (factors.length) items.push(h('p', { class: 'hint' }, 'What weighed most in the prediction:'), h('ol', { dataset: { testid: 'factors' } }, factors));
  if (!items.length) return null;
  return h('section', { class: 'card', dataset: { testid: 'record-next' } }, h('div', { class: 'card-head' }, h('h2', {}, 'What to do')), ...items);
}

/** What sets the customer's cluster segment apart (from the Segments result of this tab), with a link to its list. */
function clusterNote(session, v) {
  const kept = session.stashed('segments');
  if (v.group == null || !kept?.r?.labelTable) return null;
  const s = kept.r.segments?.find((x) => `Segment ${x.id + 1}` === String(v.group));
  if (!s) return null;
  return h('p', { class: 'hint', dataset: { testid: 'cluster-note' } }, `${v.group}: ${s.description} (${fmtInt(s.size)} customers). `,
    h('a', { href: customersHref({ group: String(v.group) }) }, `All customers in ${v.group}`));
}

/** What the RFM segment means, in one sentence. */
function segmentNote(v) {
  const r = v.rScore, f = v.fScore, m = v.mScore;
  if (![r, f, m].every(Number.isFinite)) return null;
  const word = (s) => (s >= 4 ? 'high' : s >= 3 ? 'middle' : 'low');
  return h('p', { class: 'hint', dataset: { testid: 'segment-note' } },
    `RFM ${v.rfm ?? `${r}${f}${m}`}: ${word(r)} recency (how lately), ${word(f)} frequency (how often), ${word(m)} spend, each scored 1–5 against all customers.`);
}
