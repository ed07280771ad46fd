// Save and reopen the workspace in this browser only: every table (as Dataset bytes, the
// package's compact binary form read back by fromBytes with every type intact; as CSV
// written by the package when the worker has no bytes ops), its role and kind, the join
// keys, the Customer value result (model, segments, cohorts), the fitted recommender, the
// Predict view's model (its JSON form), the Rules view's rules with their last snapshot and
// settings (the predictions, rule events, segment labels and sentiment roll-up themselves
// are workspace tables, saved with the others), the Segments, Sentiment and Profile results
// (lib/pack.js) and the chosen currency; the whole encrypted with a passphrase (WebCrypto:
// PBKDF2-SHA-256, 310,000 iterations, random 16-byte salt → AES-256-GCM, random 12-byte IV)
// and kept in IndexedDB. Nothing leaves the device; without the passphrase the stored bytes
// are unreadable.

import { pack, unpack } from './pack.js';
import { currencyCode, setCurrency } from './format.js';

const DB = 'crmlens-workspace';
const STORE = 'vault';
const KEY = 'workspace';
export const ITERATIONS = 310_000;
const FORMAT = 1;

function db() {
  return new Promise((ok, fail) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });
}

async function tx(mode, fn) {
  const d = await db();
  try {
    return await new Promise((ok, fail) => {
      const t = d.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => ok(req?.result);
      t.onerror = () => fail(t.error);
      t.onabort = () => fail(t.error);
    });
  } finally {
    d.close();
  }
}

async function deriveKey(passphrase, salt, iterations) {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', salt, iterations, hash: 'SHA-256' }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

async function gzip(bytes) {
  if (typeof CompressionStream === 'undefined') return { bytes, gzip: false };
  const out = await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
  return { bytes: new Uint8Array(out), gzip: true };
}

async function gunzip(bytes) {
  const out = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
  return new Uint8Array(out);
}

export class WrongPassphrase extends Error {
  constructor() {
    super('Wrong passphrase: the saved workspace could not be decrypted with it.');
    this.name = 'WrongPassphrase';
    this.code = 'WRONG_PASSPHRASE';
  }
}

/** { savedAt, tables, bytes } of the saved workspace (not secret), or null. */
export async function savedInfo() {
  const rec = await tx('readonly', (s) => s.get(KEY));
  return rec ? { savedAt: rec.savedAt, tables: rec.tables, bytes: rec.data.byteLength } : null;
}

/** Encrypts and stores `payload` (any JSON value). */
export async function save(payload, passphrase) {
  if (!passphrase) throw new Error('A passphrase is needed to save.');
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await deriveKey(passphrase, salt, ITERATIONS);
  const packed = await gzip(new TextEncoder().encode(JSON.stringify(payload)));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, packed.bytes);
  const rec = { format: FORMAT, kdf: 'PBKDF2-SHA-256', iterations: ITERATIONS, salt, iv, gzip: packed.gzip, data, savedAt: new Date().toISOString(), tables: payload.tables?.length ?? 0 };
  await tx('readwrite', (s) => s.put(rec, KEY));
  return { savedAt: rec.savedAt, bytes: data.byteLength };
}

/** Decrypts the stored workspace; WrongPassphrase when the passphrase does not open it. */
export async function open(passphrase) {
  const rec = await tx('readonly', (s) => s.get(KEY));
  if (!rec) return null;
  if (rec.format !== FORMAT) throw new Error(`Saved workspace format ${rec.format} is not known to this version.`);
  const key = await deriveKey(passphrase, rec.salt, rec.iterations);
  let plain;
  try {
    plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: rec.iv }, key, rec.data));
  } catch {
    throw new WrongPassphrase();
  }
  if (rec.gzip) plain = await gunzip(plain);
  return JSON.parse(new TextDecoder().decode(plain));
}

/** Deletes the saved workspace (and the database). */
export async function forget() {
  await tx('readwrite', (s) => s.delete(KEY));
  await new Promise((ok) => { const r = indexedDB.deleteDatabase(DB); r.onsuccess = r.onerror = r.onblocked = () => ok(); });
}

/** The workspace of `session` as a JSON payload: tables as CSV (written by the package), roles, joins. */
export async function snapshot(session) {
  const w = session.worker;
  const tables = [];
  const asBytes = typeof w.toBytes === 'function' && typeof w.fromBytes === 'function';
  for (const t of session.tables) {
    const { handle, columns, source, issues, issueCounts, numRows, numColumns, memoryBytes, ...meta } = t;
    if (asBytes) tables.push({ meta, bytes: toBase64(await w.toBytes(t.handle)) });
    else tables.push({ meta, csv: await w.toCsv(t.handle, { escapeFormulas: false }) });
  }
  return { app: 'crmlens', version: FORMAT, tables, joins: session.joins, current: session.current?.name ?? null, results: await keptResults(session),
    settings: { currency: currencyCode() } };
}

const plainError = (x) => (x?.error ? { error: { message: x.error.message, code: x.error.code ?? null } } : x ?? null);

/**
 * Results views keep across switches: the Customer value model, segments summary and
 * cohorts (its customer table is saved above), and the fitted recommender (its own JSON
 * form, with the evaluation, basket rules and product names shown beside it).
 */
async function keptResults(session) {
  const out = {};
  const v = session.stashed('value');
  if (v && session.table(v.table)) out.value = { input: v.input, table: v.table, form: v.form, model: v.result.model, cohorts: v.result.cohorts };
  const rec = session.stashed('recommender');
  if (rec?.model != null) {
    out.recommender = { input: rec.input, json: await session.worker.recommenderToJSON(rec.model),
      evaluation: plainError(rec.evaluation), rules: plainError(rec.rules), names: [...(rec.names ?? new Map())] };
  }
  // The Predict view's model (its own JSON form, which brings its quality and importance back)
  // and what it was trained on; its scored table is one of the tables above.
  const pred = session.stashed('predict');
  if (pred?.p?.predictor != null && session.table(pred.table)) {
    out.predict = { input: pred.input, table: pred.table, txReport: pred.txReport ?? null, ms: pred.ms, choice: pred.choice ?? null, json: await session.worker.predictorToJSON(pred.p.predictor) };
  }
  // The Rules view's rules, last snapshot and settings (plain JSON: rules as text or JSON Logic).
  const rules = session.stashed('rules');
  if (rules && (rules.rules?.length || rules.previous)) out.rules = JSON.parse(JSON.stringify(rules));
  // The Segments, Sentiment and Profile results of a table still in the workspace (their
  // per-customer tables, segment labels and sentiment roll-up, are tables above): typed arrays
  // and Maps through lib/pack.js. Sentiment keeps its scores, labels and roll-up, not the
  // per-text aspect lists (only their summary is shown).
  const seg = session.stashed('segments');
  if (seg?.r && session.table(seg.input)) out.segments = pack(seg);
  const st = session.stashed('sentiment');
  if (st?.data && session.table(st.input)) {
    const { r } = st.data;
    const slim = { compound: r.compound, label: r.label, language: r.language, summary: r.summary, customers: r.customers,
      aspects: r.aspects ? { summary: r.aspects.summary } : undefined };
    out.sentiment = pack({ ...st, data: { ...st.data, r: slim } });
  }
  const prof = session.stashed('profile');
  if (prof?.rep && session.table(prof.input)) out.profile = pack(prof);
  return out;
}

/** Puts the saved results back (after the tables), so the views show them again. */
async function restoreResults(session, results = {}) {
  const v = results.value;
  const table = v && session.table(v.table);
  if (table) session.stash('value', { input: v.input, table: v.table, form: v.form, result: { customers: table, model: v.model, cohorts: v.cohorts } });
  const r = results.recommender;
  if (r?.json) {
    const fitted = await session.worker.recommenderFromJSON(r.json);
    session.stash('recommender', { model: fitted.model, fitted, input: r.input, evaluation: r.evaluation, rules: r.rules, names: new Map(r.names ?? []) });
  }
  const pr = results.predict;
  if (pr?.json && session.table(pr.table)) {
    const p = await session.worker.predictorFromJSON(pr.json);
    session.stash('predict', { input: pr.input, table: pr.table, p, txReport: pr.txReport, ms: pr.ms, choice: pr.choice ?? null });
  }
  if (results.rules && typeof results.rules === 'object') session.stash('rules', results.rules);
  for (const key of ['segments', 'sentiment', 'profile']) {
    const kept = results[key] && unpack(results[key]);
    if (kept && session.table(kept.input)) session.stash(key, kept);
  }
}

/** Loads a snapshot's tables into the worker and the workspace (replacing what is there). */
export async function restore(session, payload) {
  await session.reset();
  const w = session.worker;
  for (const { meta, csv, bytes } of payload.tables) {
    const summary = bytes != null ? await w.fromBytes(fromBase64(bytes))
      : await w.load(csv, meta.options?.dateOrder ? { dateOrder: meta.options.dateOrder } : {});
    session.addTable(summary, meta);
  }
  for (const j of payload.joins ?? []) session.setJoin(j);
  await restoreResults(session, payload.results);
  if (typeof payload.settings?.currency === 'string') setCurrency(payload.settings.currency);
  if (payload.current) session.use(payload.current);
}

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
