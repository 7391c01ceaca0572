#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 600), one after another, on a working copy of
# the seed corpus in fuzz/corpus/ (the repository's corpus is not grown by a run). A crash, a
# timeout over 1 s on one input, or more than 2 GB of memory stops that target and is reported;
# the script exits 1 if any target failed. Needs nightly Rust and cargo-fuzz
# (`cargo install cargo-fuzz`). Usage: bash scripts/fuzz.sh [SECONDS] [TARGET...]
# The targets are built without a sanitizer (the code they reach is safe Rust: the bugs sought are panics,
# hangs, memory blow-ups and differential failures), which builds and runs several times faster;
# EVREG_FUZZ_SANITIZER=address brings AddressSanitizer back. A target that dies without leaving an
# artifact (a stack overflow without a sanitizer): rerun it with EVREG_FUZZ_LAST_INPUT=FILE, which
# holds the input that was running.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(json_parser avro_schema json_schema settings_yaml events avro_compat json_compat serve_router)
fi
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: skipped: no nightly toolchain (rustup toolchain install nightly)"
  exit 0
fi
if ! cargo +nightly fuzz --help >/dev/null 2>&1; then
  echo "fuzz: skipped: cargo-fuzz is not installed (cargo install cargo-fuzz)"
  exit 0
fi
sanitizer=${EVREG_FUZZ_SANITIZER:-none}
work=target/fuzz-work
mkdir -p "$work"
cargo +nightly fuzz build --fuzz-dir fuzz -O -s "$sanitizer" >/dev/null || { echo "fuzz: the targets do not build"; exit 1; }
failed=()
for t in "${targets[@]}"; do
  rm -rf "$work/$t" && mkdir -p "$work/$t" && cp fuzz/corpus/"$t"/* "$work/$t"/ 2>/dev/null
  log="$work/$t.log"
  echo "fuzz: $t for ${seconds}s"
  if cargo +nightly fuzz run --fuzz-dir fuzz -O -s "$sanitizer" "$t" "$work/$t" -- \
      -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 >"$log" 2>&1; then
    runs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    echo "fuzz: $t ok (${runs:-?} inputs)"
  else
    echo "fuzz: $t FAILED, log: $log; reproducer under fuzz/artifacts/$t/"
    grep -E 'panicked|ERROR: libFuzzer|SUMMARY' "$log" | head -5
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}"
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets passed"
