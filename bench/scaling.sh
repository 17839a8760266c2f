#!/usr/bin/env bash
# Per-core scaling (issue #22): the service and the bare ceiling pinned to one core, then to
# two, each loaded at 256 connections by wrk. On a 2-core machine wrk has to share the cores in
# the second layout, so req/s alone cannot tell how the service scales; the script therefore
# also reads the CPU time each server spent (utime + stime of all its threads, from /proc)
# and reports each server's CPU time per request (its inverse: requests per second of CPU). A service
# that scales with its cores keeps the same cost per request when given two.
#
#   bench/scaling.sh [BIN]      prints a Markdown table (default BIN: target/release/gw2opt)
#
# Environment: BENCH_SECONDS (per run, default 6), RUNS (runs per read and layout, the median
# is kept, default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

BIN=${1:-target/release/gw2opt}
SECONDS_PER_RUN=${BENCH_SECONDS:-6}
RUNS=${RUNS:-3}
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 2; }
[[ -x "$BIN" ]] || { echo "no binary at $BIN (cargo build --release)" >&2; exit 2; }
(( $(nproc) >= 2 )) || { echo "needs 2 cores" >&2; exit 2; }

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

TICKS=$(getconf CLK_TCK)
# cpu_seconds PID: user + system CPU time of the process (all its threads) so far.
cpu_seconds() { awk -v t="$TICKS" '{ print ($14 + $15) / t }' "/proc/$1/stat"; }

# measure PID URL [HEADER] -> "req/s<TAB>cpu seconds per wall second<TAB>µs CPU per request"
measure() {
  local pid=$1 url=$2 header=${3:-} before after rps
  before=$(cpu_seconds "$pid")
  "${ON_WRK_CPUS[@]}" wrk -t2 -c256 -d"${SECONDS_PER_RUN}s" ${header:+-H "$header"} "$url" >"$WORK/wrk.txt" 2>&1 || true
  after=$(cpu_seconds "$pid")
  rps=$(wrk_summary "$WORK/wrk.txt" | cut -f1)
  python3 -c 'import sys; r, b, a, s = map(float, sys.argv[1:]); print(f"{r:.0f}\t{(a - b) / s:.2f}\t{1e6 * (a - b) / max(r * s, 1):.2f}")' \
    "$rps" "$before" "$after" "$SECONDS_PER_RUN"
}

# median_of PID URL [HEADER]: RUNS measures, the one with the median req/s.
median_of() {
  local rows=()
  for (( run = 1; run <= RUNS; run++ )); do rows+=("$(measure "$@")"); done
  printf '%s\n' "${rows[@]}" | sort -n -k1,1 | sed -n "$(( (RUNS + 1) / 2 ))p"
}

echo "| layout | read | req/s | server CPU (cores) | CPU per request (µs) |"
echo "|---|---|---|---|---|"
for layout in "0:1" "0,1:0,1"; do
  service_cpus=${layout%%:*}; wrk_cpus=${layout##*:}
  ON_WRK_CPUS=(taskset -c "$wrk_cpus")
  name="service on CPU $service_cpus, wrk on CPU $wrk_cpus"
  port=$(free_port); cport=$(free_port)
  mkdir -p "$WORK/$port"
  env GW2OPT_DATA_DIR="$WORK/$port" DATABASE_URL= GW2OPT_BIND="127.0.0.1:$port" "${BENCH_SERVICE_ENV[@]}" \
    taskset -c "$service_cpus" "$BIN" serve >"$WORK/$port/log" 2>&1 &
  service=$!; PIDS+=("$service")
  taskset -c "$service_cpus" "$BIN" bench ceiling --bind "127.0.0.1:$cport" >"$WORK/ceiling.log" 2>&1 &
  ceiling=$!; PIDS+=("$ceiling")
  url="http://127.0.0.1:$port"
  wait_http "$url/health"; wait_http "http://127.0.0.1:$cport/"
  "$BIN" bench seed --url "$url" --users 8 --builds 50 --out "$WORK/seed.json" >"$WORK/seed.log" 2>&1 \
    || { cat "$WORK/seed.log" >&2; exit 1; }
  token=$(seeded "$WORK/seed.json" users.1.token)
  build=$(seeded "$WORK/seed.json" hot_build)
  size=$(curl -fs -o /dev/null -w '%{size_download}' "$url/api/v1/builds/$build")
  for read in ceiling health me build_by_id ceiling_same_size_as_build; do
    case $read in
      ceiling) row=$(median_of "$ceiling" "http://127.0.0.1:$cport/") ;;
      health) row=$(median_of "$service" "$url/health") ;;
      me) row=$(median_of "$service" "$url/api/v1/auth/me" "Authorization: Bearer $token") ;;
      build_by_id) row=$(median_of "$service" "$url/api/v1/builds/$build") ;;
      ceiling_same_size_as_build) row=$(median_of "$ceiling" "http://127.0.0.1:$cport/bytes/$size") ;;
    esac
    IFS=$'\t' read -r rps cores us <<<"$row"
    printf '| %s | %s | %s | %s | %s |\n' "$name" "$read" "$(python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$rps")" "$cores" "$us"
  done
  kill "$service" "$ceiling" 2>/dev/null || true
  wait "$service" "$ceiling" 2>/dev/null || true
done
