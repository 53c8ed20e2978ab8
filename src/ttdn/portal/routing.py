"""Remembered page routing: an uncached portal page spent about 40 % of its time (profiled,
`ttdn bench portal`'s page) in Wagtail's routing — the site lookup, then one query for each
path segment's child and one for each page's specific row. The answer (which page a
language's path leads to) changes only when a page is published, unpublished, moved or
deleted, which already bumps the portal cache's generation (`ttdn.portal.cache`); so the page
id is remembered under that generation and the next request loads just that page, in one
query, still checking that it is live.

Only plain pages are remembered: a routable page's route carries a view function in its
arguments, which has no place in a shared cache.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation
from wagtail.models import Page

from ttdn.portal.cache import generation


def _key(request: HttpRequest, path: str) -> str:
    language = translation.get_language() or ""
    return f"portal:route:{generation()}:{request.get_host()}:{language}:{path}"


def route_remembered(request: HttpRequest, path: str) -> None:
    """Give Wagtail this request's route (`request._wagtail_route_for_request`, which
    `Page.route_for_request` reads first) from the cache, or let it route and remember it."""
    key = _key(request, path)
    known = cache.get(key)
    if known is not None:
        label, page_id = known
        model = apps.get_model(label)
        page = model.objects.filter(pk=page_id, live=True).first()
        if page is not None:
            request._wagtail_route_for_request = (page, [], {})  # type: ignore[attr-defined]
            return
    found = Page.route_for_request(request, path)
    if found is None:
        return
    page, args, kwargs = found
    if not args and not kwargs:
        # as long as a cached page: in another process (scaled out, per-process cache) a
        # moved page's old address lives no longer than its cached page would (decision 0016)
        cache.set(key, (page._meta.label_lower, page.pk), settings.PORTAL_CACHE_SECONDS)
