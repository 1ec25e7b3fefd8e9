"""Arguments as exec-form HEALTHCHECK passes them: no shell, so hale expands ${VAR} and
ignores shell tokens; usage errors exit 1, never 2; output stays one short line."""

import pytest

from servers import HttpServer, Route


def test_trailing_shell_tokens_are_ignored_with_a_warning(hale):
    with HttpServer({"/": Route(200)}) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/", "||", "exit", "1")
    assert run.code == 0, run
    assert "ignoring '|| exit 1'" in run.stderr


def test_trailing_shell_tokens_do_not_hide_a_failure(hale):
    with HttpServer({"/": Route(500)}) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/", "||", "exit", "1")
    assert run.code == 1, run


def test_variable_in_url_is_expanded_from_the_environment(hale):
    with HttpServer({"/health": Route(200)}) as srv:
        run = hale("check", "http://127.0.0.1:${PORT}/health", env={"PORT": str(srv.port)})
    assert run.code == 0, run
    assert f":{srv.port}/health" in run.line


def test_unset_variable_fails_without_dialing(hale):
    run = hale("check", "http://127.0.0.1:${PORT}/health", clean_env=True)
    assert run.code == 1, run
    assert run.line == "fail PORT is unset"


def test_default_applies_when_variable_is_unset(hale):
    with HttpServer({"/": Route(200)}) as srv:
        run = hale("check", f"http://127.0.0.1:${{PORT:-{srv.port}}}/", clean_env=True)
    assert run.code == 0, run


def test_targets_can_come_from_the_environment(hale):
    with HttpServer({"/a": Route(200), "/b": Route(200)}) as srv:
        urls = f"http://127.0.0.1:{srv.port}/a   http://127.0.0.1:${{P}}/b"
        run = hale("check", env={"HALE_CHECK_URL": urls, "P": str(srv.port)})
        paths = sorted(r["path"] for r in srv.requests)
    assert run.code == 0, run
    assert paths == ["/a", "/b"]


def test_flags_can_come_from_the_environment(hale):
    with HttpServer({"/": Route(204, b"")}) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/",
                   env={"HALE_CHECK_ACCEPT": "200", "HALE_CHECK_METHOD": "get"})
    assert run.code == 1, run
    assert "fail 204 GET" in run.line


def test_headers_can_come_from_the_environment_one_per_line(hale):
    with HttpServer({"/": Route(200)}) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/",
                   env={"HALE_CHECK_HEADER": "X-A: 1\nX-B: ${B}", "B": "2"})
        headers = srv.requests[0]["headers"]
    assert run.code == 0, run
    assert headers["X-A"] == "1" and headers["X-B"] == "2"


@pytest.mark.parametrize("args", [
    [],
    ["notaurl"],
    ["http://"],
    ["https://127.0.0.1/"],
    ["--timeout", "forever", "http://127.0.0.1/"],
    ["--accept", "2000", "http://127.0.0.1/"],
    ["--no-such-flag", "http://127.0.0.1/"],
    ["-H", "broken header", "http://127.0.0.1/"],
    ["--method", "HEAD", "--expect-body", "x", "http://127.0.0.1/"],
    ["--proxy", "tcp://127.0.0.1:1", "http://127.0.0.1/"],
])
def test_usage_errors_exit_1_with_usage_on_stderr(hale, args):
    run = hale("check", *args)
    assert run.code == 1, run
    assert "usage: hale check" in run.stderr, run
    assert len(run.stderr.splitlines()) == 2, run


def test_help_exits_0_and_lists_the_flags(hale):
    run = hale("check", "--help")
    assert run.code == 0, run
    for flag in ["--timeout", "--accept", "--follow", "--method", "--header", "--expect-body",
                 "--proxy", "--verbose", "HALE_CHECK_TIMEOUT"]:
        assert flag in run.stdout


def test_unknown_command_exits_1(hale):
    assert hale("frobnicate").code == 1
    assert hale().code == 1


def test_version_prints_version_and_build(hale):
    run = hale("version")
    assert run.code == 0, run
    assert run.line.startswith("hale 0.")
    assert "revision" in run.line


def test_output_is_one_line_under_512_bytes_even_for_many_targets(hale):
    urls = [f"http://127.0.0.1:1/{'x' * 200}/{i}" for i in range(10)]
    run = hale("check", *urls)
    assert run.code == 1, run
    assert run.stdout.count("\n") == 1
    assert len(run.stdout.encode()) <= 512


def test_verbose_prints_each_step_on_stderr(hale):
    with HttpServer({"/": Route(200)}) as srv:
        run = hale("check", "-v", f"http://localhost:{srv.port}/")
    assert run.code == 0, run
    assert "resolve localhost -> 127.0.0.1 [::1] (localhost, no lookup)" in run.stderr
    assert "> GET / HTTP/1.1" in run.stderr
    assert "< HTTP/1.1 200 OK" in run.stderr
    assert run.stdout.count("\n") == 1
