"""RSS 2.0 and Atom feeds per language (the whole portal) and per topic."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import feedgenerator, translation

from ttdn.portal import selectors

FEED_SIZE = 30


def feed_response(request: HttpRequest, *, kind: str, topic: Any | None) -> HttpResponse:
    language = translation.get_language()
    home = selectors.home_get(language)
    locale = selectors.locale_active()
    if home is None or locale is None or kind not in {"rss", "atom"}:
        raise Http404
    title = f"{topic.title} · {home.title}" if topic is not None else home.title
    link = request.build_absolute_uri((topic or home).get_url(request))
    generator_class = feedgenerator.Atom1Feed if kind == "atom" else feedgenerator.Rss201rev2Feed
    generator = generator_class(
        title=title,
        link=link,
        description=(topic or home).summary or title,
        language=language,
        feed_url=request.build_absolute_uri(),
    )
    for page in selectors.latest_list(locale, limit=FEED_SIZE, topic=topic):
        url = request.build_absolute_uri(page.get_url(request))
        generator.add_item(
            title=page.title,
            link=url,
            description=page.summary or page.title,
            unique_id=url,
            pubdate=page.first_published_at,
            updateddate=page.last_published_at,
        )
    content_type = "application/atom+xml" if kind == "atom" else "application/rss+xml"
    response = HttpResponse(content_type=f"{content_type}; charset=utf-8")
    generator.write(response, "utf-8")
    return response
