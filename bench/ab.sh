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
source bench/lib.sh

OLD=${1:?usage: bench/ab.sh OLD_BIN NEW_BIN [RUNS]}
NEW=${2:?usage: bench/ab.sh OLD_BIN NEW_BIN [RUNS]}
RUNS=${3:-5}
SECONDS_PER_RUN=${BENCH_SECONDS:-6}
SERVICE_CPUS=${SERVICE_CPUS:-0}
WRK_CPUS=${WRK_CPUS:-1}
ON_WRK_CPUS=(taskset -c "$WRK_CPUS")
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 2; }

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

# start NAME BIN -> sets URL_<NAME>; the server is seeded with users and builds.
start() {
  local name=$1 bin=$2 port
  port=$(free_port)
  mkdir -p "$WORK/$name"
  env GW2OPT_DATA_DIR="$WORK/$name" DATABASE_URL= GW2OPT_BIND="127.0.0.1:$port" "${BENCH_SERVICE_ENV[@]}" \
      taskset -c "$SERVICE_CPUS" "$bin" serve >"$WORK/$name/log" 2>&1 &
  PIDS+=("$!")
  wait_http "http://127.0.0.1:$port/health"
  "$NEW" bench seed --url "http://127.0.0.1:$port" --users 8 --builds 50 --out "$WORK/$name/seed.json" \
    >"$WORK/$name/seed.log" 2>&1 || { cat "$WORK/$name/seed.log" >&2; exit 1; }
  printf -v "URL_$name" '%s' "http://127.0.0.1:$port"
}
seed() { seeded "$WORK/$1/seed.json" "$2"; }

start old "$OLD"
start new "$NEW"

rps() { wrk_summary "$1" | cut -f1; }

# side_by_side LABEL OLD_URL NEW_URL [OLD_HEADER NEW_HEADER]
side_by_side() {
  local label=$1 old_url=$2 new_url=$3 old_header=${4:-} new_header=${5:-} ratios=()
  for (( run = 1; run <= RUNS; run++ )); do
    wrk_at_once 256 "$SECONDS_PER_RUN" "$WORK/old.txt" "$old_url" "$old_header" \
      "$WORK/new.txt" "$new_url" "$new_header"
    ratios+=("$(python3 -c 'import sys; print(f"{100 * float(sys.argv[2]) / float(sys.argv[1]):.1f}")' "$(rps "$WORK/old.txt")" "$(rps "$WORK/new.txt")")")
  done
  local median
  median=$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  echo "$label: new/old $median % (runs: ${ratios[*]})"
}

side_by_side health "$URL_old/health" "$URL_new/health"
side_by_side me "$URL_old/api/v1/auth/me" "$URL_new/api/v1/auth/me" \
  "Authorization: Bearer $(seed old users.1.token)" "Authorization: Bearer $(seed new users.1.token)"
side_by_side build_by_id "$URL_old/api/v1/builds/$(seed old hot_build)" "$URL_new/api/v1/builds/$(seed new hot_build)"
