"""`ttdn bench portal-weight`: the bytes a reader's browser really downloads on a FIRST visit to
each portal page type, in each language (target: ≤ 500 KB with images, issue 12).

WHY in a browser and not computed: what a page costs depends on what the browser decides to
fetch — which `unicode-range` slices of the CJK fonts its characters fall in, which images
its layout shows, whether a response is compressed. So a real headless Chromium (Debian's,
driven by Playwright) opens every page in a fresh context (an empty cache: a first visit),
scrolls to the end so lazy images load too (the figure is for a page read to the end), waits
until the fonts are ready and the network is idle, and sums the bytes transferred for every
response (headers and encoded bodies: HTML, CSS, JS, fonts, images).

Server: as `ttdn bench portal`, `ttdn run --no-worker` (waitress) on 127.0.0.1 against the
data directory's database, the demo loaded in all its languages. A page type that the demo
has not translated into a language is reported as `null` with the reason.
"""

from __future__ import annotations

import argparse
import os
from collections import Counter
from typing import Any

from ttdn.benchmarks.portal import _prepare, portal_server

CHROMIUM = os.environ.get("TTDN_CHROMIUM", "/usr/bin/chromium")
TARGET_BYTES = 500_000
LANGUAGES = ("vi", "en", "zh-hans", "ja", "ko", "lo", "km", "fr", "ru", "es", "de")
#: page type → the model whose first live page in a language is opened
PAGE_TYPES = {
    "home": "HomePage",
    "article": "ArticlePage",
    "fact_sheet": "FactSheetPage",
    "fact_check": "FactCheckPage",
    "event": "EventPage",
    "gallery": "GalleryPage",
    "topic_index": "TopicIndexPage",
}
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SETTLE = """async () => {
  window.scrollTo(0, document.body.scrollHeight);
  await document.fonts.ready;
  return [...document.fonts].filter(f => f.status !== 'unloaded')
    .map(f => f.family + ':' + f.status);
}"""


def portal_paths(languages: tuple[str, ...] = LANGUAGES) -> dict[str, dict[str, str | None]]:
    """language → page type → path of its first live page (None where it has none), plus a
    search for a word of that language's article title. Reads the database through the ORM
    (Django must be set up)."""
    from ttdn.portal import models

    paths: dict[str, dict[str, str | None]] = {}
    for language in languages:
        paths[language] = {}
        for kind, model_name in PAGE_TYPES.items():
            model = getattr(models, model_name)
            page = (
                model.objects.live().filter(locale__language_code=language).order_by("path").first()
            )
            paths[language][kind] = page.url if page else None
        article = (
            models.ArticlePage.objects.live()
            .filter(locale__language_code=language)
            .order_by("path")
            .first()
        )
        word = _search_word(article.title if article else "", language)
        paths[language]["search"] = f"/{language}/search/?q={word}" if word else None
    return paths


def _search_word(title: str, language: str) -> str:
    """A word of the title to search for: the first two characters in scripts written
    without spaces (Chinese, Japanese, Lao, Khmer), else the longest word."""
    from urllib.parse import quote

    if not title:
        return ""
    if language in ("zh-hans", "ja", "lo", "km"):
        return quote(title[:2])
    return quote(max(title.split(), key=len))


def first_visit(browser: Any, url: str, *, locale: str = "en-GB") -> dict[str, Any]:
    """Bytes transferred when a fresh browser context (empty cache) opens `url` and reads
    the page to its end: {"bytes", "requests", "by_type": {resource type: bytes},
    "fonts": [files], "loaded_families": [...], "status"}."""
    context = browser.new_context(locale=locale)
    page = context.new_page()
    transferred: list[tuple[str, str, int]] = []

    def finished(request: Any) -> None:
        sizes = request.sizes()
        size = int(sizes.get("responseBodySize", 0)) + int(sizes.get("responseHeadersSize", 0))
        transferred.append((request.resource_type, request.url, max(size, 0)))

    statuses: list[tuple[int, str]] = []
    page.on("requestfinished", finished)
    page.on("response", lambda response: statuses.append((response.status, response.url)))
    try:
        response = page.goto(url, wait_until="load", timeout=120_000)
        families = page.evaluate(SETTLE)
        page.wait_for_load_state("networkidle", timeout=120_000)
        families = page.evaluate(SETTLE)  # fonts that the scroll's new content asked for
        page.wait_for_load_state("networkidle", timeout=120_000)
        by_type: Counter[str] = Counter()
        for kind, _url, size in transferred:
            by_type[kind] += size
        return {
            "status": response.status if response else None,
            "bytes": sum(by_type.values()),
            "requests": len(transferred),
            "by_type": dict(by_type),
            "fonts": sorted(u.rsplit("/", 1)[-1] for k, u, _ in transferred if k == "font"),
            "loaded_families": sorted(
                {f.rsplit(":", 1)[0] for f in families if f.endswith(":loaded")}
            ),
            "font_errors": sorted({f.rsplit(":", 1)[0] for f in families if f.endswith(":error")}),
            "statuses": sorted({f"{s} {u.rsplit('/', 1)[-1]}" for s, u in statuses if s >= 400}),
        }
    finally:
        context.close()


def main(ns: argparse.Namespace | None = None) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    _prepare()
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    paths = portal_paths()
    if not paths["zh-hans"]["article"]:
        raise SystemExit(
            "the data directory's portal demo has no Chinese article (loaded before the demo "
            "had 11 languages?): run it on a fresh TTDN_DATA_DIR"
        )
    with portal_server() as port:
        pages: dict[str, dict[str, Any]] = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
            try:
                for language, kinds in paths.items():
                    pages[language] = {}
                    for kind, path in kinds.items():
                        if path is None:
                            pages[language][kind] = None
                            continue
                        result = first_visit(browser, f"http://127.0.0.1:{port}{path}")
                        pages[language][kind] = {"path": path, **result}
            finally:
                browser.close()
    measured = [
        (result["bytes"], language, kind)
        for language, kinds in pages.items()
        for kind, result in kinds.items()
        if result
    ]
    heaviest = max(measured)
    return {
        "pages": pages,
        "summary_kb": {
            language: {
                kind: round(r["bytes"] / 1000, 1) if r else None for kind, r in kinds.items()
            }
            for language, kinds in pages.items()
        },
        "heaviest": {"bytes": heaviest[0], "language": heaviest[1], "page_type": heaviest[2]},
        "over_target": [f"{lang}/{kind}" for size, lang, kind in measured if size > TARGET_BYTES],
        "not_translated": [
            f"{lang}/{kind}" for lang, kinds in pages.items() for kind, r in kinds.items() if not r
        ],
        "target_bytes": TARGET_BYTES,
        "browser": "Debian chromium (Playwright); a fresh context per page, read to its end",
        "server": "waitress (ttdn run --no-worker)",
    }
