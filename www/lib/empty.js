// The empty state of a view with no input: what file it needs (in words and with an example),
// the tables of the workspace that would do (one click makes one the input), and the way to
// load one. One look for every view.

import { h } from './dom.js';
import { fmtInt } from './format.js';

/**
 * needFile(session, navigate, { title, needs, example, roles, testid }) → the view's content.
 * needs: what the file is ("an orders file: one row per purchase, with customer, date and
 * amount"); roles: workspace roles / kinds that fit, offered as "Use <table>".
 */
export function needFile(session, navigate, { title, needs, example = null, roles = [], lede = null }) {
  const fits = session.tables.filter((t) => roles.includes(t.role));
  const others = session.tables.length - fits.length;
  return h('section', { class: 'view' },
    h('header', { class: 'view-header' }, h('h1', {}, title), lede ? h('p', { class: 'lede' }, lede) : null),
    h('div', { class: 'notice notice-neutral', role: 'status', dataset: { testid: 'view-needs' } },
      h('div', {},
        h('strong', { class: 'notice-title' }, `This view needs ${needs}.`),
        example ? h('p', {}, `For example: ${example}.`) : null,
        fits.length
          ? h('p', {}, 'In your workspace: ', fits.map((t) => h('button', { type: 'button', class: 'btn btn-ghost', dataset: { testid: 'use-table', table: t.name },
            onclick: () => session.use(t.name) }, `Use ${t.name} (${fmtInt(t.numRows)} rows)`)))
          : others ? h('p', {}, `None of the ${fmtInt(others)} tables in your workspace looks like one; pick one as the input above if it does.`) : null)),
    h('div', { class: 'loader-actions' },
      h('button', { class: 'btn btn-secondary', type: 'button', onclick: () => navigate('data') }, 'Go to Data'),
      h('button', { class: 'btn btn-ghost', type: 'button', onclick: () => navigate('workspace') }, 'Go to Workspace')));
}
