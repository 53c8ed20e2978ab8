"""feeds.parse on hostile documents: never raises, one bad item costs one item, bounded."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ttdn.benchmarks import hostile_site as server
from ttdn.pipeline import feeds

BASE = "http://news.example.org"


def _name(func: object) -> str:
    return getattr(func, "__name__", str(func))


NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def parse(data: bytes) -> feeds.ParsedFeed:
    return feeds.parse(data, url=BASE + "/feed", now=NOW)


def test_non_http_links_are_dropped_with_a_reason_and_good_items_kept() -> None:
    parsed = parse(server.feed_links(BASE))
    assert [i.url for i in parsed.items] == [f"{BASE}/article/{n}" for n in (1, 2, 3)]
    refused = [e for e in parsed.errors if "is not an http(s) URL" in e]
    assert len(refused) == len(server.BAD_LINKS)


def test_non_http_links_in_json_feeds_and_sitemaps_are_dropped() -> None:
    parsed = parse(server.json_dates(BASE))
    assert all(i.url.startswith(BASE) for i in parsed.items)
    assert any("is not an http(s) URL" in e for e in parsed.errors)
    sitemap = parse(server.sitemap_dates(BASE))
    assert [i.url for i in sitemap.items] == [f"{BASE}/article/{n}" for n in (30, 31, 32)]
    assert any("is not an http(s) URL" in e for e in sitemap.errors)


def test_a_non_http_hub_is_ignored() -> None:
    data = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b'<link rel="hub" href="javascript:alert(1)"/><entry><title>a</title>'
        b'<link href="http://news.example.org/a"/><id>1</id></entry></feed>'
    )
    assert parse(data).hub_url == ""


@pytest.mark.parametrize(
    "document", [server.feed_dates, server.json_dates, server.sitemap_dates], ids=str
)
def test_absurd_dates_never_raise_and_cost_at_most_their_item(document: object) -> None:
    parsed = parse(document(BASE))  # type: ignore[operator]
    # every item with an http link is kept: a date that cannot be read is "no date"
    assert len(parsed.items) >= 3
    for item in parsed.items:
        assert item.published is None or item.published <= NOW + feeds.FUTURE_TOLERANCE


def test_year_one_east_of_utc_in_json_feed_is_no_date() -> None:
    data = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {"id": "1", "url": f"{BASE}/1", "date_published": "0001-01-01T00:00:00+14:00"},
                {"id": "2", "url": f"{BASE}/2", "date_published": "2026-11-22T08:00:00Z"},
            ],
        }
    ).encode()
    parsed = parse(data)
    assert [i.published for i in parsed.items] == [None, datetime(2026, 11, 22, 8, tzinfo=UTC)]


def test_billion_laughs_is_not_expanded_and_the_good_item_is_kept() -> None:
    parsed = parse(server.feed_laughs(BASE))
    urls = [i.url for i in parsed.items]
    assert f"{BASE}/article/40" in urls
    assert all(len(i.title) < 1000 for i in parsed.items)


@pytest.mark.parametrize("document", [server.feed_xxe, server.sitemap_xxe], ids=_name)
def test_external_entities_are_never_read(document: object) -> None:
    parsed = parse(document(BASE))  # type: ignore[operator]
    text = repr(parsed)
    assert "root:" not in text
    assert any(i.url.startswith(f"{BASE}/article/4") for i in parsed.items)


@pytest.mark.parametrize("document", [server.feed_nested, server.feed_tags], ids=_name)
def test_tag_floods_are_cut_and_the_items_before_them_kept(document: object) -> None:
    data = document(BASE)  # type: ignore[operator]
    assert len(feeds._TAG_RE.findall(data)) > feeds.MAX_TAGS
    parsed = parse(data)
    assert any(i.url.startswith(f"{BASE}/article/5") for i in parsed.items)
    assert any("tags; read only what comes before" in e for e in parsed.errors)


_offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda m: f"{'+' if m >= 0 else '-'}{abs(m) // 60:02d}:{abs(m) % 60:02d}"
)


@st.composite
def iso_dates(draw: st.DrawFn) -> str:
    year = draw(st.integers(min_value=1, max_value=9999))
    return (
        f"{year:04d}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}T"
        f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}:00"
        + draw(st.one_of(st.just(""), st.just("Z"), _offsets))
    )


@given(st.one_of(iso_dates(), st.text(max_size=40)))
@settings(max_examples=300, deadline=None)
def test_any_json_feed_date_costs_at_most_its_own_date(value: str) -> None:
    data = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {"id": "1", "url": f"{BASE}/1", "date_published": value},
                {"id": "2", "url": f"{BASE}/2", "date_published": "2026-11-22T08:00:00Z"},
            ],
        }
    ).encode()
    parsed = parse(data)
    assert [i.url for i in parsed.items] == [f"{BASE}/1", f"{BASE}/2"]
    first = parsed.items[0].published
    assert first is None or (first.tzinfo is not None and first <= NOW + feeds.FUTURE_TOLERANCE)


@st.composite
def rfc822_dates(draw: st.DrawFn) -> str:
    month = draw(st.sampled_from(["Jan", "Set", "Dez", "Fév", "Mär", "Dec", "Xyz"]))
    year = draw(st.integers(min_value=0, max_value=99999))
    sign = draw(st.sampled_from(["+", "-"]))
    return (
        f"Seg, {draw(st.integers(0, 40)):02d} {month} {year} {draw(st.integers(0, 30)):02d}:"
        f"{draw(st.integers(0, 70)):02d}:00 {sign}{draw(st.integers(0, 99)):02d}00"
    )


@given(st.one_of(rfc822_dates(), st.text(max_size=40)))
@settings(max_examples=300, deadline=None)
def test_any_rss_date_costs_at_most_its_own_date(value: str) -> None:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")
    escaped = "".join(c for c in escaped if c.isprintable())
    data = server._rss(server._item("a", f"{BASE}/1", escaped) + server._item("b", f"{BASE}/2"))
    parsed = parse(data)
    assert [i.url for i in parsed.items] == [f"{BASE}/1", f"{BASE}/2"]
    assert all(i.published is None or i.published.tzinfo for i in parsed.items)
