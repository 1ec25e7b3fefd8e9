"""Fixtures for hale's end-to-end tests on a real Docker engine (`ctest -L docker`).

Session fixtures (built or started once, shared by every test file in tests/docker/):
    docker_engine      the engine: the one that answers `docker info`, or a dockerd started
                       here (tests/docker/engine.sh) and stopped by pid when the session ends
    base_image         "debian:bookworm-slim", made with debootstrap when missing
    hale_image         hale's image built from the repository's Dockerfile (scripts/build-image)
    example_app_image  examples/python-app built on top of hale_image
    session_rig        a Rig for objects that live for the whole session
    rig_factory        makes Rigs for other scopes: `with rig_factory() as module_rig:` in a
                       module fixture
Per test:
    rig                a Rig whose containers, networks, volumes and images are removed when
                       the test ends (see rig.py for start/run/exec/network/volume/build)

Helpers to import from rig.py: docker, inspect, wait_until, health, wait_for_health,
health_outputs, image_size. The build times and the image size appear in pytest's summary.

hale runs here as shipped: from the image built out of the sources (HALE_BIN, the host build,
is not used). Test traffic stays on this machine: never ask Docker's embedded DNS for a name
that no container has, because it forwards such names to the host's resolvers; mount a
resolv.conf naming a local server instead (test_healthcheck.py's minimal_root does).
"""

import subprocess
import time
from dataclasses import dataclass

import pytest

from rig import ROOT, Rig, Session, docker, image_size

ENGINE_SH = ROOT / "tests" / "docker" / "engine.sh"

_session = Session()
_notes = []  # engine, build times and image sizes, for pytest's summary


@dataclass
class Engine:
    server_version: str
    started_pid: int | None  # dockerd started by this session, None when reused


@dataclass
class Image:
    tag: str
    build_seconds: float

    def __str__(self):
        return self.tag


@pytest.fixture(scope="session")
def docker_engine():
    proc = subprocess.run([str(ENGINE_SH), "start"], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"no Docker engine: {proc.stderr.strip()}", pytrace=False)
    pid = int(proc.stdout.strip()) if proc.stdout.strip() else None
    version = docker("version", "--format", "{{.Server.Version}}").stdout.strip()
    _notes.append(f"engine: Docker {version}, {f'started (pid {pid})' if pid else 'reused'}")
    yield Engine(version, pid)

    _session.sweep()
    if pid:
        subprocess.run([str(ENGINE_SH), "stop", str(pid)], check=False)


@pytest.fixture(scope="session")
def base_image(docker_engine):
    proc = subprocess.run([str(ENGINE_SH), "base-image"], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"no base image: {proc.stderr.strip()}", pytrace=False)
    return "debian:bookworm-slim"


@pytest.fixture(scope="session")
def session_rig(docker_engine):
    with Rig(_session) as session_rig:
        yield session_rig


@pytest.fixture(scope="session")
def rig_factory(docker_engine):
    return lambda: Rig(_session)


@pytest.fixture
def rig(docker_engine):
    with Rig(_session) as test_rig:
        yield test_rig


@pytest.fixture(scope="session")
def hale_image(session_rig, base_image):
    tag = f"{_session.name('hale')}:test"
    session_rig.adopt_image(tag)
    start = time.monotonic()
    proc = subprocess.run([str(ROOT / "scripts" / "build-image"), tag], capture_output=True,
                          text=True, timeout=1800)
    if proc.returncode != 0:
        pytest.fail(f"building hale's image failed:\n{proc.stdout[-4000:]}\n{proc.stderr}",
                    pytrace=False)
    image = Image(tag, time.monotonic() - start)
    _notes.append(f"hale image: built in {image.build_seconds:.1f}s, {image_size(tag)} bytes")
    return image


@pytest.fixture(scope="session")
def example_app_image(session_rig, hale_image):
    start = time.monotonic()
    tag = session_rig.build(ROOT / "examples" / "python-app", kind="python-app",
                            build_args={"HALE_IMAGE": hale_image.tag})
    image = Image(tag, time.monotonic() - start)
    _notes.append(f"example app image: built in {image.build_seconds:.1f}s, "
                  f"{image_size(tag)} bytes")
    return image


def pytest_terminal_summary(terminalreporter):
    if not _notes:
        return
    terminalreporter.section("docker rig")
    for note in _notes:
        terminalreporter.write_line(note)
