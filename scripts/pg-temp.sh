#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1 for tests and prints its URL.
# Usage: scripts/pg-temp.sh start [port] | scripts/pg-temp.sh stop
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail
cmd=${1:-start}
port=${2:-${PGTEMP_PORT:-54329}}
dir=${PGTEMP_DIR:-/tmp/llmcp-pg-$port}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  if command -v initdb >/dev/null 2>&1; then bin=$(dirname "$(command -v initdb)"); else
    echo "pg-temp: PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2; exit 1; fi
fi
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
case "$cmd" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
      as_pg "'$bin/initdb' -D '$dir' -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null"
    fi
    if ! as_pg "'$bin/pg_ctl' -D '$dir' status >/dev/null 2>&1"; then
      as_pg "'$bin/pg_ctl' -D '$dir' -l '$dir/server.log' -w -t 60 -o \"-h 127.0.0.1 -p $port -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start >/dev/null"
    fi
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_pg "'$bin/pg_ctl' -D '$dir' -m fast stop >/dev/null 2>&1" || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start [port] | stop [port]" >&2; exit 2 ;;
esac
