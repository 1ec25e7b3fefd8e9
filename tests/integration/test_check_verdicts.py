"""hale check's verdict: status ranges, exit codes, the request it sends, redirects."""

import re

from servers import HttpServer, Route


def test_ok_status_exits_0_with_one_line(hale):
    with HttpServer({"/health": Route(200, b"ok")}) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/health")
    assert run.code == 0, run
    assert re.fullmatch(rf"ok 200 GET http://127\.0\.0\.1:{srv.port}/health \d+ms", run.line), run


def test_server_error_exits_1_and_names_status(hale):
    with HttpServer({"/health": Route(500, b"boom")}) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/health")
    assert run.code == 1, run
    assert run.line.startswith(f"fail 500 GET http://127.0.0.1:{srv.port}/health"), run
    assert "status not in 200-399" in run.line


def test_not_found_exits_1(hale):
    with HttpServer({}) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/missing")
    assert run.code == 1, run
    assert run.line.startswith("fail 404 GET"), run


def test_connection_refused_exits_1_at_once(hale, ):
    from servers import free_port
    port = free_port()
    run = hale("check", f"http://127.0.0.1:{port}/")
    assert run.code == 1, run
    assert run.line.startswith(f"fail connect 127.0.0.1:{port}: connection refused"), run
    assert run.seconds < 2, run


def test_default_request_is_get_http11_with_host_close_and_user_agent(hale):
    with HttpServer({"/": Route(200)}) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/")
        request = srv.requests[0]
    assert run.code == 0, run
    assert request["method"] == "GET"
    assert request["version"] == "HTTP/1.1"
    assert request["headers"]["Host"] == f"127.0.0.1:{srv.port}"
    assert request["headers"]["Connection"] == "close"
    assert re.fullmatch(r"hale/\d+\.\d+\.\d+", request["headers"]["User-Agent"])


def test_head_to_a_get_only_app_fails_and_says_get_works(hale):
    # http.server answers HEAD with 501 when only do_GET is defined, like many routers.
    with HttpServer({"/": Route(200)}) as srv:
        run = hale("check", "--method", "HEAD", f"http://127.0.0.1:{srv.port}/")
    assert run.code == 1, run
    assert run.line.startswith("fail 501 HEAD"), run
    assert "(server has no HEAD; default GET works)" in run.line


def test_custom_headers_are_sent_and_can_replace_defaults(hale):
    with HttpServer({"/": Route(200)}) as srv:
        run = hale("check", "-H", "X-Probe: yes", "-H", "User-Agent: kube-probe/1.30",
                   f"http://127.0.0.1:{srv.port}/")
        headers = srv.requests[0]["headers"]
    assert run.code == 0, run
    assert headers["X-Probe"] == "yes"
    assert headers["User-Agent"] == "kube-probe/1.30"


def test_empty_header_value_removes_a_default_header(hale):
    with HttpServer({"/": Route(200)}) as srv:
        hale("check", "-H", "User-Agent:", f"http://127.0.0.1:{srv.port}/")
        headers = srv.requests[0]["headers"]
    assert "User-Agent" not in headers


def test_userinfo_becomes_basic_authorization(hale):
    with HttpServer({"/": Route(200)}) as srv:
        run = hale("check", f"http://probe:s3cret@127.0.0.1:{srv.port}/")
        headers = srv.requests[0]["headers"]
    assert run.code == 0, run
    assert headers["Authorization"] == "Basic cHJvYmU6czNjcmV0"
    assert "s3cret" not in run.line


def test_accept_list_narrows_the_healthy_statuses(hale):
    with HttpServer({"/": Route(204, b"")}) as srv:
        assert hale("check", "--accept", "200", f"http://127.0.0.1:{srv.port}/").code == 1
        assert hale("check", "--accept", "200,204", f"http://127.0.0.1:{srv.port}/").code == 0


def test_accept_can_make_an_error_status_healthy(hale):
    with HttpServer({"/": Route(418, b"teapot")}) as srv:
        assert hale("check", "--accept", "418", f"http://127.0.0.1:{srv.port}/").code == 0


def test_expect_body_passes_when_text_is_in_the_body(hale):
    with HttpServer({"/": Route(200, b'{"status":"ready"}')}) as srv:
        run = hale("check", "--expect-body", '"ready"', f"http://127.0.0.1:{srv.port}/")
    assert run.code == 0, run


def test_expect_body_fails_when_text_is_missing(hale):
    with HttpServer({"/": Route(200, b'{"status":"starting"}')}) as srv:
        run = hale("check", "--expect-body", "ready", f"http://127.0.0.1:{srv.port}/")
    assert run.code == 1, run
    assert 'body does not contain "ready"' in run.line


def test_expect_body_searches_only_the_first_64_kib(hale):
    body = b"x" * (70 * 1024) + b"ready"
    with HttpServer({"/": Route(200, body)}) as srv:
        run = hale("check", "--expect-body", "ready", f"http://127.0.0.1:{srv.port}/")
    assert run.code == 1, run
    assert "the cap" in run.line


def test_several_targets_must_all_pass(hale):
    with HttpServer({"/ok": Route(200), "/bad": Route(503)}) as srv:
        good = f"http://127.0.0.1:{srv.port}/ok"
        bad = f"http://127.0.0.1:{srv.port}/bad"
        both_good = hale("check", good, good)
        one_bad = hale("check", good, bad)
    assert both_good.code == 0, both_good
    assert one_bad.code == 1, one_bad
    assert "ok 200" in one_bad.line and "fail 503" in one_bad.line
    assert one_bad.stdout.count("\n") == 1


# Redirects: by default the kubelet's verdict, 200-399 pass and nothing is followed.
REDIRECTS = {
    "/healthz": Route(301, b"", {"Location": "https://127.0.0.1:8443/healthz"}),
    "/": Route(302, b"", {"Location": "/login"}),
    "/login": Route(200, b"login page"),
    "/health": Route(307, b"", {"Location": "/health/"}),
    "/health/": Route(200, b"ok"),
    "/loop": Route(302, b"", {"Location": "/loop"}),
    "/elsewhere": Route(302, b"", {"Location": "http://other.invalid/"}),
}


def test_redirect_passes_by_default_and_is_named_not_followed(hale):
    with HttpServer(REDIRECTS) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/")
        paths = [r["path"] for r in srv.requests]
    assert run.code == 0, run
    assert run.line.startswith(f"ok 302 GET http://127.0.0.1:{srv.port}/ -> /login (not followed)")
    assert paths == ["/"]


def test_redirect_to_https_passes_by_default(hale):
    with HttpServer(REDIRECTS) as srv:
        run = hale("check", f"http://127.0.0.1:{srv.port}/healthz")
    assert run.code == 0, run


def test_redirects_fail_when_only_2xx_is_accepted_and_name_location(hale):
    with HttpServer(REDIRECTS) as srv:
        for path, location in [("/healthz", "https://127.0.0.1:8443/healthz"), ("/", "/login"),
                               ("/health", "/health/")]:
            run = hale("check", "--accept", "200-299", f"http://127.0.0.1:{srv.port}{path}")
            assert run.code == 1, run
            assert location in run.line, run


def test_follow_judges_the_final_response_on_the_same_host(hale):
    with HttpServer(REDIRECTS) as srv:
        login = hale("check", "--follow", "--accept", "200-299", f"http://127.0.0.1:{srv.port}/")
        slash = hale("check", "--follow", "--accept", "200-299",
                     f"http://127.0.0.1:{srv.port}/health")
    assert login.code == 0, login
    assert "(followed 302 -> /login)" in login.line
    assert slash.code == 0, slash


def test_follow_refuses_a_scheme_change(hale):
    with HttpServer(REDIRECTS) as srv:
        run = hale("check", "--follow", f"http://127.0.0.1:{srv.port}/healthz")
    assert run.code == 1, run
    assert "redirect changes scheme" in run.line


def test_follow_refuses_another_host(hale):
    with HttpServer(REDIRECTS) as srv:
        run = hale("check", "--follow", f"http://127.0.0.1:{srv.port}/elsewhere")
    assert run.code == 1, run
    assert "redirect changes host" in run.line


def test_follow_stops_after_five_hops(hale):
    with HttpServer(REDIRECTS) as srv:
        run = hale("check", "--follow", f"http://127.0.0.1:{srv.port}/loop")
        hops = len(srv.requests)
    assert run.code == 1, run
    assert "more than 5 redirects" in run.line
    assert hops == 6
