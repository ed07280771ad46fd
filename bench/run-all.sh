#!/usr/bin/env bash
# Every table of bench/README.md in one go (about 20-25 minutes on 2 cores):
# Node at 1,000,000 rows (with the per-column-type breakdown) and 100,000 rows, the
# crmlens input-form / chunk-size variants, and headless Chromium at both sizes.
# The package is measured from a snapshot (bench/out/pkg-<wasm sha>), so rebuilding pkg/
# meanwhile cannot mix builds. Results: bench/out/results-<sha>/*.md and *.json.
#   bash bench/run-all.sh [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
[ -f pkg/node.js ] || bash scripts/build.sh
sha=$(sha256sum pkg/crmlens_bg.wasm | cut -c1-12)
snap="bench/out/pkg-$sha"
out="bench/out/results-$sha"
mkdir -p "$out"
[ -d "$snap" ] || cp -r pkg "$snap"
echo "measuring crmlens build $sha (snapshot $snap) -> $out"
run() { local name=$1; shift; echo "== $name: $*"; "$@" --runs "$runs" --pkg "$snap" --json "$out/$name.json" >"$out/$name.md" 2>"$out/$name.log"; tail -n 1 "$out/$name.md"; }
run node-1m node bench/load.mjs --rows 1000000 --breakdown
run node-100k node bench/load.mjs --rows 100000
run node-variants-1m node bench/load.mjs --rows 1000000 --parsers crmlens,crmlens-hinted,crmlens-string,crmlens-stream-256k,crmlens-stream,crmlens-stream-32m
run browser-1m node bench/browser.mjs --rows 1000000
run browser-100k node bench/browser.mjs --rows 100000
echo "done: $out"
