"""hale serve's endpoints and formats, against real local servers."""

import http.client
import json
import re
import socket

import pytest

from servers import HttpServer, Route
from sidecar import Sidecar, request

BODY_CAP = 10 * 1024


@pytest.fixture(scope="module")
def app():
    with HttpServer({"/healthz": Route(200, b"ok"), "/broken": Route(500, b"no")}) as server:
        yield server


@pytest.fixture(scope="module")
def serving(hale_bin, app):
    """One sidecar with a passing and a failing readiness probe, shared by the module."""
    with Sidecar(hale_bin, "--probe", f"app=http://127.0.0.1:{app.port}/healthz",
                 "--probe", f"broken=http://127.0.0.1:{app.port}/broken",
                 "--interval", "200ms", "--failure-threshold", "1") as sidecar:
        sidecar.wait_log(r"probe failing probe=broken")
        sidecar.wait_log(r"probe passing probe=app")
        yield sidecar


def test_livez_answers_ok_as_plain_text(serving):
    reply = serving.get("/livez")
    assert reply.status == 200
    assert reply.text == "ok"
    assert reply.headers["content-type"] == "text/plain; charset=utf-8"
    assert reply.headers["x-content-type-options"] == "nosniff"


def test_livez_verbose_lists_checks_and_verdict(serving):
    reply = serving.get("/livez?verbose")
    assert reply.status == 200
    assert reply.text == "[+]scheduler ok\nlivez check passed\n"


def test_readyz_fails_with_503_and_lists_every_check(serving):
    reply = serving.get("/readyz")
    assert reply.status == 503
    assert reply.text.splitlines() == [
        "[+]scheduler ok",
        "[+]app ok",
        "[-]broken failed: status 500 not in 200-399",
        "[+]shutdown ok",
        "readyz check failed",
    ]


def test_readyz_exclude_drops_the_failing_probe(serving):
    reply = serving.get("/readyz?exclude=broken")
    assert reply.status == 200
    assert reply.text == "ok"
    verbose = serving.get("/readyz?exclude=broken&verbose")
    assert "[+]broken excluded: ok\n" in verbose.text
    assert verbose.text.endswith("readyz check passed\n")


def test_readyz_exclude_unknown_name_warns(serving):
    reply = serving.get("/readyz?exclude=broken&exclude=nope&verbose")
    assert reply.status == 200
    assert 'warn: some health checks cannot be excluded: no matches for "nope"\n' in reply.text


def test_format_json_is_health_json(serving):
    reply = serving.get("/readyz?format=json")
    assert reply.status == 503
    assert reply.headers["content-type"] == "application/health+json"
    doc = reply.json()
    assert doc["status"] == "fail"
    assert doc["checks"]["broken:responseTime"][0]["status"] == "fail"
    assert doc["checks"]["broken:responseTime"][0]["output"] == "status 500 not in 200-399"
    assert doc["checks"]["app:responseTime"][0]["status"] == "pass"
    assert doc["checks"]["app:responseTime"][0]["observedUnit"] == "ms"


@pytest.mark.parametrize("accept", ["application/health+json", "application/json"])
def test_accept_header_selects_json(serving, accept):
    reply = serving.get("/livez", headers={"Accept": accept})
    assert reply.headers["content-type"] == "application/health+json"
    assert reply.json()["status"] == "pass"


def test_kubelet_probe_headers_get_text(serving):
    reply = serving.get("/livez", headers={"User-Agent": "kube-probe/1.30", "Accept": "*/*"})
    assert reply.status == 200
    assert reply.text == "ok"


def test_unknown_format_is_400(serving):
    reply = serving.get("/readyz?format=yaml")
    assert reply.status == 400
    assert reply.text == "invalid format 'yaml': expected text or json\n"


def test_head_gives_status_and_headers_without_body(serving):
    reply = serving.get("/readyz", method="HEAD")
    assert reply.status == 503
    assert reply.body == b""
    assert reply.headers["content-type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_405_with_allow(serving, method):
    reply = serving.get("/livez", method=method)
    assert reply.status == 405
    assert reply.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ["/", "/livez/", "/healthz", "/readyz/app", "/about/x"])
def test_unknown_paths_are_404(serving, path):
    assert serving.get(path).status == 404


def test_metrics_is_prometheus_text(serving):
    reply = serving.get("/metrics")
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    lines = reply.text.splitlines()
    assert 'hale_probe_up{probe="app",kind="readiness"} 1' in lines
    assert 'hale_probe_up{probe="broken",kind="readiness"} 0' in lines
    assert "hale_ready 0" in lines
    assert "hale_live 1" in lines
    assert any(line.startswith('hale_build_info{version="') for line in lines)
    failures = [line for line in lines
                if line.startswith('hale_probe_failures_total{probe="broken"')]
    assert failures and int(failures[0].split()[-1]) >= 1
    latency = [line for line in lines if line.startswith("hale_probe_latency_seconds{")]
    assert len(latency) == 2


def test_post_with_a_large_body_is_refused_without_reading_it(serving):
    with socket.create_connection(("127.0.0.1", serving.port), timeout=5) as sock:
        sock.sendall(b"POST /livez HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n")
        sock.sendall(b"x" * 65536)
        head = sock.recv(4096)
        rest = head
        while chunk := sock.recv(65536):  # the server closes: the body is never parsed
            rest += chunk
    assert head.startswith(b"HTTP/1.1 405")
    assert b"Connection: close" in head
    assert rest.count(b"HTTP/1.1") == 1
    assert serving.get("/livez").status == 200


def test_keep_alive_connection_serves_many_requests(serving):
    conn = http.client.HTTPConnection("127.0.0.1", serving.port, timeout=5)
    try:
        for path in ["/livez", "/readyz", "/metrics", "/livez?verbose", "/nope"] * 3:
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            assert resp.status in (200, 503, 404), path
            assert body, path
            assert resp.getheader("Connection") != "close"
    finally:
        conn.close()


def test_pipelined_requests_are_answered_in_order(serving):
    with socket.create_connection(("127.0.0.1", serving.port), timeout=5) as sock:
        sock.sendall(b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"
                     b"HEAD /readyz HTTP/1.1\r\nHost: x\r\n\r\n"
                     b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", data)
    assert statuses == [b"200", b"503", b"404"], data


@pytest.mark.parametrize("junk", [b"\x00\x01\x02garbage\r\n\r\n", b"GET /" + b"a" * 20000 +
                                  b" HTTP/1.1\r\n\r\n", b"GET /livez HTTP/1.1\r\n" +
                                  b"X: y\r\n" * 200 + b"\r\n"])
def test_malformed_requests_get_an_error_and_hale_keeps_serving(serving, junk):
    with socket.create_connection(("127.0.0.1", serving.port), timeout=5) as sock:
        sock.sendall(junk)
        head = sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 4"), head[:100]
    assert serving.get("/livez").status == 200


def test_bodies_stay_under_10_kib_with_many_failing_probes(hale_bin):
    args = ["--failure-threshold", "1"]
    names = [f"{i:03d}-a-probe-name-as-long-as-hale-allows-{'x' * 20}" for i in range(100)]
    for name in names:
        args += ["--probe", f"{name}=http://127.0.0.1:1/"]
    with Sidecar(hale_bin, *args) as sidecar:
        for name in names:
            sidecar.wait_log(f"probe failing probe={name}")
        for path in ["/readyz", "/readyz?verbose", "/readyz?format=json", "/livez?verbose"]:
            reply = sidecar.get(path)
            assert len(reply.body) < BODY_CAP, path
        assert "more checks not shown" in sidecar.get("/readyz").text
        assert json.loads(sidecar.get("/readyz?format=json").body)["status"] == "fail"


def test_ipv6_listen_address(hale_bin):
    with Sidecar(hale_bin, "--listen", "[::1]:0", listen=False) as sidecar:
        assert sidecar.host == "::1"
        assert sidecar.get("/livez").status == 200
