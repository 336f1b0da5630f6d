#!/usr/bin/env bash
# The two demo workbooks printed as a user prints them: LibreOffice converts each to PDF. The report
# workbook fits a handful of pages, and no cell prints "###" (a date wider than its column). Runs
# only where LibreOffice is installed (not in CI: it is too heavy there).
set -euo pipefail
cli="$1" max_report_pages="${2:-12}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$cli" demo "$dir/demo" > /dev/null
HOME="$dir" libreoffice --headless --convert-to pdf --outdir "$dir/pdf" \
  "$dir/demo/lumen-ledger-fy26-draft.xlsx" "$dir/demo/lumen-ledger-fy26-workpapers.xlsx" > /dev/null 2>&1
status=0
for f in lumen-ledger-fy26-draft lumen-ledger-fy26-workpapers; do
  pdf="$dir/pdf/$f.pdf"
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  size=$(pdfinfo "$pdf" | awk -F': +' '/^Page size:/ {print $2}')
  echo "print: $f.xlsx: $pages pages, $size"
  pdftotext "$pdf" "$dir/$f.txt"
  if grep -q '###' "$dir/$f.txt"; then echo "print: $f.xlsx prints ###"; status=1; fi
  case "$size" in *"792 x 612"*) ;; *) echo "print: $f.xlsx is not landscape Letter"; status=1 ;; esac
done
report_pages=$(pdfinfo "$dir/pdf/lumen-ledger-fy26-draft.pdf" | awk '/^Pages:/ {print $2}')
if [ "$report_pages" -gt "$max_report_pages" ]; then echo "print: the report workbook prints $report_pages pages (at most $max_report_pages)"; status=1; fi
grep -q DRAFT "$dir/lumen-ledger-fy26-draft.txt" || { echo "print: the draft report workbook does not say DRAFT"; status=1; }
[ $status -eq 0 ] && echo "print: ok"
exit $status
