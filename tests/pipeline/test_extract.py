"""extract: article text and metadata from real pages, encodings, size caps and HTML bombs."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.pipeline.conftest import HTML, fixture_bytes
from ttdn.evaluation.extraction import match_counts
from ttdn.pipeline.errors import ExtractionError, PipelineError, TooLargeError
from ttdn.pipeline.extract import decode_html, extract
from ttdn.pipeline.normalize import normalize_article

AEB_GOLD: dict[str, dict[str, str]] = json.loads(
    fixture_bytes(HTML / "aeb_ground_truth.json").decode("utf-8")
)
TRAF_GOLD: dict[str, dict[str, object]] = json.loads(
    fixture_bytes(HTML / "trafilatura_evaldata.json").decode("utf-8")
)

# (page id, min token precision, min token recall, language hint, title starts with)
AEB_CASES = [
    ("c00962aabe7b", 0.9, 0.95, "", "Seeking a bigger role for a big rocket"),
    ("0ec95c7261d1", 0.9, 0.95, "ko", "엔터 미디어"),
    ("c4a3637c6696", 0.9, 0.95, "ru-ru", "Скайрим"),
    # known weakness: the page's related-messages list is taken as body (precision ~0.2)
    ("b3c19dd5f061", 0.15, 0.95, "pt-br", "Só quem se Ama"),
    ("7916ecca969f", 0.9, 0.95, "", "US service members killed in Afghanistan"),
]


def test_every_html_fixture_is_used() -> None:
    on_disk = {p.name for p in HTML.glob("*.html")}
    used = {f"aeb_{case[0]}.html" for case in AEB_CASES}
    used |= {str(entry["file"]) for entry in TRAF_GOLD.values()}
    assert on_disk == used
    assert set(AEB_GOLD) == {case[0] for case in AEB_CASES}


@pytest.mark.parametrize(
    ("page_id", "min_precision", "min_recall", "language", "title"),
    AEB_CASES,
    ids=[c[0] for c in AEB_CASES],
)
def test_aeb_page_body_matches_gold(
    page_id: str, min_precision: float, min_recall: float, language: str, title: str
) -> None:
    gold = AEB_GOLD[page_id]
    article = extract(fixture_bytes(HTML / f"aeb_{page_id}.html"), url=gold["url"])
    tp, fp, fn = match_counts(gold["articleBody"], article.text)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert recall >= min_recall, recall
    assert precision >= min_precision, precision
    assert article.title.startswith(title)
    assert article.language_hint == language
    assert article.url == gold["url"]
    assert article.canonical_url.startswith(("http://", "https://"))
    assert isinstance(article.published, datetime) and article.published.tzinfo is not None
    assert datetime(2010, 1, 1, tzinfo=UTC) < article.published < datetime(2020, 1, 1, tzinfo=UTC)
    assert "\ufffd" not in article.text


TRAF_CASES = sorted(TRAF_GOLD.items(), key=lambda kv: str(kv[1]["file"]))
# Snippets the current extractor is known to miss on these pages (measured, kept visible
# rather than silently dropped); everything else must hold.
KNOWN_MISSES = {
    ("wordsmith.org.maudlin.html", "with", "adjective: Overly sentimental"),
    ("wordsmith.org.maudlin.html", "without", "spread the magic of words to readers everywhere"),
    ("archive.org-travaillent.html", "with", "350 000 emplois créés"),
    ("archive.org-travaillent.html", "without", "Le marché du travail est-il trop"),
    ("archive.org-travaillent.html", "without", "Hors-série n° 72"),
    ("radiomaryja.pl.lux-veritatis.html", "without", "więcej]"),
    ("radiomaryja.pl.lux-veritatis.html", "without", "RIRM"),
}


@pytest.mark.parametrize(("url", "entry"), TRAF_CASES, ids=[str(e["file"]) for _, e in TRAF_CASES])
def test_trafilatura_eval_page_snippets(url: str, entry: dict[str, object]) -> None:
    name = str(entry["file"])
    article = extract(fixture_bytes(HTML / name), url=url)
    checked = 0
    for kind in ("with", "without"):
        snippets = entry[kind]
        assert isinstance(snippets, list)
        for snippet in snippets:
            if (name, kind, snippet) in KNOWN_MISSES:
                continue
            present = snippet in article.text
            assert present is (kind == "with"), (kind, snippet)
            checked += 1
    assert checked >= 3
    assert "\ufffd" not in article.text
    assert "Ã" not in article.text  # classic UTF-8-read-as-Latin-1 mojibake


# --- decoding --------------------------------------------------------------------------------

DECODING = [
    # (file, codec chosen, a string that only appears when decoded right)
    ("landwirt.com.sensortechnik.html", "cp1252", "Überwachung der somatischen Zellen"),
    ("archive.org.he.xinhuanet.com.25340717.html", "gb18030", "一个约定，信守15年"),
    ("archive.org-travaillent.html", "cp1252", "autres travaillent moins"),
    ("radiomaryja.pl.lux-veritatis.html", "utf-8", "Sprzeciw wobec ataków na Fundację"),
    ("nhk.or.jp.k100.html", "utf-8-sig", "子どもへの虐待をなくすための法律"),
    ("xinhuanet.com.c_1125597921.html", "utf-8", "武汉的声音"),
    ("aeb_0ec95c7261d1.html", "utf-8", "엔터"),  # no charset declared anywhere
]


@pytest.mark.parametrize(("name", "codec", "marker"), DECODING, ids=[d[0] for d in DECODING])
def test_decode_html_picks_the_right_codec(name: str, codec: str, marker: str) -> None:
    text, used = decode_html(fixture_bytes(HTML / name))
    assert used == codec
    assert marker in text


def test_valid_utf8_wins_over_a_declared_legacy_charset() -> None:
    # A real UTF-8 page re-labelled iso-8859-1, as CMS migrations leave them.
    page = fixture_bytes(HTML / "aeb_b3c19dd5f061.html")
    assert b'charset="utf-8"' in page
    relabelled = page.replace(b'charset="utf-8"', b'charset="iso-8859-1"')
    text, used = decode_html(relabelled, http_charset="iso-8859-1")
    assert used == "utf-8"
    assert "Só quem se Ama" in text and "Ã" not in text


def test_http_charset_is_used_when_bytes_are_not_utf8() -> None:
    original = fixture_bytes(HTML / "aeb_c4a3637c6696.html").decode("utf-8")
    # the same Russian page served as windows-1251, declared only in the HTTP header
    data = original.replace('charset="UTF-8"', "").encode("cp1251", errors="replace")
    text, used = decode_html(data, http_charset="windows-1251")
    assert used == "cp1251"
    assert "Скайрим" in text
    article = extract(data, url="https://gto-normativy.ru/x/", http_charset="windows-1251")
    assert "скорость" in article.text.lower()


def test_str_input_is_accepted() -> None:
    html = fixture_bytes(HTML / "xinhuanet.com.c_1125597921.html").decode("utf-8")
    article = extract(html, url="http://www.xinhuanet.com/local/2020-02/19/c_1125597921.htm")
    assert "武汉" in article.text and article.extra["encoding"] == "str"


def test_extract_then_normalize_is_clean() -> None:
    article = normalize_article(
        extract(fixture_bytes(HTML / "nhk.or.jp.k100.html"), url="https://www3.nhk.or.jp/a?utm_x=1")
    )
    assert article.canonical_url.startswith("https://www3.nhk.or.jp/")
    assert "utm_" not in article.canonical_url
    assert article.text == article.text.strip()


# --- hostile input ---------------------------------------------------------------------------


def test_page_over_the_cap_is_refused_before_parsing() -> None:
    data = fixture_bytes(HTML / "radiomaryja.pl.lux-veritatis.html")
    with pytest.raises(TooLargeError) as caught:
        extract(data, url="https://example.org/a", max_bytes=50_000)
    assert "50000" in str(caught.value) and not caught.value.retryable


@pytest.mark.parametrize("depth", [500, 50_000])
def test_deep_nesting_bomb_is_a_clear_error(depth: int) -> None:
    page = fixture_bytes(HTML / "aeb_c00962aabe7b.html")
    bomb = page.replace(b"<body", b"<body><div>" + b"<div>" * depth + b"x" + b"</div>" * depth, 1)
    with pytest.raises(ExtractionError) as caught:
        extract(bomb, url="https://example.org/bomb")
    assert caught.value.reason == "html_bomb"
    assert "nested" in str(caught.value)


def test_very_wide_tree_is_refused() -> None:
    bomb = b"<html><body>" + b"<span>a</span>" * 200_000 + b"</body></html>"
    with pytest.raises(ExtractionError) as caught:
        extract(bomb, url="https://example.org/wide")
    assert caught.value.reason == "html_bomb"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n ",
        b"\x00\x00\x00",
        b"<html><head><title>only a title</title></head><body></body></html>",
        b"%PDF-1.4 binary junk \xff\xfe\x00",
    ],
)
def test_pages_without_text_raise_extraction_error(data: bytes) -> None:
    with pytest.raises(ExtractionError):
        extract(data, url="https://example.org/empty")


def test_broken_html_still_extracts() -> None:
    page = fixture_bytes(HTML / "aeb_c00962aabe7b.html")
    broken = page[: len(page) // 2].replace(b"</p>", b"").replace(b"</div>", b"", 20)
    article = extract(broken, url="https://www.thespacereview.com/article/3834/1")
    assert len(article.text) > 500


_PAGE = fixture_bytes(HTML / "aeb_7916ecca969f.html")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=len(_PAGE)),
    insert=st.binary(max_size=200),
    at=st.integers(min_value=0, max_value=len(_PAGE)),
)
def test_extract_on_mutated_page_returns_or_raises_typed_error(
    cut: int, insert: bytes, at: int
) -> None:
    data = _PAGE[:at] + insert + _PAGE[at:cut]
    try:
        article = extract(data, url="https://www.aljazeera.com/x")
    except PipelineError as exc:
        assert exc.reason
    else:
        assert article.text.strip()


def test_the_extensive_date_search_can_be_left_to_the_feed() -> None:
    """A feed-dated item skips htmldate's dateparser pass; the text is the same."""
    body = "Heavy rain caused floods across several provinces in the north of the country. " * 6
    html = (
        "<html><head><title>Floods</title></head><body><article><h1>Floods hit the north</h1>"
        f"<p>Posted 12 March 2024 by staff.</p><p>{body}</p></article></body></html>"
    )
    searched = extract(html, url="http://x.example/a")
    left = extract(html, url="http://x.example/a", date_search=False)
    assert searched.published is not None and searched.published.year == 2024
    assert left.published is None
    assert left.text == searched.text and left.title == searched.title
