#!/usr/bin/env bash
# Two builds of the service side by side (an A/B of a change): both serve at the same time,
# pinned to the same CPUs, each loaded by its own wrk. The scheduler gives the two busy
# servers equal CPU time, so the ratio of what they serve is the ratio of their costs per
# request, whatever the machine's speed does meanwhile. On this project's VM, where one run
# of the same binary differs from the next by ±20 %, this tells changes of 1 % apart: the
# same binary against itself gave medians of 99.9–100.3 % over five 6 s runs per read (single
# runs 98.7–102.0 %; shorter runs scatter more).
#
#   bench/ab.sh OLD_BIN NEW_BIN [RUNS]    prints NEW/OLD in % for /health, /auth/me and a build
#                                         read at 256 connections, RUNS runs each (default 5)
#
# Environment: BENCH_SECONDS (per run, default 6), SERVICE_CPUS (default 0) and WRK_CPUS
# (default 1): the CPUs of both servers and of both wrk processes. Each server gets a fresh
# SQLite data dir, seeded through its API by `gw2opt bench seed`.
set -euo pipefail
cd "$(dirname "$0")/.."

OLD=${1:?usage: bench/ab.sh OLD_BIN NEW_BIN [RUNS]}
NEW=${2:?usage: bench/ab.sh OLD_BIN NEW_BIN [RUNS]}
RUNS=${3:-5}
SECONDS_PER_RUN=${BENCH_SECONDS:-6}
SERVICE_CPUS=${SERVICE_CPUS:-0}
WRK_CPUS=${WRK_CPUS:-1}
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 2; }

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start NAME BIN -> sets URL_<NAME>; the server is seeded with users and builds.
start() {
  local name=$1 bin=$2 port
  port=$(free_port)
  mkdir -p "$WORK/$name"
  env GW2OPT_DATA_DIR="$WORK/$name" DATABASE_URL= GW2OPT_BIND="127.0.0.1:$port" \
      SECRET_KEY="load-test-secret-key-0123456789abcdefghij" GW2OPT_ACCESS_LOG=false \
      GW2OPT_LOGIN_RATE_PER_MINUTE=1000000 GW2OPT_REGISTER_RATE_PER_HOUR=1000000 \
      GW2OPT_METRICS_TOKEN="load-test-metrics-token-0123456789" RUST_LOG=warn \
      taskset -c "$SERVICE_CPUS" "$bin" serve >"$WORK/$name/log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.05; done
  "$NEW" bench seed --url "http://127.0.0.1:$port" --users 8 --builds 50 --out "$WORK/$name/seed.json" \
    >"$WORK/$name/seed.log" 2>&1 || { cat "$WORK/$name/seed.log" >&2; exit 1; }
  printf -v "URL_$name" '%s' "http://127.0.0.1:$port"
}
seed() { python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["users"][1]["token"] if sys.argv[2] == "token" else s["hot_build"])' "$WORK/$1/seed.json" "$2"; }

start old "$OLD"
start new "$NEW"

rps() { python3 -c 'import re,sys; print(re.search(r"Requests/sec:\s+([\d.]+)", open(sys.argv[1]).read()).group(1))' "$1"; }

# side_by_side LABEL OLD_URL NEW_URL [OLD_HEADER NEW_HEADER]
side_by_side() {
  local label=$1 old_url=$2 new_url=$3 old_header=${4:-} new_header=${5:-} ratios=() wrk_old
  for (( run = 1; run <= RUNS; run++ )); do
    taskset -c "$WRK_CPUS" wrk -t2 -c256 -d"${SECONDS_PER_RUN}s" ${old_header:+-H "$old_header"} "$old_url" >"$WORK/old.txt" 2>&1 &
    wrk_old=$!
    taskset -c "$WRK_CPUS" wrk -t2 -c256 -d"${SECONDS_PER_RUN}s" ${new_header:+-H "$new_header"} "$new_url" >"$WORK/new.txt" 2>&1
    wait "$wrk_old"
    ratios+=("$(python3 -c 'import sys; print(f"{100 * float(sys.argv[2]) / float(sys.argv[1]):.1f}")' "$(rps "$WORK/old.txt")" "$(rps "$WORK/new.txt")")")
  done
  local median
  median=$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  echo "$label: new/old $median % (runs: ${ratios[*]})"
}

side_by_side health "$URL_old/health" "$URL_new/health"
side_by_side me "$URL_old/api/v1/auth/me" "$URL_new/api/v1/auth/me" \
  "Authorization: Bearer $(seed old token)" "Authorization: Bearer $(seed new token)"
side_by_side build_by_id "$URL_old/api/v1/builds/$(seed old build)" "$URL_new/api/v1/builds/$(seed new build)"
