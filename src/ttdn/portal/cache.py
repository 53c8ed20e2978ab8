"""A rendered-page cache for portal readers without a session, served before the session,
authentication, CSRF and CSP middleware run (Django's cache: per-process memory in the
embedded mode, or whatever CACHES names in production).

WHY our own and not Django's cache middleware: the staff middleware varies every response on
Cookie (language choice, session), which would make every reader's copy distinct; a portal
page for a reader without a session is the same for everyone, so the key is just the path.
The stored response keeps the headers the inner middleware added (CSP, frame and content
type options); portal pages carry no nonce-bearing inline script, so one copy serves all.
Publishing, unpublishing or deleting any page bumps a generation number, so no stale page
outlives an edit in this process; other processes see it after PORTAL_CACHE_SECONDS at most.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from ttdn.portal.middleware import path_language

GENERATION_KEY = "portal:generation"
SKIPPED_HEADERS = {"set-cookie", "x-portal-cache", "content-length"}


def generation() -> int:
    return int(cache.get(GENERATION_KEY) or 0)


def invalidate() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def cacheable(request: HttpRequest) -> bool:
    return (
        request.method in {"GET", "HEAD"}
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and path_language(request.path_info) is not None
    )


class PortalCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not cacheable(request):
            return self.get_response(request)
        key = f"portal:page:{generation()}:{request.path}"
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers:
                response.headers[name] = value
            response.headers["X-Portal-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            headers = [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in SKIPPED_HEADERS
            ]
            cache.set(key, (response.content, headers), settings.PORTAL_CACHE_SECONDS)
            response.headers["X-Portal-Cache"] = "miss"
        return response
