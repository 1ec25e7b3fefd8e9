"""`hale about` run for real: as root, and under setpriv with reduced uid, groups,
capabilities and no_new_privs. The verdicts must follow the credentials the process got."""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import needs_root
from hardening import checks, needs_setpriv, report, setpriv, status

DATA = Path(__file__).resolve().parents[1] / "data" / "hardening"


@needs_root
def test_root_with_every_capability_fails_non_root_user_and_capabilities(hale):
    doc = report(hale("about", "--json"))
    assert doc["identity"]["uid"] == 0
    assert doc["identity"]["root_user"] is True
    assert status(doc, "non-root-user") == "fail"
    assert status(doc, "capabilities") in ("warn", "fail")
    assert doc["capabilities"]["effective"], doc["capabilities"]
    assert doc["status"] == "fail"


@needs_root
@needs_setpriv
def test_reduced_user_without_capabilities_passes_identity_and_privilege_checks(hale):
    doc = report(hale("about", "--json", prefix=setpriv()))
    identity = doc["identity"]
    assert (identity["uid"], identity["gid"], identity["groups"]) == (10001, 10001, [])
    assert identity["root_user"] is False and identity["root_group"] is False
    for check_id in ("non-root-user", "high-uid", "non-root-group", "capabilities",
                     "bounding-set", "no-new-privileges"):
        assert status(doc, check_id) == "pass", checks(doc)[check_id]
    assert doc["capabilities"]["bounding"] == []
    assert doc["capabilities"]["effective"] == []


@needs_root
@needs_setpriv
def test_root_group_is_flagged_for_a_non_root_user(hale):
    doc = report(hale("about", "--json", prefix=setpriv(gid=0)))
    assert doc["identity"]["root_group"] is True
    assert status(doc, "non-root-group") == "warn"
    assert status(doc, "non-root-user") == "pass"


@needs_root
@needs_setpriv
def test_supplementary_root_group_is_flagged(hale):
    doc = report(hale("about", "--json", prefix=setpriv(groups=[10001, 0])))
    assert sorted(doc["identity"]["groups"]) == [0, 10001]
    assert status(doc, "non-root-group") == "warn"


@needs_root
@needs_setpriv
def test_without_no_new_privs_the_check_fails_and_the_bounding_set_is_reachable(hale):
    doc = report(hale("about", "--json", prefix=setpriv(no_new_privs=False, drop_caps=False)))
    assert status(doc, "no-new-privileges") == "fail"
    assert status(doc, "bounding-set") == "warn"
    assert status(doc, "capabilities") == "pass"


@needs_root
@needs_setpriv
def test_low_uid_warns_high_uid(hale):
    doc = report(hale("about", "--json", prefix=setpriv(uid=1000, gid=1000)))
    assert status(doc, "high-uid") == "warn"
    assert checks(doc)["high-uid"]["observed"] == "uid 1000"


def test_report_carries_the_binarys_own_sha256(hale, hale_bin):
    doc = report(hale("about", "--json"))
    expected = hashlib.sha256(Path(hale_bin).read_bytes()).hexdigest()
    assert doc["hale"]["sha256"] == expected
    assert doc["hale"]["version"] and doc["hale"]["commit"]


def test_environment_values_never_appear_only_names(hale):
    secret = "s3cr3t-value-that-must-not-leak"
    run = hale("about", "--json", env={"DB_PASSWORD": secret, "API_TOKEN": secret,
                                       "DOCKER_HOST": f"tcp://{secret}:2375"})
    assert secret not in run.stdout
    doc = report(run)
    assert "DB_PASSWORD" in checks(doc)["secret-env"]["observed"]
    assert doc["docker_host_env"] == "tcp"
    text = hale("about", env={"DB_PASSWORD": secret})
    assert secret not in text.stdout


def test_fixture_with_read_only_root_and_socket_reports_mount_table_verdicts(hale):
    doc = report(hale("about", "--json", "--root", str(DATA / "readonly-root-docker-sock")))
    assert doc["fs"] == {"read_only_root": True, "writable": ["/tmp"]}
    assert [(s["mount"], s["source"], s["mount_ro"], s["risk"]) for s in doc["sockets"]] == [
        ("/var/run/docker.sock", "/user/1000/docker.sock", True, "host-root")]
    assert status(doc, "no-runtime-socket") == "fail"
    assert status(doc, "read-only-root") == "pass"


def test_fixture_like_gvisor_reports_seccomp_unknown(hale):
    doc = report(hale("about", "--json", "--root", str(DATA / "gvisor-like")))
    assert status(doc, "seccomp") == "skip"
    assert status(doc, "no-new-privileges") == "skip"
    assert "cap_63" in doc["capabilities"]["bounding"]


needs_static = pytest.mark.skipif(os.environ.get("HALE_STATIC") == "0",
                                  reason="a dynamic build cannot run in an empty root")


@needs_root
@needs_static
def test_empty_root_reports_skips_not_passes(hale_bin, tmp_path):
    # An empty root holding only the binary: FROM scratch with nothing mounted. Every check
    # that needs /proc must say skip, and a required one must fail verify.
    shutil.copy(hale_bin, tmp_path / "hale")
    about = subprocess.run(["chroot", str(tmp_path), "/hale", "about", "--json"],
                           capture_output=True, text=True, timeout=30)
    assert about.returncode == 0, about
    doc = json.loads(about.stdout)
    for check_id in ("non-root-user", "capabilities", "no-new-privileges", "seccomp",
                     "read-only-root", "host-pid", "memory-limit", "secret-env"):
        assert status(doc, check_id) == "skip", checks(doc)[check_id]
    assert doc["identity"]["uid"] is None
    assert doc["hale"]["sha256"] is None
    verify = subprocess.run(["chroot", str(tmp_path), "/hale", "verify", "--require",
                             "non-root-user"], capture_output=True, text=True, timeout=30)
    assert verify.returncode == 1, verify
    assert "required" in verify.stdout


def test_text_report_lists_every_check_id(hale):
    run = hale("about")
    assert run.code == 0, run
    assert run.stdout.startswith("hale about: ")
    doc = report(hale("about", "--json"))
    for check_id in checks(doc):
        assert f" {check_id}" in run.stdout, check_id


def test_unknown_option_is_a_usage_error_with_exit_2(hale):
    run = hale("about", "--bogus")
    assert run.code == 2, run
    assert "hale about:" in run.stderr and "--help" in run.stderr


def test_help_exits_0(hale):
    run = hale("about", "--help")
    assert run.code == 0, run
    assert "--json" in run.stdout
