"""urls.safe_http_url: only http(s) links are stored or linked, whatever the spelling."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls

from ttdn.pipeline.urls import is_safe_http_url, safe_http_url

HOSTILE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "\x00javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "javascript\t:alert(1)",
    "\u00a0javascript:alert(1)",  # not stripped by browsers either: no scheme at all
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",  # scheme-relative: must have been resolved first
    "/relative/path",
    "http://",
    "https:///nohost",
    "http://[::1",
    "http://host:99999/",
    "",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_or_incomplete_urls_are_refused(value: str) -> None:
    assert safe_http_url(value) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://example.org/a", "http://example.org/a"),
        ("  HTTPS://Example.org/a b\n", "HTTPS://Example.org/a%20b"),
        ("https://exa\tmple.org/x", "https://example.org/x"),
        ("http://example.org/\x7fdel", "http://example.org/%7Fdel"),
    ],
)
def test_http_urls_are_kept_and_tidied(value: str, expected: str) -> None:
    assert safe_http_url(value) == expected


def test_non_strings_are_refused() -> None:
    assert safe_http_url(None) == "" and safe_http_url(b"http://x.org/") == ""


def _browser_scheme(value: str) -> str:
    """The scheme a WHATWG browser reads from `value` ("" when it reads none)."""
    text = value.replace("\t", "").replace("\n", "").replace("\r", "")
    text = text.strip("".join(chr(c) for c in range(0x21)))
    head, sep, _ = text.partition(":")
    if not sep or not head or not head[0].isascii() or not head[0].isalpha():
        return ""
    if not all(c.isascii() and (c.isalnum() or c in "+-.") for c in head):
        return ""
    return head.lower()


_noise = st.sampled_from(["", "\t", "\n", "\r", " ", "\x00", "\x01", "\x1f"])


@st.composite
def disguised(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["javascript", "data", "vbscript", "file", "blob"]))
    spelled = "".join(
        (c.upper() if draw(st.booleans()) else c) + (draw(_noise) if c != scheme[0] else "")
        for c in scheme
    )
    return draw(_noise) + spelled.replace(" ", "") + ":" + draw(st.text(max_size=40))


@given(disguised())
def test_a_disguised_dangerous_scheme_is_always_refused(value: str) -> None:
    assert safe_http_url(value) == ""


@given(st.text(max_size=80))
@settings(max_examples=400)
def test_any_string_gives_empty_or_a_linkable_http_url(value: str) -> None:
    result = safe_http_url(value)
    if result:
        assert _browser_scheme(result) in ("http", "https")
        assert urlsplit(result).hostname
        assert not any(ord(c) <= 0x20 or ord(c) == 0x7F for c in result)
        assert is_safe_http_url(result)
    if _browser_scheme(value) not in ("http", "https"):
        assert result == ""


@given(st.text(max_size=80))
def test_safe_http_url_is_idempotent(value: str) -> None:
    once = safe_http_url(value)
    assert safe_http_url(once) == once


@given(urls())
def test_well_formed_http_urls_are_kept(value: str) -> None:
    assert safe_http_url(value) == value
