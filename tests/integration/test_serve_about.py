"""hale serve's /about and --verify: the hardening report of `hale about`, served."""

import hashlib
import html.parser
import json
import os
import subprocess

import pytest

from conftest import needs_root
from hardening import needs_setpriv, setpriv
from sidecar import Sidecar

# What Chromium sends for a page typed into its address bar.
BROWSER_ACCEPT = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
                  "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")


class PageText(html.parser.HTMLParser):
    """The text of an HTML page, and of its <code> elements, with every tag checked closed."""

    VOID = {"meta", "br", "wbr"}

    def __init__(self, page):
        super().__init__()
        self.open = []
        self.text = []
        self.code = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self.open and self.open[-1] == "code":
            self.code.append(data)


@pytest.fixture(scope="module")
def serving(hale_bin):
    with Sidecar(hale_bin) as sidecar:
        yield sidecar


def test_about_serves_the_same_checks_as_hale_about(serving, hale_bin):
    reply = serving.get("/about")
    assert reply.status == 200, reply
    assert reply.headers["content-type"].startswith("application/json")
    served = reply.json()
    local = json.loads(subprocess.run([hale_bin, "about", "--json"], capture_output=True,
                                      text=True, check=True).stdout)
    assert [c["id"] for c in served["checks"]] == [c["id"] for c in local["checks"]]
    assert served["identity"]["uid"] == os.geteuid()


def test_about_names_the_running_binary_by_its_sha256(serving, hale_bin):
    with open(hale_bin, "rb") as f:
        expected = hashlib.sha256(f.read()).hexdigest()
    assert serving.get("/about").json()["hale"]["sha256"] == expected


def test_about_text_form_on_request(serving):
    reply = serving.get("/about?format=text")
    assert reply.status == 200, reply
    assert reply.headers["content-type"].startswith("text/plain")
    assert "non-root-user" in reply.text


def test_about_answers_a_browser_with_a_page_listing_every_check(serving):
    reply = serving.get("/about", headers={"Accept": BROWSER_ACCEPT})
    assert reply.status == 200, reply
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in reply.headers["content-security-policy"]
    page = PageText(reply.text)
    assert page.open == [], "every element is closed"
    checks = serving.get("/about").json()["checks"]
    assert [c["id"] for c in checks if c["id"] in page.code] == [c["id"] for c in checks]


def test_about_never_shows_environment_values(hale_bin):
    secret = "s3cr3t-value-that-must-not-leak"
    with Sidecar(hale_bin, env={"DATABASE_PASSWORD": secret, "API_TOKEN": secret}) as sidecar:
        json_body = sidecar.get("/about").text
        text_body = sidecar.get("/about?format=text").text
        html_body = sidecar.get("/about?format=html").text
        metrics = sidecar.get("/metrics").text
    assert "DATABASE_PASSWORD" in json_body
    for body in (json_body, text_body, html_body, metrics):
        assert secret not in body


def test_metrics_carry_the_hardening_check_states(serving):
    body = serving.get("/metrics").text
    doc = serving.get("/about").json()
    for check in doc["checks"]:
        line = f'hale_hardening_check{{check="{check["id"]}",status="{check["status"]}"}} 1'
        assert line in body


@needs_root
def test_verify_refuses_to_start_as_root(hale_bin):
    proc = subprocess.run([hale_bin, "serve", "--listen", "127.0.0.1:0", "--verify",
                           "--require", "non-root-user"], capture_output=True, text=True,
                          timeout=30)
    assert proc.returncode == 1, proc
    assert "non-root-user" in proc.stdout + proc.stderr
    assert "hardening policy failed, not starting" in proc.stderr
    assert "hale serve starting" not in proc.stderr


@needs_root
@needs_setpriv
def test_verify_lets_a_process_start_when_the_policy_passes(hale_bin):
    # This machine is no container (no seccomp, host namespaces): ignore what the host itself
    # fails, as `hale about` reports it, and require what setpriv really changes.
    about = subprocess.run([*setpriv(), hale_bin, "about", "--json"], capture_output=True,
                           text=True, check=True)
    host_failures = [c["id"] for c in json.loads(about.stdout)["checks"]
                     if c["status"] == "fail"]
    assert "non-root-user" not in host_failures
    ignore = ["--ignore", ",".join(host_failures)] if host_failures else []
    with Sidecar(hale_bin, "--verify", "--require", "non-root-user,no-new-privileges", *ignore,
                 prefix=setpriv()) as sidecar:
        assert sidecar.get("/livez").status == 200
        assert sidecar.has_log("hardening policy passed")


def test_verify_policy_errors_are_usage_errors(hale_bin):
    proc = subprocess.run([hale_bin, "serve", "--verify", "--require", "no-such-check"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0, proc
    assert "no-such-check" in proc.stderr
