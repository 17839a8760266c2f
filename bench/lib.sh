# Pieces shared by bench/load.sh and bench/ab.sh (sourced, not run). Both define ON_WRK_CPUS,
# the command prefix wrk runs under (`env`, or `taskset -c CPUS`).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "not up: $1" >&2; return 1; }

# seeded FILE PATH: a value from what `gw2opt bench seed` wrote, by a dotted path
# (`users.1.token`, `hot_build`, `team`).
seeded() {
  python3 -c 'import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2].split("."):
    value = value[int(key)] if isinstance(value, list) else value[key]
print(value)' "$1" "$2"
}

# What a benchmarked service runs with: a fixed signing key, no access log, the login and
# registration limits out of the way of seeding and load, metrics on (as in production).
BENCH_SERVICE_ENV=(
  SECRET_KEY="load-test-secret-key-0123456789abcdefghij" GW2OPT_ACCESS_LOG=false
  GW2OPT_LOGIN_RATE_PER_MINUTE=1000000 GW2OPT_REGISTER_RATE_PER_HOUR=1000000
  GW2OPT_TRUST_FORWARDED_FOR=true
  GW2OPT_METRICS_TOKEN="load-test-metrics-token-0123456789"
  GW2OPT_LOG_FORMAT=json RUST_LOG=warn
)

# wrk_summary FILE -> "req/s<TAB>p50 ms<TAB>p99 ms<TAB>errors" from a wrk run's output (the
# latencies are nan unless wrk ran with --latency; errors are socket errors + non-2xx).
wrk_summary() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def num(pattern, default="0"):
    m = re.search(pattern, text, re.MULTILINE)
    return m.group(1) if m else default
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    if not m: return float("nan")
    x = float(m.group(1)); return x / 1000 if m.group(2) == "us" else x * 1000 if m.group(2) == "s" else x
rps = float(num(r"Requests/sec:\s+([\d.]+)"))
p50 = ms(num(r"^\s+50%\s+(\S+)", "nan"))
p99 = ms(num(r"^\s+99%\s+(\S+)", "nan"))
errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
errors += int(num(r"Non-2xx or 3xx responses: (\d+)"))
print(f"{rps:.0f}\t{p50:.2f}\t{p99:.2f}\t{errors}")
PY
}

# wrk_at_once CONNECTIONS SECONDS OUT_A URL_A HEADER_A OUT_B URL_B HEADER_B: two wrk runs at
# the same time (a header may be empty: none sent), their outputs in OUT_A and OUT_B. Two
# servers pinned to the same CPUs and loaded this way get equal CPU time from the scheduler,
# so the ratio of what they serve is the ratio of their costs per request, whatever the
# machine's speed does meanwhile.
wrk_at_once() {
  local c=$1 seconds=$2 out_a=$3 url_a=$4 header_a=$5 out_b=$6 url_b=$7 header_b=$8 first
  local threads=$(( c < 2 ? 1 : 2 ))
  "${ON_WRK_CPUS[@]}" wrk -t"$threads" -c"$c" -d"${seconds}s" ${header_a:+-H "$header_a"} "$url_a" >"$out_a" 2>&1 &
  first=$!
  "${ON_WRK_CPUS[@]}" wrk -t"$threads" -c"$c" -d"${seconds}s" ${header_b:+-H "$header_b"} "$url_b" >"$out_b" 2>&1 || true
  wait "$first" || true
}
