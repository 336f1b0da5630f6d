#!/usr/bin/env bash
# Sets up, builds, and runs the demo engagement end to end. Usage: scripts/demo.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dir="${1:-tickmark-demo}"
build/app/tickmark demo "$dir"
echo
build/app/tickmark info "$dir/lumen-ledger-fy26.tickmark"
