"""Readers: the root address, every page type in three languages, the switcher, hreflang,
JSON-LD, feeds, sitemap, robots, search and bad URLs."""

from __future__ import annotations

import json
import re
import urllib.robotparser
from xml.etree import ElementTree

import feedparser
import pytest
from django.test import Client
from wagtail.models import Page

from tests.conftest import login
from ttdn.portal.models import ArticlePage

pytestmark = pytest.mark.django_db

PAGES = {
    "vi": [
        ("/vi/", "WebPage"),
        ("/vi/tin-tuc/ca-phe-lam-dong-mua-thu-hoach/", "NewsArticle"),
        ("/vi/tinh-thanh-pho/lam-dong/", "WebPage"),
        ("/vi/kiem-chung/ha-long-khong-dong-cua/", "ClaimReview"),
        ("/vi/su-kien/festival-hue-2026/", "Event"),
        ("/vi/thu-vien-anh/sac-mau-cao-nguyen/", "WebPage"),
        ("/vi/tin-tuc/", "WebPage"),
    ],
    "en": [
        ("/en/", "WebPage"),
        ("/en/news/lam-dong-coffee-harvest/", "NewsArticle"),
        ("/en/provinces/lam-dong/", "WebPage"),
        ("/en/fact-checks/ha-long-not-closed/", "ClaimReview"),
        ("/en/events/hue-festival-2026/", "Event"),
        ("/en/galleries/colours-of-the-highlands/", "WebPage"),
    ],
    "fr": [
        ("/fr/actualites/cafe-lam-dong-recolte/", "NewsArticle"),
        ("/fr/verifications/ha-long-pas-fermee/", "ClaimReview"),
        ("/fr/evenements/festival-hue-2026/", "Event"),
    ],
}


def _jsonld(html: str) -> dict[str, object]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def test_root_sends_readers_to_their_language_and_staff_to_the_platform(
    portal, client: Client, officer_lam_dong
) -> None:
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")["Location"] == "/fr/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")["Location"] == "/zh-hans/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="pl-PL")["Location"] == "/vi/"
    client.cookies["ttdn_portal_language"] = "lo"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == "/lo/"
    assert "Accept-Language" in response["Vary"]
    login(client, officer_lam_dong)
    assert client.get("/")["Location"] == "/nen-tang/"
    assert client.get("/nen-tang/").status_code == 200


@pytest.mark.parametrize("language", ["vi", "en", "fr"])
def test_every_page_type_renders_with_alternates_and_structured_data(
    portal, client: Client, language: str
) -> None:
    for url, schema_type in PAGES[language]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}"' in html
        assert response["Content-Language"] == language
        data = _jsonld(html)
        assert data["@type"] == schema_type, url
        assert '<link rel="canonical"' in html
        assert 'property="og:title"' in html and 'name="twitter:card"' in html
        if url.count("/") > 2:  # translated pages name each other
            for code in ("vi", "en", "fr"):
                assert f'hreflang="{code}"' in html, (url, code)


def test_claim_review_carries_claim_and_rating(portal, client: Client) -> None:
    data = _jsonld(client.get("/en/fact-checks/ha-long-not-closed/").content.decode())
    assert data["claimReviewed"].startswith("Ha Long Bay is closed")
    assert data["reviewRating"]["ratingValue"] == 1


def test_switcher_lands_on_the_translation_or_says_there_is_none(portal, client: Client) -> None:
    html = client.get("/en/news/lam-dong-coffee-harvest/").content.decode()
    assert 'href="/fr/actualites/cafe-lam-dong-recolte/"' in html
    # German has no translation of this page: the switcher says so and goes to /de/
    assert 'href="/de/?no-translation=1"' in html
    untranslated = client.get("/vi/tin-tuc/hue-mo-lai-tuyen-di-bo-song-huong/").content.decode()
    assert 'href="/en/?no-translation=1"' in untranslated
    notice = client.get("/en/?no-translation=1").content.decode()
    assert "has no translation in this language" in notice


def test_fact_sheet_shows_live_figures_from_measure(portal, client: Client) -> None:
    html = client.get("/en/provinces/lam-dong/").content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "foreign articles" in html


def test_feeds_per_language_and_per_topic(portal, client: Client) -> None:
    for url in (
        "/en/feeds/rss.xml",
        "/en/feeds/atom.xml",
        "/fr/actualites/rss/",
        "/fr/actualites/atom/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (url, parsed.bozo_exception)
        titles = [e.title for e in parsed.entries]
        assert titles, url
    rss = feedparser.parse(client.get("/fr/feeds/rss.xml").content)
    assert "Le café de Lam Dong à la récolte" in [e.title for e in rss.entries]
    # the Vietnamese draft awaiting approval is in no feed
    vi = feedparser.parse(client.get("/vi/feeds/rss.xml").content)
    assert "Lâm Đồng chuẩn bị Festival Hoa" not in [e.title for e in vi.entries]


def test_sitemap_lists_languages_with_alternates_and_robots_names_it(
    portal, client: Client
) -> None:
    xml = client.get("/sitemap.xml").content
    tree = ElementTree.fromstring(xml)  # noqa: S314 - our own sitemap
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [u.find("s:loc", ns).text for u in tree.findall("s:url", ns)]
    assert "http://testserver/en/news/lam-dong-coffee-harvest/" in locs
    assert not any("festival-hoa" in loc for loc in locs)  # never a draft
    article = next(
        u
        for u in tree.findall("s:url", ns)
        if u.find("s:loc", ns).text.endswith("/en/news/lam-dong-coffee-harvest/")
    )
    langs = {link.get("hreflang") for link in article.findall("x:link", ns)}
    assert langs == {"vi", "en", "fr"}
    robots_text = client.get("/robots.txt").content.decode()
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(robots_text.splitlines())
    assert robots.can_fetch("bot", "http://h/en/news/")
    assert robots.can_fetch("bot", "http://h/zh-hans/")
    assert not robots.can_fetch("bot", "http://h/theo-doi/")
    assert not robots.can_fetch("bot", "http://h/quang-ba/quan-tri/")
    assert "Sitemap: http://testserver/sitemap.xml" in robots_text


def test_search_per_language_finds_only_live_pages(portal, client: Client) -> None:
    html = client.get("/en/search/", {"q": "coffee"}).content.decode()
    assert "Lam Dong coffee at harvest time" in html
    assert "Le café" not in html
    fr = client.get("/fr/search/", {"q": "café"}).content.decode()
    assert "Le café de Lam Dong à la récolte" in fr
    vi = client.get("/vi/search/", {"q": "Festival Hoa"}).content.decode()
    assert "Lâm Đồng chuẩn bị Festival Hoa" not in vi  # awaiting approval, not public


def test_unpublished_page_is_404_and_leaks_nothing(portal, client: Client) -> None:
    response = client.get("/vi/tin-tuc/lam-dong-chuan-bi-festival-hoa/")
    assert response.status_code == 404
    assert "Festival Hoa" not in response.content.decode()
    page = ArticlePage.objects.get(locale__language_code="en", slug="lam-dong-coffee-harvest")
    assert client.get("/en/news/lam-dong-coffee-harvest/").status_code == 200
    page.unpublish()
    response = client.get("/en/news/lam-dong-coffee-harvest/")
    assert response.status_code == 404  # the cached copy went with the unpublish


def test_unknown_language_prefix_is_404_in_the_likely_language(portal, client: Client) -> None:
    response = client.get("/xx/news/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert response.status_code == 404
    assert response["Content-Language"] == "en"
    assert "Page not found" in response.content.decode()
    vi = client.get("/qq-abcd/", HTTP_ACCEPT_LANGUAGE="vi")
    assert vi.status_code == 404 and "Không tìm thấy trang" in vi.content.decode()


def test_translation_of_a_deleted_page_is_gone_everywhere(portal, client: Client) -> None:
    source = ArticlePage.objects.get(
        locale__language_code="vi", slug="ca-phe-lam-dong-mua-thu-hoach"
    )
    french = source.get_translation(source.locale.__class__.objects.get(language_code="fr"))
    source.delete()
    # the French translation still stands on its own; deleting it leaves no page, feed entry
    # or sitemap line behind
    assert client.get("/fr/actualites/cafe-lam-dong-recolte/").status_code == 200
    Page.objects.get(pk=french.pk).delete()
    assert client.get("/fr/actualites/cafe-lam-dong-recolte/").status_code == 404
    assert b"cafe-lam-dong-recolte" not in client.get("/sitemap.xml").content
    assert b"Le caf\xc3\xa9 de Lam Dong" not in client.get("/fr/feeds/rss.xml").content


def test_rich_text_cannot_carry_script(portal, client: Client) -> None:
    page = ArticlePage.objects.get(locale__language_code="en", slug="lam-dong-coffee-harvest")
    page.body = (
        '<p>ok</p><script>alert(1)</script><img src="x" onerror="alert(2)">'
        '<p onclick="alert(3)">x</p><a href="javascript:alert(4)">y</a>'
    )
    page.save_revision().publish()
    html = client.get("/en/news/lam-dong-coffee-harvest/").content.decode()
    body = html.split('class="p-body">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body and "onerror" not in body and "onclick" not in body
    assert "javascript:" not in body
    assert "<p>ok</p>" in body
