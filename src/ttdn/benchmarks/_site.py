"""A local news site for benchmarks: an RSS feed and article pages served on 127.0.0.1."""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class BenchSite:
    """Articles (title, text, lang) published at chosen moments; the feed lists those due."""

    articles: list[tuple[str, str, str]] = field(default_factory=list)
    appear_at: list[float] = field(default_factory=list)  # time.time() per article
    base_url: str = ""

    def feed(self, now: float) -> bytes:
        items = []
        for i, (title, text, _lang) in enumerate(self.articles):
            if self.appear_at[i] > now:
                continue
            published = format_datetime(datetime.fromtimestamp(self.appear_at[i], UTC))
            items.append(
                f"<item><title>{html.escape(title)}</title><link>{self.base_url}/a/{i}</link>"
                f"<guid>{self.base_url}/a/{i}</guid><pubDate>{published}</pubDate>"
                f"<description>{html.escape(text[:200])}</description></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            "<title>Bench</title><link>http://bench.local/</link><description>bench</description>"
            + "".join(reversed(items))
            + "</channel></rss>"
        ).encode()

    def page(self, index: int) -> bytes:
        title, text, lang = self.articles[index]
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
        return (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title></head><body><nav>Home | World</nav><article>"
            f"<h1>{html.escape(title)}</h1>{paragraphs}</article><footer>Bench</footer></body></html>"
        ).encode()


@contextmanager
def serve(site: BenchSite) -> Iterator[BenchSite]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server API
            if self.path == "/feed.xml":
                body, kind, status = site.feed(time.time()), "application/rss+xml", 200
            elif self.path.startswith("/a/") and self.path[3:].isdigit():
                body, kind, status = site.page(int(self.path[3:])), "text/html; charset=utf-8", 200
            else:
                body, kind, status = b"not found", "text/plain", 404
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def bench_environment(prefix: str) -> str:
    """Point Django at a fresh data directory (own SQLite) before it is set up."""
    import os
    import tempfile

    directory = tempfile.mkdtemp(prefix=prefix)
    os.environ["TTDN_DATA_DIR"] = directory
    os.environ.pop("TTDN_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", "-v", "0")
    return directory
