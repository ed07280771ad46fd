// The architecture invariants that the compiler alone does not check (ARCHITECTURE.md):
// the core's dependency tree has no JS-related crate; the core's source names none; each
// layer imports only the layers below it; no capability reaches into another's internals;
// no import circles inside a module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const JS_CRATES = ['wasm-bindgen', 'js-sys', 'web-sys', 'tsify', 'serde-wasm-bindgen', 'getrandom', 'wasm-bindgen-futures'];

function cargoTree(extra = []) {
  const out = execFileSync('cargo', ['tree', '-p', 'crmlens', '-e', 'normal', '--prefix', 'none', ...extra], {
    cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  return [...new Set(out.split('\n').map((l) => l.split(' ')[0]).filter(Boolean))];
}

test('the core crate has no JS-related crate in its dependency tree (native and wasm32)', () => {
  for (const extra of [[], ['--target', 'wasm32-unknown-unknown']]) {
    const crates = cargoTree(extra);
    assert.ok(crates.includes('crmlens') && crates.includes('serde'), `cargo tree looks wrong: ${crates}`);
    const js = crates.filter((c) => JS_CRATES.includes(c));
    assert.deepEqual(js, [], `JS crates in the core's tree (${extra.join(' ') || 'native'})`);
  }
  // The JS boundary crate is where they are.
  const boundary = execFileSync('cargo', ['tree', '-p', 'crmlens-wasm', '-e', 'normal', '--prefix', 'none', '--depth', '1'], {
    cwd: root, encoding: 'utf8',
  });
  assert.match(boundary, /^wasm-bindgen /m);
  assert.match(boundary, /^crmlens v/m);
});

function rustFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'target') continue; // build output of a crate under src/ (src/python)
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...rustFiles(p));
    else if (name.endsWith('.rs')) out.push(p);
  }
  return out;
}

const src = join(root, 'src');
// Core files (everything under src/ except the JS boundary crate, the lazily loaded wasm
// modules' crates, src/ext/<name>, which are JS boundaries of their own, and the Python
// wheel's crate src/python, a consumer of the core), without their tests.
const coreFiles = rustFiles(src).filter((f) => !/^(wasm|ext|python)\//.test(relative(src, f)));
const code = (f) => readFileSync(f, 'utf8').split(/^#\[cfg\(test\)\]/m)[0];

test('the core source names no JS API (tsify derives only behind the `ts` feature)', () => {
  assert.ok(coreFiles.length > 100, `found ${coreFiles.length} core files`);
  const bad = [];
  for (const f of coreFiles) {
    code(f).split('\n').forEach((line, i) => {
      const l = line.replace(/cfg_attr\(feature = "ts", [^\n]*/, '');
      if (/\b(wasm_bindgen|js_sys|web_sys|getrandom|serde_wasm_bindgen)\b|\btsify::/.test(l) && !/^\s*\/\//.test(l)) {
        bad.push(`${relative(root, f)}:${i + 1}: ${line.trim()}`);
      }
    });
  }
  assert.deepEqual(bad, []);
});

// Layers, bottom up. A module may import its own layer's modules and the layers below.
const LAYERS = [
  ['error', 'options', 'host', 'task', 'rng', 'sort', 'stats', 'fastmath', 'budget', 'warning'], // base
  ['table'],
  ['cells'],
  ['io'],
  ['profile', 'clean', 'value', 'segment', 'sentiment', 'recommend', 'predict', 'rules'], // capabilities
];
const layerOf = new Map(LAYERS.flatMap((mods, i) => mods.map((m) => [m, i])));
const CAPABILITY = LAYERS.length - 1;
// What a capability may take from another one: only names its root re-exports
// (`crate::value::Foo`, never `crate::value::bgnbd::Foo`).
const topModule = (f) => relative(src, f).split('/')[0].replace(/\.rs$/, '');

function imports(f) {
  // `crate::a::b` paths (uses and inline paths) and `super::x` siblings.
  const text = code(f).replace(/\/\/[^\n]*/g, '');
  const crate = [...text.matchAll(/\bcrate::([a-z_]+)(?:::([a-z_]+))?/g)].map((m) => ({ top: m[1], sub: m[2] }));
  return crate;
}

test('each layer imports only its own layer and those below; capabilities use each other only through their roots', () => {
  const bad = [];
  for (const f of coreFiles) {
    const me = topModule(f);
    if (me === 'lib') continue;
    const mine = layerOf.get(me);
    assert.notEqual(mine, undefined, `src/${me} is in no layer: add it to ARCHITECTURE.md and this test`);
    for (const { top, sub } of imports(f)) {
      if (top === me || !layerOf.has(top)) continue;
      const theirs = layerOf.get(top);
      if (theirs > mine) bad.push(`${relative(root, f)}: ${me} (layer ${mine}) imports ${top} (layer ${theirs})`);
      else if (theirs === CAPABILITY && mine === CAPABILITY && sub && existsModule(top, sub)) {
        bad.push(`${relative(root, f)}: ${me} reaches into ${top}::${sub} (use what ${top}'s root re-exports)`);
      }
    }
  }
  assert.deepEqual(bad, []);
});

function existsModule(top, sub) {
  try {
    return statSync(join(src, top, `${sub}.rs`)).isFile() || statSync(join(src, top, sub)).isDirectory();
  } catch {
    return false;
  }
}

test('no import circles between the files of a module', () => {
  // Graph: file module -> sibling file modules it names via `super::x` or `crate::top::x`.
  const cycles = [];
  const dirs = new Set(coreFiles.map((f) => relative(src, f).split('/').slice(0, -1).join('/')).filter(Boolean));
  for (const dir of dirs) {
    const files = coreFiles.filter((f) => relative(src, f).split('/').slice(0, -1).join('/') === dir);
    const names = new Set(files.map((f) => f.split('/').pop().replace(/\.rs$/, '')).filter((n) => n !== 'mod'));
    const edges = new Map();
    const prefix = `crate::${dir.replaceAll('/', '::')}::`;
    for (const f of files) {
      const me = f.split('/').pop().replace(/\.rs$/, '');
      if (me === 'mod') continue;
      const text = code(f).replace(/\/\/[^\n]*/g, '');
      const to = new Set();
      for (const m of text.matchAll(/\bsuper::([a-z_]+)/g)) if (names.has(m[1]) && m[1] !== me) to.add(m[1]);
      for (const m of text.matchAll(new RegExp(`\\b${prefix.replaceAll(':', '\\:')}([a-z_]+)`, 'g'))) {
        if (names.has(m[1]) && m[1] !== me) to.add(m[1]);
      }
      edges.set(me, to);
    }
    // Tarjan-free: DFS for a back edge.
    const state = new Map();
    const visit = (n, path) => {
      state.set(n, 1);
      for (const m of edges.get(n) ?? []) {
        if (state.get(m) === 1) cycles.push(`${dir}: ${[...path, n, m].slice(path.indexOf(m) >= 0 ? path.indexOf(m) : 0).join(' -> ')}`);
        else if (!state.has(m)) visit(m, [...path, n]);
      }
      state.set(n, 2);
    };
    for (const n of edges.keys()) if (!state.has(n)) visit(n, []);
  }
  assert.deepEqual(cycles, []);
});
