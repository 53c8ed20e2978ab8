"""Right fonts for every script: each configured portal language's page links stylesheets
whose @font-face rules (our own static files, `font-display: swap`, a `unicode-range`) name
fonts that really hold the glyphs of the text that page shows — checked on the font files'
character maps with fontTools, character by character, for the page body in the language's
font stack and for the language switcher's names in its own stack."""

from __future__ import annotations

import re
from functools import cache
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from fontTools.ttLib import TTFont

from ttdn.portal.fonts import FONT_STYLESHEETS

FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}", re.S)
STACK = {"body": re.compile(r"body\.portal\s*{[^}]*font-family:\s*([^;]+);", re.S)}


def _static(path: str) -> Path:
    found = finders.find(path)
    assert found, f"{path} is not among the static files"
    return Path(found)


def _ranges(value: str) -> list[tuple[int, int]]:
    out = []
    for part in value.split(","):
        low, _, high = part.strip().removeprefix("U+").partition("-")
        out.append((int(low, 16), int(high or low, 16)))
    return out


@cache
def _cmap(path: Path) -> frozenset[int]:
    return frozenset(TTFont(str(path)).getBestCmap())


def _faces(css_paths: list[str]) -> dict[str, list[tuple[list[tuple[int, int]], Path]]]:
    """family → [(unicode ranges, font file)] from the @font-face rules of these sheets."""
    faces: dict[str, list[tuple[list[tuple[int, int]], Path]]] = {}
    for css_path in css_paths:
        css = _static(css_path).read_text(encoding="utf-8")
        for body in FONT_FACE.findall(css):
            family = re.search(r'font-family:\s*"([^"]+)"', body)
            url = re.search(r'url\("([^"]+)"\)', body)
            ranges = re.search(r"unicode-range:\s*([^;]+);", body)
            assert family and url and ranges, f"incomplete @font-face in {css_path}: {body}"
            assert "font-display: swap" in body, f"{family.group(1)} must swap"
            file = _static(str(Path(css_path).parent / url.group(1)))
            faces.setdefault(family.group(1), []).append((_ranges(ranges.group(1)), file))
    return faces


def _stack(css: str, selector: str) -> list[str]:
    match = re.search(re.escape(selector) + r"\s*{[^}]*font-family:\s*([^;]+);", css)
    assert match, f"no font-family for {selector}"
    return [name.strip().strip('"') for name in match.group(1).split(",")]


def _uncovered(text: str, stack: list[str], faces: dict) -> set[str]:  # type: ignore[type-arg]
    missing = set()
    for char in set(text):
        code = ord(char)
        if char.isspace() or code < 0x21 or 0xFE00 <= code <= 0xFE0F:
            continue
        covered = any(
            low <= code <= high and code in _cmap(file)
            for family in stack
            for ranges, file in faces.get(family, [])
            for low, high in ranges
        )
        if not covered:
            missing.add(char)
    return missing


def _visible(html: str, selector_tag: str) -> str:
    part = re.search(rf"<{selector_tag}\b.*?</{selector_tag}>", html, re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", part.group(0) if part else "", flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", text))


@pytest.mark.parametrize("language", settings.PORTAL_LANGUAGES)
def test_each_language_page_links_fonts_that_cover_its_text(
    language: str, client: Client, db: None
) -> None:
    html = client.get(f"/{language}/privacy/").content.decode()
    sheets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assert "portal/fonts.css" in sheets and "portal/portal.css" in sheets
    assert (FONT_STYLESHEETS.get(language) in sheets) if language in FONT_STYLESHEETS else True
    # a language's CJK slices are linked by its own pages only
    assert not [s for s in sheets if s in FONT_STYLESHEETS.values()] or language in FONT_STYLESHEETS
    faces = _faces(sheets)
    portal_css = _static("portal/portal.css").read_text(encoding="utf-8")
    stack = (
        _stack(portal_css, f".lang-{language}")
        if f".lang-{language} " in portal_css
        else (_stack(portal_css, "body.portal"))
    )
    # the page's own text (main content and the switcher's notes) in the language's stack
    name_link = r'<a href="[^"]*" hreflang="[^"]*" lang="[^"]*"[^>]*>([^<]*)</a>'
    names = re.findall(name_link, html)
    main = _visible(html, "main") + _visible(re.sub(name_link, " ", html), "details")
    assert len(set(main)) > 20, "the sample text must be the page's real text"
    assert _uncovered(main, stack, faces) == set(), f"{language}: glyphs missing"
    # each language's name in its own script, in the switcher's stack (the small names font)
    assert len(names) == len(settings.PORTAL_LANGUAGES)
    assert _uncovered("".join(names), _stack(portal_css, ".p-languages a"), faces) == set()


def test_fonts_are_openly_licensed_and_the_licences_ship_with_them() -> None:
    folder = _static("portal/fonts.css").parent / "fonts"
    fonts = sorted(p.name for p in folder.iterdir() if p.suffix in (".woff", ".woff2"))
    families = {re.sub(r"(-Regular|-\d+|-common)?\.woff2?$", "", f) for f in fonts}
    for family in families:
        cjk = family.startswith("NotoSansCJK") or family == "PortalNames"
        root = "NotoSansCJK" if cjk else family
        licence = folder / f"OFL-{root}.txt"
        assert licence.exists(), f"{family}: no licence file"
        assert "SIL Open Font License, Version 1.1" in licence.read_text(encoding="utf-8")
    total = sum((folder / f).stat().st_size for f in fonts)
    assert total < 4_000_000, f"{total} bytes of fonts: subset them (scripts/portal_fonts.py)"
