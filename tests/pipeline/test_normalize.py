"""normalize: NFC for Vietnamese, whitespace/control cleanup, canonical URLs; idempotence."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.pipeline.conftest import FEEDS, TEXT, fixture_bytes
from ttdn.pipeline import feeds
from ttdn.pipeline.normalize import (
    canonical_url,
    normalize_article,
    normalize_line,
    normalize_text,
)
from ttdn.pipeline.types import Article


def _danes_records() -> list[dict[str, str]]:
    lines = fixture_bytes(TEXT / "danes_vi_decomposed.jsonl").decode("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


DANES = _danes_records()


def test_danes_fixture_really_is_decomposed() -> None:
    assert len(DANES) == 12
    for record in DANES:
        text = record["title"] + record["description"]
        assert any(unicodedata.combining(c) for c in text)


@pytest.mark.parametrize("record", DANES, ids=[str(r["id"]) for r in DANES])
def test_decomposed_vietnamese_becomes_nfc(record: dict[str, str]) -> None:
    for raw in (record["title"], record["description"]):
        cleaned = normalize_text(raw)
        assert unicodedata.is_normalized("NFC", cleaned)
        assert cleaned == unicodedata.normalize("NFC", raw).strip()
        # composed and decomposed spellings of the same words now compare equal
        assert normalize_text(unicodedata.normalize("NFD", raw)) == cleaned


def test_vnexpress_titles_equal_whatever_form_they_arrive_in() -> None:
    parsed = feeds.parse(fixture_bytes(FEEDS / "vnexpress_tin-moi-nhat_2017-11-14.rss"))
    for item in parsed.items:
        decomposed = unicodedata.normalize("NFD", item.title)
        assert normalize_line(decomposed) == item.title
    assert normalize_line("Sa\u0300i Go\u0300n") == "Sài Gòn"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Hà\u00a0Nội \t mưa  ", "Hà Nội mưa"),
        ("a\x00b\x07c\u200bd\ufeffe\u00adf", "abcdef"),
        ("line one\r\nline two\rline three", "line one\nline two\nline three"),
        ("para 1\n\n\n\n\npara 2", "para 1\n\npara 2"),
        ("  indented\n   second   line  ", "indented\nsecond line"),
        ("x\u2028y\u2029z", "x\ny\n\nz"),
        ("\u202eevil\u202c", "evil"),
        ("ZWJ stays: 👩\u200d💻", "ZWJ stays: 👩\u200d💻"),
        ("", ""),
    ],
)
def test_normalize_text_cases(raw: str, clean: str) -> None:
    assert normalize_text(raw) == clean


def test_normalize_line_joins_lines() -> None:
    assert normalize_line("\nCon hẻm trăm tuổi\n ở Sài Gòn \n") == "Con hẻm trăm tuổi ở Sài Gòn"


def test_normalize_article() -> None:
    article = Article(
        url="HTTPS://VnExpress.net:443/tin-tuc/a.html?utm_source=fb&id=2#binh-luan",
        title=" Sa\u0300i Go\u0300n\n",
        text="Đoạn 1\n\n\n\nĐoạn 2\x00",
        author=" Phóng viên ",
    )
    out = normalize_article(article)
    assert out.title == "Sài Gòn"
    assert out.text == "Đoạn 1\n\nĐoạn 2"
    assert out.author == "Phóng viên"
    assert out.canonical_url == "https://vnexpress.net/tin-tuc/a.html?id=2"
    assert article.title == " Sa\u0300i Go\u0300n\n"  # input untouched
    assert normalize_article(out) == out


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://VnExpress.NET:443/thoi-su/a-123.html?utm_source=fb&utm_medium=social#box",
            "https://vnexpress.net/thoi-su/a-123.html",
        ),
        ("http://example.org:80", "http://example.org/"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org/a/./b/../c", "https://example.org/a/c"),
        ("https://example.org/%7euser/%2fx", "https://example.org/~user/%2Fx"),
        (
            "https://example.org/?b=2&a=1&fbclid=XYZ&gclid=1&mc_cid=9",
            "https://example.org/?a=1&b=2",
        ),
        ("https://example.org/?q=a+b&q2=%c3%a9", "https://example.org/?q2=%C3%A9&q=a+b"),
        ("https://Example.org./news", "https://example.org/news"),
        ("  https://example.org/x  ", "https://example.org/x"),
        ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
        ("mailto:someone@example.org", "mailto:someone@example.org"),
        ("not a url", "not a url"),
        ("http://example.org:99999/", "http://example.org:99999/"),
    ],
)
def test_canonical_url_cases(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_canonical_url_on_real_feed_links() -> None:
    parsed = feeds.parse(fixture_bytes(FEEDS / "trafilatura_npr_technology_feed.json"))
    for item in parsed.items:
        result = canonical_url(item.url)
        assert "utm_" not in result
        assert result.startswith("https://www.npr.org/")
        assert canonical_url(result) == result


# --- properties ------------------------------------------------------------------------------

_segment = st.lists(
    st.sampled_from([*"abcXYZ019-._~%é", "..", ".", "%7e", "%41", "%2f", "%2E"]), max_size=6
).map("".join)
_param = st.tuples(
    st.sampled_from(["utm_source", "UTM_Medium", "fbclid", "id", "q", "a", "B", ""]),
    st.text(alphabet="ab1+%2F=é ", max_size=5),
)
urls = st.builds(
    lambda scheme, host, port, segments, params, fragment: (
        f"{scheme}://{host}{port}/"
        + "/".join(segments)
        + ("?" + "&".join(f"{k}={v}" for k, v in params) if params else "")
        + fragment
    ),
    st.sampled_from(["http", "https", "HTTP", "HtTpS"]),
    st.sampled_from(["example.org", "Example.ORG", "vnexpress.net.", "[::1]", "1.2.3.4"]),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.lists(_segment, max_size=5),
    st.lists(_param, max_size=5),
    st.sampled_from(["", "#top", "#"]),
)


@settings(max_examples=400, deadline=None)
@given(urls)
def test_canonical_url_is_idempotent_on_urls(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert "#" not in once and "utm_" not in once.lower() and "fbclid" not in once


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_canonical_url_is_idempotent_and_total_on_any_text(text: str) -> None:
    once = canonical_url(text)
    assert canonical_url(once) == once


_vietnamese = st.text(
    alphabet=st.sampled_from(
        list("aăâeêioôơuưyđAĂÂĐ \n\t\r\u00a0\u200b\x00\x7f")
        + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"]
    ),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_vietnamese, st.text(max_size=60)))
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\x00" not in once and "\r" not in once


@settings(max_examples=300, deadline=None)
@given(st.one_of(_vietnamese, st.text(max_size=60)))
def test_normalize_line_is_idempotent_and_single_line(text: str) -> None:
    once = normalize_line(text)
    assert normalize_line(once) == once
    assert "\n" not in once
