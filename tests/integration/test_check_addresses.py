"""Every address of a name is tried; localhost needs no lookup; IPv6 works; TCP targets."""

import os
import socket
import subprocess
import tempfile
import textwrap

import pytest

from conftest import needs_root, needs_unshare
from servers import BacklogFull, HttpServer, RawServer, Route, free_port


def test_localhost_reaches_an_ipv4_only_server(hale):
    with HttpServer({"/": Route(200)}, host="127.0.0.1") as srv:
        run = hale("check", f"http://localhost:{srv.port}/")
    assert run.code == 0, run
    assert "via 127.0.0.1" in run.line, run


def test_localhost_reaches_an_ipv6_only_server_and_names_the_refused_address(hale):
    with HttpServer({"/": Route(200)}, host="::1") as srv:
        run = hale("check", f"http://localhost:{srv.port}/")
    assert run.code == 0, run
    assert "via [::1] (127.0.0.1 connection refused)" in run.line, run


def test_localhost_variants_resolve_without_lookup(hale):
    with HttpServer({"/": Route(200)}) as srv:
        for host in ["localhost.", "app.localhost", "LOCALHOST"]:
            run = hale("check", f"http://{host}:{srv.port}/")
            assert run.code == 0, run


def test_bracketed_ipv6_literal_is_probed(hale):
    with HttpServer({"/": Route(200)}, host="::1") as srv:
        run = hale("check", f"http://[::1]:{srv.port}/")
    assert run.code == 0, run
    assert run.line.startswith(f"ok 200 GET http://[::1]:{srv.port}/"), run


def test_unspecified_address_connects_to_loopback_with_a_hint(hale):
    with HttpServer({"/": Route(200)}) as srv:
        run = hale("check", f"http://0.0.0.0:{srv.port}/")
    assert run.code == 0, run
    assert "hint: 0.0.0.0 reaches loopback; write 127.0.0.1" in run.line, run


def test_failure_lists_every_address_with_its_error(hale):
    port = free_port()
    run = hale("check", f"http://localhost:{port}/")
    assert run.code == 1, run
    assert f"connect localhost:{port}:" in run.line
    assert "127.0.0.1 connection refused" in run.line
    assert "[::1] connection refused" in run.line


@needs_root
@needs_unshare
@pytest.mark.parametrize("order", ["::1 first", "127.0.0.1 first"])
@pytest.mark.parametrize("bind", ["0.0.0.0", "::1"])
def test_name_from_hosts_file_works_whatever_the_address_order(hale_bin, order, bind):
    # A name listed for both loopbacks, in either order, against a server on one family:
    # the first address may be refused; the other must still be tried.
    lines = ["::1 app.test", "127.0.0.1 app.test"]
    if order == "127.0.0.1 first":
        lines.reverse()
    with HttpServer({"/": Route(200)}, host=bind) as srv, tempfile.TemporaryDirectory() as tmp:
        hosts = os.path.join(tmp, "hosts")
        with open(hosts, "w") as f:
            f.write("\n".join(lines) + "\n")
        script = textwrap.dedent(f"""
            mount --bind {hosts} /etc/hosts
            exec {hale_bin} check http://app.test:{srv.port}/
        """)
        proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True,
                              text=True, timeout=30)
    assert proc.returncode == 0, proc
    assert "via" in proc.stdout, proc


def test_tcp_target_passes_on_a_listener_that_never_accepts(hale):
    # The kernel completes the handshake for a listening socket: the kubelet's tcpSocket
    # verdict is healthy, and so is hale's.
    with RawServer(accept=False, backlog=1) as srv:
        run = hale("check", f"tcp://127.0.0.1:{srv.port}")
    assert run.code == 0, run
    assert run.line.startswith(f"ok tcp://127.0.0.1:{srv.port} connected"), run


def test_tcp_target_with_nothing_listening_fails_at_once(hale):
    port = free_port()
    run = hale("check", "--timeout", "5s", f"tcp://127.0.0.1:{port}")
    assert run.code == 1, run
    assert run.line.startswith(f"fail connect 127.0.0.1:{port}: connection refused"), run
    assert run.seconds < 2, run


def test_tcp_target_with_full_backlog_fails_at_the_deadline(hale):
    with BacklogFull() as srv:
        run = hale("check", "--timeout", "1s", f"tcp://127.0.0.1:{srv.port}")
    assert run.code == 1, run
    assert "timeout after 1s" in run.line, run
    assert run.seconds < 3, run
