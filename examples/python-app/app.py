"""A small web app whose image has no curl and no wget: hale runs its health check.

    GET /health   200 "ok", or 503 while the file FAIL_FILE exists (default /tmp/unhealthy)
    GET /         a greeting

Listens on PORT (default 8000). To watch the health check fail and recover:
    docker exec CONTAINER touch /tmp/unhealthy
    docker exec CONTAINER rm /tmp/unhealthy
"""

import http.server
import os
import signal
import sys

PORT = int(os.environ.get("PORT", "8000"))
FAIL_FILE = os.environ.get("FAIL_FILE", "/tmp/unhealthy")


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "python-app/1"

    def do_GET(self):
        if self.path == "/health":
            if os.path.exists(FAIL_FILE):
                self.reply(503, f"failing: {FAIL_FILE} exists\n")
            else:
                self.reply(200, "ok")
        elif self.path == "/":
            self.reply(200, "hello from the python app\n")
        else:
            self.reply(404, "not found\n")

    def reply(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    # As PID 1 the process has no default action for SIGTERM: without a handler `docker stop`
    # would wait its full grace period and then kill.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = http.server.ThreadingHTTPServer(("", PORT), Handler)
    print(f"python-app: listening on :{PORT}, /health fails while {FAIL_FILE} exists",
          flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
