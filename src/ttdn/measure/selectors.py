"""Reads for Measure: search over reports and stories, saved searches, API keys.

World coverage (reports, stories, indicators) is open to every staff role, a provincial
officer included: what the world says is not a province's secret. What people *keep* here
(saved searches, API keys) belongs to an organisation and is scoped like every other
organisation's data: other organisations' ids give 404, by URL and by API alike.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404

from ttdn.accounts.models import User
from ttdn.accounts.selectors import organisations_readable
from ttdn.measure.filters import MeasureFilters
from ttdn.measure.fulltext import report_matches, story_ids_matching
from ttdn.measure.indicators import report_queryset
from ttdn.measure.models import ApiKey, SavedSearch
from ttdn.monitor.models import Report, Story
from ttdn.pipeline.urls import safe_http_url

#: The search page counts matches exactly up to this many, then says "more than".
SEARCH_COUNT_CAP = 1000
#: The fewest newest matches read at a time on SQLite (see `report_search`).
SEARCH_MIN_DEPTH = 256


def report_search(
    *,
    query: str,
    filters: MeasureFilters | None = None,
    newest: int | None = None,
    with_story: bool = False,
) -> QuerySet[Report]:
    """Reports whose title or text match `query` (accent-insensitive), newest first.

    Filters are the dashboard's; search looks at every stored report (relevant or not),
    because people search for what they saw in an outlet. An empty or all-punctuation
    query matches nothing rather than everything. `with_story`: only reports in a story.

    `newest`: the caller reads at most this many rows from the front of the result, which
    lets SQLite read only the newest matches of the index instead of all of them (a common
    word matches one report in twenty); see `_newest_matches`. The first `newest` rows are
    exactly those of the full search; rows after them may be missing."""
    return _newest_matches(query, filters, newest, with_story).reports


@dataclass(frozen=True)
class _Found:
    """What `_newest_matches` found: the ordered reports; `counted`, how many of the first
    `newest` exist (None when it did not count them); `depth`, how many of the newest index
    matches it read (None: all of them)."""

    reports: QuerySet[Report]
    counted: int | None
    depth: int | None

    def pass_rate(self) -> float | None:
        """The share of the index matches read that passed the other filters."""
        if self.depth is None or self.counted is None:
            return None
        return max(self.counted, 1) / self.depth


def _newest_matches(
    query: str,
    filters: MeasureFilters | None,
    newest: int | None,
    with_story: bool,
    pass_rate: float | None = None,
) -> _Found:
    """`report_search`, with what it had to count on the way.

    On SQLite it first reads the newest `newest` + 1/4 matches of the index (or, given the
    share of matches that pass the filters, `pass_rate`, enough for 1.5 times `newest`);
    when the filters leave fewer than `newest` of them, it reads more, as many as the share
    that passed says it needs (at least twice as many), until the index has no more."""
    filters = filters or MeasureFilters()
    start, end = filters.period()
    reports = report_queryset(filters, relevant_only=False)
    if with_story:
        reports = reports.filter(story__isnull=False)
    depth: int | None = None
    if newest is not None:
        depth = max(newest + newest // 4, SEARCH_MIN_DEPTH)
        if pass_rate:
            depth = max(depth, math.ceil(1.5 * newest / pass_rate))
    counted: int | None = None
    while True:
        matches = report_matches(query, start=start, end=end, newest=depth)
        if matches is None:
            return _Found(Report.objects.none(), 0, None)
        found = matches.restrict(reports)
        if depth is None or newest is None or matches.complete:
            counted, depth = None, None
            break
        counted = found.order_by()[:newest].count()
        if counted >= newest:
            break
        depth = max(2 * depth, math.ceil(1.5 * newest * depth / max(counted, 1)))
    # undated reports last on both databases (PostgreSQL would put NULL first)
    ordered = found.select_related("source", "story").order_by(
        F("published_at").desc(nulls_last=True), "-id"
    )
    return _Found(ordered, counted, depth)


@dataclass(frozen=True)
class SearchPage:
    """One page of report search results, with a count that stops at `SEARCH_COUNT_CAP`
    (`more` says there are more): counting every match of a common word costs more than
    showing the page, and nobody pages through a thousand results."""

    object_list: list[Report]
    number: int
    per_page: int
    total: int
    more: bool

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def report_search_page(
    *, query: str, filters: MeasureFilters | None = None, page: object = 1, per_page: int = 25
) -> SearchPage:
    """The `page`-th page (1-based; anything that is not a page number gives the first,
    a page past the end the last) of `report_search`.

    Two reads: the count (up to the cap) reads deep into the index; the page itself then
    reads only as deep as its own rows need, guided by the share of matches the count saw
    passing the filters, so that it sorts a few dozen rows, not a thousand."""
    counting = _newest_matches(query, filters, SEARCH_COUNT_CAP + 1, False)
    counted = counting.counted
    if counted is None:
        counted = counting.reports.order_by()[: SEARCH_COUNT_CAP + 1].count()
    total = min(counted, SEARCH_COUNT_CAP)
    try:
        number = max(1, int(str(page)))
    except ValueError:
        number = 1
    number = min(number, max(1, math.ceil(total / per_page)))
    first = (number - 1) * per_page
    reports = counting.reports
    if counting.depth is not None:
        reports = _newest_matches(
            query, filters, first + per_page, False, pass_rate=counting.pass_rate()
        ).reports
    return SearchPage(
        object_list=list(reports[first : first + per_page]),
        number=number,
        per_page=per_page,
        total=total,
        more=counted > SEARCH_COUNT_CAP,
    )


def report_search_facets(*, query: str, filters: MeasureFilters | None = None) -> dict[str, Any]:
    """How the matches split by language, outlet country and tone: counted over the newest
    `SEARCH_COUNT_CAP` matches (the set the page counts, read once more as three short
    columns), so a common word costs what the count costs; `partial` says when there are
    more matches than were counted."""
    found = _newest_matches(query, filters, SEARCH_COUNT_CAP + 1, False)
    rows = list(
        found.reports.values_list("language", "source__country", "tone_label")[
            : SEARCH_COUNT_CAP + 1
        ]
    )
    partial = len(rows) > SEARCH_COUNT_CAP
    rows = rows[:SEARCH_COUNT_CAP]

    def ranked(values: list[str]) -> list[tuple[str, int]]:
        return Counter(values).most_common(FACET_VALUES)

    return {
        "language": ranked([r[0] or "" for r in rows]),
        "country": ranked([r[1] or "" for r in rows]),
        "tone": ranked([r[2] or "unknown" for r in rows]),
        "counted": len(rows),
        "partial": partial,
    }


FACET_VALUES = 8
STORY_CANDIDATES = 200


def story_search(*, query: str, filters: MeasureFilters | None = None) -> QuerySet[Story]:
    """Stories whose own title matches, or that hold one of the newest matching reports (the
    newest 200 matching the query and filters), most recently active first.

    Two small queries instead of one `id IN (…) OR id IN (…)`: with a common word the OR
    form makes the database collect every matching report before it can rank stories."""
    story_matches = story_ids_matching(query)
    if story_matches is None:
        return Story.objects.none()
    filters = filters or MeasureFilters()
    by_title = Story.objects.filter(id__in=story_matches)
    if filters.language:
        by_title = by_title.filter(language=filters.language)
    ids = set(by_title.order_by("-last_seen_at", "-id").values_list("id", flat=True)[:50])
    ids.update(
        report_search(
            query=query, filters=filters, newest=STORY_CANDIDATES, with_story=True
        ).values_list("story_id", flat=True)[:STORY_CANDIDATES]
    )
    stories = Story.objects.filter(id__in=ids)
    if filters.language:
        stories = stories.filter(language=filters.language)
    return stories.order_by("-last_seen_at", "-id")


def saved_search_list(*, user: User) -> QuerySet[SavedSearch]:
    """Saved searches the user may see: those of the organisations the user may read (the
    one rule, `organisations_readable`: a province's colleagues share theirs, central roles
    and leaders read every organisation's), and always the user's own."""
    readable = Q(organisation__in=organisations_readable(user)) | Q(user=user)
    return SavedSearch.objects.select_related("user", "organisation").filter(readable)


def saved_search_get(*, user: User, saved_search_id: int) -> SavedSearch:
    found = saved_search_list(user=user).filter(pk=saved_search_id).first()
    if found is None:
        raise Http404("No such saved search")
    return found


def api_key_list(*, user: User) -> QuerySet[ApiKey]:
    """The keys of the organisations the user may read (revoking one is acting for its
    organisation: `api_key_revoke` checks that)."""
    keys = ApiKey.objects.select_related("organisation")
    return keys.filter(organisation__in=organisations_readable(user))


# --- open data: metadata only ----------------------------------------------------------------
# The field lists below are the whole of what leaves the system about third-party articles:
# never `text` (nor author or embeddings). Adding a field here is a decision, not a default.

REPORT_FIELDS = (
    "id",
    "url",
    "title",
    "language",
    "source__outlet",
    "source__country",
    "source__kind",
    "published_at",
    "tone_score",
    "tone_label",
    "dimensions",
    "story_id",
    "duplicate_of_id",
)


def _report_row(row: dict[str, object]) -> dict[str, object]:
    published = row["published_at"]
    return {
        "id": row["id"],
        "url": row["url"],
        "title": row["title"],
        "language": row["language"],
        "outlet": row["source__outlet"] or "",
        "outlet_country": row["source__country"] or "",
        "source_kind": row["source__kind"] or "",
        "published_at": published.isoformat() if published else None,  # type: ignore[attr-defined]
        "tone_score": row["tone_score"],
        "tone_label": row["tone_label"],
        "dimensions": row["dimensions"] or {},
        "story_id": row["story_id"],
        "is_duplicate": row["duplicate_of_id"] is not None,
    }


def report_metadata_list(
    *, filters: MeasureFilters, limit: int, offset: int = 0, relevant_only: bool = True
) -> list[dict[str, object]]:
    """Report metadata, newest first; `limit` + 1 rows are not fetched here: callers ask for
    one more than they show to know whether there is a next page."""
    rows = (
        report_queryset(filters, relevant_only=relevant_only)
        .order_by("-published_at", "-id")
        .values(*REPORT_FIELDS)[offset : offset + limit]
    )
    return [_report_row(r) for r in rows]


def story_metadata_rows(stories: list[Story]) -> list[dict[str, object]]:
    ids = [s.pk for s in stories]
    languages: dict[int, set[str]] = {i: set() for i in ids}
    outlets: dict[int, set[str]] = {i: set() for i in ids}
    countries: dict[int, set[str]] = {i: set() for i in ids}
    for row in (
        Report.objects.filter(story_id__in=ids)
        .values("story_id", "language", "source__outlet", "source__country")
        .distinct()
    ):
        sid = row["story_id"]
        if row["language"]:
            languages[sid].add(row["language"])
        if row["source__outlet"]:
            outlets[sid].add(row["source__outlet"])
        if row["source__country"]:
            countries[sid].add(row["source__country"])
    out = []
    for story in stories:
        first = story.first_report
        out.append(
            {
                "id": story.pk,
                "title": story.title,
                "language": story.language,
                "first_report_url": (safe_http_url(first.url) or None) if first else None,
                "languages": sorted(languages[story.pk] | {story.language} - {"und", ""}),
                "outlets": sorted(outlets[story.pk]),
                "outlet_countries": sorted(countries[story.pk]),
                "first_seen_at": story.first_seen_at.isoformat(),
                "last_seen_at": story.last_seen_at.isoformat(),
                "report_count": story.report_count,
                "unique_report_count": story.unique_report_count,
                "tone_mean": story.tone_mean,
                "dimensions": story.dimensions or {},
                "crosslingual_id": story.crosslingual_id,
            }
        )
    return out


def report_metadata_for(ids: list[int]) -> list[dict[str, object]]:
    """Metadata of the given reports, in the given order (e.g. search results)."""
    by_id = {
        r["id"]: _report_row(r) for r in Report.objects.filter(id__in=ids).values(*REPORT_FIELDS)
    }
    return [by_id[i] for i in ids if i in by_id]


def story_metadata_list(
    *, filters: MeasureFilters, limit: int, offset: int = 0
) -> list[dict[str, object]]:
    """Stories with at least one relevant report matching the filters, most recently active
    first, as metadata (title, first report's URL, languages, outlets and their countries,
    dates, tone, dimensions)."""
    stories = (
        Story.objects.filter(id__in=report_queryset(filters).values("story_id"))
        .select_related("first_report")
        .only(*STORY_ONLY)
        .order_by("-last_seen_at", "-id")[offset : offset + limit]
    )
    return story_metadata_rows(list(stories))


STORY_ONLY = (
    "id",
    "title",
    "language",
    "first_seen_at",
    "last_seen_at",
    "report_count",
    "unique_report_count",
    "tone_mean",
    "dimensions",
    "crosslingual_id",
    "first_report__id",
    "first_report__url",
)


def story_metadata_get(*, story_id: int) -> dict[str, object]:
    story = (
        Story.objects.filter(pk=story_id).select_related("first_report").only(*STORY_ONLY).first()
    )
    if story is None:
        raise Http404("No such story")
    return story_metadata_rows([story])[0]
