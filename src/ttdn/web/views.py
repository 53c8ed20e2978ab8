"""Thin views: parse the request, call a selector or service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from ttdn.web.navigation import module_get


def robots_txt(request: HttpRequest) -> HttpResponse:
    """The staff interface is not for crawlers; the public portal (one prefix per
    language), its sitemap, the demo feeds and open data are."""
    lines = ["User-agent: *", "Allow: /demo/", "Allow: /api/open/"]
    lines += [f"Allow: /{code}/" for code in settings.PORTAL_LANGUAGES]
    lines += ["Allow: /media/", "Allow: /static/", "Allow: /sitemap.xml", "Disallow: /", ""]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to our static icon."""
    return HttpResponsePermanentRedirect(static("ttdn/favicon.svg"))


@login_required
def module_page(request: HttpRequest, key: str) -> HttpResponse:
    return render(request, "web/module.html", {"module": module_get(key)})
