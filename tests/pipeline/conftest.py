"""Fixtures for the framework-free pipeline tests: fixture paths and a real local HTTP server.

The server is a plain `http.server` on 127.0.0.1 in a thread. It serves the recorded feeds
and pages from tests/fixtures with real validators (ETag / Last-Modified, 304), plus the
misbehaviours fetch must survive: redirect loops, slow and dripping responses, oversized and
gzip-bomb bodies, error statuses, dropped connections, and a configurable robots.txt. Every
request is logged (path, headers, start/end time) so tests can prove what did or did not
reach the network.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FEEDS = FIXTURES / "feeds"
HTML = FIXTURES / "html"
TEXT = FIXTURES / "text"

# Fixed Last-Modified for every fixture: the captures are static.
LAST_MODIFIED = "Tue, 14 Nov 2017 10:42:44 GMT"
CONTENT_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".json": "application/feed+json",
    ".html": "text/html",
}


def fixture_bytes(path: Path) -> bytes:
    """Read a fixture; a missing fixture fails the test (it never fetches live)."""
    if not path.is_file():
        pytest.fail(f"missing fixture {path}: restore it from the source named in SOURCE.md")
    return path.read_bytes()


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    started: float
    ended: float = 0.0


@dataclass
class ServerState:
    robots: bytes | None = b"User-agent: *\nDisallow: /private/\n"
    robots_status: int = 200
    hits: list[Hit] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        with self.lock:
            return [h.path for h in self.hits]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        return  # keep pytest output clean

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        state = self.server.state
        hit = Hit(path=self.path, headers=dict(self.headers.items()), started=time.monotonic())
        self._hit: Hit | None = hit
        with state.lock:
            state.hits.append(hit)
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (size cap, timeout): expected in those tests
        finally:
            self._hit_end()

    def _hit_end(self) -> None:
        """Mark this request finished, once. `_send` calls it just before the response's
        last byte: a client waits for that byte before it sends its next request, so a
        serial client never overlaps two hits, however late this thread is scheduled
        after writing (marking it after the write made a busy machine show false overlaps)."""
        hit, self._hit = self._hit, None
        if hit is None:
            return
        hit.ended = time.monotonic()
        with self.server.state.lock:
            self.server.state.in_flight -= 1

    # -- helpers --
    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        if not body:
            self._hit_end()  # the headers are the response's last bytes
        self.end_headers()
        if body:
            self.wfile.write(body[:-1])
            self.wfile.flush()
            self._hit_end()
            self.wfile.write(body[-1:])

    def _serve_file(self, path: Path, extra: dict[str, str] | None = None) -> None:
        if not path.is_file():
            self._send(404, b"no such fixture")
            return
        body = path.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = {
            "Content-Type": CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
            "ETag": etag,
            "Last-Modified": LAST_MODIFIED,
            **(extra or {}),
        }
        if self.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in self.headers
            and self.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            self._send(304, b"", {"ETag": etag, "Content-Length": "0"})
            return
        self._send(200, body, headers)

    # -- routes --
    def _route(self) -> None:  # noqa: C901 - a flat routing table reads best here
        state = self.server.state
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/robots.txt":
            if state.robots is None:
                self._send(404, b"not found")
            else:
                self._send(state.robots_status, state.robots, {"Content-Type": "text/plain"})
        elif path.startswith("/feeds/"):
            self._serve_file(FEEDS / path.removeprefix("/feeds/"))
        elif path.startswith("/html/"):
            self._serve_file(HTML / path.removeprefix("/html/"))
        elif path.startswith("/private/"):
            self._send(200, b"secret", {"Content-Type": "text/plain"})
        elif path == "/no-validators":
            self._send(200, b"<rss version='2.0'><channel><title>x</title></channel></rss>")
        elif path == "/hub-feed":
            self._send(
                200,
                fixture_bytes(FEEDS / "rssparser_heise.atom"),
                {"Link": '<https://hub.example.org/>; rel="hub"', "Content-Type": "text/xml"},
            )
        elif path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            headers = {"Retry-After": "120"} if code in (429, 503) else {}
            self._send(code, b"error page", headers)
        elif path.startswith("/loop/"):
            target = "/loop/b" if path == "/loop/a" else "/loop/a"
            self._send(302, b"", {"Location": target})
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            if n == 0:
                self._serve_file(FEEDS / "vnexpress_tin-moi-nhat_2017-11-14.rss")
            else:
                self._send(301, b"", {"Location": f"/chain/{n - 1}"})
        elif path == "/redirect":
            self._send(302, b"", {"Location": query["to"][0]})
        elif path == "/slow":
            time.sleep(float(query.get("s", ["2"])[0]))
            self._send(200, b"late", {"Content-Type": "text/plain"})
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/big":
            # 3 MB with no Content-Length: only streaming can notice it is too big.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"a" * 65_533
            for _ in range(48):
                self.wfile.write(chunk)
        elif path == "/gzip-bomb":
            body = gzip.compress(b"\0" * (5 * 1024 * 1024))
            self._send(200, body, {"Content-Encoding": "gzip", "Content-Type": "text/html"})
        elif path == "/drop":
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(2)
        else:
            self._send(404, b"not found")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: ServerState


@dataclass
class LocalServer:
    """A running local server: `url(path)` builds URLs; `state` is reset per test."""

    base: str
    state: ServerState
    port: int

    def url(self, path: str) -> str:
        return self.base + path


def _start() -> tuple[_Server, threading.Thread]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = ServerState()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="session")
def _servers() -> Iterator[list[_Server]]:
    servers = [_start()[0], _start()[0]]
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def http_server(_servers: list[_Server]) -> LocalServer:
    """The local test server, with fresh state (robots.txt, request log) for this test."""
    server = _servers[0]
    server.state = ServerState()
    port = server.server_address[1]
    return LocalServer(base=f"http://127.0.0.1:{port}", state=server.state, port=int(port))


@pytest.fixture
def second_server(_servers: list[_Server]) -> LocalServer:
    """A second origin (another port), for per-host politeness versus global concurrency."""
    server = _servers[1]
    server.state = ServerState()
    port = server.server_address[1]
    return LocalServer(base=f"http://127.0.0.1:{port}", state=server.state, port=int(port))
