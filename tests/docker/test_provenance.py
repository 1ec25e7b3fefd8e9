"""Image provenance and layer metadata at /about, end to end: the example app built with build
arguments (hale stamp bakes them, the labels repeat them), saved, inspected by hale, given its
layer report by a last build step, and run with hale as a sidecar from the app's own image;
then the other ways in: a report mounted from a volume into a sidecar from hale's image, told
the revision by environment, and the Docker Engine API."""

import json
import os
import secrets
import shutil
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from rig import ROOT, docker, inspect, wait_until

OCI = "org.opencontainers.image."
VERSION = "1.4.2"
SOURCE = "https://git.example.com/shop/python-app"


@dataclass
class Stamped:
    app: str           # examples/python-app built with the OCI_IMAGE_* build arguments
    final: str         # app plus its layer report (examples/layers-report)
    revision: str
    created: str
    report: dict       # what hale inspect --report wrote for `app`
    inspected: dict    # hale inspect --json of the same archive
    workdir: Path


def hale_in_image(rig, hale_image, workdir, *args):
    """hale from its own image, with WORKDIR at /work."""
    run = rig.run(hale_image, *args, options=("-v", f"{workdir}:/work"), timeout=300)
    assert run.returncode == 0, run
    return run


@pytest.fixture(scope="module")
def stamped(rig_factory, hale_image, tmp_path_factory):
    revision = secrets.token_hex(20)
    created = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    workdir = tmp_path_factory.mktemp("provenance")
    workdir.chmod(0o777)  # hale's image runs as uid 10001
    with rig_factory() as module_rig:
        # The app, stamped from build arguments.
        app = module_rig.build(ROOT / "examples" / "python-app", kind="prov-app", build_args={
            "HALE_IMAGE": hale_image.tag, "OCI_IMAGE_REVISION": revision,
            "OCI_IMAGE_VERSION": VERSION, "OCI_IMAGE_CREATED": created,
            "OCI_IMAGE_SOURCE": SOURCE})

        # Saved and inspected by hale: the report file, and the JSON to check it against.
        archive = workdir / "app.tar"
        docker("save", "--output", archive, app, timeout=300)
        archive.chmod(0o644)
        hale_in_image(module_rig, hale_image.tag, workdir, "inspect", "--report",
                      "/work/layers.json", "/work/app.tar")
        inspected = json.loads(hale_in_image(module_rig, hale_image.tag, workdir, "inspect",
                                             "--json", "/work/app.tar").stdout)
        report = json.loads((workdir / "layers.json").read_text())
        archive.unlink()

        # The last build step adds the report for the layers below it.
        context = workdir / "context"
        context.mkdir()
        shutil.copy(ROOT / "examples" / "layers-report" / "Dockerfile", context)
        shutil.copy(workdir / "layers.json", context)
        (context / "layers.json").chmod(0o644)
        final = module_rig.build(context, kind="prov-final", build_args={"APP_IMAGE": app})
        yield Stamped(app, final, revision, created, report, inspected, workdir)


def published_port(container, port):
    mapping = docker("port", container, f"{port}/tcp").stdout.split()[0]
    return int(mapping.rsplit(":", 1)[1])


def get(port, path, accept="application/json"):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode()


def wait_for_about(port):
    def answered():
        try:
            return json.loads(get(port, "/about"))
        except OSError:
            return None
    return wait_until(answered, 30, interval=0.2, describe=lambda: f"/about on port {port}")


def test_hale_image_stamps_itself_in_its_scratch_stage(rig, hale_image):
    # hale's final stage is FROM scratch with only /hale: the exec-form RUN of hale stamp ran
    # there, and expanded the build arguments itself.
    labels = inspect(hale_image.tag, "{{json .Config.Labels}}", kind="image")
    run = rig.run(hale_image, "about", "--json")
    image = json.loads(run.stdout)["image"]

    source = "file:/etc/hale/image.json"
    assert image["provenance"]["revision"] == {"value": labels[OCI + "revision"],
                                               "source": source}
    for field in ("title", "version", "created", "description"):
        assert image["provenance"][field]["value"] == labels[OCI + field], field


def test_app_labels_and_baked_file_carry_the_build_arguments(rig, stamped):
    labels = inspect(stamped.final, "{{json .Config.Labels}}", kind="image")
    baked = json.loads(rig.run(stamped.final, "cat", "/etc/hale/image.json").stdout)

    assert baked.pop("schema") == "hale.image/v1"
    assert baked == {key: value for key, value in labels.items() if key.startswith(OCI)}
    assert baked[OCI + "revision"] == stamped.revision
    assert baked[OCI + "created"] == stamped.created


def test_sidecar_from_the_app_image_shows_the_build_revision_and_the_inspected_layers(
        rig, stamped):
    app = rig.start(stamped.final, options=["-p", "127.0.0.1::8086", "--no-healthcheck"])
    rig.start(stamped.final, "serve", "--probe", "app=http://127.0.0.1:8000/health",
              options=["--network", f"container:{app}", "--read-only",
                       "--entrypoint", "/usr/local/bin/hale"])
    port = published_port(app, 8086)
    image = wait_for_about(port)["image"]

    # What the build was given.
    provenance = image["provenance"]
    assert provenance["revision"] == {"value": stamped.revision,
                                      "source": "file:/etc/hale/image.json"}
    assert provenance["version"]["value"] == VERSION
    assert provenance["created"]["value"] == stamped.created
    assert provenance["source"]["value"] == SOURCE
    assert image["warnings"] == []

    # What hale inspect computed on the saved app image, which is every layer but the last.
    app_layers = inspect(stamped.app, "{{json .RootFS.Layers}}", kind="image")
    final_layers = inspect(stamped.final, "{{json .RootFS.Layers}}", kind="image")
    layers = image["layers"]
    assert layers["layer_count"] == len(app_layers) == len(stamped.inspected["layers"])
    assert len(final_layers) == len(app_layers) + 1
    assert layers["wasted_bytes"] == stamped.inspected["wasted_bytes"]
    assert layers["total_bytes"] == stamped.inspected["total_bytes"]
    assert [layer["diff_id"] for layer in layers["layers"]] == app_layers
    assert layers["describes"] == inspect(stamped.app, "{{json .Id}}", kind="image")
    assert layers["running_image"] == "unknown"  # no Docker API here

    text = get(port, "/about", accept="text/plain")
    assert f"revision {stamped.revision}" in text
    assert f"  {len(app_layers)} layers, " in text
    page = get(port, "/about", accept="text/html")
    assert f"revision {stamped.revision}" in page
    assert f"  {len(app_layers)} layers, " in page
    metrics = get(port, "/metrics").splitlines()
    assert (f'hale_image_build_info{{revision="{stamped.revision}",version="{VERSION}"}} 1'
            in metrics)


def test_report_from_a_volume_into_a_sidecar_from_hales_image(rig, stamped, hale_image):
    # A named volume holds the report (a ConfigMap's directory in Kubernetes); hale's image knows
    # nothing of the app, so the deployer hands in its revision through the environment.
    volume = rig.volume()
    holder = rig.name("prov-holder")
    docker("create", "--name", holder, "-v", f"{volume}:/reports", hale_image.tag)
    try:
        docker("cp", stamped.workdir / "layers.json", f"{holder}:/reports/layers.json")
    finally:
        docker("rm", "-f", holder)

    app = rig.start(stamped.app, options=["-p", "127.0.0.1::8086", "--no-healthcheck"])
    rig.start(hale_image, "serve", "--probe", "app=http://127.0.0.1:8000/health",
              options=["--network", f"container:{app}", "--read-only",
                       "-v", f"{volume}:/etc/hale/reports:ro"],
              env={"HALE_LAYERS_FILE": "/etc/hale/reports/layers.json",
                   "OCI_IMAGE_REVISION": stamped.revision, "OCI_IMAGE_VERSION": VERSION})
    image = wait_for_about(published_port(app, 8086))["image"]

    assert image["provenance"] == {
        "version": {"value": VERSION, "source": "env:OCI_IMAGE_VERSION"},
        "revision": {"value": stamped.revision, "source": "env:OCI_IMAGE_REVISION"}}
    # hale's own baked file names another revision: none of its values is mixed in.
    assert any("the values of the other build are left out" in w for w in image["warnings"])
    assert image["layers"]["source"] == "file:/etc/hale/reports/layers.json"
    assert image["layers"]["layer_count"] == len(stamped.inspected["layers"])
    assert image["layers"]["wasted_bytes"] == stamped.inspected["wasted_bytes"]


def docker_socket():
    host = os.environ.get("DOCKER_HOST", "")
    return host[len("unix://"):] if host.startswith("unix://") else "/var/run/docker.sock"


def test_docker_api_names_the_running_image_and_finds_the_report_below_it(rig, stamped):
    socket = docker_socket()
    app = rig.start(stamped.final, options=["--no-healthcheck"])
    run = rig.run(stamped.final, "about", "--json", "--docker-api", options=[
        "--network", f"container:{app}", "--entrypoint", "/usr/local/bin/hale",
        "-v", f"{socket}:/var/run/docker.sock", "--group-add", str(os.stat(socket).st_gid)])
    assert run.returncode == 0, run
    image = json.loads(run.stdout)["image"]

    # Docker gives a container in another's network namespace that one's hostname, so the API
    # describes the app's container: the one whose image a sidecar reports.
    docker_part = image["docker"]
    app_id = inspect(app, "{{json .Id}}", kind="container")
    assert docker_part["reached"] is True
    assert app_id.startswith(docker_part["container"]["id"])
    assert docker_part["container"]["found_by"] == "hostname"
    assert docker_part["image"]["id"] == inspect(stamped.final, "{{json .Id}}", kind="image")
    assert image["provenance"]["revision"] == {"value": stamped.revision, "source": "docker-api"}
    assert image["layers"]["running_image"] == "below"
    assert "adds 1 layer above them" in image["layers"]["running_image_detail"]
    assert [finding["severity"] for finding in image["findings"]] == ["critical"]
