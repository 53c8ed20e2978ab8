"""Fetch feeds and pages over HTTP, politely and safely.

The first stage of the Monitor pipeline. It talks to servers we do not control, on URLs
read from feeds we do not control, so it is written defensively:

* **SSRF**: a feed can point at ``http://169.254.169.254/`` or a name that resolves to
  ``10.0.0.5``. Only http(s) is fetched, and every connection goes through a network backend
  that resolves the host, refuses the whole answer if *any* address is private, loopback,
  link-local, multicast or reserved, then connects to the vetted address itself, so a DNS
  answer cannot change between check and connect (rebinding). Redirects are followed by hand
  and every hop is re-checked. Sources an administrator marks ``allow_private`` (an intranet
  CMS) use a separate, unguarded client, so pooled connections are never shared between the
  two.
* **Politeness**: robots.txt is honoured (RFC 9309 status rules, Crawl-delay respected up to
  a cap) and cached per origin in explicit `FetchState`; at most one request per origin is
  in flight, with a minimum delay between requests; `fetch_many` bounds total concurrency.
* **Bounded cost**: connect/read timeouts plus a wall-clock limit per exchange, enforced
  at the socket (`_DeadlineStream`: every read, write and TLS handshake gets at most the
  time left), because httpx's read timeout restarts with each byte and a server dripping
  one header line a second would otherwise hold the worker for as long as it likes. A
  cap on the decoded body size counted *while* decoding (`_BoundedDecoder`: a 662-byte
  gzip-of-gzip inflates to 600 MB in a single httpx chunk), stacked and unknown
  Content-Encodings refused, and a redirect limit. An origin that timed out is left alone
  for `FetchPolicy.slow_backoff_s` (`FetchState.slow_until`), so one slow site costs the
  single pipeline thread one deadline, not one per article link.
* **Cheap polling**: conditional GET with ETag / Last-Modified; a 304 comes back as
  ``not_modified=True`` with no body.

Failures are typed (`ttdn.pipeline.errors`): `PermanentError` to quarantine, `TransientError`
to retry. Nothing here keeps global state: robots cache and per-host clocks live in a
`FetchState` the caller owns, and HTTP connection pools in `HttpClients`.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import ssl
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any
from urllib.parse import urljoin

import httpcore
import httpx

# the address guard lives in its own module; `check_url` and `address_problem` are still
# importable from here, where their callers have always found them
from ttdn.pipeline.addresses import (  # noqa: F401
    ALLOWED_SCHEMES,
    IPAddress,
    address_problem,
    check_url,
    host_addresses,
    refuse_address,
)
from ttdn.pipeline.errors import (
    ConnectionFailedError,
    FetchTimeoutError,
    HTTPStatusPermanentError,
    HTTPStatusTransientError,
    InvalidURLError,
    PermanentError,
    PipelineError,
    RedirectError,
    RefusedURLError,
    RobotsDisallowedError,
    TooLargeError,
    TransientError,
)
from ttdn.pipeline.robots import RobotsEntry, RobotsHop, robots_cached, robots_load
from ttdn.pipeline.urls import safe_http_url

DEFAULT_USER_AGENT = "TTDNBot/0.1 (self-hosted news monitoring; respects robots.txt)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Headers worth keeping on a FetchResult (lower-case names); the rest is dropped.
KEPT_HEADERS = (
    "content-type",
    "content-language",
    "content-length",
    "etag",
    "last-modified",
    "cache-control",
    "expires",
    "retry-after",
    "link",
    "location",
)


@dataclass(frozen=True, kw_only=True, slots=True)
class FetchPolicy:
    """Limits and manners for fetching. Defaults suit polling news feeds and articles."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    # Wall-clock limit for one HTTP exchange, body included.
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    # Minimum seconds between the end of one request to an origin and the start of the next.
    min_host_delay: float = 1.0
    # A robots.txt Crawl-delay above this is capped (some sites ask for 3600 s).
    max_crawl_delay: float = 30.0
    max_concurrency: int = 8
    respect_robots: bool = True
    robots_ttl: float = 24 * 3600.0
    robots_max_bytes: int = 512 * 1024
    # After a timeout, further requests to that origin fail at once for this long.
    slow_backoff_s: float = 300.0


DEFAULT_POLICY = FetchPolicy()


@dataclass(frozen=True, kw_only=True, slots=True)
class FetchResult:
    """What one fetch produced. `body` is empty when `not_modified`."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    content_type: str
    # charset from the Content-Type header ("" when the server did not say); a hint for
    # the decoders in feeds/extract, which also look inside the document.
    encoding: str
    etag: str
    last_modified: str
    not_modified: bool
    # Seconds from the call to the end of the body, politeness waits included.
    elapsed: float
    redirects: tuple[str, ...] = ()
    # WebSub hub advertised in an HTTP Link header (feeds.parse also reads it from the body).
    hub_url: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class FetchRequest:
    """One item of a `fetch_many` batch: a URL plus its validators and source policy."""

    url: str
    etag: str = ""
    last_modified: str = ""
    allow_private: bool = False


@dataclass
class FetchState:
    """Mutable state shared by fetches; owned and passed in by the caller.

    Holds the robots.txt cache and the time of the last request per origin. Thread-safe:
    one lock per origin serialises requests to that origin (politeness), a global lock
    guards the dictionaries. Keep one per worker process and reuse it across polls.
    """

    robots: dict[str, RobotsEntry] = field(default_factory=dict)
    last_request: dict[str, float] = field(default_factory=dict)
    # origin -> monotonic time before which it is not asked again (it timed out)
    slow_until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _host_locks: dict[str, threading.Lock] = field(default_factory=dict, repr=False)

    def host_lock(self, origin: str) -> threading.Lock:
        with self._lock:
            lock = self._host_locks.get(origin)
            if lock is None:
                lock = self._host_locks[origin] = threading.Lock()
            return lock


_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "ttdn_fetch_deadline", default=None
)


@contextlib.contextmanager
def wall_clock_limit(seconds: float) -> Iterator[None]:
    """Run the requests made in this block through our clients within `seconds` in all
    (connect, TLS, headers, body): for requests that do not go through `fetch`, such as a
    WebSub hub subscription."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _time_left(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout` shortened to what is left of the exchange's deadline; raises `error`
    when nothing is left."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the exchange's wall-clock deadline has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every read, write and TLS handshake ends by the deadline.

    httpx's timeouts are per operation (the read timeout restarts with each byte), so a
    server sending one header line a second is never "timed out"; here each socket call
    gets at most the time left, whatever httpx/httpcore asked for.
    """

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        left = _time_left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, left))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore network backend whose streams honour the exchange deadline."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def _connect(
        self,
        host: str,
        port: int,
        timeout: float | None,
        local_address: str | None,
        socket_options: Iterable[Any] | None,
    ) -> httpcore.NetworkStream:
        left = _time_left(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, left, local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return self._connect(host, port, timeout, local_address, socket_options)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise RefusedURLError("unix sockets are never used by the fetcher")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _GuardedBackend(_DeadlineBackend):
    """httpcore network backend that refuses non-public addresses at connect time.

    It resolves the host itself, rejects the whole answer if any address is refused (a
    mixed answer is a classic rebinding trick), and connects to the vetted address, so the
    check and the connection see the same IP. TLS still verifies against the host name:
    httpcore passes it separately as ``server_hostname``.
    """

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = host_addresses(host, port)
        except ConnectionFailedError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        for ip in addresses:
            problem = address_problem(ipaddress.ip_address(ip))
            if problem:
                raise refuse_address(host, ip, problem)
        last_error: Exception = httpcore.ConnectError(f"no address for {host!r}")
        for ip in addresses:
            try:
                return self._connect(ip, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        raise last_error


class _GuardedTransport(httpx.HTTPTransport):
    """`httpx.HTTPTransport` whose connection pool uses our own network backend
    (`_GuardedBackend` for public sources, `_DeadlineBackend` for allow_private ones).

    httpx has no public hook for the network backend, so the pool is rebuilt with the same
    settings; httpx is pinned below 0.29 in pyproject, and a test proves the guard is live.
    """

    def __init__(
        self,
        *,
        limits: httpx.Limits,
        verify: ssl.SSLContext | bool = True,
        backend: httpcore.NetworkBackend | None = None,
    ) -> None:
        super().__init__(limits=limits, verify=verify, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend or _GuardedBackend(),
        )


class HttpClients:
    """The two HTTP clients fetches use: guarded (public sources) and open (allow_private).

    A context manager; close it to release connection pools. Environment proxy settings are
    ignored on purpose: through a proxy, the address checks would vet the proxy, not the
    target.
    """

    def __init__(
        self, policy: FetchPolicy = DEFAULT_POLICY, *, verify: ssl.SSLContext | bool = True
    ) -> None:
        limits = httpx.Limits(
            max_connections=max(2 * policy.max_concurrency, 4),
            max_keepalive_connections=policy.max_concurrency,
        )
        timeout = httpx.Timeout(
            connect=policy.connect_timeout,
            read=policy.read_timeout,
            write=policy.read_timeout,
            pool=policy.connect_timeout,
        )
        common: dict[str, Any] = {
            # only codings `_BoundedDecoder` inflates with a running count
            "headers": {"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
            "timeout": timeout,
            "follow_redirects": False,
            "trust_env": False,
        }
        self.public = httpx.Client(
            transport=_GuardedTransport(limits=limits, verify=verify), **common
        )
        self.private = httpx.Client(
            transport=_GuardedTransport(limits=limits, verify=verify, backend=_DeadlineBackend()),
            **common,
        )

    def client_for(self, *, allow_private: bool) -> httpx.Client:
        return self.private if allow_private else self.public

    def close(self) -> None:
        self.public.close()
        self.private.close()

    def __enter__(self) -> HttpClients:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --- one HTTP exchange ---------------------------------------------------------------------


@dataclass(slots=True)
class _Exchange:
    status: int
    headers: httpx.Headers
    body: bytes
    url: str
    hub_url: str


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class _BoundedDecoder:
    """Undo one Content-Encoding while counting the output, so no step makes more than
    `max_bytes` (+1) bytes: httpx inflates each network chunk in one call, so its decoded
    size is known only after the memory is spent.

    Only ``gzip`` / ``x-gzip`` / ``deflate`` (what we ask for) and ``identity``; several
    codings stacked (``gzip, gzip``: each layer multiplies the ratio) or any other coding
    are refused before a byte is inflated.
    """

    def __init__(self, content_encoding: str, *, max_bytes: int, url: str) -> None:
        self.max_bytes = max_bytes
        self.url = url
        self.size = 0
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1:
            raise PermanentError(
                f"{url}: stacked Content-Encoding {content_encoding!r} refused (each layer "
                "multiplies a decompression bomb)",
                url=url,
                reason="stacked_encoding",
            )
        self.coding = codings[0] if codings else ""
        if self.coding not in ("", "gzip", "x-gzip", "deflate"):
            raise PermanentError(
                f"{url}: Content-Encoding {content_encoding!r} is not supported",
                url=url,
                reason="unsupported_encoding",
            )
        self._inflater: Any = None
        if self.coding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._first = True

    def _count(self, out: bytes) -> bytes:
        self.size += len(out)
        if self.size > self.max_bytes:
            raise TooLargeError(
                f"{self.url}: body exceeds the cap of {self.max_bytes} bytes once decoded; "
                "stopped reading",
                url=self.url,
            )
        return out

    def decode(self, raw: bytes) -> bytes:
        if not self.coding:
            return self._count(raw)
        if self._inflater is None:  # deflate: zlib-wrapped per RFC, raw in practice too
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS)
        try:
            return self._inflate(raw)
        except zlib.error as exc:
            if self.coding == "deflate" and self._first:
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                self._first = False
                return self.decode(raw)
            raise PermanentError(
                f"{self.url}: response body could not be decoded as {self.coding} ({exc})",
                url=self.url,
                reason="decoding",
            ) from exc

    def _inflate(self, data: bytes) -> bytes:
        parts: list[bytes] = []
        while data and not self._inflater.eof:
            budget = self.max_bytes - self.size + 1
            parts.append(self._count(self._inflater.decompress(data, budget)))
            self._first = False
            data = self._inflater.unconsumed_tail
        return b"".join(parts)

    def flush(self) -> bytes:
        if self._inflater is None:
            return b""
        return self._count(self._inflater.flush(self.max_bytes - self.size + 1))


def _exchange(
    client: httpx.Client,
    url: str,
    *,
    headers: dict[str, str],
    policy: FetchPolicy,
    max_bytes: int,
) -> _Exchange:
    """One GET, no redirects followed. Reads the body only for 2xx, capped at `max_bytes`.

    The whole exchange (connect, TLS, headers, body) ends by ``total_timeout``: the
    deadline is set for this thread and enforced on every socket call (`_DeadlineStream`).
    """
    deadline = time.monotonic() + policy.total_timeout
    try:
        request_url = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise InvalidURLError(f"invalid URL {url!r}: {exc}", url=url) from exc
    token = _DEADLINE.set(deadline)
    try:
        with client.stream("GET", request_url, headers=headers) as response:
            status = response.status_code
            body = b""
            if 200 <= status < 300:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise TooLargeError(
                        f"{url}: Content-Length {int(declared)} bytes exceeds the cap of "
                        f"{max_bytes} bytes",
                        url=url,
                    )
                decoder = _BoundedDecoder(
                    response.headers.get("content-encoding", ""), max_bytes=max_bytes, url=url
                )
                chunks: list[bytes] = []
                # raw (still encoded) bytes; the decoder counts what it inflates
                for raw in response.iter_raw():
                    chunks.append(decoder.decode(raw))
                    if time.monotonic() > deadline:
                        raise FetchTimeoutError(
                            f"{url}: took longer than {policy.total_timeout:g} s in total",
                            url=url,
                        )
                chunks.append(decoder.flush())
                body = b"".join(chunks)
            hub = response.links.get("hub", {}).get("url", "")
            return _Exchange(
                status=status,
                headers=response.headers,
                body=body,
                url=str(response.url),
                hub_url=safe_http_url(urljoin(url, hub)) if hub else "",
            )
    except PipelineError as exc:
        exc.url = exc.url or url
        raise
    except httpx.TimeoutException as exc:
        if time.monotonic() >= deadline:
            raise FetchTimeoutError(
                f"{url}: took longer than {policy.total_timeout:g} s in total "
                f"({type(exc).__name__}); will retry",
                url=url,
            ) from exc
        raise FetchTimeoutError(
            f"{url}: timed out ({type(exc).__name__}); will retry", url=url
        ) from exc
    except httpx.UnsupportedProtocol as exc:
        raise RefusedURLError(f"{url}: {exc}", url=url, reason="refused_scheme") from exc
    except httpx.InvalidURL as exc:
        # `url` itself was validated above, so this comes from httpx building the redirect
        # request for an unparseable Location (``data:text/html,...``, ``http://[bad``).
        raise RedirectError(
            f"{url}: redirects to a location that cannot be fetched ({exc})",
            url=url,
            reason="bad_redirect",
        ) from exc
    except httpx.DecodingError as exc:
        raise PermanentError(
            f"{url}: response body could not be decoded ({exc})", url=url, reason="decoding"
        ) from exc
    except httpx.TransportError as exc:
        raise ConnectionFailedError(
            f"{url}: connection failed ({type(exc).__name__}: {exc}); will retry", url=url
        ) from exc
    finally:
        _DEADLINE.reset(token)


def _raise_for_status(status: int, url: str, headers: httpx.Headers) -> None:
    if 200 <= status < 300 or status == 304:
        return
    reason = f"http_{status}"
    if status in (408, 425, 429) or 500 <= status < 600:
        raise HTTPStatusTransientError(
            f"{url}: HTTP {status}; will retry",
            url=url,
            reason=reason,
            status=status,
            retry_after=_retry_after(headers.get("retry-after")),
        )
    what = {404: "not found", 410: "gone"}.get(status, "refused by the server")
    raise HTTPStatusPermanentError(
        f"{url}: HTTP {status} ({what})", url=url, reason=reason, status=status
    )


# --- politeness and robots.txt -------------------------------------------------------------


def _wait_turn(state: FetchState, origin: str, delay: float) -> None:
    """Sleep until `delay` seconds have passed since the last request to `origin`.

    Called with the origin's lock held, so requests to one origin never overlap.
    """
    last = state.last_request.get(origin)
    if last is not None:
        wait = last + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)


def _robots_for(
    origin: str,
    *,
    client: httpx.Client,
    state: FetchState,
    policy: FetchPolicy,
    allow_private: bool,
) -> RobotsEntry:
    """The origin's robots.txt rules (`ttdn.pipeline.robots`), cached in `state`; loading
    them is a request like any other to the origin (its turn, its clock)."""

    def get(url: str) -> RobotsHop:
        hop = _exchange(client, url, headers={}, policy=policy, max_bytes=policy.robots_max_bytes)
        location = hop.headers.get("location", "") if hop.status in REDIRECT_STATUSES else ""
        return RobotsHop(status=hop.status, location=location, body=hop.body)

    def load() -> RobotsEntry:
        _wait_turn(state, origin, policy.min_host_delay)
        try:
            return robots_load(
                origin, get=get, user_agent=policy.user_agent, allow_private=allow_private
            )
        finally:
            state.last_request[origin] = time.monotonic()

    return robots_cached(state.robots, origin, ttl_s=policy.robots_ttl, load=load)


# --- public API ----------------------------------------------------------------------------


def fetch(
    url: str,
    *,
    clients: HttpClients,
    state: FetchState,
    policy: FetchPolicy = DEFAULT_POLICY,
    etag: str = "",
    last_modified: str = "",
    allow_private: bool = False,
) -> FetchResult:
    """GET `url` with conditional headers, robots.txt, politeness, caps and SSRF checks.

    Pass the `etag` / `last_modified` stored from the previous `FetchResult`; a 304 answer
    returns ``not_modified=True`` and an empty body (validators carried over when the server
    does not repeat them). Raises `PermanentError` or `TransientError` subclasses.
    """
    started = time.monotonic()
    client = clients.client_for(allow_private=allow_private)
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified

    current = url.strip()
    visited: list[str] = []
    for _ in range(policy.max_redirects + 1):
        origin = check_url(current, allow_private=allow_private)
        _check_not_slow(state, origin, current)
        with state.host_lock(origin):
            delay = policy.min_host_delay
            if policy.respect_robots:
                try:
                    robots = _robots_for(
                        origin,
                        client=client,
                        state=state,
                        policy=policy,
                        allow_private=allow_private,
                    )
                except FetchTimeoutError:
                    state.slow_until[origin] = time.monotonic() + policy.slow_backoff_s
                    raise
                if not robots.allows(current, policy.user_agent):
                    raise RobotsDisallowedError(
                        f"{current}: disallowed by {origin}/robots.txt for our user agent",
                        url=current,
                    )
                if robots.crawl_delay:
                    delay = max(delay, min(robots.crawl_delay, policy.max_crawl_delay))
            _wait_turn(state, origin, delay)
            try:
                exchange = _exchange(
                    client, current, headers=headers, policy=policy, max_bytes=policy.max_bytes
                )
            except FetchTimeoutError:
                state.slow_until[origin] = time.monotonic() + policy.slow_backoff_s
                raise
            finally:
                state.last_request[origin] = time.monotonic()

        if exchange.status in REDIRECT_STATUSES:
            location = exchange.headers.get("location", "").strip()
            if not location:
                raise RedirectError(
                    f"{current}: HTTP {exchange.status} without a Location header", url=url
                )
            visited.append(current)
            target = urljoin(current, location)
            if target in visited:
                chain = " -> ".join([*visited, target])
                raise RedirectError(f"redirect loop: {chain}", url=url, reason="redirect_loop")
            current = target
            continue

        _raise_for_status(exchange.status, current, exchange.headers)
        kept = {name: exchange.headers[name] for name in KEPT_HEADERS if name in exchange.headers}
        content_type = exchange.headers.get("content-type", "")
        not_modified = exchange.status == 304
        return FetchResult(
            url=url,
            final_url=current,
            status=exchange.status,
            headers=kept,
            body=exchange.body,
            content_type=content_type.split(";", 1)[0].strip().lower(),
            encoding=_charset(content_type),
            etag=exchange.headers.get("etag", etag if not_modified else ""),
            last_modified=exchange.headers.get(
                "last-modified", last_modified if not_modified else ""
            ),
            not_modified=not_modified,
            elapsed=time.monotonic() - started,
            redirects=tuple(visited),
            hub_url=exchange.hub_url,
        )
    raise RedirectError(
        f"{url}: more than {policy.max_redirects} redirects ({' -> '.join(visited)})",
        url=url,
        reason="too_many_redirects",
    )


def _check_not_slow(state: FetchState, origin: str, url: str) -> None:
    """Fail at once for an origin that timed out less than `slow_backoff_s` ago: the
    pipeline thread is shared, and a feed of 30 links to one stalling site must cost one
    deadline, not thirty."""
    until = state.slow_until.get(origin)
    if until is None:
        return
    left = until - time.monotonic()
    if left <= 0:
        state.slow_until.pop(origin, None)
        return
    raise TransientError(
        f"{url}: {origin} timed out recently; not asked again for {left:.0f} s",
        url=url,
        reason="origin_backoff",
        retry_after=left,
    )


def _charset(content_type: str) -> str:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'").lower()
    return ""


def fetch_many(
    requests: Sequence[FetchRequest],
    *,
    clients: HttpClients,
    state: FetchState,
    policy: FetchPolicy = DEFAULT_POLICY,
) -> list[FetchResult | PipelineError]:
    """Fetch a batch concurrently (at most `policy.max_concurrency` at once).

    Returns one entry per request, in order: the `FetchResult`, or the `PipelineError` that
    request raised, so one bad URL never loses the batch. Requests to one origin still go
    one at a time with the politeness delay (the origin lock in `state`). Unexpected
    exceptions (bugs) are not swallowed.
    """

    def one(request: FetchRequest) -> FetchResult | PipelineError:
        try:
            return fetch(
                request.url,
                clients=clients,
                state=state,
                policy=policy,
                etag=request.etag,
                last_modified=request.last_modified,
                allow_private=request.allow_private,
            )
        except PipelineError as exc:
            return exc

    if not requests:
        return []
    workers = max(1, min(policy.max_concurrency, len(requests)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        return list(pool.map(one, requests))
