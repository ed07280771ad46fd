// Small DOM helpers. Everything that may come from a user's file goes through
// textContent / text nodes / setAttribute: this module never parses HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an element. props: class, text, dataset {k: v}, on<event> (functions only),
 * anything else becomes an attribute (true = present, null/false/undefined = absent).
 * Children: nodes, strings, numbers, arrays of those; null/false are skipped.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') for (const [k, v] of Object.entries(value)) { if (v != null) el.dataset[k] = String(v); }
    else if (key.startsWith('on')) {
      if (typeof value !== 'function') throw new TypeError(`${key} must be a function`);
      el.addEventListener(key.slice(2), value);
    } else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (see h) as nodes or text nodes. */
export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces all children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/**
 * A long text shortened to a few lines with a "more" button that shows all of it ("less"
 * folds it again). `length` is the text's length: short texts come back unwrapped.
 */
export function clamp(content, length, max = 280) {
  if (length <= max) return h('span', { class: 'clamp-body' }, content);
  const body = h('span', { class: 'clamp-body' }, content);
  const wrap = h('span', { class: 'clamp closed', dataset: { testid: 'clamp' } }, body);
  const btn = h('button', { type: 'button', class: 'btn-link', 'aria-expanded': 'false', dataset: { testid: 'more' } }, 'more');
  btn.addEventListener('click', () => {
    const open = wrap.classList.toggle('closed') === false;
    btn.textContent = open ? 'less' : 'more';
    btn.setAttribute('aria-expanded', String(open));
  });
  wrap.append(' ', btn);
  return wrap;
}

// Static icon paths (24x24, stroked). Never built from data.
const ICONS = {
  upload: ['M12 16V4', 'M7 9l5-5 5 5', 'M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3'],
  file: ['M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z', 'M14 3v5h5'],
  sparkles: ['M12 3l1.8 4.7L18.5 9.5l-4.7 1.8L12 16l-1.8-4.7L5.5 9.5l4.7-1.8z', 'M19 15l.8 2.2L22 18l-2.2.8L19 21l-.8-2.2L16 18l2.2-.8z'],
  lock: ['M6 11h12v9H6z', 'M8.5 11V8a3.5 3.5 0 0 1 7 0v3'],
  alert: ['M12 3l9.5 17h-19z', 'M12 10v4.5', 'M12 17.5v.01'],
  info: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 11v5', 'M12 8v.01'],
  stop: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M9 9h6v6H9z'],
  x: ['M6 6l12 12', 'M18 6L6 18'],
  refresh: ['M20 11a8 8 0 0 0-14.6-4.5L4 8', 'M4 3v5h5', 'M4 13a8 8 0 0 0 14.6 4.5L20 16', 'M20 21v-5h-5'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
};

/** An inline SVG icon (decorative: hidden from assistive technology). */
export function icon(name, className = 'icon') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of ICONS[name] ?? []) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
