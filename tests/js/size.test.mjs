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

// CrmlensPool's workers run their own wasm (scripts/build.sh: src/wasm with the `pool`
// feature): the shard loading and the mergeable-state ops live there, not in the core.
// Its budget: the core's, plus what the pool adds: 20,000 B (measured ~16.7 KB when it was in
// the core; 15,787 B at main 5748e64), raised to 24,000 B by the sharded k-means steps
// (src/wasm/shard_kmeans.rs: 23,786 B over the core with them) — for the lead to confirm;
// 25,000 B once the coordinator's k-means++ draws moved from a JS copy of the generator into
// the pool wasm (kmeansShardStep 16-18 over crate::rng, issue 16's one RNG: 24,559 B over the
// core measured, +845 B over main's pool). 27,000 B (the lead, stop 30) with CrmlensPool's
// finer load progress and abort (Dataset.nextCsvShard: a byte range streamed through fromFile)
// and k: 'auto' over shards (kmeansShardStep 10, 19, 20: the silhouette's rows gathered and
// scored in the pool wasm): 25,923 B over the core on the helper's build, 26,107 B on main's
// after an unrelated core change (+484 B of core, the BG/NBD run-off stop) — the difference of
// two compressed sizes drifts by a few hundred bytes, so the guard keeps ~900 B of slack. The
// hard budget stays POOL_BUDGET.
const POOL_BUDGET = 620_000;
const POOL_OVER_CORE = 27_000;
const SHARD_EXPORTS = ['csvShardScan', 'profileOfShards', 'customerValueOfStates', 'dataset_nextCsvShard', 'dataset_profileState', 'dataset_customerSummaryState', 'dataset_segmentShardStats', 'dataset_kmeansShardOpen', 'kmeansShardStep'];

test('the pool wasm (crmlens_pool_bg.wasm) is within its budget; the core carries none of the shard ops', async () => {
  const core = gzipped('crmlens_bg.wasm');
  const pool = gzipped('crmlens_pool_bg.wasm');
  console.log(`# crmlens_pool_bg.wasm ${pool} B gzipped (budget ${POOL_BUDGET}; ${pool - core} B over the core)`);
  assert.ok(pool <= POOL_BUDGET, `crmlens_pool_bg.wasm is ${pool} B gzipped (budget ${POOL_BUDGET})`);
  assert.ok(pool - core <= POOL_OVER_CORE, `the pool wasm adds ${pool - core} B to the core (at most ${POOL_OVER_CORE})`);
  const exportsOf = async (file) => WebAssembly.Module.exports(await WebAssembly.compile(readFileSync(new URL(file, pkg)))).map((e) => e.name);
  const coreExports = await exportsOf('crmlens_bg.wasm');
  const poolExports = await exportsOf('crmlens_pool_bg.wasm');
  for (const name of SHARD_EXPORTS) {
    assert.ok(poolExports.includes(name), `the pool wasm exports ${name}`);
    assert.ok(!coreExports.includes(name), `the core wasm does not export ${name}`);
  }
  // Everything else the core exports, the pool wasm exports too (it is the core plus the
  // pool's ops); wasm-bindgen's closure shims carry a hash of their build, left out.
  const hashed = /__h[0-9a-f]{16}$/;
  const missing = coreExports.filter((e) => !hashed.test(e) && !poolExports.includes(e));
  assert.deepEqual(missing, [], 'core exports missing from the pool wasm');
});
