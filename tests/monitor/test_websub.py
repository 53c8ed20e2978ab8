"""WebSub push end to end: a real local hub on 127.0.0.1 verifies our intent through the live
server's callback and pushes signed content, which ends up as reports through the pipeline."""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.monitor.conftest import Site, article_html, rss
from ttdn.monitor.models import Report, StageCounter, WebSubDelivery, WebSubState
from ttdn.monitor.runtime import MonitorRuntime
from ttdn.monitor.services import source_add, source_poll
from ttdn.monitor.websub import websub_deliveries_process, websub_subscribe_due
from ttdn.pipeline import websub as protocol

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Hub:
    """A minimal WebSub hub: on subscribe it answers 202, verifies intent with a challenge,
    then pushes `content` signed with the subscriber's secret (and one forged copy)."""

    content: bytes = b""
    base_url: str = ""
    requests: list[dict[str, str]] = field(default_factory=list)
    verified: list[bool] = field(default_factory=list)
    pushes: list[int] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def run(self, form: dict[str, str]) -> None:
        try:
            callback = form["hub.callback"]
            query = urllib.parse.urlencode(
                {"hub.mode": form["hub.mode"], "hub.topic": form["hub.topic"],
                 "hub.challenge": "c-123", "hub.lease_seconds": "86400"}
            )  # fmt: skip
            answer = httpx.get(f"{callback}?{query}", timeout=10)
            self.verified.append(answer.status_code == 200 and answer.text == "c-123")
            if not self.verified[-1]:
                return
            wrong = httpx.get(
                f"{callback}?hub.mode=subscribe&hub.topic=https%3A%2F%2Fevil%2F&hub.challenge=x",
                timeout=10,
            )
            self.verified.append(wrong.status_code == 404)
            headers = {"Content-Type": "application/rss+xml"}
            signature = protocol.sign(form["hub.secret"], self.content)
            forged = httpx.post(callback, content=self.content + b" ", timeout=10,
                                headers={**headers, "X-Hub-Signature": signature})  # fmt: skip
            genuine = httpx.post(callback, content=self.content, timeout=10,
                                 headers={**headers, "X-Hub-Signature": signature})  # fmt: skip
            self.pushes.extend([forged.status_code, genuine.status_code])
        finally:
            self.done.set()


@pytest.fixture
def hub() -> Iterator[Hub]:
    state = Hub()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server API
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            state.requests.append(form)
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()
            threading.Thread(target=state.run, args=(form,), daemon=True).start()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state
    server.shutdown()
    server.server_close()


def _feed_with_hub(site: Site, hub_url: str, paths: list[str]) -> bytes:
    items = [(f"Story {p}", site.base_url + p, f"Summary of {p}") for p in paths]
    body = rss(items).replace(
        "<channel>",
        '<channel><atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="hub" '
        f'href="{hub_url}"/>',
        1,
    )
    return body.encode("utf-8")


def test_hub_push_becomes_reports_once(
    site: Site, hub: Hub, live_server, settings, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    runtime = MonitorRuntime()
    settings.WEBSUB_CALLBACK_URL = live_server.url
    for n, place in ((1, "Đà Lạt"), (2, "Huế"), (3, "Cần Thơ")):
        site.add(f"/a/{n}", article_html(f"News {n} from {place}", [
            f"Officials in {place}, Vietnam, announced measure number {n} on Monday.",
            "The announcement was welcomed by residents and businesses alike.",
        ]))  # fmt: skip
    site.add("/feed.xml", _feed_with_hub(site, hub.base_url, ["/a/1"]),
             content_type="application/rss+xml")  # fmt: skip
    hub.content = _feed_with_hub(site, hub.base_url, ["/a/1", "/a/2", "/a/3"])

    source = source_add(name="Hubbed", feed_url=f"{site.base_url}/feed.xml", allow_private=True)
    source_poll(source_id=source.pk, runtime=runtime)
    feed = source.feeds.get()
    assert feed.hub_url == hub.base_url
    assert Report.objects.count() == 1

    assert websub_subscribe_due() == 1
    assert hub.done.wait(30), "the hub finished verifying and pushing"
    assert hub.requests[0]["hub.topic"] == feed.url
    assert hub.requests[0]["hub.callback"].startswith(live_server.url + "/websub/")
    assert hub.verified == [True, True], "our challenge echoed; a foreign topic refused"
    assert hub.pushes == [202, 202], "forged and genuine deliveries both acknowledged"
    feed.websub.refresh_from_db()
    assert feed.websub.state == WebSubState.ACTIVE and feed.websub.lease_expires_at
    assert WebSubDelivery.objects.count() == 1, "the forged body was not stored"
    assert StageCounter.objects.get(stage="websub", reason="bad_signature").count == 1

    summary = websub_deliveries_process(runtime=runtime)
    assert summary == {"deliveries": 1, "reports_created": 2}
    assert sorted(Report.objects.values_list("url", flat=True)) == [
        f"{site.base_url}/a/{n}" for n in (1, 2, 3)
    ]
    assert all(r.story_id for r in Report.objects.all())
    assert websub_deliveries_process(runtime=runtime)["deliveries"] == 0
    assert websub_subscribe_due() == 0, "an active lease is not renewed early"


def test_callback_refuses_unknown_tokens_and_push_is_off_without_a_callback_url(
    client, settings  # type: ignore[no-untyped-def]
) -> None:
    settings.WEBSUB_CALLBACK_URL = ""
    assert websub_subscribe_due() == 0
    response = client.get("/websub/nope/?hub.mode=subscribe&hub.topic=x&hub.challenge=y")
    assert response.status_code == 404
    assert client.post("/websub/nope/", b"x", content_type="text/xml").status_code == 410


def test_unreachable_hub_is_recorded_not_raised(
    site: Site, settings, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    settings.WEBSUB_CALLBACK_URL = "https://ttdn.example.gov.vn"
    site.add("/feed.xml", _feed_with_hub(site, "http://127.0.0.1:9/hub", []),
             content_type="application/rss+xml")  # fmt: skip
    source = source_add(name="Dead hub", feed_url=f"{site.base_url}/feed.xml", allow_private=True)
    source_poll(source_id=source.pk, runtime=MonitorRuntime())
    assert websub_subscribe_due() == 1
    subscription = source.feeds.get().websub
    assert subscription.state == WebSubState.FAILED
    assert "unreachable" in subscription.last_error
    assert websub_subscribe_due() == 0, "retried only after an hour"
