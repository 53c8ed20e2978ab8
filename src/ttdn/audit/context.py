"""The request being served, for the audit receivers (a contextvar: safe across threads)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True, slots=True)
class RequestContext:
    user_id: int | None
    username: str
    ip_address: str | None
    user_agent: str


current: ContextVar[RequestContext | None] = ContextVar("ttdn_audit_request", default=None)


def client_ip(meta: dict[str, str]) -> str | None:
    """REMOTE_ADDR; the proxy header is trusted only when the operator says a proxy is used."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return meta.get("REMOTE_ADDR") or None
