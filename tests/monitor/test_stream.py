"""Server-sent events for the live stories page: snapshot first, pushes on change,
keep-alives, a bounded lifetime, a bounded number of streams, and no starved waitress."""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterator

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client

from tests.conftest import login
from tests.factories import ReportFactory, StoryFactory
from tests.servers import waitress_serving
from ttdn.monitor import stream


def _close(response) -> None:  # type: ignore[no-untyped-def]
    """Close a test-client response as the WSGI server would, without Django's
    `request_finished` → `close_old_connections`, which on PostgreSQL would close the
    connection that holds the test's transaction (the test client disconnects it the same
    way around the requests it makes itself).

    A stream read only part of the way needs one step more. The test client wraps a
    streaming response's content in a generator whose `finally` disconnects, closes the
    response and *reconnects* `close_old_connections`; run from inside `response.close()`
    (which closes that generator first), the reconnect came before the response's own
    `request_finished`, and the test's connection was closed inside its transaction
    (found by logging every close made inside an atomic block). So the generator is
    closed on its own first, and the receiver disconnected again after it."""
    request_finished.disconnect(close_old_connections)
    try:
        if response.streaming:
            response._iterator.close()  # the client's wrapper: its `finally` runs now
            request_finished.disconnect(close_old_connections)  # which reconnected it
        response.close()
    finally:
        request_finished.connect(close_old_connections)


FAST = {
    "MONITOR_STREAM_SECONDS": 1.0,
    "MONITOR_STREAM_CHECK_SECONDS": 0.02,
    "MONITOR_STREAM_KEEPALIVE_SECONDS": 0.1,
}


@pytest.fixture(autouse=True)
def no_open_streams() -> Iterator[None]:
    stream.slots.open = 0
    yield
    stream.slots.open = 0


def _events(chunks: Iterator[bytes], count: int) -> list[str]:
    """The next `count` SSE blocks (events, comments or the retry field)."""
    out: list[str] = []
    buffer = ""
    while len(out) < count:
        buffer += next(chunks).decode()
        while "\n\n" in buffer and len(out) < count:
            block, buffer = buffer.split("\n\n", 1)
            out.append(block)
    return out


@pytest.mark.django_db
def test_stream_sends_a_snapshot_then_new_stories_then_ends(
    client: Client, analyst, settings
) -> None:  # type: ignore[no-untyped-def]  # noqa: E501
    for key, value in FAST.items():
        setattr(settings, key, value)
    ReportFactory(story=StoryFactory(title="Old story"))
    login(client, analyst)
    response = client.get("/theo-doi/luong/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert response["Cache-Control"] == "no-cache"
    chunks = iter(response.streaming_content)
    retry, snapshot = _events(chunks, 2)
    assert retry == f"retry: {stream.RETRY_MS}"
    assert "event: stories" in snapshot and "Old story" in snapshot
    assert stream.slots.open == 1

    ReportFactory(story=StoryFactory(title="Breaking: a new story"))
    blocks = _events(chunks, 1)
    while blocks[-1].startswith(":"):  # keep-alives until the change is seen
        blocks = _events(chunks, 1)
    assert "event: stories" in blocks[-1] and "Breaking: a new story" in blocks[-1]
    assert blocks[-1].index("Breaking") < blocks[-1].index("Old story")  # newest first

    rest = [b for b in (c.decode() for c in chunks)]
    text = "".join(rest)
    assert ": keep-alive" in text  # nothing changed for a while: comments keep it alive
    assert text.rstrip().endswith('event: end\ndata: {"reconnect_ms": 1000}')
    _close(response)
    assert stream.slots.open == 0


@pytest.mark.django_db
def test_story_growth_is_pushed(client: Client, analyst, settings) -> None:  # type: ignore[no-untyped-def]
    for key, value in FAST.items():
        setattr(settings, key, value)
    story = StoryFactory(title="Growing story", report_count=1)
    ReportFactory(story=story)
    login(client, analyst)
    response = client.get("/theo-doi/luong/")
    chunks = iter(response.streaming_content)
    _events(chunks, 2)
    ReportFactory(story=story)
    story.report_count = 2
    story.save()
    block = _events(chunks, 1)[0]
    while block.startswith(":"):
        block = _events(chunks, 1)[0]
    assert '"reports": 2' in block
    _close(response)


@pytest.mark.django_db
def test_a_full_house_gets_204_and_a_closed_stream_frees_its_slot(
    client: Client, analyst, settings
) -> None:  # type: ignore[no-untyped-def]  # noqa: E501
    settings.MONITOR_STREAM_SLOTS = 1
    login(client, analyst)
    first = client.get("/theo-doi/luong/")
    assert first.status_code == 200
    second = client.get("/theo-doi/luong/")
    assert second.status_code == 204  # EventSource stops retrying: the page polls instead
    _close(first)  # never iterated (the browser left at once): the slot is still freed
    third = client.get("/theo-doi/luong/")
    assert third.status_code == 200
    _close(third)
    assert stream.slots.open == 0


@pytest.mark.django_db
def test_stream_needs_a_login(client: Client) -> None:
    assert client.get("/theo-doi/luong/").status_code == 302
    assert stream.slots.open == 0


@pytest.mark.django_db(transaction=True)
def test_open_streams_do_not_starve_waitress(analyst, settings) -> None:  # type: ignore[no-untyped-def]
    """The embedded server's arithmetic: waitress threads = page threads + stream slots. With
    every slot held by a browser, one more stream is refused at once and pages still load."""
    settings.MONITOR_STREAM_SLOTS = 2
    settings.MONITOR_STREAM_SECONDS = 30.0
    settings.MONITOR_STREAM_CHECK_SECONDS = 0.05
    settings.MONITOR_STREAM_KEEPALIVE_SECONDS = 0.1
    page_threads = 1
    client = login(Client(), analyst)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    with waitress_serving(threads=page_threads + stream.slot_limit()) as port:

        def get(path: str, accept: str = "application/json") -> http.client.HTTPResponse:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path, headers={"Cookie": cookie, "Accept": accept})
            return conn.getresponse()

        held = [get("/theo-doi/luong/", "text/event-stream") for _ in range(2)]
        for response in held:
            assert response.status == 200
            assert response.readline() == b"retry: 1000\n"  # the stream is running
        refused = get("/theo-doi/luong/", "text/event-stream")
        assert refused.status == 204
        for _ in range(3):  # pages keep loading while both streams hold their threads
            page = get("/theo-doi/")
            assert page.status == 200
            assert "stories" in page.read().decode()
        for response in held:
            response.close()
        # browsers that leave are noticed at the next keep-alive and their threads freed
        deadline = time.monotonic() + 10
        while stream.slots.open and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stream.slots.open == 0


@pytest.mark.django_db(transaction=True)
def test_stopping_the_server_ends_a_running_stream(analyst, settings) -> None:  # type: ignore[no-untyped-def]
    """A stream still open when the server stops (a test that fails half-way, a browser that
    never leaves) ends at its next keep-alive, and its thread lets go of the database."""
    settings.MONITOR_STREAM_SECONDS = 30.0
    settings.MONITOR_STREAM_CHECK_SECONDS = 0.05
    settings.MONITOR_STREAM_KEEPALIVE_SECONDS = 0.1
    client = login(Client(), analyst)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    began = time.monotonic()
    with waitress_serving(threads=1 + stream.slot_limit()) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/theo-doi/luong/", headers={"Cookie": cookie})
        response = conn.getresponse()
        assert response.status == 200 and response.readline() == b"retry: 1000\n"
        assert response.readline() == b"\n"
        assert response.readline() == b"id: 1\n"
        assert response.readline() == b"event: stories\n"  # it has read the database
    assert time.monotonic() - began < 20  # not the stream's 30 s
    assert stream.slots.open == 0
    conn.close()


@pytest.mark.django_db
def test_stream_speaks_the_readers_language(client: Client, analyst, settings) -> None:  # type: ignore[no-untyped-def]
    for key, value in FAST.items():
        setattr(settings, key, value)
    login(client, analyst)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/theo-doi/luong/")
    _retry, snapshot = _events(iter(response.streaming_content), 2)
    assert "0 reports (0 originals), 0 stories" in snapshot
    _close(response)
