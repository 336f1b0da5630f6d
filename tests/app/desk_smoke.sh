#!/usr/bin/env bash
# End-to-end under Xvfb: build the demo, open it in tickmark-desk, visit a population, a selection,
# a test workpaper and the report (signed in as the demo partner), check a population file in the import wizard, and exit cleanly.
set -euo pipefail
cli="$1" desk="$2" population="$3"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$cli" demo "$dir" > /dev/null
# Signed in as the demo's engagement partner, so the exception and description forms open too.
TICKMARK_PASSWORD=partner-2026 xvfb-run -a -s "-screen 0 1280x800x24" "$desk" --smoke --smoke-user DW \
  --smoke-import "$population" "$dir/lumen-ledger-fy26.tickmark"
