#!/usr/bin/env bash
# The main job: set everything up, build the npm package into pkg/, serve the demo on
# http://127.0.0.1:${PORT:-8080}/ (localhost only).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec node scripts/serve.mjs "${PORT:-8080}"
