#!/usr/bin/env bash
# Sets up, builds, and runs the whole test suite (Catch2 through ctest), then the sanitizer and fuzz runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build --output-on-failure -j2
# The readers under ASan+UBSan and each libFuzzer harness for a bounded time (about 6 minutes in all).
scripts/fuzz.sh
