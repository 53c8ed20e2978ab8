"""Full-text search: accent-insensitive Vietnamese, phrases, filters, hostile input."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.conftest import login
from tests.factories import ReportFactory, SourceFactory, StoryFactory
from ttdn.measure.filters import filters_parse
from ttdn.measure.fulltext import fold, fts5_query, terms, tsquery
from ttdn.measure.selectors import report_search, story_search

pytestmark = pytest.mark.django_db

INJECTIONS = [
    '"',
    '""',
    '"unclosed phrase',
    "NEAR(",
    "NEAR(a b, 2)",
    "*",
    "dal*",
    "^start",
    "title:Lat",
    "a OR b AND NOT c",
    "(",
    ")",
    "'; DROP TABLE monitor_report; --",
    "' OR '1'='1",
    "\\",
    "%_%",
    "-x",
    "!:&|<->",
    "{title text}: lat",
    "\x00",
    "a" * 600,
    "Đà Lạt " * 40,
]


@pytest.fixture
def corpus(db):  # type: ignore[no-untyped-def]
    vn = SourceFactory(name="Báo Lâm Đồng", country="VN", kind="domestic")
    gb = SourceFactory(name="The Traveller", country="GB")
    story = StoryFactory(title="Mùa hoa dã quỳ ở Đà Lạt", language="vi")
    return {
        "dalat_vi": ReportFactory(
            source=vn,
            story=story,
            language="vi",
            title="Du lịch Đà Lạt hút khách quốc tế",
            text="Thành phố Đà Lạt đón hơn một triệu lượt khách trong mùa hoa.",
        ),
        "dalat_en": ReportFactory(
            source=gb,
            title="Why Da Lat is Vietnam's favourite escape",
            text="Pine forests and cool air draw visitors to Dalat.",
        ),
        "hue": ReportFactory(
            source=gb,
            title="Huế festival",
            text="The imperial city of Hue hosts its biennial festival.",
        ),
        "dong": ReportFactory(
            source=vn,
            language="vi",
            title="Đồng Nai mở rộng khu công nghiệp",
            text="ĐỒNG NAI thu hút đầu tư nước ngoài.",
        ),
    }


def titles(query: str, **params: str) -> set[str]:
    filters = filters_parse(params, require_period=False)
    return set(report_search(query=query, filters=filters).values_list("title", flat=True))


@pytest.mark.parametrize("query", ["Đà Lạt", "da lat", "DA LAT", "ĐÀ LẠT", "Da Lạt", "dà lat"])
def test_search_is_accent_and_case_insensitive(corpus, query) -> None:  # type: ignore[no-untyped-def]
    assert titles(query) == {
        "Du lịch Đà Lạt hút khách quốc tế",
        "Why Da Lat is Vietnam's favourite escape",
    }


def test_d_with_stroke_folds_to_d(corpus) -> None:  # type: ignore[no-untyped-def]
    assert titles("dong nai") == {"Đồng Nai mở rộng khu công nghiệp"}
    assert titles("ĐỒNG NAI") == {"Đồng Nai mở rộng khu công nghiệp"}


def test_text_is_searched_not_only_titles(corpus) -> None:  # type: ignore[no-untyped-def]
    assert titles("pine forests") == {"Why Da Lat is Vietnam's favourite escape"}
    assert titles("Hue") == {"Huế festival"}


def test_phrases_and_all_terms_required(corpus) -> None:  # type: ignore[no-untyped-def]
    assert titles('"lat is"') == {"Why Da Lat is Vietnam's favourite escape"}
    assert titles('"is lat"') == set()
    assert titles("da lat festival") == set()


def test_filters_apply_to_search(corpus) -> None:  # type: ignore[no-untyped-def]
    assert titles("da lat", language="vi") == {"Du lịch Đà Lạt hút khách quốc tế"}
    assert titles("da lat", country="GB") == {"Why Da Lat is Vietnam's favourite escape"}
    assert titles("da lat", source_kind="domestic") == {"Du lịch Đà Lạt hút khách quốc tế"}


def test_story_search(corpus) -> None:  # type: ignore[no-untyped-def]
    found = story_search(query="da quy", filters=None)
    assert [s.title for s in found] == ["Mùa hoa dã quỳ ở Đà Lạt"]
    # a story whose report matches is found too
    assert "Mùa hoa dã quỳ ở Đà Lạt" in {s.title for s in story_search(query="trieu luot")}


def test_edits_and_deletes_keep_the_index_in_sync(corpus) -> None:  # type: ignore[no-untyped-def]
    report = corpus["hue"]
    report.title = "Festival in Quảng Trị"
    report.text = "Nothing about the old capital."
    report.save()
    assert titles("Hue") == set()
    assert titles("quang tri") == {"Festival in Quảng Trị"}
    # a plain SQL delete: what the trigger sees, whatever other apps hang off reports
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM monitor_report WHERE id = %s", [report.pk])
    assert titles("quang tri") == set()


@pytest.mark.parametrize("query", INJECTIONS)
def test_hostile_queries_never_error(corpus, query) -> None:  # type: ignore[no-untyped-def]
    list(report_search(query=query))
    list(story_search(query=query))


def test_query_building_quotes_every_token() -> None:
    assert fold("Đà Lạt ĐỒNG") == "da lat dong"
    assert terms('"Hạ Long" bay NEAR(x*') == [["ha", "long"], ["bay"], ["near"], ["x"]]
    assert fts5_query([["ha", "long"], ["bay"]]) == '"ha long" "bay"'
    assert tsquery([["ha", "long"], ["bay"]]) == "('ha' <-> 'long') & ('bay')"
    assert terms("'; DROP TABLE x; --") == [["drop"], ["table"], ["x"]]
    assert terms('!!! *** ""') == []


@pytest.mark.parametrize("query", INJECTIONS[:14])
def test_search_page_and_api_survive_hostile_input(client, officer_lam_dong, corpus, query) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    page = client.get("/do-luong/tim-kiem/", {"q": query})
    assert page.status_code == 200
    api = client.get("/api/measure/search", {"q": query})
    assert api.status_code == 200, api.content


def test_search_page_shows_results_and_empty_state(client, officer_lam_dong, corpus) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    html = client.get("/do-luong/tim-kiem/", {"q": "da lat"}).content.decode()
    # the matched words are marked (tests/measure/test_search_snippets.py)
    assert "Du lịch <mark>Đà</mark> <mark>Lạt</mark> hút khách quốc tế" in html
    # "dã" folds to "da" too
    assert "Mùa hoa <mark>dã</mark> quỳ ở <mark>Đà</mark> <mark>Lạt</mark>" in html
    assert 'id="no-results"' in client.get("/do-luong/tim-kiem/", {"q": "zzzz"}).content.decode()
    bad = client.get("/do-luong/tim-kiem/", {"q": "da lat", "date_from": "nope"})
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()


def test_search_api_returns_metadata_only(client, analyst, corpus) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    body = client.get("/api/measure/search", {"q": "Đà Lạt"}).json()
    assert {r["title"] for r in body["reports"]} == {
        "Du lịch Đà Lạt hút khách quốc tế",
        "Why Da Lat is Vietnam's favourite escape",
    }
    assert all("text" not in r for r in body["reports"])
