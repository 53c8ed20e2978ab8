"""robots.txt: RFC 9309's status rules, the parsed rules of one origin, and their cache.

Why apart from `fetch`: what a status or a redirect of robots.txt *means* is policy, fetching
bytes is transport. `fetch` hands `robots_load` a `get` that makes one bounded request
(no redirects followed, the address guard applied) and keeps the politeness clock; this
module decides, and can be read and tested on its own. No Django, no global state: the
cache is a dict the caller owns (`FetchState.robots`).
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin

from ttdn.pipeline.addresses import check_url
from ttdn.pipeline.errors import PermanentError, RefusedURLError, TransientError

#: RFC 9309 §2.3.1.2: a crawler should follow at least five consecutive redirects.
MAX_HOPS = 5


@dataclass(frozen=True, slots=True)
class RobotsHop:
    """One answer to a GET of robots.txt: its status, where it redirects ("" when it does
    not) and its body (already cut at the size limit by the caller)."""

    status: int
    location: str = ""
    body: bytes = b""


#: GET one URL without following redirects; raises the pipeline's fetch errors.
RobotsGet = Callable[[str], RobotsHop]


@dataclass(slots=True)
class RobotsEntry:
    """A cached robots.txt: `parser` None means "everything allowed" (no file, 4xx)."""

    parser: urllib.robotparser.RobotFileParser | None
    fetched_at: float
    crawl_delay: float | None = None

    def allows(self, url: str, user_agent: str) -> bool:
        return self.parser is None or self.parser.can_fetch(user_agent, url)


def robots_load(
    origin: str, *, get: RobotsGet, user_agent: str, allow_private: bool
) -> RobotsEntry:
    """Fetch and parse ``origin/robots.txt`` following RFC 9309's status rules.

    2xx: parse. 4xx (404, and 401/403 too, per the RFC): no restrictions; so are a file
    over the size limit and redirect trouble (more than 5 hops, or to a place we may not
    fetch), which the RFC lets a crawler treat like "unavailable" 4xx. 5xx: the RFC says
    assume complete disallow; we raise `TransientError` (``robots_unavailable``) so the item
    is retried later instead of quarantined, and cache nothing. A connection failure or
    timeout is raised as it is: the page would fail the same way.
    """
    first = url = origin + "/robots.txt"
    answer = RobotsHop(status=404)  # if every hop redirects
    try:
        for _ in range(MAX_HOPS):
            check_url(url, allow_private=allow_private)
            hop = get(url)
            if hop.location:
                url = urljoin(url, hop.location.strip())
                continue
            answer = hop
            break
    except TransientError:
        raise
    except RefusedURLError:
        if url == first:
            raise  # the origin itself is refused: the page is too
        answer = RobotsHop(status=404)
    except PermanentError:  # too large, a bad redirect: "unavailable", no rules
        answer = RobotsHop(status=404)
    return robots_entry(answer, url=url, origin=origin, user_agent=user_agent)


def robots_entry(answer: RobotsHop, *, url: str, origin: str, user_agent: str) -> RobotsEntry:
    """The rules that a final (non-redirect) answer gives."""
    now = time.monotonic()
    if 200 <= answer.status < 300:
        parser = urllib.robotparser.RobotFileParser(url)
        parser.parse(answer.body.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(user_agent)
        return RobotsEntry(
            parser=parser, fetched_at=now, crawl_delay=float(delay) if delay else None
        )
    if 400 <= answer.status < 500:
        return RobotsEntry(parser=None, fetched_at=now)
    raise TransientError(
        f"robots.txt for {origin} answered HTTP {answer.status}; not fetching until it can be read",
        url=url,
        reason="robots_unavailable",
    )


def robots_cached(
    cache: dict[str, RobotsEntry], origin: str, *, ttl_s: float, load: Callable[[], RobotsEntry]
) -> RobotsEntry:
    """The origin's rules from `cache`, loaded again once older than `ttl_s`."""
    entry = cache.get(origin)
    if entry is None or time.monotonic() - entry.fetched_at > ttl_s:
        entry = cache[origin] = load()
    return entry
