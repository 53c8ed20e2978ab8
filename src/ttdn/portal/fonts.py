"""Which of our web fonts a portal language's pages use (files in static/portal/fonts, built
by scripts/portal_fonts.py, OFL 1.1).

WHY a stylesheet per CJK language: their @font-face rules carry exact unicode-ranges (some
3,000 code points each, about 10 KB of CSS), and only that language's pages need them.
`fonts.css` (Lao, the switcher's names) and portal.css's own rules (Latin, Vietnamese,
Cyrillic, Khmer) are on every page; a browser downloads a font file only when the page shows a
character in its unicode-range.
"""

from __future__ import annotations

#: portal language → its own font stylesheet (static path), for the languages that have one
FONT_STYLESHEETS: dict[str, str] = {
    "zh-hans": "portal/fonts-zh-hans.css",
    "ja": "portal/fonts-ja.css",
    "ko": "portal/fonts-ko.css",
}


def font_stylesheet(language: str) -> str:
    return FONT_STYLESHEETS.get(language, "")
