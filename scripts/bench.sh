#!/usr/bin/env bash
# Benchmarks on generated data (release build, wall time and peak memory of the whole process,
# best of three):
#   1. `evreg check` on 1,000 Avro subjects x 10 versions under FULL_TRANSITIVE;
#   2. `evreg check` on 1,000 JSON Schema subjects x 10 versions under BACKWARD_TRANSITIVE;
#   3. `evreg validate` on 100,000 events (NDJSON) built from the bundled registry's fixtures;
#   4. the same for JSON Schema payloads, against Python `jsonschema` validating the same payloads;
#   5. Rust code generation for the registry of 1;
#   6. a pre-commit run (`evreg check --staged`) on the bundled registry.
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
(cd "$work/avro" && measure "codegen rust --out: the same 1,000 x 10 Avro subjects" "$evreg" codegen rust --out "$work/events.rs")

rm -rf "$work/json"
python3 scripts/gen_json_registry.py "$work/json" --subjects 1000 --versions 10 > /dev/null
(cd "$work/json" && measure "check: 1,000 JSON Schema subjects x 10 versions, BACKWARD_TRANS." "$evreg" check)

# 100,000 events cycling through the bundled fixtures (all valid), all of them and JSON Schema only.
python3 - "$work" <<'PY'
import glob, itertools, json, sys
def write(path, files):
    events = [json.dumps(json.load(open(f))) for f in sorted(files)]
    with open(path, "w") as out:
        for _, e in zip(range(100_000), itertools.cycle(events)):
            out.write(e + "\n")
write(sys.argv[1] + "/events.ndjson", glob.glob("fixtures/*/v*/*.json"))
write(sys.argv[1] + "/json-events.ndjson", [f for f in glob.glob("fixtures/*/v*/*.json") if f.split("/")[1] in ("payments.refund.requested", "shipping.parcel.dispatched")])
PY
measure "validate: 100,000 events (NDJSON, Avro and JSON Schema)" "$evreg" validate "$work/events.ndjson"
measure "validate: 100,000 JSON Schema events" "$evreg" validate "$work/json-events.ndjson"
if python3 -c 'import jsonschema' 2>/dev/null; then
  measure "python jsonschema: the same 100,000 JSON Schema payloads" python3 scripts/bench_validate_python.py . "$work/json-events.ndjson"
fi
measure "pre-commit: check --staged on the bundled registry" "$evreg" check --staged
