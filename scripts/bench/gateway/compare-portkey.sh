#!/usr/bin/env bash
# The Portkey comparison of `bench:gateway`: an OpenAI-compatible chat-completions endpoint (ours)
# and the Portkey AI gateway, measured with wrk in the same run, both proxying to the same
# zero-latency mock upstream (mock-upstream.mjs) on 127.0.0.1, plus the mock called directly.
#
#   compare-portkey.sh --target URL [-H 'Header: value']... [--body JSON] [--secs 10] [--conns "1 10 50"]
#
# The target must already route its calls to http://127.0.0.1:${MOCK_PORT:-9001}/v1 (the mock is
# started here unless one answers there). Portkey (@portkey-ai/gateway 1.15.2, with @hono/node-server
# pinned to 1.13.5: 1.14+ breaks its streaming) is installed once into ${PORTKEY_DIR:-/tmp/llmcp-portkey-1.15.2}.
# Prints `who conns req/s p50_ms p99_ms non2xx sockerr` rows (who: direct, target, portkey), then
# the target/Portkey ratio per connection count. Everything started here is stopped by PID on exit.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target="" secs=10 conns="1 10 50" body="" hdrs=()
while (($#)); do
  case "$1" in
    --target) target=$2; shift 2 ;;
    -H) hdrs+=("$2"); shift 2 ;;
    --body) body=$2; shift 2 ;;
    --secs) secs=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    *) echo "compare-portkey: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n $target ]] || { echo "usage: $0 --target URL [-H 'K: V']... [--body JSON] [--secs N] [--conns LIST]" >&2; exit 2; }
((secs >= 1 && secs <= 30)) || { echo "compare-portkey: --secs must be 1..30" >&2; exit 2; }
for tool in wrk curl node npm; do command -v "$tool" >/dev/null || { echo "compare-portkey: $tool is missing" >&2; exit 2; }; done
mock_port=${MOCK_PORT:-9001} pk_port=${PORTKEY_PORT:-8787} pk_dir=${PORTKEY_DIR:-/tmp/llmcp-portkey-1.15.2}
export BENCH_BODY=${body:-'{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello."}],"max_tokens":32}'}

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

until_up() { # curl args...: bounded wait (10 s) for any HTTP answer
  for _ in $(seq 100); do curl -s -m 1 -o /dev/null "$@" && return 0; sleep 0.1; done
  return 1
}
hdr_args() { local h; for h in "$@"; do printf -- '-H\0%s\0' "$h"; done; } # headers -> NUL-separated curl/wrk args

mock_url=http://127.0.0.1:$mock_port/v1/chat/completions
if ! curl -s -m 1 -o /dev/null -X POST "$mock_url" -d '{}'; then
  node "$here/mock-upstream.mjs" "$mock_port" 127.0.0.1 >/dev/null 2>&1 &
  pids+=($!)
  until_up -X POST "$mock_url" -d '{}' || { echo "compare-portkey: the mock upstream did not start" >&2; exit 1; }
fi

entry=$pk_dir/node_modules/@portkey-ai/gateway/build/start-server.js
if [[ ! -f $entry ]]; then
  mkdir -p "$pk_dir"
  cat >"$pk_dir/package.json" <<'JSON'
{ "private": true, "dependencies": { "@portkey-ai/gateway": "1.15.2" }, "overrides": { "@hono/node-server": "1.13.5" } }
JSON
  (cd "$pk_dir" && timeout 600 npm install --no-audit --no-fund --loglevel=error >"$pk_dir/install.log" 2>&1) \
    || { tail -n 20 "$pk_dir/install.log" >&2; echo "compare-portkey: could not install Portkey into $pk_dir" >&2; exit 1; }
fi
node "$entry" --port="$pk_port" --headless >/dev/null 2>&1 &
pids+=($!)
until_up "http://127.0.0.1:$pk_port/" || { echo "compare-portkey: Portkey did not start on $pk_port" >&2; exit 1; }
sleep 1.5 # Portkey logs its banner and loads its plugins after it starts listening
pk_url=http://127.0.0.1:$pk_port/v1/chat/completions
pk_hdrs=("x-portkey-provider: openai" "x-portkey-custom-host: http://127.0.0.1:$mock_port/v1" "Authorization: Bearer dummy")

status_of() { # url headers...: HTTP status of one request
  local url=$1; shift
  local a=(); mapfile -d '' a < <(hdr_args "$@")
  curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST "$url" -H 'content-type: application/json' "${a[@]}" -d "$BENCH_BODY"
}
[[ $(status_of "$target" "${hdrs[@]}") == 200 ]] || { echo "compare-portkey: the target did not answer 200 to one request" >&2; exit 1; }
[[ $(status_of "$pk_url" "${pk_hdrs[@]}") == 200 ]] || { echo "compare-portkey: Portkey did not answer 200 to one request" >&2; exit 1; }

declare -A rps=()
measure() { # who conns url headers...
  local who=$1 c=$2 url=$3; shift 3
  local a=(); mapfile -d '' a < <(hdr_args "$@")
  local line; line=$(wrk -t1 -c"$c" -d"${secs}s" --timeout 10s -s "$here/post.lua" "${a[@]}" "$url" 2>&1 | grep '^RESULT' || true)
  [[ -n $line ]] || line="RESULT rps=0 p50_ms=0 p99_ms=0 non2xx=0 sockerr=1"
  get() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
  printf '%-8s %5s %10s %9s %9s %7s %7s\n' "$who" "$c" "$(get rps)" "$(get p50_ms)" "$(get p99_ms)" "$(get non2xx)" "$(get sockerr)"
  rps[$who/$c]=$(get rps)
}

# Warm-up, not counted: JIT and connection pools of both gateways and the mock.
mapfile -d '' warm < <(hdr_args "${hdrs[@]}")
mapfile -d '' warm_pk < <(hdr_args "${pk_hdrs[@]}")
wrk -t1 -c10 -d3s -s "$here/post.lua" "${warm[@]}" "$target" >/dev/null 2>&1
wrk -t1 -c10 -d3s -s "$here/post.lua" "${warm_pk[@]}" "$pk_url" >/dev/null 2>&1
wrk -t1 -c10 -d2s -s "$here/post.lua" "$mock_url" >/dev/null 2>&1

printf '%-8s %5s %10s %9s %9s %7s %7s\n' who conns req/s p50_ms p99_ms non2xx sockerr
for c in $conns; do
  measure direct "$c" "$mock_url"
  measure target "$c" "$target" "${hdrs[@]}"
  measure portkey "$c" "$pk_url" "${pk_hdrs[@]}"
done
echo
for c in $conns; do
  awk -v c="$c" -v t="${rps[target/$c]:-0}" -v p="${rps[portkey/$c]:-0}" 'BEGIN { printf "conns=%s target/portkey req/s ratio: %.2f\n", c, (p > 0 ? t / p : 0) }'
done
