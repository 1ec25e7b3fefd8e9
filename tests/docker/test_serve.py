"""hale serve end to end: next to the example app in its network namespace, polled the way the
kubelet polls, and as an image's entrypoint (PID 1) wrapping the app."""

import http.client
import threading
import time

import pytest

from rig import ROOT, docker, inspect, wait_until

KUBELET_HEADERS = {"User-Agent": "kube-probe/1.30", "Accept": "*/*", "Connection": "close"}


class Probe:
    """What the kubelet's httpGet probe sees: a new connection, its headers, a 1 s timeout,
    at most 10 KiB of body, success on 200-399."""

    def __init__(self, status, body, error=None):
        self.status = status
        self.body = body
        self.error = error

    @property
    def success(self):
        return self.error is None and 200 <= self.status < 400

    def __repr__(self):
        return f"Probe({self.status}, {self.body!r}, {self.error})"


def kubelet_get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", path, headers=KUBELET_HEADERS)
        resp = conn.getresponse()
        return Probe(resp.status, resp.read(10 * 1024).decode("utf-8", "replace"))
    except OSError as error:
        return Probe(0, "", error)
    finally:
        conn.close()


def published_port(container, port):
    """The host port that Docker published on 127.0.0.1 for the container's `port`."""
    mapping = docker("port", container, f"{port}/tcp").stdout.split()[0]
    return int(mapping.rsplit(":", 1)[1])


def wait_probe(port, path, success, timeout=30):
    seen = []

    def reached():
        probe = kubelet_get(port, path)
        seen[:] = [probe]
        return probe if probe.success == success else None

    return wait_until(reached, timeout, interval=0.2,
                      describe=lambda: f"{path} success={success}; last {seen}")


def stop_in_background(container, timeout=20):
    """`docker stop` in a thread (it blocks until the container exits); returns the thread."""
    thread = threading.Thread(
        target=lambda: docker("stop", "-t", str(timeout), container, timeout=timeout + 30))
    thread.start()
    return thread


@pytest.fixture
def app_with_sidecar(rig, example_app_image, hale_image):
    """The example app, and hale's scratch image as a second container in its network
    namespace, read-only, as the native-sidecar Deployment runs it. The app publishes hale's
    port on loopback, where the test polls it like a kubelet."""
    app = rig.start(example_app_image, options=["-p", "127.0.0.1::8086", "--no-healthcheck"])
    hale = rig.start(hale_image, "serve", "--probe", "app=http://127.0.0.1:8000/health",
                     "--interval", "500ms", "--failure-threshold", "2", "--drain", "3s",
                     options=["--network", f"container:{app}", "--read-only"])
    return app, hale, published_port(app, 8086)


def test_sidecar_is_ready_while_the_app_is_healthy(app_with_sidecar):
    app, hale, port = app_with_sidecar
    ready = wait_probe(port, "/readyz", True)
    assert ready.body == "ok"
    assert kubelet_get(port, "/livez").body == "ok"
    verbose = kubelet_get(port, "/readyz?verbose")
    assert "[+]app ok\n" in verbose.body
    logs = docker("logs", hale).stderr
    assert "info readiness changed ready=true" in logs


def test_sidecar_is_not_ready_while_the_app_fails_and_stays_live(rig, app_with_sidecar):
    app, hale, port = app_with_sidecar
    wait_probe(port, "/readyz", True)

    rig.exec(app, "touch", "/tmp/unhealthy")
    failing = wait_probe(port, "/readyz", False)
    assert failing.status == 503
    assert "[-]app failed: status 503 not in 200-399\n" in failing.body
    assert kubelet_get(port, "/livez").success

    rig.exec(app, "rm", "/tmp/unhealthy")
    wait_probe(port, "/readyz", True)
    logs = docker("logs", hale).stderr
    assert "warn probe failing probe=app" in logs
    assert "info probe recovered probe=app" in logs


def test_docker_stop_drains_the_sidecar_cleanly(app_with_sidecar):
    app, hale, port = app_with_sidecar
    wait_probe(port, "/readyz", True)

    start = time.monotonic()
    stopper = stop_in_background(hale)
    draining = wait_probe(port, "/readyz", False, timeout=2)
    assert "[-]shutdown failed: draining\n" in draining.body
    assert kubelet_get(port, "/livez").success
    stopper.join()
    elapsed = time.monotonic() - start

    state = inspect(hale, "{{json .State}}", kind="container")
    assert state["ExitCode"] == 0, state
    assert not state["OOMKilled"]
    # Stopped by its own drain (3s), not by docker stop's SIGKILL after 20s.
    assert 2.5 < elapsed < 15, elapsed
    logs = docker("logs", hale).stderr
    assert 'info draining cause="signal SIGTERM" drain=3s' in logs
    assert "info exiting status=0" in logs


@pytest.fixture
def entrypoint_image(rig, example_app_image):
    return rig.build(ROOT / "examples" / "serve-entrypoint", kind="serve-entrypoint",
                     build_args={"APP_IMAGE": example_app_image.tag})


def processes(rig, container):
    """(pid, state, name, parent) of every process in the container, from its /proc."""
    script = ("import os\n"
              "for p in os.listdir('/proc'):\n"
              "    if p.isdigit():\n"
              "        try: s = open(f'/proc/{p}/stat').read()\n"
              "        except OSError: continue\n"
              "        f = s[s.rindex(')') + 2:].split()\n"
              "        print(p, f[0], s[s.index('(') + 1:s.rindex(')')], f[1])\n")
    lines = rig.exec(container, "python3", "-c", script).stdout.splitlines()
    return [tuple(line.split()) for line in lines]


def test_entrypoint_runs_the_app_under_hale_as_pid_1(rig, entrypoint_image):
    app = rig.start(entrypoint_image, options=["-p", "127.0.0.1::8086"])
    port = published_port(app, 8086)
    wait_probe(port, "/readyz", True)

    cmdline = rig.exec(app, "cat", "/proc/1/cmdline").stdout.split("\0")
    assert cmdline[:2] == ["/usr/local/bin/hale", "serve"]
    metrics = kubelet_get(port, "/metrics").body
    assert 'hale_probe_up{probe="app",kind="readiness"} 1' in metrics
    assert "pid1=true" in docker("logs", app).stderr

    # Orphans end up with PID 1, which must reap them: the sleeps run, exit, and must not
    # stay behind as zombies.
    rig.exec(app, "sh", "-c", "for i in 1 2 3; do (sleep 0.3 &); done")
    sleeps = lambda: [p for p in processes(rig, app) if p[2] == "sleep"]  # noqa: E731
    wait_until(lambda: not sleeps(), 5, describe=lambda: f"left behind: {sleeps()}")


def test_entrypoint_drains_then_stops_the_app_and_exits_with_its_status(rig, entrypoint_image):
    app = rig.start(entrypoint_image, options=["-p", "127.0.0.1::8086"])
    port = published_port(app, 8086)
    wait_probe(port, "/readyz", True)

    stopper = stop_in_background(app)
    draining = wait_probe(port, "/readyz", False, timeout=2)
    assert "[-]shutdown failed: draining\n" in draining.body
    # During the drain the app has not been told (its SIGTERM handler would exit): it answers.
    assert rig.exec(app, "python3", "-c",
                    "import urllib.request as u; print(u.urlopen("
                    "'http://127.0.0.1:8000/health', timeout=1).status)").stdout.strip() == "200"
    stopper.join()

    state = inspect(app, "{{json .State}}", kind="container")
    assert state["ExitCode"] == 0, state  # the app's own status: its SIGTERM handler exits 0
    logs = docker("logs", app).stderr
    assert "info forwarding signal signal=SIGTERM" in logs
    assert "info app exited" in logs


def test_entrypoint_exits_with_the_status_of_an_app_that_dies(rig, entrypoint_image):
    start = time.monotonic()
    result = rig.run(entrypoint_image, "sh", "-c", "sleep 0.5; exit 7",
                     env={"HALE_SERVE_DRAIN": "0"}, timeout=30)
    assert result.returncode == 7, result
    assert time.monotonic() - start < 10
    assert 'warn app exited' in result.stderr
