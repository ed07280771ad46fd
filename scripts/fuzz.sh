#!/usr/bin/env bash
# The long native fuzz campaign (issue 19; see FUZZING.md): the harness of tests/fuzz/ in a
# release build, every public entry point, hostile options, mutated real files.
#
#   bash scripts/fuzz.sh                       # 10^6 inputs or 30 minutes, seed 1
#   FUZZ_INPUTS=5000000 FUZZ_SECONDS=7200 FUZZ_SEED=7 bash scripts/fuzz.sh
#   FUZZ_TARGETS=segment,association_rules bash scripts/fuzz.sh
#   FUZZ_MAX_BYTES=16384 FUZZ_OUT=target/fuzz-a FUZZ_SEED=2 bash scripts/fuzz.sh   # smaller inputs, more of them
#   bash scripts/fuzz.sh --replay target/fuzz-out/segment-panic-....json
#
# Panics are caught per input (catch_unwind); an input over its time bound (FUZZ_SLOW_MS +
# FUZZ_SLOW_MS_PER_KB per KiB of input, default 3000 + 50) is a hang; wrong results (chunked ≠
# whole, a lossy CSV round trip, a NaN presented as a result) are findings too. Each finding is
# written to FUZZ_OUT (default target/fuzz-out) as <target>-<kind>-<seed>.json + .bin.
# The run is capped at FUZZ_MEM_KB of virtual memory (default 4 GiB, the wasm32 address space):
# an allocation past it aborts the process, and the script then re-runs the last shard with
# --save-each so the input that aborted is left in FUZZ_OUT/current.json.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${FUZZ_OUT:-target/fuzz-out}
mkdir -p "$OUT"
cargo build --release --example fuzz
BIN=target/release/examples/fuzz

if [[ "${1:-}" == "--replay" ]]; then
  exec "$BIN" --replay "$2"
fi

INPUTS=${FUZZ_INPUTS:-1000000}
SECONDS_BUDGET=${FUZZ_SECONDS:-1800}
SEED=${FUZZ_SEED:-1}
SHARDS=${FUZZ_SHARDS:-20}
MEM_KB=${FUZZ_MEM_KB:-4194304}
MAX_BYTES=${FUZZ_MAX_BYTES:-65536}
TARGET_ARGS=()
[[ -n "${FUZZ_TARGETS:-}" ]] && TARGET_ARGS=(--targets "$FUZZ_TARGETS")

# Shards: each its own seed, an equal share of the inputs and of the time, so an abort loses
# one shard, not the campaign.
per_inputs=$(( (INPUTS + SHARDS - 1) / SHARDS ))
per_seconds=$(( (SECONDS_BUDGET + SHARDS - 1) / SHARDS ))
status=0
for ((s = 0; s < SHARDS; s++)); do
  shard_seed=$(( SEED * 1000 + s ))
  log="$OUT/shard-$shard_seed.txt"
  set +e
  ( ulimit -v "$MEM_KB"; nice "$BIN" --seed "$shard_seed" --inputs "$per_inputs" --seconds "$per_seconds" \
      --out "$OUT" --max-bytes "$MAX_BYTES" --slow-ms "${FUZZ_SLOW_MS:-3000}" --slow-ms-per-kb "${FUZZ_SLOW_MS_PER_KB:-50}" \
      "${TARGET_ARGS[@]}" ) > "$log" 2>&1
  rc=$?
  set -e
  if (( rc > 1 )); then
    echo "shard $shard_seed aborted (exit $rc): re-running it with --save-each" | tee -a "$log"
    ( ulimit -v "$MEM_KB"; "$BIN" --seed "$shard_seed" --inputs "$per_inputs" --seconds "$per_seconds" \
        --out "$OUT" --max-bytes "$MAX_BYTES" --save-each "${TARGET_ARGS[@]}" ) >> "$log" 2>&1 || true
    cp "$OUT/current.json" "$OUT/abort-$shard_seed.json" 2>/dev/null || true
    status=1
  elif (( rc == 1 )); then
    status=1
  fi
  tail -n 25 "$log" | grep -E "^total|panic|slow|wrong|aborted" || true
done

# Sum the shards' tables.
python3 - "$OUT" <<'PY'
import glob, re, sys, collections
tot = collections.OrderedDict()
for f in sorted(glob.glob(sys.argv[1] + "/shard-*.txt")):
    for line in open(f, encoding="utf-8", errors="replace"):
        m = re.match(r"^(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)", line)
        if m and m.group(1) != "target":
            t = tot.setdefault(m.group(1), [0, 0, 0, 0, 0, 0, 0.0])
            for i in range(6):
                t[i] += int(m.group(i + 2))
            t[6] = max(t[6], float(m.group(8)))
print(f"{'target':<26} {'inputs':>10} {'ok':>10} {'errors':>10} {'panic':>6} {'slow':>6} {'wrong':>6} {'max ms':>9}")
for k, t in tot.items():
    print(f"{k:<26} {t[0]:>10} {t[1]:>10} {t[2]:>10} {t[3]:>6} {t[4]:>6} {t[5]:>6} {t[6]:>9.1f}")
print(f"{'all':<26} {sum(t[0] for t in tot.values()):>10}")
PY
exit $status
