"""hale serve under a process limit, as a pod with a pids limit runs it: a refused thread
makes connections wait, never takes the sidecar down."""

import shutil
import socket

import pytest

from conftest import needs_root
from sidecar import Sidecar, wait_for

needs_prlimit = pytest.mark.skipif(shutil.which("prlimit") is None, reason="needs prlimit")


@needs_root
@needs_prlimit
def test_refused_threads_queue_connections_and_hale_keeps_serving(hale_bin):
    # RLIMIT_NPROC counts threads of the user; 'nobody' runs nothing else here.
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
              "prlimit", "--nproc=24"]
    with Sidecar(hale_bin, prefix=prefix) as sidecar:
        idle = []
        try:
            for _ in range(60):
                s = socket.create_connection((sidecar.host, sidecar.port))
                idle.append(s)
            sidecar.wait_log(r"cannot start a connection thread", timeout=10)
            assert sidecar.proc.poll() is None, sidecar.log()
        finally:
            for s in idle:
                s.close()
        reply = wait_for(lambda: sidecar.get("/livez", timeout=10), timeout=20,
                         what="/livez after the idle connections closed")
        assert reply.status == 200, reply
        assert sidecar.proc.poll() is None, sidecar.log()
