// Rules view: business rules over the loaded customer table with crmlens rules() in the
// worker. Start from a template or a blank rule; while editing, ruleCounts() gives every
// rule's matched rows or its error with the position (marked under the condition); Run gives
// the events (sortable, exported through the package's CSV writer) and a snapshot. The events
// are kept in the workspace (kind `rule-events`, keyed by `key`), so the Customers list and the
// record page show each customer's next action. The rules and the last snapshot are kept in
// the session (`session.stashed('rules')`): they stay when another file is loaded, so running
// again shows what is new and what resolved since, the last run's result is shown again on the
// next visit, and the encrypted workspace save keeps them.
// Everything from the file or the rules is set as text (lib/dom.js).

import { needFile } from '../lib/empty.js';
import { clamp, h, replace } from '../lib/dom.js';
import { fmtCell, fmtInt, fmtMoney, fmtNum, fmtReason, isMoney } from '../lib/format.js';
import { fileName } from '../lib/export.js';
import { customersHref } from '../lib/customers.js';

/** What the view needs as input (its empty state and error notes say so; lib/empty.js). */
const NEEDS = { title: 'Rules',
  needs: 'a customer table: one row per customer (a CRM export, the Customer value results, or the joined Customers list)',
  example: 'customers.csv, customer value (orders.csv), or customers (joined)', roles: ['customers', 'value', 'customers-360'] };

/** Rules, last snapshot and settings, kept in the session across visits and file loads (lib/vault.js saves them). */
export function rulesState(session) {
  let s = session.stashed('rules');
  // "always" by default: every customer a rule matches keeps an event on every run, so the
  // Customers list's next action stays right on a second run and after reopening a saved
  // workspace ("on change" leaves continuing matches without an event, by design).
  if (!s) session.stash('rules', (s = { rules: null, previous: null, previousFrom: null, asOf: null, trigger: 'always', key: null, last: null }));
  return s;
}
const SHOWN_EVENTS = 2000;
const COUNT_DELAY_MS = 250;

const today = () => new Date().toISOString().slice(0, 10);
const blankRule = (n) => ({ id: `rule-${n}`, when: '', then: { action: 'Follow up', priority: 1 } });

/** The condition with the character at `column` (1-based, on `line`) marked. */
function marked(when, line, column) {
  const lines = when.split('\n');
  const text = lines[(line ?? 1) - 1] ?? '';
  const chars = Array.from(text);
  const at = Math.max(0, Math.min((column ?? 1) - 1, chars.length));
  return h('pre', { class: 'rule-error-at', dataset: { testid: 'rule-error-at' } },
    chars.slice(0, at).join(''),
    h('mark', {}, chars[at] ?? ' '),
    chars.slice(at + 1).join(''));
}

export function mount(root, { session, navigate }) {
  let state = rulesState(session);
  let templates = [];
  let timer = 0;
  let generation = 0;
  let href = null;
  let snapHref = null;
  let events = null; // { handle, rows, columns, total }
  let sort = { column: null, dir: 1 };
  const cards = [];
  const list = h('div', { class: 'rule-list', dataset: { testid: 'rule-list' } });
  const out = h('div', { class: 'result' });

  const revoke = () => {
    for (const u of [href, snapHref]) if (u) URL.revokeObjectURL(u);
    href = snapHref = null;
  };
  // The events table belongs to the workspace (session.addTable); the view only lets go of it.
  const freeEvents = () => { events = null; };

  function ruleOf(card) {
    const when = card.when.value;
    // A condition written as JSON (what a query builder emits) is JSON Logic.
    let cond = when;
    if (/^\s*\{/.test(when)) { try { cond = JSON.parse(when); } catch { cond = when; } }
    return { id: card.id.value.trim(), when: cond, then: { action: card.action.value, priority: Number(card.priority.value) || 0 } };
  }
  const currentRules = () => cards.map(ruleOf);
  const remember = () => { state.rules = currentRules().map((r) => ({ ...r })); };

  function addCard(rule) {
    const n = cards.length + 1;
    const id = h('input', { type: 'text', value: rule.id, 'aria-label': `Rule ${n} id`, dataset: { testid: 'rule-id' } });
    const when = h('textarea', { rows: 2, spellcheck: 'false', 'aria-label': `Rule ${n} condition`, dataset: { testid: 'rule-when' } });
    when.value = typeof rule.when === 'string' ? rule.when : JSON.stringify(rule.when);
    const action = h('input', { type: 'text', value: rule.then?.action ?? '', 'aria-label': `Rule ${n} action`, dataset: { testid: 'rule-action' } });
    const priority = h('input', { type: 'number', value: String(rule.then?.priority ?? 0), step: '1', 'aria-label': `Rule ${n} priority` });
    const status = h('div', { class: 'rule-status', role: 'status', dataset: { testid: 'rule-status' } });
    const card = { id, when, action, priority, status };
    const remove = h('button', { class: 'btn btn-danger-ghost', type: 'button', onclick: () => {
      cards.splice(cards.indexOf(card), 1);
      card.el.remove();
      changed();
    } }, 'Remove');
    card.el = h('section', { class: 'card rule-card', dataset: { testid: 'rule-card' } },
      h('div', { class: 'rule-row' },
        h('div', { class: 'field' }, h('label', {}, 'Id'), id),
        h('div', { class: 'field rule-action-field' }, h('label', {}, 'Action'), action),
        h('div', { class: 'field rule-priority' }, h('label', {}, 'Priority'), priority),
        remove),
      h('div', { class: 'field' }, h('label', {}, 'When'), when),
      status);
    for (const el of [id, when, action, priority]) el.addEventListener('input', changed);
    cards.push(card);
    list.append(card.el);
  }

  function changed() {
    remember();
    clearTimeout(timer);
    timer = setTimeout(liveCounts, COUNT_DELAY_MS);
  }

  /** Every rule's matched rows, or its error with the position (ruleCounts never throws for a bad rule). */
  async function liveCounts() {
    const cur = session.current;
    if (!cur || cards.length === 0) return;
    const mine = ++generation;
    const rules = currentRules();
    let checks;
    try {
      checks = await session.worker.ruleCounts(cur.handle, rules.map((r, i) => ({ ...r, id: r.id || `#${i + 1}` })), { asOf: state.asOf || undefined });
    } catch (e) {
      if (mine === generation) for (const c of cards) replace(c.status, h('span', { class: 'rule-bad' }, e.message));
      return;
    }
    if (mine !== generation) return; // a newer edit is being counted
    checks.forEach((c, i) => {
      const card = cards[i];
      if (!card) return;
      const blank = typeof rules[i].when === 'string' && rules[i].when.trim() === '';
      card.el.classList.toggle('rule-has-error', !!c.error && !blank);
      if (blank) {
        replace(card.status, h('span', { class: 'muted' }, 'Write a condition, e.g. tenure < 12 and MonthlyCharges > 70'));
      } else if (c.error) {
        const where = c.error.line ? ` (line ${c.error.line}, column ${c.error.column})` : '';
        replace(card.status,
          h('span', { class: 'rule-bad', dataset: { testid: 'rule-error' } }, `${c.error.message}${where}`),
          typeof rules[i].when === 'string' && c.error.column ? marked(rules[i].when, c.error.line, c.error.column) : null);
      } else {
        replace(card.status, h('span', { class: 'rule-ok', dataset: { testid: 'rule-count', matched: c.matched, undecided: c.undecided } },
          `${fmtInt(c.matched)} of ${fmtInt(c.rows)} rows match`
          + (c.undecided ? ` · ${fmtInt(c.undecided)} undecided (missing values)` : '')
          + (c.columns.length ? ` · reads ${c.columns.join(', ')}` : '')));
      }
    });
  }

  async function run(btn) {
    const cur = session.current;
    btn.disabled = true;
    const controller = new AbortController();
    const status = h('span', {}, 'Running the rules…');
    replace(out, h('p', { class: 'muted', role: 'status' }, status, ' ',
      h('button', { class: 'btn btn-secondary', type: 'button', onclick: () => controller.abort() }, 'Cancel')));
    try {
      const options = { asOf: state.asOf || undefined, trigger: state.trigger, key: state.key || undefined };
      if (state.previous) options.previous = state.previous;
      const onProgress = ({ done, total }) => { status.textContent = `Running the rules… ${fmtInt(done)} of ${fmtInt(total)}`; };
      const r = await session.worker.rules(cur.handle, currentRules(), { ...options, onProgress, signal: controller.signal });
      freeEvents();
      // Kept in the workspace (running again on the same input replaces it): the Customers
      // list rolls the events up to one next action per customer, the record lists them.
      const kept = session.addTable(r.events, { name: `rule events (${cur.name})`, kind: 'rule-events', from: cur.name, key: 'key',
        note: `${r.counts.length} rules, as of ${r.snapshot.asOf ?? state.asOf ?? 'today'}` });
      const hadPrevious = !!state.previous;
      state.previous = r.snapshot;
      state.previousFrom = `${cur.name}${r.snapshot.asOf ? `, as of ${r.snapshot.asOf}` : ''}`;
      // The result is kept too (counts, not the events: those are the workspace table), so the
      // next visit shows it again.
      state.last = { input: cur.name, table: kept.name, counts: r.counts, warnings: r.warnings, eventsTruncated: r.eventsTruncated,
        hadPrevious, rules: currentRules(), snapshotFrom: state.previousFrom, trigger: options.trigger };
      await showKept(state.last, r.snapshot);
    } catch (e) {
      replace(out, h('div', { class: 'notice notice-error', role: 'alert', dataset: { testid: 'rules-error' } },
        h('div', {}, h('strong', { class: 'notice-title' }, e?.code === 'ABORTED' ? 'Cancelled' : 'Could not run the rules'),
          h('p', { class: 'error-message' }, `${e.message}${e.code ? ` (${e.code})` : ''}`))));
    } finally {
      btn.disabled = false;
      renderPrevious();
    }
  }

  /** Shows a kept result: its events from the workspace table, the exports, the counts. */
  async function showKept(last, snapshot) {
    const t = session.table(last.table);
    if (!t) return;
    const rows = await session.worker.rows(t.handle, 0, SHOWN_EVENTS);
    const csv = await session.worker.toCsv(t.handle, { bom: true });
    events = { handle: t.handle, rows, columns: t.columns, total: t.numRows, table: t.name };
    revoke();
    href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    snapHref = snapshot ? URL.createObjectURL(new Blob([JSON.stringify({ rules: last.rules, snapshot }, null, 1)], { type: 'application/json' })) : null;
    sort = { column: null, dir: 1 };
    show(last, last.hadPrevious);
  }

  function show(r, hadPrevious) {
    // The count that is "the customers with an open event of this rule" links to the Customers
    // list filtered by that rule: Matched when every match keeps an event ("always"), New when
    // only changes do ("on change": continuing matches have no event, resolved ones are closed).
    const linked = r.eventsTruncated ? -1 : r.trigger === 'change' ? 1 : 0;
    const counts = h('table', { class: 'table', dataset: { testid: 'rule-counts' } },
      h('thead', {}, h('tr', {}, ['Rule', 'Matched', 'New', 'Continuing', 'Resolved', 'Undecided', 'Events'].map((t, i) => h('th', { class: i ? 'num' : null }, t)))),
      h('tbody', {}, r.counts.map((c) => h('tr', { dataset: { rule: c.rule } },
        h('td', {}, c.rule), ...[c.matched, c.new, c.continuing, c.resolved, c.undecided, c.events].map((v, k) => h('td', { class: 'num' },
          k === linked && v > 0 ? h('a', { href: customersHref({ rule: c.rule }), title: `List these ${fmtInt(v)} customers`, dataset: { testid: 'rule-customers-link', rule: c.rule, count: v } }, fmtInt(v)) : fmtInt(v)))))));
    const summary = h('section', { class: 'card', dataset: { testid: 'rules-summary' } },
      h('div', { class: 'card-head' }, h('h2', {}, 'Results'),
        h('span', { class: 'muted' }, hadPrevious ? 'compared with the previous snapshot' : 'first run: every match is new')),
      h('div', { class: 'table-wrap' }, counts),
      r.warnings.length ? h('ul', { class: 'hint', dataset: { testid: 'rules-warnings' } }, r.warnings.map((w) => h('li', {}, w))) : null,
      r.eventsTruncated ? h('p', { class: 'hint' }, 'Some events were left out (maxEvents); the counts are exact.') : null,
      // "On change" leaves out the matches that continue: those customers get no next action.
      r.trigger === 'change' && r.counts.some((c) => c.continuing > 0)
        ? h('p', { class: 'hint', role: 'note', dataset: { testid: 'rules-continuing' } }, h('strong', {}, 'Note: '),
          `${fmtInt(r.counts.reduce((a, c) => a + c.continuing, 0))} matches continue from the previous snapshot and have no event "on change", so those customers show no next action in the Customers list; choose "always (every match)" to keep it.`)
        : null,
      linked >= 0 ? h('p', { class: 'hint' }, `Click a ${linked ? 'New' : 'Matched'} count to list those customers.`) : null,
      h('p', { class: 'hint', dataset: { testid: 'rules-joined' } }, 'Kept in the workspace as ', h('strong', {}, events.table),
        ': each customer\'s next action (the open event of lowest priority) shows in the ', h('a', { href: '#/customers', dataset: { testid: 'rules-customers-link' } }, 'Customers list'), ' and on their record.'),
      h('div', { class: 'loader-actions' },
        h('a', { class: 'btn btn-ghost', href, download: fileName('rule-events', events.table.replace(/^rule events \((.*)\)$/, '$1')), dataset: { testid: 'export-events' } }, 'Export events (CSV)'),
        snapHref ? h('a', { class: 'btn btn-ghost', href: snapHref, download: 'rules-snapshot.json', dataset: { testid: 'export-snapshot' } }, 'Save rules and snapshot (JSON)') : null));
    const table = h('div', { class: 'table-wrap table-wrap-tall' });
    const eventsCard = h('section', { class: 'card', dataset: { testid: 'events' } },
      h('div', { class: 'card-head' }, h('h2', {}, 'Events'),
        h('span', { class: 'muted', dataset: { testid: 'events-total' } }, events.total > events.rows.length
          ? `${fmtInt(events.rows.length)} of ${fmtInt(events.total)} shown (all in the export)` : `${fmtInt(events.total)} events`)),
      table);
    renderEvents(table);
    replace(out, summary, eventsCard);
  }

  function renderEvents(wrap) {
    const cols = events.columns;
    const rows = [...events.rows];
    if (sort.column) {
      const k = sort.column;
      rows.sort((a, b) => {
        const x = a[k], y = b[k];
        if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1; // missing last
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * sort.dir;
      });
    }
    const head = cols.map((c) => {
      const arrow = sort.column === c.name ? (sort.dir > 0 ? ' ▲' : ' ▼') : '';
      return h('th', { 'aria-sort': sort.column === c.name ? (sort.dir > 0 ? 'ascending' : 'descending') : null },
        h('button', { type: 'button', class: 'th-sort', dataset: { column: c.name }, onclick: () => {
          sort = { column: c.name, dir: sort.column === c.name ? -sort.dir : 1 };
          renderEvents(wrap);
        } }, c.name + arrow));
    });
    replace(wrap, h('table', { class: 'table', dataset: { testid: 'events-table' } },
      h('thead', {}, h('tr', {}, head)),
      h('tbody', {}, rows.map((r) => h('tr', { dataset: { status: r.status } }, cols.map((c) => {
        // Numbers rounded for reading (the export keeps every digit); money in the chosen currency.
        const v = r[c.name];
        const text = c.name === 'reason' && typeof v === 'string' ? fmtReason(v)
          : typeof v === 'number' && c.type === 'float64' ? (isMoney(c.name) ? fmtMoney(v) : fmtNum(v, 3)) : fmtCell(v, c.type) ?? '—';
        // A long reason or text cell is shortened to two lines with "more".
        return text.length > 120 ? h('td', { class: 'wrap' }, clamp(text, text.length, 120)) : h('td', {}, text);
      }))))));
  }

  const previousBox = h('div', { class: 'hint', dataset: { testid: 'previous' } });
  function renderPrevious() {
    replace(previousBox, state.previous
      ? [`Previous snapshot: ${state.previousFrom}. The next run reports what is new and what resolved since. `,
        h('button', { class: 'btn btn-ghost', type: 'button', dataset: { testid: 'forget-previous' }, onclick: () => { state.previous = null; renderPrevious(); } }, 'Forget it')]
      : 'No previous snapshot: the first run reports every match as new. Load a saved one to compare with an earlier run.');
  }

  async function loadSaved(file) {
    try {
      const saved = JSON.parse(await file.text());
      if (!saved?.snapshot || saved.snapshot.version !== 1) throw new Error('not a crmlens rules snapshot (version 1)');
      state.previous = saved.snapshot;
      state.previousFrom = `${file.name}${saved.snapshot.asOf ? `, as of ${saved.snapshot.asOf}` : ''}`;
      if (Array.isArray(saved.rules)) {
        for (const c of [...cards]) c.el.remove();
        cards.length = 0;
        saved.rules.forEach(addCard);
      }
      changed();
    } catch (e) {
      state.previousFrom = null;
      replace(previousBox, h('span', { class: 'rule-bad', role: 'alert' }, `Could not read ${file.name}: ${e.message}`));
      return;
    }
    renderPrevious();
  }

  async function render() {
    state = rulesState(session);
    clearTimeout(timer);
    freeEvents();
    revoke();
    cards.length = 0;
    replace(list);
    replace(out);
    const cur = session.current;
    if (!cur) {
      replace(root, needFile(session, navigate, NEEDS));
      return;
    }
    if (!templates.length) templates = await session.worker.ruleTemplates();
    if (session.current !== cur) return;
    state.asOf ??= today();
    if (state.key && !cur.columns.some((c) => c.name === state.key)) state.key = null;
    (state.rules ?? [blankRule(1)]).forEach(addCard);

    const pick = h('select', { id: 'rule-template', dataset: { testid: 'rule-template' } },
      h('option', { value: '' }, 'Blank rule'),
      templates.map((t) => h('option', { value: t.id }, `${t.name} — ${t.columns.join(', ')}`)));
    const add = h('button', { class: 'btn btn-ghost', type: 'button', dataset: { testid: 'add-rule' }, onclick: () => {
      const t = templates.find((x) => x.id === pick.value);
      const taken = new Set(cards.map((c) => c.id.value));
      const rule = t ? structuredClone(t.rule) : blankRule(cards.length + 1);
      while (taken.has(rule.id)) rule.id += '-2';
      addCard(rule);
      changed();
    } }, 'Add rule');
    const asOf = h('input', { id: 'rules-as-of', type: 'date', value: state.asOf });
    asOf.addEventListener('input', () => { state.asOf = asOf.value; changed(); });
    const key = h('select', { id: 'rules-key' },
      h('option', { value: '' }, 'automatic (id column, else row number)'),
      cur.columns.map((c) => h('option', { value: c.name, selected: c.name === state.key }, c.name)));
    key.addEventListener('change', () => { state.key = key.value; });
    const trigger = h('select', { id: 'rules-trigger' },
      h('option', { value: 'always', selected: state.trigger === 'always' }, 'always (every match)'),
      h('option', { value: 'change', selected: state.trigger === 'change' }, 'on change (new and resolved)'));
    const triggerHelp = h('p', { class: 'hint', dataset: { testid: 'trigger-help' } });
    const explainTrigger = () => {
      triggerHelp.textContent = trigger.value === 'always'
        ? 'Events “always”: every customer a rule matches gets an event on every run (new, or continuing from the previous snapshot), plus one for each customer who stopped matching (resolved). The Customers list shows each matched customer\'s next action, also after running again or reopening a saved workspace.'
        : 'Events “on change”: only what changed since the previous snapshot — customers who started matching (new) or stopped (resolved). Customers who still match get no event, so after a second run they show no next action in the Customers list: use it for alerts, not for the to-do list.';
    };
    explainTrigger();
    trigger.addEventListener('change', () => { state.trigger = trigger.value; explainTrigger(); });
    const saved = h('input', { type: 'file', accept: '.json,application/json', id: 'rules-saved', dataset: { testid: 'load-snapshot' } });
    saved.addEventListener('change', () => saved.files[0] && loadSaved(saved.files[0]));
    const runBtn = h('button', { class: 'btn btn-secondary', type: 'button', dataset: { testid: 'run-rules' } }, 'Run rules');
    runBtn.addEventListener('click', () => run(runBtn));
    renderPrevious();

    replace(root, h('section', { class: 'view' },
      h('header', { class: 'view-header' }, h('h1', {}, 'Rules'),
        h('p', { class: 'lede' }, `Who in ${cur.name} needs action, and why: conditions such as `,
          h('code', {}, "days_since(lastPurchase) > 90 and clv > 200"),
          ' (SQL-like: and, or, not, in (…), between, is missing, contains, starts with; missing values make a condition undecided, as in SQL). Computed in this tab; nothing is sent.')),
      h('section', { class: 'card' },
        h('div', { class: 'options-grid' },
          h('div', { class: 'field' }, h('label', { for: 'rule-template' }, 'Start from'), pick),
          h('div', { class: 'field' }, h('label', { for: 'rules-as-of' }, 'As of (for days_since & co.)'), asOf),
          h('div', { class: 'field' }, h('label', { for: 'rules-key' }, 'Customer key'), key),
          h('div', { class: 'field' }, h('label', { for: 'rules-trigger' }, 'Events'), trigger)),
        triggerHelp,
        h('div', { class: 'loader-actions' }, add, runBtn),
        h('div', { class: 'field' }, h('label', { for: 'rules-saved' }, 'Saved rules and snapshot (JSON)'), saved),
        previousBox),
      list,
      out));
    liveCounts();
    // The last run on this input, shown again (its snapshot offered while it is still the previous one).
    const last = state.last;
    if (last && last.input === cur.name && session.table(last.table)) {
      showKept(last, state.previousFrom === last.snapshotFrom ? state.previous : null).catch(() => replace(out));
    }
  }

  session.addEventListener('change', render);
  render();
  return () => {
    session.removeEventListener('change', render);
    clearTimeout(timer);
    freeEvents();
    revoke();
  };
}
