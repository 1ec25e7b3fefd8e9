"""The image section of `hale about`: provenance merged from the baked file, OCI_IMAGE_*
variables, a Downward API volume and (when asked) the Docker Engine API, each value with its
source; the layer report; bad and partial inputs as warnings with the rest still served."""

import json
import shutil
from pathlib import Path

import pytest

from fake_docker import FakeDocker, container_doc, history_doc, image_doc, short_hostname_tree

DATA = Path(__file__).resolve().parents[1] / "data" / "provenance"
APP = DATA / "app"
OCI = "org.opencontainers.image."
REPORT_DIGEST = "sha256:d62313a65a35776e39b085bd03fa87469018b62070019b044d858d9b1c2885f7"
CID = "3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e"
RUNNING_ID = "sha256:" + "ab" * 32


def image_of(run):
    assert run.code == 0, run
    return json.loads(run.stdout)["image"]


def about(hale, *args, env=None):
    return hale("about", "--json", *args, env=env, clean_env=True)


@pytest.fixture
def app_tree(tmp_path):
    """A writable copy of the app fixture tree."""
    tree = tmp_path / "app"
    shutil.copytree(APP, tree)
    return tree


def test_root_tree_serves_file_values_pod_and_layers(hale):
    image = image_of(about(hale, "--root", str(APP)))
    prov = image["provenance"]
    assert prov["title"] == {"value": "shop-api",
                             "source": f"file:{APP}/etc/hale/image.json"}
    assert prov["version"]["value"] == "2.4.1"
    assert prov["base_name"]["value"] == "docker.io/library/debian:bookworm-slim"
    # The pod's annotations name the same revision and, as the later source, win.
    assert prov["revision"] == {"value": "4f2c1e9a7b3d5c8e0f1a2b3c4d5e6f708192a3b4",
                                "source": f"downward-api:{APP}/etc/podinfo/annotations"}
    assert image["pod"]["name"] == "shop-api-7d9c5b-x2x4q"
    assert image["pod"]["labels"] == {"app": "shop-api", "pod-template-hash": "7d9c5b",
                                      "team": "payments"}
    layers = image["layers"]
    assert layers["describes"] == REPORT_DIGEST
    assert (layers["layer_count"], layers["wasted_bytes"]) == (3, 300000)
    assert layers["running_image"] == "unknown"
    assert image["docker"] is None and image["findings"] == []


def test_pod_annotations_other_than_provenance_never_show(hale):
    run = about(hale, "--root", str(APP))
    assert "hunter2" not in run.stdout
    assert "last-applied-configuration" not in run.stdout
    text = hale("about", "--root", str(APP), clean_env=True)
    assert "hunter2" not in text.stdout


def test_unknown_key_in_the_baked_file_is_one_warning(hale):
    warnings = image_of(about(hale, "--root", str(APP)))["warnings"]
    assert [w for w in warnings if "'maintainer'" in w] == [
        f"ignored 1 key in file:{APP}/etc/hale/image.json: 'maintainer' "
        "(expected org.opencontainers.image.* names)"]


def test_env_overrides_the_file_and_names_the_variable(hale):
    image = image_of(about(hale, "--root", str(APP),
                           env={"OCI_IMAGE_VERSION": "2.4.2-hotfix",
                                "OCI_IMAGE_SOURCE": "https://example.com/env"}))
    assert image["provenance"]["version"] == {"value": "2.4.2-hotfix",
                                              "source": "env:OCI_IMAGE_VERSION"}
    assert image["provenance"]["source"]["source"] == "env:OCI_IMAGE_SOURCE"
    assert image["provenance"]["created"]["source"].startswith("file:")


def test_a_sidecar_from_hales_image_told_the_apps_revision_shows_no_hale_values(hale, tmp_path):
    hale_file = tmp_path / "etc" / "hale" / "image.json"
    hale_file.parent.mkdir(parents=True)
    hale_file.write_text(json.dumps({"schema": "hale.image/v1", OCI + "title": "hale",
                                     OCI + "version": "0.1.0", OCI + "revision": "hale-rev"}))
    image = image_of(about(hale, "--root", str(tmp_path),
                           env={"OCI_IMAGE_REVISION": "app-rev", "OCI_IMAGE_VERSION": "2.4.1"}))
    assert image["provenance"] == {
        "version": {"value": "2.4.1", "source": "env:OCI_IMAGE_VERSION"},
        "revision": {"value": "app-rev", "source": "env:OCI_IMAGE_REVISION"}}
    assert any("the values of the other build are left out" in w for w in image["warnings"])


def test_pod_variables_win_over_the_volume(hale):
    image = image_of(about(hale, "--root", str(APP),
                           env={"POD_NAME": "renamed", "NODE_NAME": "node-7"}))
    assert image["pod"]["name"] == "renamed"
    assert image["pod"]["node"] == "node-7"
    assert "env:POD_NAME" in image["pod"]["sources"]


def test_flags_name_other_files_and_win_over_their_variables(hale, tmp_path):
    flagged = tmp_path / "flag.json"
    flagged.write_text(json.dumps({OCI + "revision": "from-flag"}))
    from_env = tmp_path / "env.json"
    from_env.write_text(json.dumps({OCI + "revision": "from-env-file"}))
    empty = tmp_path / "empty"
    empty.mkdir()

    image = image_of(about(hale, "--root", str(empty), "--image-file", str(flagged),
                           env={"HALE_IMAGE_FILE": str(from_env)}))
    assert image["provenance"]["revision"]["value"] == "from-flag"

    image = image_of(about(hale, "--root", str(empty), env={
        "HALE_IMAGE_FILE": str(from_env),
        "HALE_LAYERS_FILE": str(APP / "etc/hale/layers.json"),
        "HALE_PODINFO_DIR": str(APP / "etc/podinfo")}))
    assert image["provenance"]["revision"]["value"] == "4f2c1e9a7b3d5c8e0f1a2b3c4d5e6f708192a3b4"
    assert image["layers"]["layer_count"] == 3
    assert image["pod"]["namespace"] == "shop"


def test_given_files_that_are_missing_are_warnings_not_errors(hale, tmp_path):
    run = about(hale, "--root", str(tmp_path), "--image-file", str(tmp_path / "a.json"),
                "--layers-file", str(tmp_path / "b.json"), "--podinfo", str(tmp_path / "c"))
    warnings = "\n".join(image_of(run)["warnings"])
    for name in ("a.json", "b.json", "/c:"):
        assert name in warnings, warnings


def test_without_any_source_hale_shows_its_own_build(hale, tmp_path):
    image = image_of(about(hale, "--root", str(tmp_path)))
    assert image["provenance"]["title"] == {"value": "hale", "source": "build"}
    assert {field["source"] for field in image["provenance"].values()} == {"build"}
    assert any("showing hale's own build" in w for w in image["warnings"])
    version = hale("version").stdout.split()[1]
    assert image["provenance"]["version"]["value"] == version


@pytest.mark.parametrize("content, warning", [
    ("{not json", "not JSON"),
    ('{"%srevision": 7, "%sversion": "1.0"}' % (OCI, OCI), "expected a string, found a number"),
    ('["%srevision"]' % OCI, "expected a JSON object"),
    ('{"%screated": "last tuesday", "%sversion": "1.0"}' % (OCI, OCI), "RFC 3339"),
    ('{"%sversion": "1.0", "x": "' % OCI + "y" * 70000 + '"}', "larger than 65536 bytes"),
])
def test_bad_baked_files_warn_in_one_line_and_the_rest_is_served(hale, app_tree, content,
                                                                 warning):
    (app_tree / "etc/hale/image.json").write_text(content)
    image = image_of(about(hale, "--root", str(app_tree)))
    matching = [w for w in image["warnings"] if warning in w]
    assert len(matching) == 1, image["warnings"]
    assert "\n" not in matching[0]
    # The pod's annotation and the layer report are still there.
    assert image["provenance"]["revision"]["source"].startswith("downward-api:")
    assert image["layers"]["layer_count"] == 3


def test_a_layer_report_of_another_schema_is_not_served(hale, app_tree):
    path = app_tree / "etc/hale/layers.json"
    doc = json.loads(path.read_text())
    doc["schema"] = "something/else"
    path.write_text(json.dumps(doc))
    image = image_of(about(hale, "--root", str(app_tree)))
    assert image["layers"] is None
    assert any("the file is not served" in w for w in image["warnings"])


def test_a_layer_report_with_wrong_types_is_served_without_them(hale, app_tree):
    path = app_tree / "etc/hale/layers.json"
    doc = json.loads(path.read_text())
    doc["wasted_bytes"] = "lots"
    doc["layers"][0] = None
    path.write_text(json.dumps(doc))
    image = image_of(about(hale, "--root", str(app_tree)))
    assert image["layers"]["wasted_bytes"] is None
    assert image["layers"]["layer_count"] == 2
    assert image["layers"]["total_bytes"] == 600006
    assert any("invalid wasted_bytes" in w for w in image["warnings"])


def test_garbage_in_the_downward_api_volume_is_skipped_line_by_line(hale, app_tree):
    (app_tree / "etc/podinfo/labels").write_bytes(b'app="shop-api"\n\xff\xfe garbage\n'
                                                  b'team="payments"')
    image = image_of(about(hale, "--root", str(app_tree)))
    assert image["pod"]["labels"] == {"app": "shop-api", "team": "payments"}
    assert any("invalid line 2 in" in w for w in image["warnings"])


def test_text_report_shows_provenance_layers_and_pod(hale):
    run = hale("about", "--root", str(APP), clean_env=True)
    assert run.code == 0, run
    lines = run.stdout.splitlines()
    assert any(line.startswith("  image     shop-api 2.4.1, revision 4f2c1e9a") for line in lines)
    assert "image provenance (value, then where it came from):" in lines
    assert any(line.startswith("  base_name     docker.io/library/debian:bookworm-slim")
               for line in lines)
    assert "  3 layers, 600 kB, 300 kB wasted, efficiency 50.0%, score 42" in lines
    assert "pod: shop/shop-api-7d9c5b-x2x4q, 3 labels" in lines


def docker_fixture(layers_report, extra_layers=1, labels=None):
    """A fake engine whose container runs an image made of the report's layers plus
    `extra_layers` more (the `COPY layers.json` step)."""
    diff_ids = [layer["diff_id"] for layer in layers_report["layers"]]
    diff_ids += ["sha256:" + f"{i:02x}" * 32 for i in range(extra_layers)]
    labels = labels if labels is not None else {
        OCI + "revision": "from-docker-label", OCI + "version": "2.4.1",
        "com.docker.compose.project": "shop"}
    image_id = RUNNING_ID
    return dict(containers={CID: container_doc(CID, image_id, labels)},
                images={image_id: image_doc(image_id, diff_ids, labels)},
                histories={image_id: history_doc(["ADD rootfs /", "COPY app /app",
                                                  "COPY layers.json /etc/hale/layers.json"])})


def test_docker_api_tells_the_running_image_and_is_a_critical_finding(hale, app_tree, tmp_path):
    short_hostname_tree(app_tree, CID)
    report = json.loads((app_tree / "etc/hale/layers.json").read_text())
    socket_path = tmp_path / "docker.sock"
    with FakeDocker(socket_path, **docker_fixture(report)) as engine:
        image = image_of(about(hale, "--root", str(app_tree), "--docker-api",
                               env={"DOCKER_HOST": f"unix://{socket_path}"}))
    assert engine.paths == [f"/containers/{CID[:12]}/json", f"/images/{RUNNING_ID}/json",
                            f"/images/{RUNNING_ID}/history"]
    docker = image["docker"]
    assert docker["reached"] is True
    assert docker["container"] == {"id": CID[:12], "found_by": "hostname", "name": "/app"}
    assert docker["image"]["id"] == RUNNING_ID
    assert docker["image"]["layer_count"] == 4
    assert len(docker["history"]) == 3
    # The Docker labels come last in the merge, so they win over the pod annotation.
    assert image["provenance"]["revision"] == {"value": "from-docker-label",
                                               "source": "docker-api"}
    assert image["layers"]["running_image"] == "below"
    assert "adds 1 layer above them" in image["layers"]["running_image_detail"]
    assert [f["id"] for f in image["findings"]] == ["docker-api"]
    assert image["findings"][0]["severity"] == "critical"


def test_docker_api_says_when_the_report_is_of_another_image(hale, app_tree, tmp_path):
    short_hostname_tree(app_tree, CID)
    report = json.loads((app_tree / "etc/hale/layers.json").read_text())
    report["layers"][0]["diff_id"] = "sha256:" + "0" * 64
    socket_path = tmp_path / "docker.sock"
    with FakeDocker(socket_path, **docker_fixture(report)):
        image = image_of(about(hale, "--root", str(app_tree), env={
            "HALE_DOCKER_API": "1", "DOCKER_HOST": f"unix://{socket_path}"}))
    assert image["layers"]["running_image"] == "different"


def test_docker_api_is_off_unless_asked(hale, app_tree, tmp_path):
    short_hostname_tree(app_tree, CID)
    socket_path = tmp_path / "docker.sock"
    with FakeDocker(socket_path) as engine:
        image = image_of(about(hale, "--root", str(app_tree),
                               env={"DOCKER_HOST": f"unix://{socket_path}"}))
    assert engine.paths == []
    assert image["docker"] is None


@pytest.mark.parametrize("mode", ["hang", "endless"])
def test_a_docker_api_that_hangs_or_never_ends_costs_a_bounded_wait(hale, app_tree, tmp_path,
                                                                    mode):
    short_hostname_tree(app_tree, CID)
    socket_path = tmp_path / "docker.sock"
    with FakeDocker(socket_path, mode=mode):
        run = about(hale, "--root", str(app_tree), "--docker-api",
                    env={"DOCKER_HOST": f"unix://{socket_path}"})
    image = image_of(run)
    assert run.seconds < 10, run  # a hang bound (the budget is 2 s), not a speed measure
    assert image["docker"]["reached"] is False
    assert image["findings"] == []
    assert any(f"cannot get /containers/{CID[:12]}/json" in w for w in image["warnings"])
    # The files are still served.
    assert image["layers"]["layer_count"] == 3


def test_docker_api_without_a_socket_or_with_tcp_is_a_warning(hale, app_tree, tmp_path):
    short_hostname_tree(app_tree, CID)
    image = image_of(about(hale, "--root", str(app_tree), "--docker-api",
                           env={"DOCKER_HOST": f"unix://{tmp_path}/none.sock"}))
    assert any("no such file or directory" in w for w in image["warnings"])
    image = image_of(about(hale, "--root", str(app_tree), "--docker-api",
                           env={"DOCKER_HOST": "tcp://user:pw@10.0.0.1:2376"}))
    assert any("scheme 'tcp'" in w for w in image["warnings"])
    assert "pw@" not in json.dumps(image)

