"""hale check as a real Docker HEALTHCHECK, and hale's own image probing other containers."""

import re
from pathlib import Path

import pytest

from rig import docker, health_outputs, inspect, wait_for_health, wait_until

HEALTH_URL = "http://localhost:8000/health"
HALE = "/usr/local/bin/hale"


def assert_one_line(output):
    """hale's verdict is one line, short enough for Health.Log and `kubectl describe`."""
    assert output.endswith("\n") and output.count("\n") == 1, repr(output)
    assert len(output) < 512, repr(output)


def wait_for_port(container, port, timeout=30):
    """Waits until something in the container's network namespace accepts on 127.0.0.1:port,
    asking the container's own python3 (the application image has it)."""
    probe = f"import socket; socket.create_connection(('127.0.0.1', {port}), 1).close()"
    wait_until(lambda: docker("exec", container, "python3", "-c", probe,
                              check=False).returncode == 0,
               timeout, interval=0.2, describe=lambda: f"nothing listens on :{port}")


# The example application: a real image whose only health check tool is hale.

def test_example_app_declares_hale_as_exec_form_healthcheck(example_app_image):
    config = inspect(example_app_image, "{{json .Config}}", kind="image")

    assert config["Healthcheck"]["Test"] == ["CMD", HALE, "check", HEALTH_URL]
    assert config["User"] == "10001:10001"


def test_example_app_runs_as_uid_10001_system_user_without_login_shell(rig, example_app_image):
    app = rig.start(example_app_image)

    status = rig.exec(app, "cat", "/proc/1/status").stdout
    passwd = rig.exec(app, "getent", "passwd", "10001").stdout.strip().split(":")

    assert re.search(r"^Uid:\s+10001\s+10001\s+10001\s+10001$", status, re.M), status
    assert re.search(r"^Gid:\s+10001\s+10001\s+10001\s+10001$", status, re.M), status
    assert passwd[0] == "app" and passwd[6] == "/usr/sbin/nologin", passwd


def test_example_app_becomes_healthy_under_hale_check(rig, example_app_image):
    app = rig.start(example_app_image)

    state = wait_for_health(app, "healthy")

    last = state["Log"][-1]
    assert last["ExitCode"] == 0
    assert last["Output"].startswith(f"ok 200 GET {HEALTH_URL} "), last
    assert_one_line(last["Output"])


def test_example_app_becomes_unhealthy_when_its_endpoint_fails(rig, example_app_image):
    app = rig.start(example_app_image)
    wait_for_health(app, "healthy")

    rig.exec(app, "touch", "/tmp/unhealthy")
    state = wait_for_health(app, "unhealthy")

    failures = health_outputs(state, exit_code=1)
    assert len(failures) >= 2, state  # retries=2: two failures in a row
    for output in failures:
        assert output.startswith(f"fail 503 GET {HEALTH_URL} "), state
        assert_one_line(output)
    assert all(entry["ExitCode"] in (0, 1) for entry in state["Log"]), state


def test_example_app_recovers_when_its_endpoint_works_again(rig, example_app_image):
    app = rig.start(example_app_image, env={"FAIL_FILE": "/tmp/failing"})
    rig.exec(app, "touch", "/tmp/failing")
    wait_for_health(app, "unhealthy")

    rig.exec(app, "rm", "/tmp/failing")
    state = wait_for_health(app, "healthy")

    assert state["FailingStreak"] == 0
    assert state["Log"][-1]["Output"].startswith(f"ok 200 GET {HEALTH_URL} ")


# hale's own image (FROM scratch, only /hale) as a probe of other containers.

def test_hale_image_checks_app_through_its_network_namespace(rig, hale_image,
                                                            example_app_image):
    app = rig.start(example_app_image, options=["--no-healthcheck"])
    wait_for_port(app, 8000)

    ok = rig.run(hale_image, "check", HEALTH_URL, options=["--network", f"container:{app}"])
    rig.exec(app, "touch", "/tmp/unhealthy")
    failing = rig.run(hale_image, "check", HEALTH_URL,
                      options=["--network", f"container:{app}"])

    assert ok.returncode == 0, ok
    assert ok.stdout.startswith(f"ok 200 GET {HEALTH_URL} "), ok
    assert failing.returncode == 1, failing
    assert failing.stdout.startswith(f"fail 503 GET {HEALTH_URL} "), failing


def test_hale_image_reaches_app_by_container_name_on_user_network(rig, hale_image,
                                                                 example_app_image):
    network = rig.network()
    app = rig.start(example_app_image, network=network, options=["--no-healthcheck"])
    wait_for_port(app, 8000)
    url = f"http://{app}:8000/health"

    result = rig.run(hale_image, "check", url, network=network)

    assert result.returncode == 0, result
    assert result.stdout.startswith(f"ok 200 GET {url} "), result
    assert_one_line(result.stdout)


# A scratch image with no usable /etc/hosts and no /etc/services: names that must never reach
# DNS, and ports implied by the scheme.

@pytest.fixture(scope="module")
def minimal_root(rig_factory, example_app_image, hale_image, tmp_path_factory):
    """A server container listening on :8080 and :80 with a query-counting DNS server on
    127.0.0.1:53, and `check(*args)`, which runs hale's scratch image in that network namespace
    with an empty /etc/hosts and a resolv.conf naming the counter. check() returns the run and
    the names hale queried during it."""
    etc = tmp_path_factory.mktemp("etc")
    (etc / "hosts").write_text("")
    (etc / "resolv.conf").write_text("nameserver 127.0.0.1\n")
    query_log = "/tmp/dns-queries"

    with rig_factory() as module_rig:
        srv = module_rig.start(example_app_image, env={"PORT": "8080"},
                               options=["--no-healthcheck"])
        docker("cp", Path(__file__).with_name("dns_counter.py"), f"{srv}:/tmp/dns_counter.py")
        module_rig.exec(srv, "python3", "/tmp/dns_counter.py", "127.0.0.1", "53", query_log,
                        detach=True)
        module_rig.exec(srv, "python3", "/app/app.py", env={"PORT": "80"}, detach=True)
        wait_until(lambda: module_rig.exec(srv, "test", "-e", query_log,
                                           check=False).returncode == 0,
                   30, interval=0.2, describe=lambda: "the DNS counter did not start")
        wait_for_port(srv, 8080)
        wait_for_port(srv, 80)

        def queries():
            return module_rig.exec(srv, "cat", query_log).stdout.split()

        def check(*args):
            before = len(queries())
            result = module_rig.run(
                hale_image, "check", *args,
                options=["--network", f"container:{srv}",
                         "-v", f"{etc / 'hosts'}:/etc/hosts:ro",
                         "-v", f"{etc / 'resolv.conf'}:/etc/resolv.conf:ro"])
            return result, queries()[before:]

        yield check


def test_unknown_name_fails_as_resolve_error_after_asking_dns(minimal_root):
    # Also the control for the zero-query tests below: hale's DNS queries reach the counter.
    # (Names are resolved here and never through Docker's embedded DNS, which would forward
    # an unknown name to the host's resolvers, off this machine.)
    result, queried = minimal_root("--timeout", "3s", "http://db.internal:8080/health")

    assert result.returncode == 1, result
    assert result.stdout.startswith("fail resolve db.internal"), result
    assert "name not found" in result.stdout, result
    assert "db.internal." in queried, (queried, result)


def test_localhost_names_are_checked_without_dns_or_hosts_file(minimal_root):
    result, queried = minimal_root("http://localhost:8080/health",
                                   "http://localhost.:8080/health",
                                   "http://app.localhost:8080/health")

    assert result.returncode == 0, result
    assert queried == [], (queried, result)


def test_http_scheme_implies_port_80_without_services_file(minimal_root):
    result, queried = minimal_root("http://127.0.0.1/health", "http://localhost/health")

    assert result.returncode == 0, result
    assert result.stdout.startswith("ok "), result
    assert queried == [], (queried, result)


# Exec-form HEALTHCHECKs written as if a shell ran them.

@pytest.fixture(scope="module")
def exec_form_apps(rig_factory, example_app_image):
    """Containers of images derived from the example app, each with another exec-form
    HEALTHCHECK, all started at once so that their health checks run in parallel. Maps a
    variant's name to its container."""
    def healthcheck(*check_args):
        test = ", ".join(f'"{arg}"' for arg in [HALE, "check", *check_args])
        return (f"FROM {example_app_image}\n"
                f"HEALTHCHECK --interval=1s --timeout=10s --retries=2 CMD [{test}]\n")

    shell_tokens = healthcheck(HEALTH_URL, "||", "exit", "1")
    port_variable = healthcheck("http://127.0.0.1:${PORT}/health")
    port_default = healthcheck("http://127.0.0.1:${PORT:-8000}/health")

    with rig_factory() as module_rig:
        images = {text: module_rig.build(dockerfile_text=text, kind="exec-form")
                  for text in (shell_tokens, port_variable, port_default)}
        yield {
            "shell tokens": module_rig.start(images[shell_tokens]),
            "shell tokens, failing": module_rig.start(images[shell_tokens],
                                                      env={"FAIL_FILE": "/etc/hostname"}),
            "PORT set": module_rig.start(images[port_variable], env={"PORT": "9090"}),
            "PORT unset": module_rig.start(images[port_variable]),
            "PORT unset, default": module_rig.start(images[port_default]),
        }


def test_shell_tokens_in_exec_form_are_ignored_with_a_warning(exec_form_apps):
    state = wait_for_health(exec_form_apps["shell tokens"], "healthy")

    output = state["Log"][-1]["Output"]
    assert f"ok 200 GET {HEALTH_URL} " in output, state
    assert "ignoring '|| exit 1'" in output, state


def test_shell_tokens_in_exec_form_keep_a_failing_verdict(exec_form_apps):
    state = wait_for_health(exec_form_apps["shell tokens, failing"], "unhealthy")

    assert {entry["ExitCode"] for entry in state["Log"]} == {1}, state
    assert all(f"fail 503 GET {HEALTH_URL} " in output for output in health_outputs(state))


def test_port_variable_is_expanded_from_container_environment(exec_form_apps):
    state = wait_for_health(exec_form_apps["PORT set"], "healthy")

    assert state["Log"][-1]["Output"].startswith("ok 200 GET http://127.0.0.1:9090/health ")


def test_unset_port_variable_makes_container_unhealthy_with_reason(exec_form_apps):
    state = wait_for_health(exec_form_apps["PORT unset"], "unhealthy")

    for entry in state["Log"]:
        assert entry["ExitCode"] == 1, state
        assert "PORT is unset" in entry["Output"], state
        assert "${PORT}" not in entry["Output"], state  # never dialled literally


def test_unset_port_variable_takes_its_default(exec_form_apps):
    state = wait_for_health(exec_form_apps["PORT unset, default"], "healthy")

    assert state["Log"][-1]["Output"].startswith("ok 200 GET http://127.0.0.1:8000/health ")
