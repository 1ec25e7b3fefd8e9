"""Real local servers for the integration tests: Python's http.server with chosen routes,
and raw sockets that misbehave on purpose (hang, stall, never accept)."""

import contextlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port(family=socket.AF_INET) -> int:
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
        return s.getsockname()[1]


class Route:
    """What a path answers: status, headers, body; or a function of the handler."""

    def __init__(self, status=200, body=b"ok", headers=None, delay=0.0, handler=None):
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.delay = delay
        self.handler = handler


def make_handler(routes, requests):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            requests.append({"method": self.command, "path": self.path,
                             "version": self.request_version, "headers": dict(self.headers)})
            route = routes.get(self.path.split("?")[0]) or routes.get("*")
            if route is None:
                route = Route(404, b"not found")
            if route.delay:
                time.sleep(route.delay)
            if route.handler:
                route.handler(self)
                return
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if "Content-Length" not in route.headers and route.status not in (204, 304):
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if route.status not in (204, 304):
                self.wfile.write(route.body)

    return Handler


class HttpServer:
    """Python's threading HTTP server on a loopback address, serving `routes`.
    Only GET is defined, so HEAD gets http.server's own 501, as in many real apps."""

    def __init__(self, routes, host="127.0.0.1", port=0):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.requests = []

        class Server(ThreadingHTTPServer):
            address_family = family
            daemon_threads = True

        self.server = Server((host, port), make_handler(routes, self.requests))
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class RawServer:
    """A TCP listener whose connections are handled by `on_connection(conn)` in a thread.
    `accept=False` listens but never calls accept()."""

    def __init__(self, on_connection=None, host="127.0.0.1", backlog=16, accept=True):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(backlog)
        self.port = self.sock.getsockname()[1]
        self.on_connection = on_connection
        self.accept = accept
        self.connections = 0
        self.held = []
        self.stopping = False

    def _loop(self):
        self.sock.settimeout(0.2)
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            self.held.append(conn)
            if self.on_connection:
                threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        with contextlib.suppress(OSError):
            self.on_connection(conn)

    def __enter__(self):
        if self.accept:
            threading.Thread(target=self._loop, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.stopping = True
        for conn in self.held:
            with contextlib.suppress(OSError):
                conn.close()
        self.sock.close()


def hang(conn):
    """Reads the request and never answers."""
    conn.recv(65536)
    time.sleep(3600)


def stall_after_headers(conn):
    """Sends a status line and headers promising a body, then stops writing."""
    conn.recv(65536)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial")
    time.sleep(3600)


def trickle(conn):
    """Sends a valid response one byte a second, so no single read ever times out."""
    conn.recv(65536)
    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n" + b"x" * 50:
        conn.sendall(bytes([byte]))
        time.sleep(1)


def http10_close(conn):
    """An HTTP/1.0 response with no length: the body ends when the connection closes."""
    conn.recv(65536)
    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall good")
    conn.close()


def chunked(conn):
    conn.recv(65536)
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"3\r\nall\r\n5\r\n good\r\n0\r\n\r\n")
    time.sleep(3600)  # keep-alive: the framing, not a close, must end the read


def huge_body(conn):
    """A 1 GiB body announced with Content-Length, streamed as fast as the peer reads."""
    conn.recv(65536)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n")
    block = b"x" * 65536
    with contextlib.suppress(OSError):
        for _ in range(16384):
            conn.sendall(block)


def not_http(conn):
    conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
    time.sleep(3600)


class BacklogFull:
    """A listener with backlog 0 whose queue is filled, so a new connect() never completes."""

    def __init__(self, host="127.0.0.1"):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.sock.listen(0)
        self.port = self.sock.getsockname()[1]
        self.fillers = []

    def __enter__(self):
        # Fill the accept queue; later SYNs are dropped by the kernel.
        for _ in range(4):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            with contextlib.suppress(BlockingIOError, OSError):
                s.connect(("127.0.0.1", self.port))
            self.fillers.append(s)
        time.sleep(0.3)
        return self

    def __exit__(self, *exc):
        for s in self.fillers:
            s.close()
        self.sock.close()


class UdpBlackhole:
    """A UDP listener that counts datagrams (DNS queries) and never answers."""

    def __init__(self, host="127.0.0.1", port=53):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, port))
        self.queries = 0
        self.stopping = False

    def _loop(self):
        self.sock.settimeout(0.2)
        while not self.stopping:
            try:
                self.sock.recvfrom(4096)
                self.queries += 1
            except (socket.timeout, OSError):
                continue

    def __enter__(self):
        threading.Thread(target=self._loop, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.stopping = True
        self.sock.close()
