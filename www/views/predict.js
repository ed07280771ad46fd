// Predict view: train a model on the loaded table in the worker (Predictor.train from the
// lazily loaded `predict` module, which the worker fetches on first use) — either a labelled
// customer table (pick the target) or an order log (transactionFeatures: propensity to buy in
// the next N days) — then show its out-of-fold quality (grade, ROC, lift and gain,
// calibration, confusion at the threshold), the models tried, permutation importance, the
// scored customers sorted by risk with their top factors, and a formula-safe CSV export
// (the package's CSV writer via the worker's toCsv). The scored table (id, probability, label,
// top factors) is kept in the workspace as kind `predictions`, keyed by its id column, so the
// Customers list and record page show it; the model and its summary stay in the session
// (`session.stashed('predict')`: shown again on the next visit, saved with the workspace).
// Every value from the file is set as text (lib/dom.js).

import { needFile } from '../lib/empty.js';
import { h, replace } from '../lib/dom.js';
import { fmtInt, fmtNum } from '../lib/format.js';
import { fileName } from '../lib/export.js';
import { customerHref, customerPlan, customersHref } from '../lib/customers.js';

/** What the view needs as input (its empty state and error notes say so; lib/empty.js). */
const NEEDS = { title: 'Predict',
  needs: 'a customer table with an outcome column to learn from (one row per customer, e.g. Churn = Yes/No), or an orders file (one row per purchase: customer, date, amount) to predict who buys next',
  example: 'the Telco churn file WA_Fn-UseC_-Telco-Customer-Churn.csv, or CDNOW_master.txt', roles: ['customers', 'orders', 'value', 'customers-360'] };

const SVG = 'http://www.w3.org/2000/svg';
const num = (v, d = 3) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '—');
const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—');
const SHOWN = 100; // scored rows listed (the export has all)
const MODELS = [['auto', 'auto (logistic, GBDT, forest: best by cross-validation)'], ['logistic', 'logistic regression'], ['gbdt', 'gradient-boosted trees'], ['random-forest', 'random forest'], ['decision-tree', 'decision tree'], ['svm', 'linear SVM'], ['linear', 'linear regression (numbers)']];
const PHASES = { cv: 'Cross-validating', importance: 'Measuring importance', final: 'Fitting on every row', boost: 'Boosting', forest: 'Growing trees' };

function svgEl(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** A line chart in the unit square (or [0, xMax] × [0, yMax]): series of [x, y] points, with an optional diagonal. */
function lineChart({ label, series, diagonal = false, xMax = 1, yMax = 1, xLabel, yLabel, testid }) {
  const W = 320, H = 240, L = 40, B = 30, T = 10, R = 10;
  const sx = (x) => L + (x / xMax) * (W - L - R);
  const sy = (y) => H - B - (y / yMax) * (H - B - T);
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart pred-chart', role: 'img', 'aria-label': label });
  svg.append(svgEl('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis' }), svgEl('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'axis' }));
  for (const t of [0, 0.5, 1]) {
    const tx = svgEl('text', { x: sx(t * xMax), y: H - B + 14, class: 'tick', 'text-anchor': 'middle' });
    tx.textContent = num(t * xMax, t * xMax >= 10 ? 0 : 1);
    const ty = svgEl('text', { x: L - 4, y: sy(t * yMax) + 4, class: 'tick', 'text-anchor': 'end' });
    ty.textContent = num(t * yMax, t * yMax >= 10 ? 0 : 1);
    svg.append(tx, ty);
  }
  const xl = svgEl('text', { x: (L + W - R) / 2, y: H - 2, class: 'tick', 'text-anchor': 'middle' });
  xl.textContent = xLabel;
  const yl = svgEl('text', { x: 10, y: T + 8, class: 'tick' });
  yl.textContent = yLabel;
  svg.append(xl, yl);
  if (diagonal) svg.append(svgEl('line', { x1: sx(0), y1: sy(0), x2: sx(xMax), y2: sy(yMax), class: 'pred-ref' }));
  series.forEach(({ points, cls = 'pred-line', dots = false }) => {
    const ok = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    svg.append(svgEl('polyline', { points: ok.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' '), class: cls }));
    if (dots) for (const [x, y] of ok) svg.append(svgEl('circle', { cx: sx(x).toFixed(1), cy: sy(y).toFixed(1), r: 3, class: 'pred-dot' }));
  });
  const fig = h('figure', { class: 'pred-figure', dataset: { testid } }, svg, h('figcaption', { class: 'hint' }, label));
  return fig;
}

/** Horizontal bars (importance): [name, value, spread]. */
function barChart(label, items, testid) {
  const W = 420, row = 20, L = 150, H = items.length * row + 6;
  const max = Math.max(1e-12, ...items.map(([, v]) => v));
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart pred-chart', role: 'img', 'aria-label': label });
  items.forEach(([name, v, sd], i) => {
    const t = svgEl('text', { x: L - 6, y: i * row + 15, class: 'tick', 'text-anchor': 'end' });
    t.textContent = name.length > 22 ? `${name.slice(0, 21)}…` : name;
    const w = Math.max(0, (v / max) * (W - L - 60));
    const bar = svgEl('rect', { x: L, y: i * row + 4, width: w.toFixed(1), height: row - 6, class: 'bar' });
    const title = svgEl('title');
    title.textContent = `${name}: ${num(v, 4)} ± ${num(sd, 4)}`;
    bar.append(title);
    const vt = svgEl('text', { x: L + w + 4, y: i * row + 15, class: 'tick' });
    vt.textContent = num(v, 3);
    svg.append(t, bar, vt);
  });
  return h('figure', { class: 'pred-figure', dataset: { testid } }, svg, h('figcaption', { class: 'hint' }, label));
}

/**
 * True when a model trained on the table `input` scores the customers of the Customers list:
 * the input is the list's base (the customer value table or the customers file), the orders
 * the value table came from, the customers file joined on, or the joined list itself. Then
 * "N above the threshold" links to the list filtered to them; a model trained on another
 * file (other ids) would show an empty list, so its count is not linked.
 */
function feedsList(session, input) {
  const plan = customerPlan(session);
  if (!plan || !input) return false;
  const names = new Set(['customers (joined)', plan.base.name, plan.base.from,
    ...plan.parts.filter((x) => x.table.kind === 'file' && x.table.role === 'customers').map((x) => x.table.name)]);
  return names.has(input);
}

/**
 * The threshold option of Predictor.train from the view's choice: best F1 (the default), a
 * contact budget (`{ rule: 'top', fraction }`) or the least cost (`{ rule: 'cost',
 * falsePositive, falseNegative }`). Bad numbers fall back to the defaults shown in the form.
 */
export function thresholdChoice(rule, budgetPct, falsePositive, falseNegative) {
  if (rule === 'top') {
    const pct = Number(budgetPct);
    return { rule: 'top', fraction: Number.isFinite(pct) && pct > 0 && pct < 100 ? pct / 100 : 0.1 };
  }
  if (rule === 'cost') {
    const fp = Number(falsePositive), fn = Number(falseNegative);
    const ok = (x) => Number.isFinite(x) && x >= 0;
    return ok(fp) && ok(fn) && fp + fn > 0 ? { rule: 'cost', falsePositive: fp, falseNegative: fn } : { rule: 'cost', falsePositive: 10, falseNegative: 100 };
  }
  return { rule: 'maxF1' };
}

function fact(label, value, testid = null) {
  return h('div', { class: 'fact', dataset: { testid } }, h('dd', {}, value), h('dt', {}, label));
}

export function mount(root, { session, navigate }) {
  const out = h('div', { class: 'result' });
  let href = null;
  let held = []; // worker handles of this view (predictor, scored and feature tables)
  const release = async () => {
    const w = session.worker;
    for (const [kind, handle] of held) {
      try { await (kind === 'predictor' ? w.freePredictor(handle) : w.free(handle)); } catch { /* worker gone */ }
    }
    held = [];
  };

  function select(id, label, options, value) {
    const el = h('select', { id, name: id }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
    return [h('div', { class: 'field' }, h('label', { for: id }, label), el), el];
  }
  function input(id, label, props) {
    const el = h('input', { id, name: id, ...props });
    return [h('div', { class: 'field' }, h('label', { for: id }, label), el), el];
  }

  function render() {
    const cur = session.current;
    if (!cur) {
      replace(root, needFile(session, navigate, NEEDS));
      return;
    }
    const names = cur.columns.map((c) => [c.name, `${c.name} (${c.type})`]);
    const guess = (re, types) => cur.columns.find((c) => re.test(c.name) && (!types || types.includes(c.type)))?.name ?? cur.columns[0]?.name;
    const [fmode, mode] = select('pred-mode', 'Data', [['table', 'customer table with an outcome column'], ['orders', 'order log: propensity to buy in the next N days']], 'table');
    // Labelled table.
    const [ftarget, target] = select('pred-target', 'Predict (target)', names, guess(/churn|target|label|^y$|outcome/i) ?? names[0]?.[0]);
    const [fpos, positive] = input('pred-positive', 'Positive class (optional)', { type: 'text', placeholder: 'e.g. Yes' });
    // A yes/no target: its positive class is the file's own word for yes (lib/boolwords.js).
    const syncPositive = () => { const w = cur.boolWords?.[target.value]; positive.placeholder = w ? `${w.true} (the file's word for yes)` : 'e.g. Yes'; };
    target.addEventListener('change', syncPositive);
    syncPositive();
    // Order log.
    const dateCols = cur.columns.filter((c) => c.type === 'date' || c.type === 'datetime').map((c) => [c.name, c.name]);
    const [fcust, customer] = select('pred-customer', 'Customer column', names, guess(/cust|client|user|id/i));
    const [fdate, date] = select('pred-date', 'Date column', dateCols.length ? dateCols : names, dateCols[0]?.[0]);
    const [famount, amount] = select('pred-amount', 'Amount column', [['', '(none)'], ...names], guess(/amount|value|total|price|revenue|spend/i, ['int64', 'float64']) ?? '');
    const [fcut, cutoff] = input('pred-cutoff', 'Cutoff (features see orders up to)', { type: 'date' });
    const [fhor, horizon] = input('pred-horizon', 'Horizon (days after the cutoff)', { type: 'number', value: '90', min: '1', step: '1' });
    const dateCol = cur.columns.find((c) => c.name === date.value);
    const min = dateCol?.dates?.min, max = dateCol?.dates?.max;
    if (max) cutoff.value = String(max).slice(0, 10);
    // Model.
    const [fmodel, model] = select('pred-model', 'Model', MODELS, 'auto');
    const [ffolds, folds] = select('pred-folds', 'Cross-validation', [['3', '3 folds'], ['5', '5 folds'], ['10', '10 folds']], '5');
    const [fweight, weight] = select('pred-weight', 'Class weight', [['none', 'none'], ['balanced', 'balanced (rare class counts more)']], 'none');
    // The threshold: who is flagged. Best F1, a contact budget (the top N%), or the least cost.
    const [fthr, thr] = select('pred-threshold', 'Who to flag (threshold)', [['maxF1', 'best F1: balance of precision and recall'], ['top', 'a budget: the top share of customers'], ['cost', 'the least cost: price a false alarm and a miss']], 'maxF1');
    const [fbudget, budget] = input('pred-budget', 'Budget: share of customers to contact (%)', { type: 'number', value: '10', min: '1', max: '99', step: '1' });
    const [ffp, costFp] = input('pred-cost-fp', 'Cost of a false alarm (contacting one who would not)', { type: 'number', value: '10', min: '0', step: 'any' });
    const [ffn, costFn] = input('pred-cost-fn', 'Cost of a miss (one not contacted who would)', { type: 'number', value: '100', min: '0', step: 'any' });
    const thrFields = h('div', { class: 'options-grid', dataset: { testid: 'pred-threshold-fields' } }, fbudget, ffp, ffn);
    const syncThr = () => { fbudget.hidden = thr.value !== 'top'; ffp.hidden = ffn.hidden = thr.value !== 'cost'; thrFields.hidden = thr.value === 'maxF1'; };
    thr.addEventListener('change', syncThr);
    syncThr();
    const [fseed, seed] = input('pred-seed', 'Seed', { type: 'number', value: '1', min: '0', step: '1' });
    const tableFields = h('div', { class: 'options-grid', dataset: { testid: 'pred-table-fields' } }, ftarget, fpos);
    const orderFields = h('div', { class: 'options-grid', dataset: { testid: 'pred-order-fields' } }, fcust, fdate, famount, fcut, fhor,
      h('p', { class: 'hint' }, min ? `Orders from ${min} to ${max}: choose a cutoff that leaves the horizon after it.` : 'Pick the date column of the orders.'));
    const syncMode = () => { tableFields.hidden = mode.value !== 'table'; orderFields.hidden = mode.value !== 'orders'; };
    mode.addEventListener('change', syncMode);
    syncMode();
    const run = h('button', { class: 'btn btn-secondary', type: 'button', dataset: { testid: 'run-predict' } }, 'Train and validate');
    run.addEventListener('click', async () => {
      run.disabled = true;
      const controller = new AbortController();
      const status = h('span', {}, 'Starting…');
      const cancel = h('button', { class: 'btn btn-secondary', type: 'button', dataset: { testid: 'cancel-predict' }, onclick: () => controller.abort() }, 'Cancel');
      replace(out, h('p', { class: 'muted', role: 'status', dataset: { testid: 'predict-progress' } }, status, ' ', cancel));
      const onProgress = ({ phase, done, total }) => {
        status.textContent = `${PHASES[phase] ?? 'Training'}…${total ? ` ${fmtInt(done)} of ${fmtInt(total)}` : ''}`;
      };
      try {
        await release();
        const w = session.worker;
        let table = cur.handle;
        let txReport = null;
        let options = { model: model.value, validation: { folds: Number(folds.value), seed: Number(seed.value) || 0 }, classWeight: weight.value };
        const choice = thresholdChoice(thr.value, budget.value, costFp.value, costFn.value);
        if (choice.rule !== 'maxF1') options.threshold = choice;
        if (mode.value === 'orders') {
          status.textContent = 'Building customer features from the orders…';
          const tf = await w.transactionFeatures(cur.handle, { customer: customer.value, date: date.value, ...(amount.value ? { amount: amount.value } : {}), cutoff: cutoff.value, horizon: Number(horizon.value) });
          held.push(['dataset', tf.customers.handle]);
          table = tf.customers.handle;
          txReport = tf.report;
          // Yes/No rather than true/false in the scored list and the Customers list.
          options = { ...options, target: 'purchasedInHorizon', positive: 'Yes' };
        } else {
          options.target = target.value;
          // A yes/no target is named in the file's own words (lib/boolwords.js), so the
          // predicted class reads "Yes"/"No" as the file does, not true/false.
          const words = cur.boolWords?.[target.value];
          if (positive.value.trim()) options.positive = positive.value.trim();
          else if (words) options.positive = words.true;
        }
        const started = performance.now();
        const p = await w.trainPredictor(table, { ...options, onProgress, signal: controller.signal });
        held.push(['predictor', p.predictor]);
        status.textContent = 'Scoring every customer…';
        const scored = await w.predict(p.predictor, table, { explain: 3 });
        const joined = keep(scored, p, cur);
        const ms = performance.now() - started;
        if (joined) {
          // The model and its result stay in the session (shown again on the next visit, saved
          // with the workspace); the model trained before is let go.
          held = held.filter(([, handle]) => handle !== p.predictor);
          const prev = session.stashed('predict');
          if (prev?.p?.predictor != null) w.freePredictor(prev.p.predictor).catch(() => {});
          session.stash('predict', { input: cur.name, table: joined.name, p, txReport, ms, choice });
        } else {
          held.push(['dataset', scored.handle]);
        }
        await show(p, scored, txReport, ms, joined, choice);
      } catch (e) {
        if (e?.code === 'ABORTED') {
          replace(out, h('p', { class: 'muted', role: 'status', dataset: { testid: 'predict-cancelled' } }, 'Cancelled: no model was trained.'));
          return;
        }
        replace(out, h('div', { class: 'notice notice-error', role: 'alert', dataset: { testid: 'predict-error' } },
          h('div', {}, h('strong', { class: 'notice-title' }, 'Could not train a model'),
            h('p', { class: 'error-message' }, `${e.message}${e.code ? ` (${e.code})` : ''}`),
            h('p', { class: 'hint', dataset: { testid: 'error-needs' } }, `This view needs ${NEEDS.needs}.`))));
      } finally {
        run.disabled = false;
      }
    });
    replace(root, h('section', { class: 'view' },
      h('header', { class: 'view-header' }, h('h1', {}, 'Predict'),
        h('p', { class: 'lede' }, `Who will churn, who will buy: a model trained and cross-validated on ${cur.name} in this tab, every number measured on rows the model did not see.`)),
      h('section', { class: 'card' }, h('div', { class: 'options-grid' }, fmode), tableFields, orderFields,
        h('div', { class: 'options-grid' }, fmodel, ffolds, fweight, fthr, fseed), thrFields, h('div', { class: 'loader-actions' }, run)),
      out));
    // The last model trained on this input, kept in the session: shown again, not retrained.
    const kept = session.stashed('predict');
    const table = kept && kept.input === cur.name && session.table(kept.table);
    if (table) show(kept.p, table, kept.txReport, kept.ms, table, kept.choice).catch(() => replace(out));
  }

  /**
   * The scored table joins the workspace (kind predictions, keyed by its id column), so the
   * Customers list and the record page show it ("Churn probability") with no upload; training
   * again on the same input replaces it. Without an id column there is nothing to join by:
   * the table stays this view's. Returns the workspace entry, or null.
   */
  function keep(scored, p, cur) {
    const cols = scored.columns.map((c) => c.name);
    const key = cols.slice(0, cols.indexOf(p.task === 'classification' ? 'probability' : 'value'))[0];
    if (!key) return null;
    return session.addTable(scored, { name: `predictions (${cur.name})`, kind: 'predictions', from: cur.name, key, target: p.target, note: `${p.model}, ${p.task}` });
  }

  /**
   * The chosen threshold and how it was chosen (p.quality.thresholdRule), what it does out of
   * fold (flagged, found, precision; for the cost rule the total cost against contacting
   * everyone or no one), and the customers above it in the scored table, linked to the
   * Customers list filtered to them (the count here is the list's count).
   */
  function thresholdCard(p, choice, above, listable) {
    const q = p.quality;
    const cm = q.confusion;
    const lines = [];
    if (cm) {
      const flagged = cm.truePositive + cm.falsePositive;
      const positives = cm.truePositive + cm.falseNegative;
      const rows = flagged + cm.trueNegative + cm.falseNegative;
      lines.push(`On rows the model did not see, it flags ${fmtInt(flagged)} of ${fmtInt(rows)} (${pct(flagged / rows)}) and finds ${fmtInt(cm.truePositive)} of the ${fmtInt(positives)} “${p.positive}” (${pct(cm.truePositive / positives)}); ${pct(flagged ? cm.truePositive / flagged : NaN)} of those flagged are.`);
      if (choice?.rule === 'cost') {
        const cost = cm.falsePositive * choice.falsePositive + cm.falseNegative * choice.falseNegative;
        const everyone = (cm.falsePositive + cm.trueNegative) * choice.falsePositive;
        const nobody = positives * choice.falseNegative;
        lines.push(h('span', { dataset: { testid: 'pred-cost' } }, `Total cost: ${fmtInt(cm.falsePositive)} false alarms × ${fmtNum(choice.falsePositive, 2)} + ${fmtInt(cm.falseNegative)} misses × ${fmtNum(choice.falseNegative, 2)} = ${fmtNum(cost, 2)}, against ${fmtNum(everyone, 2)} contacting everyone and ${fmtNum(nobody, 2)} contacting no one.`));
      }
    }
    const what = `${fmtInt(above)} customers above the threshold (predicted “${p.positive}”)`;
    return h('div', { class: 'pred-threshold', dataset: { testid: 'pred-threshold-chosen', threshold: p.threshold } },
      h('p', {}, h('strong', {}, `Threshold ${pct(p.threshold)}`), `: a customer whose probability is at least ${pct(p.threshold)} is flagged “${p.positive}”. Chosen by `,
        h('span', { dataset: { testid: 'pred-threshold-rule' } }, q.thresholdRule ?? 'the highest F1 out of fold'), '.'),
      lines.map((l) => h('p', { class: 'hint' }, l)),
      h('p', {}, listable
        ? h('a', { href: customersHref({ predicted: p.positive }), dataset: { testid: 'pred-above-link', count: above } }, `${what}: open them in the Customers list`)
        : h('span', { dataset: { testid: 'pred-above', count: above } }, what)));
  }

  async function show(p, scored, txReport, ms, joined, choice = null) {
    const w = session.worker;
    const q = p.quality;
    const classify = p.task === 'classification';
    // The scored rows, sorted by probability (value), highest first.
    const cols = scored.columns.map((c) => c.name);
    const scoreName = classify ? 'probability' : 'value';
    const values = {};
    for (const c of cols) values[c] = await w.column(scored.handle, c);
    const order = Array.from({ length: scored.numRows }, (_, i) => i).sort((a, b) => values[scoreName][b] - values[scoreName][a]);
    const idCols = cols.slice(0, cols.indexOf(scoreName));
    // Customers flagged (predicted positive) in the scored table; with a customer list to
    // join on, this count and the list link to the Customers list filtered to them.
    const above = values.label ? values.label.reduce((n, v) => n + (v === p.positive ? 1 : 0), 0) : 0;
    const listable = !!(joined && feedsList(session, joined.from));
    if (href) URL.revokeObjectURL(href);
    const csv = await w.toCsv(scored.handle, { bom: true });
    href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));

    const grade = h('span', { class: `tag ${q.grade === 'A' ? 'tag-ok' : q.grade === 'B' ? 'tag-warn' : 'tag-bad'}`, dataset: { testid: 'pred-grade' } }, `Grade ${q.grade}`);
    const warnings = [...p.warnings, ...(txReport?.warnings ?? [])];
    const summary = h('section', { class: 'card', dataset: { testid: 'pred-summary' } },
      h('div', { class: 'card-head' }, h('h2', {}, `${p.target}: ${p.model}`), grade),
      h('p', { dataset: { testid: 'pred-explanation' } }, q.explanation),
      h('dl', { class: 'facts' }, classify ? [
        fact('AUC: how well it ranks (0.5 = coin toss, 1 = perfect), on rows it did not see', num(q.auc), 'pred-auc'),
        fact('PR AUC: ranking quality on the rare class', num(q.prAuc)),
        fact('Accuracy: share of right calls', pct(q.accuracy)),
        fact('Precision: of those flagged, share truly positive', pct(q.precision)),
        fact('Recall: of the positives, share flagged', pct(q.recall)),
        fact('F1: balance of precision and recall (0–1)', num(q.f1)),
        fact('Brier: error of the probabilities (lower = better; guessing the average gives the second number)', `${num(q.brier)} (vs ${num(q.baseline.brier)})`),
        fact('Rate of the positive class', pct(q.baseline.rate)),
      ] : [
        fact('R²: share of the differences explained (1 = all, 0 = none), on rows it did not see', num(q.r2), 'pred-r2'),
        fact('RMSE: typical error, large misses weigh more', num(q.rmse, 2)),
        fact('MAE: average error', num(q.mae, 2)),
        fact('Baseline RMSE: error when guessing the average', num(q.baseline.rmse, 2)),
      ], fact('Rows', fmtInt(q.rows)), fact('Time', `${num(ms / 1000, 1)} s`)),
      classify ? thresholdCard(p, choice, above, listable) : null,
      classify && q.calibrationMethod ? h('p', { class: 'hint' }, `Calibration: ${q.calibrationMethod}.`) : null,
      txReport ? h('p', { class: 'hint', dataset: { testid: 'pred-tx-report' } }, `${fmtInt(txReport.customers)} customers as of ${txReport.cutoff}; label: bought between then and ${txReport.horizonEnd} (${txReport.horizonDays} days). ${fmtInt(txReport.rows.used)} of ${fmtInt(txReport.rows.rows)} order rows used.`) : null,
      warnings.length ? h('ul', { class: 'hint', dataset: { testid: 'pred-warnings' } }, warnings.map((t) => h('li', {}, t))) : null,
      h('p', { class: 'hint', dataset: { testid: 'pred-joined' } }, joined
        ? ['Kept in the workspace as ', h('strong', {}, joined.name), ': the Customers list and each record show it. ', h('a', { href: '#/customers', dataset: { testid: 'pred-customers-link' } }, 'Open the Customers list')]
        : 'The scored table has no id column, so it cannot join the Customers list; export it or add an id column.'),
      h('a', { class: 'btn btn-ghost', href, download: fileName('predictions', session.current?.name), dataset: { testid: 'export-predictions' } }, 'Export scored customers (CSV)'));

    const candidates = h('section', { class: 'card', dataset: { testid: 'pred-candidates' } }, h('div', { class: 'card-head' }, h('h2', {}, 'Models tried')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Model'), h('th', { class: 'num' }, 'Score'), h('th', { class: 'num' }, 'Time'), h('th', {}, 'Note'))),
        h('tbody', {}, p.candidates.map((c) => h('tr', { class: c.chosen ? 'chosen' : null },
          h('td', {}, `${c.model}${c.chosen ? ' ✓' : ''}`), h('td', { class: 'num' }, `${c.metric} ${num(c.score)}`), h('td', { class: 'num' }, `${num(c.fitMs / 1000, 1)} s`), h('td', { class: 'wrap' }, c.note)))))));

    const charts = [];
    if (classify && q.rocCurve) {
      charts.push(lineChart({ label: `ROC curve (AUC ${num(q.auc)})`, series: [{ points: q.rocCurve.x.map((x, i) => [x, q.rocCurve.y[i]]) }], diagonal: true, xLabel: 'false positive rate', yLabel: 'true positive rate', testid: 'pred-roc' }));
      const gain = [[0, 0], ...q.lift.map((d) => [d.decile / 10, d.cumulativeGain])];
      charts.push(lineChart({ label: `Cumulative gain by decile (top decile lift ${num(q.lift[0]?.lift, 2)}×)`, series: [{ points: gain, dots: true }], diagonal: true, xLabel: 'share of customers contacted', yLabel: 'share of positives found', testid: 'pred-lift' }));
      if (q.calibration?.length) {
        charts.push(lineChart({ label: 'Calibration: predicted against observed', series: [{ points: q.calibration.map((b) => [b.meanPredicted, b.observedRate]), dots: true }], diagonal: true, xLabel: 'predicted probability', yLabel: 'observed rate', testid: 'pred-calibration' }));
      }
    }
    const cm = q.confusion;
    const confusion = cm ? h('section', { class: 'card', dataset: { testid: 'pred-confusion' } }, h('div', { class: 'card-head' }, h('h2', {}, `Confusion at threshold ${num(p.threshold)}`)),
      h('table', { class: 'table pred-confusion' },
        h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { class: 'num' }, `predicted ${p.positive}`), h('th', { class: 'num' }, `predicted ${p.negative ?? 'other'}`))),
        h('tbody', {},
          h('tr', {}, h('th', {}, `actual ${p.positive}`), h('td', { class: 'num' }, fmtInt(cm.truePositive)), h('td', { class: 'num' }, fmtInt(cm.falseNegative))),
          h('tr', {}, h('th', {}, `actual ${p.negative ?? 'other'}`), h('td', { class: 'num' }, fmtInt(cm.falsePositive)), h('td', { class: 'num' }, fmtInt(cm.trueNegative)))))) : null;
    const importance = h('section', { class: 'card', dataset: { testid: 'pred-importance' } }, h('div', { class: 'card-head' }, h('h2', {}, 'What drives the prediction')),
      barChart('Permutation importance: drop in out-of-fold score when the column is shuffled', p.importance.slice(0, 15).map((i) => [i.feature, i.mean, i.std]), 'pred-importance-chart'),
      p.features.leftOut.length ? h('ul', { class: 'hint' }, p.features.leftOut.map((l) => h('li', {}, `${l.name} not used: ${l.reason}`))) : null);

    const factorCols = [1, 2, 3].filter((k) => cols.includes(`factor${k}`));
    const fmtFactor = (i, k) => {
      const c = values[`factor${k}Contribution`][i];
      return `${values[`factor${k}`][i]} = ${values[`factor${k}Value`][i] ?? '—'} (${c >= 0 ? '+' : ''}${num(c, 2)})`;
    };
    const list = h('section', { class: 'card', dataset: { testid: 'pred-scored' } },
      h('div', { class: 'card-head' }, h('h2', {}, classify ? 'Customers by risk' : 'Customers by predicted value'),
        h('span', { class: 'muted' }, `top ${Math.min(SHOWN, order.length)} of `, listable ? h('a', { href: customersHref(), dataset: { testid: 'pred-all-link' } }, fmtInt(order.length)) : fmtInt(order.length),
          classify && values.label ? ['; ', listable
            ? h('a', { href: customersHref({ predicted: p.positive }), dataset: { testid: 'pred-list-above-link', count: above } }, `${fmtInt(above)} above the threshold`)
            : `${fmtInt(above)} above the threshold`] : null)),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, idCols.map((c) => h('th', {}, c)), h('th', { class: 'num' }, scoreName), classify ? h('th', {}, 'label') : null, factorCols.map((k) => h('th', {}, `factor ${k}`)))),
        h('tbody', {}, order.slice(0, SHOWN).map((i) => h('tr', { dataset: { testid: 'pred-row' } },
          idCols.map((c, k) => h('td', {}, k === 0 && listable && values[c][i] != null ? h('a', { href: customerHref(values[c][i]) }, String(values[c][i])) : values[c][i] ?? '—')),
          h('td', { class: 'num' }, classify ? pct(values.probability[i]) : num(values.value[i], 2)),
          classify ? h('td', {}, values.label[i]) : null,
          factorCols.map((k) => h('td', { class: 'wrap' }, fmtFactor(i, k)))))))),
      h('p', { class: 'hint' }, `Factors: each row's largest contributions (${p.output === 'logOdds' ? 'in log-odds' : p.output}); with the base value they add up exactly to the model's output.`));
    replace(out, summary, candidates, charts.length ? h('section', { class: 'card pred-charts', dataset: { testid: 'pred-charts' } }, charts) : null, confusion, importance, list);
  }

  session.addEventListener('change', render);
  render();
  return () => {
    session.removeEventListener('change', render);
    if (href) URL.revokeObjectURL(href);
    release();
  };
}
