#!/usr/bin/env bash
# Sets up, builds, and runs the whole test suite (Catch2 through ctest, the engine-neutral tests on both
# engines), then the sanitizer and fuzz runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# A private PostgreSQL server (a temporary folder, a Unix socket, no TCP port) for the tests that run
# on the server engine; stopped and removed however the run ends.
PG_DIR=$(scripts/pg_test_server.sh start)
trap 'scripts/pg_test_server.sh stop "$PG_DIR"' EXIT
export TICKMARK_TEST_PG="$PG_DIR"
ctest --test-dir build --output-on-failure -j2
# The readers under ASan+UBSan and each libFuzzer harness for a bounded time (about 6 minutes in all).
scripts/fuzz.sh
