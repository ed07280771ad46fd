#!/usr/bin/env bash
# Sets up the Python wheel's tests (src/python; docs-python.md): a Java runtime for Spark
# (Debian's openjdk-17-jre-headless, only if no `java`), a Python virtual environment with the
# pinned packages of src/python/requirements-dev.txt (pyspark, dask[distributed], pyarrow,
# pandas, maturin, pytest) and the crmlens wheel built into it by maturin (release, abi3).
#
# The environment is cached in ~/.cache/crmlens-venv-<hash of the requirements and the Python
# version>: a re-run with the same requirements reuses it (no download); only the wheel is
# rebuilt (incrementally). Prints the venv's path as its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
log() { printf '\n== setup-python: %s\n' "$*" >&2; }

apt_install() {
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >&2
}

if command -v java >/dev/null 2>&1; then
  log "java present: $(java -version 2>&1 | head -n 1)"
else
  log "installing openjdk-17-jre-headless (Spark's Java runtime)"
  apt_install openjdk-17-jre-headless
fi

PY=${PYTHON:-python3}
if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  log "installing python3-venv"
  apt_install python3 python3-venv python3-pip
fi
req=src/python/requirements-dev.txt
key=$( { cat "$req"; "$PY" -c 'import sys; print(sys.version)'; } | sha256sum | cut -c1-16)
venv="${CRMLENS_VENV:-$HOME/.cache/crmlens-venv-$key}"
if [ -x "$venv/bin/python" ] && [ -f "$venv/.complete" ]; then
  log "venv present: $venv"
else
  log "creating $venv from $req (pyspark is a large download: a few minutes the first time)"
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  "$PY" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip >&2
  "$venv/bin/python" -m pip install -q -r "$req" >&2
  touch "$venv/.complete"
fi

log "building the crmlens wheel into the venv (maturin develop --release)"
(
  cd src/python
  VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" nice -n 10 "$venv/bin/maturin" develop --release --quiet >&2
)
"$venv/bin/python" -c 'import crmlens, pyspark, dask, pyarrow; print("crmlens wheel ok; pyspark", pyspark.__version__, "dask", dask.__version__, "pyarrow", pyarrow.__version__)' >&2
echo "$venv"
