#!/usr/bin/env bash
# A private PostgreSQL server for the tests: a cluster in a temporary folder, run by the postgres
# user, listening on a Unix socket in that folder only (no TCP port). Prints the socket folder;
# `pg_test_server.sh stop DIR` stops it and removes the folder.
#   dir=$(scripts/pg_test_server.sh start); export TICKMARK_TEST_PG="postgresql:///?host=$dir"
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
AS_PG=()
if [ "$(id -un)" != postgres ]; then
  if [ "$(id -u)" -eq 0 ]; then AS_PG=(runuser -u postgres --); else AS_PG=(sudo -u postgres); fi
fi

case "${1:-start}" in
  start)
    dir=$(mktemp -d /tmp/tickmark-pg.XXXXXX)
    chown postgres: "$dir" 2>/dev/null || true
    chmod 755 "$dir"
    "${AS_PG[@]}" "$BIN/initdb" -D "$dir/data" -U postgres -A trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    # SCRAM for roles with a password over the socket; trust for the postgres superuser only (the tests' administrator).
    cat >"$dir/data/pg_hba.conf" <<HBA
local all postgres trust
local all all scram-sha-256
HBA
    "${AS_PG[@]}" "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" start >&2
    echo "$dir"
    ;;
  stop)
    dir=${2:?the folder start printed}
    "${AS_PG[@]}" "$BIN/pg_ctl" -D "$dir/data" -m fast -w -s stop >&2 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
