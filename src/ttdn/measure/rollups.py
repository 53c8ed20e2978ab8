"""Daily roll-ups: what they hold, when an indicator may read them, and how to read them.

Why: at a million reports a 365-day chart reads ≈ 500k index entries (≈ 0.5 s) and share of
voice joins every report of the period to its mentions. The roll-up tables
(`models.ReportRollup`, `DimensionRollup`, `MentionRollup`, `StoryRollup`) hold the same
counts pre-aggregated per local day, so those charts read thousands of rows instead.

Rules that keep the numbers identical to the exact queries:

- A day is the report's `published_at` in `settings.TIME_ZONE` (Viet Nam time), the zone the
  filters' periods and the exact queries' buckets use. A request running in another zone
  falls back to the exact queries.
- Only bounded periods (both dates) use them: reports without a date are never rolled up.
- Only filters that are key columns: language, outlet country, source kind, tone label (and
  the dimension key in `DimensionRollup`). A province filter, or a combination of more
  columns than the stored grouping sets hold, falls back.
- The roll-ups must account for every stored report (`RollupState`): reports are append-only
  with increasing ids, so the newest id tells reports written around the pipeline (fixtures,
  bulk loads), which then make every indicator fall back until `ttdn manage rollups_rebuild`.

The writes (`rollups_add_report`, `rollups_rebuild`) are in `services.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Model, Q, QuerySet, Sum
from django.utils import timezone

from ttdn.measure.buckets import bucket_range, bucket_start
from ttdn.measure.filters import MeasureFilters
from ttdn.measure.models import RollupState, StoryCountryRollup, StoryRollup
from ttdn.monitor.models import Report

ALL = "*"
# (filter attribute, roll-up column, bit in `grouping`)
DIMS: tuple[tuple[str, str, int], ...] = (
    ("language", "language", 1),
    ("country", "outlet_country", 2),
    ("source_kind", "source_kind", 4),
    ("tone", "tone_label", 8),
)
COLUMNS = tuple(column for _attr, column, _bit in DIMS)


def _sets(max_columns: int) -> tuple[int, ...]:
    return tuple(m for m in range(16) if bin(m).count("1") <= max_columns)


# grouping sets stored: every combination of at most two columns for reports (a filter plus
# a "group by", or two filters), at most one for dimensions and mentions
REPORT_SETS = _sets(2)
DIMENSION_SETS = _sets(1)
MENTION_SETS = _sets(1)
STORY_KINDS = ("day", "week", "month")
MENTION_KINDS = ("country", "unit")


def rollup_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def report_day(published_at: dt.datetime) -> dt.date:
    """The local day a report is rolled up under (the Python twin of Bucket(kind="day"))."""
    return timezone.localtime(published_at, rollup_zone()).date()


def key_values(grouping: int, values: dict[str, str]) -> list[str]:
    """The key columns of one grouping set's row: the report's value or ALL."""
    return [values[column] if grouping & bit else ALL for _attr, column, bit in DIMS]


# --- when an indicator may use them -------------------------------------------------------


# inside `rollups_checked_once()`: the answer of the first `rollups_current()` call, so a
# page computing many indicators (the overview: 6 headline indicators) asks the database
# once, not once per indicator (2 queries each)
_CHECKED: ContextVar[dict[str, bool] | None] = ContextVar("rollups_checked", default=None)


@contextmanager
def rollups_checked_once() -> Iterator[None]:
    """Within the block, `rollups_current()` reads the database once and then repeats its
    answer. For one request's reads only: a write inside the block may make the repeated
    answer stale."""
    token = _CHECKED.set({})
    try:
        yield
    finally:
        _CHECKED.reset(token)


def rollups_current() -> bool:
    """The roll-ups account for every stored report and nothing changed under them: the
    newest report id is the newest one rolled up (see `RollupState` for why not count)."""
    checked = _CHECKED.get()
    if checked is not None and "current" in checked:
        return checked["current"]
    current = _rollups_current()
    if checked is not None:
        checked["current"] = current
    return current


def _rollups_current() -> bool:
    state = RollupState.objects.filter(pk=1).values_list("max_report_id", "stale").first()
    if state is None or state[1]:
        return False
    newest = Report.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return bool(state[0] == newest)


def period_supported(filters: MeasureFilters) -> bool:
    """Filters the roll-ups can answer in principle (checked before the database is)."""
    return (
        filters.date_from is not None
        and filters.date_to is not None
        and not filters.province
        and timezone.get_current_timezone_name() == settings.TIME_ZONE
    )


def grouping_for(filters: MeasureFilters, group_column: str | None = None) -> int:
    mask = 0
    for attr, column, bit in DIMS:
        if getattr(filters, attr) or column == group_column:
            mask |= bit
    return mask


def rollup_rows(
    model: type[Model],
    sets: Iterable[int],
    filters: MeasureFilters,
    *,
    group_column: str | None = None,
    relevant_only: bool = True,
) -> QuerySet[Any] | None:
    """The rows of `model` that answer `filters` (split by `group_column` if given): one
    grouping set, the period's days, the filter values. None when no stored set fits."""
    grouping = grouping_for(filters, group_column)
    if grouping not in tuple(sets):
        return None
    rows = model.objects.filter(  # type: ignore[attr-defined]
        grouping=grouping, day__gte=filters.date_from, day__lte=filters.date_to
    )
    if relevant_only:
        rows = rows.filter(is_relevant=True)
    for attr, column, _bit in DIMS:
        value = getattr(filters, attr)
        if value:
            rows = rows.filter(**{column: value})
    return rows


# --- reading ----------------------------------------------------------------------------


def fold_days(
    rows: Iterable[dict[str, Any]], kind: str, group: str | None, fields: tuple[str, ...]
) -> dict[Any, dict[dt.date, dict[str, float]]]:
    """Per-day sums → per (group, bucket) sums, buckets being local days' bucket starts."""
    out: dict[Any, dict[dt.date, dict[str, float]]] = {}
    for row in rows:
        key = row[group] if group else None
        bucket = bucket_start(row["day"], kind)
        acc = out.setdefault(key, {}).setdefault(bucket, dict.fromkeys(fields, 0))
        for name in fields:
            acc[name] += row[name] or 0
    return out


def tone_row(acc: dict[str, float]) -> dict[str, Any]:
    """A per-bucket tone row in the shape the exact queries give (`reports` = toned)."""
    toned = int(acc["toned"])
    return {
        "reports": toned,
        "toned": toned,
        "mean_tone": float(acc["tone_sum"]) / toned if toned else None,
        "positive": int(acc["positive"]),
        "negative": int(acc["negative"]),
    }


TONE_SUMS = {
    "toned": Sum("toned"),
    "tone_sum": Sum("tone_sum"),
    "positive": Sum("positive"),
    "negative": Sum("negative"),
}


def _bucket_cover(
    filters: MeasureFilters,
) -> tuple[list[dt.date], list[tuple[dt.date, dt.date, dt.date]]]:
    """The period's buckets that lie wholly inside it (read from their own rows), and its
    partial first and last buckets as (bucket start, first day, last day) inside the period
    (read from the day rows)."""
    assert filters.date_from is not None and filters.date_to is not None
    kind = filters.bucket
    starts = bucket_range(filters.date_from, filters.date_to, kind)
    full: list[dt.date] = []
    partial: list[tuple[dt.date, dt.date, dt.date]] = []
    for i, start in enumerate(starts):
        last = (starts[i + 1] if i + 1 < len(starts) else _next_bucket(start, kind)) - dt.timedelta(
            days=1
        )
        if start >= filters.date_from and last <= filters.date_to:
            full.append(start)
        else:
            partial.append((start, max(start, filters.date_from), min(last, filters.date_to)))
    return full, partial


def _period_q(filters: MeasureFilters) -> Q:
    """Story roll-up rows that cover the period exactly once per story and day."""
    full, partial = _bucket_cover(filters)
    where = Q(pk__in=[])
    if full:
        where |= Q(kind=filters.bucket, start__gte=full[0], start__lte=full[-1])
    for _start, first, last in partial:
        where |= Q(kind="day", start__gte=first, start__lte=last)
    return where


def story_counts(filters: MeasureFilters) -> tuple[dict[dt.date, int], int]:
    """Distinct stories with a relevant report matching `filters` (period, language): per
    bucket and over the whole period.

    A bucket that lies wholly inside the period is counted from its own rows (one per story
    in it); the period's partial first and last buckets from the day rows of the days that
    fall inside, so a 365-day monthly chart reads ≈ one row per story and month."""
    kind = filters.bucket
    full, partial = _bucket_cover(filters)
    rows = StoryRollup.objects.filter(relevant_reports__gt=0)
    if filters.language:
        rows = rows.filter(language=filters.language)
    per_bucket: dict[dt.date, int] = {}
    if full:
        for row in (
            rows.filter(kind=kind, start__gte=full[0], start__lte=full[-1])
            .values("start")
            .annotate(n=Count("story_id", distinct=True))
            .order_by()
        ):
            per_bucket[row["start"]] = int(row["n"])
    for start, first, last in partial:
        in_part = Q(kind="day", start__gte=first, start__lte=last)
        n = rows.filter(in_part).aggregate(n=Count("story_id", distinct=True))["n"] or 0
        if n:
            per_bucket[start] = int(n)
    total = rows.filter(_period_q(filters)).aggregate(n=Count("story_id", distinct=True))["n"]
    return per_bucket, int(total or 0)


def story_country_counts(filters: MeasureFilters) -> dict[str, int]:
    """Distinct stories with a relevant report matching `filters` (period, language, outlet
    country) per outlet country, over the whole period (the map's "stories")."""
    rows = StoryCountryRollup.objects.filter(relevant_reports__gt=0).filter(_period_q(filters))
    if filters.language:
        rows = rows.filter(language=filters.language)
    if filters.country:
        rows = rows.filter(outlet_country=filters.country)
    return {
        row["outlet_country"]: int(row["n"])
        for row in rows.values("outlet_country")
        .annotate(n=Count("story_id", distinct=True))
        .order_by()
    }


def _next_bucket(start: dt.date, kind: str) -> dt.date:
    if kind == "day":
        return start + dt.timedelta(days=1)
    if kind == "week":
        return start + dt.timedelta(days=7)
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
