// Hand-drawn charts for the demo (no charting library: the page loads nothing but its own
// files, and these few charts are small): a scatter plot on a canvas with choosable axes,
// log scales, colours by group and a hover tooltip; horizontal bars with counts. Values
// from files are set as text only (SVG text nodes, title elements, textContent).

const SVG_NS = 'http://www.w3.org/2000/svg';
export const PALETTE = ['#3b5bdb', '#e8590c', '#2b8a3e', '#c2255c', '#7048e8', '#0b7285', '#f08c00', '#5c940d', '#862e9c', '#1971c2', '#d9480f', '#495057'];

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** A linear or log10 scale from [lo, hi] to [a, b]; log drops values ≤ 0 (returns NaN). */
export function scale(lo, hi, a, b, log = false) {
  const f = log ? (v) => (v > 0 ? Math.log10(v) : NaN) : (v) => v;
  const l = f(lo), hh = f(hi);
  const span = hh - l || 1;
  const map = (v) => a + ((f(v) - l) / span) * (b - a);
  map.ticks = () => {
    if (log) {
      const out = [];
      for (let e = Math.floor(l); e <= Math.ceil(hh); e++) out.push(10 ** e);
      return out.filter((t) => t >= lo * 0.999 && t <= hi * 1.001);
    }
    return [lo, lo + (hi - lo) / 2, hi];
  };
  return map;
}

/**
 * Scatter of points (x[i], y[i]) for i in `index`, coloured by `group[i]` (a level index),
 * on a canvas with axes, a legend and a tooltip naming the nearest point (`label(i)`).
 * opts: { xLabel, yLabel, xLog, yLog, levels: [names], fmtX, fmtY, onClick(i) }.
 */
export function scatter(x, y, index, group, opts) {
  const W = 760, H = 420, L = 64, R = 16, T = 16, B = 44;
  const pts = [];
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const i of index) {
    const a = x[i], b = y[i];
    if (!Number.isFinite(a) || !Number.isFinite(b) || (opts.xLog && a <= 0) || (opts.yLog && b <= 0)) continue;
    pts.push(i);
    if (a < x0) x0 = a; if (a > x1) x1 = a; if (b < y0) y0 = b; if (b > y1) y1 = b;
  }
  const wrap = document.createElement('div');
  wrap.className = 'scatter-wrap';
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(W * devicePixelRatio);
  canvas.height = Math.round(H * devicePixelRatio);
  canvas.className = 'chart';
  canvas.style.width = `${W}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${opts.yLabel} against ${opts.xLabel} for ${pts.length} customers`);
  canvas.dataset.points = String(pts.length);
  const tip = document.createElement('div');
  tip.className = 'chart-tip';
  tip.hidden = true;
  wrap.append(canvas, tip);
  if (!pts.length) return wrap;
  const sx = scale(x0, x1, L, W - R, opts.xLog), sy = scale(y0, y1, H - B, T, opts.yLog);
  const ctx = canvas.getContext('2d');
  ctx.scale(devicePixelRatio, devicePixelRatio);
  const style = getComputedStyle(document.documentElement);
  const muted = style.getPropertyValue('--muted').trim() || '#666';
  ctx.strokeStyle = muted;
  ctx.fillStyle = muted;
  ctx.font = '11px system-ui, sans-serif';
  ctx.beginPath(); ctx.moveTo(L, T); ctx.lineTo(L, H - B); ctx.lineTo(W - R, H - B); ctx.stroke();
  ctx.textAlign = 'center';
  for (const t of sx.ticks()) ctx.fillText(opts.fmtX(t), sx(t), H - B + 14);
  ctx.fillText(`${opts.xLabel}${opts.xLog ? ' (log scale)' : ''}`, (L + W - R) / 2, H - 8);
  ctx.textAlign = 'right';
  for (const t of sy.ticks()) ctx.fillText(opts.fmtY(t), L - 6, sy(t) + 4);
  ctx.save(); ctx.translate(12, (T + H - B) / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center';
  ctx.fillText(`${opts.yLabel}${opts.yLog ? ' (log scale)' : ''}`, 0, 0); ctx.restore();
  ctx.globalAlpha = pts.length > 20_000 ? 0.3 : 0.7;
  const px = new Float32Array(pts.length), py = new Float32Array(pts.length);
  pts.forEach((i, k) => {
    px[k] = sx(x[i]); py[k] = sy(y[i]);
    ctx.fillStyle = group ? PALETTE[(group[i] ?? 0) % PALETTE.length] : PALETTE[0];
    ctx.fillRect(px[k] - 1.5, py[k] - 1.5, 3, 3);
  });
  const nearest = (e) => {
    const r = canvas.getBoundingClientRect();
    const mx = ((e.clientX - r.left) / r.width) * W, my = ((e.clientY - r.top) / r.height) * H;
    let best = -1, bd = 64;
    for (let k = 0; k < px.length; k++) {
      const d = (px[k] - mx) ** 2 + (py[k] - my) ** 2;
      if (d < bd) { bd = d; best = k; }
    }
    return best < 0 ? null : { i: pts[best], left: (px[best] / W) * r.width, top: (py[best] / H) * r.height };
  };
  canvas.addEventListener('mousemove', (e) => {
    const n = nearest(e);
    tip.hidden = !n;
    if (!n) return;
    tip.textContent = `${opts.label(n.i)} · ${opts.xLabel} ${opts.fmtX(x[n.i])} · ${opts.yLabel} ${opts.fmtY(y[n.i])}`;
    tip.style.left = `${n.left + 10}px`;
    tip.style.top = `${n.top + 10}px`;
  });
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });
  if (opts.onClick) canvas.addEventListener('click', (e) => { const n = nearest(e); if (n) opts.onClick(n.i); });
  return wrap;
}

/**
 * Horizontal bars: items [{ label, value, count, color }], value formatted by fmt, count in
 * `unit` (tooltip); a bar is a link when `href(item)` is given (e.g. to the list filtered by that group).
 */
export function bars(items, { fmt, href, label = 'Bars', unit = 'customers' }) {
  const W = 760, rowH = 26, L = 190, R = 150;
  const H = items.length * rowH + 8;
  const max = Math.max(...items.map((d) => Math.abs(d.value)).filter(Number.isFinite), 1e-12);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart bars', role: 'img', 'aria-label': label });
  items.forEach((d, k) => {
    const y = 4 + k * rowH;
    const w = Number.isFinite(d.value) ? ((W - L - R) * Math.abs(d.value)) / max : 0;
    const rect = svg('rect', { x: L, y: y + 3, width: Math.max(1, w), height: rowH - 8, class: 'bar' },
      svg('title', {}, `${d.label}: ${fmt(d.value)} (${d.count} ${unit})`));
    // Through the CSSOM: it wins over the stylesheet's .bar fill (an SVG fill attribute would not).
    if (d.color) rect.style.fill = d.color;
    const text = svg('text', { x: L - 8, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'bar-label' }, d.label);
    const val = svg('text', { x: L + w + 6, y: y + rowH / 2 + 4, class: 'bar-value' }, `${fmt(d.value)} · n = ${d.count}`);
    if (href) {
      const a = svg('a', { href: href(d) }, rect, text);
      g.append(a, val);
    } else g.append(rect, text, val);
  });
  return g;
}

/** Colour of a share 0..1 on a white → blue ramp (for heatmap cells, set through the CSSOM). */
export function heat(v) {
  if (!Number.isFinite(v)) return '';
  const t = Math.max(0, Math.min(1, v));
  return `hsl(222 70% ${Math.round(96 - 50 * t)}%)`;
}
