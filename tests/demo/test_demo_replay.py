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
    licences = {"CC BY 3.0", "CC BY 4.0", "CC BY-SA 4.0", "CC BY 2.5", "CC0 1.0"}  # CC0: ours
    assert {i.licence for i in items} == licences
    assert all(i.attribution for i in items)
    assert {i.feed for i in items} == set(FEEDS)
    # the demo is about Viet Nam in the world's media: English and Japanese coverage bundled
    assert {i.lang for i in items} >= {"vi", "en", "ja", "es", "fr", "it"}
    # Wikipedia's summaries are Wikipedia's words: the cited outlets are never the outlet
    wikipedia = [i for i in items if i.feed == "wikipedia-en"]
    assert len(wikipedia) > 500
    assert {i.outlet for i in wikipedia} == {"Wikipedia (Portal:Current events)"}
    portal = "https://en.wikipedia.org/wiki/Portal:"
    assert all(i.original_url.startswith(portal) for i in wikipedia)


def test_demo_titles_are_never_cut_mid_word() -> None:
    for item in corpus():
        if item.feed in ("wikipedia-en", "wikinews-ja"):
            assert item.title
            if item.title.endswith("…"):
                assert item.text.startswith(item.title[:-1])
                assert not item.text[len(item.title) - 1].isalnum()


def test_wikinews_items_lose_the_related_news_list_and_citations() -> None:
    wikinews = [i for i in corpus() if i.feed == "wikinews-ja"]
    assert len(wikinews) >= 30
    # "2016年8月16日(火):台風13号…" lines are the site's related-news box, not the article
    assert not any("(火):" in i.text or "』。気象庁、" in i.text for i in wikinews)


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
def test_a_wikipedia_summary_page_reads_back_with_its_attribution(client: Client) -> None:
    replay_restart()
    response = client.get("/demo/feeds/wikipedia-en.xml")
    parsed = feeds.parse(
        response.content, url="http://testserver/demo/feeds/wikipedia-en.xml",
        content_type=response["Content-Type"],
    )
    assert parsed.errors == []
    item = parsed.items[0]
    shown = next(i for i in corpus() if i.title == item.title)
    page = client.get(item.url.replace("http://testserver", ""))
    html = page.content.decode()
    assert "CC BY-SA 4.0" in html and shown.original_url in html
    if shown.cited:
        assert "not by the outlets they cited" in html
    article = extract.extract(page.content, url=item.url)
    assert article.title == item.title
    assert shown.text[:60] in article.text
    # the cited outlets' names are not made part of the article text
    assert "not by the outlets" not in article.text


@pytest.mark.django_db
def test_demo_load_creates_sources_once() -> None:
    demo_load()
    demo_load()
    assert Source.objects.count() == len(FEEDS)
    assert Feed.objects.count() == len(FEEDS)
    assert all(s.allow_private for s in Source.objects.all())
