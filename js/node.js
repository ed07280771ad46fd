// crmlens for Node.js: reads the package's own crmlens_bg.wasm from disk (no network).
import { readFileSync } from 'node:fs';
import { initSync } from './crmlens.js';
export * from './crmlens.js';

initSync({ module: readFileSync(new URL('./crmlens_bg.wasm', import.meta.url)) });
