#!/usr/bin/env bash
# Benchmarks on generated data (release build, wall time and peak memory of the whole process,
# best of three):
#   1. `evreg check` on 1,000 Avro subjects x 10 versions under FULL_TRANSITIVE;
#   2. `evreg check` on 1,000 JSON Schema subjects x 10 versions under BACKWARD_TRANSITIVE;
#   3. `evreg validate` on 100,000 events (NDJSON) built from the bundled registry's fixtures;
#   4. the same for JSON Schema payloads, against Python `jsonschema` validating the same payloads;
#   5. Rust code generation for the registry of 1, and `check --staged` / `--against HEAD` on it
#      committed to git;
#   6. a pre-commit run (`evreg check --staged`) on the bundled registry;
#   7. 2,000 generated Avro evolutions (scripts/avro_oracle.py): `evreg check --output json` on them
#      as a registry against one Python process running Apache Avro's checker on every pair both
#      ways (the two run in turns, best of seven each).
# The goals of each comparison are printed beside the ratio. EVREG_BENCH_SCALING=1 also checks
# 100, 1,000 and 10,000 Avro subjects x 10 versions under FULL_TRANSITIVE (1,000 to 100,000
# versions), to show how time and memory grow.
# Usage: bash scripts/bench.sh [WORKDIR]   (default: a temporary folder, removed afterwards)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
[ -n "${1:-}" ] || trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
evreg=$PWD/target/release/evreg

once() { # command... : one timed run; sets once_secs and once_kb
  # Wall time from bash 5's clock, to the microsecond and without starting a process to read it
  # (time's own is to the hundredth, coarse for a run of a tenth of a second); time's where there
  # is no such clock. Peak memory from time.
  local start=${EPOCHREALTIME:-}
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null || true
  local end=${EPOCHREALTIME:-}
  # The last line: a command that exits non-zero (findings) gets a line of its own first.
  read -r once_secs once_kb < <(tail -n 1 "$work/time")
  if [ -n "$start" ]; then
    once_secs=$(awk -v s="${start/,/.}" -v e="${end/,/.}" 'BEGIN { printf "%.3f", e - s }')
  fi
}

faster() { # a b : whether "secs kb" a is faster than "secs kb" b (or b is empty)
  [ -z "$2" ] || awk "BEGIN{exit !(${1%% *} < ${2%% *})}"
}

report() { # label, "secs kb" : print a figure; sets last_secs and last_mb
  printf '%-58s %6.3f s  %5d MB\n' "$1" "${2%% *}" "$(( ${2##* } / 1024 ))"
  last_secs=${2%% *}
  last_mb=$(( ${2##* } / 1024 ))
}

measure() { # label, command... : the best of three runs
  local label=$1; shift
  local best=""
  for _ in 1 2 3; do
    once "$@"
    if faster "$once_secs $once_kb" "$best"; then best="$once_secs $once_kb"; fi
  done
  report "$label" "$best"
}

ratio() { # label, slower seconds, faster seconds, goal
  awk -v l="$1" -v a="$2" -v b="$3" -v g="$4" 'BEGIN { r = (b > 0 ? a / b : 0); printf "%-58s %6.1fx   (goal: %s)\n", l, r, g }'
}

rm -rf "$work/avro"
python3 scripts/gen_registry.py "$work/avro" --subjects 1000 --versions 10 --mode FULL_TRANSITIVE > /dev/null
# Locked, as a registry in use is: `check` verifies every fingerprint too.
(cd "$work/avro" && "$evreg" lock > /dev/null)
(cd "$work/avro" && measure "check: 1,000 Avro subjects x 10 versions, FULL_TRANSITIVE" "$evreg" check && echo "$last_secs $last_mb" > "$work/avro.fig")
read -r secs mb < "$work/avro.fig"
echo "  goal for 10,000 versions, default output: < 0.5 s and < 150 MB ($secs s, $mb MB)"
(cd "$work/avro" && measure "codegen rust --out: the same 1,000 x 10 Avro subjects" "$evreg" codegen rust --out "$work/events.rs")
# The same registry committed to git: what a pre-commit hook and a CI job on it pay.
# Packed, as a clone is (and without git's own packing running in the background meanwhile).
(cd "$work/avro" && git init -q && git add -A \
  && git -c gc.auto=0 -c user.name=bench -c user.email=bench@localhost commit -qm bench && git gc -q \
  && measure "check --staged: the same registry committed to git" "$evreg" check --staged \
  && measure "check --against HEAD: the same" "$evreg" check --against HEAD)

rm -rf "$work/json"
python3 scripts/gen_json_registry.py "$work/json" --subjects 1000 --versions 10 > /dev/null
(cd "$work/json" && "$evreg" lock > /dev/null)
(cd "$work/json" && measure "check: 1,000 JSON Schema subjects x 10 versions, BACKWARD_TRANS." "$evreg" check && echo "$last_secs $last_mb" > "$work/json.fig")
read -r secs mb < "$work/json.fig"
echo "  goal for 10,000 versions, default output: < 0.5 s and < 150 MB ($secs s, $mb MB)"

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
evreg_validate=$last_secs
if python3 -c 'import jsonschema' 2>/dev/null; then
  measure "python jsonschema: the same 100,000 JSON Schema payloads" python3 scripts/bench_validate_python.py . "$work/json-events.ndjson"
  ratio "validate vs python jsonschema (payloads only)" "$last_secs" "$evreg_validate" ">= 20x"
fi
measure "pre-commit: check --staged on the bundled registry" "$evreg" check --staged
measure "check --against HEAD on the bundled registry" "$evreg" check --against HEAD

# Avro compatibility against Apache Avro's Python checker on the same 2,000 evolutions.
if python3 -c 'import avro' 2>/dev/null; then
  rm -rf "$work/oracle"
  python3 scripts/avro_oracle.py --pairs 2000 --out "$work/oracle" --generate-only > /dev/null
  # The two sides in turns, seven rounds, each side's best kept: a slow moment of the machine
  # meets both, and the short run gets as many tries as the long one has hiccups to avoid.
  evreg_best=""; python_best=""
  for _ in 1 2 3 4 5 6 7; do
    cd "$work/oracle/registry"
    once "$evreg" check --output json
    cd - > /dev/null
    if faster "$once_secs $once_kb" "$evreg_best"; then evreg_best="$once_secs $once_kb"; fi
    once python3 scripts/avro_oracle.py --oracle-only "$work/oracle"
    if faster "$once_secs $once_kb" "$python_best"; then python_best="$once_secs $once_kb"; fi
  done
  report "check --output json: 2,000 Avro evolutions (both ways)" "$evreg_best"
  evreg_pairs=$last_secs evreg_pairs_mb=$last_mb
  report "python avro.compatibility: the same pairs, both ways" "$python_best"
  ratio "Avro pairs vs the Python avro checker" "$last_secs" "$evreg_pairs" ">= 10x, < 40 MB ($evreg_pairs_mb MB)"
else
  echo "(python avro not installed: pip install -r scripts/requirements-dev.txt for the Avro comparison)"
fi

if [ "${EVREG_BENCH_SCALING:-}" = 1 ]; then
  for n in 100 1000 10000; do
    rm -rf "$work/scale"
    python3 scripts/gen_registry.py "$work/scale" --subjects "$n" --versions 10 --mode FULL_TRANSITIVE > /dev/null
    (cd "$work/scale" && measure "check: $((n * 10)) Avro versions, FULL_TRANSITIVE" "$evreg" check)
  done
  rm -rf "$work/scale"
fi
