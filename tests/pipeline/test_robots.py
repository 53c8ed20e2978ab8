"""robots.txt (`ttdn.pipeline.robots`): RFC 9309's status rules on their own, and through
`fetch` against a real HTTP server on 127.0.0.1 (disallow, once per origin, missing file,
server error, switched off, Crawl-delay, redirects checked again)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pipeline.conftest import LocalServer
from tests.pipeline.test_fetch import FAST, get
from ttdn.pipeline.errors import (
    RefusedURLError,
    RobotsDisallowedError,
    TooLargeError,
    TransientError,
)
from ttdn.pipeline.fetch import FetchPolicy, FetchState, HttpClients
from ttdn.pipeline.robots import RobotsHop, robots_cached, robots_load

ORIGIN = "http://127.0.0.1:9"
PUBLIC = "http://93.184.216.34"  # a public address literal: the guard passes it, no DNS
UA = FAST.user_agent


@pytest.fixture
def clients() -> Iterator[HttpClients]:
    with HttpClients(FAST) as pair:
        yield pair


def load(  # type: ignore[no-untyped-def]
    answers: dict[str, RobotsHop | Exception], origin: str = ORIGIN, allow_private: bool = True
):
    asked: list[str] = []

    def get_one(url: str) -> RobotsHop:
        asked.append(url)
        answer = answers[url]
        if isinstance(answer, Exception):
            raise answer
        return answer

    entry = robots_load(origin, get=get_one, user_agent=UA, allow_private=allow_private)
    return entry, asked


def test_status_rules_of_rfc_9309() -> None:
    rules = RobotsHop(200, body=b"User-agent: *\nDisallow: /private/\nCrawl-delay: 3\n")
    entry, _ = load({f"{ORIGIN}/robots.txt": rules})
    assert not entry.allows(f"{ORIGIN}/private/a", UA) and entry.allows(f"{ORIGIN}/a", UA)
    assert entry.crawl_delay == 3.0
    for status in (401, 403, 404, 410):  # unavailable: no restrictions
        entry, _ = load({f"{ORIGIN}/robots.txt": RobotsHop(status)})
        assert entry.parser is None and entry.allows(f"{ORIGIN}/private/a", UA)
    with pytest.raises(TransientError) as caught:  # unreachable: not now, not quarantined
        load({f"{ORIGIN}/robots.txt": RobotsHop(503)})
    assert caught.value.reason == "robots_unavailable"


def test_redirects_are_followed_five_times_then_mean_no_rules() -> None:
    hops = {f"{ORIGIN}/r{i}": RobotsHop(301, location=f"/r{i + 1}") for i in range(10)}
    hops[f"{ORIGIN}/robots.txt"] = RobotsHop(302, location="/r0")
    entry, asked = load(hops)
    assert len(asked) == 5 and entry.parser is None
    hops = {
        f"{ORIGIN}/robots.txt": RobotsHop(301, location="/moved.txt"),
        f"{ORIGIN}/moved.txt": RobotsHop(200, body=b"User-agent: *\nDisallow: /\n"),
    }
    entry, asked = load(hops)
    assert asked[-1].endswith("/moved.txt") and not entry.allows(f"{ORIGIN}/a", UA)


def test_a_file_too_large_or_a_refused_redirect_means_no_rules() -> None:
    big = TooLargeError("robots.txt over the limit", url=f"{ORIGIN}/robots.txt")
    entry, _ = load({f"{ORIGIN}/robots.txt": big})
    assert entry.parser is None
    # a redirect to a private address is refused by the address guard: no rules, and the
    # private address is never asked
    entry, asked = load(
        {f"{PUBLIC}/robots.txt": RobotsHop(301, location="http://10.0.0.1/robots.txt")},
        origin=PUBLIC,
        allow_private=False,
    )
    assert entry.parser is None and asked == [f"{PUBLIC}/robots.txt"]


def test_a_refused_origin_is_refused_for_robots_too() -> None:
    with pytest.raises(RefusedURLError):
        robots_load(
            "http://10.0.0.1", get=lambda url: RobotsHop(200), user_agent=UA, allow_private=False
        )


def test_the_cache_keeps_rules_for_their_lifetime() -> None:
    cache: dict = {}
    loads: list[int] = []

    def loader():  # type: ignore[no-untyped-def]
        loads.append(1)
        entry, _ = load({f"{ORIGIN}/robots.txt": RobotsHop(404)})
        return entry

    robots_cached(cache, ORIGIN, ttl_s=3600, load=loader)
    robots_cached(cache, ORIGIN, ttl_s=3600, load=loader)
    assert len(loads) == 1
    robots_cached(cache, ORIGIN, ttl_s=-1, load=loader)  # expired
    assert len(loads) == 2


# --- through fetch, against the local server ---------------------------------------------------


def test_robots_disallow_is_respected_and_nothing_is_requested(
    http_server: LocalServer, clients: HttpClients
) -> None:
    with pytest.raises(RobotsDisallowedError) as caught:
        get(http_server.url("/private/report.html"), clients)
    assert caught.value.reason == "robots_disallowed"
    assert "robots.txt" in str(caught.value)
    assert http_server.state.paths() == ["/robots.txt"]


def test_robots_is_fetched_once_per_origin(http_server: LocalServer, clients: HttpClients) -> None:
    state = FetchState()
    get(http_server.url("/feeds/rssparser_heise.atom"), clients, state=state)
    get(http_server.url("/feeds/rssparser_rss-1.rss"), clients, state=state)
    assert http_server.state.paths().count("/robots.txt") == 1
    assert len(state.robots) == 1


def test_missing_robots_allows_everything(http_server: LocalServer, clients: HttpClients) -> None:
    http_server.state.robots = None  # 404
    assert get(http_server.url("/private/x"), clients).body == b"secret"


def test_robots_server_error_is_transient(http_server: LocalServer, clients: HttpClients) -> None:
    http_server.state.robots_status = 503
    with pytest.raises(TransientError) as caught:
        get(http_server.url("/feeds/rssparser_heise.atom"), clients)
    assert caught.value.reason == "robots_unavailable"
    assert "/feeds/rssparser_heise.atom" not in http_server.state.paths()


def test_robots_can_be_switched_off(http_server: LocalServer, clients: HttpClients) -> None:
    policy = FetchPolicy(min_host_delay=0.0, respect_robots=False)
    assert get(http_server.url("/private/x"), clients, policy=policy).body == b"secret"
    assert "/robots.txt" not in http_server.state.paths()


def test_crawl_delay_from_robots_is_respected(
    http_server: LocalServer, clients: HttpClients
) -> None:
    http_server.state.robots = b"User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n"
    state = FetchState()
    get(http_server.url("/feeds/rssparser_heise.atom"), clients, state=state)
    get(http_server.url("/feeds/rssparser_rss-1.rss"), clients, state=state)
    feeds_hits = [h for h in http_server.state.hits if h.path.startswith("/feeds/")]
    assert feeds_hits[1].started - feeds_hits[0].ended >= 0.9


def test_redirect_target_is_rechecked_against_robots(
    http_server: LocalServer, clients: HttpClients
) -> None:
    with pytest.raises(RobotsDisallowedError):
        get(http_server.url("/redirect?to=/private/x"), clients)
    assert "/private/x" not in http_server.state.paths()
