#!/usr/bin/env bash
# Installs everything crmlens needs on a fresh Debian machine with Rust stable and Node 20
# (run as root, or with sudo available). Idempotent: each tool is installed unless the
# exact required version is already there. Nothing is downloaded from outside the package
# registries (crates.io, Debian, npm): wasm-pack's own downloads of wasm-opt and
# chromedriver are never used.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\n== setup: %s\n' "$*"; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

WASM_PACK_VERSION=0.15.1
# wasm-bindgen-cli must equal the wasm-bindgen crate version resolved in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1; }

# Debian packages (browser + driver for the browser tests) and npm packages install in the
# background while cargo compiles the two CLI tools.
apt_log=$(mktemp); npm_log=$(mktemp)
(
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver
  else
    echo "chromium $(chromium --version 2>/dev/null | awk '{print $2}') and chromedriver present"
  fi
) >"$apt_log" 2>&1 &
apt_pid=$!
( npm ci --no-audit --no-fund ) >"$npm_log" 2>&1 &
npm_pid=$!

log "rust: wasm32 target, rustfmt, clippy"
rustup target add wasm32-unknown-unknown
rustup component add rustfmt clippy >/dev/null 2>&1 || true

if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  log "installing wasm-pack $WASM_PACK_VERSION (takes a few minutes)"
  cargo install --locked wasm-pack --version "$WASM_PACK_VERSION"
else
  log "wasm-pack $WASM_PACK_VERSION present"
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes a few minutes)"
  # Not --locked: the lockfile of 0.2.130 pins a yanked dependency.
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
else
  log "wasm-bindgen-cli $WASM_BINDGEN_VERSION present"
fi

log "waiting for apt (chromium, chromium-driver)"
if ! wait "$apt_pid"; then cat "$apt_log"; echo "apt-get install failed" >&2; exit 1; fi
tail -n 2 "$apt_log"
log "waiting for npm ci"
if ! wait "$npm_pid"; then cat "$npm_log"; echo "npm ci failed" >&2; exit 1; fi
grep -v 'nodedir' "$npm_log" | tail -n 3 || true
rm -f "$apt_log" "$npm_log"

log "tools"
echo "rustc: $(rustc --version)"
echo "wasm-pack: $(wasm-pack --version)"
echo "wasm-bindgen: $(wasm-bindgen --version)"
echo "wasm-opt: $(node_modules/.bin/wasm-opt --version)"
echo "chromium: $(chromium --version 2>/dev/null)"
echo "chromedriver: $(chromedriver --version 2>/dev/null)"
echo "node: $(node --version)"
