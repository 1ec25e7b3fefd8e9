"""hale's own image, built from the repository's Dockerfile: what it holds and what it says."""

import io
import json
import re
import shutil
import subprocess
import tarfile

import pytest

from rig import ROOT, inspect

OCI = "org.opencontainers.image."
RFC3339_UTC = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


@pytest.fixture(scope="module")
def saved_layers(hale_image):
    """The image's layers from `docker save`, each as a list of TarInfo members."""
    archive = tarfile.open(fileobj=io.BytesIO(docker_save(hale_image.tag)))
    manifest = json.load(archive.extractfile("manifest.json"))
    layers = []
    for path in manifest[0]["Layers"]:
        layer = tarfile.open(fileobj=io.BytesIO(archive.extractfile(path).read()))
        layers.append((layer, layer.getmembers()))
    return layers


def docker_save(image):
    return subprocess.run(["docker", "save", image], capture_output=True, check=True,
                          timeout=120).stdout


def test_hale_image_holds_only_hale_and_its_provenance_file_owned_by_root(saved_layers):
    members = [member for _, layer_members in saved_layers for member in layer_members]

    assert [member.name for member in members] == ["hale", "etc", "etc/hale",
                                                   "etc/hale/image.json"]
    assert members[0].isfile()
    # Owned by root and not writable by the image's user 10001.
    assert (members[0].uid, members[0].gid, members[0].mode & 0o7777) == (0, 0, 0o755)
    assert all((m.uid, m.gid) == (0, 0) and not m.mode & 0o022 for m in members)


def test_file_reports_hale_in_image_as_static_and_stripped(saved_layers, tmp_path):
    if shutil.which("file") is None:
        pytest.fail("`file` is missing: scripts/install-deps docker installs it")
    layer, members = saved_layers[0]
    binary = tmp_path / "hale"
    binary.write_bytes(layer.extractfile(members[0]).read())

    description = subprocess.run(["file", "-b", binary], capture_output=True, text=True,
                                 check=True).stdout

    assert "statically linked" in description, description
    assert ", stripped" in description, description


def test_hale_image_runs_hale_as_uid_10001(hale_image):
    config = inspect(hale_image.tag, "{{json .Config}}", kind="image")

    assert config["User"] == "10001:10001"
    assert config["Entrypoint"] == ["/hale"]


def test_hale_image_labels_match_build_info_of_binary(rig, hale_image):
    labels = inspect(hale_image.tag, "{{json .Config.Labels}}", kind="image")
    result = rig.run(hale_image, "version")

    # e.g. "hale 0.1.0 (revision 1234abcd..., built 2026-01-02T03:04:05Z, GNU 12.2.0, static)"
    match = re.match(r"hale (\S+) \(revision (\S+), built (\S+), .*\bstatic\)$",
                     result.stdout.strip())
    assert result.returncode == 0 and match, result
    version, revision, built = match.groups()
    assert labels[OCI + "version"] == version
    assert labels[OCI + "revision"] == revision
    assert labels[OCI + "created"] == built
    assert re.fullmatch(RFC3339_UTC, built), built
    if (ROOT / ".git").exists():
        assert revision != "unknown", "scripts/build-image passes the git revision"
    assert OCI + "source" in labels


def test_hale_image_without_arguments_prints_help_and_exits_0(rig, hale_image):
    result = rig.run(hale_image)

    assert result.returncode == 0, result
    assert result.stdout.startswith("usage: hale COMMAND"), result
