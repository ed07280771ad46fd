// loadModule(name): the page's loader of the package's lazily loaded modules (see
// loader.js and docs-lazy-modules.md). The list of modules, with their size budgets, is
// scripts/modules.json; tests/js/size.test.mjs checks that this file and it agree.
import { createLoader, WASM_MODULES } from './loader.js';

export const loadModule = createLoader({
  ...WASM_MODULES,
  // Chinese sentiment data: a string (the lexicon as TSV), used by sentiment.js.
  zh: { kind: 'data', url: () => new URL('./crmlens_zh.js', import.meta.url), load: () => import('./crmlens_zh.js') },
  // English sentiment data: { lexicon, emoji } (VADER's TSV texts), used by sentiment.js.
  en: { kind: 'data', url: () => new URL('./crmlens_en.js', import.meta.url), load: () => import('./crmlens_en.js') },
});
