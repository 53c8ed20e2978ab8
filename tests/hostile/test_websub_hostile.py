"""WebSub against hostile input: the hub request goes through the guarded client (finding 9)
and a delivery that fails is recorded once, never retried in front of the others (6)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.monitor.conftest import Site, article_html, rss, site  # noqa: F401 - fixture
from ttdn.monitor import websub
from ttdn.monitor.models import Report, StageCounter, WebSubDelivery, WebSubState
from ttdn.monitor.runtime import MonitorRuntime
from ttdn.monitor.services import source_add
from ttdn.monitor.websub import websub_deliveries_process, websub_subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def internal_hub() -> Iterator[tuple[int, list[str]]]:
    """An "internal" service on 127.0.0.1 that must never receive our subscription."""
    posts: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server API
            posts.append(self.path)
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield int(server.server_address[1]), posts
    server.shutdown()
    server.server_close()


def test_hub_name_rebinding_to_an_internal_address_is_refused(
    internal_hub: tuple[int, list[str]],
    settings,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    port, posts = internal_hub
    settings.WEBSUB_CALLBACK_URL = "https://ttdn.example.org"
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])  # the first lookup (the check) sees a public address

    def rebinding(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host == "hub.rebind.test":
            ip = next(answers, "127.0.0.1")  # ...every later one the internal service
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    source = source_add(name="Rebind", feed_url="https://news.example.org/feed")
    feed = source.feeds.get()
    feed.hub_url = f"http://hub.rebind.test:{port}/"
    feed.save()
    subscription = websub_subscribe(feed=feed)
    assert posts == []
    assert subscription.state == WebSubState.FAILED
    assert "refused_address" in subscription.last_error


def test_a_failing_delivery_is_recorded_and_the_next_one_still_processed(
    site: Site,  # noqa: F811 - fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    site.add("/a/1", article_html("Hà Nội mở cảng mới", ["Việt Nam mở cảng mới ở Hải Phòng."]))
    good = rss([("Hà Nội mở cảng mới", site.base_url + "/a/1", "Việt Nam mở cảng")])
    source = source_add(name="Push", feed_url=site.base_url + "/feed", allow_private=True)
    feed = source.feeds.get()
    subscription = websub.WebSubSubscription.objects.create(
        feed=feed, hub_url="http://hub.example.org/", topic=feed.url, token="t", secret="s"
    )
    poison = WebSubDelivery.objects.create(subscription=subscription, body=b"POISON")
    fine = WebSubDelivery.objects.create(subscription=subscription, body=good.encode())
    real_parse = websub.feeds_stage.parse

    def parse(data: bytes, **kwargs):  # type: ignore[no-untyped-def]
        if data == b"POISON":
            raise OverflowError("date value out of range")  # a bug deeper in the pipeline
        return real_parse(data, **kwargs)

    monkeypatch.setattr(websub.feeds_stage, "parse", parse)
    summary = websub_deliveries_process(runtime=MonitorRuntime())
    assert summary["deliveries"] == 2
    poison.refresh_from_db()
    fine.refresh_from_db()
    assert poison.processed_at is not None and "OverflowError" in poison.error
    assert fine.processed_at is not None and fine.reports_created == 1
    assert Report.objects.filter(url=site.base_url + "/a/1").exists()
    assert StageCounter.objects.get(stage="websub", reason="delivery_failed").count == 1
    # nothing left to retry
    assert websub_deliveries_process(runtime=MonitorRuntime())["deliveries"] == 0
