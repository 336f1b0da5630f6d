#!/usr/bin/env bash
# End-to-end under Xvfb: build the demo, open it in tickmark-desk signed in as the demo partner, visit
# every view and dialog (app/desk/smoke_tour.cpp), check a population file in the import wizard, write
# one PNG per view, and exit cleanly. Then check every expected screenshot is there and is not blank.
set -euo pipefail
cli="$1" desk="$2" population="$3"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$cli" demo "$dir" > /dev/null
mkdir -p "$dir/shots"
TICKMARK_PASSWORD=partner-2026 xvfb-run -a -s "-screen 0 1280x800x24" "$desk" --smoke --smoke-user DW \
  --screenshots "$dir/shots" --smoke-import "$population" "$dir/lumen-ledger-fy26.tickmark"
missing=0
for view in dashboard population population-filter plan sample test evidence review-notes notes report audit find new-engagement open-server \
            test-plan exception criteria description team import-controls import-population \
            dashboard-min population-min test-min report-min; do
  png="$dir/shots/$view.png"
  if [ ! -s "$png" ]; then echo "screenshot missing: $view.png"; missing=1; continue; fi
  # Not blank: a painted view has more than a handful of colours.
  colours=$(python3 "$(dirname "$0")/../tools/png_colours.py" "$png")
  if [ "$colours" -lt 12 ]; then echo "screenshot blank: $view.png"; missing=1; fi
done
[ "$missing" = 0 ] && echo "smoke: every view's screenshot written"
exit "$missing"
