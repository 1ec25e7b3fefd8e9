"""`hale inspect` as users run it: exit status, output formats, gates, dive's CI rules, stdin,
and hostile archives that must end in exit 2 or a bounded report, never a crash."""

import gzip
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import images

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "images"
MIB = 1 << 20
TIME = "/usr/bin/time"


@pytest.fixture
def write(tmp_path):
    """Writes bytes to a file in the test's directory and returns its path as a string."""

    def write_file(name, data):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write_file


def peak_rss(hale_bin, *args):
    """Runs hale under /usr/bin/time and returns (exit code, stdout, stderr, peak RSS bytes).
    Measured by time(1), a small parent: a child forked from pytest would count pytest's own
    pages, which it holds until exec, as its peak."""
    if not os.access(TIME, os.X_OK):
        pytest.fail(f"{TIME} is missing: scripts/install-deps test installs it")
    with tempfile.NamedTemporaryFile("r") as report:
        proc = subprocess.run([TIME, "-f", "%M", "-o", report.name, hale_bin, *args],
                              capture_output=True, text=True, timeout=120)
        kib = int(report.read().strip().splitlines()[-1])
    return proc.returncode, proc.stdout, proc.stderr, kib * 1024


@pytest.fixture(scope="module")
def rss_bound(hale_bin, tmp_path_factory):
    """What a run may peak at: hale's peak on a tiny archive plus 48 MiB. Sanitizer builds start
    far higher, so the bound follows the build; what it catches is memory that grows with the
    bytes of an archive."""
    path = tmp_path_factory.mktemp("rss") / "tiny.tar"
    path.write_bytes(images.ghost_archive())
    code, _, err, floor = peak_rss(hale_bin, "inspect", str(path))
    assert code == 0, err
    return floor + 48 * MIB


def one_line_error(run):
    return one_line_error_text(run.stderr, run)


def one_line_error_text(stderr, context=None):
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, context or stderr
    assert lines[0].startswith("hale inspect: "), context or stderr
    return lines[0]


# --- exit status and output ------------------------------------------------------------------


def test_report_of_a_readable_image_exits_0(hale, write):
    path = write("img.tar", images.ghost_archive())
    run = hale("inspect", path)
    assert run.code == 0, run
    assert "Ghost files" in run.stdout
    assert "owner 0:0->1000:1000, identical sha256" in run.stdout
    assert "fix: COPY --chown=1000:1000" in run.stdout


def test_json_has_dive_and_hale_figures(hale, write):
    path = write("img.tar", images.ghost_archive())
    run = hale("inspect", "--json", path)
    assert run.code == 0, run
    report = json.loads(run.stdout)
    assert report["efficiency"] == 0.5
    assert report["total_bytes"] == 8192
    assert report["dive_wasted_bytes"] == 8192
    assert report["wasted_bytes"] == 4096
    assert report["ghosts"][0] == {
        "path": "/app/data.bin", "layers": [0, 1], "wasted": 4096,
        "reason": "owner 0:0->1000:1000, identical sha256", "hint": "COPY --chown=1000:1000",
        "mode_before": "0644", "mode_after": "0644", "owner_before": "0:0",
        "owner_after": "1000:1000"}
    assert [layer["command"] for layer in report["layers"]] == images.GHOST_COMMANDS
    assert report["result"] == "pass"


def test_stdin_gives_the_same_report_as_the_file(hale, hale_bin, write):
    path = write("img.tar.gz", gzip.compress(images.ghost_archive()))
    from_file = json.loads(hale("inspect", "--json", path).stdout)
    with open(path, "rb") as stdin:
        proc = subprocess.run([hale_bin, "inspect", "--json", "-"], stdin=stdin,
                              capture_output=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    from_stdin = json.loads(proc.stdout)
    from_file.pop("source")
    from_stdin.pop("source")
    assert from_stdin == from_file
    assert from_file["compression"] == "gzip"


def test_gzip_is_found_by_magic_bytes_not_by_name(hale, write):
    path = write("image.tar", gzip.compress(images.ghost_archive()))
    run = hale("inspect", "--json", path)
    assert run.code == 0, run
    assert json.loads(run.stdout)["compression"] == "gzip"


def test_docker25_archive_with_manifest_last_is_read_in_one_pass(hale, write):
    path = write("v25.tar", images.docker25_archive(images.ghost_image(), compress=True))
    run = hale("inspect", "--json", path)
    assert run.code == 0, run
    report = json.loads(run.stdout)
    assert report["format"] == "docker-archive+oci"
    assert [l["compression"] for l in report["layers"]] == ["gzip", "gzip"]
    assert report["wasted_bytes"] == 4096


def test_missing_file_exits_2_with_one_line(hale):
    run = hale("inspect", "/nonexistent/image.tar")
    assert run.code == 2
    assert one_line_error(run) == (
        "hale inspect: /nonexistent/image.tar: cannot open /nonexistent/image.tar: "
        "no such file or directory")
    assert run.stdout == ""


def test_plain_root_filesystem_is_not_an_image(hale, write):
    path = write("rootfs.tar", images.layer(("README.md", b"hello")))
    run = hale("inspect", path)
    assert run.code == 2
    assert one_line_error(run).endswith("not an image archive: no manifest.json or index.json")


@pytest.mark.parametrize("args", [[], ["--max-wasted", "lots", "x.tar"],
                                  ["--min-efficiency", "1.5", "x.tar"],
                                  ["--platform", "linux//", "x.tar"], ["-", "-"]])
def test_usage_errors_exit_2(hale, args):
    run = hale("inspect", *args)
    assert run.code == 2, run
    assert "usage: hale inspect" in run.stderr


def test_help_exits_0(hale):
    run = hale("inspect", "--help")
    assert run.code == 0
    assert "--max-user-wasted-percent" in run.stdout


# --- gates -----------------------------------------------------------------------------------


def test_failed_gate_exits_1(hale, write):
    path = write("img.tar", images.ghost_archive())
    run = hale("inspect", "--min-efficiency", "0.9", path)
    assert run.code == 1, run
    assert "FAIL  min-efficiency (efficiency 0.5000 < 0.9)" in run.stdout


def test_gates_that_pass_exit_0(hale, write):
    path = write("img.tar", images.ghost_archive())
    run = hale("inspect", "--min-efficiency", "50%", "--max-wasted", "4KiB",
               "--max-user-wasted-percent", "1", path)
    assert run.code == 0, run
    assert "PASS [pass:3]" in run.stdout


def test_max_wasted_uses_hale_bytes_without_the_kept_copy(hale, write):
    path = write("img.tar", images.ghost_archive())
    assert hale("inspect", "--max-wasted", "4096", path).code == 0
    assert hale("inspect", "--max-wasted", "4095", path).code == 1


def test_dive_ci_file_in_the_working_directory_is_applied_like_dive(hale_bin, write, tmp_path):
    path = write("img.tar", images.ghost_archive())
    (tmp_path / ".dive-ci").write_text(
        "rules:\n  lowestEfficiency: 0.96\n  highestWastedBytes: 19Mb\n"
        "  highestUserWastedPercent: 0.6\n")
    proc = subprocess.run([hale_bin, "inspect", "--ci", path], cwd=tmp_path,
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1, proc
    assert "\nEvaluation:\n" in proc.stdout
    assert ("  FAIL  highestUserWastedPercent (too many bytes wasted, relative to the user bytes "
            "added (%-user-wasted-bytes=2.00 > threshold=0.6))") in proc.stdout
    assert "  PASS  highestWastedBytes (19Mb)" in proc.stdout
    assert ("  FAIL  lowestEfficiency (image efficiency is too low "
            "(efficiency=0.5 < threshold=0.96))") in proc.stdout
    assert proc.stdout.rstrip().endswith("FAIL [pass:1 fail:2]")


def test_ci_without_a_rules_file_uses_dive_defaults(hale, write):
    path = write("img.tar", images.ghost_archive())
    run = hale("inspect", "--ci", path)
    assert run.code == 1
    assert "SKIP  highestWastedBytes (disabled)" in run.stdout


def test_misconfigured_rules_file_exits_2(hale, write):
    path = write("img.tar", images.ghost_archive())
    rules = write("rules.yaml", b"rules:\n  lowestEfficiency: 1.1\n")
    run = hale("inspect", "--ci-config", rules, path)
    assert run.code == 2
    assert "invalid lowestEfficiency '1.1'" in run.stderr


# --- report file and comparison --------------------------------------------------------------


def test_report_file_has_the_compact_schema(hale, write, tmp_path):
    path = write("img.tar", images.ghost_archive(
        user="10001:10001",
        healthcheck=["CMD-SHELL", "wget -q localhost || exit 1"]))
    report_path = tmp_path / "report.json"
    run = hale("inspect", "--report", str(report_path), path)
    assert run.code == 0, run
    report = json.loads(report_path.read_text())
    assert report["schema"] == "hale.inspect.report/v1"
    assert set(report) == {"schema", "generated_by", "image", "total_bytes", "compressed_bytes",
                           "final_bytes", "wasted_bytes", "dive_wasted_bytes", "efficiency",
                           "score", "layers", "ghosts", "findings", "gates"}
    assert report["image"]["runs_as_root"] is False
    assert report["ghosts"][0]["hint"] == "COPY --chown=1000:1000"
    ids = [f["id"] for f in report["findings"]]
    assert "healthcheck-needs-shell" in ids
    assert set(report["layers"][0]) == {"index", "diff_id", "size_bytes", "compressed_bytes",
                                        "files", "command", "created"}


def test_several_images_print_a_comparison(hale, write):
    ghost = write("ghost.tar", images.ghost_archive())
    clean = write("clean.tar", images.docker_archive(
        [images.layer(("app", b"x" * 100))], user="10001"))
    run = hale("inspect", ghost, clean)
    assert run.code == 0, run
    rows = {line.split()[0]: line.split()[1:] for line in run.stdout.splitlines()}
    assert rows["image"] == ["ghost.tar", "clean.tar"]
    assert rows["root"] == ["yes", "no"]
    assert rows["ghosts"] == ["1", "0"]


def test_comparison_with_an_unreadable_image_exits_2(hale, write):
    clean = write("clean.tar", images.docker_archive([images.layer(("app", b"x"))]))
    run = hale("inspect", clean, "/nonexistent.tar")
    assert run.code == 2
    assert "unreadable" in run.stdout
    assert one_line_error(run).startswith("hale inspect: /nonexistent.tar: cannot open")


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="../shared/fixtures/images is absent")
def test_shared_fixture_json_matches_expected_values(hale):
    expected = json.loads((FIXTURES / "expected.json").read_text())["test-kaniko-image.tar"]
    report = json.loads(hale("inspect", "--json", str(FIXTURES / "test-kaniko-image.tar")).stdout)
    assert report["efficiency"] == expected["efficiency"]
    assert report["dive_wasted_bytes"] == expected["wastedBytes"]
    assert report["dive_user_wasted_ratio"] == expected["wastedUserPercent"]
    assert len(report["ghosts"]) == len(expected["ghosts"])


# --- hostile archives ------------------------------------------------------------------------


def test_truncated_archive_exits_2(hale, write):
    data = images.ghost_archive(64 * 1024)
    run = hale("inspect", write("cut.tar", data[: len(data) // 2]))
    assert run.code == 2, run
    assert "cannot read archive" in one_line_error(run)


def test_truncated_gzip_archive_exits_2(hale, write):
    data = gzip.compress(images.ghost_archive(64 * 1024))
    run = hale("inspect", write("cut.tar.gz", data[: len(data) - 100]))
    assert run.code == 2, run
    one_line_error(run)


def test_path_traversal_names_stay_inside_the_image(hale, write):
    first = images.layer(("../../../etc/passwd", b"root:x:0:0::/:/bin/sh\n"),
                         ("usr/../../bin/tool", b"t" * 100))
    second = images.layer(("../etc/.wh.passwd", b""))
    outer = images.docker_archive([first, second])
    run = hale("inspect", "--json", write("evil.tar", outer))
    assert run.code == 0, run
    report = json.loads(run.stdout)
    assert [p["path"] for p in report["paths"]] == ["/etc/passwd"]
    assert report["paths"][0]["class"] == "deleted"
    assert report["final_bytes"] == 100


def test_control_characters_in_names_cannot_forge_report_lines(hale, write):
    name = "tmp/evil\n  FAKE LINE \x1b[31mred"
    layers = [images.layer((name, b"x" * 100)), images.layer(("tmp/.wh." + name[4:], b""))]
    run = hale("inspect", write("escape.tar", images.docker_archive(layers)))
    assert run.code == 0, run
    assert "\x1b" not in run.stdout
    assert "/tmp/evil\\x0a  FAKE LINE \\x1b[31mred" in run.stdout
    assert not any(line.startswith("  FAKE LINE") for line in run.stdout.splitlines())


def test_names_that_are_not_utf8_give_valid_json(hale, write, tmp_path):
    name = "tmp/caf\udce9"  # the byte 0xe9 alone, as a Latin-1 system writes it
    layers = [images.layer((name, b"x" * 100)), images.layer(("tmp/.wh.caf\udce9", b""))]
    path = write("latin1.tar", images.docker_archive(layers))
    run = hale("inspect", "--json", "--report", str(tmp_path / "r.json"), path)
    assert run.code == 0, run
    report = json.loads(run.stdout)
    assert report["paths"][0]["path"] == "/tmp/caf\ufffd"
    json.loads((tmp_path / "r.json").read_text())


def test_outer_symlink_escaping_the_archive_is_a_missing_blob(hale, write):
    layer = images.layer(("a", b"1"))
    cfg = images.config([layer])
    outer = images.tar_of([
        ("c.json", cfg), ("l/layer.tar", None, "../../../../etc/hostname"),
        ("manifest.json", json.dumps([{"Config": "c.json", "Layers": ["l/layer.tar"]}]).encode())])
    run = hale("inspect", write("link.tar", outer))
    assert run.code == 2, run
    assert "referenced by manifest.json not in archive" in one_line_error(run)


def test_absurd_entry_size_in_the_outer_tar_exits_2(hale, write):
    data = images.tar_header("manifest.json", 1 << 40) + b"[" * 4096
    run = hale("inspect", write("huge.tar", data))
    assert run.code == 2, run
    one_line_error(run)


def test_absurd_file_size_inside_a_layer_exits_2(hale_bin, write, rss_bound):
    layer = images.tar_header("big", 1 << 62) + b"\0" * 8192
    path = write("huge-layer.tar", images.docker_archive([layer]))
    code, _, err, rss = peak_rss(hale_bin, "inspect", path)
    assert code == 2, err
    assert "cannot read layer tar" in err
    assert rss < rss_bound


def test_overlong_nested_path_is_skipped_with_a_warning(hale, write):
    deep = "/".join(["d"] * 3000) + "/f"
    path = write("deep.tar", images.docker_archive([images.layer((deep, b"x"), ("ok", b"y"))]))
    run = hale("inspect", "--json", path)
    assert run.code == 0, run
    report = json.loads(run.stdout)
    assert report["layers"][0]["files"] == 1
    assert any("longer than 4096 bytes" in w for w in report["warnings"])


def test_deeply_nested_json_exits_2(hale, write):
    outer = images.tar_of([("manifest.json", b"[" * 200000 + b"]" * 200000)])
    run = hale("inspect", write("nested.tar", outer))
    assert run.code == 2, run
    assert "nested deeper than 64 levels" in one_line_error(run)


def test_json_of_millions_of_values_exits_2(hale, write):
    config = b"[" + b"0," * 2_000_000 + b"0]"
    outer = images.tar_of([("manifest.json", b'[{"Config":"c.json","Layers":[]}]'),
                           ("c.json", config)])
    path = write("values.tar", outer)
    run = hale("inspect", path)
    assert run.code == 2, run
    assert one_line_error(run) == (
        f"hale inspect: {path}: invalid image config: more than 262144 values; "
        "real ones hold a few thousand")


def test_many_times_gzipped_archive_is_read_or_refused(hale, write):
    data = images.ghost_archive()
    for _ in range(30):
        data = gzip.compress(data, compresslevel=1)
    run = hale("inspect", write("onion.tar", data))
    assert run.code in (0, 2), run
    assert run.code == 0 or len(run.stderr.strip().splitlines()) == 1


def test_more_entries_than_allowed_exits_2(hale, write):
    layer = images.layer(*[(f"f{i}", b"") for i in range(2000)])
    path = write("many.tar", images.docker_archive([layer]))
    run = hale("inspect", "--max-entries", "1000", path)
    assert run.code == 2, run
    assert "raise --max-entries" in one_line_error(run)


def gzip_bomb_layer(gib=1):
    """A gzip layer holding one file of `gib` GiB of zeros, as concatenated gzip members."""
    size = gib << 30
    zeros = gzip.compress(b"\0" * (16 * MIB), compresslevel=9, mtime=0)
    body = gzip.compress(images.tar_header("zeros", size), mtime=0) + zeros * (size // (16 * MIB))
    return body + gzip.compress(b"\0" * 1024, mtime=0)


def test_gzip_bomb_gives_a_bounded_report(hale_bin, write, rss_bound):
    blob = gzip_bomb_layer()
    digest = images.digest(blob)
    cfg = json.dumps({"os": "linux", "architecture": "amd64",
                      "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "0" * 64]}}).encode()
    outer = images.tar_of([
        ("c.json", cfg), ("blobs/sha256/" + digest[7:], blob),
        ("manifest.json", json.dumps(
            [{"Config": "c.json", "Layers": ["blobs/sha256/" + digest[7:]]}]).encode())])
    start = time.monotonic()
    code, out, err, rss = peak_rss(hale_bin, "inspect", "--json", write("bomb.tar", outer))
    assert code == 0, err
    layer = json.loads(out)["layers"][0]
    assert layer["uncompressed_bytes"] == (1 << 30) + 1536
    assert layer["compressed_bytes"] == len(blob)
    assert rss < rss_bound
    assert time.monotonic() - start < 60


def zstd_rle_frame(head: bytes, zeros: int) -> bytes:
    """A zstd frame of `head` in a raw block, then `zeros` zero bytes (a multiple of 128 KiB)
    as RLE blocks: 4 bytes of input per 128 KiB of output."""
    block = 128 * 1024
    count = zeros // block
    frame = bytes([0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x38])  # no checksum, 128 KiB window
    frame += (len(head) << 3).to_bytes(3, "little") + head  # raw block
    rle = ((block << 3) | (1 << 1)).to_bytes(3, "little") + b"\0"
    last = ((block << 3) | (1 << 1) | 1).to_bytes(3, "little") + b"\0"
    return frame + rle * (count - 1) + last


def zstd_rle_bomb(gib=4):
    """A zstd layer of a tar header that claims a file as large as the frame, then zeros."""
    size = gib << 30
    return zstd_rle_frame(images.tar_header("zeros", size), size)


def test_zstd_bomb_is_stopped_with_exit_2(hale_bin, write, rss_bound):
    blob = zstd_rle_bomb()
    digest = images.digest(blob)
    cfg = json.dumps({"os": "linux", "architecture": "amd64",
                      "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "0" * 64]}}).encode()
    outer = images.tar_of([
        ("c.json", cfg), ("blobs/sha256/" + digest[7:], blob),
        ("manifest.json", json.dumps(
            [{"Config": "c.json", "Layers": ["blobs/sha256/" + digest[7:]]}]).encode())])
    code, _, err, rss = peak_rss(hale_bin, "inspect", write("zbomb.tar", outer))
    assert code == 2, err
    assert "decompression bomb" in err
    assert rss < rss_bound


def test_zstd_outer_stream_bomb_is_stopped_with_exit_2(hale_bin, write, rss_bound):
    # The whole archive is the bomb: an uncompressed layer of 4 GiB of zeros, zstd-compressed
    # around it, so no layer is compressed and only the outer stream expands.
    zeros = 4 << 30
    inner = images.tar_header("zeros", zeros - 2048)
    outer = images.tar_header("l/layer.tar", zeros - 512)
    path = write("outer.tar.zst", zstd_rle_frame(outer + inner, zeros))
    code, _, err, rss = peak_rss(hale_bin, "inspect", path)
    assert code == 2, err
    assert "l/layer.tar: decompressed data exceeds 10000 times" in err
    assert rss < rss_bound


def test_names_that_fill_a_block_of_names_exactly_are_read(hale, write):
    # /etc, /etc/passwd and /etc/group (interned for findings) and /dd take 16 bytes of names:
    # 65,535 names of 16 bytes then fill the first 1 MiB block to its last byte.
    names = ["dd/"] + [f"dd/{i:016d}" for i in range(69_999)]
    last = f"dd/{69_999:016d}"  # named after the block boundary, deleted in layer 1
    files = (images.empty_entries_layer(names)[:-1024] + images.tar_header(last, 100) +
             b"x" * 100 + b"\0" * (412 + 1024))
    layers = [files, images.empty_entries_layer([f"dd/.wh.{69_999:016d}"])]
    path = write("names.tar", images.docker_archive(layers))
    run = hale("inspect", "--json", path)
    assert run.code == 0, run
    report = json.loads(run.stdout)
    assert report["layers"][0]["files"] == 70_000
    assert [p["path"] for p in report["paths"]] == [f"/dd/{69_999:016d}"]


def test_sparse_file_with_a_far_hole_exits_2(hale_bin, write, rss_bound):
    far = 64 << 30
    layer = images.sparse_entry("far", far + 1, [(far, b"x")]) + b"\0" * 1024
    path = write("sparse.tar", images.docker_archive([layer]))
    code, _, err, rss = peak_rss(hale_bin, "inspect", path)
    assert code == 2, err
    assert "holes of sparse files exceed 10000 times" in one_line_error_text(err)
    assert rss < rss_bound


def test_sparse_map_of_millions_of_blocks_exits_2(hale_bin, write, rss_bound):
    # GNU tar's PAX 1.0 format keeps the map in the entry's data, which libarchive reads whole
    # with the header: 64 MiB of map (64 KiB gzipped) would take 750 MiB of block lists.
    blocks = 16 << 20
    data = b"%d\n" % blocks + b"0\n0\n" * blocks
    data += b"\0" * ((512 - len(data) % 512) % 512)
    records = (images.pax_record("GNU.sparse.major", 1) + images.pax_record("GNU.sparse.minor", 0)
               + images.pax_record("GNU.sparse.name", "db")
               + images.pax_record("GNU.sparse.realsize", 1))
    layer = (images.tar_header("PaxHeaders/db", len(records), b"x") + images.padded(records) +
             images.tar_header("GNUSparseFile.0/db", len(data)) + data + b"\0" * 1024)
    path = write("sparse-map.tar", images.docker25_archive([layer], compress=True))
    code, _, err, rss = peak_rss(hale_bin, "inspect", path)
    assert code == 2, err
    assert "a tar header (sparse map, long names, extended attributes) takes more than" in (
        one_line_error_text(err))
    assert rss < rss_bound


def test_sparse_copy_of_a_file_is_a_ghost_of_its_plain_copy(hale, write):
    # The sparse copy stores only the payload: the hole after it must count as zeros too.
    data = b"\0" * 8192 + b"payload" + b"\0" * 8185
    plain = images.layer(("app/db", data))
    sparse = images.sparse_entry("app/db", len(data), [(8192, b"payload")], uid=1000)
    path = write("sparse-ghost.tar", images.docker_archive(
        [plain, sparse + b"\0" * 1024], commands=images.GHOST_COMMANDS))
    run = hale("inspect", "--json", path)
    assert run.code == 0, run
    ghosts = json.loads(run.stdout)["ghosts"]
    assert [(g["path"], g["reason"]) for g in ghosts] == [
        ("/app/db", "owner 0:0->1000:1000, identical sha256")]


def large_directory_hidden_again_and_again(shape, count=150_000):
    """Layer 0: a directory of `count` files. Layer 1 hides it `count` times over, by repeating
    the opaque marker or by replacing the directory with a file and back."""
    files = images.empty_entries_layer(["d/"] + [f"d/f{i:07d}" for i in range(count)])
    if shape == "opaque":
        hiding = images.tar_header("d/.wh..wh..opq", 0) * count
    else:
        hiding = (images.tar_header("d", 0) + images.tar_header("d/", 0, b"5")) * (count // 2)
    return gzip.compress(images.docker_archive([files, hiding + b"\0" * 1024]),
                         compresslevel=1, mtime=0)


@pytest.mark.parametrize("shape", ["opaque", "file-over-directory"])
def test_hiding_a_large_directory_again_and_again_takes_one_pass(hale, write, shape):
    # Each hiding used to walk every name ever seen in the directory: 150,000 x 150,000 steps.
    path = write("hide.tar.gz", large_directory_hidden_again_and_again(shape))
    run = hale("inspect", "--json", path)
    assert run.code == 0, run
    report = json.loads(run.stdout)
    assert report["layers"][0]["files"] == 150_000
    assert report["final_bytes"] == 0


def test_documents_beyond_their_budget_exit_2(hale_bin, write):
    # 40 JSON documents of 10 MiB each, as concatenated gzip members: 400 KB on disk.
    size = 10 * MIB
    body = gzip.compress(b"{" + b" " * (size - 2) + b"}", compresslevel=9, mtime=0)
    data = b"".join(gzip.compress(images.tar_header(f"doc{i}.json", size), mtime=0) + body
                    for i in range(40))
    path = write("docs.tar.gz", data + gzip.compress(b"\0" * 1024, mtime=0))
    code, _, err, rss = peak_rss(hale_bin, "inspect", path)
    assert code == 2, err
    assert "exceed 67108864 bytes in total" in one_line_error_text(err)
    _, _, _, floor = peak_rss(hale_bin, "inspect", write("tiny.tar", images.ghost_archive()))
    assert rss < floor + 64 * MIB + 2 * size


def test_deep_names_beyond_the_path_budget_exit_2(hale, write):
    # 2,000 entries of 250 components each would intern half a million path nodes.
    deep = "/".join(["a"] * 249)
    layer = images.layer(*[(f"e{i}/{deep}", b"") for i in range(2000)])
    run = hale("inspect", write("deep.tar", images.docker_archive([layer])))
    assert run.code == 2, run
    assert "path components, more than the" in one_line_error(run)


def test_thousands_of_tiny_layers_stay_within_the_memory_bound(hale_bin, write, rss_bound):
    layers = [images.tar_header(f"f{i}", 0) + b"\0" * 1024 for i in range(3000)]
    items = [(f"l{i}/layer.tar", data) for i, data in enumerate(layers)]
    code, _, err, rss = peak_rss(hale_bin, "inspect", write("tiny-layers.tar",
                                                            images.tar_of(items)))
    assert code == 2, err
    assert "not an image archive" in err
    assert rss < rss_bound


def test_device_is_refused_rather_than_read(hale):
    run = hale("inspect", "/dev/null")
    assert run.code == 2, run
    assert one_line_error(run) == (
        "hale inspect: /dev/null: cannot read /dev/null: not a regular file or a pipe")


def test_pipe_named_as_a_path_is_read_to_its_end(hale_bin):
    # What `hale inspect <(docker save app)` hands over.
    read_end, write_end = os.pipe()
    proc = subprocess.Popen([hale_bin, "inspect", "--json", f"/dev/fd/{read_end}"],
                            pass_fds=[read_end], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(read_end)
    with os.fdopen(write_end, "wb") as pipe:
        pipe.write(images.ghost_archive())
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert json.loads(out)["wasted_bytes"] == 4096


def test_report_that_cannot_be_written_exits_2_with_the_reason(hale, write, tmp_path):
    path = write("img.tar", images.ghost_archive())
    target = tmp_path / "missing" / "report.json"
    run = hale("inspect", "--report", str(target), path)
    assert run.code == 2, run
    assert run.stderr.strip() == (
        f"hale inspect: cannot write {target}: no such file or directory")
