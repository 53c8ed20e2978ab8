from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from ttdn.demo.corpus import FEEDS, INITIAL_VISIBLE, corpus, feed_items, visible
from ttdn.demo.replay import replay_restart
from ttdn.demo.services import demo_load
from ttdn.monitor.models import Feed, Source
from ttdn.pipeline import extract, feeds


def test_bundled_corpus_is_openly_licensed_and_attributed() -> None:
    items = corpus()
    assert len(items) > 1000
    assert {i.licence for i in items} == {"CC BY 3.0", "CC BY 4.0"}
    assert all(i.attribution for i in items)
    assert {i.feed for i in items} == set(FEEDS)


def test_items_appear_one_interval_at_a_time() -> None:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    first = visible("danes-vi", start=start, interval_s=4, now=start)
    assert len(first) == INITIAL_VISIBLE
    later = visible("danes-vi", start=start, interval_s=4, now=start + dt.timedelta(seconds=8))
    assert len(later) == INITIAL_VISIBLE + 2
    assert later[0][0] == feed_items("danes-vi")[INITIAL_VISIBLE + 1]  # newest first


@pytest.mark.django_db
def test_feed_and_article_pages_read_back_through_the_pipeline(client: Client) -> None:
    replay_restart()
    response = client.get("/demo/feeds/globalvoices-fr.xml")
    assert response.status_code == 200
    parsed = feeds.parse(
        response.content,
        url="http://testserver/demo/feeds/globalvoices-fr.xml",
        content_type=response["Content-Type"],
    )
    assert parsed.errors == []
    assert len(parsed.items) == INITIAL_VISIBLE
    item = parsed.items[0]
    assert item.published is not None
    page = client.get(item.url.replace("http://testserver", ""))
    assert page.status_code == 200
    article = extract.extract(page.content, url=item.url)
    assert article.title == item.title
    assert len(article.text) > 200
    # an item that has not appeared yet is not served
    hidden = feed_items("globalvoices-fr")[-1]
    assert client.get(f"/demo/articles/{hidden.id}/").status_code == 404


@pytest.mark.django_db
def test_demo_load_creates_sources_once() -> None:
    demo_load()
    demo_load()
    assert Source.objects.count() == len(FEEDS)
    assert Feed.objects.count() == len(FEEDS)
    assert all(s.allow_private for s in Source.objects.all())
