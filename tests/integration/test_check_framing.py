"""Responses end where their framing says, bodies are capped, and real servers agree."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
import textwrap

import pytest

from servers import HttpServer, RawServer, Route, chunked, free_port, http10_close, huge_body, \
    not_http


def test_no_content_response_needs_no_body(hale):
    with HttpServer({"/": Route(204, b"")}) as srv:
        run = hale("check", "--timeout", "2s", f"http://127.0.0.1:{srv.port}/")
    assert run.code == 0, run
    assert run.line.startswith("ok 204"), run


def test_chunked_body_ends_at_its_last_chunk_on_a_kept_alive_connection(hale):
    with RawServer(chunked) as srv:
        run = hale("check", "--timeout", "3s", "--expect-body", "all good",
                   f"http://127.0.0.1:{srv.port}/")
    assert run.code == 0, run
    assert run.seconds < 2, run


def test_http10_body_ends_at_close(hale):
    with RawServer(http10_close) as srv:
        run = hale("check", "--expect-body", "all good", f"http://127.0.0.1:{srv.port}/")
    assert run.code == 0, run


def test_huge_body_is_read_only_up_to_the_cap(hale):
    with RawServer(huge_body) as srv:
        run = hale("check", "--timeout", "5s", f"http://127.0.0.1:{srv.port}/")
    assert run.code == 0, run
    assert run.seconds < 2, run


def test_peer_speaking_another_protocol_fails_at_once(hale):
    with RawServer(not_http) as srv:
        run = hale("check", "--timeout", "5s", f"http://127.0.0.1:{srv.port}/")
    assert run.code == 1, run
    assert "not an HTTP response" in run.line, run
    assert run.seconds < 2, run


def test_peer_closing_without_a_reply_is_an_empty_reply(hale):
    with RawServer(lambda conn: (conn.recv(65536), conn.close())) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/")
    assert run.code == 1, run
    assert "connection closed before a status line" in run.line, run


def wait_for_port(port, timeout=10.0):
    import socket
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture
def nginx():
    """Debian's nginx on a free port: /health 200, /empty 204, /gone 503, /moved 302."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(binary):
        pytest.skip("nginx is not installed (scripts/install-deps test)")
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(textwrap.dedent(f"""
                daemon off; pid {tmp}/nginx.pid; error_log {tmp}/error.log;
                events {{}}
                http {{
                    access_log off;
                    client_body_temp_path {tmp}; proxy_temp_path {tmp};
                    fastcgi_temp_path {tmp}; uwsgi_temp_path {tmp}; scgi_temp_path {tmp};
                    server {{
                        listen 127.0.0.1:{port};
                        location = /health {{ return 200 "ok\\n"; }}
                        location = /empty {{ return 204; }}
                        location = /gone {{ return 503 "down\\n"; }}
                        location = /moved {{ return 302 /health; }}
                    }}
                }}
            """))
        proc = subprocess.Popen([binary, "-c", conf, "-e", f"{tmp}/error.log"])
        try:
            wait_for_port(port)
            yield port
        finally:
            proc.send_signal(signal.SIGQUIT)
            proc.wait(timeout=10)


def test_nginx_statuses_give_the_expected_verdicts(hale, nginx):
    base = f"http://127.0.0.1:{nginx}"
    assert hale("check", f"{base}/health").code == 0
    assert hale("check", f"{base}/empty").code == 0
    assert hale("check", f"{base}/gone").code == 1
    assert hale("check", "--method", "HEAD", f"{base}/health").code == 0
    followed = hale("check", "--follow", "--accept", "200", f"{base}/moved")
    assert followed.code == 0, followed


@pytest.fixture
def busybox_httpd():
    """BusyBox httpd serving a directory with health.txt, on a free port."""
    binary = shutil.which("busybox")
    if not binary:
        pytest.skip("busybox is not installed (scripts/install-deps test)")
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "health.txt"), "w") as f:
            f.write("ok\n")
        proc = subprocess.Popen([binary, "httpd", "-f", "-p", f"127.0.0.1:{port}", "-h", tmp])
        try:
            wait_for_port(port)
            yield port
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_busybox_httpd_file_and_missing_file(hale, busybox_httpd):
    base = f"http://127.0.0.1:{busybox_httpd}"
    ok = hale("check", "--expect-body", "ok", f"{base}/health.txt")
    assert ok.code == 0, ok
    missing = hale("check", f"{base}/nope.txt")
    assert missing.code == 1, missing
    assert missing.line.startswith("fail 404"), missing


def test_control_bytes_from_the_peer_never_reach_the_output(hale):
    def hostile(conn):
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r7\x1b]0;pwned\x07\r\n\r\nx")

    with RawServer(hostile) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/")
    assert run.code == 1, run
    assert run.stdout.count("\n") == 1 and run.stdout.endswith("\n"), run
    assert not any(ord(c) < 0x20 for c in run.stdout[:-1]), run
    assert "\\x1b]0;pwned\\x07" in run.line, run
