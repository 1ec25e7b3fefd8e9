"""`hale stamp`: the baked provenance file from flags and OCI_IMAGE_* variables, written the way
an exec-form RUN in a scratch stage calls it (no shell: hale expands ${VAR} itself)."""

import json
import os
import subprocess
import stat

import pytest

OCI = "org.opencontainers.image."


def stamp(hale, *args, env=None):
    return hale("stamp", *args, env=env, clean_env=True)


def test_flags_write_the_schema_and_oci_keys_to_stdout(hale):
    run = stamp(hale, "--revision", "abc123", "--version", "1.2.3",
                "--created", "2026-01-02T03:04:05Z", "--base-name", "debian:bookworm-slim")
    assert run.code == 0, run
    assert json.loads(run.stdout) == {"schema": "hale.image/v1", OCI + "version": "1.2.3",
                                      OCI + "revision": "abc123",
                                      OCI + "created": "2026-01-02T03:04:05Z",
                                      OCI + "base.name": "debian:bookworm-slim"}


def test_build_arguments_named_oci_image_are_read_without_flags(hale):
    run = stamp(hale, env={"OCI_IMAGE_REVISION": "from-arg", "OCI_IMAGE_BASE_DIGEST":
                           "sha256:" + "a" * 64, "OCI_IMAGE_TITLE": ""})
    doc = json.loads(run.stdout)
    assert doc[OCI + "revision"] == "from-arg"
    assert doc[OCI + "base.digest"] == "sha256:" + "a" * 64
    assert OCI + "title" not in doc


def test_flags_win_over_variables(hale):
    doc = json.loads(stamp(hale, "--revision", "flag", env={"OCI_IMAGE_REVISION": "env"}).stdout)
    assert doc[OCI + "revision"] == "flag"


def test_arguments_are_expanded_like_an_exec_form_run_needs(hale):
    run = stamp(hale, "--revision", "${GIT_SHA}", "--version", "v${MAJOR:-0}.${MINOR:-9}",
                "--source", "${UNSET_URL:-}", env={"GIT_SHA": "feedbeef", "MAJOR": "3"})
    doc = json.loads(run.stdout)
    assert doc[OCI + "revision"] == "feedbeef"
    assert doc[OCI + "version"] == "v3.9"
    assert OCI + "source" not in doc


def test_output_file_gets_its_directories_and_is_readable_by_others(hale, tmp_path):
    target = tmp_path / "etc" / "hale" / "image.json"
    run = hale("stamp", "--output", str(target), "--revision", "abc", clean_env=True,
               prefix=("sh", "-c", 'umask 077; exec "$@"', "sh"))
    assert run.code == 0, run
    assert f"hale stamp: wrote {target} (1 key; revision abc)" in run.stderr
    assert json.loads(target.read_text())[OCI + "revision"] == "abc"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["image.json"]


def test_output_replaces_an_existing_file_whole(hale, tmp_path):
    target = tmp_path / "image.json"
    target.write_text("x" * 100000)
    assert stamp(hale, "-o", str(target), "--revision", "new").code == 0
    assert json.loads(target.read_text())[OCI + "revision"] == "new"


def test_what_stamp_writes_hale_about_reads_without_warnings(hale, tmp_path):
    target = tmp_path / "etc" / "hale" / "image.json"
    run = stamp(hale, "-o", str(target), "--revision", "abc", "--version", "1.0",
                "--created", "2026-01-02T03:04:05Z", "--source", "https://example.com/app",
                "--title", "app")
    assert run.code == 0, run
    about = hale("about", "--json", "--root", str(tmp_path), clean_env=True)
    image = json.loads(about.stdout)["image"]
    assert image["warnings"] == []
    assert {k: v["value"] for k, v in image["provenance"].items()} == {
        "title": "app", "version": "1.0", "revision": "abc", "created": "2026-01-02T03:04:05Z",
        "source": "https://example.com/app"}


def test_no_values_still_writes_the_schema_with_a_warning(hale):
    run = stamp(hale)
    assert run.code == 0, run
    assert json.loads(run.stdout) == {"schema": "hale.image/v1"}
    assert "warning: no value given" in run.stderr


@pytest.mark.parametrize("args, message", [
    (("--created", "yesterday"), "invalid --created 'yesterday': expected an RFC 3339 time"),
    (("--base-digest", "sha256:abc"), "invalid --base-digest 'sha256:abc': expected a digest"),
    (("--revision", "x" * 2000), "expected at most 1024 bytes"),
    (("--revision", "${NOT_SET}"), "NOT_SET is unset"),
    (("--revision", "${OPEN"), "unterminated"),
    (("--colour", "red"), "--colour"),
])
def test_invalid_values_are_usage_errors_with_exit_2(hale, args, message):
    run = stamp(hale, *args)
    assert run.code == 2, run
    assert message in run.stderr
    assert run.stdout == ""


def test_an_invalid_variable_is_an_error_too(hale):
    run = stamp(hale, env={"OCI_IMAGE_CREATED": "soon"})
    assert run.code == 2, run
    assert "invalid OCI_IMAGE_CREATED 'soon'" in run.stderr


def test_stdout_that_cannot_be_written_exits_1(hale_bin):
    with open("/dev/full", "w") as full:
        run = subprocess.run([hale_bin, "stamp", "--revision", "x"], stdout=full,
                             stderr=subprocess.PIPE, text=True, timeout=10)
    assert run.returncode == 1, run
    assert "hale stamp: cannot write stdout: no space left on device" in run.stderr


def test_an_unwritable_output_exits_1_and_leaves_nothing(hale, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    run = stamp(hale, "-o", str(blocker / "image.json"), "--revision", "x")
    assert run.code == 1, run
    assert "hale stamp: cannot write" in run.stderr and "not a directory" in run.stderr
    if os.geteuid() != 0:
        readonly = tmp_path / "ro"
        readonly.mkdir(mode=0o555)
        run = stamp(hale, "-o", str(readonly / "image.json"), "--revision", "x")
        assert run.code == 1, run
        assert list(readonly.iterdir()) == []
