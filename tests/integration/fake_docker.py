"""A stand-in for the Docker Engine API on a Unix socket: the three GETs hale makes
(/containers/{id}/json, /images/{id}/json, /images/{id}/history), answered from dictionaries
shaped like the engine's own answers, with chunked bodies as Go's server sends them. It can
also hang or answer without end, to show that hale bounds the wait and the memory."""

import json
import os
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler


class _UnixHttpServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeDocker:
    """Serves `containers` ({id: inspect dict}), `images` ({id: inspect dict}) and
    `histories` ({id: list}) on `path`. mode: "normal", "hang" (never answers) or "endless"
    (an answer that never ends). Records every request path in `paths`."""

    def __init__(self, path, containers=None, images=None, histories=None, mode="normal"):
        self.path = str(path)
        self.containers = containers or {}
        self.images = images or {}
        self.histories = histories or {}
        self.mode = mode
        self.paths = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def address_string(self):
                return "docker.sock"

            def do_GET(self):
                fake.paths.append(self.path)
                if fake.mode == "hang":
                    time.sleep(30)
                    return
                if fake.mode == "endless":
                    self._endless()
                    return
                status, body = fake.answer(self.path)
                self._send_chunked(status, json.dumps(body).encode())

            def _send_chunked(self, status, data):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Api-Version", "1.41")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for start in range(0, len(data), 1000):
                    piece = data[start:start + 1000]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.write(b"0\r\n\r\n")

            def _endless(self):
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                piece = b"[" + b"1," * 32767
                try:
                    while True:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                except OSError:
                    pass

        self._server = _UnixHttpServer(self.path, Handler)
        os.chmod(self.path, 0o666)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def answer(self, path):
        parts = path.split("?")[0].strip("/").split("/")
        if len(parts) == 3 and parts[0] == "containers" and parts[2] == "json":
            for cid, doc in self.containers.items():
                if cid.startswith(parts[1]):
                    return 200, doc
            return 404, {"message": f"No such container: {parts[1]}"}
        if len(parts) == 3 and parts[0] == "images" and parts[1] in self.images:
            if parts[2] == "json":
                return 200, self.images[parts[1]]
            if parts[2] == "history":
                return 200, self.histories.get(parts[1], [])
        return 404, {"message": "page not found"}

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        try:
            os.unlink(self.path)
        except OSError:
            pass


def container_doc(cid, image_id, labels, name="/app"):
    """What /containers/{id}/json says, trimmed to what hale reads plus some noise."""
    return {"Id": cid, "Name": name, "Image": image_id, "State": {"Running": True},
            "HostConfig": {"Privileged": False, "CapDrop": ["ALL"]},
            "Config": {"Image": "shop-api:2.4.1", "User": "10001:10001", "Labels": labels}}


def image_doc(image_id, diff_ids, labels):
    return {"Id": image_id, "RepoTags": ["shop-api:2.4.1"], "RepoDigests": [],
            "Config": {"Labels": labels},
            "RootFS": {"Type": "layers", "Layers": diff_ids}}


def history_doc(commands):
    return [{"Id": "<missing>", "Created": 1764493200 + i, "CreatedBy": command,
             "Tags": None, "Size": 1000 * i, "Comment": ""}
            for i, command in enumerate(reversed(commands))]


def short_hostname_tree(root, cid):
    """A root whose kernel hostname is the container's short ID, as Docker sets it."""
    hostname = root / "proc" / "sys" / "kernel" / "hostname"
    hostname.parent.mkdir(parents=True, exist_ok=True)
    hostname.write_text(cid[:12] + "\n")
    return root

