#!/usr/bin/env bash
# Many programs writing one engagement file at once, and kill -9 at random moments (issue 11 item 4).
# WRITERS CLI processes run at a time for SECONDS: short writes (cuec add), long ones (population
# import of ~2,400 rows: the kill often lands inside the write), readers (info, audit verify), some
# with a short busy timeout so that "busy" happens; tickmark-desk (under Xvfb, when given) writes
# at the start, shows File > Open on the folder (GTK opens and closes the engagement's files),
# writes again, and closes; a second desk is killed. Random ones are killed with SIGKILL. Afterwards:
#   - every command exited 0, or 2 with a busy message, or was killed: nothing else, no unclear error;
#   - every write whose command exited 0 is in the file exactly once (durable and not lost);
#   - no write whose command exited 2 is in it (failure reported only when nothing was committed);
#   - a killed write is there at most once; integrity_check is ok; the audit trail verifies.
# Prints "sharing stress: ok" and the counts.
#   sharing_stress.sh CLI [DESK] ; SECONDS_TO_RUN (default 25) and WRITERS (default 5) from the environment
set -euo pipefail
cli=$(realpath "$1")
desk=${2:+$(realpath "$2")}
run_for=${SECONDS_TO_RUN:-25}
writers=${WRITERS:-5}

dir=$(mktemp -d)
declare -A running=()  # pid -> id
desk_pid=""
cleanup() {
  for p in "${!running[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  [ -n "$desk_pid" ] && kill "$desk_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "sharing stress: FAILED: $*"; exit 1; }

file="$dir/e.tickmark"
export TICKMARK_PASSWORD=stress-pass-1
"$cli" new "$file" --client "Stress Client, Inc." --system "Stress System" --type 2 --period 2025-07-01..2026-06-30 \
  --partner "Sam Stress" --initials SS --role partner,reviewer > /dev/null
printf 'Control ID,Description,Criteria,Frequency,Nature\nCM-03,Changes,CC8.1,Multiple times a day,Manual\n' > "$dir/matrix.csv"
"$cli" controls import "$file" "$dir/matrix.csv" --user SS > /dev/null

victim_desk="" victim_desk_at=0
if [ -n "$desk" ] && command -v xvfb-run > /dev/null; then
  xvfb-run -a -s "-screen 0 1280x800x24" "$desk" --smoke-user SS --smoke-sharing "$dir/go" "$file" > "$dir/desk.log" 2>&1 &
  desk_pid=$!
  # A second desk, killed with SIGKILL at a random moment before the first one shows its file
  # dialog (while alive, its own locks would stand in for the ones the dialog drops).
  xvfb-run -a -s "-screen 0 1280x800x24" "$desk" --smoke-user SS --smoke-sharing "$dir/never" "$file" > "$dir/desk2.log" 2>&1 &
  victim_desk=$!
  victim_desk_at=$((2 + RANDOM % (run_for / 3 - 3)))
fi

source_csv="$(dirname "$0")/../../demo/data/change-tickets.csv"
next=0 killed=0 ok=0 busy=0 launched=0 killed_after_commit=0 killed_before_commit=0 desk_killed_at=""
declare -A kind=()   # id -> write|import|read
declare -A status=() # id -> exit status

launch() {
  local id=$((next++)) r=$((RANDOM % 10)) timeout_ms=15000
  [ $((RANDOM % 3)) -eq 0 ] && timeout_ms=20  # some give up early: busy, exit 2
  local -a cmd
  if [ "$r" -lt 5 ]; then
    kind[$id]=write
    cmd=(cuec add "$file" --text "Write $id." --criteria CC6.1 --user SS)
  elif [ "$r" -lt 8 ]; then
    kind[$id]=import
    { cat "$source_csv"; printf 'CHG9%06d,Stress %d,A,B,2025-08-01,2025-08-02 10:00:00,C,Low,Closed,\n' "$id" "$id"; } > "$dir/pop$id.csv"
    cmd=(population import "$file" "$dir/pop$id.csv" --control CM-03 --name "Population $id" --key "Ticket ID" --date "Deployed At" --user SS)
  elif [ "$r" -lt 9 ]; then
    kind[$id]=read
    cmd=(info "$file")
  else
    kind[$id]=read
    cmd=(audit verify "$file")
  fi
  TICKMARK_BUSY_TIMEOUT_MS=$timeout_ms "$cli" "${cmd[@]}" > "$dir/$id.out" 2> "$dir/$id.err" &
  running[$!]=$id
  launched=$((launched + 1))
}

reap() {
  local p id rc
  for p in "${!running[@]}"; do
    kill -0 "$p" 2>/dev/null && [ "$(ps -o stat= -p "$p" 2>/dev/null | cut -c1)" != "Z" ] && continue
    id=${running[$p]}
    wait "$p" && rc=0 || rc=$?
    status[$id]=$rc
    unset "running[$p]"
  done
}

start=$SECONDS
exec 3>&2 2>/dev/null  # bash's "Killed" notices
while [ $((SECONDS - start)) -lt "$run_for" ]; do
  while [ "${#running[@]}" -lt "$writers" ]; do launch; done
  sleep "0.0$((RANDOM % 10))"
  if [ -n "$victim_desk" ] && [ $((SECONDS - start)) -ge "$victim_desk_at" ]; then
    p=$(ps -o pid= --ppid "$victim_desk" -o comm= | awk '$2 == "tickmark-desk" { print $1 }')
    if [ -n "$p" ]; then kill -9 "$p"; desk_killed_at=$((SECONDS - start)); fi
    victim_desk=""
  fi
  # The desk shows File > Open on the folder a third of the way in (GTK opens and closes the
  # engagement's files), and writes again two thirds of the way in.
  if [ -n "$desk_pid" ] && [ ! -e "$dir/go" ] && [ $((SECONDS - start)) -ge $((run_for / 3)) ]; then
    echo dialog > "$dir/go"
  fi
  if [ -n "$desk_pid" ] && [ "$(cat "$dir/go" 2>/dev/null)" = dialog ] && [ $((SECONDS - start)) -ge $((2 * run_for / 3)) ]; then
    echo 2 > "$dir/go.tmp" && mv "$dir/go.tmp" "$dir/go"
  fi
  if [ $((RANDOM % 3)) -eq 0 ]; then
    pids=("${!running[@]}")
    victim=${pids[$((RANDOM % ${#pids[@]}))]}
    kill -9 "$victim" 2>/dev/null || true
  fi
  reap
done
[ -n "$desk_pid" ] && echo end > "$dir/go"
for _ in $(seq 600); do reap; [ "${#running[@]}" -eq 0 ] && break; sleep 0.1; done
exec 2>&3 3>&-
[ "${#running[@]}" -eq 0 ] || fail "commands still running a minute after the end"

if [ -n "$desk_pid" ]; then
  wait "$desk_pid" && desk_rc=0 || desk_rc=$?
  grep "^sharing:" "$dir/desk.log" || true
  [ "$desk_rc" -eq 0 ] || { cat "$dir/desk.log"; fail "the desk exited with $desk_rc"; }
  grep -q "FAILED" "$dir/desk.log" && fail "the desk: $(grep FAILED "$dir/desk.log")"
  grep -q "sharing: desk showed File > Open" "$dir/desk.log" || fail "the desk did not show the file dialog"
  grep -q "sharing: desk wrote 2" "$dir/desk.log" || fail "the desk did not write in the middle of the run"
  desk_pid=""
fi

q() { sqlite3 "$file" "$1"; }
check=$(q "PRAGMA integrity_check")
[ "$check" = "ok" ] || fail "integrity_check: $check"
for id in "${!status[@]}"; do
  rc=${status[$id]}
  case "${kind[$id]}" in
    write) n=$(q "SELECT count(*) FROM cuec WHERE description = 'Write $id.'") ;;
    import) n=$(q "SELECT count(*) FROM population WHERE name = 'Population $id'") ;;
    read) n=0 ;;
  esac
  case "$rc" in
    0)
      ok=$((ok + 1))
      [ "${kind[$id]}" = read ] || [ "$n" = 1 ] || fail "command $id (${kind[$id]}) reported success, but its write is there $n times"
      if [ "${kind[$id]}" != read ] && [ -s "$dir/$id.err" ]; then fail "command $id succeeded with a message: $(cat "$dir/$id.err")"; fi ;;
    2)
      busy=$((busy + 1))
      grep -q "is busy: another program has kept it locked" "$dir/$id.err" || fail "command $id exited 2 without a busy message: $(cat "$dir/$id.err")"
      [ "$n" = 0 ] || fail "command $id (${kind[$id]}) reported failure, but its write is there $n times" ;;
    137)
      killed=$((killed + 1))
      [ "${kind[$id]}" != read ] && [ "$n" = 1 ] && killed_after_commit=$((killed_after_commit + 1))
      [ "${kind[$id]}" != read ] && [ "$n" = 0 ] && killed_before_commit=$((killed_before_commit + 1))
      [ "$n" -le 1 ] || fail "killed command $id (${kind[$id]}): its write is there $n times" ;;
    *)
      fail "command $id (${kind[$id]}) exited $rc: $(cat "$dir/$id.err")" ;;
  esac
done
if [ -n "$desk" ]; then
  n=$(q "SELECT count(*) FROM cuec WHERE description = 'Desk write 2 (sharing scenario)'")
  [ "$n" = 1 ] || fail "the desk's second write is there $n times"
  n=$(q "SELECT count(*) FROM cuec WHERE description = 'Desk write 1 (sharing scenario)'")
  [ "$n" -ge 1 ] && [ "$n" -le 2 ] || fail "the desks' first writes are there $n times"
fi
"$cli" audit verify "$file" > "$dir/verify.out" || { cat "$dir/verify.out"; fail "the audit trail does not verify"; }
entries=$(q "SELECT count(*) FROM audit_trail")
echo "sharing stress: ok: $launched commands in ${run_for} s by $writers at a time$([ -n "$desk" ] && echo ", with a desk writing and another desk killed at ${desk_killed_at:-?} s"): $ok succeeded, $busy busy (exit 2), $killed killed with SIGKILL (writes: $killed_before_commit before their commit, $killed_after_commit after it); $entries trail entries verify"
