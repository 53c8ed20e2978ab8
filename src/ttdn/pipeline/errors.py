"""Typed failures of the pipeline stages.

Habit 4 of the design says failures are sorted on purpose: a *permanent* failure (bad URL,
refused address, 404/410, page too big, unreadable HTML) is quarantined with its reason and
never retried, while a *transient* one (timeout, 5xx, 429, connection reset) is retried with
backoff. The caller decides what to do by catching `PermanentError` or `TransientError`; it
never has to parse a message or inspect an httpx exception.

Every error carries a short, stable `reason` code (``"refused_address"``, ``"timeout"``,
...) so the caller can increment a named counter per reason, and a human-readable message
that names the URL and what to do about it, for the quarantine screen.
"""

from __future__ import annotations

from typing import ClassVar


class PipelineError(Exception):
    """Base of every failure a pipeline stage raises on purpose.

    `reason` is a stable machine-readable code (used as a counter name); `url` is the input
    that failed, when there is one. `retryable` is a class-level fact, not a guess.
    """

    retryable: ClassVar[bool] = False
    default_reason: ClassVar[str] = "pipeline_error"

    def __init__(self, message: str, *, url: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        self.reason = reason or self.default_reason

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(reason={self.reason!r}, message={self.message!r})"


class PermanentError(PipelineError):
    """Retrying will not help: quarantine the item with its reason."""

    retryable = False
    default_reason = "permanent"


class TransientError(PipelineError):
    """The same request may succeed later: retry with backoff.

    `retry_after` (seconds) is set when the server said how long to wait (HTTP Retry-After);
    a scheduler should wait at least that long.
    """

    retryable = True
    default_reason = "transient"

    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        reason: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, url=url, reason=reason)
        self.retry_after = retry_after


# --- permanent -----------------------------------------------------------------------------


class InvalidURLError(PermanentError):
    """The URL cannot be parsed or has no host."""

    default_reason = "bad_url"


class RefusedURLError(PermanentError):
    """The URL is well-formed but policy forbids fetching it.

    Raised for non-http(s) schemes (file:, data:, ftp:, javascript:) and for hosts that are,
    or resolve to, private, loopback, link-local, multicast or reserved addresses (SSRF
    protection), unless the source was explicitly allowed private addresses.
    """

    default_reason = "refused_address"


class RobotsDisallowedError(PermanentError):
    """The site's robots.txt disallows this URL for our user agent."""

    default_reason = "robots_disallowed"


class TooLargeError(PermanentError):
    """The response or document is bigger than the configured cap."""

    default_reason = "too_large"


class RedirectError(PermanentError):
    """Too many redirects, a redirect loop, or a redirect without a usable Location."""

    default_reason = "redirect"


class HTTPStatusPermanentError(PermanentError):
    """An HTTP status that will not change by retrying (404, 410, 403, other 4xx)."""

    default_reason = "http_status"

    def __init__(self, message: str, *, url: str = "", reason: str = "", status: int) -> None:
        super().__init__(message, url=url, reason=reason)
        self.status = status


class ExtractionError(PermanentError):
    """The page could be fetched but no article can be read from it (bomb, empty, broken)."""

    default_reason = "extraction"


# --- transient -----------------------------------------------------------------------------


class FetchTimeoutError(TransientError):
    """Connect, read or total-time deadline exceeded."""

    default_reason = "timeout"


class ConnectionFailedError(TransientError):
    """DNS failure, refused or reset connection, TLS or protocol error."""

    default_reason = "connection"


class HTTPStatusTransientError(TransientError):
    """An HTTP status worth retrying (5xx, 429, 408)."""

    default_reason = "http_status"

    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        reason: str = "",
        status: int,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, url=url, reason=reason, retry_after=retry_after)
        self.status = status
