"""Reads for the story list (/theo-doi/): filters, sort orders and the columns of each row.

Why a module of its own: the list is a working tool — filter by language, outlet country,
tone, place, nation-brand dimension and period, sort by recency, size or growth — and the
live page re-reads it every time a report is stored (stream.py), so the filters are one
parsed object shared by the page, its JSON and its event stream.

Cost: every filter reads the story's own columns (language, mean tone, dimensions, outlet
countries and places: `story_facets`), so the list walks the stories in its order and stops
at the first 100 that match, and the columns (languages, outlet countries, tone, places)
are the shown stories' own, with growth from their last 48 hours of reports — one query,
whatever the size of the archive or of the stories. Counts here are every collected report
(`count_scope = "all"`): the list must not hide a story before relevance is judged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ttdn.accounts.models import Organisation
from ttdn.monitor.models import Report, Story

COUNT_SCOPE = "all"
LANGUAGE_CODES = ("vi", "en", "fr", "es", "it", "zh", "ru", "de", "ja", "ko", "th", "lo", "km")
TONES = ("positive", "neutral", "negative")
# the mean-tone thresholds a story reads as positive / negative (as ttdn.web.labels)
TONE_THRESHOLD = 0.15
PERIODS = {"1": 1, "7": 7, "30": 30}
SORTS = ("new", "reports", "growth", "first")
GROWTH_HOURS = 24
ROWS = 100


@dataclass(frozen=True)
class StoryFilters:
    language: str = ""
    country: str = ""
    tone: str = ""
    place: str = ""
    dimension: str = ""
    period: str = ""  # "" (any time) or a key of PERIODS: last N days
    sort: str = "new"

    def as_params(self) -> dict[str, str]:
        names = {"language": "lang", "country": "country", "tone": "tone", "place": "place",
                 "dimension": "dimension", "period": "period", "sort": "sort"}  # fmt: skip
        out = {names[k]: v for k, v in self.__dict__.items() if v}
        if out.get("sort") == "new":
            out.pop("sort")
        return out


def story_filters_parse(params: Mapping[str, Any]) -> StoryFilters:
    """Read the list's query parameters; unknown values are ignored (a bad link still shows
    the list, unfiltered on that field)."""

    def get(name: str) -> str:
        return str(params.get(name) or "").strip()

    language = get("lang").lower()
    country = get("country").upper()
    place = get("place")
    return StoryFilters(
        language=language
        if language in LANGUAGE_CODES or (2 <= len(language) <= 3 and language.isalpha())
        else "",
        country=country if len(country) == 2 and country.isalpha() else "",
        tone=get("tone") if get("tone") in TONES else "",
        place=place if 0 < len(place) <= 80 and place.replace("-", "").isalnum() else "",
        dimension=get("dimension") if get("dimension").replace("_", "").isalpha() else "",
        period=get("period") if get("period") in PERIODS else "",
        sort=get("sort") if get("sort") in SORTS else "new",
    )


def _place_keys(place: str) -> list[str]:
    """A country code, or a provincial unit with the slugs of its former units (a story
    naming Đắk Nông is about today's Lâm Đồng too)."""
    if len(place) == 2:
        return [place.upper()]
    organisation = (
        Organisation.objects.filter(Q(slug=place) | Q(aliases__slug=place)).distinct().first()
    )
    if organisation is None:
        return [place]
    return [organisation.slug, *organisation.aliases.values_list("slug", flat=True)]


def story_filtered(filters: StoryFilters, *, now: dt.datetime | None = None) -> QuerySet[Story]:
    """Stories matching the filters, in the chosen order (growth is ordered in Python)."""
    # no first report joined: the list never shows it, and a report row carries its text
    stories = Story.objects.all()
    if filters.language:
        stories = stories.filter(language=filters.language)
    # outlet country and place from the story's own counts (monitor.story_facets): the
    # newest stories are walked and the first matches kept, so the cost follows how rare
    # the filter is, not the size of the archive
    if filters.country:
        stories = stories.filter(countries__has_key=filters.country)
    if filters.place:
        stories = stories.filter(places__has_any_keys=_place_keys(filters.place))
    if filters.dimension:
        stories = stories.filter(dimensions__has_key=filters.dimension)
    if filters.tone == "positive":
        stories = stories.filter(tone_mean__gte=TONE_THRESHOLD)
    elif filters.tone == "negative":
        stories = stories.filter(tone_mean__lte=-TONE_THRESHOLD)
    elif filters.tone == "neutral":
        stories = stories.filter(tone_mean__gt=-TONE_THRESHOLD, tone_mean__lt=TONE_THRESHOLD)
    if filters.period:
        since = (now or timezone.now()) - dt.timedelta(days=PERIODS[filters.period])
        stories = stories.filter(last_seen_at__gte=since)
    if filters.sort == "reports":
        return stories.order_by("-report_count", "-last_seen_at", "-id")
    if filters.sort == "first":
        return stories.order_by("-first_seen_at", "-id")
    return stories.order_by("-last_seen_at", "-id")


def _place_kind(key: str) -> str:
    """A story facet's place key is a country code (two capitals) or a unit slug."""
    return "country" if len(key) == 2 and key.isalpha() and key.isupper() else "unit"


def story_columns(
    stories: list[Story], *, now: dt.datetime | None = None
) -> dict[int, dict[str, Any]]:
    """Languages, outlet countries, places and growth (reports in the last 24 hours minus
    the 24 before) of the given stories, by story id.

    Everything but growth is the story's own columns (`story_facets`; a story is in one
    language: the clusterer groups reports within a language and links languages through
    the cross-lingual family), and growth reads only the last 48 hours of the shown
    stories' reports (the story-and-time index), so the cost does not grow with the size
    of the stories, nor with the archive: sorted by size, the largest stories of a million
    reports used to read ≈ 30,000 reports and their mentions for 100 rows."""
    now = now or timezone.now()
    since = now - dt.timedelta(hours=GROWTH_HOURS)
    before = since - dt.timedelta(hours=GROWTH_HOURS)
    out: dict[int, dict[str, Any]] = {}
    for story in stories:
        ranked = sorted(
            ((_place_kind(key), key, int(n)) for key, n in (story.places or {}).items()),
            key=lambda p: (-p[2], p[0], p[1]),
        )
        out[story.pk] = {
            "languages": [story.language] if story.language not in ("", "und") else [],
            "countries": sorted(story.countries or {}),
            "places": [{"kind": k, "key": key, "reports": n} for k, key, n in ranked[:4]],
            "recent": 0,
            "earlier": 0,
        }
    for row in (
        Report.objects.filter(
            story_id__in=list(out), published_at__gte=before, published_at__lt=now
        )
        .values("story_id")
        .annotate(
            recent=Count("id", filter=Q(published_at__gte=since)),
            earlier=Count("id", filter=Q(published_at__lt=since)),
        )
        .order_by()
    ):
        out[row["story_id"]]["recent"] = row["recent"]
        out[row["story_id"]]["earlier"] = row["earlier"]
    for entry in out.values():
        entry["growth"] = entry["recent"] - entry["earlier"]
    return out


def story_table(
    filters: StoryFilters, *, now: dt.datetime | None = None, limit: int = ROWS
) -> list[tuple[Story, dict[str, Any]]]:
    """The rows of the list: each story with its columns. Sorting by growth ranks the
    stories seen in the last two days (growth is zero for every older one)."""
    now = now or timezone.now()
    stories = story_filtered(filters, now=now)
    if filters.sort == "growth":
        recent = stories.filter(last_seen_at__gte=now - dt.timedelta(hours=2 * GROWTH_HOURS))
        shown = list(recent[: limit * 5])
        columns = story_columns(shown, now=now)
        shown.sort(key=lambda s: (-columns[s.pk]["growth"], -columns[s.pk]["recent"], -s.pk))
        shown = shown[:limit]
        return [(s, columns[s.pk]) for s in shown]
    shown = list(stories[:limit])
    columns = story_columns(shown, now=now)
    return [(s, columns[s.pk]) for s in shown]
