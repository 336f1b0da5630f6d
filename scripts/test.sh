#!/usr/bin/env bash
# Sets up, builds, and runs the whole test suite (Catch2 through ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build --output-on-failure -j2
