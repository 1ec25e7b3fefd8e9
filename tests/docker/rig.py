"""Helpers for hale's end-to-end tests on a real Docker engine.

Tests use them through the fixtures in conftest.py (`rig`, `hale_image`, ...) and import the
plain functions directly:

    from rig import docker, wait_for_health

Everything a test creates goes through a `Rig`, which names it uniquely, labels it with the
session's label and removes it when the test (or module, or session) ends:

    def test_app_goes_healthy(rig, example_app_image):
        app = rig.start(example_app_image)
        wait_for_health(app, "healthy")

Names look like `hale-test-<task>-<session>-<kind>-<n>`: <task> is the source directory's name
(the worktree), <session> a random token, so sessions sharing one engine never collide and a
leftover object says who made it.
"""

import json
import os
import re
import secrets
import subprocess
import time
from pathlib import Path

ROOT = Path(os.environ.get("HALE_SOURCE_DIR") or Path(__file__).resolve().parents[2])

# Every container, network and volume a session creates carries this label with the session's
# prefix as value, so the end of the session can sweep up what a failed test left behind.
SESSION_LABEL = "org.hale.test.session"


class DockerError(AssertionError):
    """A docker command failed; the message holds the command, exit status and output."""

    def __init__(self, args, proc):
        self.proc = proc
        super().__init__(f"docker {' '.join(args)} -> exit {proc.returncode}\n"
                         f"stdout: {proc.stdout.strip()}\nstderr: {proc.stderr.strip()}")


def docker(*args, check=True, timeout=120, input=None):
    """Runs `docker ARGS...` and returns the CompletedProcess (text output).

    With check=True (the default) a non-zero exit raises DockerError with the output.
    """
    args = [str(arg) for arg in args]
    proc = subprocess.run(["docker", *args], capture_output=True, text=True, input=input,
                          timeout=timeout)
    if check and proc.returncode != 0:
        raise DockerError(args, proc)
    return proc


def inspect(name, template="{{json .}}", kind=None):
    """`docker inspect --format TEMPLATE NAME`, parsed as JSON (the default template's result
    is the whole object). kind: "container", "image", "network" or "volume" to disambiguate."""
    args = ["inspect", "--format", template]
    if kind:
        args += ["--type", kind]
    return json.loads(docker(*args, name).stdout)


def wait_until(condition, timeout, interval=0.1, describe=lambda: ""):
    """Polls condition() until it returns a true value, which is returned. After timeout
    seconds raises AssertionError with describe()'s text, which should say what was seen."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"not reached within {timeout}s: {describe()}")
        time.sleep(interval)


def health(container):
    """The container's `.State.Health` (Status, FailingStreak, Log), or None without one."""
    return inspect(container, "{{json .State.Health}}", kind="container")


def wait_for_health(container, state, timeout=60):
    """Waits until the container's health status is `state` ("starting", "healthy",
    "unhealthy") and returns `.State.Health`. Fails at once if the container stops, and on
    timeout, showing the health log and the container's own log."""
    seen = {}

    def reached():
        state_now = inspect(container, "{{json .State}}", kind="container")
        seen["state"] = state_now
        if not state_now.get("Running"):
            raise AssertionError(f"{container} stopped while waiting for '{state}': "
                                 f"{_describe(container, state_now)}")
        current = state_now.get("Health")
        if current is None:
            raise AssertionError(f"{container} has no health check")
        return current if current["Status"] == state else None

    return wait_until(reached, timeout, interval=0.2,
                      describe=lambda: f"{container} health '{state}': "
                                       f"{_describe(container, seen.get('state'))}")


def _describe(container, state):
    logs = docker("logs", "--tail", "20", container, check=False)
    return (f"state {json.dumps(state, indent=1)}\ncontainer log (last 20 lines):\n"
            f"{logs.stdout}{logs.stderr}")


def health_outputs(state, exit_code=None):
    """The Output of each `.State.Health.Log` entry, oldest first, optionally only those with
    the given ExitCode."""
    return [entry["Output"] for entry in state["Log"]
            if exit_code is None or entry["ExitCode"] == exit_code]


def image_size(image):
    """The image's size in bytes, as `docker images` shows it."""
    return inspect(image, "{{json .Size}}", kind="image")


def _task_name():
    name = ROOT.name.lower()
    name = name[3:] if name.startswith("wt-") else name
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-") or "hale"


class Session:
    """One test session's naming: a unique prefix and a counter."""

    def __init__(self):
        self.prefix = f"hale-test-{_task_name()}-{secrets.token_hex(2)}"
        self._count = 0

    def name(self, kind):
        """A new name `<prefix>-<kind>-<n>`, valid for containers, networks, volumes and image
        repositories (lowercase)."""
        self._count += 1
        return f"{self.prefix}-{kind}-{self._count}"

    def sweep(self):
        """Removes every container, network and volume labelled with this session, whichever
        test made it and whether or not that test cleaned up."""
        label = f"label={SESSION_LABEL}={self.prefix}"
        containers = docker("ps", "-aq", "--filter", label, check=False).stdout.split()
        if containers:
            docker("rm", "-f", *containers, check=False)
        networks = docker("network", "ls", "-q", "--filter", label, check=False).stdout.split()
        if networks:
            docker("network", "rm", *networks, check=False)
        volumes = docker("volume", "ls", "-q", "--filter", label, check=False).stdout.split()
        if volumes:
            docker("volume", "rm", "-f", *volumes, check=False)


class Rig:
    """Creates Docker objects for one scope (a test, a module, the session) and removes them
    all in close(). Usable as a context manager."""

    def __init__(self, session):
        self.session = session
        self._containers = []
        self._networks = []
        self._volumes = []
        self._images = []

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    def name(self, kind):
        return self.session.name(kind)

    def _label(self):
        return ["--label", f"{SESSION_LABEL}={self.session.prefix}"]

    def start(self, image, *command, name=None, options=(), env=None, network=None):
        """`docker run -d` IMAGE COMMAND...; returns the container's name. options: further
        `docker run` options, e.g. ("--no-healthcheck",) or ("-v", "a:b")."""
        name = name or self.name("ctr")
        self._containers.append(name)
        docker("run", "-d", "--name", name, *self._label(), *_env_options(env),
               *(["--network", network] if network else []), *options, image, *command)
        return name

    def run(self, image, *command, options=(), env=None, network=None, timeout=60):
        """`docker run --rm` IMAGE COMMAND... in the foreground; returns the CompletedProcess
        (returncode, stdout, stderr) without checking the exit status."""
        name = self.name("run")
        self._containers.append(name)
        return docker("run", "--rm", "--name", name, *self._label(), *_env_options(env),
                      *(["--network", network] if network else []), *options, image, *command,
                      check=False, timeout=timeout)

    def exec(self, container, *command, user=None, detach=False, env=None, check=True):
        """`docker exec` in a container; returns the CompletedProcess."""
        return docker("exec", *(["--user", user] if user else []), *(["-d"] if detach else []),
                      *_env_options(env), container, *command, check=check)

    def network(self, *options):
        """A new user-defined bridge network (Docker's embedded DNS serves container names on
        it); returns its name."""
        name = self.name("net")
        self._networks.append(name)
        docker("network", "create", *self._label(), *options, name)
        return name

    def volume(self):
        """A new named volume; returns its name."""
        name = self.name("vol")
        self._volumes.append(name)
        docker("volume", "create", *self._label(), name)
        return name

    def build(self, context=None, dockerfile_text=None, build_args=None, kind="img",
              tag=None, timeout=1800):
        """Builds an image and returns its tag (`<prefix>-<kind>-<n>:test` unless given).

        context: a directory, with its own Dockerfile unless dockerfile_text is given;
        dockerfile_text alone: a build with no context, e.g. `FROM x` plus a HEALTHCHECK.
        """
        tag = tag or f"{self.name(kind)}:test"
        args = ["build", "--tag", tag]
        for key, value in (build_args or {}).items():
            args += ["--build-arg", f"{key}={value}"]
        if dockerfile_text is not None:
            args += ["--file", "-"] if context else []
        args.append(str(context) if context else "-")
        self._images.append(tag)
        docker(*args, input=dockerfile_text, timeout=timeout)
        return tag

    def adopt_image(self, tag):
        """Removes this image tag in close(), e.g. one built by a script."""
        self._images.append(tag)

    def close(self):
        """Removes what this rig created: containers, then networks and volumes, then image
        tags. Image layers stay (`rmi --no-prune`) as the next build's cache."""
        if self._containers:
            docker("rm", "-f", *self._containers, check=False)
        if self._networks:
            docker("network", "rm", *self._networks, check=False)
        if self._volumes:
            docker("volume", "rm", "-f", *self._volumes, check=False)
        if self._images:
            docker("rmi", "--no-prune", *self._images, check=False)
        self._containers, self._networks, self._volumes, self._images = [], [], [], []


def _env_options(env):
    options = []
    for key, value in (env or {}).items():
        options += ["--env", f"{key}={value}"]
    return options
