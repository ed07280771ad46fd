// WebAssembly memory: datasets live in the module's linear memory, which can only grow.
// Loading and freeing the same file again and again must reuse the freed space, so after a
// warm-up the memory must not grow at all; a control run without free() shows the check
// can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset, initSync } from '../../pkg/node.js';
import { readData } from './_util.mjs';

// node.js already instantiated the module; initSync() then returns the existing instance's
// exports (the InitOutput of crmlens.d.ts), whose `memory` is the module's linear memory.
const exports = initSync();
const memory = exports.memory;
const bytesNow = () => memory.buffer.byteLength;

const BANK = readData('bank_marketing/bank.csv');

function touch(ds) {
  // Use the dataset the way an app does, so temporary allocations happen too.
  assert.equal(ds.numRows, 4521);
  assert.equal(ds.column('balance').length, 4521);
  assert.equal(ds.column('job').length, 4521);
  assert.equal(ds.rows(100, 50).length, 50);
  assert.ok(ds.toCsv().length > 400000);
  assert.ok(ds.toJson().length > 400000);
  assert.equal(ds.issues.length, 0);
  assert.ok(ds.memoryBytes > 0);
}

test('the module exports its WebAssembly.Memory', () => {
  assert.ok(memory instanceof WebAssembly.Memory);
  assert.ok(bytesNow() > 0);
  assert.equal(initSync(), exports, 'initSync() returns the one instance');
});

test('30x fromCsv + free of the bank file does not grow WebAssembly memory after warm-up', () => {
  for (let i = 0; i < 3; i++) { const ds = Dataset.fromCsv(BANK); touch(ds); ds.free(); }
  const before = bytesNow();
  for (let i = 0; i < 30; i++) {
    const ds = Dataset.fromCsv(BANK);
    touch(ds);
    ds.free();
  }
  assert.equal(bytesNow(), before, `memory grew from ${before} to ${bytesNow()} bytes`);
});

test('repeated fromCsv(string) and fromFile + free do not grow memory either', async () => {
  const text = BANK.toString('utf8');
  const blob = new Blob([BANK]);
  for (let i = 0; i < 2; i++) {
    Dataset.fromCsv(text).free();
    (await Dataset.fromFile(blob, { chunkSize: 8192 })).free();
  }
  const before = bytesNow();
  for (let i = 0; i < 15; i++) {
    const a = Dataset.fromCsv(text);
    touch(a);
    a.free();
    const b = await Dataset.fromFile(blob, { chunkSize: 8192 });
    touch(b);
    b.free();
  }
  assert.equal(bytesNow(), before, `memory grew from ${before} to ${bytesNow()} bytes`);
});

test('failed loads do not leak: 30 RAGGED_ROW errors after warm-up leave memory unchanged', () => {
  const bad = Buffer.concat([BANK, Buffer.from('1;2;3\n')]);
  const fail = () => assert.throws(() => Dataset.fromCsv(bad, { onBadRows: 'error' }), { name: 'CrmlensError', code: 'RAGGED_ROW' });
  for (let i = 0; i < 3; i++) fail();
  const before = bytesNow();
  for (let i = 0; i < 30; i++) fail();
  assert.equal(bytesNow(), before);
});

test('Symbol.dispose frees the dataset (and its memory is reused)', () => {
  assert.equal(typeof Symbol.dispose, 'symbol');
  assert.equal(Dataset.prototype[Symbol.dispose], Dataset.prototype.free);
  for (let i = 0; i < 3; i++) Dataset.fromCsv(BANK)[Symbol.dispose]();
  const before = bytesNow();
  for (let i = 0; i < 30; i++) {
    const ds = Dataset.fromCsv(BANK);
    touch(ds);
    ds[Symbol.dispose]();
    // Once disposed, the dataset can no longer be used.
    assert.throws(() => ds.numRows);
  }
  assert.equal(bytesNow(), before);
});

test('a `using` declaration frees the dataset at the end of its block', (t) => {
  let run;
  try {
    // Built at run time so this file still parses on engines without `using` (Node 20).
    run = new Function('Dataset', 'input', 'check', '{ using ds = Dataset.fromCsv(input); check(ds); return ds; }');
  } catch (e) {
    if (e instanceof SyntaxError) { t.skip('this Node has no `using` declarations (explicit resource management)'); return; }
    throw e;
  }
  for (let i = 0; i < 3; i++) run(Dataset, BANK, touch);
  const before = bytesNow();
  for (let i = 0; i < 30; i++) {
    const ds = run(Dataset, BANK, touch);
    assert.throws(() => ds.numRows, 'disposed at block exit');
  }
  assert.equal(bytesNow(), before);
});

test('control: without free() memory does grow (so the checks above can fail)', () => {
  const kept = [];
  const before = bytesNow();
  try {
    for (let i = 0; i < 30; i++) kept.push(Dataset.fromCsv(BANK));
    // 30 x ~0.4 MB of columns is more than the headroom earlier peaks left behind.
    assert.ok(30 * kept[0].memoryBytes > 10e6);
    assert.ok(bytesNow() > before, `holding 30 datasets must need more memory (still ${bytesNow()} bytes)`);
  } finally {
    for (const ds of kept) ds.free();
  }
  // Freed space is reused: another 30 loads (held at once) fit in the memory we have now.
  const after = bytesNow();
  const again = [];
  for (let i = 0; i < 30; i++) again.push(Dataset.fromCsv(BANK));
  for (const ds of again) ds.free();
  assert.equal(bytesNow(), after);
});
