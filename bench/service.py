"""What the benchmark scripts share: a `gw2opt serve` on a fresh data dir and a free loopback
port, waited for until `/health` answers, and stopped (then its dir removed) however the
script ends; and the reading of a process's memory from /proc.

    from service import running, proc_status
    with running(args.bin, "gw2opt-bombs-", {"RUST_LOG": "error"}) as svc:
        svc.url, svc.port, svc.pid, svc.work
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def proc_status(pid, key):
    """A /proc/PID/status field in kB (VmRSS, VmHWM), 0 when absent."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


class Service:
    def __init__(self, process, port, work):
        self.process, self.port, self.work = process, port, work
        self.pid = process.pid
        self.url = f"http://127.0.0.1:{port}"


def _answers(url):
    try:
        with urllib.request.urlopen(url + "/health", timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def running(binary, prefix, settings=None, stop_timeout=10):
    """Starts `binary serve` on SQLite in a new temporary data dir with `settings` over the
    defaults (no access log, errors only), yields a `Service` once `/health` answers."""
    work = tempfile.mkdtemp(prefix=prefix)
    port = free_port()
    env = dict(os.environ)
    env.update({
        "GW2OPT_DATA_DIR": work,
        "DATABASE_URL": "",
        "GW2OPT_BIND": f"127.0.0.1:{port}",
        "SECRET_KEY": "bench-secret-key-0123456789abcdefghijklmnop",
        "GW2OPT_ACCESS_LOG": "false",
        "RUST_LOG": "error",
    })
    env.update(settings or {})
    log = open(os.path.join(work, "service.log"), "w")
    process = subprocess.Popen([binary, "serve"], env=env, stdout=log, stderr=log)
    service = Service(process, port, work)
    try:
        for _ in range(200):
            if _answers(service.url):
                break
            time.sleep(0.05)
        else:
            sys.exit("the service did not start")
        yield service
    finally:
        process.terminate()
        try:
            process.wait(timeout=stop_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)
