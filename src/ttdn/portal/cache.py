"""A rendered-page cache for anonymous readers (Django's cache: per-process memory in the
embedded mode, or whatever CACHES names in production).

WHY our own and not the cache middleware: the staff middleware varies every response on
Cookie (language choice, session), which would make every reader's copy distinct; a portal
page for a reader without a session is the same for everyone, so the key is just the path.
Publishing or unpublishing any page bumps a generation number, so no stale page outlives an
edit in this process; other processes see it after PORTAL_CACHE_SECONDS at most.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "portal:generation"


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
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key = f"portal:page:{generation()}:{request.path}"
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            response = HttpResponse(content)
            for name, value in headers:
                response.headers[name] = value
            response.headers["X-Portal-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if response.status_code == 200 and not response.streaming and not response.cookies:
            headers = [(k, v) for k, v in response.headers.items() if k.lower() in {"content-type"}]
            cache.set(key, (response.content, headers), settings.PORTAL_CACHE_SECONDS)
            response.headers["X-Portal-Cache"] = "miss"
        return response

    wrapper.__name__ = getattr(view, "__name__", "cached")
    wrapper.__doc__ = view.__doc__
    return wrapper
