#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (issue 14): initdb in a temporary folder, a
# server on 127.0.0.1 at a free port with password (SCRAM) authentication, run by pg_ctl as
# the postgres user when started by root (initdb refuses root). `start` prints the
# environment the tests read; `stop DIR` stops the server and removes the folder.
#   eval "$(scripts/pg_test_server.sh start)"; ...; scripts/pg_test_server.sh stop "$SENDHUB_TEST_PG_DIR"
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as=()
[ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/sendhub-pg.XXXXXX)
    chmod 700 "$dir"
    [ ${#as[@]} -gt 0 ] && chown postgres "$dir"
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    (umask 077 && printf '%s\n' "$password" >"$dir/pw")
    [ ${#as[@]} -gt 0 ] && chown postgres "$dir/pw"
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U sendhub --auth=scram-sha-256 --pwfile="$dir/pw" >"$dir/initdb.log" 2>&1
    rm -f "$dir/pw"
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
    echo "export SENDHUB_TEST_PG='host=127.0.0.1 port=$port dbname=postgres user=sendhub'" \
         "SENDHUB_TEST_PG_PASSWORD='$password' SENDHUB_TEST_PG_DIR='$dir'"
    ;;
  stop)
    "${as[@]}" "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$2"
    ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
