"""Reads for the morning overview: headline figures against the previous period, the
stories rising in the last 24 hours, and where coverage comes from (country → outlets →
stories).

Every figure counts the reports *about Viet Nam* (`is_relevant`, the scope of every Measure
indicator; see `COUNT_SCOPE`), except share of voice, which compares Viet Nam with its peers
in every stored report, as its definition says. The figures are the indicators' own: the
headline figures of both periods are one query over the same roll-up sums, with the same
rounding (tests/measure/test_rollups.py compares them with the indicators), and the
indicators themselves answer whenever the roll-ups cannot, so the overview and the
dashboards never disagree. Nothing here grows with the archive: the map reads the
roll-ups (stories per outlet country included) and the rising stories only the last 48
hours of reports, so the page's cost follows the period and the last two days (`ttdn bench
queries`, query `overview`, target ≤ 200 ms at 1M reports).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, Q
from django.utils import timezone

from ttdn.measure import rollups
from ttdn.measure.filters import MeasureFilters, peer_countries
from ttdn.measure.indicators import TONE_ALL, indicator_compute, tone_fields
from ttdn.measure.rollups import rollups_checked_once
from ttdn.monitor.models import Report, Source, Story
from ttdn.web.tiles import DEFAULT_PERIOD, PERIODS, period_of  # noqa: F401 - PERIODS: the overview's choices

RISING_HOURS = 24
RISING_LIMIT = 8
HOME = "VN"


@dataclass(frozen=True)
class Figure:
    """One headline figure and the same figure over the previous period."""

    key: str
    value: float | None
    previous: float | None
    unit: str  # count | pct | tone
    indicator: str  # the indicator whose definition explains it
    scope: str  # "country": reports about Viet Nam; "all": every stored report
    rise: str = "neutral"  # what a rise means: good | bad | neutral (more coverage is neither)

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_pct(self) -> float | None:
        """Relative change for counts (None from zero: "new", not "+∞ %")."""
        if self.unit != "count" or not self.previous or self.value is None:
            return None
        return 100.0 * (self.value - self.previous) / self.previous

    @property
    def tendency(self) -> str:
        """good | bad | neutral: how the change reads (colour of the arrow)."""
        if self.direction == "flat" or self.rise == "neutral":
            return "neutral"
        good = (self.direction == "up") == (self.rise == "good")
        return "good" if good else "bad"

    @property
    def direction(self) -> str:
        change = self.change
        if change is None or abs(change) < 1e-9:
            return "flat"
        return "up" if change > 0 else "down"


def period_filters(days: int, today: dt.date) -> tuple[MeasureFilters, MeasureFilters]:
    """The last `days` local days up to today, and the `days` before them (the overview's
    `Period`, as Measure filters)."""
    period = period_of(days, today)

    def parse(first: dt.date, last: dt.date) -> MeasureFilters:
        # by day: every bucket lies wholly inside the period, so distinct stories are read
        # from the day roll-ups without partial buckets. Built directly, not through the
        # request form: the form builds its province and dimension choices (a query and a
        # Vietnamese sort, ≈ 25 ms on a busy machine) to validate values we make ourselves
        # (tests/web/test_overview.py checks they equal what the form gives)
        return MeasureFilters(date_from=first, date_to=last, bucket="day")

    return parse(period.date_from, period.date_to), parse(period.previous_from, period.previous_to)


def _headline(filters: MeasureFilters) -> dict[str, Any]:
    """The figures through the indicators (the fallback: filters or a state the roll-ups
    cannot answer)."""
    volume = indicator_compute("volume", filters).totals
    tone = indicator_compute("tone", replace(filters, group_by=TONE_ALL)).totals
    share = indicator_compute("share_of_voice", filters)
    home = next((r for r in share.rows if r["country"] == HOME), None)
    return {
        "reports": volume["reports"],
        "stories": volume["stories"],
        "share_pct": home["share_pct"] if home and share.totals["peer_mentions"] else None,
        "mean_tone": tone.get("mean_tone"),
        "pct_negative": tone.get("pct_negative"),
    }


# One statement for both periods' figures (`now` = 1 for the period, 0 for the one before):
# reports and tone sums of reports about Viet Nam (ReportRollup, all-columns set), reports
# naming each peer country (MentionRollup, every stored report) and distinct stories
# (StoryRollup's day rows). Each part is a range of one index of its table.
_HEADLINE_SQL = """
SELECT 'r', CASE WHEN day >= %s THEN 1 ELSE 0 END AS now, '',
       SUM(reports), SUM(toned), SUM(tone_sum), SUM(positive), SUM(negative)
  FROM measure_reportrollup
 WHERE "grouping" = 0 AND day >= %s AND day <= %s AND is_relevant = %s
 GROUP BY 2
UNION ALL
SELECT 'm', CASE WHEN day >= %s THEN 1 ELSE 0 END, key, SUM(reports), 0, 0, 0, 0
  FROM measure_mentionrollup
 WHERE "grouping" = 0 AND kind = 'country' AND key IN ({peers}) AND day >= %s AND day <= %s
 GROUP BY 2, 3
UNION ALL
SELECT 's', CASE WHEN start >= %s THEN 1 ELSE 0 END, '', COUNT(DISTINCT story_id), 0, 0, 0, 0
  FROM measure_storyrollup
 WHERE kind = 'day' AND start >= %s AND start <= %s AND relevant_reports > 0
 GROUP BY 2
"""


def _headline_rollup(
    current: MeasureFilters, previous: MeasureFilters
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Both periods' figures from the roll-ups in one query, equal to `_headline`'s (the
    same sums and the same rounding: tests/measure/test_rollups.py compares them); None when
    the roll-ups cannot answer."""
    if not (rollups.period_supported(current) and rollups.period_supported(previous)):
        return None
    if not rollups.rollups_current():
        return None
    assert current.date_from and current.date_to and previous.date_from
    peers = peer_countries()
    span = [current.date_from, previous.date_from, current.date_to]
    sql = _HEADLINE_SQL.format(peers=", ".join(["%s"] * len(peers)))
    params = [*span, True, span[0], *peers, span[1], span[2], *span]
    sums: dict[int, dict[str, float]] = {1: {}, 0: {}}
    mentions: dict[int, dict[str, int]] = {1: {}, 0: {}}
    stories: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for part, now, key, a, toned, tone_sum, positive, negative in cursor.fetchall():
            if part == "r":
                sums[int(now)] = {
                    "reports": a or 0,
                    "toned": toned or 0,
                    "tone_sum": tone_sum or 0,
                    "positive": positive or 0,
                    "negative": negative or 0,
                }
            elif part == "m" and a:
                mentions[int(now)][key] = int(a)
            elif part == "s":
                stories[int(now)] = int(a or 0)
    out = []
    for now in (1, 0):
        acc = sums[now] or dict.fromkeys(
            ("reports", "toned", "tone_sum", "positive", "negative"), 0
        )
        tone = tone_fields(rollups.tone_row(acc))
        named = mentions[now]
        total = sum(named.values())
        share = round(100.0 * named[HOME] / total, 2) if total and HOME in named else 0.0
        out.append(
            {
                "reports": int(acc["reports"]),
                "stories": stories.get(now, 0),
                "share_pct": share if HOME in peers and total else None,
                "mean_tone": tone["mean_tone"],
                "pct_negative": tone["pct_negative"],
            }
        )
    return out[0], out[1]


def overview_figures(*, days: int = DEFAULT_PERIOD, today: dt.date | None = None) -> list[Figure]:
    """Coverage volume, unique stories, share of voice, mean tone and % negative, for the
    period and the previous one of the same length: one query over the roll-ups, or the
    indicators themselves when the roll-ups cannot answer."""
    current, previous = period_filters(days, today or timezone.localdate())
    with rollups_checked_once():  # one roll-up state check for the figures, not one each
        found = _headline_rollup(current, previous)
        now, before = found if found else (_headline(current), _headline(previous))
    return [
        Figure("reports", now["reports"], before["reports"], "count", "volume", "country"),
        Figure("stories", now["stories"], before["stories"], "count", "volume", "country"),
        Figure(
            "share_pct",
            now["share_pct"],
            before["share_pct"],
            "pct",
            "share_of_voice",
            "all",
            "good",
        ),
        Figure(
            "mean_tone", now["mean_tone"], before["mean_tone"], "tone", "tone", "country", "good"
        ),
        Figure(
            "pct_negative",
            now["pct_negative"],
            before["pct_negative"],
            "pct",
            "tone",
            "country",
            "bad",
        ),
    ]


# --- rising stories ------------------------------------------------------------------------


def story_rising_list(
    *, now: dt.datetime | None = None, limit: int = RISING_LIMIT
) -> list[dict[str, Any]]:
    """Stories with the most reports about Viet Nam published in the last 24 hours, with
    their growth against the 24 hours before, reports per hour (the sparkline), languages,
    outlet countries and mean tone of those 24 hours.

    Three queries whatever the size of the archive: the ranking over the last 48 hours of
    reports (the covering `published_at` index), the stories, and the shown stories' last
    24 hours (the story-and-time index)."""
    now = now or timezone.now()
    since = now - dt.timedelta(hours=RISING_HOURS)
    before = since - dt.timedelta(hours=RISING_HOURS)
    window = Report.objects.filter(
        is_relevant=True, story__isnull=False, published_at__gte=before, published_at__lt=now
    )
    ranked = list(
        window.values("story_id")
        .annotate(
            recent=Count("id", filter=Q(published_at__gte=since)),
            earlier=Count("id", filter=Q(published_at__lt=since)),
        )
        .filter(recent__gt=0)
        .order_by("-recent", "earlier", "-story_id")[:limit]
    )
    if not ranked:
        return []
    ids = [row["story_id"] for row in ranked]
    stories = Story.objects.in_bulk(ids)
    # the shown stories' reports of the last 24 hours, one row each (the story-and-time
    # index: as many rows as their "recent" counts above, whatever the story's age), folded
    # here into the sparkline (hour h = [since + h, since + h + 1)), languages, outlet
    # countries and tone. Measured against counting the hours in SQL (24 filtered counts
    # plus a second query for languages and countries, both on the same index), the two
    # alternating in one process at 300k reports (≈ 650 rows here): p50 22 / 33 ms against
    # 30 / 38 ms, p95 41 / 53 against 54 / 70 (docs/decisions/0018).
    detail: dict[int, dict[str, Any]] = {
        i: {"hours": [0] * RISING_HOURS, "tone_sum": 0.0, "toned": 0, "languages": set(),
            "countries": set()}
        for i in ids
    }  # fmt: skip
    for story_id, published_at, language, country, tone_score in (
        window.filter(story_id__in=ids, published_at__gte=since)
        .order_by()  # no sort: the rows are folded here
        .values_list("story_id", "published_at", "language", "source__country", "tone_score")
    ):
        entry = detail[story_id]
        hour = int((published_at - since).total_seconds() // 3600)
        entry["hours"][min(max(hour, 0), RISING_HOURS - 1)] += 1
        if tone_score is not None:
            entry["tone_sum"] += tone_score
            entry["toned"] += 1
        if language:
            entry["languages"].add(language)
        if country:
            entry["countries"].add(country)
    out = []
    for row in ranked:
        story = stories.get(row["story_id"])
        if story is None:
            continue
        entry = detail[story.pk]
        out.append(
            {
                "story": story,
                "recent": row["recent"],
                "earlier": row["earlier"],
                "growth": row["recent"] - row["earlier"],
                "hours": entry["hours"],
                "languages": sorted(entry["languages"]),
                "countries": sorted(entry["countries"]),
                "mean_tone": entry["tone_sum"] / entry["toned"] if entry["toned"] else None,
            }
        )
    return out


# --- where coverage comes from: country → outlets → stories -------------------------------


OUTLETS_SHOWN = 30
STORIES_PER_OUTLET = 5


def country_outlet_list(*, country: str, filters: MeasureFilters) -> list[dict[str, Any]]:
    """The outlets of one country that covered Viet Nam in the period, most reports first,
    each with its top stories (by reports of that outlet)."""
    start, end = filters.period()
    reports = Report.objects.filter(is_relevant=True, source__country=country.upper())
    if start is not None:
        reports = reports.filter(published_at__gte=start)
    if end is not None:
        reports = reports.filter(published_at__lt=end)
    outlets = list(
        reports.values("source_id")
        .annotate(
            reports=Count("id"),
            stories=Count("story_id", distinct=True),
            mean_tone=Avg("tone_score"),
        )
        .order_by("-reports", "source_id")[:OUTLETS_SHOWN]
    )
    sources = Source.objects.in_bulk([o["source_id"] for o in outlets])
    pairs = list(
        reports.filter(source_id__in=list(sources), story__isnull=False)
        .values("source_id", "story_id")
        .annotate(reports=Count("id"))
        .order_by("source_id", "-reports", "-story_id")
    )
    titles = Story.objects.in_bulk({p["story_id"] for p in pairs})
    by_source: dict[int, list[dict[str, Any]]] = {}
    for pair in pairs:
        shown = by_source.setdefault(pair["source_id"], [])
        if len(shown) < STORIES_PER_OUTLET and pair["story_id"] in titles:
            shown.append({"story": titles[pair["story_id"]], "reports": pair["reports"]})
    return [
        {
            "source": sources[o["source_id"]],
            "reports": o["reports"],
            "stories": o["stories"],
            "mean_tone": o["mean_tone"],
            "top_stories": by_source.get(o["source_id"], []),
        }
        for o in outlets
        if o["source_id"] in sources
    ]
