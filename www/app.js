// App shell: nav built from the view registry, hash routing (#/data), one shared session.
import { views } from './views/registry.js';
import { Session } from './lib/session.js';
import { h, replace } from './lib/dom.js';

const session = new Session();
const nav = document.getElementById('nav');
const outlet = document.getElementById('view');

let active = null; // { id, cleanup }
let routing = 0;

function viewIdFromHash() {
  const m = /^#\/([\w-]+)/.exec(location.hash);
  return m ? m[1] : null;
}

function navigate(id) {
  location.hash = `#/${id}`;
}

function renderNav(currentId) {
  replace(nav, views.map((v) => h('li', {},
    h('a', { href: `#/${v.id}`, class: 'nav-link', 'aria-current': v.id === currentId ? 'page' : null, dataset: { view: v.id } }, v.title))));
}

async function route() {
  const wanted = viewIdFromHash();
  const entry = views.find((v) => v.id === wanted) ?? views[0];
  if (active?.id === entry.id) return;
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
  active = { id: entry.id, cleanup: mod.mount(root, { session, navigate }) };
  document.title = `${entry.title} · crmlens`;
}

// Files dropped outside a drop zone must not make the browser navigate to them.
window.addEventListener('dragover', (e) => {
  if (e.defaultPrevented) return;
  e.preventDefault();
  if (e.dataTransfer) e.dataTransfer.dropEffect = 'none';
});
window.addEventListener('drop', (e) => e.preventDefault());

window.addEventListener('hashchange', route);
session.warmUp();
route();
