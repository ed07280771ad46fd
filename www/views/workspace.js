// Workspace view: every table of the session (loaded files with their role, derived tables
// with their kind), the join keys proposed between them with their match counts (editable),
// and saving / reopening the whole workspace encrypted in this browser.
// Everything from a file is set as text (lib/dom.js).

import { h, icon, replace } from '../lib/dom.js';
import { fmtInt } from '../lib/format.js';
import { ROLES, isAbort } from '../lib/session.js';
import { describeJoin, keyCandidates, keySet, overlap, proposeJoin } from '../lib/joins.js';
import { buildCustomers, customerPlan, customersHref, isEvents } from '../lib/customers.js';
import { download, fileName } from '../lib/export.js';
import * as vault from '../lib/vault.js';

const ROLE_WORDS = {
  customers: 'customers (one row per customer: CRM export)', orders: 'orders / transactions', feedback: 'feedback / reviews',
  products: 'products', other: 'other: per customer (scores, labels, next actions — joined onto the customer list)',
};

/** Which file tables a table of a role joins to, and by what (the target's role). */
const JOIN_TARGETS = { orders: ['customers', 'products'], feedback: ['customers', 'products'], products: [], customers: [], other: ['customers'] };

export function mount(root, { session, navigate }) {
  const cache = new Map(); // `${handle}|${column}` -> values
  const column = async (t, name) => {
    const k = `${t.handle}|${name}`;
    if (!cache.has(k)) cache.set(k, await session.worker.column(t.handle, name));
    return cache.get(k);
  };
  let disposed = false;
  const status = h('div', { class: 'status', 'aria-live': 'polite', dataset: { testid: 'ws-status' } });
  const tablesCard = h('section', { class: 'card', dataset: { testid: 'ws-tables' } });
  const joinsCard = h('section', { class: 'card', dataset: { testid: 'ws-joins' } });
  const vaultCard = h('section', { class: 'card', dataset: { testid: 'ws-vault' } });

  // ---------- add files ----------
  const roleSelect = h('select', { id: 'ws-role', dataset: { testid: 'ws-role' } },
    h('option', { value: '' }, 'Guess from the file'), ROLES.map((r) => h('option', { value: r }, ROLE_WORDS[r])));
  const fileInput = h('input', { type: 'file', id: 'ws-files', multiple: true, dataset: { testid: 'ws-file-input' },
    accept: '.csv,.tsv,.txt,.json,.ndjson,.jsonl,text/csv,text/plain,application/json' });
  fileInput.addEventListener('change', async () => {
    const files = [...(fileInput.files ?? [])];
    fileInput.value = '';
    for (const file of files) {
      replace(status, h('p', { class: 'muted', role: 'status' }, `Reading ${file.name}…`));
      try {
        await session.load(file, { name: file.name, role: roleSelect.value || undefined });
        replace(status);
      } catch (e) {
        if (disposed) return;
        replace(status, h('div', { class: 'notice notice-error', role: 'alert', dataset: { testid: 'ws-error' } },
          h('p', { class: 'error-message' }, isAbort(e) ? `Loading ${file.name} was cancelled.` : `Could not load ${file.name}: ${e.message}`)));
        return;
      }
    }
    proposeAll();
  });

  replace(root,
    h('header', { class: 'view-header' }, h('h1', {}, 'Workspace'),
      h('p', { class: 'lede' }, 'Several files with their roles, every table computed from them, and how they join. Any table can be the input of any view (the “Input table” bar above each view). Everything stays in this tab.')),
    h('section', { class: 'card' },
      h('div', { class: 'options-grid' },
        h('div', { class: 'field' }, h('label', { for: 'ws-files' }, 'Add files (several at once)'), fileInput),
        h('div', { class: 'field' }, h('label', { for: 'ws-role' }, 'Role of the files added'), roleSelect)),
      h('p', { class: 'hint' }, 'Roles: customers (a CRM export, one row per customer), orders (one row per purchase), feedback (reviews, tickets), products, other (anything keyed by customer: a churn model\u2019s scores, rule events; joined onto the customer list).')),
    status, tablesCard, joinsCard, vaultCard);

  // ---------- tables ----------
  function renderTables() {
    const tables = session.tables;
    if (!tables.length) {
      replace(tablesCard, h('div', { class: 'card-head' }, h('h2', {}, 'Tables')),
        h('p', { class: 'muted', dataset: { testid: 'ws-empty' } }, 'No table yet: add files above or on the Data view, or reopen a saved workspace below.'));
      return;
    }
    const rows = tables.map((t) => {
      const role = t.kind === 'file'
        ? h('select', { 'aria-label': `Role of ${t.name}`, dataset: { testid: 'ws-table-role' }, onchange: (e) => { session.setRole(t.name, e.target.value); proposeAll(); } },
          ROLES.map((r) => h('option', { value: r, selected: r === t.role }, r)))
        : h('span', { class: 'tag' }, t.kind);
      const exportBtn = h('button', { type: 'button', class: 'btn btn-ghost', onclick: async () => {
        download(await session.worker.toCsv(t.handle, { bom: true }), fileName(t.name));
      } }, 'Export');
      return h('tr', { dataset: { testid: 'ws-table', table: t.name, role: t.role, kind: t.kind } },
        h('td', {}, h('strong', {}, t.name), t === session.current ? h('span', { class: 'tag' }, 'input') : null),
        h('td', {}, role),
        h('td', { class: 'num', dataset: { testid: 'ws-rows' } }, fmtInt(t.numRows)),
        h('td', { class: 'num' }, fmtInt(t.columns.length)),
        h('td', { class: 'muted' }, t.from ? `from ${t.from}` : t.kind === 'file' ? 'file' : ''),
        h('td', {},
          h('button', { type: 'button', class: 'btn btn-ghost', dataset: { testid: 'ws-use' }, onclick: () => session.use(t.name) }, 'Use as input'),
          exportBtn,
          h('button', { type: 'button', class: 'btn btn-danger-ghost', onclick: () => session.removeTable(t.name) }, 'Remove')));
    });
    const build = h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: 'ws-build' } }, 'Build the customer list');
    build.addEventListener('click', async () => {
      build.disabled = true;
      try {
        const r = await buildCustomers(session);
        if (!r) replace(status, h('p', { class: 'notice notice-neutral', role: 'status' }, 'Needs a customers file or a customer value table (Customer value view on an orders file).'));
        else navigate('customers');
      } catch (e) {
        replace(status, h('div', { class: 'notice notice-error', role: 'alert' }, h('p', {}, `Could not build the customer list: ${e.message}`)));
      } finally {
        build.disabled = false;
      }
    });
    replace(tablesCard, h('div', { class: 'card-head' }, h('h2', {}, `Tables (${tables.length})`)),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, ['Name', 'Role / kind', 'Rows', 'Columns', 'Origin', ''].map((t) => h('th', {}, t)))),
        h('tbody', {}, rows))),
      planNote(),
      h('div', { class: 'loader-actions' }, build, h('a', { href: customersHref(), class: 'btn btn-ghost' }, 'Open the customer list')));
  }

  // What the customer list is built from: its base table and every table joined onto it, by which keys.
  function planNote() {
    const plan = customerPlan(session);
    if (!plan) return null;
    return h('div', { class: 'hint', dataset: { testid: 'ws-plan' } },
      h('p', {}, `The customer list: one row per ${plan.baseKey} of ${plan.base.name}, with`),
      plan.parts.length ? h('ul', {}, plan.parts.map((p) => h('li', { dataset: { testid: 'ws-plan-part', table: p.table.name } },
        `${p.table.name}${isEvents(p.table) ? ' (rolled up to the next action per customer)' : ''} joined by ${p.table.name}.${p.otherKey} = ${p.key}`)))
        : h('p', {}, 'no other table yet (add a customers file, or compute segments, sentiment, predictions…).'));
  }

  // ---------- joins ----------
  let proposing = 0;
  async function proposeAll() {
    const token = ++proposing;
    const files = session.tables.filter((t) => t.kind === 'file');
    const pairs = [];
    for (const t of files) for (const role of JOIN_TARGETS[t.role] ?? []) for (const target of files) {
      if (target !== t && target.role === role) pairs.push([t, target]);
    }
    if (!pairs.length) {
      replace(joinsCard, h('div', { class: 'card-head' }, h('h2', {}, 'Join keys')),
        h('p', { class: 'muted' }, 'Add a customers file and an orders or feedback file to see how they join.'));
      return;
    }
    replace(joinsCard, h('div', { class: 'card-head' }, h('h2', {}, 'Join keys')), h('p', { class: 'muted', role: 'status' }, 'Comparing key columns…'));
    const items = [];
    for (const [t, target] of pairs) {
      const chosen = session.joinOf(t.name, target.name);
      let j = null;
      try {
        if (chosen) {
          const o = overlap(await column(t, chosen.column), keySet(await column(target, chosen.targetColumn)));
          j = { table: t.name, column: chosen.column, target: target.name, targetColumn: chosen.targetColumn, ...o };
        } else {
          j = await proposeJoin(t, target, column);
          if (j) session.setJoin({ table: j.table, column: j.column, target: j.target, targetColumn: j.targetColumn });
        }
      } catch (e) {
        j = { error: e.message };
      }
      items.push({ t, target, j });
    }
    if (token !== proposing || disposed) return;
    replace(joinsCard, h('div', { class: 'card-head' }, h('h2', {}, 'Join keys')),
      h('p', { class: 'hint' }, 'Proposed from the column names and from how many values of one column are found in the other. Change a column to check another pair.'),
      items.map(joinRow));
  }

  function joinRow({ t, target, j }) {
    const sel = (table, value, label) => h('select', { 'aria-label': label },
      h('option', { value: '' }, '(no join)'),
      (keyCandidates(table.columns).length ? keyCandidates(table.columns) : table.columns).concat(table.columns.filter((c) => !keyCandidates(table.columns).includes(c)))
        .map((c) => h('option', { value: c.name, selected: c.name === value }, c.name)));
    const a = sel(t, j?.column, `Key column of ${t.name}`);
    const b = sel(target, j?.targetColumn, `Key column of ${target.name}`);
    const onChange = () => { session.setJoin({ table: t.name, column: a.value, target: target.name, targetColumn: b.value }); proposeAll(); };
    a.addEventListener('change', onChange);
    b.addEventListener('change', onChange);
    const share = j && j.distinct ? j.found / j.distinct : 0;
    const text = !j ? `No column of ${t.name} shares values with ${target.name}.`
      : j.error ? `Could not compare: ${j.error}` : describeJoin(j, fmtInt);
    return h('div', { class: 'join-row', dataset: { testid: 'join', table: t.name, target: target.name, found: j?.found ?? 0, distinct: j?.distinct ?? 0, rowsFound: j?.rowsFound ?? 0 } },
      h('div', { class: 'join-keys' }, h('strong', {}, t.name), '.', a, ' → ', h('strong', {}, target.name), '.', b),
      h('p', { class: share >= 0.9 ? 'join-text ok' : 'join-text warn', dataset: { testid: 'join-text' } },
        share >= 0.9 ? icon('check') : icon('alert'), ' ', text));
  }

  // ---------- save / reopen ----------
  async function renderVault(message) {
    let info = null;
    try { info = await vault.savedInfo(); } catch { /* storage unavailable */ }
    if (disposed) return;
    const pass = h('input', { type: 'password', id: 'ws-pass', autocomplete: 'new-password', dataset: { testid: 'ws-pass' } });
    const saveBtn = h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: 'ws-save' } }, icon('lock'), 'Save encrypted');
    const openBtn = h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: 'ws-open' }, disabled: !info }, 'Reopen saved workspace');
    const forgetBtn = h('button', { type: 'button', class: 'btn btn-danger-ghost', dataset: { testid: 'ws-forget' } }, 'Forget everything');
    const msg = h('div', { class: 'vault-message', 'aria-live': 'polite', dataset: { testid: 'ws-vault-message' } }, message ?? '');
    const say = (text, kind = 'neutral') => replace(msg, h('p', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status', dataset: { kind } }, text));
    saveBtn.addEventListener('click', async () => {
      if (!session.tables.length) { say('Nothing to save: the workspace has no table.', 'error'); return; }
      if (!pass.value) { say('Choose a passphrase first: the workspace is encrypted with it.', 'error'); return; }
      saveBtn.disabled = true;
      say('Encrypting and saving…');
      try {
        const payload = await vault.snapshot(session);
        const r = await vault.save(payload, pass.value);
        renderVault(`Saved ${payload.tables.length} tables (${fmtInt(r.bytes)} bytes encrypted) in this browser.`);
      } catch (e) {
        say(`Could not save: ${e.message}`, 'error');
        saveBtn.disabled = false;
      }
    });
    openBtn.addEventListener('click', async () => {
      openBtn.disabled = true;
      say('Decrypting…');
      try {
        const payload = await vault.open(pass.value);
        if (!payload) { say('Nothing saved.', 'error'); return; }
        await vault.restore(session, payload);
        cache.clear();
        renderVault(`Reopened ${payload.tables.length} tables.`);
        proposeAll();
      } catch (e) {
        say(e.code === 'WRONG_PASSPHRASE' ? e.message : `Could not reopen: ${e.message}`, 'error');
      } finally {
        openBtn.disabled = false;
      }
    });
    forgetBtn.addEventListener('click', async () => {
      await vault.forget().catch(() => {});
      await session.reset();
      cache.clear();
      renderVault('Everything was forgotten: the saved workspace is deleted and the tables are closed.');
    });
    replace(vaultCard, h('div', { class: 'card-head' }, h('h2', {}, 'Save and reopen')),
      h('p', { class: 'hint' }, `Saved in this browser only, encrypted with your passphrase (AES-GCM, key from PBKDF2 with ${fmtInt(vault.ITERATIONS)} iterations). Without the passphrase it cannot be read; there is no recovery.`),
      h('p', { class: 'muted', dataset: { testid: 'ws-saved-info' } }, info ? `A workspace is saved (${info.tables} tables, ${new Date(info.savedAt).toLocaleString()}).` : 'Nothing saved yet.'),
      h('div', { class: 'options-grid' }, h('div', { class: 'field' }, h('label', { for: 'ws-pass' }, 'Passphrase'), pass)),
      h('div', { class: 'loader-actions' }, saveBtn, openBtn, forgetBtn), msg);
  }

  const onTables = () => renderTables();
  session.addEventListener('tables', onTables);
  session.addEventListener('change', onTables);
  renderTables();
  proposeAll();
  renderVault();
  return () => {
    disposed = true;
    session.removeEventListener('tables', onTables);
    session.removeEventListener('change', onTables);
  };
}
