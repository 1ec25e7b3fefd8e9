"""hale serve's /about and /metrics carry the image section: provenance from the baked file
and OCI_IMAGE_* variables, the layer report, and hale_image_build_info."""

from pathlib import Path

from sidecar import Sidecar

APP = Path(__file__).resolve().parents[1] / "data" / "provenance" / "app"
IMAGE_FILE = str(APP / "etc" / "hale" / "image.json")
LAYERS_FILE = str(APP / "etc" / "hale" / "layers.json")


def test_about_serves_provenance_and_layers_from_the_given_files(hale_bin):
    with Sidecar(hale_bin, "--image-file", IMAGE_FILE, "--layers-file", LAYERS_FILE,
                 env={"OCI_IMAGE_VERSION": "2.4.2"}) as sidecar:
        image = sidecar.get("/about").json()["image"]
    assert image["provenance"]["revision"] == {
        "value": "4f2c1e9a7b3d5c8e0f1a2b3c4d5e6f708192a3b4", "source": f"file:{IMAGE_FILE}"}
    assert image["provenance"]["version"] == {"value": "2.4.2", "source": "env:OCI_IMAGE_VERSION"}
    assert image["layers"]["layer_count"] == 3
    assert image["layers"]["wasted_bytes"] == 300000
    assert image["layers"]["source"] == f"file:{LAYERS_FILE}"


def test_about_text_shows_the_image_block(hale_bin):
    with Sidecar(hale_bin, env={"HALE_IMAGE_FILE": IMAGE_FILE,
                                "HALE_LAYERS_FILE": LAYERS_FILE}) as sidecar:
        reply = sidecar.get("/about", headers={"Accept": "text/plain"})
    assert reply.status == 200, reply
    assert "  image     shop-api 2.4.1, revision 4f2c1e9a" in reply.text
    assert "  3 layers, 600 kB, 300 kB wasted, efficiency 50.0%, score 42" in reply.text


def test_metrics_carry_the_image_build_info_next_to_hales_own(hale_bin):
    with Sidecar(hale_bin, "--image-file", IMAGE_FILE,
                 env={"OCI_IMAGE_VERSION": 'odd"version'}) as sidecar:
        body = sidecar.get("/metrics").text
    assert ('hale_image_build_info{revision="4f2c1e9a7b3d5c8e0f1a2b3c4d5e6f708192a3b4",'
            'version="odd\\"version"} 1') in body.splitlines()
    assert "# TYPE hale_image_build_info gauge" in body
    assert any(line.startswith("hale_build_info{") for line in body.splitlines())


def test_a_missing_given_file_is_a_warning_and_serve_still_starts(hale_bin, tmp_path):
    with Sidecar(hale_bin, "--layers-file", str(tmp_path / "none.json")) as sidecar:
        assert sidecar.get("/livez").status == 200
        image = sidecar.get("/about").json()["image"]
    assert image["layers"] is None
    assert any("none.json: no such file or directory" in w for w in image["warnings"])
