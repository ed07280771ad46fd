// Exports through the package's one CSV writer (crmlens toCsv: quoting, formula
// neutralisation, optional UTF-8 byte order mark for Excel), with meaningful file names.

/** CSV text of plain row objects, written by crmlens in the worker (the rows are loaded as a JSON table first). */
export async function rowsToCsv(worker, names, rows, { bom = false } = {}) {
  const objects = rows.map((r) => Object.fromEntries(names.map((n, j) => [n, r[j] ?? null])));
  const ds = await worker.load(JSON.stringify(objects), { format: 'json' });
  try {
    return await worker.toCsv(ds.handle, { bom });
  } finally {
    await worker.free(ds.handle);
  }
}

/** "customers_segment-at-risk_2026-12-07.csv": parts joined, each folded to letters, digits and dashes. */
export function fileName(...parts) {
  const day = new Date().toISOString().slice(0, 10);
  const slug = (s) => String(s).normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60);
  return `${[...parts.filter(Boolean).map(slug).filter(Boolean), day].join('_')}.csv`;
}

/** Offers `text` as a download called `name` (a blob: URL, revoked after the click). */
export function download(text, name) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
