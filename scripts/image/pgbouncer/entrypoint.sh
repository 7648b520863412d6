#!/bin/sh
# Writes pgbouncer.ini from the environment and runs PgBouncer in the foreground (exec: it is PID 1
# and gets SIGTERM/SIGINT itself). Required: DB_HOST, DB_NAME, DB_USER, DB_PASSWORD.
# Optional: DB_PORT (5432), LISTEN_ADDR (0.0.0.0), LISTEN_PORT (6432), PGBOUNCER_DIR (/run/pgbouncer), POOL_MODE (transaction), DEFAULT_POOL_SIZE (20), MAX_CLIENT_CONN (500).
set -eu
: "${DB_HOST:?}" "${DB_NAME:?}" "${DB_USER:?}" "${DB_PASSWORD:?}"
dir=${PGBOUNCER_DIR:-/run/pgbouncer}
umask 077
printf '"%s" "%s"\n' "$DB_USER" "$DB_PASSWORD" > "$dir/userlist.txt"
cat > "$dir/pgbouncer.ini" <<INI
[databases]
$DB_NAME = host=$DB_HOST port=${DB_PORT:-5432} dbname=$DB_NAME
[pgbouncer]
listen_addr = ${LISTEN_ADDR:-0.0.0.0}
listen_port = ${LISTEN_PORT:-6432}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
pool_mode = ${POOL_MODE:-transaction}
default_pool_size = ${DEFAULT_POOL_SIZE:-20}
max_client_conn = ${MAX_CLIENT_CONN:-500}
ignore_startup_parameters = extra_float_digits,options
server_reset_query_always = 0
INI
exec pgbouncer "$dir/pgbouncer.ini"
