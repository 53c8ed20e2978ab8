"""A hostile web server on 127.0.0.1: everything a foreign outlet could send to hurt us.

Used by the test suite (tests/hostile) and by `ttdn bench hostile`, which runs the whole
monitor pipeline against it and reports peak memory and the longest worker hold.

Real sockets, real HTTP (``http.server``), so the fetcher meets these exactly as it would
on the internet. Each route is one attack; `HostileServer.log` records, per request, how
far the server got before the client gave up (header lines sent, body bytes sent), so a
test proves "the client stopped" without timing anything.

Routes (``path`` → what it does):

* ``/bomb/gzip``, ``/bomb/deflate``: one compression layer, 200 MB of zeros inflated.
* ``/bomb/gzip-gzip``: ``Content-Encoding: gzip, gzip``; 200 MB of zeros at the bottom of
  a response of about 1 kB.
* ``/enc/unknown``: ``Content-Encoding: compress``; ``/enc/wrong``: says gzip, sends text;
  ``/enc/missing``: a gzipped feed with no Content-Encoding.
* ``/slow/headers``: one header line every ``every`` s, ``n`` lines; ``/slow/body``: one
  byte every ``every`` s; ``/slow/connect``: accepts, then says nothing.
* ``/redirect/loop/a`` ↔ ``/redirect/loop/b``; ``/redirect/endless/N`` → N+1, forever.
* ``/huge-headers``: 1,000 header lines of 8 kB.
* ``/feed/*``: feeds where good items sit between bad ones (non-http links, absurd dates,
  billion laughs, XXE, tags nested 100,000 deep, 2 MB of tags); ``/article/N``: a good page.
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ZERO_MB = b"\0" * (1024 * 1024)


@cache
def gzip_zeros(megabytes: int) -> bytes:
    """`megabytes` MB of zeros, gzipped, built in 1 MB steps (never all in memory)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [packer.compress(ZERO_MB) for _ in range(megabytes)]
    parts.append(packer.flush())
    return b"".join(parts)


@cache
def deflate_zeros(megabytes: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS)
    parts = [packer.compress(ZERO_MB) for _ in range(megabytes)]
    parts.append(packer.flush())
    return b"".join(parts)


@cache
def double_gzip_bomb() -> bytes:
    """gzip(gzip(200 MB of zeros)): about 1 kB on the wire."""
    return gzip.compress(gzip_zeros(200), 9)


def article(n: int) -> bytes:
    words = " ".join(
        f"Cảng Cam Ranh đón tàu hàng số {n}, mở tuyến vận tải mới tới Singapore lần {i}."
        for i in range(12)
    )
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Bài {n}</title>'
        f"</head><body><article><h1>Tin tức số {n}</h1><p>{words}</p><p>{words}</p>"
        "</article></body></html>"
    ).encode()


def _rss(items: str, *, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0"><channel>'
        f"<title>Hostile</title><link>http://example.org/</link>{items}</channel></rss>"
    ).encode()


def _item(title: str, link: str, date: str = "Sun, 22 Nov 2026 08:00:00 GMT") -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link><description>{title} mô tả"
        f"</description><pubDate>{date}</pubDate></item>"
    )


BAD_LINKS = [
    "javascript:alert(document.cookie)",
    " JaVaScRiPt:alert(1)",
    "java&#9;script:alert(2)",
    "java&#x0A;script:alert(3)",
    "&#1;javascript:alert(4)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]


def feed_links(base: str) -> bytes:
    """Good items (/article/1..3) around every non-http link."""
    bad = "".join(_item(f"Xấu {i}", link) for i, link in enumerate(BAD_LINKS))
    good = [_item(f"Tốt {n}", f"{base}/article/{n}") for n in (1, 2, 3)]
    return _rss(good[0] + bad + good[1] + good[2])


def feed_dates(base: str) -> bytes:
    absurd = [
        "Mon, 01 Jan 0001 00:00:00 +1400",
        "Fri, 31 Dec 9999 23:59:59 -1400",
        "Seg, 01 Jan 0001 00:00:00 +1400",
        "Sat, 01 Jan 99999 00:00:00 GMT",
        "not a date at all",
    ]
    bad = "".join(
        _item(f"Ngày {i}", f"{base}/article/{10 + i}", date) for i, date in enumerate(absurd)
    )
    return _rss(_item("Tốt 4", f"{base}/article/4") + bad)


def json_dates(base: str) -> bytes:
    import json

    items = [
        {"id": "a", "url": f"{base}/article/20", "title": "Tốt 20",
         "content_text": "Tin tốt", "date_published": "2026-11-22T08:00:00Z"},
        {"id": "b", "url": f"{base}/article/21", "title": "Năm 1",
         "content_text": "x", "date_published": "0001-01-01T00:00:00+14:00"},
        {"id": "c", "url": f"{base}/article/22", "title": "Năm 9999",
         "content_text": "x", "date_published": "9999-12-31T23:59:59-14:00"},
        {"id": "d", "url": "javascript:alert(1)", "title": "Xấu", "content_text": "x"},
        {"id": "e", "url": f"{base}/article/23", "title": "Tốt 23",
         "content_text": "Tin tốt", "date_published": "2026-11-22T09:00:00+07:00"},
    ]  # fmt: skip
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": items}
    ).encode()


def sitemap_dates(base: str) -> bytes:
    rows = [
        (f"{base}/article/30", "2026-11-22T08:00:00Z"),
        (f"{base}/article/31", "0001-01-01T00:00:00+14:00"),
        ("javascript:alert(1)", "2026-11-22T08:00:00Z"),
        (f"{base}/article/32", "9999-12-31T23:59:59-14:00"),
    ]
    urls = "".join(f"<url><loc>{loc}</loc><lastmod>{d}</lastmod></url>" for loc, d in rows)
    return (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{urls}</urlset>"
    ).encode()


LAUGHS = (
    '<!DOCTYPE rss [<!ENTITY a "hahahahahahahahahaha">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)
XXE = '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def feed_laughs(base: str) -> bytes:
    return _rss(
        _item("Tốt 40", f"{base}/article/40") + _item("&j;", f"{base}/article/41"),
        prolog=LAUGHS,
    )


def feed_xxe(base: str) -> bytes:
    return _rss(
        _item("Tốt 42", f"{base}/article/42") + _item("&xxe;", f"{base}/article/43"),
        prolog=XXE,
    )


def sitemap_xxe(base: str) -> bytes:
    return (
        '<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base}/article/44</loc></url><url><loc>&xxe;</loc></url></urlset>"
    ).encode()


def feed_nested(base: str) -> bytes:
    depth = 100_000
    return _rss(
        _item("Tốt 50", f"{base}/article/50")
        + "<item><description>" + "<x>" * depth + "</x>" * depth + "</description></item>"
    )  # fmt: skip


def feed_tags(base: str) -> bytes:
    """A good item, then 2 MB of empty tags (flat): the parse cost is per tag."""
    return _rss(_item("Tốt 51", f"{base}/article/51") + "<x/>" * 500_000)


def feed_slow_links(base: str) -> bytes:
    """A good item on another path, then many links to a page that stalls its headers."""
    slow = "".join(
        _item(f"Chậm {i}", f"{base}/slow/headers?n=400&every=0.2&i={i}") for i in range(8)
    )
    return _rss(_item("Tốt 60", f"{base}/article/60") + slow)


def feed_bombs(base: str) -> bytes:
    links = ["/bomb/gzip", "/bomb/gzip-gzip", "/bomb/deflate", "/enc/unknown", "/enc/wrong",
             "/huge-headers", "/redirect/loop/a", "/redirect/endless/0"]  # fmt: skip
    bad = "".join(_item(f"Bom {i}", base + link) for i, link in enumerate(links))
    return _rss(_item("Tốt 70", f"{base}/article/70") + bad + _item("Tốt 71", f"{base}/article/71"))


def feed_warmup(base: str) -> bytes:
    """One plain good item: polled first, so every model is loaded before measuring."""
    return _rss(_item("Khởi động", f"{base}/article/99"))


FEEDS = {
    "/feed/warmup.rss": feed_warmup,
    "/feed/links.rss": feed_links,
    "/feed/dates.rss": feed_dates,
    "/feed/dates.json": json_dates,
    "/feed/sitemap.xml": sitemap_dates,
    "/feed/laughs.rss": feed_laughs,
    "/feed/xxe.rss": feed_xxe,
    "/feed/xxe-sitemap.xml": sitemap_xxe,
    "/feed/nested.rss": feed_nested,
    "/feed/tags.rss": feed_tags,
    "/feed/slow-links.rss": feed_slow_links,
    "/feed/bombs.rss": feed_bombs,
}


@dataclass
class Visit:
    """One request as the server saw it: how far it got before the client went away."""

    path: str
    started: float = field(default_factory=time.monotonic)
    ended: float = 0.0
    header_lines_sent: int = 0
    body_bytes_sent: int = 0
    finished: bool = False
    done: threading.Event = field(default_factory=threading.Event)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        return

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        visit = Visit(path=self.path)
        with self.server.lock:
            self.server.log.append(visit)
        try:
            self._route(visit)
            visit.finished = True
        except OSError:
            pass  # the client hung up: what the slow and bomb routes expect
        finally:
            self.close_connection = True
            visit.ended = time.monotonic()
            visit.done.set()

    def _send(self, visit: Visit, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        visit.body_bytes_sent = len(body)

    def _route(self, visit: Visit) -> None:  # noqa: C901 - a flat routing table reads best
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        every = float(query.get("every", ["0.5"])[0])
        n = int(query.get("n", ["40"])[0])
        if path == "/robots.txt":
            self._send(visit, 404, b"", {})
        elif path in FEEDS:
            body = FEEDS[path](base)
            kind = "application/feed+json" if path.endswith(".json") else "application/xml"
            self._send(visit, 200, body, {"Content-Type": kind})
        elif path.startswith("/article/"):
            self._send(visit, 200, article(int(path.rsplit("/", 1)[1])),
                       {"Content-Type": "text/html; charset=utf-8"})  # fmt: skip
        elif path == "/bomb/gzip":
            self._send(visit, 200, gzip_zeros(200),
                       {"Content-Type": "text/html", "Content-Encoding": "gzip"})  # fmt: skip
        elif path == "/bomb/deflate":
            self._send(visit, 200, deflate_zeros(200),
                       {"Content-Type": "text/html", "Content-Encoding": "deflate"})  # fmt: skip
        elif path == "/bomb/gzip-gzip":
            self._send(visit, 200, double_gzip_bomb(),
                       {"Content-Type": "text/html", "Content-Encoding": "gzip, gzip"})  # fmt: skip
        elif path == "/enc/unknown":
            self._send(visit, 200, b"\x1f\x9d\x90abc",
                       {"Content-Type": "text/html", "Content-Encoding": "compress"})  # fmt: skip
        elif path == "/enc/wrong":
            self._send(visit, 200, article(80),
                       {"Content-Type": "text/html", "Content-Encoding": "gzip"})  # fmt: skip
        elif path == "/hub/javascript":
            self._send(visit, 200, feed_links(base),
                       {"Content-Type": "application/xml",
                        "Link": '<javascript:alert(1)>; rel="hub"'})  # fmt: skip
        elif path == "/enc/missing":
            self._send(visit, 200, gzip.compress(feed_links(base)),
                       {"Content-Type": "application/xml"})  # fmt: skip
        elif path == "/slow/headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for i in range(n):
                time.sleep(every)
                self.wfile.write(f"X-Slow-{i}: {i}\r\n".encode())
                self.wfile.flush()
                visit.header_lines_sent += 1
            body = article(90)
            self.wfile.write(b"Content-Type: text/html\r\nConnection: close\r\n")
            self.wfile.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        elif path == "/slow/body":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
            self.wfile.write(f"Connection: close\r\nContent-Length: {n}\r\n\r\n".encode())
            for _ in range(n):
                time.sleep(every)
                self.wfile.write(b"x")
                self.wfile.flush()
                visit.body_bytes_sent += 1
        elif path == "/slow/connect":
            for _ in range(n):
                time.sleep(every)
                self.wfile.write(b"")  # silent
            self._send(visit, 200, b"late", {})
        elif path.startswith("/redirect/loop/"):
            target = "/redirect/loop/b" if path.endswith("/a") else "/redirect/loop/a"
            self._send(visit, 302, b"", {"Location": target})
        elif path.startswith("/redirect/endless/"):
            step = int(path.rsplit("/", 1)[1])
            self._send(visit, 302, b"", {"Location": f"/redirect/endless/{step + 1}"})
        elif path == "/huge-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for i in range(1000):
                self.wfile.write(f"X-Huge-{i}: {'h' * 8192}\r\n".encode())
                visit.header_lines_sent += 1
            self.wfile.write(b"Content-Length: 2\r\nConnection: close\r\n\r\nok")
        else:
            self._send(visit, 404, b"not found", {})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.log: list[Visit] = []


class HostileServer:
    """Start with `start()`, stop with `stop()`; `url(path)` builds addresses."""

    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def visits(self, prefix: str) -> list[Visit]:
        with self._server.lock:
            return [v for v in self._server.log if v.path.startswith(prefix)]

    def wait_visits_done(self, prefix: str, timeout_s: float = 60.0) -> list[Visit]:
        """The visits to `prefix`, once the server has stopped serving each of them."""
        deadline = time.monotonic() + timeout_s
        for visit in self.visits(prefix):
            visit.done.wait(max(0.0, deadline - time.monotonic()))
        return self.visits(prefix)

    def start(self) -> HostileServer:
        gzip_zeros(200), deflate_zeros(200), double_gzip_bomb()  # built once, before serving
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
