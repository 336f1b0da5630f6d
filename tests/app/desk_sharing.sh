#!/usr/bin/env bash
# Two programs on one engagement file, as on a desktop (issue 11 item 4): under Xvfb with a window
# manager (openbox), tickmark-desk opens the demo and writes; File > Open shows GTK's file chooser
# on the engagement's folder (GTK opens and closes the files it lists) and is closed with Escape;
# the CLI reads and writes the same file while the desk still holds it; the desk writes again and
# exits. Afterwards: integrity_check is ok, all three writes are there once, the audit trail
# verifies, and the desk saw the CLI's write. Prints "desk sharing: ok" at the end.
#   desk_sharing.sh CLI DESK
set -euo pipefail
cli=$(realpath "$1") desk=$(realpath "$2")

if [ "${3:-}" != "--inside-x" ]; then
  for tool in xvfb-run openbox xdotool sqlite3; do
    command -v "$tool" >/dev/null || { echo "desk sharing: $tool is missing (scripts/setup.sh installs it)"; exit 1; }
  done
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$cli" "$desk" --inside-x
fi

dir=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "desk sharing: FAILED: $*"; echo "--- desk log:"; cat "$dir/desk.log" 2>/dev/null || true; exit 1; }

"$cli" demo "$dir/demo" > /dev/null
file="$dir/demo/lumen-ledger-fy26.tickmark"
export TICKMARK_PASSWORD=partner-2026

openbox > "$dir/openbox.log" 2>&1 &
pids+=($!)
# The desk, signed in as the demo's engagement partner, in its sharing scenario.
(cd "$dir/demo" && exec "$desk" --smoke-user DW --smoke-sharing "$dir/go" "$file") > "$dir/desk.log" 2>&1 &
desk_pid=$!
pids+=($desk_pid)

waitfor() {  # waitfor SECONDS COMMAND...: until the command succeeds
  local limit=$1; shift
  for _ in $(seq $((limit * 10))); do "$@" && return 0; sleep 0.1; done
  return 1
}
waitfor 60 grep -q "sharing: desk wrote 1" "$dir/desk.log" || fail "the desk did not write"
grep -q "FAILED" "$dir/desk.log" && fail "the desk's first write"

# File > Open on the engagement's folder, as a user would: Ctrl+O in the desk's window, let GTK
# list (and sniff) the folder, Escape.
# (xdotool --name matches WM_NAME, which wx sets to "Tickmark"; the class is the program's name.)
win=$(timeout 20 xdotool search --sync --onlyvisible --class tickmark-desk | head -1) || fail "no desk window"
xdotool windowactivate --sync "$win" 2>/dev/null || xdotool windowfocus --sync "$win"
sleep 0.5
xdotool key --clearmodifiers ctrl+o
dialog=$(timeout 20 xdotool search --sync --onlyvisible --name "^Open engagement$" | head -1) || fail "File > Open did not open"
sleep 3  # GTK lists the folder, reads the files' types
xdotool windowactivate --sync "$dialog" 2>/dev/null || true
xdotool key Escape
waitfor 20 bash -c "! xdotool search --onlyvisible --name '^Open engagement\$' >/dev/null" || fail "the file dialog did not close"
echo "desk sharing: File > Open opened on $(dirname "$file") and closed"

# The CLI reads and writes the same file while the desk holds it open.
"$cli" info "$file" > /dev/null || fail "the CLI could not read the file the desk holds"
"$cli" cuec add "$file" --text "CLI write (sharing scenario)" --criteria CC6.2 --user DW > "$dir/cli.out" 2>&1 ||
  { cat "$dir/cli.out"; fail "the CLI's write"; }
"$cli" audit verify "$file" > /dev/null || fail "the trail does not verify after the CLI's write"
echo "desk sharing: the CLI read and wrote the file the desk holds"

touch "$dir/go"
for _ in $(seq 600); do kill -0 "$desk_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$desk_pid" 2>/dev/null && fail "the desk did not finish"
wait "$desk_pid" && desk_rc=0 || desk_rc=$?
cat "$dir/desk.log" | grep "^sharing:" || true
[ "$desk_rc" -eq 0 ] || fail "the desk exited with $desk_rc"
grep -q "desk sees desk write 1: yes, the CLI's write: yes, desk write 2: yes" "$dir/desk.log" || fail "the desk did not see every write"

# Afterwards, with both programs gone.
[ ! -e "$file-holders" ] || fail "the holder record was left behind: $(cat "$file-holders")"
check=$(sqlite3 "$file" "PRAGMA integrity_check") || fail "sqlite3 cannot read the file"
[ "$check" = "ok" ] || fail "integrity_check: $check"
for text in "Desk write 1 (sharing scenario)" "CLI write (sharing scenario)" "Desk write 2 (sharing scenario)"; do
  n=$(sqlite3 "$file" "SELECT count(*) FROM cuec WHERE description = '$text'")
  [ "$n" = "1" ] || fail "\"$text\" is there $n times, not once"
  n=$(sqlite3 "$file" "SELECT count(*) FROM audit_trail WHERE new_value = '$text'")
  [ "$n" = "1" ] || fail "the trail records \"$text\" $n times, not once"
done
"$cli" audit verify "$file" || fail "the audit trail does not verify"
echo "desk sharing: ok"
