// App shell: nav built from the view registry, hash routing (#/data, #/customer/<id>,
// #/customers?segment=…), one shared session, and the input picker: which table of the
// workspace the views work on.
import { views } from './views/registry.js';
import { Session } from './lib/session.js';
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
  active = { id: entry.id, key, cleanup: mod.mount(root, { session, navigate, params }) };
  renderPicker();
  document.title = `${entry.title} · crmlens`;
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
