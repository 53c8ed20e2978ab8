"""Reads for the portal: pages per language, translations, live figures, recommendations,
the translation status board, pickups. Views and feeds only call these."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from ttdn.portal.models import (
    ArticlePage,
    EventPage,
    FactCheckPage,
    FactSheetPage,
    GalleryPage,
    HomePage,
    Pickup,
    Publication,
    TopicIndexPage,
)

READER_TYPES = (ArticlePage, FactSheetPage, FactCheckPage, EventPage, GalleryPage)
FIGURES_CACHE_S = 3600


def locale_active() -> Locale | None:
    try:
        return Locale.objects.get(language_code=get_language())
    except Locale.DoesNotExist:
        return None


def reader_pages(locale: Locale | None = None) -> Any:
    """Every live, public reader page (not homes, not sections) in one language."""
    queryset = Page.objects.live().public().type(*READER_TYPES)
    if locale is not None:
        queryset = queryset.filter(locale=locale)
    return queryset


def home_get(language: str) -> HomePage | None:
    return HomePage.objects.live().filter(locale__language_code=language).first()


def chrome_pages(language: str) -> tuple[HomePage | None, list[TopicIndexPage]]:
    """The language's home and sections for every page's header; cached until the next
    publication (the page cache's generation), as every page needs them."""
    from ttdn.portal.cache import generation

    key = f"portal:chrome:{generation()}:{language}"
    found = cache.get(key)
    if found is None:
        home = home_get(language)
        topics = topics_list(home.locale) if home is not None else []
        found = (home, topics)
        cache.set(key, found, settings.PORTAL_CACHE_SECONDS)
    return found


def topics_list(locale: Locale) -> list[TopicIndexPage]:
    return list(TopicIndexPage.objects.live().public().filter(locale=locale).order_by("path"))


def latest_list(locale: Locale, *, limit: int = 12, topic: Page | None = None) -> list[Any]:
    queryset = reader_pages(locale)
    if topic is not None:
        queryset = queryset.child_of(topic)
    return list(queryset.specific().order_by("-first_published_at")[:limit])


@dataclass(frozen=True)
class Alternate:
    language: str
    name: str
    url: str


def alternates_list(page: Page, request: Any = None) -> list[Alternate]:
    """The live translations of a page (itself included), for hreflang and the switcher;
    cached until the next publication (the page cache's generation): with eleven languages,
    working out each translation's address was the largest cost of an uncached page."""
    from ttdn.portal.cache import generation

    host = request.get_host() if request is not None else ""
    key = f"portal:alternates:{generation()}:{host}:{page.translation_key}"
    found = cache.get(key)
    if found is None:
        found = _alternates(page, request)
        cache.set(key, found, settings.PORTAL_CACHE_SECONDS)
    return list(found)


def _alternates(page: Page, request: Any) -> list[Alternate]:
    from ttdn.portal.conf import LOCAL_NAMES

    found = []
    for other in page.get_translations(inclusive=True).live().public().select_related("locale"):
        code = other.locale.language_code
        if code in settings.PORTAL_LANGUAGES:
            found.append(Alternate(code, LOCAL_NAMES[code], other.get_url(request) or ""))
    order = list(settings.PORTAL_LANGUAGES)
    return sorted(found, key=lambda a: order.index(a.language))


_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


def page_search(query: str, locale: Locale | None, *, limit: int = 30) -> list[Any]:
    """Wagtail search (SQLite FTS5 here, PostgreSQL full text in production) in one
    language; live public reader pages only, so a draft never shows in results."""
    query = query.strip()[:200]
    if not query:
        return []
    found: list[Any] = []
    if _UNSPACED.search(query):
        # full-text tokenisers split words at spaces; Chinese, Japanese, Lao, Khmer and Thai
        # write none (and Korean glues particles to words), so a word is found by substring
        # on the titles, summaries and bodies. The body is rich-text HTML, but a query in
        # these scripts cannot match its markup; a substring scan of one language's reader
        # pages is cheap at a portal's size, and runs for such queries only.
        matches = Q(title__icontains=query)
        for model in READER_TYPES:
            name = model._meta.model_name
            matches |= Q(**{f"{name}__summary__icontains": query})
            if any(field.name == "body" for field in model._meta.get_fields()):
                matches |= Q(**{f"{name}__body__icontains": query})
        found = list(reader_pages(locale).filter(matches).specific()[:limit])
    results = reader_pages(locale).specific().search(query, operator="and")
    seen = {page.pk for page in found}
    found += [page for page in results[:limit] if page.pk not in seen]
    return found[:limit]


# --- live figures from Measure -------------------------------------------------------------


def figures_get(province_slug: str | None, *, today: dt.date | None = None) -> dict[str, Any]:
    """What the world's media said in the last twelve months about the country or one
    province: reports per month with mean tone, from Measure's indicators; cached an hour,
    so a busy fact sheet costs Measure one query an hour."""
    today = today or timezone.localdate()
    key = f"portal:figures:{province_slug or 'vn'}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = _figures_compute(province_slug, today)
        cache.set(key, found, FIGURES_CACHE_S)
    return found


def _figures_compute(province_slug: str | None, today: dt.date) -> dict[str, Any]:
    from ttdn.measure.filters import MeasureFilters
    from ttdn.measure.indicators import indicator_compute

    start = (today.replace(day=1) - dt.timedelta(days=334)).replace(day=1)
    filters = MeasureFilters(date_from=start, date_to=today, bucket="month")
    if province_slug:
        result = indicator_compute("province", filters.with_province(province_slug))
    else:
        result = indicator_compute("volume", filters)
    tone = indicator_compute(
        "tone", filters.with_province(province_slug) if province_slug else filters
    )
    rows = [{"month": r["bucket"][:7], "reports": int(r.get("reports") or 0)} for r in result.rows]
    total = sum(r["reports"] for r in rows)
    peak = max((r["reports"] for r in rows), default=0)
    return {
        "rows": rows,
        "total": total,
        "peak": peak,
        "tone": tone.totals if isinstance(tone.totals, dict) else {},
        "from": start.isoformat(),
        "to": today.isoformat(),
    }


# --- "for you": computed from what the reader's browser sends, nothing kept -------------


def recommendations_list(
    *,
    language: str,
    provinces: list[str],
    topics: list[str],
    read: list[int],
    country: str = "",
    limit: int = 6,
) -> list[Any]:
    """Pages in the reader's language, first those of their provinces and topics, then those
    the media of the reader's declared country picked up (a link, a quote, a translation:
    what their country already reads about Viet Nam), then the newest; never one they read
    in this visit. Inputs come from the reader's own browser storage on each request and
    are not stored (see the privacy page)."""
    try:
        locale = Locale.objects.get(language_code=language)
    except Locale.DoesNotExist:
        return []
    pages = reader_pages(locale).exclude(pk__in=read[:200])
    chosen: list[Any] = []
    if provinces or topics:
        topic_pages = TopicIndexPage.objects.filter(locale=locale, slug__in=topics[:20])
        interest = Q(pk__in=[])
        for topic in topic_pages:
            interest |= Q(path__startswith=topic.path)
        province_ids = [
            page.pk
            for model in READER_TYPES
            for page in model.objects.filter(locale=locale, province__slug__in=provinces[:40]).only(
                "pk"
            )
        ]
        chosen = list(
            pages.filter(interest | Q(pk__in=province_ids))
            .specific()
            .order_by("-first_published_at")[:limit]
        )
    if country and len(chosen) < limit:
        picked_up = Pickup.objects.filter(
            report__source__country=country.upper(), publication__language=language
        ).values("publication__page_id")
        chosen += list(
            pages.filter(pk__in=picked_up)
            .exclude(pk__in=[p.pk for p in chosen])
            .specific()
            .order_by("-first_published_at")[: limit - len(chosen)]
        )
    if len(chosen) < limit:
        more = pages.exclude(pk__in=[p.pk for p in chosen]).specific()
        chosen += list(more.order_by("-first_published_at")[: limit - len(chosen)])
    return chosen


# --- editors: the per-language translation status board ---------------------------------


def translation_board() -> dict[str, Any]:
    """For each Vietnamese source page, its state in every portal language: live, draft
    (in translation), in review (a workflow is running), out of date (the source was
    published after the translation), or missing."""
    from wagtail.models import WorkflowState

    languages = list(settings.PORTAL_LANGUAGES)
    source_locale = Locale.objects.filter(language_code=languages[0]).first()
    if source_locale is None:
        return {"languages": languages, "rows": [], "counts": {}}
    in_review = set(
        WorkflowState.objects.active()
        .filter(base_content_type__isnull=False)
        .values_list("object_id", flat=True)
    )
    sources = list(
        Page.objects.filter(locale=source_locale, depth__gt=1).order_by("path").specific()
    )
    keys = [p.translation_key for p in sources]
    translations: dict[tuple[Any, str], Page] = {}
    for page in Page.objects.filter(translation_key__in=keys).select_related("locale"):
        translations[(page.translation_key, page.locale.language_code)] = page
    rows = []
    counts = {
        code: {"live": 0, "draft": 0, "review": 0, "outdated": 0, "missing": 0}
        for code in languages[1:]
    }
    for source in sources:
        cells = []
        for code in languages[1:]:
            page = translations.get((source.translation_key, code))
            if page is None:
                state = "missing"
            elif str(page.pk) in in_review:
                state = "review"
            elif not page.live:
                state = "draft"
            elif (
                source.last_published_at
                and page.last_published_at
                and source.last_published_at > page.last_published_at
            ):
                state = "outdated"
            else:
                state = "live"
            counts[code][state] += 1
            cells.append({"language": code, "state": state, "page": page})
        rows.append({"source": source, "cells": cells})
    return {"languages": languages[1:], "rows": rows, "counts": counts}


# --- the loop back: pickups -----------------------------------------------------------------


def pickup_summary(*, limit: int = 50) -> dict[str, Any]:
    """Pickups per page, language, outlet and country, with the picking-up reports' tone."""
    base = Pickup.objects.select_related("publication", "report", "report__source")
    tone_counts = {
        "positive": Count("id", filter=Q(report__tone_label="positive")),
        "neutral": Count("id", filter=Q(report__tone_label="neutral")),
        "negative": Count("id", filter=Q(report__tone_label="negative")),
    }
    by_language = list(
        base.values("publication__language")
        .annotate(pickups=Count("id"), **tone_counts)
        .order_by("-pickups")
    )
    by_outlet = list(
        base.values("report__source__outlet")
        .annotate(pickups=Count("id"), **tone_counts)
        .order_by("-pickups")[:limit]
    )
    by_country = list(
        base.values("report__source__country")
        .annotate(pickups=Count("id"), **tone_counts)
        .order_by("-pickups")[:limit]
    )
    return {
        "total": base.count(),
        "charts": [
            (
                _("Theo ngôn ngữ của trang"),
                _tone_rows(by_language, "publication__language"),
                "language",
            ),
            (_("Theo cơ quan báo chí"), _tone_rows(by_outlet, "report__source__outlet"), "outlet"),
            (_("Theo quốc gia"), _tone_rows(by_country, "report__source__country"), "country"),
        ],
        "by_page": list(
            base.values("publication__title", "publication__language", "publication__url")
            .annotate(pickups=Count("id"), **tone_counts)
            .order_by("-pickups")[:limit]
        ),
        "by_language": by_language,
        "by_outlet": by_outlet,
        "by_country": by_country,
        "by_kind": list(base.values("kind").annotate(pickups=Count("id")).order_by("kind")),
        "recent": list(base.order_by("-found_at", "-id")[:limit]),
    }


def _tone_rows(rows: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """One bar per group for the stacked tone chart: its label, its tone counts (reports
    without a tone label counted apart) and its length relative to the largest group."""
    largest = max((r["pickups"] for r in rows), default=0) or 1
    return [
        {
            "label": r[field] or "",
            "pickups": r["pickups"],
            "positive": r["positive"],
            "neutral": r["neutral"],
            "negative": r["negative"],
            "unlabelled": r["pickups"] - r["positive"] - r["neutral"] - r["negative"],
            "width": round(100 * r["pickups"] / largest),
        }
        for r in rows
    ]


def publication_list(*, language: str = "", limit: int = 100, offset: int = 0) -> list[Publication]:
    queryset = Publication.objects.select_related("province")
    if language:
        queryset = queryset.filter(language=language)
    return list(queryset[offset : offset + limit])


def awaiting_review_list(limit: int = 20) -> list[Any]:
    """Pages in a moderation workflow now, oldest request first."""
    from wagtail.models import WorkflowState

    states = (
        WorkflowState.objects.active().select_related("requested_by").order_by("created_at")[:limit]
    )
    out = []
    for state in states:
        page = Page.objects.filter(pk=state.object_id).select_related("locale").first()
        if page is not None:
            out.append({"page": page, "requested_by": state.requested_by, "at": state.created_at})
    return out


def province_publications_count(
    province: Any, start: dt.date, end: dt.date, *, language: str = ""
) -> int:
    """Portal pages of a province first published in [start, end] and live now, one per
    language version (a page in vi, en and fr counts three), or in one language."""
    rows = Publication.objects.filter(
        province=province,
        first_published_at__date__gte=start,
        first_published_at__date__lte=end,
    )
    if language:
        rows = rows.filter(language=language)
    return rows.count()


def province_pickups_count(province: Any, start: dt.date, end: dt.date) -> int:
    """Foreign reports recognised in [start, end] as picking up one of a province's pages
    (a link, a quote or republication, or a translation), counted once per page and report."""
    return Pickup.objects.filter(
        publication__province=province,
        found_at__date__gte=start,
        found_at__date__lte=end,
    ).count()


def publications_exist() -> bool:
    """Has anything been published? (Before that, no stored report can be a pickup.)"""
    return Publication.objects.exists()
