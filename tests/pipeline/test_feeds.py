"""feeds.parse on real recorded feeds and sitemaps, broken and hostile input, and fuzzing."""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.pipeline.conftest import FEEDS, fixture_bytes
from ttdn.pipeline import feeds
from ttdn.pipeline.feeds import ParsedFeed
from ttdn.pipeline.types import FeedItem


@dataclass(frozen=True)
class Expected:
    file: str
    kind: str
    count: int
    title: str  # feed title ("" for sitemaps)
    first_title: str
    first_url: str
    first_published: datetime
    language: str = ""
    hub: str = ""
    errors: int = 0


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


EXPECTED = [
    Expected(
        "vnexpress_tin-moi-nhat_2017-11-14.rss",
        "rss20",
        24,  # 25 items, one empty (<title/>, no link): skipped with an error line
        "Tin mới nhất - VnExpress RSS",
        "Con hẻm trăm tuổi ở Sài Gòn nhiều lần lên phim TVB 4",
        "https://dulich.vnexpress.net/tin-tuc/test-folder/"
        "con-hem-tram-tuoi-o-sai-gon-nhieu-lan-len-phim-tvb-4-3670446.html",
        utc(2017, 11, 14, 10, 42, 1),  # Tue, 14 Nov 2017 17:42:01 +0700
        errors=1,
    ),
    Expected(
        "rssparser_encoding-gb2312_qq_news.xml",
        "rss20",
        1,
        "互联网",
        "拟298亿元重组盛大游戏后 世纪华通发20亿回购预案",
        "http://tech.qq.com/a/20180919/009008.htm",
        utc(2018, 9, 19, 5, 11, 22),
        language="zh-cn",
    ),
    Expected(
        "rssparser_encoding.rss",
        "rss20",
        40,
        "Jornal de Notícias - Últimas Notícias",
        "Mãe de utente é a nova presidente da Raríssimas",
        "http://feeds.jn.pt/~r/JN-ULTIMAS/~3/UBnb8Ra3Q1U/"
        "sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html",
        utc(2018, 1, 3, 13, 47),
        language="pt-pt",
        hub="http://pubsubhubbub.appspot.com/",
    ),
    Expected(
        "rssparser_uolNoticias.rss",
        "rss",
        15,
        "UOL Noticias",
        "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno",
        "https://noticias.uol.com.br/politica/eleicoes/2018/noticias/2018/09/24/"
        "ibope-bolsonaro-perde-de-haddad-ciro-e-alckmin-em-simulacoes-de-2-turno.htm",
        utc(2018, 9, 24, 22, 42, 40),  # "Seg, 24 Set 2018 19:42:40 -0300": Portuguese names
        errors=1,  # Latin-1 bytes without a declaration: not well-formed, still read
    ),
    Expected(
        "rssparser_heise.atom",
        "atom10",
        15,
        "heise developer neueste Meldungen",
        "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei",
        "http://www.heise.de/developer/meldung/"
        "Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html?wt_mc=rss.developer.beitrag.atom",
        utc(2016, 2, 1, 16, 22),
    ),
    Expected(
        "rssparser_rss-1.rss",
        "rss10",
        69,
        "Science twis",
        "Food for fungi",
        "http://science.sciencemag.org/cgi/content/short/356/6343/1134-a?rss=1",
        utc(2017, 6, 15, 17, 29, 47),
    ),
    Expected(
        "rssparser_craigslist.rss",
        "rss10",
        25,
        "craigslist SF bay area | apts/housing for rent search",
        "Bright, Spacious Beautiful Victorian (oakland north / temescal) $4300 3bd 1930ft2",
        "http://sfbay.craigslist.org/eby/apa/6186664607.html",
        utc(2017, 6, 21, 17, 33, 10),
        language="en-us",
    ),
    Expected(
        "rssparser_reddit-atom.rss",
        "rss20",
        24,
        "reddit: the front page of the internet",
        "The Difficulties in Space",
        "https://www.reddit.com/r/space/comments/42babr/the_difficulties_in_space/",
        utc(2016, 1, 23, 15, 40, 37),
    ),
    Expected(
        "trafilatura_npr_technology_feed.json",
        "jsonfeed",
        25,
        "Technology",
        "Keller Rinaudo: How can delivery drones save lives?",
        "https://www.npr.org/2021/10/29/1050315385/keller-rinaudo-how-can-delivery-drones-save-lives"
        "?utm_medium=JSONFeed&utm_campaign=technology",
        utc(2021, 10, 29, 14, 26),
    ),
    Expected(
        "washingtonpost_news_sitemap_2017-11-23.xml",
        "sitemap",
        4,
        "",
        "The Latest: Roy Moore thanks Trump in new fundraising appeal",
        "https://www.washingtonpost.com/politics/the-latest-roy-moore-thanks-trump-in-new-"
        "fundraising-appeal/2017/11/22/bd14fa82-cff2-11e7-a87b-47f14b73162a_story.html",
        utc(2017, 11, 23, 2, 5, 12),
    ),
    Expected(
        "sitemaps.org_sitemap.xml",
        "sitemap",
        84,
        "",
        "",
        "https://www.sitemaps.org/",
        utc(2016, 11, 21),
    ),
    Expected(
        "sitemaps.org_sitemapindex_example.xml",
        "sitemapindex",
        2,
        "",
        "",
        "http://www.example.com/sitemap1.xml.gz",
        utc(2004, 10, 1, 18, 23, 17),
    ),
]


def parse_fixture(
    name: str, *, now: datetime | None = None, max_bytes: int = feeds.DEFAULT_MAX_BYTES
) -> ParsedFeed:
    return feeds.parse(fixture_bytes(FEEDS / name), now=now, max_bytes=max_bytes)


def test_every_feed_fixture_has_an_expectation() -> None:
    on_disk = {p.name for p in FEEDS.iterdir() if p.suffix not in (".md", ".txt")}
    assert on_disk == {e.file for e in EXPECTED}


@pytest.mark.parametrize("expected", EXPECTED, ids=[e.file for e in EXPECTED])
def test_fixture_parses_as_recorded(expected: Expected) -> None:
    parsed = parse_fixture(expected.file)
    assert parsed.kind == expected.kind
    assert len(parsed.items) == expected.count
    assert len(parsed.errors) == expected.errors, parsed.errors
    assert parsed.title == expected.title
    assert parsed.language == expected.language
    assert parsed.hub_url == expected.hub
    first = parsed.items[0]
    assert first.title == expected.first_title
    assert first.url == expected.first_url
    assert first.published == expected.first_published
    for item in parsed.items:
        assert isinstance(item, FeedItem)
        assert item.url.startswith(("http://", "https://")), item.url
        assert item.url == item.url.strip()
        assert "\n" not in item.title and item.title == item.title.strip()
        assert unicodedata.is_normalized("NFC", item.title + item.summary)
        assert "\ufffd" not in item.title + item.summary
        assert item.published is None or item.published.tzinfo is not None
        if expected.language:
            assert item.language_hint == expected.language


def test_gb2312_feed_decodes_to_chinese_not_mojibake() -> None:
    parsed = parse_fixture("rssparser_encoding-gb2312_qq_news.xml")
    item = parsed.items[0]
    assert item.summary.startswith("腾讯科技讯9月18日，A股游戏公司世纪华通（002602.SZ）发布公告")
    text = item.title + item.summary
    # every letter is CJK, ASCII or fullwidth punctuation: no Latin-1 mojibake
    assert not re.search(r"[\u00c0-\u024f]", text)
    assert item.author == "www.qq.com"


def test_latin1_feed_decodes_accents() -> None:
    parsed = parse_fixture("rssparser_encoding.rss")
    text = " ".join(i.title + " " + i.summary for i in parsed.items)
    assert "ç" in text and "ã" in text
    assert "Ã" not in text and "\ufffd" not in text


def test_vietnamese_titles_are_clean_and_composed() -> None:
    parsed = parse_fixture("vnexpress_tin-moi-nhat_2017-11-14.rss")
    assert parsed.items[0].summary.startswith("Mang nét cổ kính và kiến trúc độc đáo")
    assert "<" not in parsed.items[0].summary  # HTML in CDATA reduced to text
    assert any("no link; skipped" in e for e in parsed.errors)


def test_json_feed_fields() -> None:
    parsed = parse_fixture("trafilatura_npr_technology_feed.json")
    first = parsed.items[0]
    assert first.guid == "1050315385"
    assert first.author
    assert first.summary


def test_news_sitemap_fields() -> None:
    parsed = parse_fixture("washingtonpost_news_sitemap_2017-11-23.xml")
    assert [i.language_hint for i in parsed.items] == ["en"] * 4
    assert parsed.items[3].title.startswith("Federal judge rejects Democrats’ request")


def test_relative_sitemap_locs_resolve_against_url() -> None:
    data = fixture_bytes(FEEDS / "sitemaps.org_sitemap.xml").replace(
        b"https://www.sitemaps.org/", b"/"
    )
    parsed = feeds.parse(data, url="https://www.sitemaps.org/sitemap.xml")
    assert parsed.items[1].url == "https://www.sitemaps.org/protocol.html"


def test_gzipped_sitemap() -> None:
    data = gzip.compress(fixture_bytes(FEEDS / "sitemaps.org_sitemap.xml"))
    parsed = feeds.parse(data)
    assert parsed.kind == "sitemap" and len(parsed.items) == 84 and parsed.errors == []


def test_gzip_bomb_is_refused() -> None:
    parsed = feeds.parse(gzip.compress(b" " * 3_000_000), max_bytes=1_000_000)
    assert parsed.items == [] and "cap" in parsed.errors[0]


def test_oversized_input_is_refused() -> None:
    parsed = parse_fixture("rssparser_rss-1.rss", max_bytes=10_000)
    assert parsed.items == [] and "over the cap" in parsed.errors[0]


# --- dates -----------------------------------------------------------------------------------


def test_future_dates_are_clamped_to_now_and_reported() -> None:
    now = utc(2017, 11, 14, 9, 59, 30, 123456)  # items run 08:xx to 10:42 UTC
    parsed = parse_fixture("vnexpress_tin-moi-nhat_2017-11-14.rss", now=now)
    clamped = [e for e in parsed.errors if "in the future; clamped" in e]
    assert clamped
    assert all(
        i.published is not None and i.published <= now + feeds.FUTURE_TOLERANCE
        for i in parsed.items
    )
    assert sum(i.published == now for i in parsed.items) == len(clamped)


def test_dates_within_tolerance_are_kept() -> None:
    now = utc(2017, 11, 14, 10, 40)  # first item is 10:42:01, inside the 10-minute tolerance
    parsed = parse_fixture("vnexpress_tin-moi-nhat_2017-11-14.rss", now=now)
    assert parsed.items[0].published == utc(2017, 11, 14, 10, 42, 1)


@pytest.mark.parametrize(
    "name", ["rssparser_encoding-gb2312_qq_news.xml", "washingtonpost_news_sitemap_2017-11-23.xml"]
)
def test_items_without_a_date_get_none(name: str) -> None:
    data = re.sub(rb"<(pubDate|n:publication_date)>[^<]*</\1>", b"", fixture_bytes(FEEDS / name))
    parsed = feeds.parse(data)
    assert parsed.items and all(i.published is None for i in parsed.items)


# --- broken and hostile input ----------------------------------------------------------------


@pytest.mark.parametrize("expected", EXPECTED, ids=[e.file for e in EXPECTED])
def test_truncated_fixture_yields_readable_items_and_an_error(expected: Expected) -> None:
    data = fixture_bytes(FEEDS / expected.file)
    parsed = feeds.parse(data[: int(len(data) * 0.6)])
    assert parsed.errors, "a truncated document must be reported"
    if expected.count >= 4:  # small documents may lose everything; large ones must not
        assert parsed.items, parsed.errors
        assert parsed.items[0].url == expected.first_url


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
)


@pytest.mark.parametrize(
    "body",
    [
        b'<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
        b"<link>http://a.example/1</link></item></channel></rss>",
        b"<urlset><url><loc>http://a.example/&lol9;</loc></url></urlset>",
    ],
    ids=["rss", "sitemap"],
)
def test_entity_expansion_bomb_is_not_expanded(body: bytes) -> None:
    parsed = feeds.parse(BILLION_LAUGHS + body)
    assert len(parsed.title) < 1000
    assert all(len(i.url) + len(i.title) < 1000 for i in parsed.items)
    assert parsed.errors


def test_bytes_naming_a_file_are_not_opened(tmp_path: Path) -> None:
    # feedparser.parse(b"/some/path") would read that file; parse() must treat it as data.
    target = tmp_path / "feed.xml"
    target.write_bytes(fixture_bytes(FEEDS / "rssparser_heise.atom"))
    parsed = feeds.parse(str(target).encode())
    assert parsed.items == [] and parsed.kind == "unknown" and parsed.errors


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a recognised"),
        (b"<html><body>not a feed</body></html>", "not a recognised"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": [', "not valid JSON"),
        (b"[" * 100_000, "not valid JSON"),
        (b'{"title": "no items"}', "not a JSON Feed"),
        (b"<urlset><url><lastmod>2020-01-01</lastmod></url></urlset>", "no <loc>"),
        (b"\x1f\x8bnot really gzip", "gzip"),
    ],
)
def test_garbage_gives_errors_not_exceptions(data: bytes, message: str) -> None:
    parsed = feeds.parse(data)
    assert parsed.items == []
    assert any(message in e for e in parsed.errors), parsed.errors


def test_json_feed_items_without_url_are_skipped_with_error() -> None:
    document = json.loads(fixture_bytes(FEEDS / "trafilatura_npr_technology_feed.json"))
    del document["items"][0]["url"]
    document["items"][1] = "not an object"
    parsed = feeds.parse(json.dumps(document).encode())
    assert len(parsed.items) == 23
    assert len(parsed.errors) == 2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_parse_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    parsed = feeds.parse(data)
    assert isinstance(parsed, ParsedFeed)
    assert all(isinstance(i, FeedItem) and i.url for i in parsed.items)


_SEEDS = [fixture_bytes(FEEDS / e.file)[:6000] for e in EXPECTED]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(_SEEDS),
    cut=st.integers(min_value=0, max_value=6000),
    insert=st.binary(max_size=64),
    at=st.integers(min_value=0, max_value=6000),
)
def test_parse_never_raises_on_mutated_real_feeds(
    seed: bytes, cut: int, insert: bytes, at: int
) -> None:
    data = seed[:at] + insert + seed[at:cut]
    parsed = feeds.parse(data)
    assert isinstance(parsed, ParsedFeed)
    assert isinstance(parsed.errors, list)
