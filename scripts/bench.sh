#!/usr/bin/env bash
# Benchmarks on generated data (release build, wall time and peak memory of the whole process):
#   1. `evreg check` on 1,000 Avro subjects x 10 versions under FULL_TRANSITIVE;
#   2. `evreg validate` on 100,000 events (NDJSON) built from the bundled registry's fixtures;
#   3. a pre-commit run (`evreg check --staged`) on the bundled registry.
# Usage: bash scripts/bench.sh [WORKDIR]   (default: a temporary folder, removed afterwards)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
[ -n "${1:-}" ] || trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
evreg=$PWD/target/release/evreg

measure() { # label, command...
  local label=$1; shift
  local best=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null || true
    read -r secs kb < "$work/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < ${best%% *})}"; then best="$secs $kb"; fi
  done
  printf '%-58s %6.2f s  %5d MB\n' "$label" "${best%% *}" "$(( ${best##* } / 1024 ))"
}

rm -rf "$work/avro"
python3 scripts/gen_registry.py "$work/avro" --subjects 1000 --versions 10 --mode FULL_TRANSITIVE > /dev/null
(cd "$work/avro" && measure "check: 1,000 Avro subjects x 10 versions, FULL_TRANSITIVE" "$evreg" check)

python3 - "$work/events.ndjson" <<'PY'
import glob, itertools, json, sys
events = [json.dumps(json.load(open(f))) for f in sorted(glob.glob("fixtures/*/*/*.json"))]
with open(sys.argv[1], "w") as out:
    for _, e in zip(range(100_000), itertools.cycle(events)):
        out.write(e + "\n")
PY
measure "validate: 100,000 events (NDJSON, bundled fixtures)" "$evreg" validate "$work/events.ndjson"
measure "pre-commit: check --staged on the bundled registry" "$evreg" check --staged
