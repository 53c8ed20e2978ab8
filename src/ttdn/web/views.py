"""Thin views: parse the request, call a selector or service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from ttdn.web.navigation import module_get

ROBOTS_TXT = """User-agent: *
Allow: /demo/
Allow: /api/open/
Disallow: /
"""


def robots_txt(request: HttpRequest) -> HttpResponse:
    """The staff interface is not for crawlers; the demo feeds and open data are."""
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to our static icon."""
    return HttpResponsePermanentRedirect(static("ttdn/favicon.svg"))


@login_required
def module_page(request: HttpRequest, key: str) -> HttpResponse:
    return render(request, "web/module.html", {"module": module_get(key)})
