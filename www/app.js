// App shell: nav built from the view registry, hash routing (#/data, #/customer/<id>,
// #/customers?segment=…), one shared session, and the input picker: which table of the
// workspace the views work on.
import { views } from './views/registry.js';
import { POOL_VIEWS, Session, isAbort } from './lib/session.js';
import { h, replace } from './lib/dom.js';
import { CURRENCIES, currencyCode, fmtInt, localeCurrency, setCurrency } from './lib/format.js';

const session = new Session();
const nav = document.getElementById('nav');
const outlet = document.getElementById('view');

let active = null; // { id, key, cleanup }
let routing = 0;

/** { id, arg, query } of the hash: #/customer/00042 → arg "00042"; #/customers?segment=x → query. */
function parseHash() {
  const m = /^#\/([\w-]+)(?:\/([^?]*))?(?:\?(.*))?$/.exec(location.hash);
  if (!m) return { id: null, arg: null, query: new URLSearchParams() };
  let arg = null;
  try { arg = m[2] != null ? decodeURIComponent(m[2]) : null; } catch { arg = m[2]; }
  return { id: m[1], arg, query: new URLSearchParams(m[3] ?? '') };
}

function navigate(id) {
  location.hash = `#/${id}`;
}

function renderNav(currentId) {
  const current = views.find((v) => v.id === currentId);
  const shown = current?.hidden ? current.parent : currentId;
  replace(nav, views.filter((v) => !v.hidden).map((v) => h('li', {},
    h('a', { href: `#/${v.id}`, class: 'nav-link', 'aria-current': v.id === shown ? 'page' : null, dataset: { view: v.id } }, v.title))));
}

async function route() {
  const params = parseHash();
  const entry = views.find((v) => v.id === params.id) ?? views[0];
  const key = `${entry.id}|${params.arg ?? ''}|${params.query}`;
  if (active?.key === key) return;
  const token = ++routing;
  renderNav(entry.id);
  let mod;
  try {
    mod = await entry.load();
  } catch (err) {
    if (token !== routing) return;
    replace(outlet, h('div', { class: 'panel panel-error', role: 'alert' }, `This view could not be loaded: ${err?.message ?? err}`));
    return;
  }
  if (token !== routing) return;
  try { active?.cleanup?.(); } catch (err) { console.error(err); }
  const root = h('div', { class: 'view', dataset: { view: entry.id } });
  replace(outlet, root);
  active = { id: entry.id, key, cleanup: mountOrGather(entry, mod, root, { session, navigate, params }) };
  renderPicker();
  document.title = `${entry.title} · crmlens`;
}

// ---------- tables held in the pool (every core): the views that need one Dataset ----------
// A big file is read by CrmlensPool, one shard per worker (lib/session.js loadPooled). The
// Data, Profile and Segments views work on the shards; every other view needs the table in
// one worker: instead of the view, a notice says so and offers to read the file there.
const WHOLE_WORKSPACE = ['workspace', 'customers', 'customer'];

function blocking(entry) {
  if (POOL_VIEWS.includes(entry.id)) return null;
  if (WHOLE_WORKSPACE.includes(entry.id)) return session.tables.find((t) => t.pooled) ?? null;
  return session.current?.pooled ? session.current : null;
}

function mountOrGather(entry, mod, root, ctx) {
  if (POOL_VIEWS.includes(entry.id)) return mod.mount(root, ctx);
  let cleanup = null;
  let shown; // the pooled table the notice is about, or null while the view is mounted
  const apply = () => {
    const t = blocking(entry);
    if (shown !== undefined && (t === null) === (shown === null)) {
      if (t && t !== shown) replace(root, poolNotice(entry, t));
      shown = t;
      return;
    }
    try { cleanup?.(); } catch (err) { console.error(err); }
    cleanup = null;
    shown = t;
    replace(root);
    if (t) replace(root, poolNotice(entry, t));
    else cleanup = mod.mount(root, ctx);
  };
  session.addEventListener('change', apply);
  session.addEventListener('tables', apply);
  apply();
  return () => {
    session.removeEventListener('change', apply);
    session.removeEventListener('tables', apply);
    try { cleanup?.(); } catch (err) { console.error(err); }
  };
}

function poolNotice(entry, t) {
  const status = h('p', { class: 'hint', role: 'status', dataset: { testid: 'gather-status' } });
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true, dataset: { testid: 'cancel-gather' } }, 'Cancel');
  const go = h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: 'gather' } }, 'Read it into one worker');
  go.addEventListener('click', async () => {
    const ctl = new AbortController();
    go.disabled = true;
    cancel.hidden = false;
    cancel.onclick = () => ctl.abort();
    status.textContent = `Reading ${t.name} in one worker…`;
    try {
      await session.gather(t.name, {
        signal: ctl.signal,
        onProgress: (p) => { if (p.totalBytes) status.textContent = `Reading ${t.name} in one worker: ${Math.round((100 * p.bytesRead) / p.totalBytes)}%`; },
      });
    } catch (err) {
      status.textContent = isAbort(err) ? 'Cancelled: the table stays in the pool.' : `Could not read it: ${err?.message ?? err}`;
      go.disabled = false;
      cancel.hidden = true;
    }
  });
  return h('section', { class: 'view' },
    h('header', { class: 'view-header' }, h('h1', {}, entry.title)),
    h('div', { class: 'notice notice-neutral', role: 'status', dataset: { testid: 'pool-notice' } },
      h('div', {},
        h('strong', { class: 'notice-title' }, `${t.name} is held by ${fmtInt(t.workers)} workers (${fmtInt(t.shards)} shards, every core)`),
        h('p', {}, `${entry.title} works on a table in one worker. Data, Profile and Segments work on the shards; read the file again in one worker for this view (it then holds the whole table in one memory, at most 4 GB).`),
        h('div', { class: 'loader-actions' }, go, cancel), status)));
}

// Files dropped outside a drop zone must not make the browser navigate to them.
window.addEventListener('dragover', (e) => {
  if (e.defaultPrevented) return;
  e.preventDefault();
  if (e.dataTransfer) e.dataTransfer.dropEffect = 'none';
});
window.addEventListener('drop', (e) => e.preventDefault());

// ---------- input picker: the workspace's tables, any of which can be a view's input ----------
const picker = h('div', { class: 'container input-bar', dataset: { testid: 'input-bar' } });
document.getElementById('main').prepend(picker);

function renderPicker() {
  const tables = session.tables;
  if (!tables.length || ['data', 'workspace', 'customers', 'customer'].includes(active?.id)) { replace(picker); picker.hidden = true; return; }
  picker.hidden = false;
  const select = h('select', { id: 'input-table', dataset: { testid: 'input-table' } },
    session.current ? null : h('option', { value: '' }, '—'),
    tables.map((t) => h('option', { value: t.name, selected: t === session.current },
      `${t.name} · ${t.role} · ${fmtInt(t.numRows)} rows`)));
  select.addEventListener('change', () => session.use(select.value));
  replace(picker, h('label', { for: 'input-table' }, 'Input table'), select,
    h('a', { href: '#/workspace', class: 'link-like' }, `Workspace (${tables.length} table${tables.length === 1 ? '' : 's'})`));
}
session.addEventListener('tables', renderPicker);
session.addEventListener('change', renderPicker);

// ---------- currency of money columns: the locale's by default, any other chosen here ----------
function currencyPicker() {
  const fromLocale = localeCurrency();
  const names = new Intl.DisplayNames(undefined, { type: 'currency' });
  const label = (c) => { try { return `${c} · ${names.of(c)}`; } catch { return c; } };
  const select = h('select', { id: 'currency', class: 'currency-select', dataset: { testid: 'currency' }, title: 'Currency of amounts (CLV, spend, prices); the data is not converted' },
    CURRENCIES.map((c) => h('option', { value: c, selected: c === currencyCode(), title: `${label(c)}${c === fromLocale ? ' (your locale)' : ''}` }, c)),
    h('option', { value: '', selected: currencyCode() === '', title: 'amounts as plain numbers' }, 'no sign'));
  select.addEventListener('change', () => setCurrency(select.value));
  window.addEventListener('currency', () => { select.value = currencyCode(); });
  return h('label', { class: 'currency-picker', for: 'currency' }, h('span', { class: 'sr-only' }, 'Currency'), select);
}
document.querySelector('.topbar-inner')?.insertBefore(currencyPicker(), document.querySelector('.local-badge'));
// Amounts are formatted when a view renders: show the current view again in the new currency.
window.addEventListener('currency', () => { active = active && { ...active, key: null }; route(); });

window.addEventListener('hashchange', route);
session.warmUp();
route();
