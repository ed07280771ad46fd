#!/usr/bin/env bash
# Builds the npm package into pkg/ (release wasm, wasm-opt from the npm binaryen package).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# wasm-pack must never download tools: wasm-opt comes from node_modules/.bin, and
# wasm-bindgen from the pinned wasm-bindgen-cli that scripts/setup.sh installs.
# The package is built from the JS boundary crate (src/wasm), which wraps the core crate.
wasm-pack build src/wasm --target web --release --out-dir ../../pkg --out-name crmlens
node scripts/package.mjs
ls -l pkg/crmlens_bg.wasm | awk '{print "wasm bytes:", $5}'
echo "wasm gzipped bytes: $(gzip -9c pkg/crmlens_bg.wasm | wc -c)"
