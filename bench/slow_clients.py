#!/usr/bin/env python3
"""Slow clients against the service (issue #17): N connections that each send one byte of a
request head per second (slowloris), while the service's open file descriptors, memory and
/health latency are sampled. Loopback only; bounded in time; stops the service at the end.

    bench/slow_clients.py [--bin target/release/gw2opt] [--connections 2000] [--seconds 30]
                          [--reconnect] [--env NAME=VALUE ...]

--reconnect  reopens every connection the service closes (a persistent attacker), so what
             bounds the descriptors is then the connection cap, not the header-read timeout.
--env        extra settings for the service, e.g. --env GW2OPT_MAX_CONNECTIONS=1000.

Prints one line per second (client connections open, service descriptors, RSS, /health
latency) and a summary: peak and final descriptors, peak RSS (VmHWM), /health p50/max, and
how the refused or closed connections ended.
"""

import argparse
import errno
import os
import resource
import socket
import statistics
import time
import urllib.request

from service import proc_status, running

HEAD = b"GET /health HTTP/1.1\r\nHost: bench\r\nX-Slow: " + b"a" * 4000


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def health_ms(url):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url + "/health", timeout=5) as r:
            r.read()
            ok = r.status == 200
    except Exception as e:  # an answer other than 200 (503 at the cap) or a timeout
        return None, str(getattr(e, "code", e))
    return (time.monotonic() - started) * 1000, "200" if ok else "?"


class Slow:
    """One slow client: sends HEAD one byte at a time, never finishing."""

    def __init__(self, port):
        self.sock = socket.socket()
        self.sock.setblocking(False)
        self.sent = 0
        self.closed = None  # how it ended: "closed", "answered <status>"
        self.answer = b""
        self.counted = False
        try:
            self.sock.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass

    def tick(self):
        if self.closed:
            return
        self.poll()
        if self.closed:
            return
        try:
            self.sock.send(HEAD[self.sent % len(HEAD):][:1])
            self.sent += 1
        except BlockingIOError:
            pass
        except OSError:
            self.finish("closed")

    def poll(self):
        try:
            data = self.sock.recv(4096)
        except BlockingIOError:
            return
        except OSError as e:
            if e.errno in (errno.ENOTCONN,):
                return
            self.finish("closed")
            return
        if data:
            self.answer += data
            return
        self.finish("closed")

    def finish(self, how):
        if self.answer.startswith(b"HTTP/1.1 "):
            how = "answered " + self.answer[9:12].decode()
        self.closed = how
        self.sock.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/gw2opt")
    ap.add_argument("--connections", type=int, default=2000)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--reconnect", action="store_true")
    ap.add_argument("--env", action="append", default=[])
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = args.connections * 2 + 256
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))

    settings = dict(kv.partition("=")[::2] for kv in args.env)
    with running(args.bin, "gw2opt-slow-", settings) as service:
        url, port = service.url, service.port
        pid = service.pid
        base_fds, base_rss = fds(pid), proc_status(pid, "VmRSS")
        print(f"idle: {base_fds} descriptors, RSS {base_rss / 1024:.1f} MiB, "
              f"/health {health_ms(url)[0]:.1f} ms")
        clients = [Slow(port) for _ in range(args.connections)]
        ended = {}
        peak_fds, lat, refused_health = 0, [], 0
        start = time.monotonic()
        print(" t(s)  clients-open  service-fds  RSS(MiB)  /health(ms)")
        while time.monotonic() - start < args.seconds:
            tick = time.monotonic()
            for c in clients:
                c.tick()
            for i, c in enumerate(clients):
                if c.closed and not c.counted:
                    c.counted = True
                    ended[c.closed] = ended.get(c.closed, 0) + 1
                    if args.reconnect:
                        clients[i] = Slow(port)
            n_fds = fds(pid)
            peak_fds = max(peak_fds, n_fds)
            ms, status = health_ms(url)
            if ms is None:
                refused_health += 1
            else:
                lat.append(ms)
            open_now = sum(1 for c in clients if not c.closed)
            print(f"{time.monotonic() - start:5.1f}  {open_now:12d}  {n_fds:11d}  "
                  f"{proc_status(pid, 'VmRSS') / 1024:8.1f}  "
                  f"{'%.1f' % ms if ms is not None else status:>11}", flush=True)
            time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
        final_fds = fds(pid)
        hwm = proc_status(pid, "VmHWM")
        for c in clients:
            if not c.closed:
                c.sock.close()
        print()
        print(f"connections: {args.connections}{' (reopened when closed)' if args.reconnect else ''}, "
              f"{args.seconds} s, one byte a second each")
        print(f"service descriptors: idle {base_fds}, peak {peak_fds}, at the end {final_fds}")
        print(f"service memory: idle RSS {base_rss / 1024:.1f} MiB, peak (VmHWM) {hwm / 1024:.1f} MiB")
        if lat:
            print(f"/health while slow clients held on: p50 {statistics.median(lat):.1f} ms, "
                  f"max {max(lat):.1f} ms, {refused_health} not answered 200")
        print("how the service ended slow connections: " +
              (", ".join(f"{k}: {v}" for k, v in sorted(ended.items()))
               or "it did not"))


if __name__ == "__main__":
    main()
