// Writes tests/fixtures/arrow/: small Arrow IPC files written by apache-arrow JS 17 (the
// writer DuckDB-Wasm and most web pages use), so that the core's reader is checked on a
// foreign writer's bytes in `cargo test` (tests/arrow_ipc.rs), without Node at test time.
// Generated data (no real records). Run: node scripts/make_arrow_fixtures.mjs
//
//   js_stream.arrows  3 record batches, each with its own (replacement) dictionary
//   js_file.arrow     the file format: apache-arrow writes the schema only in the footer
import { mkdirSync, writeFileSync } from 'node:fs';
import * as A from 'apache-arrow';

const OUT = new URL('../tests/fixtures/arrow/', import.meta.url);
mkdirSync(OUT, { recursive: true });

const seg = ['gold', 'silver', null, 'bronze'];
const part = (k) => new A.Table({
  id: A.vectorFromArray(Array.from({ length: 10 }, (_, i) => (i === 3 ? null : k * 10 + i)), new A.Int32()),
  seg: A.vectorFromArray(Array.from({ length: 10 }, (_, i) => seg[(i + k) % 4]), new A.Dictionary(new A.Utf8(), new A.Int16())),
  at: A.vectorFromArray(Array.from({ length: 10 }, (_, i) => (i === 5 ? null : Date.UTC(2024, k, 1 + i, 12))), new A.TimestampMicrosecond()),
  day: A.vectorFromArray(Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2023, 0, 1 + i + 10 * k))), new A.DateDay()),
  ok: A.vectorFromArray(Array.from({ length: 10 }, (_, i) => (i === 7 ? null : i % 2 === 0)), new A.Bool()),
  note: A.vectorFromArray(Array.from({ length: 10 }, (_, i) => (i === 9 ? null : `note ${k}-${i}, 评论`)), new A.Utf8()),
});
writeFileSync(new URL('js_stream.arrows', OUT), A.tableToIPC(part(0).concat(part(1), part(2)), 'stream'));
writeFileSync(new URL('js_file.arrow', OUT), A.tableToIPC(part(1), 'file'));
console.log('wrote', OUT.pathname);
