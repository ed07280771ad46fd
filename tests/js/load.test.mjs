// The package in Node on real files from ../shared/data (see shared/data/MANIFEST.md).
// Expected values come from independent sources: the MANIFEST's published counts, and a
// small oracle CSV reader (_util.mjs) run over the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openAsBlob } from 'node:fs';
import { Dataset } from '../../pkg/node.js';
import {
  assertRejectsCrmlens, assertSameDataset, dataPath, makeGbEncoder, parseCsv, readData,
} from './_util.mjs';

const TELCO = 'telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv';
const TELCO_DIRTY = 'telco_customer_churn/Telco-Customer-Churn.DirtyDF-variant.csv';
const BANK = 'bank_marketing/bank.csv';
const RETAIL = 'online_retail_uci_first5000/online_retail_small.csv';
const UITEM = 'movielens_ml-100k/u.item';
const CDNOW = 'cdnow_lifetimes/CDNOW_master.txt';
const WAIMAI = 'waimai_10k/waimai_10k.csv';
const MALL = 'mall_customers/Mall_Customers.csv';

const byName = (ds) => Object.fromEntries(ds.columns().map((c) => [c.name, c]));
const isBlank = (s) => s.trim() === '';
const count = (xs, pred) => { let n = 0; for (const x of xs) if (pred(x)) n++; return n; };

test('Telco churn: shape, types, roles, nulls and values match the raw file', () => {
  const bytes = readData(TELCO);
  const raw = parseCsv(bytes.toString('utf8'));
  const header = raw[0];
  const body = raw.slice(1);
  assert.equal(body.length, 7043);

  using_(Dataset.fromCsv(bytes), (ds) => {
    assert.equal(ds.numRows, 7043);
    assert.equal(ds.numColumns, 21);
    const cols = ds.columns();
    assert.deepEqual(cols.map((c) => c.name), header);
    const c = byName(ds);
    assert.equal(c.customerID.type, 'text');
    assert.equal(c.customerID.role, 'id');
    assert.equal(c.customerID.nullCount, 0);
    assert.equal(c.SeniorCitizen.type, 'int64');
    assert.equal(c.tenure.type, 'int64');
    assert.equal(c.Churn.type, 'bool');
    assert.equal(c.TotalCharges.type, 'float64');
    assert.equal(c.TotalCharges.nullCount, 11);
    assert.equal(c.MonthlyCharges.type, 'float64');

    // Every column's null count equals the blank cells of the raw file (this copy has a
    // few blanks besides the 11 " " TotalCharges, e.g. gender on rows 2-4).
    for (const [j, name] of header.entries()) {
      assert.equal(c[name].nullCount, count(body, (r) => isBlank(r[j])), `nullCount of ${name}`);
    }

    const s = ds.source;
    assert.deepEqual(
      { format: s.format, encoding: s.encoding, delimiter: s.delimiter, header: s.header, bytes: s.bytes, records: s.records, skippedRows: s.skippedRows, repairedRows: s.repairedRows, truncated: s.truncated },
      { format: 'csv', encoding: 'UTF-8', delimiter: ',', header: true, bytes: bytes.length, records: 7043, skippedRows: 0, repairedRows: 0, truncated: false },
    );
    assert.deepEqual(ds.issues, []);

    // Values, cell by cell, against the oracle.
    const j = (n) => header.indexOf(n);
    const total = ds.column('TotalCharges');
    assert.ok(total instanceof Float64Array);
    body.forEach((r, i) => {
      const v = r[j('TotalCharges')];
      if (isBlank(v)) assert.ok(Number.isNaN(total[i]), `TotalCharges[${i}] should be NaN`);
      else assert.equal(total[i], Number(v), `TotalCharges[${i}]`);
    });
    assert.deepEqual(ds.column('customerID'), body.map((r) => r[j('customerID')]));
    assert.deepEqual(Array.from(ds.column('SeniorCitizen')), body.map((r) => Number(r[j('SeniorCitizen')])));
    const churn = ds.column('Churn');
    assert.deepEqual(churn, body.map((r) => r[j('Churn')] === 'Yes'));
    assert.equal(count(churn, (x) => x === true), 1869); // MANIFEST: Churn Yes 1,869
    assert.deepEqual(ds.column('Contract'), body.map((r) => r[j('Contract')]));

    const first = ds.rows(0, 1)[0];
    assert.equal(first.customerID, '7590-VHVEG');
    assert.equal(first.TotalCharges, 29.85);
    assert.equal(first.Partner, true);
    assert.equal(ds.rows(7042, 10).length, 1);
    assert.equal(ds.rows(7042, 10)[0].customerID, body[7042][0]);
  });
});

test('Telco DirtyDF variant (UTF-8 BOM + NA): same table as the canonical copy', () => {
  const canonicalBytes = readData(TELCO);
  const dirtyBytes = readData(TELCO_DIRTY);
  assert.deepEqual([...dirtyBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the variant starts with a BOM');
  const rawCanon = parseCsv(canonicalBytes.toString('utf8')).slice(1);

  using_(Dataset.fromCsv(canonicalBytes), (canon) => using_(Dataset.fromCsv(dirtyBytes), (dirty) => {
    assert.equal(dirty.numRows, 7043);
    assert.equal(dirty.numColumns, 21);
    assert.equal(dirty.columns()[0].name, 'customerID', 'BOM must not leak into the first column name');
    assert.equal(dirty.source.encoding, 'UTF-8');
    assert.deepEqual(dirty.issues, []);
    const strip = (c) => ({ name: c.name, type: c.type, role: c.role });
    assert.deepEqual(dirty.columns().map(strip), canon.columns().map(strip));

    const tc = byName(dirty).TotalCharges;
    assert.equal(tc.type, 'float64');
    assert.equal(tc.nullCount, 11);
    assert.deepEqual(tc.missingTokens, [['NA', 11]]);
    assert.deepEqual(dirty.column('TotalCharges'), canon.column('TotalCharges'));

    // Everything else is identical except the cells the canonical copy has blank.
    const header = canon.columns().map((c) => c.name);
    let differing = 0;
    for (const [j, name] of header.entries()) {
      const a = canon.column(name);
      const b = dirty.column(name);
      for (let i = 0; i < a.length; i++) {
        const same = Object.is(a[i], b[i]);
        if (!same) {
          differing++;
          assert.ok(isBlank(rawCanon[i][j]), `${name}[${i}]: ${a[i]} vs ${b[i]} differ but the canonical cell is not blank`);
        }
      }
    }
    const blanksOutsideTotal = rawCanon.reduce((n, r) => n + r.filter((v, j) => isBlank(v) && header[j] !== 'TotalCharges').length, 0);
    assert.equal(differing, blanksOutsideTotal);
  }));
});

test('bank marketing: ";" sniffed, 4521 x 17, balance int64, quotes removed', () => {
  const bytes = readData(BANK);
  const raw = parseCsv(bytes.toString('utf8'), ';');
  using_(Dataset.fromCsv(bytes), (ds) => {
    assert.equal(ds.source.delimiter, ';');
    assert.equal(ds.source.header, true);
    assert.equal(ds.numRows, 4521);
    assert.equal(ds.numColumns, 17);
    assert.deepEqual(ds.columns().map((c) => c.name), raw[0]);
    const c = byName(ds);
    assert.equal(c.balance.type, 'int64');
    assert.equal(c.age.type, 'int64');
    const jb = raw[0].indexOf('balance');
    assert.deepEqual(Array.from(ds.column('balance')), raw.slice(1).map((r) => Number(r[jb])));
    assert.ok(Math.min(...ds.column('balance')) < 0, 'balance has negative values');
    assert.deepEqual(ds.column('job'), raw.slice(1).map((r) => r[raw[0].indexOf('job')]));
    assert.equal(ds.column('job')[0], 'unemployed');
    const y = ds.column('y');
    assert.equal(c.y.type, 'bool');
    assert.equal(count(y, (v) => v === true), 521); // MANIFEST: yes 521
  });
});

test('online retail: day-first datetimes, CustomerID int64 with nulls, negative quantities', () => {
  const bytes = readData(RETAIL);
  const raw = parseCsv(bytes.toString('utf8'));
  const h = raw[0];
  const body = raw.slice(1);
  const col = (name) => body.map((r) => r[h.indexOf(name)]);
  using_(Dataset.fromCsv(bytes), (ds) => {
    assert.equal(ds.numRows, 5000);
    assert.equal(ds.numColumns, 8);
    const c = byName(ds);

    assert.equal(c.InvoiceDate.type, 'datetime');
    const dates = ds.column('InvoiceDate');
    assert.equal(dates[0], '2010-12-01T08:26:00');
    const iso = (s) => {
      const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/.exec(s);
      assert.ok(m, `unexpected raw date ${s}`);
      const p = (x) => x.padStart(2, '0');
      return `${m[3]}-${p(m[2])}-${p(m[1])}T${p(m[4])}:${m[5]}:00`;
    };
    assert.deepEqual(dates, col('InvoiceDate').map(iso));

    const ids = col('CustomerID');
    const expectedNulls = count(ids, isBlank);
    assert.equal(expectedNulls, 1205); // MANIFEST, and recounted here
    assert.equal(c.CustomerID.type, 'int64');
    assert.equal(c.CustomerID.nullCount, expectedNulls);
    const cid = ds.column('CustomerID');
    ids.forEach((v, i) => {
      if (isBlank(v)) assert.ok(Number.isNaN(cid[i]), `CustomerID[${i}] should be NaN`);
      else assert.equal(cid[i], Number(v), `CustomerID[${i}]`);
    });

    assert.equal(c.Quantity.type, 'int64');
    const q = ds.column('Quantity');
    assert.deepEqual(Array.from(q), col('Quantity').map(Number));
    assert.equal(count(q, (x) => x < 0), count(col('Quantity'), (x) => Number(x) < 0));
    assert.equal(count(q, (x) => x < 0), 72);
    assert.equal(Math.min(...q), -9360);

    // Quoted descriptions with commas and trailing spaces are read verbatim.
    assert.deepEqual(ds.column('Description'), col('Description').map((v) => (v === '' ? null : v)));
    assert.equal(c.UnitPrice.type, 'float64');
    assert.equal(ds.column('StockCode')[0], '85123A');
  });
});

test('movielens u.item: pipe, no header, latin-1 titles decode with encoding "latin1" and auto', () => {
  const bytes = readData(UITEM);
  const titles = new TextDecoder('latin1').decode(bytes).split('\n').filter(Boolean).map((l) => l.split('|')[1]);
  assert.equal(titles.length, 1682);
  const accented = titles.filter((t) => /[^\x00-\x7f]/.test(t));
  assert.ok(accented.length >= 9);
  assert.ok(titles.includes('Misérables, Les (1995)'));

  using_(Dataset.fromCsv(bytes, { encoding: 'latin1' }), (ds) => {
    assert.equal(ds.numRows, 1682);
    assert.equal(ds.numColumns, 24);
    assert.equal(ds.source.delimiter, '|');
    assert.equal(ds.source.header, false);
    assert.equal(ds.source.encoding, 'windows-1252', 'WHATWG maps the label latin1 to windows-1252');
    assert.deepEqual(ds.issues, []);
    assert.deepEqual(ds.column(ds.columns()[1].name), titles);
    assert.deepEqual(Array.from(ds.column(ds.columns()[0].name)), titles.map((_, i) => i + 1));
  });

  using_(Dataset.fromCsv(bytes), (auto) => {
    // The first non-ASCII byte is at offset 76,620 (line 543), after the first 64 KiB.
    assert.match(auto.source.encoding, /^(windows-1252|ISO-8859-1|ISO-8859-15)$/i, 'auto-detection should pick a latin-1 family encoding');
    assert.deepEqual(auto.issues, []);
    assert.deepEqual(auto.column(auto.columns()[1].name), titles);
    assert.equal(auto.numRows, 1682);
  });

  using_(Dataset.fromCsv(bytes, { encoding: 'utf-8' }), (utf8) => {
    // Forced UTF-8: each line with a latin-1 byte is repaired and listed.
    const badLines = new TextDecoder('latin1').decode(bytes).split('\n').map((l, i) => [l, i + 1]).filter(([l]) => /[^\x00-\x7f]/.test(l)).map(([, n]) => n);
    assert.deepEqual(utf8.issues.map((i) => [i.line, i.kind, i.action]), badLines.map((n) => [n, 'encoding', 'repaired']));
    assert.equal(utf8.source.repairedRows, badLines.length);
  });
});

test('CDNOW master: whitespace delimiter sniffed, YYYYMMDD dates, ids keep leading zeros', () => {
  const bytes = readData(CDNOW);
  const lines = bytes.toString('utf8').split('\n').filter((l) => l.trim() !== '').map((l) => l.trim().split(/\s+/));
  using_(Dataset.fromCsv(bytes), (ds) => {
    assert.equal(ds.source.delimiter, 'whitespace');
    assert.equal(ds.source.header, true);
    assert.equal(ds.numRows, 69659);
    assert.equal(ds.numColumns, 4);
    assert.deepEqual(ds.columns().map((c) => c.name), lines[0]);
    const c = byName(ds);
    assert.equal(c.date.type, 'date');
    const dates = ds.column('date');
    assert.equal(dates[0], '1997-01-01');
    assert.deepEqual(dates, lines.slice(1).map((r) => `${r[1].slice(0, 4)}-${r[1].slice(4, 6)}-${r[1].slice(6, 8)}`));
    assert.equal(c.customer_id.type, 'text');
    const ids = ds.column('customer_id');
    assert.equal(ids[0], '00001');
    assert.deepEqual(ids, lines.slice(1).map((r) => r[0]));
    assert.equal(new Set(ids).size, 23570); // MANIFEST: 23,570 customers
    assert.equal(c.number_of_cds.type, 'int64');
    let total = 0;
    for (const v of ds.column('dollar_value')) total += v;
    assert.equal(total.toFixed(2), '2500315.63'); // MANIFEST: total $2,500,315.63
  });
});

test('fromFile with chunkSize 4096 equals fromCsv on the whole file; progress is monotonic', async () => {
  for (const rel of [TELCO, RETAIL, CDNOW, TELCO_DIRTY]) {
    const bytes = readData(rel);
    const blob = await openAsBlob(dataPath(rel));
    const progress = [];
    const streamed = await Dataset.fromFile(blob, { chunkSize: 4096, onProgress: (p) => progress.push(p) });
    const whole = Dataset.fromCsv(bytes);
    try {
      assertSameDataset(streamed, whole, rel);
      assert.deepEqual(streamed.source, whole.source, `${rel} source`);
      assert.equal(streamed.toCsv(), whole.toCsv(), `${rel} toCsv`);

      assert.equal(progress.length, Math.ceil(bytes.length / 4096), `${rel}: one progress call per chunk`);
      for (const [i, p] of progress.entries()) {
        assert.equal(p.totalBytes, bytes.length);
        if (i > 0) {
          assert.ok(p.bytesRead > progress[i - 1].bytesRead, 'bytesRead increases');
          assert.ok(p.rows >= progress[i - 1].rows, 'rows never decrease');
        }
      }
      assert.equal(progress.at(-1).bytesRead, bytes.length);
      assert.ok(progress.at(-1).rows > 0 && progress.at(-1).rows <= whole.numRows);
    } finally {
      streamed.free();
      whole.free();
    }
  }
});

test('fromFile: an AbortSignal aborted from onProgress rejects with ABORTED; a pre-aborted one too', async () => {
  const blob = await openAsBlob(dataPath(TELCO));
  const controller = new AbortController();
  const seen = [];
  await assertRejectsCrmlens(
    Dataset.fromFile(blob, {
      chunkSize: 4096,
      signal: controller.signal,
      onProgress: (p) => { seen.push(p.bytesRead); if (p.bytesRead >= 40960) controller.abort(); },
    }),
    'ABORTED',
  );
  assert.equal(seen.at(-1), 40960, 'no chunk is read after the abort');

  const pre = new AbortController();
  pre.abort();
  await assertRejectsCrmlens(Dataset.fromFile(blob, { signal: pre.signal }), 'ABORTED');

  // And the module is still fine afterwards.
  const ds = await Dataset.fromFile(blob, { chunkSize: 65536 });
  assert.equal(ds.numRows, 7043);
  ds.free();
});

test('fromFile(Blob): a timer runs during the load and its abort stops it (fuzz finding 12)', async () => {
  // Finding 12: Blob slices resolve as microtasks, so a timer-driven abort never ran before
  // the whole load was done (80,001 chunks, 2.5 s, the timer fired after).
  const blob = new Blob(['a,b\n' + '1,2\n'.repeat(1_000_000)]);
  const ac = new AbortController();
  let firedAt = null;
  const t0 = performance.now();
  setTimeout(() => { firedAt = performance.now() - t0; ac.abort(); }, 5);
  let chunks = 0;
  await assertRejectsCrmlens(
    Dataset.fromFile(blob, { chunkSize: 1000, signal: ac.signal, onProgress: () => chunks++ }),
    'ABORTED',
  );
  assert.ok(firedAt !== null, 'the timer ran during the load');
  assert.ok(chunks < 4000, `the load stopped soon after the abort (${chunks} of 4,001 chunks read)`);
});

test('JSON array and NDJSON inputs (strings, bytes and files) give the same typed table', async () => {
  const raw = parseCsv(readData(MALL).toString('utf8'));
  const h = raw[0];
  const objs = raw.slice(1).map((r) => ({
    [h[0]]: r[0], [h[1]]: r[1], [h[2]]: Number(r[2]), [h[3]]: Number(r[3]), [h[4]]: Number(r[4]),
  }));
  objs[3][h[2]] = null; // one null age
  const jsonText = JSON.stringify(objs, null, 1);
  const ndjsonText = objs.map((o) => JSON.stringify(o)).join('\n') + '\n';

  const check = (ds, format) => {
    assert.equal(ds.source.format, format);
    assert.equal(ds.numRows, 200);
    // (Column order is checked separately below.)
    assert.deepEqual(ds.columns().map((c) => c.name).sort(), [...h].sort());
    const c = byName(ds);
    assert.equal(c.age.type, 'int64');
    assert.equal(c.age.nullCount, 1);
    assert.equal(c.spending_score.type, 'int64');
    assert.deepEqual(ds.column('customer_id'), objs.map((o) => o.customer_id), 'string ids stay strings');
    assert.equal(ds.column('customer_id')[0], '0001');
    const age = ds.column('age');
    assert.ok(Number.isNaN(age[3]));
    assert.deepEqual(Array.from(ds.column('annual_income_thousands')), objs.map((o) => o.annual_income_thousands));
    assert.deepEqual(JSON.parse(ds.toJson()), ds.rows(0, 1000));
    const sortKeys = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
    assert.deepEqual(ds.rows(0, 1000).map(sortKeys), objs.map(sortKeys));
  };
  for (const [input, format] of [
    [jsonText, 'json'], [new TextEncoder().encode(jsonText), 'json'],
    [ndjsonText, 'ndjson'], [new TextEncoder().encode(ndjsonText), 'ndjson'],
  ]) {
    using_(Dataset.fromJson(input), (ds) => check(ds, format));
  }
  using_(await Dataset.fromFile(new Blob([jsonText]), { chunkSize: 333 }), (ds) => check(ds, 'json'));
  using_(await Dataset.fromFile(new File([ndjsonText], 'mall.ndjson'), { chunkSize: 333 }), (ds) => check(ds, 'ndjson'));
  using_(await Dataset.fromFile(new File([jsonText], 'mall.json')), (ds) => check(ds, 'json'));
});

test('JSON: columns keep the order of the keys in the input', () => {
  for (const input of ['[{"z":1,"a":2,"m":3}]', '{"z":1,"a":2,"m":3}\n{"z":4,"a":5,"m":6}\n']) {
    const ds = Dataset.fromJson(input);
    assert.deepEqual(ds.columns().map((c) => c.name), ['z', 'a', 'm'], input);
    assert.deepEqual(Object.keys(ds.rows(0, 1)[0]), ['z', 'a', 'm']);
    assert.equal(ds.toJson().slice(0, 15), '[{"z":1,"a":2,"');
    ds.free();
  }
});

test('GBK: a GBK-encoded slice of waimai_10k is detected and decodes to the UTF-8 original', async () => {
  const utf8Text = readData(WAIMAI).toString('utf8').split('\n').slice(0, 301).join('\n') + '\n';
  const expected = parseCsv(utf8Text);
  assert.equal(expected.length, 301);
  const gbk = makeGbEncoder()(utf8Text);
  assert.equal(new TextDecoder('gb18030').decode(gbk), utf8Text, 'test encoder round-trips');
  assert.ok(gbk.length < Buffer.byteLength(utf8Text), 'GBK is the denser encoding');

  const check = (ds, label) => {
    assert.match(ds.source.encoding, /^(gbk|gb18030)$/i, `${label}: encoding`);
    assert.equal(ds.numRows, 300, label);
    assert.deepEqual(ds.columns().map((c) => c.name), ['label', 'review']);
    assert.deepEqual(ds.column('review'), expected.slice(1).map((r) => r[1]), `${label}: review text`);
    assert.deepEqual(Array.from(ds.column('label')), expected.slice(1).map((r) => Number(r[0])));
    assert.deepEqual(ds.issues, [], label);
  };
  using_(Dataset.fromCsv(gbk), (ds) => check(ds, 'auto'));
  using_(Dataset.fromCsv(gbk, { encoding: 'gbk' }), (ds) => check(ds, 'explicit gbk'));
  using_(await Dataset.fromFile(new Blob([gbk]), { chunkSize: 7 }), (ds) => check(ds, 'fromFile chunk 7'));
});

// --- Streaming encoding detection ------------------------------------------------------

/** `asciiRows` of ASCII, then rows whose text needs a non-ASCII encoding. */
function lateNonAscii(encodeRest, asciiRows = 6000) {
  const head = 'id,title\n' + Array.from({ length: asciiRows }, (_, i) => `${i},Plain title ${i}`).join('\n') + '\n';
  const tail = `${asciiRows},Misérables\n${asciiRows + 1},Café crème\n`;
  const headBytes = new TextEncoder().encode(head);
  const tailBytes = encodeRest(tail);
  const bytes = new Uint8Array(headBytes.length + tailBytes.length);
  bytes.set(headBytes);
  bytes.set(tailBytes, headBytes.length);
  return { bytes, firstNonAscii: bytes.findIndex((b) => b > 0x7f), titles: [`Misérables`, `Café crème`] };
}

test('fromFile detects a latin-1 encoding whose first non-ASCII byte comes after the first chunks', {
}, async () => {
  const latin1 = (s) => Uint8Array.from([...s].map((ch) => ch.charCodeAt(0)));
  const { bytes, firstNonAscii, titles } = lateNonAscii(latin1);
  assert.ok(firstNonAscii > 65536);
  const whole = Dataset.fromCsv(bytes);
  assert.equal(whole.source.encoding, 'windows-1252');
  assert.deepEqual(whole.column('title').slice(-2), titles);
  for (const chunkSize of [4096, 65536, firstNonAscii, firstNonAscii + 1, firstNonAscii + 2]) {
    const streamed = await Dataset.fromFile(new Blob([bytes]), { chunkSize });
    assert.equal(streamed.source.encoding, 'windows-1252', `chunkSize ${chunkSize}`);
    assert.deepEqual(streamed.column('title').slice(-2), titles, `chunkSize ${chunkSize}`);
    assert.deepEqual(streamed.issues, [], `chunkSize ${chunkSize}`);
    streamed.free();
  }
  whole.free();

  // The real file: u.item's first accented title is at byte 76,620.
  const item = readData(UITEM);
  const a = Dataset.fromCsv(item);
  const b = await Dataset.fromFile(new Blob([item]));
  const c = await Dataset.fromFile(new Blob([item]), { chunkSize: 4096 });
  assertSameDataset(b, a, 'u.item default chunk');
  assertSameDataset(c, a, 'u.item chunk 4096');
  assert.equal(c.source.encoding, a.source.encoding);
});

test('fromFile detects GBK whose first non-ASCII byte comes after the first chunks', {
}, async () => {
  const encodeGb = makeGbEncoder();
  const { bytes, firstNonAscii } = lateNonAscii((s) => encodeGb(s.replace('Misérables', '很快，好吃').replace('Café crème', '没有送水')));
  const titles = ['很快，好吃', '没有送水'];
  const whole = Dataset.fromCsv(bytes);
  assert.match(whole.source.encoding, /^(gbk|gb18030)$/i);
  assert.deepEqual(whole.column('title').slice(-2), titles);
  for (const chunkSize of [4096, firstNonAscii, firstNonAscii + 1, firstNonAscii + 2]) {
    const streamed = await Dataset.fromFile(new Blob([bytes]), { chunkSize });
    assert.match(streamed.source.encoding, /^(gbk|gb18030)$/i, `chunkSize ${chunkSize}`);
    assert.deepEqual(streamed.column('title').slice(-2), titles, `chunkSize ${chunkSize}`);
    streamed.free();
  }
  whole.free();
});

test('dialect sniffing works for records with more than 1,024 fields', {
}, () => {
  for (const delim of [',', ';', '\t']) {
    const n = 1500;
    const header = Array.from({ length: n }, (_, i) => `c${i}`).join(delim);
    const row = Array.from({ length: n }, (_, i) => String(i)).join(delim);
    const ds = Dataset.fromCsv(`${header}\n${row}\n${row}\n`);
    assert.equal(ds.source.delimiter, delim === '\t' ? '\t' : delim, `delimiter ${JSON.stringify(delim)}`);
    assert.equal(ds.source.header, true, `header with ${JSON.stringify(delim)}`);
    assert.equal(ds.numColumns, n);
    assert.equal(ds.numRows, 2);
    assert.equal(ds.columns()[n - 1].name, `c${n - 1}`);
    ds.free();
  }
});

// In wasm the non-Unicode encodings are decoded by the host's TextDecoder (WHATWG); the
// bytes below were produced by Python's codecs ('shift_jis', 'big5', 'euc_kr').
test('Shift_JIS, Big5 and EUC-KR by label decode through the host TextDecoder; bad labels are INVALID_OPTION', () => {
  const cases = [
    ['shift_jis', 'Shift_JIS', [140, 218, 139, 113, 44, 147, 140, 139, 158, 10, 142, 82, 147, 99, 44, 145, 229, 141, 227, 10], ['顧客', '東京'], ['山田', '大阪']],
    ['big5', 'Big5', [171, 200, 164, 225, 44, 171, 176, 165, 171, 10, 179, 175, 164, 106, 164, 229, 44, 187, 79, 165, 95, 10], ['客戶', '城市'], ['陳大文', '臺北']],
    ['euc-kr', 'EUC-KR', [176, 237, 176, 180, 44, 181, 181, 189, 195, 10, 177, 232, 195, 182, 188, 246, 44, 188, 173, 191, 239, 10], ['고객', '도시'], ['김철수', '서울']],
  ];
  for (const [label, name, bytes, header, row] of cases) {
    using_(Dataset.fromCsv(new Uint8Array(bytes), { encoding: label, header: true }), (ds) => {
      assert.equal(ds.source.encoding, name, label);
      assert.deepEqual(ds.columns().map((c) => c.name), header, label);
      assert.deepEqual(header.map((h) => ds.column(h)[0]), row, label);
      assert.equal(ds.issues.length, 0, label);
    });
  }
  // A byte that is not Shift_JIS: the row is repaired with U+FFFD and listed, not dropped.
  using_(Dataset.fromCsv(new Uint8Array([97, 44, 98, 10, 49, 44, 0x82, 0xA0, 0xFF, 10, 50, 44, 120, 10]), { encoding: 'shift_jis' }), (ds) => {
    assert.equal(ds.numRows, 2);
    assert.deepEqual(ds.issues.map((i) => [i.line, i.kind, i.action]), [[2, 'encoding', 'repaired']]);
    assert.ok(ds.column('b')[0].includes('\uFFFD'));
  });
  assert.throws(() => Dataset.fromCsv('a\n1\n', { encoding: 'iso-2022-kr' }), (e) => e.code === 'INVALID_OPTION' && /replacement|unknown/.test(e.message));
});

/** Runs fn(ds) and frees ds afterwards (Node 20 has no `using` declarations). */
function using_(ds, fn) {
  try {
    return fn(ds);
  } finally {
    ds[Symbol.dispose]();
  }
}
