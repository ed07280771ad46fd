// Segments view for a table held in the pool (every core, lib/session.js loadPooled): k-means
// over the shards (CrmlensPool.segment: each worker keeps its shard's scaled rows, the page
// merges their sums each pass), with the labels, sizes and centroids segment() gives on the
// whole table; with k 'auto', every k of 2–10 scored by segment's silhouette (its rows
// gathered from the shards) and chosen by segment's rule. What it cannot do on shards is said,
// not hidden: numeric columns only, no 2-D plot or segment descriptions (those need the table
// in one worker).
import { h, replace } from './dom.js';
import { fmtInt } from './format.js';
import { cancelledNote, longWork } from './work.js';

const SKIP_ROLES = new Set(['id', 'email', 'phone', 'url', 'freeText', 'postalCode']);
const numeric = (c) => ['int64', 'float64'].includes(c.type) && !SKIP_ROLES.has(c.role);
const num = (v, d = 2) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '—');

/** The form and result of the pooled Segments view for `cur` (a workspace entry with `pooled`). */
export function pooledSegments(cur, { session, NEEDS }) {
  const out = h('div', { class: 'result' });
  const cols = cur.columns.filter(numeric);
  const boxes = cols.map((c) => h('input', { type: 'checkbox', value: c.name, checked: true, id: `seg-col-${c.name}` }));
  const select = (id, label, options, value) => {
    const el = h('select', { id, name: id }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
    return [h('div', { class: 'field' }, h('label', { for: id }, label), el), el];
  };
  const [fk, sk] = select('seg-k', 'Segments (k)', [['auto', 'auto (2–10, by silhouette)'], ...Array.from({ length: 11 }, (_, i) => [String(i + 2), String(i + 2)])], '4');
  const [fs, ss] = select('seg-scaling', 'Scaling', [['standard', 'standard (z-scores)'], ['none', 'none']], 'standard');
  const [fm, sm] = select('seg-missing', 'Missing values', [['impute', 'impute (mean)'], ['drop', 'drop the row']], 'impute');
  const seed = h('input', { id: 'seg-seed', type: 'number', value: '42', min: '0', step: '1' });
  const run = h('button', { class: 'btn btn-secondary', type: 'button', dataset: { testid: 'run-segment' } }, 'Find segments');
  run.addEventListener('click', async () => {
    run.disabled = true;
    const k = sk.value === 'auto' ? 'auto' : Number(sk.value);
    const work = longWork(`k-means in ${cur.workers} workers`, { testid: 'segment', phases: { cluster: 'restart' } });
    replace(out, work.box);
    try {
      const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
      const options = { k, algorithm: 'kmeans', scaling: ss.value, missing: sm.value, seed: Number(seed.value) || 0, columns: chosen };
      const started = performance.now();
      const r = await session.pool.segment(cur.pooled, { ...options, signal: work.signal, onProgress: (p) => work.onProgress({ phase: p.stage, done: p.done, total: p.total }) });
      work.check();
      const ms = performance.now() - started;
      session.stash('segments', { input: cur.name, r, ms, pooled: true });
      replace(out, result(cur, r, ms));
    } catch (e) {
      if (e?.code === 'ABORTED') {
        replace(out, cancelledNote('segment', 'no segments were computed'));
        return;
      }
      replace(out, h('div', { class: 'notice notice-error', role: 'alert', dataset: { testid: 'segment-error' } },
        h('div', {}, h('strong', { class: 'notice-title' }, 'Could not segment'),
          h('p', { class: 'error-message' }, `${e.message}${e.code ? ` (${e.code})` : ''}`),
          h('p', { class: 'hint', dataset: { testid: 'error-needs' } }, `This view needs ${NEEDS.needs}.`))));
    } finally {
      run.disabled = false;
    }
  });
  const kept = session.stashed('segments');
  if (kept?.pooled && kept.input === cur.name) replace(out, result(cur, kept.r, kept.ms));
  return h('section', { class: 'view' },
    h('header', { class: 'view-header' }, h('h1', {}, 'Segments'),
      h('p', { class: 'lede' }, `Groups of similar rows in ${cur.name}, by k-means in ${fmtInt(cur.workers)} workers (every core). Computed in this tab.`)),
    h('div', { class: 'notice notice-neutral', role: 'status', dataset: { testid: 'pool-segment-notice' } },
      h('p', {}, `${cur.name} is held in ${fmtInt(cur.shards)} shards: k-means runs on every shard at once and gives the labels of one worker's k-means. `
        + 'Numeric columns only; k "auto" scores each k by the silhouette of rows gathered from the shards, as one worker does. The 2-D plot and the segment descriptions need the table in one worker (Data view: Workers → One worker).')),
    h('section', { class: 'card' },
      h('fieldset', { class: 'field seg-columns', dataset: { testid: 'seg-columns' } }, h('legend', {}, 'Columns'),
        cols.map((c, i) => h('label', { class: 'check' }, boxes[i], ` ${c.name} (${c.type})`))),
      h('div', { class: 'options-grid' }, fk, fs, fm, h('div', { class: 'field' }, h('label', { for: 'seg-seed' }, 'Seed'), seed)),
      h('div', { class: 'loader-actions' }, run)),
    out);
}

function result(cur, r, ms) {
  const prep = r.preparation;
  const fact = (label, value, testid = null) => h('div', { class: 'fact', dataset: { testid } }, h('dd', {}, value), h('dt', {}, label));
  const total = r.sizes.reduce((a, v) => a + v, 0);
  return h('section', { class: 'card', dataset: { testid: 'pool-segment-summary' } },
    h('dl', { class: 'facts' },
      fact('Segments', String(r.k), 'seg-k'),
      fact('Rows segmented', `${fmtInt(prep.rowsUsed)} of ${fmtInt(prep.rowsTotal)}`, 'seg-rows'),
      fact('Inertia (sum of squared distances, scaled)', num(r.inertia, 1)),
      fact('Iterations', `${fmtInt(r.iterations)}${r.converged ? '' : ' (not converged)'}`),
      fact('Algorithm', `k-means over ${fmtInt(r.shards)} shards, ${num(ms / 1000, 2)} s`, 'seg-algorithm')),
    r.kChoice ? h('p', { class: 'hint', dataset: { testid: 'pool-k-choice' } }, r.kChoice) : null,
    r.kScores ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', dataset: { testid: 'pool-k-scores' } },
      h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'k'), h('th', { class: 'num' }, 'Silhouette'), h('th', { class: 'num' }, 'Silhouette of the groups'), h('th', { class: 'num' }, 'Smallest segment'))),
      h('tbody', {}, r.kScores.map((x) => h('tr', { class: x.k === r.k ? 'selected' : null, dataset: { testid: 'pool-k-score', k: String(x.k) } },
        h('td', { class: 'num' }, String(x.k)), h('td', { class: 'num' }, num(x.silhouette, 3)), h('td', { class: 'num' }, num(x.groupSilhouette, 3)), h('td', { class: 'num' }, fmtInt(x.smallestSegment))))))) : null,
    prep.imputed.length ? h('ul', { class: 'hint' }, prep.imputed.map((c) => h('li', {}, `${c.column}: ${c.note}`))) : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'table', dataset: { testid: 'pool-segments' } },
      h('thead', {}, h('tr', {}, h('th', {}, 'Segment'), h('th', { class: 'num' }, 'Rows'), h('th', { class: 'num' }, 'Share'),
        r.centroidColumns.map((c) => h('th', { class: 'num' }, `mean ${c}`)))),
      h('tbody', {}, r.sizes.map((size, s) => h('tr', { dataset: { testid: 'pool-segment-row', size: String(size) } },
        h('td', {}, `Segment ${s + 1}`), h('td', { class: 'num' }, fmtInt(size)), h('td', { class: 'num' }, `${num((100 * size) / total, 1)}%`),
        Array.from(r.centroids[s], (v) => h('td', { class: 'num' }, num(v, 2)))))))));
}
