"""Shared fixtures for integration tests: the built hale binary and real local servers."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from servers import free_port  # noqa: F401  (re-exported for tests)

ROOT = Path(__file__).resolve().parents[2]


def hale_binary() -> str:
    path = os.environ.get("HALE_BIN") or str(ROOT / "build" / "sidecar" / "hale")
    if not os.access(path, os.X_OK):
        pytest.exit(f"hale binary not found at {path}; build first or set HALE_BIN", 1)
    return path


class Run:
    """One finished hale process: exit code, output and wall time."""

    def __init__(self, args, proc, seconds):
        self.args = args
        self.code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.seconds = seconds

    @property
    def line(self) -> str:
        return self.stdout.strip()

    def __repr__(self):
        return (f"hale {' '.join(self.args)} -> exit {self.code} in {self.seconds:.2f}s\n"
                f"stdout: {self.stdout!r}\nstderr: {self.stderr!r}")


@pytest.fixture(scope="session")
def hale_bin() -> str:
    return hale_binary()


@pytest.fixture
def hale(hale_bin):
    """Runs `hale ARGS...` and returns a Run. `env` adds variables; `clean_env` starts empty."""

    def run(*args, env=None, clean_env=False, timeout=30, prefix=()):
        full_env = dict(os.environ)
        if clean_env:
            # Keep only what the sanitizer build needs to report findings distinctly.
            full_env = {k: v for k, v in full_env.items() if k.endswith("SAN_OPTIONS")}
        full_env.pop("HALE_CHECK_URL", None)
        if env:
            full_env.update(env)
        start = time.monotonic()
        proc = subprocess.run([*prefix, hale_bin, *args], capture_output=True, text=True,
                              env=full_env, timeout=timeout)
        return Run(list(args), proc, time.monotonic() - start)

    return run


def is_root() -> bool:
    return os.geteuid() == 0


needs_root = pytest.mark.skipif(not is_root(), reason="needs root (mount namespaces, chroot)")
needs_unshare = pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare")
