// The wasm fuzz driver's bounded smoke pass (issue 19, FUZZING.md): scripts/fuzz-wasm.mjs over
// the built package, a fixed seed, every entry point through the JS API with mutated real
// files and hostile options. Fails on a trap (RuntimeError), a throw that is not a
// CrmlensError, an input over its time bound, or a wrong result (maxRows exceeded, chunked ≠
// whole, a lossy toCsv → fromCsv, a non-finite score). Includes the lazily loaded modules'
// targets (rules, predict, sheets, from_excel, from_arrow). The long campaign: `--long`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('wasm fuzz smoke pass: every entry point, no trap, no contract break, no hang, no wrong result', () => {
  const r = spawnSync(process.execPath, ['scripts/fuzz-wasm.mjs', '--inputs', '2000', '--seconds', '100', '--seed', '19',
    '--out', 'target/fuzz-wasm-smoke'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, out);
  const rows = [...r.stdout.matchAll(/^(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/gm)];
  assert.ok(rows.length >= 18, `one row per target: ${r.stdout}`);
  for (const [, name, inputs, ok, errors, trap, contract, slow, wrong] of rows) {
    assert.ok(Number(inputs) >= 5, `${name} ran ${inputs} inputs`);
    assert.equal(Number(ok) + Number(errors), Number(inputs), `${name}: every input ok or a CrmlensError`);
    assert.deepEqual([trap, contract, slow, wrong].map(Number), [0, 0, 0, 0], name);
  }
  // Most inputs run the analysis (not all refused as errors): the pass is not vacuous.
  const total = rows.reduce((s, m) => s + Number(m[2]), 0);
  const ok = rows.reduce((s, m) => s + Number(m[3]), 0);
  assert.ok(total >= 200 && ok >= total / 4, `${ok} of ${total} inputs ran to a result`);
});
