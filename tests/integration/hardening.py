"""Helpers for the about/verify tests: setpriv prefixes that give the real binary reduced
credentials, and lookups into the JSON report."""

import json
import shutil

import pytest

needs_setpriv = pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv")


def setpriv(uid=10001, gid=10001, groups=None, no_new_privs=True, drop_caps=True):
    """A prefix that runs hale with real reduced credentials, like a hardened container."""
    prefix = ["setpriv", f"--reuid={uid}", f"--regid={gid}"]
    prefix += ["--clear-groups"] if not groups else [f"--groups={','.join(map(str, groups))}"]
    if drop_caps:
        prefix += ["--inh-caps=-all", "--bounding-set=-all"]
    if no_new_privs:
        prefix += ["--no-new-privs"]
    return prefix


def report(run):
    assert run.code == 0, run
    return json.loads(run.stdout)


def checks(doc):
    return {c["id"]: c for c in doc["checks"]}


def status(doc, check_id):
    return checks(doc)[check_id]["status"]
