"""fetch against the hostile server: bombs, stalls, loops and odd encodings.

Each test proves the client stopped (the server's own log says how far it got), that the
refusal is typed with a reason, and that memory stayed under the cap (tracemalloc's peak
counts every bytes object zlib returns).
"""

from __future__ import annotations

import dataclasses
import tracemalloc
from collections.abc import Iterator

import pytest

from ttdn.benchmarks.hostile_site import HostileServer
from ttdn.pipeline import feeds
from ttdn.pipeline.errors import (
    FetchTimeoutError,
    PermanentError,
    PipelineError,
    RedirectError,
    TooLargeError,
    TransientError,
)
from ttdn.pipeline.fetch import FetchPolicy, FetchResult, FetchState, HttpClients, fetch

CAP = 2 * 1024 * 1024
POLICY = FetchPolicy(
    min_host_delay=0.0,
    connect_timeout=5.0,
    read_timeout=5.0,
    total_timeout=30.0,
    max_bytes=CAP,
    respect_robots=False,
)
# for the stalling routes: a server that sends something every 0.5 s for 20 s
SHORT = dataclasses.replace(POLICY, total_timeout=1.5)


@pytest.fixture
def clients() -> Iterator[HttpClients]:
    with HttpClients(POLICY) as pair:
        yield pair


def get(
    url: str,
    clients: HttpClients,
    state: FetchState | None = None,
    policy: FetchPolicy = POLICY,
) -> FetchResult:
    return fetch(url, clients=clients, state=state or FetchState(), policy=policy,
                 allow_private=True)  # fmt: skip


def peak_while(func: object) -> tuple[BaseException | None, int]:
    tracemalloc.start()
    try:
        try:
            func()  # type: ignore[operator]
        except PipelineError as exc:
            return exc, tracemalloc.get_traced_memory()[1]
        return None, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("path", ["/bomb/gzip", "/bomb/deflate"])
def test_single_bomb_stops_at_the_cap_while_decoding(
    hostile: HostileServer, clients: HttpClients, path: str
) -> None:
    error, peak = peak_while(lambda: get(hostile.url(path), clients))
    assert isinstance(error, TooLargeError), error
    assert "once decoded" in str(error)
    # the body list holds at most the cap, plus one bounded inflate step
    assert peak < 3 * CAP, peak


def test_stacked_encodings_are_refused_before_inflating(
    hostile: HostileServer, clients: HttpClients
) -> None:
    error, peak = peak_while(lambda: get(hostile.url("/bomb/gzip-gzip"), clients))
    assert isinstance(error, PermanentError) and error.reason == "stacked_encoding", error
    assert peak < CAP, peak


@pytest.mark.parametrize(
    ("path", "reason"), [("/enc/unknown", "unsupported_encoding"), ("/enc/wrong", "decoding")]
)
def test_wrong_or_unknown_encoding_is_a_typed_refusal(
    hostile: HostileServer, clients: HttpClients, path: str, reason: str
) -> None:
    with pytest.raises(PermanentError) as caught:
        get(hostile.url(path), clients)
    assert caught.value.reason == reason


def test_missing_encoding_header_on_a_gzipped_feed_is_still_read(
    hostile: HostileServer, clients: HttpClients
) -> None:
    result = get(hostile.url("/enc/missing"), clients)
    parsed = feeds.parse(result.body, url=result.final_url)
    assert [i.url for i in parsed.items] == [hostile.url(f"/article/{n}") for n in (1, 2, 3)]


def test_slow_headers_end_at_the_total_deadline(
    hostile: HostileServer, clients: HttpClients
) -> None:
    # 40 header lines, one every 0.5 s (20 s): each arrives well within the read timeout,
    # so only the wall-clock deadline (1.5 s) can stop it.
    url = hostile.url("/slow/headers?n=40&every=0.5&case=deadline")
    with pytest.raises(FetchTimeoutError) as caught:
        get(url, clients, policy=SHORT)
    assert "in total" in str(caught.value)
    (visit,) = hostile.wait_visits_done("/slow/headers?n=40&every=0.5&case=deadline")
    assert not visit.finished and visit.header_lines_sent < 40


def test_slow_body_ends_at_the_total_deadline(hostile: HostileServer, clients: HttpClients) -> None:
    with pytest.raises(FetchTimeoutError):
        get(hostile.url("/slow/body?n=40&every=0.5&case=body"), clients, policy=SHORT)
    (visit,) = hostile.wait_visits_done("/slow/body?n=40&every=0.5&case=body")
    assert not visit.finished and visit.body_bytes_sent < 40


def test_a_slow_origin_is_left_alone_after_one_timeout(
    hostile: HostileServer, clients: HttpClients
) -> None:
    state = FetchState()
    with pytest.raises(FetchTimeoutError):
        get(hostile.url("/slow/headers?n=40&every=0.5&case=backoff1"), clients, state, SHORT)
    with pytest.raises(TransientError) as caught:
        get(hostile.url("/slow/headers?n=40&every=0.5&case=backoff2"), clients, state, SHORT)
    assert caught.value.reason == "origin_backoff"
    assert hostile.visits("/slow/headers?n=40&every=0.5&case=backoff2") == []


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/redirect/loop/a", "redirect_loop"), ("/redirect/endless/0", "too_many_redirects")],
)
def test_redirect_loops_and_endless_chains_stop(
    hostile: HostileServer, clients: HttpClients, path: str, reason: str
) -> None:
    with pytest.raises(RedirectError) as caught:
        get(hostile.url(path), clients)
    assert caught.value.reason == reason


def test_huge_headers_are_refused_without_reading_them_all(
    hostile: HostileServer, clients: HttpClients
) -> None:
    error, peak = peak_while(lambda: get(hostile.url("/huge-headers"), clients))
    assert isinstance(error, PipelineError), error
    assert peak < CAP


def test_a_non_http_hub_in_the_link_header_is_dropped(
    hostile: HostileServer, clients: HttpClients
) -> None:
    result = get(hostile.url("/hub/javascript"), clients)
    assert result.status == 200 and result.hub_url == ""
