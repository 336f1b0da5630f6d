#!/usr/bin/env bash
# Sets up, builds, and runs the benchmarks; they print their figures against the targets.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
build/tests/bench/bench_import "${1:-/tmp/tickmark-bench}"
build/tests/bench/bench_sampling
build/tests/bench/bench_fieldwork
build/tests/bench/bench_report
