// Completes pkg/ after wasm-pack: adds the Node and browser entry points, the Web Worker
// wrapper, the package README and licence, and the `exports` map.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { workerTypes } from './worker-types.mjs';

const root = new URL('..', import.meta.url);
const pkg = new URL('pkg/', root);
const files = ['index.js', 'index.d.ts', 'node.js', 'errors.js', 'guard.js', 'profiles.js', 'sentiment.js', 'ops.js', 'worker.js', 'worker-entry.js'];
// The lazily loaded modules' shared loader, and the API of the `tables` module.
files.push('loader.js', 'modules.js', 'tables.js', 'bytes.js', 'rules.js', 'rules-page.js', 'sheets.js', 'arrow.js', 'predict.js', 'macrotask.js');
for (const f of files) copyFileSync(new URL(`js/${f}`, root), new URL(f, pkg));
// The worker's types, generated from the op declaration (js/ops.js), with the types it
// names imported from the generated crmlens.d.ts.
const dts = readFileSync(new URL('crmlens.d.ts', pkg), 'utf8');
const exported = new Set([...dts.matchAll(/^export (?:declare )?(?:interface|type|class|enum) (\w+)/gm)].map((m) => m[1]));
// Types declared in the JS entry's own index.d.ts (groupBy's, …) come from there.
const indexDts = readFileSync(new URL('index.d.ts', pkg), 'utf8');
const byIndex = new Set([...indexDts.matchAll(/^export (?:declare )?(?:interface|type) (\w+)/gm)].map((m) => m[1]));
writeFileSync(new URL('worker.d.ts', pkg), workerTypes(exported, byIndex));
files.push('worker.d.ts');
// The Chinese sentiment data: its own module, imported by sentiment.js only when needed.
const zh = readFileSync(new URL('src/sentiment/data/zh_sentiment.tsv', root), 'utf8');
writeFileSync(new URL('crmlens_zh.js', pkg), `// crmlens Chinese sentiment data (see src/sentiment/data/README.md).\nexport default ${JSON.stringify(zh)};\n`);
files.push('crmlens_zh.js');
// The English (VADER) lexicon: its own data module too, so the core wasm does not carry it
// (src/wasm builds the core without the `embedded-lexicon` feature).
const en = {
  lexicon: readFileSync(new URL('src/sentiment/data/vader_lexicon.tsv', root), 'utf8'),
  emoji: readFileSync(new URL('src/sentiment/data/vader_emoji.tsv', root), 'utf8'),
};
writeFileSync(new URL('crmlens_en.js', pkg), `// crmlens English sentiment data: the VADER lexicon and emoji (MIT, C.J. Hutto; see src/sentiment/data/README.md).\nexport default ${JSON.stringify(en)};\n`);
files.push('crmlens_en.js');
// The lazily loaded wasm modules (scripts/modules.json), built by build.sh into pkg/.
const modules = JSON.parse(readFileSync(new URL('scripts/modules.json', root), 'utf8'));
for (const [name, m] of Object.entries(modules)) {
  if (m.kind === 'wasm') files.push(`crmlens_${name}.js`, `crmlens_${name}.d.ts`, `crmlens_${name}_bg.wasm`);
}
copyFileSync(new URL('LICENSE', root), new URL('LICENSE', pkg));
copyFileSync(new URL('js/README.md', root), new URL('README.md', pkg));

const meta = JSON.parse(readFileSync(new URL('package.json', pkg), 'utf8'));
// wasm-pack names the package after the crate it built (crmlens-wasm, the JS boundary);
// the npm package is crmlens.
meta.name = 'crmlens';
// snippets/: wasm-bindgen's inline JS (the macrotask yield of long work, src/wasm/lifecycle.rs).
meta.files = ['crmlens_bg.wasm', 'crmlens_bg.wasm.d.ts', 'crmlens.js', 'crmlens.d.ts', 'snippets/', ...files, 'LICENSE', 'README.md'];
meta.main = 'node.js';
meta.module = 'index.js';
meta.types = 'index.d.ts';
meta.exports = {
  '.': { types: './index.d.ts', node: './node.js', default: './index.js' },
  './worker': { types: './worker.d.ts', default: './worker.js' },
  './worker-entry.js': './worker-entry.js',
  './crmlens_bg.wasm': './crmlens_bg.wasm',
  './package.json': './package.json',
};
meta.sideEffects = ['./index.js', './node.js', './worker-entry.js'];
meta.engines = { node: '>=20' };
delete meta.repository;
writeFileSync(new URL('package.json', pkg), JSON.stringify(meta, null, 2) + '\n');
console.log(`pkg/ ready: ${meta.name}@${meta.version}`);
