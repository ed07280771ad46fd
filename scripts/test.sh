#!/usr/bin/env bash
# Runs every test: formatting, lints, native tests, wasm tests in Node and headless
# Chromium, the package tests in Node, and the end-to-end browser tests. Sets the machine
# up first (scripts/setup.sh). Ends with one line: "crmlens: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
# Incremental-compilation caches only help a developer's rebuilds; in CI they double the
# target dirs on disk (a full run stays near 8 GB without them). Disk is reported up front
# because a full disk fails every step at once (linker "Bus error", "No space left on device").
[ "${CI:-}" = "true" ] && export CARGO_INCREMENTAL=0
echo "disk: $(df -h . | awk 'NR==2 {print $4 " free of " $2 " on " $6}')"
logdir=$(mktemp -d)
passed=0; failed=0; broken=()

step() { # step NAME COMMAND... : runs, tees output, counts tests from cargo / node runners
  local name=$1; shift
  printf '\n==== %s\n' "$name"
  "$@" 2>&1 | tee "$logdir/$name.log"
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(grep -hoE '(test result: [a-zA-Z]+\. [0-9]+ passed|^# pass [0-9]+)' "$logdir/$name.log" | grep -oE '[0-9]+' | awk '{s+=$1} END{print s+0}')
  f=$(grep -hoE '([0-9]+ failed;|^# fail [0-9]+)' "$logdir/$name.log" | grep -oE '[0-9]+' | awk '{s+=$1} END{print s+0}')
  # pytest's closing line: "==== 3 failed, 20 passed, 2 skipped in 40.1s ===="
  local pl
  pl=$(grep -hE '^=+ .*[0-9]+ (passed|failed|error).* in [0-9.]+s' "$logdir/$name.log" | tail -n 1)
  if [ -n "$pl" ]; then
    p=$((p + $(grep -oE '[0-9]+ passed' <<<"$pl" | grep -oE '[0-9]+' || echo 0)))
    f=$((f + $(grep -oE '[0-9]+ (failed|error)' <<<"$pl" | grep -oE '[0-9]+' | awk '{s+=$1} END{print s+0}')))
  fi
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$rc" -ne 0 ]; then broken+=("$name"); [ "$f" -gt 0 ] || failed=$((failed + 1)); fi
  return 0
}

bash scripts/setup.sh || { echo "setup failed"; echo "crmlens: 0 passed, 1 failed"; exit 1; }
step fmt cargo fmt --all --check
step clippy cargo clippy --workspace --all-targets -- -D warnings
step clippy-wasm cargo clippy --workspace --target wasm32-unknown-unknown --all-targets -- -D warnings
# The pool's wasm (src/wasm with its `pool` feature: the shard ops, src/wasm/shard.rs).
step clippy-wasm-pool cargo clippy -p crmlens-wasm --features pool --target wasm32-unknown-unknown --all-targets -- -D warnings
step native cargo test --workspace
step build bash scripts/build.sh
# The Python wheel (src/python) and its Spark / Dask adapters against the built package.
step python bash scripts/test-python.sh
step wasm-node wasm-pack test --node src/wasm --test web
# The headless runner gives the whole suite WASM_BINDGEN_TEST_TIMEOUT seconds (default 20);
# the debug-build suite (real files, ALS fits, segmentations) needs more on a busy machine.
WASM_BINDGEN_TEST_TIMEOUT=300 WASM_BINDGEN_USE_BROWSER=1 step wasm-chromium wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver src/wasm --test web
step js node --test --test-reporter=tap tests/js/
step e2e node --test --test-reporter=tap tests/e2e/

printf '\n==== summary\n'
[ ${#broken[@]} -eq 0 ] || echo "failed steps: ${broken[*]}"
echo "crmlens: $passed passed, $failed failed"
rm -rf "$logdir"
[ ${#broken[@]} -eq 0 ] && [ "$failed" -eq 0 ]
