#!/usr/bin/env bash
# Starts a throwaway PgBouncer in transaction mode on 127.0.0.1 in front of a PostgreSQL server
# (for tests and benchmarks) and prints the pooler URL: the same user and database as the given
# URL, on the pooler's port. Every database name is forwarded to the same name on that server
# (a `*` fallback entry), so databases created later (one per test file) are reachable too.
# Usage: scripts/pgbouncer-temp.sh start <listen-port> <postgres-url> | scripts/pgbouncer-temp.sh stop <listen-port>
# PGBOUNCER_DIR: where its config, log and pid live (default /tmp/llmcp-pgbouncer-<port>).
# PGBOUNCER_POOL_SIZE: server connections per (database, user), default 20.
# PgBouncer refuses to run as root, so as root it runs as the `postgres` user.
set -euo pipefail
cmd=${1:-}
port=${2:-}
if [ -z "$port" ] || { [ "$cmd" = start ] && [ -z "${3:-}" ]; }; then
  echo "usage: $0 start <listen-port> <postgres-url> | stop <listen-port>" >&2; exit 2
fi
dir=${PGBOUNCER_DIR:-/tmp/llmcp-pgbouncer-$port}
bin=$(command -v pgbouncer || ls /usr/sbin/pgbouncer 2>/dev/null || true)
if [ -z "$bin" ]; then echo "pgbouncer-temp: pgbouncer not found (apt-get install -y pgbouncer)" >&2; exit 1; fi

case "$cmd" in
  start)
    url=$3
    # postgres://user[:password]@host[:port][/database][?…]
    re='^postgres(ql)?://([^:@/]+)(:([^@/]*))?@([^:/?]+)(:([0-9]+))?(/([^?]*))?'
    if ! [[ $url =~ $re ]]; then echo "pgbouncer-temp: cannot parse $url" >&2; exit 2; fi
    user=${BASH_REMATCH[2]} password=${BASH_REMATCH[4]} host=${BASH_REMATCH[5]}
    pgport=${BASH_REMATCH[7]:-5432} database=${BASH_REMATCH[9]:-postgres}
    if [ -f "$dir/pgbouncer.pid" ] && kill -0 "$(cat "$dir/pgbouncer.pid")" 2>/dev/null; then
      echo "postgres://$user${password:+:$password}@127.0.0.1:$port/$database"; exit 0
    fi
    mkdir -p "$dir"
    printf '"%s" "%s"\n' "$user" "$password" >"$dir/userlist.txt"
    cat >"$dir/pgbouncer.ini" <<EOF
[databases]
* = host=$host port=$pgport

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
pool_mode = transaction
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = $user
stats_users = $user
max_client_conn = 1000
default_pool_size = ${PGBOUNCER_POOL_SIZE:-20}
max_db_connections = 0
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
EOF
    as_user=()
    if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir"; as_user=(-u postgres); fi
    "$bin" -d "${as_user[@]}" "$dir/pgbouncer.ini" >/dev/null
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "postgres://$user${password:+:$password}@127.0.0.1:$port/$database"; exit 0
      fi
      sleep 0.1
    done
    echo "pgbouncer-temp: not listening on $port after 10 s; log: $dir/pgbouncer.log" >&2
    cat "$dir/pgbouncer.log" >&2 2>/dev/null || true
    exit 1
    ;;
  stop)
    if [ -f "$dir/pgbouncer.pid" ]; then
      pid=$(cat "$dir/pgbouncer.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start <listen-port> <postgres-url> | stop <listen-port>" >&2; exit 2 ;;
esac
