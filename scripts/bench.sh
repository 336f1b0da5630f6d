#!/usr/bin/env bash
# Sets up, builds, and runs the benchmarks; they print their figures against the targets.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The server import is measured on a private PostgreSQL server (scripts/pg_test_server.sh), stopped at the end.
PG_DIR=$(scripts/pg_test_server.sh start)
trap 'scripts/pg_test_server.sh stop "$PG_DIR"' EXIT
TICKMARK_BENCH_PG="$PG_DIR" build/tests/bench/bench_import "${1:-/tmp/tickmark-bench}"
build/tests/bench/bench_sampling
build/tests/bench/bench_fieldwork
build/tests/bench/bench_report
# The desktop app: first paint of the benchmark's 1,000,000-row population after choosing it.
xvfb-run -a -s "-screen 0 1280x800x24" build/app/desk/tickmark-desk --time-population 1 "${1:-/tmp/tickmark-bench}/bench.tickmark"
