"""`hale about` and `hale verify` inside real containers: hale's scratch image run with the
`docker run` flags users harden with (or weaken with), and a Debian image whose user was made
with useradd. Each verdict must follow the flag: the report comes from the running process,
not from the image or the command line."""

import json

import pytest

from rig import docker

# The user as the hardening guides say to make it, in a Debian image with hale copied in.
USERADD_DOCKERFILE = """\
FROM {hale} AS hale
FROM debian:bookworm-slim
RUN useradd -mr -s /bin/false -u 10001 app
COPY --from=hale /hale /usr/local/bin/hale
USER 10001
ENTRYPOINT ["/usr/local/bin/hale"]
"""

# The flags that make hale's image pass the default policy.
HARDENED = ("--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges")


@pytest.fixture(scope="module")
def useradd_image(rig_factory, hale_image, base_image):
    with rig_factory() as module_rig:
        yield module_rig.build(dockerfile_text=USERADD_DOCKERFILE.format(hale=hale_image.tag),
                               kind="useradd")


def about(rig, image, *options):
    """The JSON report of `hale about --json` in a fresh container run with OPTIONS."""
    run = rig.run(image, "about", "--json", options=options)
    assert run.returncode == 0, run
    return json.loads(run.stdout)


def verify(rig, image, *options, args=()):
    return rig.run(image, "verify", *args, options=options)


def statuses(doc):
    return {check["id"]: check["status"] for check in doc["checks"]}


def observed(doc, check_id):
    return next(check["observed"] for check in doc["checks"] if check["id"] == check_id)


# The image's own user, 10001:10001, with Docker's defaults.

def test_default_run_is_non_root_in_a_docker_container(rig, hale_image):
    doc = about(rig, hale_image)
    checks = statuses(doc)

    assert doc["identity"]["uid"] == 10001 and doc["identity"]["gid"] == 10001
    assert doc["identity"]["passwd_entry"] is False
    assert doc["runtime"]["container"] == "docker"
    assert len(doc["runtime"]["id"]) == 64
    assert checks["non-root-user"] == "pass"
    assert checks["non-root-group"] == "pass"
    assert checks["capabilities"] == "pass"
    assert checks["host-pid"] == "pass"
    assert checks["no-shells"] == "pass"
    assert checks["no-runtime-socket"] == "pass"
    # Docker's defaults leave these open.
    assert checks["no-new-privileges"] == "fail"
    assert checks["read-only-root"] == "warn"
    assert checks["bounding-set"] == "warn"


def test_default_run_fails_verify_on_no_new_privileges_only(rig, hale_image):
    run = verify(rig, hale_image)

    assert run.returncode == 1, run
    assert "1 check fails the policy" in run.stdout
    assert "FAIL no-new-privileges" in run.stdout
    assert "fix:      docker run --security-opt no-new-privileges" in run.stdout


# One flag at a time.

def test_user_with_root_group_is_flagged_with_an_identity_but_no_name(rig, hale_image):
    doc = about(rig, hale_image, "--user", "10001:0")

    assert doc["identity"] == {
        "uid": 10001, "gid": 0, "groups": [0], "name": None, "home": None,
        "login_shell": None, "interactive": None, "passwd_entry": False,
        "root_user": False, "root_group": True}
    assert statuses(doc)["non-root-group"] == "warn"
    assert statuses(doc)["non-root-user"] == "pass"


def test_root_user_fails_non_root_user_and_holds_dockers_capabilities(rig, hale_image):
    doc = about(rig, hale_image, "--user", "0")
    checks = statuses(doc)

    assert doc["identity"]["root_user"] is True
    assert checks["non-root-user"] == "fail"
    assert checks["high-uid"] == "warn"
    assert checks["capabilities"] == "warn"
    assert len(doc["capabilities"]["effective"]) == 14

    run = verify(rig, hale_image, "--user", "0")
    assert run.returncode == 1, run
    assert "FAIL non-root-user" in run.stdout


def test_read_only_flag_makes_read_only_root_pass(rig, hale_image):
    doc = about(rig, hale_image, "--read-only")

    assert statuses(doc)["read-only-root"] == "pass"
    assert doc["fs"]["read_only_root"] is True
    assert "/" not in doc["fs"]["writable"]


def test_cap_drop_all_empties_the_bounding_set(rig, hale_image):
    doc = about(rig, hale_image, "--cap-drop", "ALL")

    assert doc["capabilities"]["bounding"] == []
    assert statuses(doc)["bounding-set"] == "pass"


def test_cap_add_sys_admin_shows_in_the_bounding_set_and_fails_as_root(rig, hale_image):
    doc = about(rig, hale_image, "--cap-add", "SYS_ADMIN")
    assert "cap_sys_admin" in doc["capabilities"]["bounding"]
    assert statuses(doc)["bounding-set"] == "warn"
    assert "cap_sys_admin" in observed(doc, "bounding-set")

    as_root = about(rig, hale_image, "--cap-add", "SYS_ADMIN", "--user", "0")
    assert statuses(as_root)["capabilities"] == "fail"
    assert "beyond Docker's default set: cap_sys_admin" in observed(as_root, "capabilities")


def test_privileged_is_detected_even_for_a_non_root_user(rig, hale_image):
    doc = about(rig, hale_image, "--privileged")
    checks = statuses(doc)

    assert checks["not-privileged"] == "fail"
    assert checks["seccomp"] == "fail"
    assert checks["host-devices"] == "warn"
    assert verify(rig, hale_image, "--privileged").returncode == 1


def test_no_new_privileges_flag_passes_and_puts_the_bounding_set_out_of_reach(rig, hale_image):
    doc = about(rig, hale_image, "--security-opt", "no-new-privileges")

    assert statuses(doc)["no-new-privileges"] == "pass"
    assert statuses(doc)["bounding-set"] == "pass"


def test_read_only_docker_socket_still_fails(rig, hale_image):
    options = ("-v", "/var/run/docker.sock:/var/run/docker.sock:ro")
    doc = about(rig, hale_image, *options)

    assert statuses(doc)["no-runtime-socket"] == "fail"
    [socket] = doc["sockets"]
    assert (socket["mount"], socket["mount_ro"], socket["risk"]) == (
        "/var/run/docker.sock", True, "host-root")
    assert socket["runtime"] == "docker"

    run = verify(rig, hale_image, *HARDENED, *options)
    assert run.returncode == 1, run
    assert "FAIL no-runtime-socket" in run.stdout


def test_hardened_run_passes_verify_and_fails_only_on_warn(rig, hale_image):
    run = verify(rig, hale_image, *HARDENED)
    assert run.returncode == 0, run
    assert run.stdout.startswith("hale verify: ok")

    strict = verify(rig, hale_image, *HARDENED, args=("--fail-on", "warn"))
    assert strict.returncode == 1, strict


def test_policy_from_the_environment_in_a_container(rig, hale_image):
    run = verify(rig, hale_image, "--env", "HALE_VERIFY_IGNORE=no-new-privileges")
    assert run.returncode == 0, run
    run = verify(rig, hale_image, *HARDENED, "--env", "HALE_VERIFY_MIN_UID=20000")
    assert run.returncode == 1, run
    assert "high-uid" in run.stdout


def test_environment_values_stay_out_of_the_report(rig, hale_image):
    secret = "hunter2-must-not-appear"
    run = rig.run(hale_image, "about", "--json", env={"DB_PASSWORD": secret})

    assert run.returncode == 0, run
    assert secret not in run.stdout
    assert "DB_PASSWORD" in observed(json.loads(run.stdout), "secret-env")


# A Debian image with a system user made by useradd.

def test_useradd_system_user_has_an_entry_and_no_login_shell(rig, useradd_image):
    doc = about(rig, useradd_image)
    identity = doc["identity"]
    checks = statuses(doc)

    assert (identity["uid"], identity["name"], identity["login_shell"]) == (
        10001, "app", "/bin/false")
    assert identity["passwd_entry"] is True and identity["interactive"] is False
    assert identity["home"] == "/home/app"
    assert identity["gid"] != 0 and identity["root_group"] is False
    assert checks["passwd-entry"] == "pass"
    assert checks["no-login-shell"] == "pass"
    assert checks["non-root-group"] == "pass"
    # A Debian base brings shells and setuid binaries with it.
    assert checks["no-shells"] == "warn"
    assert "/usr/bin/bash" in observed(doc, "no-shells")
    assert checks["setuid-files"] == "warn"


def test_no_new_privileges_makes_debians_setuid_files_inert(rig, useradd_image):
    doc = about(rig, useradd_image, "--security-opt", "no-new-privileges")

    assert statuses(doc)["setuid-files"] == "pass"
    assert "inert" in observed(doc, "setuid-files")
