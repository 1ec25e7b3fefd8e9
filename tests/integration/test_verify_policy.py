"""`hale verify` as an entrypoint guard and a CI gate: exit 0 when the policy passes, 1 when
a check at or above its level fails (printing the fix), 2 for a usage error. Flags and their
HALE_VERIFY_* variables set the policy."""

from pathlib import Path

from conftest import needs_root
from hardening import needs_setpriv, setpriv

DATA = Path(__file__).resolve().parents[1] / "data" / "hardening"
SOCKET_TREE = str(DATA / "readonly-root-docker-sock")

# What a process run on the test machine itself cannot change with setpriv: no seccomp
# filter, the host's PID namespace, the machine's own Docker socket and devtmpfs /dev.
HOST_FACTS = "seccomp,host-pid,no-runtime-socket,no-host-mounts"


@needs_root
@needs_setpriv
def test_hardened_process_passes_the_default_policy(hale):
    run = hale("verify", "--ignore", HOST_FACTS, prefix=setpriv())
    assert run.code == 0, run
    assert run.line.startswith("hale verify: ok")


@needs_root
@needs_setpriv
def test_missing_no_new_privs_fails_with_the_fix(hale):
    run = hale("verify", "--ignore", HOST_FACTS, prefix=setpriv(no_new_privs=False))
    assert run.code == 1, run
    assert "1 check fails" in run.stdout
    assert "FAIL no-new-privileges" in run.stdout
    assert "--security-opt no-new-privileges" in run.stdout
    assert "allowPrivilegeEscalation: false" in run.stdout


@needs_root
def test_root_fails_the_default_policy(hale):
    run = hale("verify")
    assert run.code == 1, run
    assert "FAIL non-root-user" in run.stdout
    assert "USER 10001:10001" in run.stdout


@needs_root
@needs_setpriv
def test_fail_on_warn_turns_warnings_into_failures(hale):
    # Outside a container warnings remain (a writable root, no cgroup limits, ...).
    passing = hale("verify", "--ignore", HOST_FACTS, prefix=setpriv())
    assert passing.code == 0, passing
    strict = hale("verify", "--fail-on", "warn", "--ignore", HOST_FACTS, prefix=setpriv())
    assert strict.code == 1, strict
    assert "WARN " in strict.stdout
    assert "FAIL " not in strict.stdout


def test_ignored_failures_do_not_fail(hale):
    args = ("verify", "--root", SOCKET_TREE)
    assert hale(*args).code == 1
    run = hale(*args, "--ignore", "no-runtime-socket")
    assert run.code == 0, run


def test_required_check_fails_on_a_warning(hale):
    run = hale("verify", "--root", SOCKET_TREE, "--ignore", "no-runtime-socket",
               "--require", "memory-limit")
    assert run.code == 1, run
    assert "WARN memory-limit (required)" in run.stdout


def test_required_check_fails_on_a_skip(hale):
    run = hale("verify", "--root", str(DATA / "gvisor-like"), "--require", "seccomp")
    assert run.code == 1, run
    assert "SKIP seccomp (required)" in run.stdout


def test_min_uid_above_the_uid_fails(hale):
    args = ("verify", "--root", SOCKET_TREE, "--ignore", "no-runtime-socket")
    assert hale(*args, "--min-uid", "10000").code == 0
    run = hale(*args, "--min-uid", "20000")
    assert run.code == 1, run
    assert "high-uid" in run.stdout and "uid >= 20000" in run.stdout


def test_environment_variables_set_the_policy(hale):
    base = ("verify", "--root", SOCKET_TREE)
    env = {"HALE_VERIFY_IGNORE": "no-runtime-socket"}
    assert hale(*base, env=env).code == 0
    assert hale(*base, env={**env, "HALE_VERIFY_FAIL_ON": "warn"}).code == 1
    assert hale(*base, env={**env, "HALE_VERIFY_REQUIRE": "pids-limit"}).code == 1
    assert hale(*base, env={**env, "HALE_VERIFY_MIN_UID": "65536"}).code == 1


def test_flag_wins_over_environment(hale):
    run = hale("verify", "--root", SOCKET_TREE, "--ignore", "no-runtime-socket",
               "--fail-on", "fail", env={"HALE_VERIFY_FAIL_ON": "warn"})
    assert run.code == 0, run


def test_unknown_check_id_is_a_usage_error_listing_the_ids(hale):
    run = hale("verify", "--require", "no-such-check")
    assert run.code == 2, run
    assert "invalid check id 'no-such-check'" in run.stderr
    assert "non-root-user" in run.stderr


def test_bad_values_are_usage_errors(hale):
    for args in (("--fail-on", "skip"), ("--min-uid", "-5"), ("--min-uid", "lots"),
                 ("--require", "seccomp", "--ignore", "seccomp"), ("--bogus",)):
        run = hale("verify", *args)
        assert run.code == 2, run
        assert run.stderr.startswith("hale verify: "), run
        assert len(run.stderr.splitlines()) == 2, run


def test_bad_environment_value_is_a_usage_error(hale):
    run = hale("verify", env={"HALE_VERIFY_FAIL_ON": "sometimes"})
    assert run.code == 2, run
    assert "invalid fail-on level 'sometimes'" in run.stderr
