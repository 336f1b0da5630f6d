#!/usr/bin/env bash
# Two programs on one engagement file, as on a desktop (issue 11 item 4): under Xvfb with a window
# manager (openbox), tickmark-desk opens the demo and writes; File > Open shows GTK's file chooser
# on the engagement's folder (GTK opens and closes the files it lists) and is closed with Escape;
# then the CLI and the desk take turns reading and writing the file the desk still holds; the desk
# exits. Afterwards: integrity_check is ok, all five writes are there once (in the table and the
# trail), the audit trail verifies, and the desk saw them all. Prints "desk sharing: ok" at the end.
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

# The CLI and the desk take turns on the file the desk holds open: the desk's writes go through
# GO_FILE (a number: write that; "end": report and close), the CLI's are commands.
step() {  # step WORD: the desk's next move
  echo "$1" > "$dir/go.tmp" && mv "$dir/go.tmp" "$dir/go"
  [ "$1" = end ] && return 0
  waitfor 30 grep -q "sharing: desk wrote $1\$" "$dir/desk.log" || fail "the desk did not write $1"
}
cliwrite() {
  "$cli" cuec add "$file" --text "$1" --criteria CC6.2 --user DW > "$dir/cli.out" 2>&1 || { cat "$dir/cli.out"; fail "the CLI's write \"$1\""; }
}
"$cli" info "$file" > /dev/null || fail "the CLI could not read the file the desk holds"
cliwrite "CLI write A (sharing scenario)"
step 2
cliwrite "CLI write B (sharing scenario)"
"$cli" audit verify "$file" > /dev/null || fail "the trail does not verify after the CLI's writes"
step 3
"$cli" info "$file" > /dev/null || fail "the CLI could not read the file after the desk's write"
echo "desk sharing: the CLI read and wrote the file the desk holds, taking turns with the desk"

step end
for _ in $(seq 600); do kill -0 "$desk_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$desk_pid" 2>/dev/null && fail "the desk did not finish"
wait "$desk_pid" && desk_rc=0 || desk_rc=$?
grep "^sharing:" "$dir/desk.log" || true
[ "$desk_rc" -eq 0 ] || fail "the desk exited with $desk_rc"
# Every check below runs, so that a failure shows all that went wrong.
problems=0
problem() { echo "desk sharing: $*"; problems=$((problems + 1)); }
grep -q "sharing: desk sees 5 scenario writes" "$dir/desk.log" || problem "the desk does not see the five writes"

# Afterwards, with both programs gone.
[ ! -e "$file-holders" ] || problem "the holder record was left behind: $(cat "$file-holders")"
check=$(sqlite3 "$file" "PRAGMA integrity_check") || problem "sqlite3 cannot read the file"
[ "$check" = "ok" ] || problem "integrity_check: $check"
for text in "Desk write 1 (sharing scenario)" "CLI write A (sharing scenario)" "Desk write 2 (sharing scenario)" \
    "CLI write B (sharing scenario)" "Desk write 3 (sharing scenario)"; do
  n=$(sqlite3 "$file" "SELECT count(*) FROM cuec WHERE description = '$text'" 2>&1) || true
  [ "$n" = "1" ] || problem "\"$text\" is there $n times, not once"
  n=$(sqlite3 "$file" "SELECT count(*) FROM audit_trail WHERE new_value = '$text'" 2>&1) || true
  [ "$n" = "1" ] || problem "the trail records \"$text\" $n times, not once"
done
"$cli" audit verify "$file" 2>&1 || problem "the audit trail does not verify"
[ "$problems" -eq 0 ] || fail "$problems problems (above)"
echo "desk sharing: ok"
