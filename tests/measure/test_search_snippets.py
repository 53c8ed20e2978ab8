"""Search that shows why: snippets with matched words marked (folded as the search folds),
facets with counts that narrow the search."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import login
from tests.factories import ReportFactory, SourceFactory
from tests.measure.test_search import corpus  # noqa: F401 - the search corpus
from ttdn.measure.filters import filters_parse
from ttdn.measure.selectors import report_search_facets
from ttdn.measure.snippets import highlight, match_spans, snippet


def _marked(segments) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.text for s in segments if s.match]


def test_marks_are_accent_insensitive_and_whole_words() -> None:
    text = "Du khách đổ về Đà Lạt; latest news from DA LAT and Dalat."
    assert [text[a:b] for a, b in match_spans(text, "da lat")] == ["Đà", "Lạt", "DA", "LAT"]
    assert _marked(highlight(text, '"đa lat"')) == ["Đà Lạt", "DA LAT"]
    assert _marked(highlight("ĐỒNG NAI thu hút", "dong nai")) == ["ĐỒNG", "NAI"]
    # decomposed input keeps its marks inside the highlight
    decomposed = "Đa\u0300 La\u0323t"
    assert _marked(highlight(decomposed, "da lat")) == ["Đa\u0300", "La\u0323t"]
    assert highlight("nothing here", "") == [type(highlight("x", "x")[0])("nothing here", False)]


def test_snippet_is_a_window_around_the_first_match_cut_at_words() -> None:
    text = (
        ("Mở đầu dài dòng không liên quan. " * 20)
        + "Thành phố Đà Lạt đón khách."
        + (" Đoạn kết cũng dài." * 20)
    )
    parts = snippet(text, "da lat", window=120)
    joined = "".join(p.text for p in parts)
    assert joined.startswith("… ") and joined.endswith(" …")
    assert _marked(parts) == ["Đà", "Lạt"]
    inner = joined[2:-2]
    assert inner in " ".join(text.split())  # whole words only: the cut is at spaces
    assert len(inner) <= 120
    # no match in the text (only the title matched): its opening words
    assert "".join(p.text for p in snippet("Short text.", "absent")) == "Short text."


@pytest.mark.django_db
def test_facets_count_the_matches(corpus) -> None:  # noqa: F811
    facets = report_search_facets(query="da lat", filters=filters_parse({}, require_period=False))
    assert dict(facets["language"]) == {"vi": 1, "en": 1}
    assert dict(facets["country"]) == {"VN": 1, "GB": 1}
    assert facets["counted"] == 2 and not facets["partial"]


@pytest.mark.django_db
def test_search_page_shows_snippets_and_facets_in_both_languages(
    client: Client,
    analyst,
    corpus,  # noqa: F811
) -> None:
    login(client, analyst)
    page = client.get("/do-luong/tim-kiem/", {"q": "da lat"}).content.decode()
    assert "<mark>Đà</mark> <mark>Lạt</mark>" in page  # title and snippet
    assert '<p class="snippet">Thành phố <mark>Đà</mark> <mark>Lạt</mark> đón' in page
    assert 'data-facet="language"' in page and "Tiếng Việt" in page or "tiếng Việt" in page
    assert "?q=da+lat&amp;language=vi" in page
    narrowed = client.get("/do-luong/tim-kiem/", {"q": "da lat", "language": "vi"}).content.decode()
    assert "Du lịch" in narrowed and "favourite escape" not in narrowed
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/do-luong/tim-kiem/", {"q": "da lat"}).content.decode()
    assert "Narrow the results" in page and "United Kingdom" in page
    assert "Counted: every collected report" in page
    # hostile text is escaped inside the marks
    ReportFactory(
        source=SourceFactory(country="FR"),
        title="<script>alert(1)</script> Da Lat",
        text="<b>Da Lat</b>",
    )
    page = client.get("/do-luong/tim-kiem/", {"q": "da lat"}).content.decode()
    assert "<script>alert(1)" not in page and "&lt;b&gt;<mark>Da</mark>" in page
