#!/usr/bin/env bash
# The service under load (issue #12). Starts the release binary on a fresh data dir per
# backend, seeds it (users, 50 builds through the API, a team of 50 slots; then 100k builds),
# and drives it with wrk from a second process over loopback. Metrics are on (as in
# production: GW2OPT_METRICS_TOKEN), so their cost is in every figure. Prints one table: req/s,
# p50/p99 latency, errors (socket errors + non-2xx) and the fraction of the ceiling (a bare
# axum endpoint measured in the same run) and, for the reads at the highest concurrency, of the
# same-size ceiling (the bare endpoint serving a body of the response's size).
#
#   bench/load.sh            full run: SQLite, plus PostgreSQL when GW2OPT_BENCH_POSTGRES_URL
#                            is set (a server URL where the user may create databases)
#   bench/load.sh --smoke    a few seconds on SQLite, asserting zero errors (CI)
#
# Environment: BENCH_SECONDS (per wrk run, default 10), BENCH_MIXED_SECONDS (60),
# GW2OPT_BIN (default target/release/gw2opt, built when missing), REDIS_SERVER (redis-server
# binary for the degradation runs; skipped when absent), PG_STOP_CMD / PG_START_CMD (how to
# stop and start the PostgreSQL server for the database-outage run; skipped when unset),
# SAME_SIZE_PAIRS (alternating service / same-size / same-request ceiling runs per read at
# the highest concurrency, default 1; on a noisy VM 3 gives a median), SIDE_BY_SIDE_RUNS
# (runs of each read at the highest concurrency loaded at the same time as its same-size
# ceiling, default 0: see side_by_side), SERVICE_CPUS / WRK_CPUS (CPU lists
# for taskset: the service and the ceiling server pinned to SERVICE_CPUS, wrk to WRK_CPUS;
# per-core scaling, e.g. SERVICE_CPUS=0 WRK_CPUS=1).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SMOKE=0
[[ "${1:-}" == "--smoke" ]] && SMOKE=1
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
MIXED_SECONDS=${BENCH_MIXED_SECONDS:-60}
CONCURRENCIES="1 32 256"
SAME_SIZE_PAIRS=${SAME_SIZE_PAIRS:-1}
SIDE_BY_SIDE_RUNS=${SIDE_BY_SIDE_RUNS:-0}
BIG=100000
USERS=64
if (( SMOKE )); then
  SECONDS_PER_RUN=${BENCH_SECONDS:-2}; MIXED_SECONDS=${BENCH_MIXED_SECONDS:-4}; CONCURRENCIES="32"; BIG=2000; USERS=8
fi
BIN=${GW2OPT_BIN:-target/release/gw2opt}
ON_SERVICE_CPUS=(env); ON_WRK_CPUS=(env)
[[ -n "${SERVICE_CPUS:-}" ]] && ON_SERVICE_CPUS=(taskset -c "$SERVICE_CPUS")
[[ -n "${WRK_CPUS:-}" ]] && ON_WRK_CPUS=(taskset -c "$WRK_CPUS")
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 2; }
[[ -x "$BIN" ]] || cargo build --release --bin gw2opt

WORK=$(mktemp -d)
RESULTS="$WORK/results.tsv"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
FAILURES=0
fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }

# start_service NAME DATABASE_URL [ENV=VALUE ...] -> sets URL and SERVICE_PID
start_service() {
  local name=$1 db=$2; shift 2
  local port; port=$(free_port)
  mkdir -p "$WORK/$name"
  env GW2OPT_DATA_DIR="$WORK/$name" DATABASE_URL="$db" GW2OPT_BIND="127.0.0.1:$port" \
      "${BENCH_SERVICE_ENV[@]}" "$@" \
      "${ON_SERVICE_CPUS[@]}" "$BIN" serve >"$WORK/$name.log" 2>&1 &
  SERVICE_PID=$!; PIDS+=("$SERVICE_PID")
  URL="http://127.0.0.1:$port"
  wait_http "$URL/health"
}

stop_service() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# wrk_run BACKEND SCENARIO CONCURRENCY URL [wrk args...] -> appends a row to RESULTS
wrk_run() {
  local backend=$1 scenario=$2 c=$3 url=$4; shift 4
  local threads=$(( c < 2 ? 1 : 2 ))
  local out="$WORK/wrk-$backend-$scenario-$c.txt"
  "${ON_WRK_CPUS[@]}" wrk -t"$threads" -c"$c" -d"${SECONDS_PER_RUN}s" --latency "$@" "$url" >"$out" 2>&1 || true
  printf '%s\t%s\t%s\t%s\n' "$backend" "$scenario" "$c" "$(wrk_summary "$out")" >>"$RESULTS"
  local row; row=$(tail -1 "$RESULTS")
  echo "  $row" | tr '\t' ' '
  local errors; errors=$(cut -f7 <<<"$row")
  (( errors == 0 )) || fail "$backend $scenario c=$c: $errors errors (see $out)"
}

# read_run BACKEND SCENARIO CONCURRENCY URL [wrk args...]: wrk_run, and at the highest
# concurrency two bare-endpoint ceilings too, which tell the service's own cost from the cost
# of moving the bytes:
# - the same-size ceiling: the bare endpoint serving a body of the response's size
#   (`/bytes/{n}`);
# - the same-request ceiling: the same, sent a request of the same size, so that reading and
#   parsing it costs the bare endpoint what it costs the service. It gets the same headers
#   (a bearer token is ~250 bytes) and a path of the same length (`/bytes/{n}` padded with a
#   query string the endpoint does not read).
# SAME_SIZE_PAIRS alternating (service, same-size, same-request) runs; the table shows the
# median ratio of each ceiling.
read_run() {
  local backend=$1 scenario=$2 c=$3 url=$4; shift 4
  wrk_run "$backend" "$scenario" "$c" "$url" "$@"
  (( c == ${CONCURRENCIES##* } )) || return 0
  local curl_args=() size service same_size pair
  [[ "${1:-}" == "-H" ]] && curl_args=(-H "$2")
  size=$(curl -fs -o /dev/null -w '%{size_download}' "${curl_args[@]}" "$url")
  local path="/${url#http://*/}" sized="/bytes/$size"
  local same_request=$sized
  if (( ${#path} > ${#sized} )); then
    local pad
    printf -v pad '%*s' $(( ${#path} - ${#sized} - 1 )) ''
    same_request+="?${pad// /p}"
  fi
  for (( pair = 1; pair <= SAME_SIZE_PAIRS; pair++ )); do
    (( pair == 1 )) || wrk_run "$backend" "$scenario" "$c" "$url" "$@"
    service=$(tail -1 "$RESULTS" | cut -f4)
    wrk_run ceiling "same size as $backend $scenario ($size bytes)" "$c" "$CEIL_URL$sized"
    same_size=$(tail -1 "$RESULTS" | cut -f4)
    wrk_run ceiling "same request as $backend $scenario" "$c" "$CEIL_URL$same_request" "$@"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$backend" "$scenario" "$c" "$service" "$same_size" \
      "$(tail -1 "$RESULTS" | cut -f4)" >>"$SAME_SIZE"
  done
  for (( round = 1; round <= SIDE_BY_SIDE_RUNS; round++ )); do
    side_by_side "$backend" "$scenario" "$c" "$url" "$CEIL_URL$sized" "${curl_args[1]:-}"
  done
}

# side_by_side BACKEND SCENARIO CONCURRENCY URL CEILING_URL [HEADER]: the service (sent HEADER)
# and the same-size ceiling loaded at the same time, both servers on the same CPUs
# (`wrk_at_once`; on this VM the same ceiling ran at 90–139 k req/s from one 6 s run to the
# next, more than the differences measured).
side_by_side() {
  local backend=$1 scenario=$2 c=$3 url=$4 ceiling_url=$5 header=${6:-} service ceiling
  wrk_at_once "$c" "$SECONDS_PER_RUN" "$WORK/sbs-service.txt" "$url" "$header" \
    "$WORK/sbs-ceiling.txt" "$ceiling_url" ""
  service=$(wrk_summary "$WORK/sbs-service.txt")
  ceiling=$(wrk_summary "$WORK/sbs-ceiling.txt")
  local errors=$(( $(cut -f4 <<<"$service") + $(cut -f4 <<<"$ceiling") ))
  local row
  row=$(printf '%s\t%s\t%s' "$(cut -f1 <<<"$service")" "$(cut -f1 <<<"$ceiling")" "$errors")
  printf '%s\t%s\t%s\t%s\n' "$backend" "$scenario" "$c" "$row" >>"$SIDE_BY_SIDE"
  echo "  side by side: $backend $scenario $c $row" | tr '\t' ' '
  (( errors == 0 )) || fail "$backend $scenario c=$c side by side: $errors errors"
}

read_scenarios() {
  local backend=$1 seed=$2 list_label=$3
  local token hot team
  token=$(seeded "$seed" users.1.token)
  hot=$(seeded "$seed" hot_build)
  team=$(seeded "$seed" team)
  for c in $CONCURRENCIES; do
    if [[ "$list_label" == "list_50" ]]; then
      read_run "$backend" health "$c" "$URL/health"
      read_run "$backend" me "$c" "$URL/api/v1/auth/me" -H "Authorization: Bearer $token"
      read_run "$backend" build_by_id "$c" "$URL/api/v1/builds/$hot"
      read_run "$backend" team_50_slots "$c" "$URL/api/v1/teams/$team"
    fi
    read_run "$backend" "$list_label" "$c" "$URL/api/v1/builds?profession=guardian&game_mode=wvw&sort=top&limit=20"
  done
}

login_scenario() {
  local backend=$1
  cat >"$WORK/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username": "bench2", "password": "load-test password 1234"}'
LUA
  # Logins hash with argon2 on the blocking pool; /health is measured at the same time to
  # show the executor stays responsive.
  "${ON_WRK_CPUS[@]}" wrk -t1 -c8 -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/login.lua" "$URL/api/v1/auth/login" >"$WORK/login.txt" 2>&1 &
  local login_pid=$!
  sleep 0.5
  wrk_run "$backend" health_during_logins 32 "$URL/health"
  wait "$login_pid" || true
  python3 - "$WORK/login.txt" "$backend" >>"$RESULTS" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", t)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
p50 = re.search(r"^\s+50%\s+([\d.]+)ms", t, re.M); p99 = re.search(r"^\s+99%\s+([\d.]+)(ms|s)", t, re.M)
p99v = float(p99.group(1)) * (1000 if p99 and p99.group(2) == "s" else 1) if p99 else float("nan")
print(f"{sys.argv[2]}\tlogin (argon2id)\t8\t{float(rps.group(1)) if rps else 0:.0f}\t{float(p50.group(1)) if p50 else float('nan'):.2f}\t{p99v:.2f}\t{int(non2xx.group(1)) if non2xx else 0}")
PY
  echo "  $(tail -1 "$RESULTS" | tr '\t' ' ')"
}

run_backend() {
  local backend=$1 db=$2 big_db=$3
  echo "== $backend: 50 builds"
  start_service "$backend" "$db"
  local pid=$SERVICE_PID
  "$BIN" bench seed --url "$URL" --database-url "$db" --users "$USERS" --builds 50 --out "$WORK/seed-$backend.json"
  read_scenarios "$backend" "$WORK/seed-$backend.json" list_50
  login_scenario "$backend"
  echo "== $backend: mixed read/write, ${MIXED_SECONDS}s, 32 clients"
  if "$BIN" bench mixed --url "$URL" --seed "$WORK/seed-$backend.json" --database-url "$db" \
       --seconds "$MIXED_SECONDS" --concurrency 32 | tee "$WORK/mixed-$backend.txt"; then :; else fail "$backend mixed scenario"; fi
  python3 - "$WORK/mixed-$backend.txt" "$backend" >>"$RESULTS" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"= (\d+) req/s .*p50 ([\d.]+) ms, p99 ([\d.]+) ms, errors (\d+)", t)
lost = re.search(r"(\d+) problem", t)
if m:
    print(f"{sys.argv[2]}\tmixed 90/10 (lost writes: {lost.group(1) if lost else '?'})\t32\t{m.group(1)}\t{m.group(2)}\t{m.group(3)}\t{m.group(4)}")
PY
  stop_service "$pid"

  echo "== $backend: $BIG builds"
  start_service "$backend-big" "$big_db"
  pid=$SERVICE_PID
  "$BIN" bench seed --url "$URL" --database-url "$big_db" --users 8 --builds "$BIG" --out "$WORK/seed-$backend-big.json"
  read_scenarios "$backend" "$WORK/seed-$backend-big.json" "list_${BIG}"
  stop_service "$pid"
}

degradation() {
  local redis_bin=${REDIS_SERVER:-$(command -v redis-server || true)}
  if [[ -z "$redis_bin" ]]; then echo "== degradation: redis-server not found, skipped"; return; fi
  echo "== degradation: Redis stopped mid-run"
  local rport; rport=$(free_port)
  "$redis_bin" --port "$rport" --save '' --daemonize no >"$WORK/redis.log" 2>&1 &
  local rpid=$!; PIDS+=("$rpid")
  for _ in $(seq 1 100); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.05; done
  start_service degraded "sqlite://$WORK/degraded.db" REDIS_URL="redis://127.0.0.1:$rport"
  local pid=$SERVICE_PID
  "$BIN" bench seed --url "$URL" --users 4 --builds 10 --out "$WORK/seed-degraded.json"
  local token hot
  token=$(seeded "$WORK/seed-degraded.json" users.1.token)
  hot=$(seeded "$WORK/seed-degraded.json" hot_build)
  ( sleep $(( SECONDS_PER_RUN / 3 + 1 )); kill "$rpid" 2>/dev/null ) &
  wrk_run degraded "me, Redis killed mid-run" 32 "$URL/api/v1/auth/me" -H "Authorization: Bearer $token"
  wrk_run degraded "build_by_id, Redis down" 32 "$URL/api/v1/builds/$hot"
  local ready; ready=$(curl -s "$URL/health/ready")
  echo "  /health/ready with Redis down: $ready"
  # Revocation is still enforced: change the password, the old token must stop working.
  curl -fs -X POST "$URL/api/v1/users/me/password" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"current_password": "load-test password 1234", "new_password": "another load-test password 5678"}' >/dev/null \
    || fail "password change with Redis down"
  local status; status=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/auth/me" -H "Authorization: Bearer $token")
  if [[ "$status" == "401" ]]; then echo "  revoked token after password change: 401 (enforced)"; else fail "revoked token answered $status"; fi
  stop_service "$pid"

  if [[ -n "${GW2OPT_BENCH_POSTGRES_URL:-}" && -n "${PG_STOP_CMD:-}" && -n "${PG_START_CMD:-}" ]]; then
    echo "== degradation: PostgreSQL stopped for 3 s"
    local db; db=$(make_pg_db outage)
    start_service outage "$db"
    pid=$SERVICE_PID
    "$BIN" bench seed --url "$URL" --database-url "$db" --users 2 --builds 2 --out "$WORK/seed-outage.json"
    token=$(seeded "$WORK/seed-outage.json" users.0.token)
    eval "$PG_STOP_CMD" >/dev/null 2>&1
    local during; during=$(curl -s -w ' %{http_code}' "$URL/api/v1/builds?q=outage" -H "Authorization: Bearer $token")
    echo "  during the outage: $during"
    [[ "$during" == *" 503" && "$during" == *service_unavailable* ]] || fail "expected a clear 503 during the outage, got: $during"
    eval "$PG_START_CMD" >/dev/null 2>&1
    local recovered=""
    for _ in $(seq 1 100); do
      recovered=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/builds?q=recovered" -H "Authorization: Bearer $token")
      [[ "$recovered" == "200" ]] && break; sleep 0.1
    done
    if [[ "$recovered" == "200" ]]; then echo "  after the restart: 200 without restarting the service"; else fail "no recovery: $recovered"; fi
    stop_service "$pid"
  fi
}

make_pg_db() {
  local name="gw2opt_bench_$1_$$"
  psql "$GW2OPT_BENCH_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $name" -qc "CREATE DATABASE $name" >/dev/null
  echo "${GW2OPT_BENCH_POSTGRES_URL%/*}/$name"
}

echo "== ceiling: bare axum endpoint, no middleware/database/auth"
CEIL_PORT=$(free_port)
"${ON_SERVICE_CPUS[@]}" "$BIN" bench ceiling --bind "127.0.0.1:$CEIL_PORT" >"$WORK/ceiling.log" 2>&1 &
PIDS+=("$!")
wait_http "http://127.0.0.1:$CEIL_PORT/"
CEIL_URL="http://127.0.0.1:$CEIL_PORT"
SAME_SIZE="$WORK/same_size.tsv"
SIDE_BY_SIDE="$WORK/side_by_side.tsv"
: >"$SAME_SIZE"; : >"$SIDE_BY_SIDE"
wrk_run ceiling "bare axum" 256 "$CEIL_URL/"
CEILING=$(tail -1 "$RESULTS" | cut -f4)

run_backend sqlite "sqlite://$WORK/sqlite.db" "sqlite://$WORK/sqlite-big.db"
if (( ! SMOKE )) && [[ -n "${GW2OPT_BENCH_POSTGRES_URL:-}" ]]; then
  run_backend postgres "$(make_pg_db small)" "$(make_pg_db big)"
fi
(( SMOKE )) || degradation

echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); wrk on the same machine; ${SECONDS_PER_RUN}s per run; service on CPUs ${SERVICE_CPUS:-all}, wrk on ${WRK_CPUS:-all}."
python3 - "$RESULTS" "$CEILING" "$SAME_SIZE" "$SIDE_BY_SIDE" <<'PY'
import sys
ceiling = float(sys.argv[2]) or 1.0
import statistics
runs = {}
for line in open(sys.argv[3]):
    b, s, c, service, same_size, same_request = line.rstrip("\n").split("\t")
    ratios = runs.setdefault((b, s, c), ([], []))
    ratios[0].append(100 * float(service) / (float(same_size) or 1.0))
    ratios[1].append(100 * float(service) / (float(same_request) or 1.0))
def shown(ratios):
    text = f"{statistics.median(ratios):.1f}%"
    if len(ratios) > 1:
        text += " (pairs: " + " / ".join(f"{r:.1f}" for r in ratios) + ")"
    return text
side = {}
for line in open(sys.argv[4]):
    b, s, c, service, bare, _errors = line.rstrip("\n").split("\t")
    side.setdefault((b, s, c), []).append(100 * float(service) / (float(bare) or 1.0))
print("| backend | scenario | connections | req/s | p50 ms | p99 ms | errors | of ceiling | of same-size ceiling | of same-request ceiling | side by side with the same-size ceiling |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for line in open(sys.argv[1]):
    b, s, c, rps, p50, p99, err = line.rstrip("\n").split("\t")
    ratios = runs.pop((b, s, c), None)
    sized, same = (shown(ratios[0]), shown(ratios[1])) if ratios else ("", "")
    together = side.pop((b, s, c), None)
    together = shown(together) if together else ""
    print(f"| {b} | {s} | {c} | {int(float(rps)):,} | {p50} | {p99} | {err} | {100 * float(rps) / ceiling:.1f}% | {sized} | {same} | {together} |")
PY
if (( FAILURES > 0 )); then echo "$FAILURES check(s) failed" >&2; exit 1; fi
echo "all scenarios: zero errors"
