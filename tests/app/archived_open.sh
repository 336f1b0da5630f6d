#!/usr/bin/env bash
# An engagement in a folder nobody may write here (an archive, a read-only share) opens read-only:
# it reads, verifies and exports; every write is refused with a message; the file is unchanged.
# As root (who may write anywhere) the reader runs as `nobody`.
set -euo pipefail
cli="$1"
dir=$(mktemp -d)
trap 'chmod -R u+w "$dir" 2>/dev/null; rm -rf "$dir"' EXIT
"$cli" demo "$dir/demo" > /dev/null
mkdir "$dir/archive"
cp "$dir/demo/lumen-ledger-fy26.tickmark" "$dir/archive/"
file="$dir/archive/lumen-ledger-fy26.tickmark"
before=$(sha256sum "$file" | cut -d' ' -f1)
chmod 444 "$file"; chmod 555 "$dir/archive"; chmod 755 "$dir"
as=()
if [ "$(id -u)" = 0 ]; then as=(runuser -u nobody --); fi
"${as[@]}" "$cli" info "$file" > "$dir/info.txt" && grep -q "Lumen Ledger" "$dir/info.txt" || { echo "FAILED: info"; exit 1; }
"${as[@]}" "$cli" audit verify "$file" > "$dir/verify.txt" || { echo "FAILED: verify"; cat "$dir/verify.txt"; exit 1; }
if "${as[@]}" env TICKMARK_PASSWORD=partner-2026 "$cli" note raise "$file" --workpaper test:CM-03 --text "from the archive" --user DW \
     > "$dir/out.txt" 2>&1; then
  echo "FAILED: a write to the archive succeeded"; exit 1
fi
grep -q "read-only" "$dir/out.txt" || { echo "FAILED: the refusal does not say read-only:"; cat "$dir/out.txt"; exit 1; }
"${as[@]}" "$cli" report "$file" --pdf /tmp/archived-$$.pdf > /dev/null && rm -f /tmp/archived-$$.pdf || { echo "FAILED: export"; exit 1; }
after=$(sha256sum "$file" | cut -d' ' -f1)
[ "$before" = "$after" ] || { echo "FAILED: the archived file changed"; exit 1; }
[ ! -e "$file-wal" ] || { echo "FAILED: a WAL was written beside it"; exit 1; }
echo "archived open: ok"
