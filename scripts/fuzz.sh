#!/usr/bin/env bash
# The sanitizer and fuzzing part of CI: builds the readers with clang, ASan and UBSan into
# ./build-fuzz (-DTICKMARK_FUZZ=ON), runs the reader tests under the sanitizers, then each libFuzzer
# harness (CSV, XLSX, ODS, the control-matrix import) for FUZZ_SECONDS (default 20), seeded from the
# tests' files and the malformed corpus. Any crash, sanitizer report, leak, timeout or out-of-memory
# fails the run; the reproducer is left in build-fuzz/findings/.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${FUZZ_SECONDS:-12}"
HARNESSES="${HARNESSES:-csv xlsx ods controls}"

CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTICKMARK_FUZZ=ON >/dev/null
ninja -C build-fuzz

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:quarantine_size_mb=64"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
echo "== reader tests under ASan+UBSan"
build-fuzz/tests/fuzz/tickmark_reader_tests_asan

rm -rf build-fuzz/seeds
/usr/bin/python3 tests/fuzz/make_seeds.py build-fuzz/seeds
mkdir -p build-fuzz/findings
for h in $HARNESSES; do
  echo "== fuzz_$h for ${FUZZ_SECONDS} s"
  mkdir -p "build-fuzz/corpus/$h"
  # -rss_limit_mb: the 256 MiB the readers keep to, plus ASan's shadow and quarantine.
  build-fuzz/tests/fuzz/fuzz_$h "build-fuzz/corpus/$h" "build-fuzz/seeds/$h" \
    -max_total_time="$FUZZ_SECONDS" -max_len=65536 -timeout=20 -rss_limit_mb=1024 -malloc_limit_mb=512 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$h-" 2>"build-fuzz/fuzz_$h.log" || {
      tail -60 "build-fuzz/fuzz_$h.log"
      echo "fuzz_$h: FAILED (reproducer in build-fuzz/findings/)"
      exit 1
    }
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov: .* ft: " "build-fuzz/fuzz_$h.log" | tail -3
done
echo "fuzz: ok"
