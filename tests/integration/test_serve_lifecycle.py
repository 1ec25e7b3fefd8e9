"""hale serve's shutdown and process mode: drain, signal forwarding, zombie reaping and exit
statuses."""

import os
import shutil
import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from conftest import needs_root
from sidecar import Sidecar, wait_for

# An app that reports each signal it gets on stdout; SIGTERM and SIGINT end it with
# $EXIT_ON_TERM.
RECORDER = r"""
import os, signal, sys, time
def on(sig, frame):
    print("got " + signal.Signals(sig).name, flush=True)
    if sig in (signal.SIGTERM, signal.SIGINT):
        sys.exit(int(os.environ.get("EXIT_ON_TERM", "0")))
for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2):
    signal.signal(s, on)
print("app ready", flush=True)
while True:
    time.sleep(1)
"""


def recorder(hale_bin, *args, env=None):
    return Sidecar(hale_bin, *args, command=[sys.executable, "-c", RECORDER], env=env)


def got(sidecar, line):
    return line in sidecar.output()


# --- drain -----------------------------------------------------------------------------------

def test_sigterm_fails_readiness_at_once_and_exits_0_after_the_drain(hale_bin):
    with Sidecar(hale_bin, "--drain", "1s") as sidecar:
        assert sidecar.get("/readyz").status == 200
        sidecar.signal(signal.SIGTERM)
        start = time.monotonic()
        reply = sidecar.wait_status("/readyz", 503, timeout=0.5)
        assert "[-]shutdown failed: draining\n" in reply.text
        # Liveness stays up and requests are served for the whole drain.
        for _ in range(5):
            assert sidecar.get("/livez").status == 200
        assert sidecar.wait(5) == 0
        elapsed = time.monotonic() - start
        assert 0.9 <= elapsed < 3, elapsed
        assert sidecar.has_log(r'info draining cause="signal SIGTERM" drain=1s')
        assert sidecar.has_log(r"warn readiness changed ready=false failing=\"shutdown: draining\"")
        assert sidecar.has_log(r"info exiting status=0")


def test_sigint_drains_like_sigterm_and_a_second_one_exits_at_once(hale_bin):
    with Sidecar(hale_bin, "--drain", "30s") as sidecar:
        sidecar.signal(signal.SIGINT)
        sidecar.wait_status("/readyz", 503)
        assert sidecar.get("/livez").status == 200
        start = time.monotonic()
        sidecar.signal(signal.SIGINT)
        assert sidecar.wait(5) == 0
        assert time.monotonic() - start < 2


def test_zero_drain_exits_at_once(hale_bin):
    with Sidecar(hale_bin, "--drain", "0") as sidecar:
        start = time.monotonic()
        sidecar.signal(signal.SIGTERM)
        assert sidecar.wait(5) == 0
        assert time.monotonic() - start < 1


def test_exit_after_the_drain_is_not_held_by_a_client_sending_a_byte_at_a_time(hale_bin):
    with Sidecar(hale_bin, "--drain", "1s") as sidecar:
        slow = socket.create_connection((sidecar.host, sidecar.port))
        try:
            # Half a request, still coming: each read would wait up to the read timeout.
            slow.sendall(b"GET /livez HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            time.sleep(0.2)
            start = time.monotonic()
            sidecar.signal(signal.SIGTERM)
            for _ in range(4):
                time.sleep(0.3)
                slow.sendall(b"a")
            assert sidecar.wait(10) == 0
            assert time.monotonic() - start < 2.5
        finally:
            slow.close()


def test_exit_while_a_probe_hangs_is_prompt(hale_bin):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = [socket.socket() for _ in range(3)]
    for filler in fillers:
        filler.setblocking(False)
        try:
            filler.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
    try:
        with Sidecar(hale_bin, "--probe", f"db=tcp://127.0.0.1:{port}", "--timeout", "30s",
                     "--drain", "0") as sidecar:
            start = time.monotonic()
            sidecar.signal(signal.SIGTERM)
            assert sidecar.wait(5) == 0
            assert time.monotonic() - start < 2
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


# --- process mode ----------------------------------------------------------------------------

@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2])
def test_hup_usr1_usr2_reach_the_app_at_once(hale_bin, signum):
    with recorder(hale_bin) as sidecar:
        wait_for(lambda: got(sidecar, "app ready"))
        sidecar.signal(signum)
        wait_for(lambda: got(sidecar, "got " + signum.name), timeout=3)
        assert sidecar.get("/readyz").status == 200
        assert sidecar.proc.poll() is None


@pytest.mark.parametrize("signum,status", [(signal.SIGTERM, 0), (signal.SIGINT, 7)])
def test_termination_signal_reaches_the_app_after_the_drain(hale_bin, signum, status):
    with recorder(hale_bin, "--drain", "1s", env={"EXIT_ON_TERM": str(status)}) as sidecar:
        wait_for(lambda: got(sidecar, "app ready"))
        sidecar.signal(signum)
        start = time.monotonic()
        sidecar.wait_status("/readyz", 503, timeout=0.5)
        # Traffic drains first; the app still runs and has not been told.
        assert sidecar.get("/livez").status == 200
        assert not got(sidecar, "got " + signum.name)
        wait_for(lambda: got(sidecar, "got " + signum.name), timeout=5)
        assert time.monotonic() - start >= 0.9
        assert sidecar.wait(5) == status


def test_second_sigterm_reaches_the_app_at_once(hale_bin):
    with recorder(hale_bin, "--drain", "30s") as sidecar:
        wait_for(lambda: got(sidecar, "app ready"))
        sidecar.signal(signal.SIGTERM)
        sidecar.wait_status("/readyz", 503)
        sidecar.signal(signal.SIGTERM)
        wait_for(lambda: got(sidecar, "got SIGTERM"), timeout=3)
        assert sidecar.wait(5) == 0


def test_app_exit_fails_liveness_and_readiness_then_hale_exits_with_its_status(hale_bin):
    with Sidecar(hale_bin, "--drain", "2s", command=["sh", "-c", "sleep 0.3; exit 3"]) as sidecar:
        reply = sidecar.wait_status("/livez", 503, timeout=5)
        assert "[-]process failed: app exited with status 3\n" in reply.text
        ready = sidecar.get("/readyz?verbose")
        assert ready.status == 503
        assert "[-]process failed: app exited with status 3\n" in ready.text
        assert sidecar.wait(5) == 3
        assert sidecar.has_log(r"warn app exited pid=\d+ result=\"exited with status 3\" "
                               r"exit_status=3")


def test_app_that_exits_0_makes_hale_exit_0(hale_bin):
    with Sidecar(hale_bin, "--drain", "0", command=["true"]) as sidecar:
        assert sidecar.wait(5) == 0


@pytest.mark.parametrize("script,status", [("kill -KILL $$", 137), ("kill -TERM $$", 143),
                                           ("exit 255", 255)])
def test_exit_status_is_the_apps_or_128_plus_its_signal(hale_bin, script, status):
    with Sidecar(hale_bin, "--drain", "0", command=["sh", "-c", script]) as sidecar:
        assert sidecar.wait(5) == status


def test_missing_app_exits_127_with_one_line(hale_bin):
    sidecar = Sidecar(hale_bin, command=["/nonexistent/app", "x"])
    try:
        assert sidecar.wait(5) == 127
        wait_for(lambda: sidecar.has_log(
            r"error cannot start app error=\"cannot start '/nonexistent/app': no such file or "
            r"directory\""))
    finally:
        sidecar.__exit__()


def test_app_args_are_passed_untouched(hale_bin, tmp_path):
    out = tmp_path / "args"
    script = 'printf "%s|" "$@" > "$0"'
    with Sidecar(hale_bin, "--drain", "0",
                 command=["sh", "-c", script, str(out), "--drain", "${HOME}", "a b"]) as sidecar:
        assert sidecar.wait(5) == 0
    assert out.read_text() == "--drain|${HOME}|a b|"


def children_of(pid):
    """(pid, state, name) of every process whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            found.append((int(entry.name), fields[0], name))
    return found


@needs_root
@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare")
def test_as_pid_1_hale_reaps_grandchildren_the_app_abandons(hale_bin):
    # Each subshell starts a sleep and exits at once: the sleeps are orphaned to PID 1, which
    # in this new PID namespace is hale.
    app = "for i in 1 2 3 4 5; do (sleep 0.5 &); done; sleep 30"
    with Sidecar(hale_bin, "--drain", "0", command=["sh", "-c", app],
                 prefix=["unshare", "--pid", "--fork", "--kill-child"]) as sidecar:
        assert sidecar.has_log(r"pid1=true")
        hale_pid = wait_for(lambda: [p for p, _, name in children_of(sidecar.proc.pid)
                                     if name == "hale"], what="hale under unshare")[0]

        # The orphans arrive as hale's children, then exit; none may stay a zombie.
        wait_for(lambda: len([c for c in children_of(hale_pid) if c[2] == "sleep"]) >= 5,
                 timeout=3, what="orphans reparented to hale")
        wait_for(lambda: not [c for c in children_of(hale_pid) if c[2] == "sleep"],
                 timeout=5, what=f"orphans reaped; children: {children_of(hale_pid)}")
        assert [c[2] for c in children_of(hale_pid)] == ["sh"]
        assert sidecar.get("/readyz").status == 200

        # The app itself is still hale's to wait for.
        os.kill(hale_pid, signal.SIGTERM)
        assert sidecar.wait(5) == 143


# --- configuration ---------------------------------------------------------------------------

def test_every_flag_has_an_environment_variable(hale_bin):
    env = {
        "HALE_SERVE_LISTEN": "127.0.0.1:0",
        "HALE_SERVE_PROBE": "a=tcp://127.0.0.1:1 b=http://127.0.0.1:1/x",
        "HALE_SERVE_LIVE_PROBE": "c=tcp://127.0.0.1:1",
        "HALE_SERVE_INTERVAL": "250ms",
        "HALE_SERVE_TIMEOUT": "150ms",
        "HALE_SERVE_FAILURE_THRESHOLD": "4",
        "HALE_SERVE_SUCCESS_THRESHOLD": "2",
        "HALE_SERVE_DRAIN": "0",
        "HALE_SERVE_LOG_LEVEL": "debug",
        "HALE_SERVE_LOG_FORMAT": "text",
    }
    with Sidecar(hale_bin, env=env, listen=False) as sidecar:
        assert sidecar.has_log(r"interval=250ms timeout=150ms failure_threshold=4 "
                               r"success_threshold=2 drain=0ms")
        for probe in ["a kind=readiness", "b kind=readiness", "c kind=liveness"]:
            assert sidecar.has_log(f"probe configured probe={probe}")
        sidecar.wait_log(r"debug probe attempt probe=a")


def test_flags_expand_environment_variables(hale_bin):
    with Sidecar(hale_bin, "--probe", "db=tcp://127.0.0.1:${DB_PORT}",
                 env={"DB_PORT": "5999"}) as sidecar:
        assert sidecar.has_log(r"probe configured probe=db kind=readiness "
                               r"target=tcp://127.0.0.1:5999")


def test_json_log_lines_are_json_objects(hale_bin):
    import json
    # The JSON format has no "listen=" text for Sidecar.start(): read the log directly.
    sidecar = Sidecar(hale_bin, "--log-format", "json", "--drain", "0",
                      "--probe", "db=tcp://127.0.0.1:1")
    try:
        wait_for(lambda: sidecar.log(), what="a log line")
        sidecar.signal(signal.SIGTERM)
        assert sidecar.wait(5) == 0
        records = [json.loads(line) for line in sidecar.log()]
        assert records[0]["msg"] == "hale serve starting"
        assert records[0]["level"] == "info"
        assert records[0]["listen"].startswith("127.0.0.1:")
        assert records[0]["time"].endswith("Z")
        assert any(r["msg"] == "probe configured" and r["probe"] == "db" for r in records)
    finally:
        sidecar.__exit__()


@pytest.mark.parametrize("args,message", [
    (["--probe", "nourl"], "invalid probe 'nourl': expected NAME=URL"),
    (["--probe", "db=ftp://x"], "invalid target 'ftp://x'"),
    (["--listen", "app:80"], "invalid listen address 'app:80'"),
    (["--interval", "0"], "invalid duration '0'"),
    (["--failure-threshold", "-1"], "invalid --failure-threshold '-1'"),
    (["--log-level", "loud"], "invalid log level 'loud'"),
    (["--unknown"], "--unknown"),
    (["--"], "no command after '--'"),
])
def test_usage_errors_exit_1_with_one_line(hale, args, message):
    run = hale("serve", *args, timeout=5)
    assert run.code == 1, run
    first = run.stderr.splitlines()[0]
    assert first.startswith("hale serve: "), run
    assert message in first, run


def test_help_exits_0(hale):
    run = hale("serve", "--help", timeout=5)
    assert run.code == 0
    assert "--live-probe" in run.stdout
    assert "HALE_SERVE_" in run.stdout


def test_taken_port_fails_the_start(hale):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        run = hale("serve", "--listen", f"127.0.0.1:{port}", timeout=5)
    assert run.code == 1
    assert f"cannot listen on 127.0.0.1:{port}: address already in use" in run.stderr
