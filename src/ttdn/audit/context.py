"""The request being served, for the audit receivers (a contextvar: safe across threads)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RequestContext:
    user_id: int | None
    username: str
    ip_address: str | None
    user_agent: str


current: ContextVar[RequestContext | None] = ContextVar("ttdn_audit_request", default=None)


def client_ip(meta: dict[str, str]) -> str | None:
    """REMOTE_ADDR, never X-Forwarded-For: behind a trusted proxy waitress already put the
    address the proxy saw there (`ttdn.server.proxy_options`); the leftmost X-Forwarded-For
    entry is whatever the client chose to write."""
    return meta.get("REMOTE_ADDR") or None
