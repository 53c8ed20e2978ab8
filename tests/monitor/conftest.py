"""A real HTTP server on 127.0.0.1 serving real feed and article bytes to the fetcher."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Site:
    """Paths → (status, content type, body, delay seconds). Mutable while the server runs."""

    pages: dict[str, tuple[int, str, bytes, float]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    #: extra response headers per path (e.g. Retry-After)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    base_url: str = ""

    def add(self, path: str, body: bytes | str, *, content_type: str = "text/html; charset=utf-8",
            status: int = 200, delay: float = 0.0) -> str:  # fmt: skip
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = (status, content_type, data, delay)
        return self.base_url + path


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server API
            state.hits.append(self.path)
            status, content_type, body, delay = state.pages.get(
                self.path, (404, "text/plain", b"not found", 0.0)
            )
            if delay:
                time.sleep(delay)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in state.headers.get(self.path, {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def rss(items: list[tuple[str, str, str]], *, title: str = "Test feed") -> str:
    """An RSS 2.0 document from (title, link, description) triples."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<description>{d}</description><pubDate>Sun, 22 Nov 2026 08:00:00 GMT</pubDate></item>"
        for t, link, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link><description>x</description>"
        f"{entries}</channel></rss>"
    )


def article_html(title: str, paragraphs: list[str], lang: str = "en") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><nav>Home | World</nav><article><h1>{title}</h1>{body}</article>"
        "<footer>© Example News</footer></body></html>"
    )
