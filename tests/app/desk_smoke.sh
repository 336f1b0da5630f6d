#!/usr/bin/env bash
# End-to-end under Xvfb: build the demo, open it in tickmark-desk, visit a population, a selection,
# a test workpaper and the report, and exit cleanly.
set -euo pipefail
cli="$1" desk="$2"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$cli" demo "$dir" > /dev/null
xvfb-run -a -s "-screen 0 1280x800x24" "$desk" --smoke "$dir/lumen-ledger-fy26.tickmark"
