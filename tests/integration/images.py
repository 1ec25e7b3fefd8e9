"""Image archives for the inspect tests, written in memory: layer tars, docker-archive and
Docker 25+ (OCI plus manifest.json) layouts, and broken ones on purpose."""

import gzip
import hashlib
import io
import json
import tarfile

BLOCK = 512


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def layer(*entries) -> bytes:
    """A layer tar from (name, content) files or tarfile.TarInfo-like dicts:
    {"name", "data", "mode", "uid", "gid", "type", "linkname"}."""
    out = io.BytesIO()
    # surrogateescape: names may hold bytes that are not UTF-8 ("\udce9" is the byte 0xe9).
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT,
                      errors="surrogateescape") as tar:
        for entry in entries:
            if isinstance(entry, tuple):
                entry = {"name": entry[0], "data": entry[1]}
            info = tarfile.TarInfo(entry["name"])
            data = entry.get("data", b"")
            info.type = entry.get("type", tarfile.REGTYPE)
            info.mode = entry.get("mode", 0o755 if info.type == tarfile.DIRTYPE else 0o644)
            info.uid = info.gid = entry.get("uid", 0)
            info.linkname = entry.get("linkname", "")
            info.size = len(data) if info.type == tarfile.REGTYPE else 0
            tar.addfile(info, io.BytesIO(data) if info.size else None)
    return out.getvalue()


def tar_of(items) -> bytes:
    """An outer tar from (name, bytes) files and (name, None, target) symlinks."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for item in items:
            info = tarfile.TarInfo(item[0])
            if len(item) == 3:
                info.type, info.linkname = tarfile.SYMTYPE, item[2]
                tar.addfile(info)
            else:
                info.size = len(item[1])
                tar.addfile(info, io.BytesIO(item[1]))
    return out.getvalue()


def config(layers, commands=None, user="", healthcheck=None, empty_layers=()):
    """An image config for `layers` (uncompressed tars); `empty_layers` adds ENV entries."""
    commands = commands or [f"RUN step {i}" for i in range(len(layers))]
    history = [{"created_by": c} for c in commands]
    for position, text in empty_layers:
        history.insert(position, {"created_by": text, "empty_layer": True})
    runtime = {"User": user}
    if healthcheck:
        runtime["Healthcheck"] = {"Test": healthcheck}
    return json.dumps({
        "architecture": "amd64", "os": "linux", "config": runtime,
        "rootfs": {"type": "layers", "diff_ids": [digest(l) for l in layers]},
        "history": history,
    }).encode()


def docker_archive(layers, manifest_last=True, **config_args) -> bytes:
    """Docker <= 24's `docker save` layout."""
    cfg = config(layers, **config_args)
    cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
    items, names = [], []
    for i, data in enumerate(layers):
        layer_id = hashlib.sha256(digest(data).encode() + bytes([i])).hexdigest()
        items += [(f"{layer_id}/VERSION", b"1.0"), (f"{layer_id}/layer.tar", data)]
        names.append(f"{layer_id}/layer.tar")
    manifest = ("manifest.json", json.dumps(
        [{"Config": cfg_name, "RepoTags": ["test:latest"], "Layers": names}]).encode())
    items.append((cfg_name, cfg))
    items = items + [manifest] if manifest_last else [manifest] + items
    return tar_of(items)


def docker25_archive(layers, compress=False, **config_args) -> bytes:
    """Docker 25+: OCI layout blobs plus manifest.json, blobs first (containerd's order)."""
    cfg = config(layers, **config_args)
    blobs = {digest(cfg): cfg}
    descriptors = []
    for data in layers:
        blob = gzip.compress(data, mtime=0) if compress else data
        blobs[digest(blob)] = blob
        descriptors.append({"mediaType": "application/vnd.oci.image.layer.v1.tar" +
                            ("+gzip" if compress else ""), "digest": digest(blob),
                            "size": len(blob)})
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": digest(cfg), "size": len(cfg)},
        "layers": descriptors}).encode()
    blobs[digest(manifest)] = manifest
    index = json.dumps({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest(manifest),
        "size": len(manifest), "platform": {"os": "linux", "architecture": "amd64"}}]}).encode()
    legacy = json.dumps([{"Config": "blobs/sha256/" + digest(cfg)[7:],
                          "RepoTags": ["test:latest"],
                          "Layers": ["blobs/sha256/" + d["digest"][7:] for d in descriptors]}])
    items = [("blobs/sha256/" + d[7:], b) for d, b in sorted(blobs.items())]
    items += [("index.json", index), ("manifest.json", legacy.encode()),
              ("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')]
    return tar_of(items)


def ghost_image(size=4096):
    """COPY then `RUN chown`: the same bytes twice, the second time owned by 1000."""
    data = bytes(range(256)) * (size // 256)
    return [layer({"name": "app/", "type": tarfile.DIRTYPE}, ("app/data.bin", data)),
            layer({"name": "app/", "type": tarfile.DIRTYPE, "uid": 1000},
                  {"name": "app/data.bin", "data": data, "uid": 1000})]


GHOST_COMMANDS = ["COPY data.bin /app/ # buildkit", "RUN /bin/sh -c chown -R 1000:1000 /app"]


def ghost_archive(size=4096, **config_args) -> bytes:
    """The ghost image as `docker save` writes it."""
    return docker_archive(ghost_image(size), commands=GHOST_COMMANDS, **config_args)


def tar_header(name: str, size: int, kind: bytes = b"0") -> bytes:
    """A raw USTAR header that may claim any size (base-256 beyond octal's 8 GiB)."""
    block = bytearray(BLOCK)
    block[0:len(name)] = name.encode()
    block[100:108] = b"0000644\0"
    block[108:116] = block[116:124] = b"0000000\0"
    if size < 8 ** 11:
        block[124:136] = b"%011o\0" % size
    else:
        block[124:136] = b"\x80" + size.to_bytes(11, "big")
    block[136:148] = b"00000000000\0"
    block[148:156] = b" " * 8
    block[156:157] = kind
    block[257:265] = b"ustar\x0000"
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


def empty_entries_layer(names) -> bytes:
    """A layer tar of empty files, and of directories for names ending in "/", written header by
    header (fast enough for hundreds of thousands of entries; names under 100 bytes)."""
    out = bytearray()
    for name in names:
        out += tar_header(name, 0, b"5" if name.endswith("/") else b"0")
    return bytes(out + b"\0" * (2 * BLOCK))


def pax_record(key: str, value) -> bytes:
    body = f" {key}={value}\n".encode()
    length = len(body) + 1
    while len(str(length).encode()) + len(body) != length:
        length += 1
    return str(length).encode() + body


def sparse_entry(name: str, size: int, blocks, uid=0) -> bytes:
    """A sparse file as GNU tar's PAX format 0.1 writes it: `blocks` are (offset, bytes), `size`
    the file's size with its holes."""
    records = (pax_record("GNU.sparse.size", size) +
               pax_record("GNU.sparse.numblocks", len(blocks)) +
               pax_record("GNU.sparse.map", ",".join(f"{o},{len(d)}" for o, d in blocks)))
    stored = b"".join(data for _, data in blocks)
    header = bytearray(tar_header(name, len(stored)))
    if uid:
        header[108:116] = header[116:124] = b"%07o\0" % uid
        header[148:156] = b" " * 8
        header[148:156] = b"%06o\0 " % sum(header)
    return (tar_header("PaxHeaders/" + name[:80], len(records), b"x") + padded(records) +
            bytes(header) + padded(stored))


def padded(data: bytes) -> bytes:
    return data + b"\0" * ((BLOCK - len(data) % BLOCK) % BLOCK)
