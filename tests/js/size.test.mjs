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

// Each lazily loaded module within its own budget, declared once in scripts/modules.json
// (docs-lazy-modules.md); the package's loader knows exactly the modules listed there.
const MODULES = JSON.parse(readFileSync(new URL('../../scripts/modules.json', import.meta.url), 'utf8'));
const NAMES = Object.keys(MODULES).filter((k) => !k.startsWith('$'));

test('every lazily loaded module is within its budget (scripts/modules.json)', () => {
  for (const name of NAMES) {
    const m = MODULES[name];
    assert.ok(Number.isInteger(m.budget) && m.budget > 0, `${name}: budget`);
    const file = m.kind === 'wasm' ? `crmlens_${name}_bg.wasm` : `crmlens_${name}.js`;
    const size = gzipped(file);
    console.log(`# ${file} ${size} B gzipped (budget ${m.budget})`);
    assert.ok(size <= m.budget, `${file} is ${size} B gzipped (budget ${m.budget})`);
  }
});

test('the loader lists exactly the modules of scripts/modules.json, and package.json ships them', async () => {
  const { WASM_MODULES } = await import(new URL('loader.js', pkg));
  const wasm = NAMES.filter((n) => MODULES[n].kind === 'wasm');
  assert.deepEqual(Object.keys(WASM_MODULES).sort(), wasm.sort());
  const modulesJs = readFileSync(new URL('modules.js', pkg), 'utf8');
  const data = [...modulesJs.matchAll(/^\s+(\w+): \{ kind: 'data'/gm)].map((m) => m[1]);
  assert.deepEqual(data.sort(), NAMES.filter((n) => MODULES[n].kind === 'data').sort());
  const files = JSON.parse(readFileSync(new URL('package.json', pkg), 'utf8')).files;
  for (const n of NAMES) {
    const want = MODULES[n].kind === 'wasm' ? [`crmlens_${n}.js`, `crmlens_${n}_bg.wasm`] : [`crmlens_${n}.js`];
    for (const f of want) assert.ok(files.includes(f), `package.json files lists ${f}`);
  }
});
