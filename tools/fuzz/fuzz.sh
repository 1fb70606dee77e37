#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser that reads outside input (libFuzzer + AddressSanitizer).
#
#   tools/fuzz/fuzz.sh [MINUTES_PER_TARGET=5] [TARGET ...]
#
# Targets: resp venues parquet config csv bus (default: all). Builds the fuzzer once into
# /tmp/huracan-fuzz-build (HURACAN_FUZZ=1 adds the libFuzzer executable to the package), then
# runs each target for the given minutes on a copy of its seed corpus (tools/fuzz/corpus/TARGET;
# new interesting inputs stay in the copy, under /tmp/huracan-fuzz/TARGET). A crash leaves
# `crash-*` in /tmp/huracan-fuzz/TARGET and stops that target: fix it, then copy the input to
# tools/fuzz/regressions/TARGET-NAME so the test suite (FuzzCorpusTests) replays it forever.
# Prints executions and coverage per target. Not part of CI (CI replays the corpus instead).
set -euo pipefail
minutes=${1:-5}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(resp venues parquet config csv bus)
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${HURACAN_FUZZ_BUILD:-/tmp/huracan-fuzz-build}
work=${HURACAN_FUZZ_WORK:-/tmp/huracan-fuzz}

# Coverage instrumentation and AddressSanitizer on every module; libFuzzer's driver without its
# main (SwiftPM gives the executable its own entry, which starts the driver).
libfuzzer=$(ls "$(dirname "$(readlink -f "$(command -v swiftc)")")"/../lib/swift/clang/lib/linux/libclang_rt.fuzzer_no_main-*.a 2>/dev/null | head -1)
[ -n "$libfuzzer" ] || { echo "libclang_rt.fuzzer_no_main not found beside swiftc" >&2; exit 1; }
echo "building the fuzzer (the first build takes a while: every module with sanitizer coverage)"
HURACAN_FUZZ=1 swift build --package-path "$repo" --scratch-path "$build" --product huracan-fuzz \
  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp -Xswiftc -parse-as-library \
  -Xlinker "$libfuzzer" -Xlinker -lstdc++ 2>&1 | grep -E "error:|complete!" || true
fuzzer="$build/debug/huracan-fuzz"
[ -x "$fuzzer" ] || { echo "the fuzzer did not build" >&2; exit 1; }

status=0
for target in "${targets[@]}"; do
  corpus="$work/$target"
  mkdir -p "$corpus"
  cp -n "$repo/tools/fuzz/corpus/$target/"* "$corpus/" 2>/dev/null || true
  log="$work/$target.log"
  echo "== $target: $minutes min, corpus $corpus"
  # -rss_limit_mb: the parsers bound their allocations; -timeout: one input may take 10 s at most;
  # leak checks off: lazily built globals (kept for the process's life) read as leaks at exit.
  if ASAN_OPTIONS=detect_leaks=0 HURACAN_FUZZ_TARGET=$target "$fuzzer" "$corpus" -max_total_time=$((minutes * 60)) -rss_limit_mb=2048 -timeout=10 -detect_leaks=0 \
       -max_len=65536 -artifact_prefix="$corpus/" -print_final_stats=1 > "$log" 2>&1; then
    result=ok
  else
    result="FAILED (see $log and $corpus/crash-* or timeout-*)"
    status=1
  fi
  runs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}')
  cov=$(grep -oE "cov: [0-9]+" "$log" | tail -1)
  echo "   $result: ${runs:-?} inputs, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l) files"
done
exit $status
