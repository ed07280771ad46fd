// Times src/segment's phases in V8 (CPU time of this process, so other load on the machine
// counts less): k-means++ seeding, Lloyd from those centres, one full assignment pass, and
// the silhouette (n ≤ 20,000). Seeds 0..runs-1; the first call of each export includes V8's
// compilation and memory growth, so a warm-up run is not reported.
// node run.mjs ../out/segment_100000x8_k8.f64 [d=8] [k=8] [runs=5]
import { readFileSync } from 'node:fs';

const [file, d = '8', k = '8', runs = '5'] = process.argv.slice(2);
const D = Number(d), K = Number(k);
const wasm = new URL('./target/wasm32-unknown-unknown/release/segment_phases.wasm', import.meta.url);
const mod = new WebAssembly.Module(readFileSync(wasm));
const imports = {};
for (const im of WebAssembly.Module.imports(mod)) {
  imports[im.module] ??= {};
  imports[im.module][im.name] = () => { throw new Error(`unexpected import ${im.name}`); };
}
const e = new WebAssembly.Instance(mod, imports).exports;
const x = new Float64Array(readFileSync(file).buffer.slice(0));
const n = x.length / D;
const p = e.alloc_f64(x.length);
new Float64Array(e.memory.buffer, p, x.length).set(x);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const time = (f) => { const t = cpu(); const v = f(); return [cpu() - t, v]; };
for (let run = -1; run < Number(runs); run++) {
  const seed = BigInt(Math.max(run, 0));
  const [tSeed] = time(() => e.seed_centers(p, n, D, K, seed));
  const [tLloyd, inertia] = time(() => e.run_lloyd(p, n, D, K, 1e-4));
  const [tAssign] = time(() => e.run_assign(p, n, D, K));
  const [tSil, sil] = n <= 20000 ? time(() => e.run_silhouette(p, n, D, K)) : [NaN, NaN];
  if (run < 0) continue;
  console.log(JSON.stringify({ seed: Number(seed), seedMs: +tSeed.toFixed(2), lloydMs: +tLloyd.toFixed(2), iterations: e.iterations(), inertia, assignMs: +tAssign.toFixed(2), silhouetteMs: +tSil.toFixed(1), silhouette: sil }));
}
