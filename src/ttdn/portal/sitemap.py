"""sitemap.xml: every live public page in every language, each with its hreflang
alternates (xhtml:link), as search engines expect for translated pages."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from xml.sax.saxutils import quoteattr

from django.conf import settings
from django.http import HttpRequest
from wagtail.models import Page

from ttdn.portal.models import HomePage, TopicIndexPage
from ttdn.portal.selectors import READER_TYPES


def sitemap_xml(request: HttpRequest) -> str:
    pages = list(
        Page.objects.live()
        .public()
        .type(HomePage, TopicIndexPage, *READER_TYPES)
        .filter(locale__language_code__in=settings.PORTAL_LANGUAGES)
        .select_related("locale")
        .order_by("path")
    )
    by_key: dict[Any, list[tuple[str, str]]] = defaultdict(list)
    urls: dict[int, str] = {}
    for page in pages:
        parts = page.get_url_parts(request)
        if not parts or not parts[2]:
            continue
        # this host's address (the proxy's public name), not the Site record's hostname
        url = request.build_absolute_uri(parts[2])
        urls[page.pk] = url
        by_key[page.translation_key].append((page.locale.language_code, url))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for page in pages:
        if page.pk not in urls:
            continue
        lines.append(f"<url><loc>{_escape(urls[page.pk])}</loc>")
        if page.last_published_at:
            lines.append(f"<lastmod>{page.last_published_at.date().isoformat()}</lastmod>")
        for language, url in by_key[page.translation_key]:
            attributes = f"hreflang={quoteattr(language)} href={quoteattr(url)}"
            lines.append(f'<xhtml:link rel="alternate" {attributes}/>')
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
