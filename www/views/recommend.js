// Recommendations view: from the loaded purchase log to a recommender (crmlens
// Recommender.fit in the worker), its offline evaluation against popularity, per-customer
// recommendations explained by what the customer bought, and basket rules
// (associationRules). Everything from the file is set as text (lib/dom.js).

import { needFile } from '../lib/empty.js';
import { h, replace } from '../lib/dom.js';
import { fmtInt } from '../lib/format.js';

/** What the view needs as input (its empty state and error notes say so; lib/empty.js). */
const NEEDS = { title: 'Recommendations',
  needs: 'an orders file with products: one row per customer and product bought (customer, product, and a date or quantity)',
  example: 'the Online Retail sample (InvoiceNo, StockCode, Description, CustomerID…), loadable from the Data view', roles: ['orders'] };

const K = 10;
const RULES = 20;

function guess(columns) {
  const by = (pred) => columns.find(pred)?.name ?? '';
  return {
    user: by((c) => /cust|client|member|user|buyer/i.test(c.name)) || by((c) => c.role === 'id'),
    item: by((c) => /item|product|stock|sku|article|movie|title/i.test(c.name) && c.role !== 'freeText'),
    timestamp: by((c) => c.type === 'datetime' || c.type === 'date') || by((c) => /time|date|ts$/i.test(c.name)),
    transaction: by((c) => /invoice|order|basket|transaction|receipt/i.test(c.name)),
    label: by((c) => /desc|product.?name|title/i.test(c.name) && (c.type === 'text' || c.type === 'category')),
  };
}

const num = (v, d = 3) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '—');
const pct = (v) => `${num(100 * v, 1)}%`;

const TOP_PER_CUSTOMER = 3;

export function mount(root, { session, navigate }) {
  let fitted = null; // { model, method, auto, report, numUsers, numItems, users }
  const out = h('div', { class: 'result' });

  function field(key, label, columns, value, optional) {
    const select = h('select', { id: `rc-${key}`, name: key },
      h('option', { value: '' }, optional ? '(none)' : '—'),
      columns.map((c) => h('option', { value: c.name, selected: c.name === value }, `${c.name} (${c.type})`)));
    return [h('div', { class: 'field' }, h('label', { for: `rc-${key}` }, label), select), select];
  }

  // The fitted model is kept in the session ('recommender') so the result survives switching
  // views and the customer record page can recommend; it is freed when a new one is fitted.
  function freeModel() {
    const kept = session.stashed('recommender');
    if (kept) session.worker.freeModel(kept.model).catch(() => {});
    session.stash('recommender');
    fitted = null;
  }

  // The top products of every customer, kept in the workspace as "recommendations (<input>)"
  // (one row per customer: the Customers list joins it; the workspace exports it).
  async function keepPerCustomer(cur, userColumn, f, names, check) {
    const users = f.users ?? [];
    if (!users.length) return;
    const w = session.worker;
    const rows = [];
    for (let at = 0; at < users.length; at += 5000) {
      const part = await w.recommendMany(f.model, users.slice(at, at + 5000), TOP_PER_CUSTOMER);
      check(); // Cancel stops between batches of customers
      for (const u of part) {
        const items = u.recommendations.map((r) => (names.has(String(r.item)) ? names.get(String(r.item)) : String(r.item)));
        const first = u.recommendations[0];
        rows.push({ [userColumn]: u.user, recommended: items.join('; ') || null,
          because: first && !first.fallback && first.because?.length ? first.because.map((b) => names.get(String(b)) ?? String(b)).join('; ') : null,
          bestSellerFallback: u.fallback });
      }
    }
    const ds = await w.load(JSON.stringify(rows), { format: 'json' });
    session.addTable(ds, { name: `recommendations (${cur.name})`, kind: 'recommendations', from: cur.name, key: userColumn });
  }

  const errorBox = (title, e) => h('div', { class: 'notice notice-error', role: 'alert', dataset: { testid: 'recommend-error' } },
    h('div', {}, h('strong', { class: 'notice-title' }, title), h('p', { class: 'error-message' }, `${e.message}${e.code ? ` (${e.code})` : ''}`)));

  function render() {
    const cur = session.current;
    if (!cur) {
      replace(root, needFile(session, navigate, NEEDS));
      return;
    }
    const g = guess(cur.columns);
    const [fu, su] = field('user', 'Customer column', cur.columns, g.user);
    const [fi, si] = field('item', 'Product column', cur.columns, g.item);
    const [ft, st] = field('timestamp', 'Date column (for the evaluation split)', cur.columns, g.timestamp, true);
    const [fb, sb] = field('transaction', 'Basket column (for basket rules)', cur.columns, g.transaction, true);
    const [fl, sl] = field('label', 'Product name column (for display)', cur.columns, g.label, true);
    const sm = h('select', { id: 'rc-method', name: 'method' },
      [['auto', 'Automatic (best on a held-out test)'], ['item-knn', 'Item-item neighbours'], ['als', 'Matrix factorisation (ALS)'], ['popularity', 'Popularity']]
        .map(([v, t]) => h('option', { value: v }, t)));
    const fm = h('div', { class: 'field' }, h('label', { for: 'rc-method' }, 'Method'), sm);
    const run = h('button', { class: 'btn btn-secondary', type: 'button', dataset: { testid: 'fit' } }, 'Build recommendations');
    run.addEventListener('click', async () => {
      run.disabled = true;
      const status = h('span', {}, 'Fitting and evaluating…');
      const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Fitting progress', dataset: { testid: 'fit-progress' } });
      // Long work in the worker: Cancel stops the fit, the evaluation or the basket rules.
      const controller = new AbortController();
      const signal = controller.signal;
      const cancel = h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: 'cancel-fit' }, onclick: () => controller.abort() }, 'Cancel');
      replace(out, h('div', { role: 'status' }, h('p', { class: 'muted' }, status, ' ', cancel), bar));
      try {
        freeModel();
        const options = { user: su.value, item: si.value, method: sm.value, signal };
        // ALS reports each iteration; the other methods one step.
        options.onProgress = ({ iteration, iterations, method }) => {
          bar.max = iterations;
          bar.value = iteration;
          status.textContent = method === 'als' ? `Fitting ALS: iteration ${iteration} of ${iterations}…` : 'Fitting and evaluating…';
        };
        if (st.value) options.timestamp = st.value;
        const w = session.worker;
        fitted = await w.fitRecommender(cur.handle, options);
        const check = () => { if (signal.aborted) throw Object.assign(new Error('Cancelled.'), { code: 'ABORTED' }); };
        check();
        // A log where nobody bought twice cannot be evaluated; the recommendations still can be shown.
        status.textContent = 'Evaluating on held-out purchases…';
        const evaluation = await w.evaluateRecommender(fitted.model, { k: K, split: st.value ? 'leave-last-out' : 'random', seed: 0, signal })
          .catch((error) => { if (error?.code === 'ABORTED') throw error; return { error }; });
        let rules = null;
        if (sb.value) {
          try {
            status.textContent = 'Mining basket rules…';
            rules = await w.associationRules(cur.handle, { transaction: sb.value, item: si.value, minSupport: 0.02, minConfidence: 0.3, minLift: 1, maxLen: 3, signal });
          } catch (e) {
            if (e?.code === 'ABORTED') throw e;
            rules = { error: e };
          }
        }
        // Product names for display: the first name seen for each product id.
        const names = new Map();
        if (sl.value) {
          const [ids, labels] = await Promise.all([session.column(si.value), session.column(sl.value)]);
          for (let i = 0; i < ids.length; i++) {
            const id = ids[i] == null ? null : String(ids[i]);
            if (id !== null && labels[i] != null && !names.has(id)) names.set(id, String(labels[i]).trim());
          }
        }
        check();
        status.textContent = 'Recommending for every customer…';
        await keepPerCustomer(cur, su.value, fitted, names, check);
        check();
        session.stash('recommender', { model: fitted.model, fitted, input: cur.name, evaluation, rules, names });
        await show(fitted, evaluation, rules, names);
      } catch (e) {
        if (e?.code === 'ABORTED') {
          if (fitted?.model != null) session.worker.freeModel(fitted.model).catch(() => {});
          fitted = null;
          replace(out, h('p', { class: 'muted', role: 'status', dataset: { testid: 'fit-cancelled' } }, 'Cancelled: no recommendations were built.'));
          return;
        }
        replace(out, errorBox('Could not build recommendations', e));
      } finally {
        run.disabled = false;
      }
    });
    replace(root, h('section', { class: 'view' },
      h('header', { class: 'view-header' }, h('h1', {}, 'Recommendations'),
        h('p', { class: 'lede' }, `Products each customer of ${cur.name} is likely to want next, learned from what similar customers bought, checked against simply recommending the best sellers. Computed in this tab.`)),
      h('section', { class: 'card' }, h('div', { class: 'options-grid' }, fu, fi, ft, fb, fl, fm), h('div', { class: 'loader-actions' }, run)),
      out));
    const kept = session.stashed('recommender');
    if (kept && kept.input === cur.name) {
      fitted = kept.fitted;
      show(kept.fitted, kept.evaluation, kept.rules, kept.names).catch(() => {});
    }
  }

  const table = (head, body, testid) => h('div', { class: 'table-wrap' },
    h('table', { class: 'table', dataset: { testid } }, h('thead', {}, h('tr', {}, head)), h('tbody', {}, body)));
  const card = (testid, title, ...content) => h('section', { class: 'card', dataset: { testid } },
    title ? h('div', { class: 'card-head' }, h('h2', {}, title)) : null, ...content);
  const fact = (label, value, testid = null) => h('div', { class: 'fact', dataset: { testid } }, h('dd', {}, value), h('dt', {}, label));

  const METHOD = { 'item-knn': 'item-item neighbours', als: 'matrix factorisation (ALS)', popularity: 'popularity', recency: 'recent popularity' };

  function evaluationCard(e) {
    const verdict = { better: 'better than recommending best sellers', worse: 'worse than recommending best sellers', 'no clear difference': 'no clearer than recommending best sellers' }[e.grade.verdict] ?? e.grade.verdict;
    const metrics = [['Precision@10 (of the 10 suggested, share bought)', 'precision', pct], ['Recall@10 (of the hidden purchases, share among the 10)', 'recall', pct],
      ['MAP@10 (hits, weighted by how high they rank)', 'map', num], ['NDCG@10 (ranking quality, 0–1: hits near the top count more)', 'ndcg', num], ['Catalogue coverage (share of products ever suggested)', 'coverage', pct]];
    return card('evaluation', `Offline test: ${verdict}`,
      h('p', { class: 'hint' }, `${e.split === 'leave-last-out' ? 'Each customer’s latest product' : 'A random 20% of each customer’s products'} (${fmtInt(e.heldOut)} purchases of ${fmtInt(e.users)} customers) hidden, the model refitted on the rest and asked for ${e.k} products. NDCG difference ${num(e.grade.ndcgDifference)} ± ${num(2 * e.grade.standardError)} (two standard errors).`),
      table([h('th', {}, 'Measure'), h('th', { class: 'num' }, 'This model'), h('th', { class: 'num' }, 'Best sellers')],
        metrics.map(([label, key, fmt]) => h('tr', {}, h('td', {}, label), h('td', { class: 'num' }, fmt(e.model[key])), h('td', { class: 'num' }, fmt(e.baseline[key])))),
        'evaluation-table'));

  }

  async function show(f, e, rules, names) {
    const label = (id) => (names.has(id) ? `${names.get(id)} (${id})` : id);
    const rep = f.report;
    const skipped = rep.rows - rep.used;
    const summary = card('recommend-summary', null,
      h('dl', { class: 'facts' },
        fact('Customers', fmtInt(f.numUsers), 'rc-users'),
        fact('Products', fmtInt(f.numItems)),
        fact('Method', METHOD[f.method] ?? f.method, 'rc-method-used')),
      h('p', { class: 'hint' }, `Rows used ${fmtInt(rep.used)} of ${fmtInt(rep.rows)}; left out ${fmtInt(skipped)} (missing customer ${fmtInt(rep.missingUser)}, missing product ${fmtInt(rep.missingItem)}, missing date ${fmtInt(rep.missingTimestamp)}). Repeat purchases of the same product: ${fmtInt(rep.mergedDuplicates)}.`),
      f.auto ? h('p', { class: 'hint' }, `Automatic choice by NDCG@10 on a held-out test: ${f.auto.candidates.map(([m, s]) => `${METHOD[m] ?? m} ${num(s)}`).join(', ')}.`) : null);

    const evaluation = e.error ? card('evaluation', 'Offline test', errorBox('Could not evaluate', e.error)) : evaluationCard(e);

    const list = h('div', { dataset: { testid: 'customer-recs' } });
    const input = h('input', { id: 'rc-customer', list: 'rc-customers', value: f.users[0] ?? '', autocomplete: 'off' });
    const datalist = h('datalist', { id: 'rc-customers' }, f.users.slice(0, 500).map((u) => h('option', { value: u })));
    const showCustomer = async () => {
      try {
        const recs = await session.worker.recommend(f.model, input.value, { k: K });
        replace(list,
          recs[0]?.fallback ? h('p', { class: 'hint', dataset: { testid: 'fallback' } }, 'Unknown customer: showing the best sellers instead.') : null,
          table([h('th', {}, '#'), h('th', {}, 'Product'), h('th', {}, 'Why'), h('th', { class: 'num', title: 'the model\'s score: higher = a stronger match; only the order matters' }, 'Score (higher = stronger)')],
            recs.map((r, i) => h('tr', {},
              h('td', { class: 'num' }, String(i + 1)), h('td', { dataset: { item: r.item } }, label(r.item)),
              h('td', { dataset: { because: r.because.join('\u001f') } }, r.because.length ? `because you bought ${r.because.map(label).join('; ')}` : 'best seller'),
              h('td', { class: 'num' }, num(r.score)))),
            'recs-table'));
      } catch (err) {
        replace(list, errorBox('Could not recommend', err));
      }
    };
    const go = h('button', { class: 'btn btn-ghost', type: 'button', dataset: { testid: 'show-customer' }, onclick: showCustomer }, 'Show');
    input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') showCustomer(); });
    const customers = card('customer', 'Recommendations for a customer',
      h('div', { class: 'options-grid' }, h('div', { class: 'field' }, h('label', { for: 'rc-customer' }, 'Customer'), input, datalist), h('div', { class: 'loader-actions' }, go)),
      list);

    let basket = null;
    if (rules?.error) basket = card('rules', 'Bought together', errorBox('Could not find basket rules', rules.error));
    else if (rules) {
      basket = card('rules', `Bought together: ${fmtInt(rules.rules.length)} rules from ${fmtInt(rules.transactions)} baskets`,
        h('p', { class: 'hint' }, 'Rules “if a basket has A, it also has B”, in at least 2% of baskets, right at least 30% of the time, strongest lift first.'),
        table([h('th', {}, 'If the basket has'), h('th', {}, 'it also has'), h('th', { class: 'num', title: 'share of all baskets with both' }, 'Support · baskets with both'),
          h('th', { class: 'num', title: 'share of baskets with the first that also have the second' }, 'Confidence · how often right'), h('th', { class: 'num', title: 'how many times more likely than by chance' }, 'Lift · × chance')],
          rules.rules.slice(0, RULES).map((r) => h('tr', {},
            h('td', {}, r.antecedents.map(label).join(' + ')), h('td', {}, r.consequents.map(label).join(' + ')),
            h('td', { class: 'num' }, pct(r.support)), h('td', { class: 'num' }, pct(r.confidence)), h('td', { class: 'num' }, num(r.lift, 1)))),
          'rules-table'));
    }
    replace(out, summary, evaluation, customers, basket);
    await showCustomer();
  }

  session.addEventListener('change', render);
  render();
  return () => session.removeEventListener('change', render);
}
