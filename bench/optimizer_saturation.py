#!/usr/bin/env python3
"""/health and login latency while the gear optimizer is saturated (issue #17). Loopback
only, bounded in time; stops its jobs and the service at the end.

    bench/optimizer_saturation.py [--bin target/release/gw2opt] [--jobs N] [--samples 300]

Starts the service (argon2id at its production cost), registers an account, measures
/health (sequential requests on one kept-alive connection) and login latency idle, then
starts N gear searches over every stat prefix (far longer than the measurement; default N =
cores, the service's default number of optimizer slots), measures again while they run,
tries one more search (the service should refuse it: 429/503), and cancels the searches.
"""

import argparse
import http.client
import json
import os
import statistics
import sys
import time

from service import running

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "optimizer saturation password 1234"


def call(port, method, path, body=None, token=None, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    r = conn.getresponse()
    data = r.read()
    if own:
        conn.close()
    try:
        return r.status, json.loads(data) if data else None
    except ValueError:
        return r.status, data


def huge_search():
    with open(os.path.join(ROOT, "presets/gear/condi-firebrand.json")) as f:
        search = json.load(f)
    with open(os.path.join(ROOT, "crates/gw2/data/snapshot.json")) as f:
        stats = json.load(f)["itemstats"]
    search["affixes"] = [s["key"] for s in stats if s["kind"] in ("triple", "quadruple", "celestial")]
    search.pop("max_evaluations", None)
    return search


def latencies(fn, n):
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def summary(ms):
    ms = sorted(ms)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return f"p50 {statistics.median(ms):7.1f} ms   p99 {p99:7.1f} ms   max {ms[-1]:7.1f} ms"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/gw2opt")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--logins", type=int, default=10)
    args = ap.parse_args()

    jobs = []
    with running(args.bin, "gw2opt-opt-", {
        "SECRET_KEY": "optimizer-saturation-secret-key-0123456789",
        "GW2OPT_LOGIN_RATE_PER_MINUTE": "100000", "GW2OPT_REGISTER_RATE_PER_HOUR": "100000",
    }, stop_timeout=15) as service:
        port = service.port
        try:
            run(args, port, jobs)
        finally:
            for url, token in jobs:
                try:
                    call(port, "DELETE", url, token=token)
                except OSError:
                    pass


def run(args, port, jobs):
    users = []
    for i in range(max(1, (args.jobs + 1) // 2) + 1):
        name = f"saturator{i}"
        status, _ = call(port, "POST", "/api/v1/auth/register",
                         {"email": f"{name}@example.com", "username": name, "password": PASSWORD})
        assert status == 201, status
        status, tokens = call(port, "POST", "/api/v1/auth/login", {"username": name, "password": PASSWORD})
        assert status == 200, (status, tokens)
        users.append((name, tokens["access_token"]))
    keep = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def health():
        status, _ = call(port, "GET", "/health", conn=keep)
        assert status == 200, status

    def login():
        status, _ = call(port, "POST", "/api/v1/auth/login", {"username": users[-1][0], "password": PASSWORD})
        assert status == 200, status

    idle_health = latencies(health, args.samples)
    idle_login = latencies(login, args.logins)

    search = huge_search()
    for i in range(args.jobs):
        _, token = users[i // 2]
        status, body = call(port, "POST", "/api/v1/optimize/gear", search, token)
        if status != 202:
            sys.exit(f"search {i + 1} was not started as a job: {status} {body}")
        jobs.append((body["status_url"], token))
    time.sleep(1.0)
    busy_health = latencies(health, args.samples)
    busy_login = latencies(login, args.logins)
    running = sum(1 for url, token in jobs if call(port, "GET", url, token=token)[1]["status"] == "running")
    _, last_token = users[-1]
    extra_status, extra = call(port, "POST", "/api/v1/optimize/gear", search, last_token)
    if extra_status == 202:
        jobs.append((extra["status_url"], last_token))

    print(f"{args.bin}: {args.jobs} gear searches over {len(search['affixes'])} prefixes, "
          f"{os.cpu_count()} cores")
    print(f"/health idle       {summary(idle_health)}")
    print(f"/health saturated  {summary(busy_health)}")
    print(f"login   idle       {summary(idle_login)}")
    print(f"login   saturated  {summary(busy_login)}")
    print(f"searches still running at the end: {running}; one more search was answered "
          f"{extra_status} {(extra or {}).get('code', '') if isinstance(extra, dict) else ''}")


if __name__ == "__main__":
    main()
