#!/usr/bin/env bash
# The cached reads against the same-size ceiling, in alternating pairs (issue #22): on a VM whose
# single runs vary by ±15 %, each read at c=256 is measured three times, each time right before
# the bare endpoint serving a body of the same size (`gw2opt bench ceiling`'s /bytes/{n}); prints
# every pair's ratio and the median per read. Release binary, SQLite, metrics on, 5 s per run
# (PAIR_SECONDS), wrk on the same machine. About 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GW2OPT_BIN:-target/release/gw2opt}
SECONDS_PER_RUN=${PAIR_SECONDS:-5}
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 2; }
[[ -x "$BIN" ]] || cargo build --release --bin gw2opt
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "not up: $1" >&2; return 1; }

CEIL="http://127.0.0.1:$(free_port)"
"$BIN" bench ceiling --bind "${CEIL#http://}" >"$WORK/ceiling.log" 2>&1 &
PIDS+=("$!")
URL="http://127.0.0.1:$(free_port)"
env GW2OPT_DATA_DIR="$WORK/data" GW2OPT_BIND="${URL#http://}" \
    SECRET_KEY="load-test-secret-key-0123456789abcdefghij" GW2OPT_ACCESS_LOG=false \
    GW2OPT_LOGIN_RATE_PER_MINUTE=1000000 GW2OPT_REGISTER_RATE_PER_HOUR=1000000 \
    GW2OPT_METRICS_TOKEN="load-test-metrics-token-0123456789" RUST_LOG=warn \
    "$BIN" serve >"$WORK/serve.log" 2>&1 &
PIDS+=("$!")
wait_http "$CEIL/" && wait_http "$URL/health"
"$BIN" bench seed --url "$URL" --users 8 --builds 50 --out "$WORK/seed.json" >/dev/null
hot=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hot_build"])' "$WORK/seed.json")
team=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["team"])' "$WORK/seed.json")
token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["users"][1]["token"])' "$WORK/seed.json")

# run URL [wrk args...] -> "req/s p99"
run() { local url=$1; shift; wrk -t2 -c256 -d"${SECONDS_PER_RUN}s" --latency "$@" "$url" 2>&1 | awk '/Requests\/sec/{r=$2} /^ +99%/{p=$2} END{printf "%s %s", r, p}'; }
for scenario in "health /health" "me /api/v1/auth/me" "build_by_id /api/v1/builds/$hot" \
    "team_50_slots /api/v1/teams/$team" "list_50 /api/v1/builds?profession=guardian&game_mode=wvw&sort=top&limit=20"; do
  read -r name path <<<"$scenario"
  auth=()
  [[ "$name" == me ]] && auth=(-H "Authorization: Bearer $token")
  size=$(curl -fs -o /dev/null -w '%{size_download}' "${auth[@]}" "$URL$path")
  ratios=()
  for pair in 1 2 3; do
    read -r service service_p99 <<<"$(run "$URL$path" "${auth[@]}")"
    read -r bare bare_p99 <<<"$(run "$CEIL/bytes/$size")"
    ratio=$(python3 -c "print(f'{100 * $service / $bare:.1f}')")
    ratios+=("$ratio")
    echo "  $name pair $pair: $service req/s (p99 $service_p99), same-size ceiling $bare (p99 $bare_p99): $ratio %"
  done
  echo "$name ($size bytes): median $(python3 -c 'import statistics,sys; print(statistics.median(map(float, sys.argv[1:])))' "${ratios[@]}") % of the same-size ceiling"
done
