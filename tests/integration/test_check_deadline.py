"""One deadline bounds every phase of hale check, whatever the peer does."""

import concurrent.futures
import os
import subprocess
import tempfile
import textwrap

import pytest

from conftest import needs_root, needs_unshare
from servers import BacklogFull, HttpServer, RawServer, Route, UdpBlackhole, hang, \
    stall_after_headers, trickle

# The deadline must hold to within scheduling noise; the upper bound is loose on purpose,
# since these machines are shared, but far below what a missing deadline would take.
LATE = 3.5


def assert_timed_out(run, budget, phase):
    assert run.code == 1, run
    assert budget - 0.05 <= run.seconds < budget + LATE - 2, run
    assert run.line.startswith("fail timeout after"), run
    assert phase in run.line, run


def test_server_that_accepts_and_never_answers_times_out_waiting_for_status(hale):
    with RawServer(hang) as srv:
        run = hale("check", "--timeout", "2s", f"http://127.0.0.1:{srv.port}/")
    assert_timed_out(run, 2.0, "(connected, no status line)")


def test_handler_slower_than_the_deadline_times_out(hale):
    with HttpServer({"/": Route(200, delay=60)}) as srv:
        run = hale("check", "--timeout", "2s", f"http://127.0.0.1:{srv.port}/")
    assert_timed_out(run, 2.0, "no status line")


def test_body_that_stalls_after_the_headers_times_out(hale):
    with RawServer(stall_after_headers) as srv:
        run = hale("check", "--timeout", "2s", f"http://127.0.0.1:{srv.port}/")
    assert_timed_out(run, 2.0, "status 200, reading body, 7 bytes so far")


def test_trickling_server_cannot_stretch_the_deadline(hale):
    # Each byte arrives well within any per-read timeout; only an overall deadline stops it.
    with RawServer(trickle) as srv:
        run = hale("check", "--timeout", "2s", f"http://127.0.0.1:{srv.port}/")
    assert_timed_out(run, 2.0, "timeout after 2s")


def test_default_deadline_is_five_seconds(hale):
    with RawServer(hang) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/")
    assert_timed_out(run, 5.0, "timeout after 5s")


def test_deadline_can_come_from_the_environment(hale):
    with RawServer(hang) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/", env={"HALE_CHECK_TIMEOUT": "1s"})
    assert_timed_out(run, 1.0, "timeout after 1s")


def test_connect_to_a_full_backlog_times_out_not_after_minutes(hale):
    with BacklogFull() as srv:
        run = hale("check", "--timeout", "2s", f"tcp://127.0.0.1:{srv.port}")
    assert_timed_out(run, 2.0, "(connecting to 127.0.0.1:")


@pytest.mark.parametrize("server", ["hang", "slow", "stall"])
def test_twenty_parallel_checks_all_end_at_the_deadline_and_leave_no_process(hale_bin, server):
    servers = {"hang": lambda: RawServer(hang), "stall": lambda: RawServer(stall_after_headers),
               "slow": lambda: HttpServer({"/": Route(200, delay=60)})}
    with servers[server]() as srv:
        url = f"http://127.0.0.1:{srv.port}/"

        def one(_):
            proc = subprocess.run([hale_bin, "check", "--timeout", "2s", url],
                                  capture_output=True, text=True, timeout=30)
            return proc.returncode, proc.stdout

        with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(one, range(20)))

    assert all(code == 1 for code, _ in results), results
    assert all("timeout after 2s" in out for _, out in results), results
    leftover = subprocess.run(["pgrep", "-f", f"{hale_bin} check"], capture_output=True)
    assert leftover.returncode == 1, leftover.stdout


@needs_root
@needs_unshare
def test_dns_server_that_never_answers_is_bounded_by_the_deadline(hale_bin):
    # A private mount namespace gets a resolv.conf naming a UDP listener that swallows
    # queries; hale must give up at the deadline and say it was resolving.
    with UdpBlackhole(host="127.0.0.53", port=53) as dns, tempfile.TemporaryDirectory() as tmp:
        resolv = os.path.join(tmp, "resolv.conf")
        with open(resolv, "w") as f:
            f.write("nameserver 127.0.0.53\noptions timeout:30 attempts:5\n")
        hosts = os.path.join(tmp, "hosts")
        open(hosts, "w").close()
        script = textwrap.dedent(f"""
            mount --bind {resolv} /etc/resolv.conf
            mount --bind {hosts} /etc/hosts
            exec {hale_bin} check --timeout 2s http://app.example:8080/
        """)
        import time
        start = time.monotonic()
        proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True,
                              text=True, timeout=30)
        seconds = time.monotonic() - start
        queries = dns.queries
    assert proc.returncode == 1, proc
    assert "timeout after 2s" in proc.stdout and "resolving app.example" in proc.stdout, proc
    assert 1.95 <= seconds < LATE, seconds
    assert queries >= 1
