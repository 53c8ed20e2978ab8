"""A local news site replaying the bundled corpus: RSS feeds and article pages.

Served by the platform itself at /demo/, so `make run` needs no second server; the demo
sources point here with `allow_private` set, as the fetcher refuses loopback otherwise.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed

from ttdn.demo.corpus import FEEDS, item_get, visible
from ttdn.demo.replay import interval_s, replay_start


def feed(request: HttpRequest, name: str) -> HttpResponse:
    if name not in FEEDS:
        raise Http404("No such demo feed")
    meta = FEEDS[name]
    languages = meta["languages"]
    assert isinstance(languages, list)
    rss = Rss201rev2Feed(
        title=str(meta["name"]),
        link=request.build_absolute_uri("/demo/"),
        description=f"Demo replay of {meta['name']}",
        language=languages[0],
    )
    for item, at in visible(name, start=replay_start(), interval_s=interval_s()):
        rss.add_item(
            title=item.title,
            link=request.build_absolute_uri(reverse("demo_article", args=[item.id])),
            description=item.text[:300],
            pubdate=at,
            unique_id=item.id,
        )
    return HttpResponse(rss.writeString("utf-8"), content_type="application/rss+xml; charset=utf-8")


def article(request: HttpRequest, item_id: str) -> HttpResponse:
    item = item_get(item_id)
    if item is None:
        raise Http404("No such demo article")
    # find when it appeared, for the page's published time
    published = None
    for shown, at in visible(
        item.feed, start=replay_start(), interval_s=interval_s(), window=10**6
    ):
        if shown.id == item.id:
            published = at
            break
    if published is None:
        raise Http404("Not published yet")
    paragraphs = [p for p in item.text.split("\n") if p.strip()]
    return render(
        request,
        "demo/article.html",
        {"item": item, "paragraphs": paragraphs, "published": published},
    )
