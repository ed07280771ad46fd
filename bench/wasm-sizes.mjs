// Where two builds of the core differ in code size, per module of the crate (a twiggy-like diff
// without another tool). Give it the linker's output, before wasm-bindgen and wasm-opt, which
// still has its `name` section:
//   cargo build --release --target wasm32-unknown-unknown -p crmlens-wasm
//   cp target/wasm32-unknown-unknown/release/crmlens_wasm.wasm /tmp/a.wasm   # then change the profile, rebuild
//   node bench/wasm-sizes.mjs /tmp/a.wasm target/wasm32-unknown-unknown/release/crmlens_wasm.wasm [rows]
// Prints the total code bytes of each and, per `crmlens::<module>::<file>` (other crates by
// their first path segment), the growth B - A, largest first. Function bodies are counted
// where LLVM left them: what one build inlines into a caller is counted in the caller's module.
import { readFileSync } from 'node:fs';

function leb(b, p) {
  let r = 0, s = 0, x;
  do { x = b[p++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80);
  return [r, p];
}

// Skips one import entry; returns [position after it, whether it imports a function].
function skipImport(b, q) {
  let l;
  for (let i = 0; i < 2; i++) { [l, q] = leb(b, q); q += l; } // module and field names
  const kind = b[q++];
  if (kind === 0) { [, q] = leb(b, q); return [q, true]; }
  if (kind === 1) q++; // table: element type, then limits
  if (kind === 1 || kind === 2) { const flags = b[q++]; [, q] = leb(b, q); if (flags & 1) [, q] = leb(b, q); }
  if (kind === 3) q += 2; // global: type, mutability
  return [q, false];
}

// Rust's legacy mangling `_ZN7crmlens7profile6driver...`: `crmlens::profile::driver`.
function moduleOf(name) {
  const m = name.match(/7crmlens(\d+)([a-z_]+)/);
  if (m && Number(m[1]) <= m[2].length) {
    const top = m[2].slice(0, Number(m[1]));
    const rest = name.slice(name.indexOf(m[0]) + 8 + m[1].length + top.length);
    const m2 = rest.match(/^(\d+)([a-z_]+)/);
    return m2 && Number(m2[1]) <= m2[2].length ? `crmlens::${top}::${m2[2].slice(0, Number(m2[1]))}` : `crmlens::${top}`;
  }
  const c = name.match(/^_ZN(\d+)([A-Za-z_0-9]+)/);
  return c ? c[2].slice(0, Number(c[1])) : name.slice(0, 24);
}

function sizes(file) {
  const b = readFileSync(file);
  let p = 8, imported = 0;
  const bodies = [], names = new Map();
  while (p < b.length) {
    const id = b[p++];
    let len;
    [len, p] = leb(b, p);
    const end = p + len;
    let q = p, n, l;
    if (id === 2) {
      [n, q] = leb(b, q);
      for (let i = 0; i < n; i++) { let f; [q, f] = skipImport(b, q); if (f) imported++; }
    } else if (id === 10) {
      [n, q] = leb(b, q);
      for (let i = 0; i < n; i++) { [l, q] = leb(b, q); bodies.push(l); q += l; }
    } else if (id === 0) {
      [l, q] = leb(b, q);
      if (b.subarray(q, q + l).toString() === 'name') {
        q += l;
        while (q < end) {
          const sub = b[q++];
          [l, q] = leb(b, q);
          const subEnd = q + l;
          if (sub === 1) {
            [n, q] = leb(b, q);
            for (let i = 0; i < n; i++) {
              let idx;
              [idx, q] = leb(b, q);
              [l, q] = leb(b, q);
              names.set(idx, b.subarray(q, q + l).toString());
              q += l;
            }
          }
          q = subEnd;
        }
      }
    }
    p = end;
  }
  if (!names.size) throw new Error(`${file} has no name section: use the linker's output, before wasm-opt`);
  const by = new Map();
  bodies.forEach((s, i) => { const k = moduleOf(names.get(i + imported) ?? '?'); by.set(k, (by.get(k) ?? 0) + s); });
  return by;
}

const [fa, fb, rows = '40'] = process.argv.slice(2);
const A = sizes(fa), B = sizes(fb);
const all = [...new Set([...A.keys(), ...B.keys()])].map((k) => [k, A.get(k) ?? 0, B.get(k) ?? 0]);
all.sort((x, y) => y[2] - y[1] - (x[2] - x[1]));
const total = (m) => [...m.values()].reduce((s, v) => s + v, 0);
console.log(`code bytes: A ${total(A)}, B ${total(B)}, B - A ${total(B) - total(A)}`);
console.log('| B - A | A | B | module |\n|---:|---:|---:|---|');
for (const [k, a, b] of all.slice(0, Number(rows))) console.log(`| ${b - a} | ${a} | ${b} | ${k} |`);
