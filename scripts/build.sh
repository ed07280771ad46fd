#!/usr/bin/env bash
# Builds the npm package into pkg/ (release wasm, wasm-opt from the npm binaryen package).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# wasm-pack must never download tools: wasm-opt comes from node_modules/.bin, and
# wasm-bindgen from the pinned wasm-bindgen-cli that scripts/setup.sh installs.
# The package is built from the JS boundary crate (src/wasm), which wraps the core crate.
# Every wasm-pack build goes to a scratch directory, then is copied into pkg/: wasm-pack runs
# wasm-opt over every .wasm in its out dir, so building into pkg/ itself re-optimised the
# pool's and the modules' .wasm of an earlier build (minutes, and the bytes drift).
core_out="$PWD/target/ext-pkg/core"
rm -rf "$core_out"
wasm-pack build src/wasm --target web --release --out-dir "$core_out" --out-name crmlens
mkdir -p pkg
cp -r "$core_out/." pkg/
# The wasm of CrmlensPool's workers (js/pool.js, pool-entry.js): the same boundary crate with
# the `pool` feature (the shard loading and mergeable-state ops), so the default core above
# carries none of it. Built into a scratch directory like the modules; its glue and wasm
# are copied as pkg/crmlens_pool.js + pkg/crmlens_pool_bg.wasm (wasm-opt as for the core).
pool_out="$PWD/target/ext-pkg/pool"
rm -rf "$pool_out"
wasm-pack build src/wasm --target web --release --no-pack --out-dir "$pool_out" --out-name crmlens_pool -- --features pool
cp "$pool_out/crmlens_pool.js" "$pool_out/crmlens_pool.d.ts" "$pool_out/crmlens_pool_bg.wasm" pkg/
# Its wasm-bindgen inline JS (the macrotask yield) is the same crate's: next to the core's.
if [ -d "$pool_out/snippets" ]; then mkdir -p pkg/snippets && cp -r "$pool_out/snippets/." pkg/snippets/; fi
# The lazily loaded wasm modules (scripts/modules.json, kind "wasm"): one crate each, built
# next to the core as pkg/crmlens_<name>.js + pkg/crmlens_<name>_bg.wasm. wasm-pack writes
# its own package.json/README/.gitignore into the out dir, so each is built into a scratch
# directory and only its glue and wasm are copied.
for m in $(node -e 'const m = require("./scripts/modules.json"); for (const [k, v] of Object.entries(m)) if (v.kind === "wasm") console.log(`${k}=${v.crate}`)'); do
  name=${m%%=*}; crate=${m#*=}
  out="$PWD/target/ext-pkg/$name"
  rm -rf "$out"
  wasm-pack build "$crate" --target web --release --no-pack --out-dir "$out" --out-name "crmlens_$name"
  cp "$out/crmlens_$name.js" "$out/crmlens_$name.d.ts" "$out/crmlens_${name}_bg.wasm" pkg/
done
node scripts/package.mjs
ls -l pkg/crmlens_bg.wasm | awk '{print "wasm bytes:", $5}'
echo "wasm gzipped bytes: $(gzip -9c pkg/crmlens_bg.wasm | wc -c)"
for f in pkg/crmlens_*_bg.wasm; do echo "$(basename "$f") gzipped bytes: $(gzip -9c "$f" | wc -c)"; done
