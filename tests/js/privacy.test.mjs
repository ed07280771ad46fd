// No customer data may leave the page: the built package must contain no network API
// except the wasm-bindgen loader's fetch of the package's own crmlens_bg.wasm.
//
// (a) Every .js file of pkg/ is parsed (rollup's parser, from the workspace's Vite) and
//     searched for network APIs by name, string-keyed access to them, URLs in string
//     literals, dynamic import() of anything but a relative or node: literal, imports of
//     other packages, and eval / Function (which could hide any of those).
// (b) The wasm module's imports are mapped to their JS glue functions in crmlens.js; an
//     import whose name, glue body, or any crmlens.js helper the glue calls mentions a
//     network API fails. The wasm binary's own strings are searched for the API names too
//     (reflective glue such as Reflect.get + Function.call could otherwise reach
//     globalThis.fetch by a name stored in the binary).
// The scanner checks itself on deliberately broken copies of the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAst } from 'rollup/parseAst';
import { PKG_DIR } from './_util.mjs';

const NETWORK_NAMES = [
  'fetch', 'XMLHttpRequest', 'WebSocket', 'WebSocketStream', 'WebTransport', 'EventSource', 'sendBeacon',
  'importScripts', 'RTCPeerConnection', 'RTCDataChannel', 'navigator.sendBeacon',
];
const NETWORK_SET = new Set(NETWORK_NAMES.filter((n) => !n.includes('.')));
const URL_RE = /\b(?:https?|wss?|ftp):\/\//i;
// The lazily loaded wasm modules (scripts/modules.json): each has wasm-bindgen glue
// crmlens_<name>.js whose loader fetch is allowed like the core's, and its imports are checked
// the same way.
const MODULES = JSON.parse(readFileSync(new URL('../../scripts/modules.json', import.meta.url), 'utf8'));
const EXT = Object.entries(MODULES).filter(([, m]) => m?.kind === 'wasm').map(([name]) => ({ glue: `crmlens_${name}.js`, wasm: `crmlens_${name}_bg.wasm` }));
// The two reserved XML namespace names (the XML Namespaces spec binds the prefixes `xml` and
// `xmlns` to them): identifiers that an XML reader (quick-xml, in the `sheets` module)
// compares names against, never fetched. Only these exact strings are set aside.
const XML_NAMESPACE_NAMES = ['http://www.w3.org/XML/1998/namespace', 'http://www.w3.org/2000/xmlns/'];
const WASM_STRING_RE = /\b(?:fetch|XMLHttpRequest|WebSocket|WebTransport|EventSource|sendBeacon|importScripts|RTCPeerConnection)\b|(?:https?|wss?):\/\//;

function jsFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...jsFiles(p));
    else if (/\.(m|c)?js$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Visits every node with the chain of enclosing function names. */
function walk(node, visit, fnStack = [], parent = null) {
  if (!node || typeof node.type !== 'string') return;
  visit(node, fnStack, parent);
  let stack = fnStack;
  const name = functionName(node, parent);
  if (name !== undefined) stack = [...fnStack, name];
  for (const [k, v] of Object.entries(node)) {
    if (k === 'type' || k === 'start' || k === 'end') continue;
    if (Array.isArray(v)) for (const c of v) walk(c, visit, stack, node);
    else if (v && typeof v === 'object' && typeof v.type === 'string') walk(v, visit, stack, node);
  }
}

function functionName(node, parent) {
  if (!/Function/.test(node.type)) return undefined;
  if (node.id?.name) return node.id.name;
  if (parent?.type === 'Property' || parent?.type === 'MethodDefinition') return keyName(parent.key) ?? '<fn>';
  if (parent?.type === 'VariableDeclarator') return parent.id?.name ?? '<fn>';
  return '<anonymous>';
}

function keyName(key) {
  if (!key) return undefined;
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'Literal') return String(key.value);
  return undefined;
}

const isLocalSpecifier = (s) => typeof s === 'string' && (s.startsWith('./') || s.startsWith('../') || s.startsWith('node:'));

/** Network findings in one AST subtree: [{ what, where, node, fnStack }]. */
function findNetwork(ast, code) {
  const found = [];
  const add = (what, node, fnStack) => found.push({ what, node, fnStack, snippet: code.slice(node.start, Math.min(node.end, node.start + 120)) });
  walk(ast, (node, fnStack, parent) => {
    switch (node.type) {
      case 'Identifier':
        if (NETWORK_SET.has(node.name)) add(`network API ${node.name}`, node, fnStack);
        if (node.name === 'eval' && !(parent?.type === 'MemberExpression' && parent.property === node && !parent.computed)) add('eval', node, fnStack);
        break;
      case 'Literal':
        if (typeof node.value === 'string') {
          if (NETWORK_SET.has(node.value)) add(`string naming network API ${node.value}`, node, fnStack);
          if (URL_RE.test(node.value)) add(`URL in code: ${node.value.slice(0, 80)}`, node, fnStack);
        }
        break;
      case 'TemplateElement':
        if (URL_RE.test(node.value.cooked ?? node.value.raw)) add(`URL in template: ${node.value.raw.slice(0, 80)}`, node, fnStack);
        break;
      case 'ImportExpression': {
        const s = node.source;
        if (!(s.type === 'Literal' && isLocalSpecifier(s.value))) add('dynamic import() of a non-relative or non-literal specifier', node, fnStack);
        break;
      }
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration':
        if (node.source && !isLocalSpecifier(node.source.value)) add(`import of another module: ${node.source.value}`, node, fnStack);
        break;
      case 'NewExpression':
      case 'CallExpression':
        if (node.callee.type === 'Identifier' && node.callee.name === 'Function') add('Function constructor', node, fnStack);
        break;
      default:
    }
  }, []);
  return found;
}

// CrmlensPool's workers run their own wasm (the core with the shard ops, the `pool` feature of
// src/wasm): its wasm-bindgen glue is scanned like a module's, and pool.js compiles it once.
const POOL = { glue: 'crmlens_pool.js', wasm: 'crmlens_pool_bg.wasm' };
const POOL_WASM_URL = "new URL('./crmlens_pool_bg.wasm', import.meta.url)";

/** (a) The JS files. Returns { violations, fetchCalls, files }. */
function scanJs(dir) {
  const violations = [];
  const fetchCalls = [];
  const files = jsFiles(dir);
  for (const file of files) {
    const rel = relative(dir, file);
    const code = readFileSync(file, 'utf8');
    let ast;
    try {
      ast = parseAst(code);
    } catch (e) {
      violations.push(`${rel}: cannot be parsed (${e.message})`);
      continue;
    }
    // Which Identifier nodes are `fetch(<identifier>)` callees, to single out the loader.
    const fetchCallees = new Map();
    walk(ast, (node) => {
      if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'fetch') fetchCallees.set(node.callee, node);
    });
    for (const f of findNetwork(ast, code)) {
      const call = fetchCallees.get(f.node);
      if (call) fetchCalls.push({ file: rel, fn: f.fnStack.at(-1), args: call.arguments.map((a) => code.slice(a.start, a.end)) });
      const isLoaderFetch = call && (rel === 'crmlens.js' || rel === POOL.glue || EXT.some((m) => m.glue === rel)) && f.fnStack.at(-1) === '__wbg_init_once'
        && call.arguments.length === 1 && call.arguments[0].type === 'Identifier' && call.arguments[0].name === 'module_or_path';
      // CrmlensPool (browser) compiles the package's own pool wasm once for its workers.
      const isPoolFetch = call && rel === 'pool.js' && f.fnStack.at(-1) === 'compile' && call.arguments.length === 1
        && code.slice(call.arguments[0].start, call.arguments[0].end) === POOL_WASM_URL;
      if (!isLoaderFetch && !isPoolFetch) violations.push(`${rel} (in ${f.fnStack.at(-1) ?? 'top level'}): ${f.what}: ${f.snippet}`);
    }
  }
  return { violations, fetchCalls, files: files.map((f) => relative(dir, f)) };
}

/** index.js must instantiate the module from the package's own file. */
function checkBrowserLoader(dir) {
  const code = readFileSync(join(dir, 'index.js'), 'utf8');
  const ast = parseAst(code);
  let initName;
  for (const n of ast.body) {
    if (n.type === 'ImportDeclaration' && n.source.value === './crmlens.js') {
      for (const s of n.specifiers) if (s.type === 'ImportDefaultSpecifier') initName = s.local.name;
    }
  }
  const calls = [];
  walk(ast, (node) => {
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === initName) calls.push(node);
  });
  const problems = [];
  if (!initName) problems.push('index.js does not import the default init of ./crmlens.js');
  if (calls.length !== 1) problems.push(`index.js calls init ${calls.length} times`);
  for (const call of calls) {
    const arg = call.arguments[0];
    const prop = arg?.type === 'ObjectExpression' && arg.properties.find((p) => keyName(p.key) === 'module_or_path');
    const v = prop?.value;
    const ok = v?.type === 'NewExpression' && v.callee.name === 'URL' && v.arguments.length === 2
      && v.arguments[0].type === 'Literal' && v.arguments[0].value === './crmlens_bg.wasm'
      && v.arguments[1].type === 'MemberExpression' && v.arguments[1].object.type === 'MetaProperty'
      && v.arguments[1].property.name === 'url';
    if (!ok) problems.push(`index.js init argument is not { module_or_path: new URL('./crmlens_bg.wasm', import.meta.url) }: ${code.slice(call.start, call.end)}`);
  }
  return problems;
}

/** (b) The wasm imports and the glue behind them. */
function scanWasmImports(dir, glueFile = 'crmlens.js', wasmFile = 'crmlens_bg.wasm') {
  const violations = [];
  const bytes = readFileSync(join(dir, wasmFile));
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
  const code = readFileSync(join(dir, glueFile), 'utf8');
  const ast = parseAst(code);

  // Top-level functions of crmlens.js (the helpers glue may call).
  const topFns = new Map();
  for (const n of ast.body) {
    const d = n.type === 'ExportNamedDeclaration' ? n.declaration : n;
    if (d?.type === 'FunctionDeclaration') topFns.set(d.id.name, d);
  }
  // The import object: `const import0 = { name: function ... }` in __wbg_get_imports, and
  // the module name it is registered under.
  const glue = new Map();
  const moduleNames = [];
  const getImports = topFns.get('__wbg_get_imports');
  if (!getImports) violations.push('crmlens.js has no __wbg_get_imports');
  else {
    walk(getImports, (node) => {
      if (node.type === 'VariableDeclarator' && node.init?.type === 'ObjectExpression') {
        for (const p of node.init.properties) if (p.type === 'Property' && keyName(p.key) !== '__proto__') glue.set(keyName(p.key), p.value);
      }
      if (node.type === 'ReturnStatement' && node.argument?.type === 'ObjectExpression') {
        for (const p of node.argument.properties) if (keyName(p.key) !== '__proto__') moduleNames.push(keyName(p.key));
      }
    });
  }
  const reach = (fnNode) => {
    // The glue function plus every crmlens.js top-level function it calls, transitively.
    const seen = new Set();
    const nodes = [fnNode];
    const queue = [fnNode];
    while (queue.length) {
      walk(queue.pop(), (node) => {
        if (node.type === 'Identifier' && topFns.has(node.name) && !seen.has(node.name) && node.name !== '__wbg_get_imports') {
          seen.add(node.name);
          nodes.push(topFns.get(node.name));
          queue.push(topFns.get(node.name));
        }
      });
    }
    return { nodes, helpers: [...seen] };
  };
  const report = [];
  for (const imp of imports) {
    // wasm-bindgen's inline JS (`snippets/…`, e.g. the macrotask yield of long work): the
    // import must be a function that snippet exports, and the snippet uses no network API.
    if (imp.module.startsWith('./snippets/')) {
      const path = join(dir, imp.module);
      let scode = '';
      try { scode = readFileSync(path, 'utf8'); } catch { violations.push(`wasm import ${imp.name}: snippet ${imp.module} is missing`); continue; }
      const sast = parseAst(scode);
      const exported = sast.body.some((n) => n.type === 'ExportNamedDeclaration' && n.declaration?.type === 'FunctionDeclaration' && n.declaration.id.name === imp.name);
      if (!exported) violations.push(`wasm import ${imp.name}: not a function exported by ${imp.module}`);
      for (const f of findNetwork(sast, scode)) violations.push(`wasm import ${imp.name} -> snippet: ${f.what}: ${f.snippet}`);
      report.push(`${imp.name} -> snippet ${imp.module}`);
      continue;
    }
    if (!moduleNames.includes(imp.module)) violations.push(`wasm import ${imp.module}.${imp.name}: module is not the crmlens.js glue (${moduleNames.join(', ')})`);
    const bare = imp.name.replace(/^__wbg_/, '').replace(/_[0-9a-f]{16}$/, '');
    for (const n of NETWORK_SET) if (bare.toLowerCase().includes(n.toLowerCase())) violations.push(`wasm import ${imp.name} is named after ${n}`);
    const fn = glue.get(imp.name);
    if (!fn) { violations.push(`wasm import ${imp.name} has no glue function in crmlens.js`); continue; }
    const { nodes, helpers } = reach(fn);
    for (const node of nodes) {
      for (const f of findNetwork(node, code)) violations.push(`wasm import ${imp.name} -> ${f.fnStack.at(-1) ?? node.id?.name ?? 'glue'}: ${f.what}: ${f.snippet}`);
    }
    report.push(`${imp.name} -> ${code.slice(fn.start, fn.end).replace(/\s+/g, ' ').slice(0, 90)}${helpers.length ? ` [calls ${helpers.join(', ')}]` : ''}`);
  }
  // Strings stored in the binary (data segments, names): no network API names or URLs.
  const text = bytes.toString('latin1');
  for (const m of text.matchAll(/[\x20-\x7e]{4,}/g)) {
    const str = XML_NAMESPACE_NAMES.reduce((t, ns) => t.replaceAll(ns, ''), m[0]);
    if (WASM_STRING_RE.test(str)) violations.push(`${wasmFile} contains the string ${JSON.stringify(m[0].slice(0, 100))}`);
  }
  return { violations, imports, report };
}

function scanPackage(dir) {
  const js = scanJs(dir);
  const wasm = scanWasmImports(dir);
  const ext = [...EXT, POOL].flatMap((m) => scanWasmImports(dir, m.glue, m.wasm).violations);
  return { js, wasm, violations: [...js.violations, ...checkBrowserLoader(dir), ...wasm.violations, ...ext] };
}

test('pkg/*.js: no network API besides the loader fetch of module_or_path in crmlens.js', (t) => {
  const { violations, fetchCalls, files } = scanJs(PKG_DIR);
  for (const f of ['crmlens.js', 'index.js', 'node.js', 'worker.js', 'worker-entry.js']) assert.ok(files.includes(f), `${f} was scanned`);
  assert.deepEqual(violations, []);
  const loaders = ['crmlens.js', POOL.glue, ...EXT.map((m) => m.glue)].map((file) => ({ file, fn: '__wbg_init_once', args: ['module_or_path'] }));
  loaders.push({ file: 'pool.js', fn: 'compile', args: [POOL_WASM_URL] });
  const byFile = (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  assert.deepEqual([...fetchCalls].sort(byFile), loaders.sort(byFile), 'one fetch call per wasm: the wasm-bindgen loader of the core, of the pool wasm and of each lazily loaded module, and the pool compiling its wasm once');
  t.diagnostic(`scanned ${files.join(', ')}`);
});

test('pkg/index.js loads the wasm from new URL("./crmlens_bg.wasm", import.meta.url); node.js reads it from disk', () => {
  assert.deepEqual(checkBrowserLoader(PKG_DIR), []);
  const node = readFileSync(join(PKG_DIR, 'node.js'), 'utf8');
  assert.match(node, /initSync\(\{\s*module:\s*readFileSync\(new URL\('\.\/crmlens_bg\.wasm', import\.meta\.url\)\)\s*\}\)/);
});

test('wasm imports map to glue functions that use no network API', (t) => {
  const { violations, imports, report } = scanWasmImports(PKG_DIR);
  assert.ok(imports.length > 10, `the module has ${imports.length} imports`);
  assert.ok(imports.every((i) => i.kind === 'function'), 'only function imports');
  assert.deepEqual(violations, []);
  t.diagnostic(`${imports.length} wasm imports, each mapped to its glue: ${imports.map((i) => i.name.replace(/_[0-9a-f]{16}$/, '')).join(' ')}`);
  assert.equal(report.length, imports.length);
});

test('each lazily loaded wasm module: imports map to its own glue, which uses no network API', (t) => {
  assert.ok(EXT.length >= 1);
  for (const m of [...EXT, POOL]) {
    const { violations, imports } = scanWasmImports(PKG_DIR, m.glue, m.wasm);
    assert.ok(imports.every((i) => i.kind === 'function'), `${m.wasm}: only function imports`);
    assert.deepEqual(violations, [], m.wasm);
    t.diagnostic(`${m.wasm}: ${imports.length} imports`);
  }
});

test('self-check: the scanner catches deliberately injected network code', (t) => {
  const base = mkdtempSync(join(tmpdir(), 'crmlens-privacy-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const fresh = (name) => {
    const dir = join(base, name);
    cpSync(PKG_DIR, dir, { recursive: true });
    return dir;
  };
  // The clean copy passes: the injections below are what makes each one fail.
  assert.deepEqual(scanPackage(fresh('clean')).violations, []);

  const glueName = (dir, prefix) => {
    const code = readFileSync(join(dir, 'crmlens.js'), 'utf8');
    return code.match(new RegExp(`(${prefix}_[0-9a-f]{16}): function`))[1];
  };
  const cases = [
    ['a new file with sendBeacon', (dir) => writeFileSync(join(dir, 'telemetry.js'), "export function send(d) { navigator.sendBeacon('/collect', JSON.stringify(d)); }\n"), /telemetry\.js.*sendBeacon/],
    ['a POST fetch in worker.js', (dir) => appendFileSync(join(dir, 'worker.js'), "\nexport function leak(rows) { return fetch('/upload', { method: 'POST', body: JSON.stringify(rows) }); }\n"), /worker\.js \(in leak\): network API fetch/],
    ['an URL in index.js', (dir) => appendFileSync(join(dir, 'index.js'), "\nexport const endpoint = 'https://collector.example.invalid/v1';\n"), /index\.js.*URL in code/],
    ['dynamic import of a URL', (dir) => appendFileSync(join(dir, 'node.js'), "\nexport const plugin = () => import('https://cdn.example.invalid/plugin.js');\n"), /node\.js.*dynamic import/],
    ['dynamic import of a variable', (dir) => appendFileSync(join(dir, 'node.js'), "\nexport const load = (u) => import(u);\n"), /node\.js.*dynamic import/],
    ['string-keyed access to fetch', (dir) => appendFileSync(join(dir, 'worker-entry.js'), "\nglobalThis['fetch']('/x');\n"), /worker-entry\.js.*string naming network API fetch/],
    ['a WebSocket in a template URL', (dir) => appendFileSync(join(dir, 'worker.js'), '\nexport const ws = (h) => new WebSocket(`wss://${h}/stream`);\n'), /worker\.js.*network API WebSocket/],
    ['eval', (dir) => appendFileSync(join(dir, 'index.js'), "\nexport const run = (s) => eval(s);\n"), /index\.js.*eval/],
    ['a package import', (dir) => appendFileSync(join(dir, 'index.js'), "\nexport * from 'some-analytics-sdk';\n"), /import of another module: some-analytics-sdk/],
    ['the wasm loaded from a CDN', (dir) => {
      const p = join(dir, 'index.js');
      writeFileSync(p, readFileSync(p, 'utf8').replace("new URL('./crmlens_bg.wasm', import.meta.url)", "'https://cdn.example.invalid/crmlens_bg.wasm'"));
    }, /index\.js init argument is not/],
    ['XMLHttpRequest inside the glue of a wasm import', (dir) => {
      const name = glueName(dir, '__wbg_arrayBuffer');
      const p = join(dir, 'crmlens.js');
      writeFileSync(p, readFileSync(p, 'utf8').replace(`${name}: function(arg0) {`, `${name}: function(arg0) {\n            const x = new XMLHttpRequest(); x.open('POST', '/c'); x.send(arg0);`));
      return name;
    }, (name) => new RegExp(`wasm import ${name} -> .*XMLHttpRequest`)],
    ['fetch in a helper that glue calls', (dir) => {
      const p = join(dir, 'crmlens.js');
      writeFileSync(p, readFileSync(p, 'utf8').replace('function getStringFromWasm0(ptr, len) {', "function getStringFromWasm0(ptr, len) {\n    globalThis.fetch?.('/log');"));
    }, /wasm import __wbg_Error_[0-9a-f]+ -> getStringFromWasm0: network API fetch/],
    ['a wasm import without glue', (dir) => {
      const name = glueName(dir, '__wbg_size');
      const p = join(dir, 'crmlens.js');
      writeFileSync(p, readFileSync(p, 'utf8').replace(`${name}: function`, `${name}_renamed: function`));
      return name;
    }, (name) => new RegExp(`wasm import ${name} has no glue function`)],
    ['a network API name in the wasm binary', (dir) => {
      const p = join(dir, 'crmlens_bg.wasm');
      const bytes = readFileSync(p);
      // Append a custom section named "x" holding the string (still a valid module).
      const payload = Buffer.from('\x01xsendBeacon https://collector.example.invalid', 'latin1');
      writeFileSync(p, Buffer.concat([bytes, Buffer.from([0x00, payload.length]), payload]));
    }, /crmlens_bg\.wasm contains the string/],
  ];
  for (const [i, [label, inject, expect]] of cases.entries()) {
    const dir = fresh(`case${i}`);
    const extra = inject(dir);
    const re = typeof expect === 'function' ? expect(extra) : expect;
    const { violations } = scanPackage(dir);
    assert.ok(violations.some((v) => re.test(v)), `${label}: expected a violation matching ${re}, got:\n${violations.join('\n') || '(none)'}`);
  }
});
