#!/usr/bin/env python3
"""Compressed-log bombs against the service (issue #17): N accounts each upload a small
`.zevtc` whose member inflates far beyond the upload limit (default: 0.5 MB that inflates to
500 MiB, the review's case), all at once, while the service's memory (VmRSS, peak VmHWM) and
open file descriptors are sampled. Loopback only; stops the service at the end.

    bench/log_bombs.py [--bin target/release/gw2opt] [--uploads 3] [--inflated-mib 500]
                       [--declared-mib N] [--env NAME=VALUE ...]

Prints each upload's status and error text, and the service's idle and peak memory and
descriptors. Every upload must be refused (413 or 422); the script exits non-zero otherwise.
"""

import argparse
import io
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile

from service import proc_status, running


def bomb(inflated_mib, declared_mib):
    """A zip whose one member starts like an arcdps log and then holds `inflated_mib` MiB of
    zeros: deflate shrinks that about a thousand times. With `declared_mib`, the zip's headers
    declare the member that size instead, so only inflating tells the truth."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("bomb.evtc", "w") as member:
            member.write(b"EVTC20260601\x00\x01\x00")
            chunk = bytes(1 << 20)
            for _ in range(inflated_mib):
                member.write(chunk)
    data = bytearray(out.getvalue())
    if declared_mib is not None:
        declared = (declared_mib << 20).to_bytes(4, "little")
        assert data[:4] == b"PK\x03\x04"
        data[22:26] = declared  # local header: uncompressed size
        central = data.rindex(b"PK\x01\x02")
        data[central + 24:central + 28] = declared  # central directory: uncompressed size
    return bytes(data)


def call(url, method="GET", body=None, headers=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def account(url, name):
    password = "a slow grey heron fishes at dawn 42"
    body = json.dumps({"username": name, "email": f"{name}@example.com", "password": password})
    status, text = call(url + "/api/v1/auth/register", "POST", body.encode(),
                        {"Content-Type": "application/json"})
    if status not in (200, 201):
        sys.exit(f"register {name}: {status} {text[:200]!r}")
    body = json.dumps({"username": name, "password": password})
    status, text = call(url + "/api/v1/auth/login", "POST", body.encode(),
                        {"Content-Type": "application/json"})
    if status != 200:
        sys.exit(f"login {name}: {status} {text[:200]!r}")
    return json.loads(text)["access_token"]


def upload(url, token, data, results, i):
    boundary = "gw2optbomb"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"bomb{i}.zevtc\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    started = time.monotonic()
    status, text = call(url + "/api/v1/mcm/logs", "POST", body, {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    })
    results[i] = (status, text.decode(errors="replace")[:200], time.monotonic() - started)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/gw2opt")
    ap.add_argument("--uploads", type=int, default=3)
    ap.add_argument("--inflated-mib", type=int, default=500)
    ap.add_argument("--declared-mib", type=int, default=None,
                    help="the zip headers declare this size (a lie the inflate must catch)")
    ap.add_argument("--env", action="append", default=[])
    args = ap.parse_args()

    data = bomb(args.inflated_mib, args.declared_mib)
    print(f"bomb: {len(data) / 1e6:.2f} MB on the wire, inflates to {args.inflated_mib} MiB"
          f"{f', declared {args.declared_mib} MiB' if args.declared_mib is not None else ''}")
    settings = dict(kv.partition("=")[::2] for kv in args.env)
    with running(args.bin, "gw2opt-bombs-", settings) as service:
        url, pid = service.url, service.pid
        tokens = [account(url, f"bomber{i}") for i in range(args.uploads)]
        idle_rss, idle_fds = proc_status(pid, "VmRSS"), len(os.listdir(f"/proc/{pid}/fd"))
        results = [None] * args.uploads
        threads = [threading.Thread(target=upload, args=(url, t, data, results, i))
                   for i, t in enumerate(tokens)]
        peak_rss, peak_fds = idle_rss, idle_fds
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            peak_rss = max(peak_rss, proc_status(pid, "VmRSS"))
            peak_fds = max(peak_fds, len(os.listdir(f"/proc/{pid}/fd")))
            time.sleep(0.01)
        hwm = proc_status(pid, "VmHWM")
        ok = True
        for i, (status, text, secs) in enumerate(results):
            print(f"upload {i}: {status} in {secs:.2f} s: {text}")
            ok &= status in (413, 422)
        print(f"service memory: idle RSS {idle_rss / 1024:.1f} MiB, peak RSS sampled "
              f"{peak_rss / 1024:.1f} MiB, peak (VmHWM) {hwm / 1024:.1f} MiB")
        print(f"service descriptors: idle {idle_fds}, peak {peak_fds}")
        status, _ = call(url + "/health")
        print(f"/health afterwards: {status}")
        if not ok or status != 200:
            sys.exit("a bomb was not refused, or the service is unwell")


if __name__ == "__main__":
    main()
