// The size budget of DESIGN.md: the core .wasm at most 600 KB gzipped (600,000 bytes,
// gzip level 9); the Chinese sentiment data is a separate module, loaded only on Chinese text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const pkg = new URL('../../pkg/', import.meta.url);
const gzipped = (name) => gzipSync(readFileSync(new URL(name, pkg)), { level: 9 }).length;

test('core wasm is within 600 KB gzipped; the Chinese module is separate and small', () => {
  const core = gzipped('crmlens_bg.wasm');
  const zh = gzipped('crmlens_zh.js');
  console.log(`# crmlens_bg.wasm ${core} B gzipped, crmlens_zh.js ${zh} B gzipped`);
  assert.ok(core <= 600_000, `crmlens_bg.wasm is ${core} B gzipped (budget 600,000)`);
  assert.ok(zh < 100_000, `crmlens_zh.js is ${zh} B gzipped`);
  // The Chinese data is not compiled into the core module.
  const wasm = readFileSync(new URL('crmlens_bg.wasm', pkg));
  assert.equal(wasm.indexOf(Buffer.from('满意')), -1, 'Chinese lexicon found inside the core wasm');
});
