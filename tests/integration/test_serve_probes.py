"""hale serve's background probes against servers that pass, fail, hang and flap; /livez stays
independent of the dependencies that /readyz aggregates."""

import concurrent.futures
import socket
import threading
import time

import pytest

from servers import BacklogFull, HttpServer, RawServer, Route, hang
from sidecar import Sidecar, wait_for

BODY_CAP = 10 * 1024


class CountingServer:
    """Accepts connections, reads and never answers; records when each one opened and closed."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.spans = []  # [opened, closed or None]
        self.lock = threading.Lock()
        self.stopping = False

    @property
    def total(self):
        with self.lock:
            return len(self.spans)

    def longest_overlap(self):
        """The longest time two connections were open together, as this server saw it."""
        with self.lock:
            spans = sorted((start, end if end is not None else time.monotonic())
                           for start, end in self.spans)
        longest = 0.0
        for i, (start, end) in enumerate(spans):
            for other_start, other_end in spans[i + 1:]:
                longest = max(longest, min(end, other_end) - other_start)
        return longest

    def _serve(self, conn, span):
        with conn:
            while True:
                try:
                    if not conn.recv(65536):
                        break
                except OSError:
                    break
        with self.lock:
            span[1] = time.monotonic()

    def _loop(self):
        self.sock.settimeout(0.1)
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            span = [time.monotonic(), None]
            with self.lock:
                self.spans.append(span)
            threading.Thread(target=self._serve, args=(conn, span), daemon=True).start()

    def __enter__(self):
        threading.Thread(target=self._loop, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.stopping = True
        self.sock.close()


class Flapper:
    """An HTTP handler whose answer the test switches between 200 and 500."""

    def __init__(self):
        self.status = 200

    def __call__(self, handler):
        handler.send_response(self.status)
        handler.send_header("Content-Length", "2")
        handler.end_headers()
        handler.wfile.write(b"ok")


def concurrent_gets(sidecar, path, count):
    with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda _: sidecar.get(path), range(count)))


def test_readiness_is_false_before_the_first_result(hale_bin):
    with RawServer(hang) as slow:
        with Sidecar(hale_bin, "--probe", f"slow=http://127.0.0.1:{slow.port}/",
                     "--timeout", "5s") as sidecar:
            reply = sidecar.get("/readyz")
            assert reply.status == 503
            assert "[-]slow failed: no result yet\n" in reply.text
            assert sidecar.get("/livez").status == 200


def test_passing_dependency_makes_hale_ready(hale_bin):
    with HttpServer({"/healthz": Route(200)}) as app:
        with Sidecar(hale_bin, "--probe", f"app=http://127.0.0.1:{app.port}/healthz") as sidecar:
            sidecar.wait_status("/readyz", 200)
            sidecar.wait_log(r"info readiness changed ready=true")
            assert app.requests[0]["headers"]["User-Agent"].startswith("hale/")


def test_failing_dependency_keeps_hale_not_ready_and_alive(hale_bin):
    with HttpServer({"/healthz": Route(503, b"down")}) as app:
        with Sidecar(hale_bin, "--probe", f"app=http://127.0.0.1:{app.port}/healthz",
                     "--interval", "100ms") as sidecar:
            sidecar.wait_log(r"warn probe failing probe=app kind=readiness "
                             r"reason=\"status 503 not in 200-399\" failure_threshold=3")
            reply = sidecar.get("/readyz?verbose")
            assert reply.status == 503
            assert "[-]app failed: status 503 not in 200-399\n" in reply.text
            assert sidecar.get("/livez").status == 200
            # Three attempts make the failure; never fewer.
            assert len(app.requests) >= 3


def test_flapping_dependency_follows_the_thresholds(hale_bin):
    flapper = Flapper()
    with HttpServer({"/healthz": Route(handler=flapper)}) as app:
        with Sidecar(hale_bin, "--probe", f"app=http://127.0.0.1:{app.port}/healthz",
                     "--interval", "50ms", "--failure-threshold", "2",
                     "--success-threshold", "2") as sidecar:
            sidecar.wait_log(r"probe passing probe=app")

            # Single failures between passes never reach the failure threshold.
            for _ in range(4):
                flapper.status = 500
                seen = len(app.requests)
                wait_for(lambda: len(app.requests) > seen)
                flapper.status = 200
                seen = len(app.requests)
                wait_for(lambda: len(app.requests) > seen + 1)
            assert not sidecar.has_log(r"probe failing")
            assert sidecar.get("/readyz").status == 200

            # Two in a row do; two passes in a row bring it back.
            flapper.status = 500
            sidecar.wait_log(r"warn probe failing probe=app")
            sidecar.wait_status("/readyz", 503)
            flapper.status = 200
            sidecar.wait_log(r"info probe recovered probe=app")
            sidecar.wait_status("/readyz", 200)
            lines = sidecar.get("/metrics").text.splitlines()
            failures = [line for line in lines if line.startswith("hale_probe_failures_total")]
            assert int(failures[0].split()[-1]) >= 6


def test_hanging_dependency_times_out_and_livez_stays_fast(hale_bin):
    with RawServer(hang) as slow:
        with Sidecar(hale_bin, "--probe", f"slow=http://127.0.0.1:{slow.port}/",
                     "--timeout", "500ms", "--failure-threshold", "1") as sidecar:
            sidecar.wait_log(r"probe failing probe=slow")
            reply = sidecar.get("/readyz")
            assert "[-]slow failed: timeout after 500ms (connected, no status line)" in reply.text
            assert sidecar.get("/livez").status == 200


class TestDependencyOutage:
    """A database that hangs must take hale out of readiness, never out of liveness."""

    def check(self, sidecar, app_name="app"):
        start = time.monotonic()
        readies = concurrent_gets(sidecar, "/readyz", 50)
        live = sidecar.get("/livez")
        assert live.status == 200
        assert live.seconds < 0.05, f"/livez took {live.seconds * 1000:.1f} ms"
        for reply in readies:
            assert reply.status == 503
            assert len(reply.body) < BODY_CAP
        # The first attempt times out at 2s; readiness is false all along, never waiting for it.
        assert time.monotonic() - start < 2.1

        sidecar.wait_log(r"probe attempt probe=db healthy=false", timeout=5)
        verbose = sidecar.get("/readyz?verbose")
        assert verbose.status == 503
        assert "[-]db failed: timeout after 2s" in verbose.text
        assert f"[+]{app_name} ok\n" in verbose.text
        doc = sidecar.get("/readyz?format=json").json()
        assert doc["checks"]["db:responseTime"][0]["status"] == "fail"
        assert doc["checks"]["db:responseTime"][0]["output"].startswith("timeout after 2s")
        assert doc["checks"][f"{app_name}:responseTime"][0]["status"] == "pass"
        assert sidecar.get("/livez").status == 200

    def test_db_with_full_accept_backlog(self, hale_bin):
        with BacklogFull() as db, HttpServer({"/healthz": Route(200)}) as app:
            with Sidecar(hale_bin, "--log-level", "debug",
                         "--probe", f"db=tcp://127.0.0.1:{db.port}",
                         "--probe", f"app=http://127.0.0.1:{app.port}/healthz") as sidecar:
                self.check(sidecar)

    def test_db_that_accepts_and_never_replies(self, hale_bin):
        # tcp:// only proves the port accepts (the kubelet's tcpSocket verdict), so a silent
        # database needs a protocol-level probe to be caught; http:// stands in for one.
        with RawServer(hang) as db, HttpServer({"/healthz": Route(200)}) as app:
            with Sidecar(hale_bin, "--log-level", "debug",
                         "--probe", f"db=http://127.0.0.1:{db.port}/",
                         "--probe", f"app=http://127.0.0.1:{app.port}/healthz") as sidecar:
                self.check(sidecar)

    def test_tcp_probe_of_a_silent_db_passes_as_the_kubelet_would(self, hale_bin):
        with RawServer(hang) as db:
            with Sidecar(hale_bin, "--probe", f"db=tcp://127.0.0.1:{db.port}") as sidecar:
                sidecar.wait_status("/readyz", 200)


def test_probes_are_single_flight_whatever_the_request_rate(hale_bin):
    with CountingServer() as db:
        with Sidecar(hale_bin, "--probe", f"db=http://127.0.0.1:{db.port}/",
                     "--interval", "100ms", "--timeout", "800ms") as sidecar:
            deadline = time.monotonic() + 2.0
            while time.monotonic() < deadline:
                for reply in concurrent_gets(sidecar, "/readyz", 20):
                    assert reply.status == 503
            wait_for(lambda: db.total >= 2)
            # Each attempt holds its connection for the whole 800ms timeout; a second attempt
            # in flight would overlap it by hundreds of ms. The server notices a close a few
            # ms late, hence the margin.
            assert db.longest_overlap() < 0.2, db.spans
            # Requests never start attempts: at most one per timeout.
            assert db.total <= 2.0 / 0.8 + 2


def test_each_probe_runs_on_its_own_schedule_while_another_hangs(hale_bin):
    with RawServer(hang) as slow, HttpServer({"/healthz": Route(200)}) as app:
        with Sidecar(hale_bin, "--probe", f"slow=http://127.0.0.1:{slow.port}/",
                     "--probe", f"app=http://127.0.0.1:{app.port}/healthz",
                     "--interval", "100ms", "--timeout", "3s") as sidecar:
            wait_for(lambda: len(app.requests) >= 5, timeout=2.5)
            assert slow.connections == 1
            assert sidecar.get("/readyz?exclude=slow").status == 200


def test_liveness_probe_failure_fails_livez(hale_bin):
    with HttpServer({"/self": Route(500)}) as app:
        with Sidecar(hale_bin, "--live-probe", f"self=http://127.0.0.1:{app.port}/self",
                     "--interval", "50ms", "--failure-threshold", "2") as sidecar:
            assert sidecar.has_log(r"warn liveness probe configured probe=self")
            reply = sidecar.wait_status("/livez", 503)
            assert "[-]self failed: status 500 not in 200-399\n" in reply.text
            assert reply.text.endswith("livez check failed\n")
            assert sidecar.get("/readyz").status == 200


def test_idle_connections_do_not_starve_livez(hale_bin):
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, 4096)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    if wanted < 1100:
        pytest.skip("needs 1100 descriptors")
    with Sidecar(hale_bin) as sidecar:
        idle = []
        try:
            for _ in range(1000):
                idle.append(socket.create_connection(("127.0.0.1", sidecar.port), timeout=5))
            # A fixed pool would queue this behind the idle connections until they time out.
            for _ in range(5):
                reply = sidecar.get("/livez", timeout=3)
                assert reply.status == 200
                assert reply.seconds < 1.0
        finally:
            for sock in idle:
                sock.close()
