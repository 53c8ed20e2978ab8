"""fetch: conditional GET, robots.txt, politeness, caps, redirects and SSRF refusal.

Everything runs against a real HTTP server on 127.0.0.1 (conftest.py) with
``allow_private=True``, except the refusal tests, which prove that without it nothing
reaches the server at all.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.pipeline.conftest import FEEDS, HTML, Hit, LocalServer, fixture_bytes
from ttdn.pipeline import feeds
from ttdn.pipeline.errors import (
    ConnectionFailedError,
    FetchTimeoutError,
    HTTPStatusPermanentError,
    HTTPStatusTransientError,
    PermanentError,
    RedirectError,
    RefusedURLError,
    TooLargeError,
)
from ttdn.pipeline.fetch import (
    FetchPolicy,
    FetchRequest,
    FetchResult,
    FetchState,
    HttpClients,
    address_problem,
    check_url,
    fetch,
    fetch_many,
)

FAST = FetchPolicy(
    min_host_delay=0.0,
    connect_timeout=2.0,
    read_timeout=2.0,
    total_timeout=10.0,
    max_bytes=1024 * 1024,
)


@pytest.fixture
def clients() -> Iterator[HttpClients]:
    with HttpClients(FAST) as pair:
        yield pair


def get(
    url: str,
    clients: HttpClients,
    *,
    state: FetchState | None = None,
    policy: FetchPolicy = FAST,
    etag: str = "",
    last_modified: str = "",
) -> FetchResult:
    return fetch(
        url,
        clients=clients,
        state=state or FetchState(),
        policy=policy,
        allow_private=True,
        etag=etag,
        last_modified=last_modified,
    )


# --- served fixtures -------------------------------------------------------------------------

SERVED = [
    ("feeds/vnexpress_tin-moi-nhat_2017-11-14.rss", "application/rss+xml", "Tin mới nhất"),
    ("feeds/rssparser_encoding-gb2312_qq_news.xml", "application/xml", "互联网"),
    ("feeds/rssparser_encoding.rss", "application/rss+xml", "Jornal de Notícias"),
    ("feeds/trafilatura_npr_technology_feed.json", "application/feed+json", "Technology"),
    ("feeds/washingtonpost_news_sitemap_2017-11-23.xml", "application/xml", ""),
]


@pytest.mark.parametrize(("name", "content_type", "title"), SERVED, ids=[s[0] for s in SERVED])
def test_fetches_fixture_bytes_exactly_and_parses(
    http_server: LocalServer, clients: HttpClients, name: str, content_type: str, title: str
) -> None:
    result = get(http_server.url("/" + name), clients)
    assert result.status == 200
    assert result.body == fixture_bytes(FEEDS.parent / name)
    assert result.content_type == content_type
    assert result.etag.startswith('"') and result.last_modified
    assert not result.not_modified
    parsed = feeds.parse(result.body, url=result.final_url, content_type=result.content_type)
    assert parsed.items, parsed.errors
    assert title in parsed.title


def test_html_page_round_trip(http_server: LocalServer, clients: HttpClients) -> None:
    result = get(http_server.url("/html/nhk.or.jp.k100.html"), clients)
    assert result.body == fixture_bytes(HTML / "nhk.or.jp.k100.html")
    assert result.content_type == "text/html"
    assert result.elapsed > 0


# --- conditional GET -----------------------------------------------------------------------


def test_conditional_get_with_etag_returns_not_modified(
    http_server: LocalServer, clients: HttpClients
) -> None:
    url = http_server.url("/feeds/rssparser_heise.atom")
    state = FetchState()
    first = get(url, clients, state=state)
    assert first.status == 200 and first.body
    second = get(url, clients, state=state, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified is True
    assert second.status == 304
    assert second.body == b""
    assert second.etag == first.etag
    sent = [h for h in http_server.state.hits if h.path.endswith("heise.atom")]
    assert len(sent) == 2
    assert sent[1].headers.get("If-None-Match") == first.etag
    assert sent[1].headers.get("If-Modified-Since") == first.last_modified


def test_conditional_get_with_last_modified_only_keeps_validator(
    http_server: LocalServer, clients: HttpClients
) -> None:
    url = http_server.url("/feeds/rssparser_heise.atom")
    first = get(url, clients)
    second = get(url, clients, last_modified=first.last_modified)
    assert second.not_modified and second.body == b""
    assert second.last_modified == first.last_modified


def test_changed_validator_gets_full_body(http_server: LocalServer, clients: HttpClients) -> None:
    url = http_server.url("/feeds/rssparser_heise.atom")
    result = get(url, clients, etag='"stale"')
    assert result.status == 200 and not result.not_modified
    assert result.body == fixture_bytes(FEEDS / "rssparser_heise.atom")


def test_response_without_validators(http_server: LocalServer, clients: HttpClients) -> None:
    result = get(http_server.url("/no-validators"), clients)
    assert result.status == 200 and result.etag == "" and result.last_modified == ""


# --- politeness and concurrency --------------------------------------------------------------


def test_min_delay_between_requests_to_one_host(
    http_server: LocalServer, clients: HttpClients
) -> None:
    policy = FetchPolicy(min_host_delay=0.3, respect_robots=False)
    state = FetchState()
    for name in ("rssparser_heise.atom", "rssparser_rss-1.rss", "rssparser_craigslist.rss"):
        get(http_server.url(f"/feeds/{name}"), clients, state=state, policy=policy)
    hits = http_server.state.hits
    assert len(hits) == 3
    gaps = [b.started - a.ended for a, b in zip(hits, hits[1:], strict=False)]
    assert min(gaps) >= 0.25, gaps


def _overlaps(a: list[Hit], b: list[Hit]) -> bool:
    return any(x.started < y.ended and y.started < x.ended for x in a for y in b)


def test_fetch_many_one_at_a_time_per_host_but_parallel_across_hosts(
    http_server: LocalServer, second_server: LocalServer, clients: HttpClients
) -> None:
    policy = FetchPolicy(min_host_delay=0.0, respect_robots=False, max_concurrency=4)
    requests = [
        FetchRequest(url=server.url("/slow?s=0.4"), allow_private=True)
        for server in (http_server, second_server)
        for _ in range(2)
    ]
    results = fetch_many(requests, clients=clients, state=FetchState(), policy=policy)
    assert all(isinstance(r, FetchResult) and r.body == b"late" for r in results)
    # per host: never two at once...
    assert http_server.state.max_in_flight == 1
    assert second_server.state.max_in_flight == 1
    # ...but the two hosts were served at the same time (from the servers' own logs, so
    # the check does not depend on how loaded the machine is)
    assert _overlaps(http_server.state.hits, second_server.state.hits)


def test_fetch_many_respects_global_concurrency_limit(
    http_server: LocalServer, second_server: LocalServer, clients: HttpClients
) -> None:
    policy = FetchPolicy(min_host_delay=0.0, respect_robots=False, max_concurrency=1)
    requests = [
        FetchRequest(url=server.url("/slow?s=0.2"), allow_private=True)
        for server in (http_server, second_server)
    ]
    results = fetch_many(requests, clients=clients, state=FetchState(), policy=policy)
    assert all(isinstance(r, FetchResult) for r in results)
    assert len(http_server.state.hits) == len(second_server.state.hits) == 1
    assert not _overlaps(http_server.state.hits, second_server.state.hits)


def test_fetch_many_returns_errors_in_place(http_server: LocalServer, clients: HttpClients) -> None:
    requests = [
        FetchRequest(url=http_server.url("/feeds/rssparser_heise.atom"), allow_private=True),
        FetchRequest(url=http_server.url("/status/404"), allow_private=True),
        FetchRequest(url="file:///etc/passwd"),
    ]
    results = fetch_many(requests, clients=clients, state=FetchState(), policy=FAST)
    assert isinstance(results[0], FetchResult) and results[0].status == 200
    assert isinstance(results[1], HTTPStatusPermanentError) and results[1].status == 404
    assert isinstance(results[2], RefusedURLError)


# --- status codes ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", [404, 410, 403, 400])
def test_permanent_statuses(http_server: LocalServer, clients: HttpClients, code: int) -> None:
    with pytest.raises(HTTPStatusPermanentError) as caught:
        get(http_server.url(f"/status/{code}"), clients)
    assert caught.value.status == code
    assert caught.value.reason == f"http_{code}"
    assert not caught.value.retryable
    assert str(code) in str(caught.value)


@pytest.mark.parametrize("code", [500, 502, 503, 429, 408])
def test_transient_statuses(http_server: LocalServer, clients: HttpClients, code: int) -> None:
    with pytest.raises(HTTPStatusTransientError) as caught:
        get(http_server.url(f"/status/{code}"), clients)
    assert caught.value.status == code and caught.value.retryable
    if code in (429, 503):
        assert caught.value.retry_after == 120.0


def test_dropped_connection_is_transient(http_server: LocalServer, clients: HttpClients) -> None:
    with pytest.raises(ConnectionFailedError) as caught:
        get(http_server.url("/drop"), clients)
    assert caught.value.retryable and caught.value.reason == "connection"


def test_nothing_listening_is_transient(clients: HttpClients) -> None:
    import socket

    with socket.socket() as probe:  # find a port that is surely closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectionFailedError):
        get(f"http://127.0.0.1:{port}/feed.xml", clients)


# --- timeouts and size caps ------------------------------------------------------------------


def test_slow_server_times_out(http_server: LocalServer, clients: HttpClients) -> None:
    policy = FetchPolicy(min_host_delay=0.0, read_timeout=0.3, respect_robots=False)
    with HttpClients(policy) as slow_clients:
        started = time.monotonic()
        with pytest.raises(FetchTimeoutError) as caught:
            get(http_server.url("/slow?s=3"), slow_clients, policy=policy)
    assert time.monotonic() - started < 2.5
    assert caught.value.retryable and caught.value.reason == "timeout"


def test_dripping_server_hits_total_deadline(
    http_server: LocalServer, clients: HttpClients
) -> None:
    # Each byte arrives well within the read timeout; only the total deadline stops it.
    policy = FetchPolicy(
        min_host_delay=0.0, read_timeout=2.0, total_timeout=0.8, respect_robots=False
    )
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError):
        get(http_server.url("/drip"), clients, policy=policy)
    assert time.monotonic() - started < 6.0  # the drip alone would take 10 s


def test_declared_length_over_cap_is_refused_before_reading(
    http_server: LocalServer, clients: HttpClients
) -> None:
    policy = FetchPolicy(min_host_delay=0.0, max_bytes=50_000, respect_robots=False)
    with pytest.raises(TooLargeError) as caught:
        get(http_server.url("/html/radiomaryja.pl.lux-veritatis.html"), clients, policy=policy)
    assert "Content-Length" in str(caught.value) and "50000" in str(caught.value)
    assert not caught.value.retryable


def test_streamed_body_over_cap_stops_reading(
    http_server: LocalServer, clients: HttpClients
) -> None:
    policy = FetchPolicy(min_host_delay=0.0, max_bytes=200_000, respect_robots=False)
    with pytest.raises(TooLargeError) as caught:
        get(http_server.url("/big"), clients, policy=policy)
    assert "stopped reading" in str(caught.value)


def test_gzip_bomb_is_capped_on_decoded_size(
    http_server: LocalServer, clients: HttpClients
) -> None:
    policy = FetchPolicy(min_host_delay=0.0, max_bytes=1_000_000, respect_robots=False)
    with pytest.raises(TooLargeError):
        get(http_server.url("/gzip-bomb"), clients, policy=policy)


# --- redirects -------------------------------------------------------------------------------


def test_redirect_chain_is_followed(http_server: LocalServer, clients: HttpClients) -> None:
    result = get(http_server.url("/chain/3"), clients)
    assert result.final_url == http_server.url("/chain/0")
    assert len(result.redirects) == 3
    assert result.body == fixture_bytes(FEEDS / "vnexpress_tin-moi-nhat_2017-11-14.rss")


def test_too_many_redirects(http_server: LocalServer, clients: HttpClients) -> None:
    policy = FetchPolicy(min_host_delay=0.0, max_redirects=2, respect_robots=False)
    with pytest.raises(RedirectError) as caught:
        get(http_server.url("/chain/5"), clients, policy=policy)
    assert caught.value.reason == "too_many_redirects"


def test_redirect_loop_is_detected(http_server: LocalServer, clients: HttpClients) -> None:
    with pytest.raises(RedirectError) as caught:
        get(http_server.url("/loop/a"), clients)
    assert caught.value.reason == "redirect_loop"
    assert "/loop/a -> " in str(caught.value)
    assert http_server.state.paths().count("/loop/a") == 1


@pytest.mark.parametrize(
    ("target", "error", "reason"),
    [
        ("file:///etc/passwd", RefusedURLError, "refused_scheme"),
        ("ftp://example.org/feed.xml", RefusedURLError, "refused_scheme"),
        # httpx cannot even parse these Locations; still a permanent, typed error
        ("javascript:alert(1)", RedirectError, "bad_redirect"),
        ("data:text/html,hi", RedirectError, "bad_redirect"),
    ],
)
def test_redirect_target_scheme_is_rechecked(
    http_server: LocalServer,
    clients: HttpClients,
    target: str,
    error: type[PermanentError],
    reason: str,
) -> None:
    with pytest.raises(error) as caught:
        get(http_server.url(f"/redirect?to={target}"), clients)
    assert caught.value.reason == reason
    assert http_server.state.paths()[-1].startswith("/redirect")


def test_websub_hub_from_link_header(http_server: LocalServer, clients: HttpClients) -> None:
    result = get(http_server.url("/hub-feed"), clients)
    assert result.hub_url == "https://hub.example.org/"
    assert result.encoding == ""


# --- refusal (SSRF) --------------------------------------------------------------------------

REFUSED = [
    ("http://127.0.0.1:{port}/feeds/rssparser_heise.atom", "refused_address", "loopback"),
    ("http://localhost:{port}/feeds/rssparser_heise.atom", "refused_address", "loopback"),
    ("http://[::1]:{port}/feed.xml", "refused_address", "loopback"),
    ("http://[::ffff:127.0.0.1]:{port}/feed.xml", "refused_address", "loopback"),
    ("http://10.1.2.3/feed.xml", "refused_address", "private"),
    ("http://192.168.0.10/feed.xml", "refused_address", "private"),
    ("http://169.254.169.254/latest/meta-data/", "refused_address", "link-local"),
    ("http://224.0.0.1/", "refused_address", "multicast"),
    ("http://0.0.0.0:{port}/", "refused_address", "unspecified"),
    ("http://100.64.0.1/", "refused_address", "not globally routable"),
    ("file:///etc/passwd", "refused_scheme", "file:"),
    ("data:text/plain,hello", "refused_scheme", "data:"),
    ("ftp://ftp.example.org/feed.xml", "refused_scheme", "ftp:"),
    ("javascript:alert(1)", "refused_scheme", "javascript:"),
    ("gopher://127.0.0.1:70/", "refused_scheme", "gopher:"),
]


@pytest.mark.parametrize(("template", "reason", "words"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_without_allow_private_and_nothing_is_sent(
    http_server: LocalServer, clients: HttpClients, template: str, reason: str, words: str
) -> None:
    url = template.format(port=http_server.port)
    with pytest.raises(RefusedURLError) as caught:
        fetch(url, clients=clients, state=FetchState(), policy=FAST)
    assert caught.value.reason == reason
    assert words in str(caught.value)
    assert not caught.value.retryable and isinstance(caught.value, PermanentError)
    assert http_server.state.hits == []


def test_obfuscated_loopback_is_refused_at_connect_time(
    http_server: LocalServer, clients: HttpClients
) -> None:
    # 2130706433 is 127.0.0.1 as one decimal number: no IP literal check catches it, the
    # resolver does; the guarded connection refuses what it resolves to.
    with pytest.raises(RefusedURLError) as caught:
        fetch(
            f"http://2130706433:{http_server.port}/feeds/rssparser_heise.atom",
            clients=clients,
            state=FetchState(),
            policy=FAST,
        )
    assert "127.0.0.1" in str(caught.value)
    assert http_server.state.hits == []


def test_guarded_client_refuses_even_when_called_directly(
    http_server: LocalServer, clients: HttpClients
) -> None:
    """The connect-time guard is live on its own (defence against DNS rebinding)."""
    with pytest.raises(RefusedURLError):
        clients.public.get(http_server.url("/feeds/rssparser_heise.atom"))
    assert http_server.state.hits == []
    # ...and the open client used for allow_private sources does connect.
    assert clients.private.get(http_server.url("/no-validators")).status_code == 200


def test_check_url_resolve_flags_names_resolving_to_loopback() -> None:
    with pytest.raises(RefusedURLError):
        check_url("http://127.0.0.1.:8080/", resolve=True)
    assert check_url("http://127.0.0.1:8080/x", allow_private=True) == "http://127.0.0.1:8080"
    assert check_url("https://example.org/a") == "https://example.org:443"


@pytest.mark.parametrize("url", ["http://", "http://exa mple.org:99999/", "not a url", ""])
def test_bad_urls_are_permanent_errors(clients: HttpClients, url: str) -> None:
    with pytest.raises(PermanentError):
        fetch(url, clients=clients, state=FetchState(), policy=FAST)


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::1", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("fe80::1", "link-local"),
        ("ff02::1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("192.0.2.1", "private"),
    ],
)
def test_address_problem(address: str, problem: str | None) -> None:
    import ipaddress

    found = address_problem(ipaddress.ip_address(address))
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_httpx_is_not_mocked() -> None:
    """Guard against a future refactor that swaps the real transport out in these tests."""
    with HttpClients(FAST) as pair:
        assert isinstance(pair.private._transport, httpx.HTTPTransport)
