"""`hale inspect` on real images: the three versions of examples/layers-app (one stage;
multi-stage; multi-stage into scratch with COPY --chown, a high-UID system user and no shell),
saved with `docker save`, converted with skopeo, and read by hale from its own image."""

import gzip
import json
import shutil
import subprocess
import time

import pytest

from rig import ROOT, docker, wait_for_health

APP = ROOT / "examples" / "layers-app"
VERSIONS = ("single", "multi", "hardened")
# Every way the same image is stored: docker save, gzipped, and skopeo's conversions (OCI
# archive with gzip layers, OCI directory with zstd layers, docker-archive as podman writes it).
FORMATS = ("docker-save.tar", "docker-save.tar.gz", "oci.tar", "oci-zstd", "skopeo-docker.tar")


def skopeo(*args):
    proc = subprocess.run(["skopeo", *args], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"skopeo {' '.join(args)}: {proc.stderr}"


@pytest.fixture(scope="module")
def app_images(rig_factory, hale_image, base_image):
    """The three versions, built once for the module (their build stages share one cache)."""
    with rig_factory() as module_rig:
        images = {}
        for version in VERSIONS:
            start = time.monotonic()
            images[version] = module_rig.build(
                APP, dockerfile_text=(APP / f"Dockerfile.{version}").read_text(),
                build_args={"HALE_IMAGE": hale_image.tag}, kind=f"layers-{version}")
            print(f"built {version} in {time.monotonic() - start:.1f}s")
        yield images


@pytest.fixture(scope="module")
def archives(app_images, tmp_path_factory):
    """{version: {format: path in hale's container}}: each image saved once, then converted
    from that file."""
    if shutil.which("skopeo") is None:
        pytest.fail("skopeo is missing: scripts/install-deps docker installs it")
    root = tmp_path_factory.mktemp("inspect-archives")
    paths = {}
    for version, tag in app_images.items():
        base = root / version
        saved = base.with_suffix(".docker-save.tar")
        docker("save", "--output", saved, tag, timeout=600)
        with open(saved, "rb") as plain, gzip.open(f"{saved}.gz", "wb", compresslevel=1) as out:
            shutil.copyfileobj(plain, out, 1 << 20)
        source = f"docker-archive:{saved}"
        skopeo("copy", "--quiet", "--dest-compress-format", "gzip", source,
               f"oci-archive:{base}.oci.tar")
        skopeo("copy", "--quiet", "--dest-compress-format", "zstd", source, f"oci:{base}.oci-zstd")
        skopeo("copy", "--quiet", source, f"docker-archive:{base}.skopeo-docker.tar:{tag}")
        paths[version] = {fmt: f"/images/{version}.{fmt}" for fmt in FORMATS}
    # hale runs as uid 10001 in its image; `docker save --output` writes mode 0600.
    subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
    yield root, paths
    shutil.rmtree(root)  # about 2 GB; pytest would keep it for three sessions


@pytest.fixture(scope="module")
def reports(rig_factory, hale_image, archives):
    """{version: {format: JSON report}} from `hale inspect --json` in hale's own image."""
    root, paths = archives
    out = {}
    with rig_factory() as module_rig:
        for version, by_format in paths.items():
            out[version] = {}
            for fmt, path in by_format.items():
                proc = module_rig.run(hale_image.tag, "inspect", "--json", path,
                                      options=("-v", f"{root}:/images:ro"), timeout=300)
                assert proc.returncode == 0, f"{path}: {proc.stderr}"
                out[version][fmt] = json.loads(proc.stdout)
    return out


def accounting(report):
    """What must not depend on how the image is stored."""
    return {
        "layers": [(l["diff_id"], l["size_bytes"], l["files"], l["command"])
                   for l in report["layers"]],
        "totals": (report["total_bytes"], report["final_bytes"], report["wasted_bytes"],
                   report["dive_wasted_bytes"], report["efficiency"]),
        "ghosts": [(g["path"], tuple(g["layers"]), g["wasted"], g["reason"])
                   for g in report["ghosts"]],
        "paths": [(p["path"], p["class"], p["bytes"]) for p in report["paths"]],
        # The OCI config has no Healthcheck field, so skopeo's OCI conversions drop it.
        "findings": [f["id"] for f in report["findings"] if "healthcheck" not in f["id"]],
        "root": report["runs_as_root"],
        "shells": report["shells"],
    }


@pytest.mark.parametrize("version", VERSIONS)
def test_every_format_gives_the_same_numbers(reports, version):
    by_format = reports[version]
    reference = accounting(by_format["docker-save.tar"])
    for fmt, report in by_format.items():
        assert accounting(report) == reference, f"{version}: {fmt} differs from docker save"


@pytest.mark.parametrize("version", VERSIONS)
def test_each_format_is_read_as_what_it_is(reports, version):
    by_format = reports[version]
    assert by_format["docker-save.tar"]["format"] == "docker-archive"
    assert by_format["docker-save.tar.gz"]["compression"] == "gzip"
    assert by_format["oci.tar"]["format"] == "oci-archive"
    assert {l["compression"] for l in by_format["oci.tar"]["layers"]} == {"gzip"}
    assert by_format["oci-zstd"]["format"] == "oci-layout"
    assert {l["compression"] for l in by_format["oci-zstd"]["layers"]} == {"zstd"}
    for layer in by_format["oci.tar"]["layers"]:
        assert layer["compressed_bytes"] < layer["uncompressed_bytes"]


def test_oci_conversion_drops_the_healthcheck_and_hale_says_so(reports):
    ids = {fmt: {f["id"] for f in report["findings"]}
           for fmt, report in reports["hardened"].items()}
    for fmt in ("docker-save.tar", "docker-save.tar.gz", "skopeo-docker.tar"):
        assert "no-healthcheck" not in ids[fmt], fmt
    for fmt in ("oci.tar", "oci-zstd"):
        assert "no-healthcheck" in ids[fmt], fmt


def ghost_paths(report, prefix="/app/"):
    return sorted(g["path"] for g in report["ghosts"] if g["path"].startswith(prefix))


def test_chown_after_copy_leaves_ghosts_in_the_first_two_versions(reports):
    app_files = ["/app/server", "/app/static/app.js", "/app/static/index.html"]
    for version in ("single", "multi"):
        report = reports[version]["docker-save.tar"]
        assert ghost_paths(report) == app_files, version
        for ghost in report["ghosts"]:
            if ghost["path"].startswith("/app/"):
                assert ghost["reason"] == "owner 0:0->1000:1000, identical sha256"
    multi = {g["path"]: g for g in reports["multi"]["docker-save.tar"]["ghosts"]}
    # In the multi-stage version every file came in by COPY, so COPY --chown is the fix.
    assert multi["/app/server"]["hint"] == "COPY --chown=1000:1000"


def test_hardened_version_has_no_ghosts_no_root_and_no_shell(reports):
    report = reports["hardened"]["docker-save.tar"]
    assert report["ghosts"] == []
    assert report["wasted_bytes"] == 0
    assert report["runs_as_root"] is False
    assert report["shells"] == []
    ids = {f["id"] for f in report["findings"]}
    assert ids.isdisjoint({"runs-as-root", "shell-present", "healthcheck-needs-shell",
                           "no-healthcheck", "build-tools", "package-cache", "setuid-files"})


def test_single_stage_version_keeps_its_build_tools_and_caches(reports):
    report = reports["single"]["docker-save.tar"]
    assert report["runs_as_root"] is True
    ids = {f["id"] for f in report["findings"]}
    assert {"runs-as-root", "shell-present", "build-tools", "package-cache"} <= ids


def test_multi_stage_user_is_found_in_the_image_passwd(reports):
    report = reports["multi"]["docker-save.tar"]
    assert report["user"] == "app"
    assert report["runs_as_root"] is False
    assert "build-tools" not in {f["id"] for f in report["findings"]}


def test_wasted_bytes_gate_fails_only_the_wasteful_versions(rig, hale_image, archives):
    root, paths = archives
    codes = {}
    for version in VERSIONS:
        proc = rig.run(hale_image.tag, "inspect", "--max-wasted", "100kB",
                       paths[version]["docker-save.tar"], options=("-v", f"{root}:/images:ro"),
                       timeout=300)
        codes[version] = proc.returncode
    assert codes == {"single": 1, "multi": 1, "hardened": 0}


def test_three_versions_compare_side_by_side(rig, hale_image, archives, capsys):
    root, paths = archives
    proc = rig.run(hale_image.tag, "inspect",
                   *(paths[v]["docker-save.tar"] for v in VERSIONS),
                   options=("-v", f"{root}:/images:ro"), timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line.split()[1:] for line in proc.stdout.splitlines()}
    assert rows["image"] == [f"{v}.docker-save.tar" for v in VERSIONS]
    assert rows["root"] == ["yes", "no", "no"]
    assert rows["shell"][2] == "no"
    with capsys.disabled():
        print("\n" + proc.stdout)


def test_hardened_version_goes_healthy_with_hale_as_its_check(rig, app_images):
    app = rig.start(app_images["hardened"])
    wait_for_health(app, "healthy", timeout=60)
