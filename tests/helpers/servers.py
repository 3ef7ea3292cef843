"""Real servers for tests: the app under gunicorn in its own processes, and canned pages on loopback."""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from tests.helpers.apps import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving the app on ``database_url``, as in production (two workers of four threads)."""

    def __init__(self, database_url: str, instance):
        self.port = free_port()
        self.env = dict(os.environ, WORKBENCH_DATABASE_URL=database_url, WORKBENCH_INSTANCE_PATH=str(instance),
                        WORKBENCH_SECRET_KEY="durability", WORKBENCH_BIND=f"127.0.0.1:{self.port}",
                        WORKBENCH_WORKERS="2", WORKBENCH_THREADS="4", WORKBENCH_LOG_LEVEL="warning")
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "workbench:create_app()"],
            cwd=ROOT, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("gunicorn did not start")

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # master and workers, with no chance to clean up
            self.process.wait(10)

    def request(self, method, path, token, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, json.loads(response.read()), response.headers


class Site:
    """A real HTTP server on loopback serving canned responses: ``site.route(path, body=..., ...)``."""

    def __init__(self):
        self.routes: dict[str, dict] = {}
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (name fixed by the base class)
                spec = site.routes.get(self.path.split("?")[0])
                if spec is None:
                    self.send_error(404)
                    return
                if spec.get("delay"):
                    time.sleep(spec["delay"])
                self.send_response(spec.get("status", 200))
                for name, value in spec.get("headers", {}).items():
                    self.send_header(name, value)
                body = spec.get("body", b"")
                if spec.get("chunked"):
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for start in range(0, len(body), 65536):
                        piece = body[start:start + 65536]
                        self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def route(self, path: str, body: bytes | str = b"", *, content_type: str = "text/html; charset=utf-8", **spec):
        body = body.encode() if isinstance(body, str) else body
        headers = {"Content-Type": content_type, **spec.pop("headers", {})}
        self.routes[path] = {"body": body, "headers": headers, **spec}
        return self.url(path)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
