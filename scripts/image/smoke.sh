#!/usr/bin/env bash
# `npm run test:image`: the self-hosting image, end to end, without a Docker daemon.
#   1. compose.yaml is valid against the Compose Specification schema (check-compose.mjs)
#   2. the image is built, or reused when its sources are unchanged (build.sh; base.sh for the base)
#   3. its ENTRYPOINT + CMD run with `buildah run --isolation chroot --network host`, as the image's
#      user, against a throwaway PostgreSQL (empty: the container migrates it) and a fake upstream
#   4. readiness (the image's own HEALTHCHECK command, run inside the container) within 180 s
#   5. one gateway call through it: 200 with the upstream's answer, one ledger row, exact cost
#   6. SIGTERM to the container's PID 1 (tini) while a call is in flight: that call still answers
#      200 and is recorded (the drain), node exits 0 within 60 s
#   7. compose.yaml's PgBouncer image (scripts/image/pgbouncer) builds, pools in transaction mode
#      with password auth in front of the same PostgreSQL, and stops on SIGTERM
# Prints build time, image size above the base, time to ready; ends with "N passed, N failed".
# Loopback only; ports SMOKE_PG_PORT (55551), SMOKE_HTTP_PORT (3451), SMOKE_UPSTREAM_PORT (3452),
# SMOKE_PGBOUNCER_PORT (55552);
# everything it starts is stopped by PID on exit; every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/../.."
pg_port=${SMOKE_PG_PORT:-55551}
http_port=${SMOKE_HTTP_PORT:-3451}
up_port=${SMOKE_UPSTREAM_PORT:-3452}
pgb_port=${SMOKE_PGBOUNCER_PORT:-55552}
key=llmcp_smoke_0123456789abcdef
work=$(mktemp -d /tmp/llmcp-image-smoke.XXXXXX)
chmod 755 "$work" # as root, PostgreSQL runs as the postgres user and must reach its data dir below it
export PGTEMP_DIR=$work/pg
passed=0 failed=0
ctr="" run_pid="" up_pid="" pgb_ctr="" pgb_pid=""
log() { printf '[image %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
ok() { passed=$((passed + 1)); log "PASS $*"; }
bad() { failed=$((failed + 1)); log "FAIL $*"; }
cleanup() {
  local rc=$?
  [ -n "$run_pid" ] && kill -0 "$run_pid" 2>/dev/null && { kill -KILL $(container_pids) "$run_pid" 2>/dev/null || true; }
  [ -n "$up_pid" ] && kill "$up_pid" 2>/dev/null || true
  [ -n "$pgb_pid" ] && kill -0 "$pgb_pid" 2>/dev/null && { kill -KILL $(descendants "$pgb_pid") "$pgb_pid" 2>/dev/null || true; }
  [ -n "$ctr" ] && buildah rm "$ctr" >/dev/null 2>&1 || true
  [ -n "$pgb_ctr" ] && buildah rm "$pgb_ctr" >/dev/null 2>&1 || true
  scripts/pg-temp.sh stop "$pg_port" >/dev/null 2>&1 || true
  if [ "$failed" -gt 0 ] || [ "$rc" -ne 0 ]; then log "container log (last 40 lines):"; tail -n 40 "$work/container.log" 2>/dev/null || true; fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
# Processes of a container: descendants of its `buildah run` process.
container_pids() { descendants "$run_pid"; }
descendants() { local all=() queue=("$1") p; while [ ${#queue[@]} -gt 0 ]; do p=${queue[0]}; queue=("${queue[@]:1}");
  for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do all+=("$c"); queue+=("$c"); done; done; echo "${all[@]:-}"; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$pg_port" "$http_port" "$up_port" "$pgb_port"; do port_free "$p" || { log "127.0.0.1:$p is in use"; exit 2; }; done

# 1. compose file
if node scripts/image/check-compose.mjs compose.yaml; then ok "compose.yaml matches the Compose Specification schema"; else bad "compose.yaml"; fi

# 2. image
t0=$(date +%s)
image=$(scripts/image/build.sh 2> >(tee "$work/build.log" >&2))
log "image $image ready in $(( $(date +%s) - t0 )) s (build or cache)"

# 3. database, upstream, container
db_url=$(scripts/pg-temp.sh start "$pg_port")
node scripts/image/fake-upstream.mjs "$up_port" > "$work/upstream.log" 2>&1 &
up_pid=$!
mkdir -p "$work/volume" && chown 10001:10001 "$work/volume" # the image's user owns its volume
ctr=$(buildah from --quiet "$image")
entry=$(buildah inspect --format '{{range .Docker.Config.Entrypoint}}{{.}} {{end}}{{range .Docker.Config.Cmd}}{{.}} {{end}}' "$ctr")
health=$(buildah inspect --type image --format '{{if .Docker.Config.Healthcheck}}{{range .Docker.Config.Healthcheck.Test}}{{.}} {{end}}{{end}}' "$image")
user=$(buildah inspect --format '{{.Docker.Config.User}}' "$ctr")
[ "$user" = llmcp ] && ok "image runs as the non-root user llmcp" || bad "image user is '$user', not llmcp"
case "$health" in "CMD node /app/healthcheck.mjs "*) ok "HEALTHCHECK: ${health#CMD }";; *) bad "HEALTHCHECK missing or unexpected: '$health'";; esac
auth_secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
run_env=(--env "DATABASE_URL=$db_url" --env "PORT=$http_port" --env HOSTNAME=127.0.0.1 --env "AUTH_SECRET=$auth_secret"
  --env AUTO_MIGRATE=true --env DEMO_SEED=false --env INSTANCE_ID=image-smoke --env SHUTDOWN_GRACE_MS=10000
  --env TINI_SUBREAPER=1) # buildah's chroot has no PID namespace, so tini is not PID 1 here as it is under Docker
log "starting: $entry(port $http_port, database $db_url)"
t_start=$(date +%s)
# shellcheck disable=SC2086
buildah run --isolation chroot --network host -v "$work/volume:/var/lib/llmcp" "${run_env[@]}" "$ctr" -- $entry > "$work/container.log" 2>&1 &
run_pid=$!

# 4. readiness, by the image's own HEALTHCHECK command inside the container
ready=0
for _ in $(seq 1 90); do
  kill -0 "$run_pid" 2>/dev/null || break
  # shellcheck disable=SC2086
  if buildah run --isolation chroot --network host --env "PORT=$http_port" "$ctr" -- ${health#CMD } >/dev/null 2>&1; then ready=1; break; fi
  sleep 2
done
if [ "$ready" = 1 ]; then ok "ready (HEALTHCHECK passes) $(( $(date +%s) - t_start )) s after start"; else bad "not ready within 180 s"; exit 1; fi
tini_pid="" node_user=""
for p in $(container_pids); do if [ "$(ps -o comm= -p "$p" || true)" = tini ]; then tini_pid=$p; break; fi; done
if [ -n "$tini_pid" ]; then
  node_pid=$(ps -o pid= --ppid "$tini_pid" | head -n 1 | tr -d ' ' || true)
  node_user=$(ps -o user= -p "${node_pid:-0}" | tr -d ' ' || true)
  ok "tini runs the container (pid $tini_pid), node is its child (pid $node_pid)"
else bad "no tini process in the container"; exit 1; fi
if [ -n "$node_user" ] && [ "$node_user" != root ]; then ok "node runs as $node_user, not root"; else bad "node runs as '${node_user:-?}'"; fi

# 5. one gateway call
DATABASE_URL=$db_url AUTO_MIGRATE=true DEMO_SEED=false npx tsx --tsconfig tsconfig.json scripts/bench/setup-gateway.ts "http://127.0.0.1:$up_port/v1" "$key" >/dev/null
body='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"smoke"}]}'
code="" answer=""
for _ in $(seq 1 30); do # the new app key and provider reach the instance's config cache within seconds
  code=$(curl -sS -o "$work/answer.json" -w '%{http_code}' --max-time 15 -H "authorization: Bearer $key" -H 'content-type: application/json' \
    -H 'x-request-id: image-smoke-1' -d "$body" "http://127.0.0.1:$http_port/api/llm/v1/chat/completions" || true)
  [ "$code" = 200 ] && break
  sleep 1
done
answer=$(node -e 'try{console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).choices[0].message.content)}catch{console.log("")}' "$work/answer.json")
if [ "$code" = 200 ] && [ "$answer" = "smoke ok" ]; then ok "gateway call through the image: 200, upstream answer"; else bad "gateway call: HTTP $code $(head -c 300 "$work/answer.json")"; fi
upstream() { curl -sS --max-time 5 "http://127.0.0.1:$up_port/count" | node -pe "JSON.parse(require('fs').readFileSync(0,'utf8')).$1"; }
served=$(upstream served)
psql_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql
ledger() { "$psql_bin" "$db_url" -Atc "select count(*) || ' ' || coalesce(sum((status = 'ok' and model_code = 'gpt-4o-mini' and prompt_tokens = 12 and completion_tokens = 5 and cost = 0.0000048)::int), 0) from llm_calls where app_id = (select id from apps where code = 'bench')"; }
row=""
for _ in $(seq 1 30); do # the recorder writes in batches
  row=$(ledger)
  [ "${row%% *}" -ge "$served" ] && [ "$served" -gt 0 ] && break
  sleep 1
done
if [ "$row" = "$served $served" ]; then ok "ledger: $served row(s) for $served upstream call(s), status ok, cost exactly 0.0000048"; else bad "ledger rows/ok-with-exact-cost '$row' for $served upstream call(s)"; fi

# 6. SIGTERM to PID 1 of the container, as `docker stop` does, with a call in flight
before=$(upstream received)
curl -sS -o "$work/slow.json" -w '%{http_code}' --max-time 30 -H "authorization: Bearer $key" -H 'content-type: application/json' \
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"slow"}]}' "http://127.0.0.1:$http_port/api/llm/v1/chat/completions" > "$work/slow.code" 2>&1 &
slow_pid=$!
for _ in $(seq 1 100); do [ "$(upstream received)" -gt "$before" ] && break; sleep 0.1; done # the call reached the upstream
t_stop=$(date +%s)
kill -TERM "$tini_pid"
exit_code=timeout
for _ in $(seq 1 60); do
  if ! kill -0 "$run_pid" 2>/dev/null; then set +e; wait "$run_pid"; exit_code=$?; set -e; run_pid=""; break; fi
  sleep 1
done
wait "$slow_pid" || true
if [ "$exit_code" = 0 ] && grep -q "SIGTERM: draining 1 request" "$work/container.log"; then
  ok "SIGTERM reached node: drained 1 call in flight and exited 0 in $(( $(date +%s) - t_stop )) s"
else bad "after SIGTERM: exit $exit_code; drain logged: $(grep 'SIGTERM: draining' "$work/container.log" || echo none)"; fi
[ "$(cat "$work/slow.code")" = 200 ] && ok "the call in flight at SIGTERM answered 200" || bad "call in flight at SIGTERM: $(cat "$work/slow.code") $(head -c 200 "$work/slow.json" 2>/dev/null)"
served=$(upstream served)
row=$(ledger)
if [ "$row" = "$served $served" ] && [ "$served" = 2 ]; then ok "ledger after exit: $row (both calls recorded, exact cost)"; else bad "ledger after exit '$row' for $served upstream call(s)"; fi
port_free "$http_port" && ok "port $http_port released" || bad "port $http_port still open after exit"

# 7. PgBouncer of compose.yaml
t0=$(date +%s)
buildah bud --isolation chroot --network host --layers --format docker --quiet --build-arg BASE_IMAGE="$(scripts/image/base.sh 2>/dev/null)" \
  -t localhost/llmcp-pgbouncer:latest scripts/image/pgbouncer > "$work/pgbouncer-build.log" 2>&1 || { cat "$work/pgbouncer-build.log"; bad "pgbouncer image build"; }
log "pgbouncer image ready in $(( $(date +%s) - t0 )) s"
"$psql_bin" "$db_url" -qc "create role llmcp login password 'smoke-pw'"
pgb_ctr=$(buildah from --quiet localhost/llmcp-pgbouncer:latest)
buildah run --isolation chroot --network host --env DB_HOST=127.0.0.1 --env "DB_PORT=$pg_port" --env DB_NAME=postgres --env DB_USER=llmcp \
  --env DB_PASSWORD=smoke-pw --env LISTEN_ADDR=127.0.0.1 --env "LISTEN_PORT=$pgb_port" "$pgb_ctr" -- /usr/local/bin/pgbouncer-entrypoint > "$work/pgbouncer.log" 2>&1 &
pgb_pid=$!
pooled=""
for _ in $(seq 1 50); do pooled=$(PGPASSWORD=smoke-pw "$psql_bin" "postgres://llmcp@127.0.0.1:$pgb_port/postgres" -Atc "select current_user || '@' || current_setting('port')" 2>/dev/null || true); [ -n "$pooled" ] && break; sleep 0.2; done
denied=$(PGPASSWORD=wrong "$psql_bin" "postgres://llmcp@127.0.0.1:$pgb_port/postgres" -Atc "select 1" 2>&1 || true)
if [ "$pooled" = "llmcp@$pg_port" ] && [[ $denied == *"authentication failed"* ]]; then ok "pgbouncer image: llmcp reaches PostgreSQL :$pg_port through the pool, a wrong password is refused"; else bad "pgbouncer image: read '$pooled', wrong password: $denied"; fi
pgb_main=$(for p in $(descendants "$pgb_pid"); do [ "$(ps -o comm= -p "$p" || true)" = pgbouncer ] && echo "$p"; done | head -n 1 || true)
[ -n "$pgb_main" ] && kill -TERM "$pgb_main"
for _ in $(seq 1 50); do kill -0 "$pgb_pid" 2>/dev/null || break; sleep 0.2; done
if ! kill -0 "$pgb_pid" 2>/dev/null; then ok "pgbouncer stopped on SIGTERM"; pgb_pid=""; else bad "pgbouncer still running 10 s after SIGTERM"; fi

grep -E "^image-build: (built|cached|size)" "$work/build.log" | sed 's/^/[image] /' || true
echo "image: $passed passed, $failed failed"
[ "$failed" = 0 ]
