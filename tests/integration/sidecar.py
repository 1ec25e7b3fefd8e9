"""Runs `hale serve` for integration tests: start on a free port (port 0, read back from the
start-up log line), poll its endpoints, send signals, collect its log."""

import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import threading
import time

LISTEN_RE = re.compile(r"hale serve starting .*listen=(?:\[([0-9a-f:]+)\]|([0-9.]+)):(\d+)")


def wait_for(condition, timeout=10.0, interval=0.02, what="condition"):
    """Polls `condition` until it returns a truthy value; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def descendants(pid):
    """Every process below `pid`, from /proc/PID/task/*/children."""
    found = []
    pending = [pid]
    while pending:
        parent = pending.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as f:
                    children = [int(c) for c in f.read().split()]
            except OSError:
                continue
            found += children
            pending += children
    return found


class Reply:
    def __init__(self, status, headers, body, seconds):
        self.status = status
        self.headers = headers
        self.body = body
        self.seconds = seconds

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"Reply({self.status}, {self.body[:300]!r})"


def request(port, path, method="GET", headers=None, timeout=5.0, body=None, host="127.0.0.1"):
    """One request on a new connection, as the kubelet sends its probes."""
    start = time.monotonic()
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data,
                     time.monotonic() - start)
    finally:
        conn.close()


class Sidecar:
    """A running `hale serve`. Use as a context manager; the process is killed at exit."""

    def __init__(self, hale_bin, *args, command=(), env=None, prefix=(), listen=True):
        self.args = ["serve", *(["--listen", "127.0.0.1:0"] if listen else []), *args]
        if command:
            self.args += ["--", *command]
        full_env = dict(os.environ)
        for name in list(full_env):
            if name.startswith("HALE_SERVE_"):
                del full_env[name]
        full_env.update(env or {})
        self.proc = subprocess.Popen([*prefix, hale_bin, *self.args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=full_env, text=True)
        self.lines = []
        self.stdout = []
        self._lock = threading.Lock()
        self._readers = [
            threading.Thread(target=self._read, args=(self.proc.stderr, self.lines), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stdout, self.stdout), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        self.port = None
        self.host = "127.0.0.1"

    def _read(self, stream, sink):
        for line in stream:
            with self._lock:
                sink.append(line.rstrip("\n"))

    def log(self):
        with self._lock:
            return list(self.lines)

    def output(self):
        with self._lock:
            return list(self.stdout)

    def has_log(self, pattern):
        return any(re.search(pattern, line) for line in self.log())

    def wait_log(self, pattern, timeout=10.0):
        return wait_for(lambda: self.has_log(pattern), timeout, what=f"log {pattern!r}; "
                        f"log so far: {self.log()}")

    def start(self, timeout=10.0):
        def listening():
            exited = self.proc.poll() is not None
            for line in self.log():
                match = LISTEN_RE.search(line)
                if match:
                    self.host = match.group(1) or match.group(2)
                    return int(match.group(3))
            if exited:
                raise AssertionError(f"hale serve exited {self.proc.returncode}: {self.log()}")
            return None

        self.port = wait_for(listening, timeout, what="hale serve to listen")
        return self

    def get(self, path, **kwargs):
        return request(self.port, path, host=self.host, **kwargs)

    def wait_status(self, path, status, timeout=10.0, **kwargs):
        last = []

        def reached():
            reply = self.get(path, **kwargs)
            last[:] = [reply]
            return reply if reply.status == status else None

        return wait_for(reached, timeout, what=f"{path} to answer {status}; last: {last}")

    def signal(self, signum):
        self.proc.send_signal(signum)

    def wait(self, timeout=15.0):
        return self.proc.wait(timeout=timeout)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            # The app runs in its own process group: take it down with hale.
            for pid in descendants(self.proc.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.proc.kill()
            self.proc.wait()
        for reader in self._readers:
            reader.join(timeout=2)


def sigterm_and_wait(sidecar, timeout=15.0):
    sidecar.signal(signal.SIGTERM)
    return sidecar.wait(timeout)
