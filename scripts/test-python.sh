#!/usr/bin/env bash
# The Python wheel's tests (tests/python, pytest): sets up Java + the cached venv + the wheel
# (scripts/setup-python.sh), then runs pytest. The comparisons with the browser package need
# the built pkg/ (scripts/build.sh first). Spark tests skip, with the reason printed, only
# when no Java runtime is found.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(bash scripts/setup-python.sh | tail -n 1)
( cd src/python && cargo fmt --check && nice -n 10 cargo clippy --all-targets --quiet -- -D warnings )
cd tests/python
exec "$venv/bin/python" -m pytest -rs -p no:cacheprovider "$@"
