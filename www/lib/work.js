// Long work in a view: a status line with a progress bar and a Cancel button, fed by the
// worker's `onProgress` ({ phase, done, total }) and stopping it through an AbortSignal
// (the promise then rejects with code ABORTED). Everything is set as text.

import { h } from './dom.js';
import { fmtInt } from './format.js';

/**
 * longWork('Computing customer value', { testid: 'value', phases: { rows: 'reading rows' } })
 * → { box, onProgress, signal, cancelled(), check() }: put `box` where the result will go,
 * pass `onProgress` and `signal` to the worker call, `check()` after it.
 */
export function longWork(title, { testid = 'work', phases = {} } = {}) {
  const controller = new AbortController();
  const text = h('span', {}, `${title}…`);
  const bar = h('progress', { class: 'progress', 'aria-label': `${title}: progress`, dataset: { testid: `${testid}-progress` } });
  const cancel = h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: `cancel-${testid}` }, onclick: () => controller.abort() }, 'Cancel');
  const box = h('div', { class: 'work', role: 'status', dataset: { testid: `${testid}-working` } }, h('p', { class: 'muted' }, text, ' ', cancel), bar);
  const onProgress = ({ phase, done, total }) => {
    const what = phases[phase] ?? phase;
    if (total > 0) {
      bar.max = total;
      bar.value = Math.min(done, total);
      text.textContent = `${title}: ${what}, ${fmtInt(done)} of ${fmtInt(total)}…`;
    } else {
      bar.removeAttribute('value'); // indeterminate
      text.textContent = done > 0 ? `${title}: ${what}, ${fmtInt(done)}…` : `${title}: ${what}…`;
    }
  };
  // Work that finished although Cancel was pressed (the abort reached the worker too late)
  // is dropped too: `check()` throws the same ABORTED error.
  const check = () => {
    if (controller.signal.aborted) throw Object.assign(new Error('Cancelled.'), { name: 'CrmlensError', code: 'ABORTED' });
  };
  return { box, onProgress, signal: controller.signal, cancelled: () => controller.signal.aborted, check };
}

/** The view's note after Cancel: nothing was computed, the previous inputs are unchanged. */
export const cancelledNote = (testid, what) => h('p', { class: 'muted', role: 'status', dataset: { testid: `${testid}-cancelled` } }, `Cancelled: ${what}.`);
