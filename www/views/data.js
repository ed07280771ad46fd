// Data view: load a file (picker, drop, or the bundled sample) in the crmlens worker,
// with progress and Cancel, then show what was read: summary, columns, first rows, issues.
//
// Everything shown from a file is set as text (lib/dom.js): the data is untrusted.

import { clamp, h, icon, replace } from '../lib/dom.js';

import { fmtBytes, fmtCell, fmtDelimiter, fmtDuration, fmtInt, fmtShare, NUMERIC_TYPES } from '../lib/format.js';
import { isAbort, POOL_MIN_BYTES, poolWorkers } from '../lib/session.js';

/** Cells longer than this (characters) are shortened to two lines with "more". */
const LONG_CELL = 120;

const PREVIEW_ROWS = 50;
// Workbooks are read by the package's lazily loaded `sheets` module (in the worker); a
// workbook with several sheets gets a sheet picker.
const WORKBOOK = /\.(xlsx|xlsm|xlsb|xls|ods)$/i;
const ISSUES_SHOWN = 20;
const SAMPLE = {
  url: new URL('../sample/online_retail_sample.csv', import.meta.url),
  name: 'online_retail_sample.csv',
  // The sample writes dates day first (1/12/2010 = 1 December 2010); every date in it
  // has day 1 or 2, so it cannot be told apart from month first by looking at it.
  options: { dateOrder: 'dmy' },
  credit: 'UCI Online Retail (Chen, Sain & Guo 2012), CC BY 4.0: first 1,000 rows',
};

const OPTION_FIELDS = [
  { key: 'delimiter', label: 'Delimiter', choices: [['', 'Detect'], [',', 'Comma ,'], [';', 'Semicolon ;'], ['\t', 'Tab'], ['|', 'Pipe |'], ['whitespace', 'Spaces']] },
  { key: 'header', label: 'Header row', choices: [['', 'Detect'], ['true', 'First row is the header'], ['false', 'No header']] },
  { key: 'dateOrder', label: 'Dates like 03/04/2024', choices: [['', 'Detect'], ['dmy', 'Day first'], ['mdy', 'Month first']] },
  { key: 'onBadRows', label: 'Broken rows', choices: [['', 'Repair and report'], ['skip', 'Skip and report'], ['error', 'Stop with an error']] },
];

const OPTION_WORDS = {
  delimiter: (v) => `delimiter ${fmtDelimiter(v)}`,
  header: (v) => (v ? 'first row as header' : 'no header row'),
  dateOrder: (v) => (v === 'dmy' ? 'dates day first' : 'dates month first'),
  onBadRows: (v) => (v === 'skip' ? 'broken rows skipped' : v === 'error' ? 'stop at a broken row' : null),
};

export function mount(root, { session }) {
  let controller = null; // AbortController of the load in progress
  let lastSource = null; // { file, sample } of the last load, for "Reload"
  let lastOptions = '';  // the options chosen for it (JSON), to offer "Reload" when they change
  let progressFrame = 0;
  let pendingProgress = null;

  // ---------- static layout ----------
  const fileInput = h('input', {
    type: 'file', id: 'file-input', class: 'visually-hidden',
    accept: '.csv,.tsv,.txt,.json,.ndjson,.jsonl,.xlsx,.xlsm,.xls,.ods,text/csv,text/plain,application/json,'
      + 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,application/vnd.oasis.opendocument.spreadsheet',
    'aria-describedby': 'drop-hint', dataset: { testid: 'file-input' },
  });
  const dropZone = h('label', { class: 'dropzone', for: 'file-input', dataset: { testid: 'dropzone' } },
    icon('upload', 'icon dropzone-icon'),
    h('span', { class: 'dropzone-title' }, 'Drop a CSV, JSON or Excel file here'),
    h('span', { class: 'dropzone-sub', id: 'drop-hint' }, 'or ', h('span', { class: 'link-like' }, 'choose a file'),
      ' — CSV, TSV, semicolon or pipe separated, JSON or NDJSON, any size; Excel (.xlsx, .xls) or OpenDocument (.ods) workbooks'),
  );
  const sampleButton = h('button', { type: 'button', class: 'btn btn-secondary', dataset: { testid: 'sample' } },
    icon('sparkles'), 'Try sample data');
  const reloadButton = h('button', { type: 'button', class: 'btn btn-ghost', hidden: true, dataset: { testid: 'reload' } },
    icon('refresh'), 'Reload with these options');

  // Every core: a file from POOL_MIN_BYTES on (or any file, when chosen) is read by a pool of
  // workers, one shard each (CrmlensPool); Profile and Segments work on the shards.
  const cores = poolWorkers();
  const workersSelect = h('select', { id: 'opt-workers', name: 'workers', dataset: { testid: 'workers-mode' } },
    h('option', { value: 'auto' }, `Every core (${cores} workers) for files over ${fmtBytes(POOL_MIN_BYTES)}`),
    h('option', { value: 'pool' }, `Every core (${cores} workers)`),
    h('option', { value: 'one' }, 'One worker'));
  const workersField = h('div', { class: 'field workers-field' }, h('label', { for: 'opt-workers' }, 'Workers'), workersSelect);

  const selects = {};
  const optionsGrid = h('div', { class: 'options-grid' }, OPTION_FIELDS.map((f) => {
    const id = `opt-${f.key}`;
    selects[f.key] = h('select', { id, name: f.key }, f.choices.map(([value, label]) => h('option', { value }, label)));
    return h('div', { class: 'field' }, h('label', { for: id }, f.label), selects[f.key]);
  }));
  const optionsBox = h('details', { class: 'options' },
    h('summary', {}, 'Reading options'),
    optionsGrid,
    h('p', { class: 'hint' }, 'Everything is detected by default; set an option only when detection guesses wrong.'));

  const loader = h('section', { class: 'card loader', 'aria-labelledby': 'load-title' },
    h('h2', { id: 'load-title', class: 'visually-hidden' }, 'Load data'),
    fileInput, dropZone,
    h('div', { class: 'loader-actions' },
      sampleButton,
      h('span', { class: 'sample-credit' }, SAMPLE.credit, ' · ', h('a', { href: 'sample/ATTRIBUTION.md', target: '_blank', rel: 'noopener' }, 'attribution')),
      h('span', { class: 'spacer' }),
      reloadButton),
    workersField,
    optionsBox);

  const status = h('div', { class: 'status', 'aria-live': 'polite', dataset: { testid: 'status' } });
  const result = h('div', { class: 'result', dataset: { testid: 'result' } });

  replace(root,
    h('header', { class: 'view-header' },
      h('h1', {}, 'Data'),
      h('p', { class: 'lede' }, 'Load customers, orders or transactions. The file is read by WebAssembly in a background worker of this tab: it is never uploaded.')),
    loader, status, result);

  // ---------- events ----------
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    fileInput.value = ''; // choosing the same file again must fire 'change' again
    if (file) start({ file });
  });
  sampleButton.addEventListener('click', () => start({ sample: true }));
  reloadButton.addEventListener('click', () => { if (lastSource) start(lastSource); });
  for (const s of Object.values(selects)) s.addEventListener('change', updateReload);

  let dragDepth = 0;
  const onDragEnter = (e) => { if (hasFiles(e)) { dragDepth++; dropZone.classList.add('dragging'); } };
  const onDragLeave = () => { if (--dragDepth <= 0) { dragDepth = 0; dropZone.classList.remove('dragging'); } };
  const onDragOver = (e) => { if (hasFiles(e)) { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; } };
  const onDrop = (e) => {
    e.preventDefault();
    dragDepth = 0;
    dropZone.classList.remove('dragging');
    if (controller) return;
    const file = e.dataTransfer?.files?.[0];
    if (file) start({ file });
  };
  dropZone.addEventListener('dragenter', onDragEnter);
  dropZone.addEventListener('dragleave', onDragLeave);
  dropZone.addEventListener('dragover', onDragOver);
  dropZone.addEventListener('drop', onDrop);

  // Returning to this view: show what is loaded.
  if (session.current) showLoaded(session.current);

  return () => {
    cancelAnimationFrame(progressFrame);
    controller = null; // a load still running continues in the session; this DOM is gone
  };

  // ---------- loading ----------
  function readOptions() {
    const o = {};
    const { delimiter, header, dateOrder, onBadRows } = Object.fromEntries(Object.entries(selects).map(([k, s]) => [k, s.value]));
    if (delimiter) o.delimiter = delimiter;
    if (header) o.header = header === 'true';
    if (dateOrder) o.dateOrder = dateOrder;
    if (onBadRows) o.onBadRows = onBadRows;
    return o;
  }

  function updateReload() {
    reloadButton.hidden = !lastSource || !!controller || JSON.stringify(readOptions()) === lastOptions;
  }

  function setBusy(busy) {
    sampleButton.disabled = busy;
    fileInput.disabled = busy;
    dropZone.classList.toggle('disabled', busy);
    dropZone.setAttribute('aria-disabled', String(busy));
    updateReload();
  }

  async function start(source) {
    if (controller) return;
    const ctl = new AbortController();
    controller = ctl;
    lastSource = source;
    lastOptions = JSON.stringify(readOptions());
    const name = source.sample ? SAMPLE.name : source.file.name || 'file';
    const options = source.sample ? { ...SAMPLE.options, ...readOptions() } : readOptions();
    replace(result);
    const progress = showProgress(name, source.file?.size, ctl);
    setBusy(true);
    try {
      let blob = source.file;
      if (source.sample) {
        progress.text('Fetching the sample file from this site…');
        blob = await fetchSample(ctl.signal);
      }
      progress.text('Starting…');
      const onProgress = (p) => {
        pendingProgress = p;
        if (!progressFrame) progressFrame = requestAnimationFrame(() => { progressFrame = 0; progress.update(pendingProgress); });
      };
      if (source.file && WORKBOOK.test(name)) {
        source.sheets ??= await session.worker.sheets(blob);
        if (source.sheet) options.sheet = source.sheet;
      }
      const mode = workersSelect.value;
      const pooled = !!source.file && !WORKBOOK.test(name) && (mode === 'pool' || (mode === 'auto' && blob.size >= POOL_MIN_BYTES));
      if (pooled) {
        progress.pooled(cores);
        progress.text(`Starting ${cores} workers…`);
      }
      const loaded = pooled
        ? await session.loadPooled(blob, { name, options, onProgress, signal: ctl.signal, split: mode === 'pool' })
        : await session.load(blob, { name, options, onProgress, signal: ctl.signal });
      // The last progress (every byte read) is shown, not dropped with its pending frame.
      if (progressFrame) { cancelAnimationFrame(progressFrame); progressFrame = 0; progress.update(pendingProgress); }
      const rows = await session.rows(0, PREVIEW_ROWS);
      if (controller !== ctl) return;
      await showLoaded(loaded, rows);
      if (source.sheets?.length > 1) result.prepend(sheetPicker(source));
    } catch (err) {
      if (controller !== ctl) return;
      if (ctl.signal.aborted || isAbort(err)) showCancelled(name, progress.last);
      else showError(name, err);
    } finally {
      cancelAnimationFrame(progressFrame);
      progressFrame = 0;
      if (controller === ctl) {
        controller = null;
        setBusy(false);
      }
    }
  }

  /** The sheets of the loaded workbook; choosing one loads it. */
  function sheetPicker(source) {
    const select = h('select', { id: 'sheet-select', dataset: { testid: 'sheet-select' } },
      source.sheets.map((s) => h('option', { value: s }, s)));
    select.value = source.sheet ?? source.sheets[0];
    select.addEventListener('change', () => start({ ...source, sheet: select.value }));
    return h('div', { class: 'card field sheet-picker', dataset: { testid: 'sheet-picker' } },
      h('label', { for: 'sheet-select' }, `Sheet (${source.sheets.length} in this workbook)`), select);
  }

  async function fetchSample(signal) {
    let res;
    try {
      res = await fetch(SAMPLE.url, { method: 'GET', credentials: 'same-origin', cache: 'no-store', signal });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw Object.assign(new Error(`The sample file could not be fetched: ${err?.message ?? err}`), { code: 'SAMPLE_UNAVAILABLE' });
    }
    if (!res.ok) throw Object.assign(new Error(`The sample file could not be fetched (HTTP ${res.status}).`), { code: 'SAMPLE_UNAVAILABLE' });
    const bytes = await res.blob();
    return new File([bytes], SAMPLE.name, { type: 'text/csv' });
  }

  // ---------- status panels ----------
  function showProgress(name, size, ctl) {
    const bar = h('progress', { class: 'progress', max: 1, value: 0, 'aria-label': `Reading ${name}` });
    const text = h('span', { class: 'progress-text', dataset: { testid: 'progress-text' } }, 'Starting…');
    const pct = h('span', { class: 'progress-pct' }, '');
    const cancel = h('button', { type: 'button', class: 'btn btn-danger-ghost', dataset: { testid: 'cancel' } }, icon('stop'), 'Cancel');
    const panel = h('section', { class: 'card progress-card', 'aria-busy': 'true', dataset: { testid: 'progress', bytes: 0, rows: 0 } },
      h('div', { class: 'progress-head' },
        h('div', { class: 'progress-file' }, icon('file'), h('strong', {}, name), size != null ? h('span', { class: 'muted' }, fmtBytes(size)) : null),
        cancel),
      bar,
      h('div', { class: 'progress-foot' }, text, pct));
    cancel.addEventListener('click', () => {
      cancel.disabled = true;
      replace(cancel, icon('stop'), 'Cancelling…');
      ctl.abort();
    });
    replace(status, panel);
    let workers = '';
    const api = {
      last: null,
      text(t) { text.textContent = t; },
      pooled(n) { workers = ` · ${n} workers`; panel.dataset.workers = String(n); },
      update(p) {
        api.last = p;
        const total = p.totalBytes || 0;
        bar.max = total || 1;
        bar.value = Math.min(p.bytesRead, bar.max);
        panel.dataset.bytes = String(p.bytesRead);
        panel.dataset.rows = String(p.rows);
        const done = total > 0 && p.bytesRead >= total;
        pct.textContent = total ? fmtShare(p.bytesRead, total).replace('<', '') : '';
        text.textContent = done
          ? `${fmtInt(p.rows)} rows read · typing the columns…`
          : `${fmtBytes(p.bytesRead)} of ${fmtBytes(total)} · ${fmtInt(p.rows)} rows${workers}`;
      },
    };
    return api;
  }

  function showCancelled(name, last) {
    const detail = last
      ? `Stopped after ${fmtBytes(last.bytesRead)} (${fmtInt(last.rows)} rows) of ${name}. Nothing was kept.`
      : `Loading of ${name} was stopped. Nothing was kept.`;
    replace(status, h('section', { class: 'card notice notice-neutral', role: 'status', dataset: { testid: 'cancelled' } },
      icon('stop', 'icon notice-icon'),
      h('div', {}, h('h2', { class: 'notice-title' }, 'Cancelled'), h('p', {}, detail))));
  }

  function showError(name, err) {
    const facts = [['Code', err?.code], ['Kind', err?.kind], ['Line', err?.line], ['Column', err?.column], ['Field', err?.field]]
      .filter(([, v]) => v !== undefined && v !== null && v !== '');
    replace(status, h('section', { class: 'card notice notice-error', role: 'alert', dataset: { testid: 'error', code: err?.code ?? '' } },
      icon('alert', 'icon notice-icon'),
      h('div', {},
        h('h2', { class: 'notice-title' }, `Could not load ${name}`),
        h('p', { class: 'error-message' }, String(err?.message ?? err)),
        facts.length ? h('dl', { class: 'error-facts' }, facts.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', { dataset: { fact: k.toLowerCase() } }, String(v))))) : null)));
  }

  // ---------- result ----------
  async function showLoaded(ds, rows) {
    replace(status);
    rows ??= await session.rows(0, PREVIEW_ROWS).catch(() => []);
    if (session.current !== ds) return;
    replace(result,
      summaryCard(ds),
      issuesCard(ds),
      columnsCard(ds),
      previewCard(ds, rows));
  }

  function loadIsClean(ds) {
    const src = ds.source;
    return !src.skippedRows && !src.repairedRows && !ds.issues.length && ds.numRows > 0;
  }

  function summaryCard(ds) {
    const src = ds.source;
    const fact = (key, label, value, extra = {}) =>
      h('div', { class: `fact ${extra.class ?? ''}`.trim(), dataset: { fact: key } }, h('dt', {}, label), h('dd', {}, value));
    const used = Object.entries(ds.options ?? {}).map(([k, v]) => OPTION_WORDS[k]?.(v)).filter(Boolean);
    return h('section', { class: 'card summary', 'aria-labelledby': 'summary-title', dataset: { testid: 'summary' } },
      h('div', { class: 'summary-head' },
        // A green check only for a load that needed no repair; otherwise the warning sign
        // (the issues card below says what happened).
        h('div', { class: 'summary-file', dataset: { testid: 'load-status', status: loadIsClean(ds) ? 'ok' : 'warn' } },
          loadIsClean(ds) ? icon('check', 'icon ok-icon') : icon('alert', 'icon warn-icon'),
          h('h2', { id: 'summary-title' }, ds.name)),
        h('span', { class: 'muted' }, `${fmtBytes(src.bytes)} · ${String(src.format).toUpperCase()} · read in ${fmtDuration(ds.ms)}`)),
      h('dl', { class: 'facts' },
        fact('rows', 'Rows', fmtInt(ds.numRows), { class: 'fact-big' }),
        fact('columns', 'Columns', fmtInt(ds.columns.length), { class: 'fact-big' }),
        fact('encoding', 'Encoding', src.encoding),
        fact('delimiter', 'Delimiter', fmtDelimiter(src.delimiter)
          + (src.delimiterConfidence != null && src.delimiterConfidence < 0.9 ? ` (sniffed, confidence ${Math.round(src.delimiterConfidence * 100)}%)` : '')),
        fact('header', 'Header', src.format === 'csv' ? (src.header ? 'yes' : 'no') : '—'),
        fact('skipped', 'Skipped rows', fmtInt(src.skippedRows), { class: src.skippedRows ? 'fact-warn' : '' }),
        fact('repaired', 'Repaired rows', fmtInt(src.repairedRows), { class: src.repairedRows ? 'fact-warn' : '' }),
        fact('workers', 'Read by', ds.pooled ? `${fmtInt(ds.workers)} workers (${fmtInt(ds.shards)} ${ds.shards === 1 ? 'shard' : 'shards'})` : 'one worker')),
      ds.pooled ? h('p', { class: 'hint', dataset: { testid: 'pool-hint' } }, `Held by ${fmtInt(ds.workers)} workers, one shard each: Profile and Segments use every core; the other views read the file again in one worker when opened.`) : null,
      src.truncated ? h('p', { class: 'hint' }, 'Reading stopped at the row limit: this is a preview of the file.') : null,
      used.length ? h('p', { class: 'hint', dataset: { testid: 'options-used' } }, `Read with: ${used.join(', ')}.`) : null,
      ds.role ? h('p', { class: 'hint', dataset: { testid: 'workspace-role' } }, `Kept in the workspace as ${ds.role} (${session.tables.length} ${session.tables.length === 1 ? 'table' : 'tables'}). `,
        h('a', { href: '#/workspace' }, 'Workspace: roles, joins, save')) : null);
  }

  function issuesCard(ds) {
    const total = ds.issueCounts.reduce((s, c) => s + c.count, 0);
    if (!total && !ds.issues.length) return null;
    const shown = ds.issues.slice(0, ISSUES_SHOWN);
    return h('section', { class: 'card issues', 'aria-labelledby': 'issues-title', dataset: { testid: 'issues' } },
      h('div', { class: 'card-head' },
        h('h2', { id: 'issues-title' }, icon('alert', 'icon warn-icon'), 'Issues'),
        h('span', { class: 'muted' }, `${fmtInt(total)} found while reading`)),
      h('ul', { class: 'chips' }, ds.issueCounts.map((c) =>
        h('li', { class: `chip chip-${c.action === 'skipped' ? 'bad' : 'warn'}` }, h('strong', {}, fmtInt(c.count)), ` ${c.kind} · ${c.action}`))),
      h('div', { class: 'table-wrap table-wrap-short' },
        h('table', { class: 'table' },
          h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'Line'), h('th', { class: 'num' }, 'Field'), h('th', {}, 'Kind'), h('th', {}, 'Action'), h('th', {}, 'What happened'))),
          h('tbody', {}, shown.map((i) => h('tr', {},
            h('td', { class: 'num' }, fmtInt(i.line)),
            h('td', { class: 'num' }, i.column == null ? '—' : fmtInt(i.column)),
            h('td', {}, i.kind),
            h('td', {}, h('span', { class: `tag tag-${i.action === 'skipped' ? 'bad' : 'warn'}` }, i.action)),
            h('td', { class: 'wrap' }, i.message)))))),
      total > shown.length ? h('p', { class: 'hint' }, `Showing the first ${fmtInt(shown.length)} of ${fmtInt(total)} issues.`) : null);
  }

  function columnsCard(ds) {
    return h('section', { class: 'card', 'aria-labelledby': 'columns-title', dataset: { testid: 'columns' } },
      h('div', { class: 'card-head' },
        h('h2', { id: 'columns-title' }, 'Columns'),
        h('span', { class: 'muted' }, 'types and roles as detected')),
      h('div', { class: 'table-wrap' },
        h('table', { class: 'table columns-table' },
          h('thead', {}, h('tr', {},
            h('th', { class: 'num' }, '#'), h('th', {}, 'Name'), h('th', {}, 'Type'), h('th', {}, 'Role'),
            h('th', { class: 'num' }, 'Missing'), h('th', {}, 'Format'))),
          h('tbody', {}, ds.columns.map((c, i) => h('tr', { dataset: { column: c.name } },
            h('td', { class: 'num muted' }, i + 1),
            h('td', { class: 'col-name' }, c.name),
            h('td', { class: 'col-type' }, h('span', { class: `type type-${c.type}` }, c.type)),
            h('td', { class: 'col-role' }, c.role ? h('span', { class: 'role' }, c.role) : h('span', { class: 'muted' }, '—')),
            h('td', { class: 'num col-missing', dataset: { count: c.nullCount } }, missingCell(c, ds.numRows)),
            h('td', { class: 'col-format' },
              c.format ? h('code', {}, c.format) : h('span', { class: 'muted' }, '—'),
              ...(c.warnings ?? []).map((w) => h('div', { class: 'col-warning hint', role: 'note' }, `⚠ ${w}`)))))))));
  }

  function missingCell(c, numRows) {
    if (!c.nullCount) return h('span', { class: 'muted' }, '0');
    const tokens = (c.missingTokens ?? []).map(([t, n]) => `${t} ×${fmtInt(n)}`).join(', ');
    return [
      h('span', { class: 'missing-count' }, fmtInt(c.nullCount)),
      h('span', { class: 'missing-share muted' }, fmtShare(c.nullCount, numRows)),
      tokens ? h('span', { class: 'missing-tokens', title: `Read as missing: ${tokens}` }, tokens) : null,
    ];
  }

  function previewCard(ds, rows) {
    const cols = ds.columns;
    const caption = ds.numRows <= rows.length ? `All ${fmtInt(ds.numRows)} rows` : `First ${fmtInt(rows.length)} of ${fmtInt(ds.numRows)} rows`;
    return h('section', { class: 'card', 'aria-labelledby': 'preview-title', dataset: { testid: 'preview' } },
      h('div', { class: 'card-head' },
        h('h2', { id: 'preview-title' }, 'Rows'),
        h('span', { class: 'muted' }, caption)),
      h('div', { class: 'table-wrap table-wrap-tall', tabindex: 0, role: 'region', 'aria-label': 'First rows of the data' },
        h('table', { class: 'table data-table' },
          h('thead', {}, h('tr', {},
            h('th', { class: 'num rownum', scope: 'col' }, '#'),
            cols.map((c) => h('th', { scope: 'col', class: NUMERIC_TYPES.has(c.type) ? 'num' : null, title: `${c.name} (${c.type})` },
              h('span', { class: 'th-name' }, c.name), h('span', { class: 'th-type' }, c.type))))),
          h('tbody', {}, rows.map((row, i) => h('tr', {},
            h('td', { class: 'num rownum' }, fmtInt(i + 1)),
            cols.map((c) => {
              const text = fmtCell(row[c.name], c.type);
              const numeric = NUMERIC_TYPES.has(c.type);
              if (text === null) return h('td', { class: numeric ? 'num' : null }, h('span', { class: 'null' }, 'missing'));
              // A long text (a review, a note) is shortened to two lines with "more".
              if (text.length > LONG_CELL) return h('td', { class: 'text wrap' }, clamp(text, text.length, LONG_CELL));
              return h('td', { class: numeric ? 'num' : c.type === 'text' ? 'text' : null, title: text.length > 40 ? text : null }, text);
            })))))));
  }
}

function hasFiles(e) {
  return [...(e.dataTransfer?.types ?? [])].includes('Files');
}
