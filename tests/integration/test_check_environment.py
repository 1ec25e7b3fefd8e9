"""hale check in the places it is made for: an empty root standing in for FROM scratch, and
an environment full of proxy variables it must not obey."""

import os
import shutil
import subprocess
import tempfile

import pytest

from conftest import needs_root
from servers import HttpServer, RawServer, Route

STATIC = os.environ.get("HALE_STATIC", "ON").upper() in ("ON", "1", "TRUE")
needs_static = pytest.mark.skipif(not STATIC, reason="an empty root needs the static binary")


@pytest.fixture
def empty_root(hale_bin):
    """A directory holding only /hale: no /etc/hosts, no passwd, no NSS, no shell."""
    with tempfile.TemporaryDirectory() as root:
        os.chmod(root, 0o755)  # the unprivileged user must be able to enter it
        shutil.copy(hale_bin, os.path.join(root, "hale"))
        yield root


def chroot_run(root, *args):
    return subprocess.run(["chroot", "--userspec=10001:10001", root, "/hale", *args],
                          capture_output=True, text=True, timeout=30)


@needs_root
@needs_static
def test_static_binary_probes_localhost_in_an_empty_root(empty_root):
    with HttpServer({"/health": Route(200)}) as srv:
        by_name = chroot_run(empty_root, "check", f"http://localhost:{srv.port}/health")
        by_ip = chroot_run(empty_root, "check", f"http://127.0.0.1:{srv.port}/health")
    assert by_name.returncode == 0, by_name
    assert by_ip.returncode == 0, by_ip


@needs_root
@needs_static
def test_static_binary_reports_an_unknown_name_in_an_empty_root(empty_root):
    run = chroot_run(empty_root, "check", "--timeout", "2s", "http://app.invalid:8080/")
    assert run.returncode == 1, run
    assert run.stdout.startswith("fail"), run


@needs_static
def test_binary_is_statically_linked(hale_bin):
    if not shutil.which("file"):
        pytest.skip("file is not installed")
    out = subprocess.run(["file", hale_bin], capture_output=True, text=True).stdout
    assert "statically linked" in out, out


PROXY_VARS = ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
              "ALL_PROXY"]


def test_proxy_variables_are_never_used(hale):
    with RawServer(lambda conn: conn.close()) as stub, HttpServer({"/": Route(200)}) as srv:
        env = {name: f"http://127.0.0.1:{stub.port}" for name in PROXY_VARS}
        env["no_proxy"] = ""
        run = hale("check", f"http://127.0.0.1:{srv.port}/", env=env)
        contacted = stub.connections
    assert run.code == 0, run
    assert contacted == 0


def test_explicit_proxy_gets_an_absolute_form_request(hale):
    with HttpServer({"*": Route(200)}) as proxy:
        run = hale("check", "--proxy", f"http://127.0.0.1:{proxy.port}",
                   "http://app.internal:8080/health")
        seen = proxy.requests
    assert run.code == 0, run
    assert seen[0]["path"] == "http://app.internal:8080/health"
    assert seen[0]["headers"]["Host"] == "app.internal:8080"
