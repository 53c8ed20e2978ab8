"""Reads for periodic reports: the archive (scoped by role) and the numbers a report shows.

Archive rule (the same by URL, download and API): central roles see every report and
schedule; everyone else sees only their own organisation's — another organisation's id, or
a national report, is a 404 for them.

The numbers come from Measure's indicators (`ttdn.measure.indicators`), called with the
same `MeasureFilters` the dashboard uses, so a report and the dashboard never disagree; for
a province the filters are built with `with_province`, which rolls up its former units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ttdn.accounts.models import Organisation, User
from ttdn.accounts.permissions import scope_to_organisation
from ttdn.measure.filters import MeasureFilters
from ttdn.measure.indicators import (
    TONE_ALL,
    IndicatorResult,
    indicator_compute,
    indicator_get,
)
from ttdn.reports.models import PeriodicReport, ReportSchedule
from ttdn.reports.periods import EVALUATION_YEARS, ReportKind, bucket_for
from ttdn.reports.targets import TargetEvaluation, targets_for
from ttdn.web.labels import dimension_label

TOP_STORIES = 10
TOP_COUNTRIES = 12


def periodic_report_list(*, user: User) -> QuerySet[PeriodicReport]:
    reports = PeriodicReport.objects.select_related("organisation", "requested_by")
    return scope_to_organisation(user, reports)


def periodic_report_get(*, user: User, report_id: int) -> PeriodicReport:
    found = periodic_report_list(user=user).filter(pk=report_id).first()
    if found is None:
        raise Http404("No such report")
    return found


def report_schedule_list(*, user: User) -> QuerySet[ReportSchedule]:
    schedules = ReportSchedule.objects.select_related("organisation")
    return scope_to_organisation(user, schedules)


def report_schedule_get(*, user: User, schedule_id: int) -> ReportSchedule:
    found = report_schedule_list(user=user).filter(pk=schedule_id).first()
    if found is None:
        raise Http404("No such schedule")
    return found


# --- the numbers of one report ----------------------------------------------------------------


@dataclass
class ReportData:
    """Everything the PDF and the XLSX show, computed once and rendered twice."""

    scope_name: str
    is_province: bool
    period_start: dt.date
    period_end: dt.date
    data_end: dt.date  # the last day counted (today, for a period still in progress)
    bucket: str
    totals: dict[str, Any]
    previous_totals: dict[str, Any]
    volume: IndicatorResult
    tone_series: list[dict[str, Any]]  # per bucket: mean tone and % positive / negative
    countries: IndicatorResult
    top_stories: IndicatorResult
    dimensions: list[dict[str, Any]]  # nation-brand dimension, label, reports
    share_of_voice: IndicatorResult | None  # national reports only
    years: list[dict[str, Any]] = field(default_factory=list)  # evaluations: per year
    indicators: list[tuple[str, int, str]] = field(default_factory=list)  # key, version, title
    # evaluations: Coordinate's periodic-report figures against their targets, per indicator
    targets: list[TargetEvaluation] = field(default_factory=list)


def _filters(
    organisation: Organisation | None, start: dt.date, end: dt.date, bucket: str
) -> tuple[MeasureFilters, bool]:
    filters = MeasureFilters(date_from=start, date_to=end, bucket=bucket, top=TOP_STORIES)
    if organisation is not None and organisation.is_provincial:
        return filters.with_province(organisation.slug), True
    return filters, False


def _totals(result: IndicatorResult, tone: IndicatorResult | None = None) -> dict[str, Any]:
    keys = ("reports", "unique_reports", "stories", "mean_tone", "pct_positive", "pct_negative")
    totals = {k: result.totals.get(k) for k in keys}
    if tone is not None:
        for k in ("mean_tone", "pct_positive", "pct_negative"):
            totals[k] = tone.totals.get(k)
    return totals


def _tone_series(result: IndicatorResult) -> list[dict[str, Any]]:
    """Per bucket: mean tone and % positive / negative (a province's rows, or the national
    tone rows of the single group "")."""
    keys = ("bucket", "mean_tone", "pct_positive", "pct_negative")
    return [{k: r.get(k) for k in keys} for r in result.rows]


def _dimensions(filters: MeasureFilters) -> list[dict[str, Any]]:
    """Reports per nation-brand dimension over the whole period (the tone indicator split by
    dimension, summed over its time buckets)."""
    result = indicator_compute("tone", replace(filters, group_by="dimension"))
    per: dict[str, int] = {}
    for row in result.rows:
        per[row["group"]] = per.get(row["group"], 0) + int(row["reports"] or 0)
    return [
        {"dimension": key, "label": dimension_label(key), "reports": n}
        for key, n in sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))
        if n
    ]


def _years(volume: IndicatorResult, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Evaluations compare years: the monthly volume rows summed per calendar year."""
    per: dict[int, dict[str, int]] = {
        y: {"reports": 0, "unique_reports": 0} for y in range(start.year, end.year + 1)
    }
    for row in volume.rows:
        year = int(str(row["bucket"])[:4])
        if year in per:
            per[year]["reports"] += int(row["reports"])
            per[year]["unique_reports"] += int(row["unique_reports"])
    out: list[dict[str, Any]] = []
    previous: int | None = None
    for year in sorted(per):
        n = per[year]["reports"]
        change = round(100.0 * (n - previous) / previous, 1) if previous else None
        out.append({"year": year, **per[year], "change_pct": change})
        previous = n
    return out


def report_data_collect(
    report: PeriodicReport, *, progress: Callable[[int], None] | None = None
) -> ReportData:
    """Compute the indicators a report shows. `progress(percent)` is called between steps
    (the page polls it), from 5 to 60: rendering takes the rest."""

    def step(percent: int) -> None:
        if progress is not None:
            progress(percent)

    start, end = report.period_start, report.period_end
    data_end = min(end, timezone.localdate())
    bucket = bucket_for(start, end)
    filters, is_province = _filters(report.organisation, start, data_end, bucket)
    scope_name = report.organisation.name if report.organisation is not None else ""
    step(5)
    if is_province:
        headline = indicator_compute("province", filters)
        volume = indicator_compute("volume", filters)
        tone_series = _tone_series(headline)
        totals = _totals(headline)
        totals["stories"] = headline.totals.get("stories")
    else:
        volume = indicator_compute("volume", filters)
        # one tone line over every report (the tone indicator, not split by group); its
        # totals are the same whatever the grouping
        headline = indicator_compute("tone", replace(filters, group_by=TONE_ALL))
        tone_series = _tone_series(headline)
        totals = _totals(volume, headline)
    step(20)
    # the previous period of the same length, for "change from the previous period"
    length = (end - start).days + 1
    prev_end = start - dt.timedelta(days=1)
    prev_filters, _p = _filters(
        report.organisation, prev_end - dt.timedelta(days=length - 1), prev_end, bucket
    )
    previous = indicator_compute("volume", prev_filters)
    step(30)
    countries = indicator_compute("coverage_by_country", filters)
    countries.rows = countries.rows[:TOP_COUNTRIES]
    step(40)
    top = indicator_compute("top_stories", filters)
    step(50)
    dimensions = _dimensions(filters)
    share = None if is_province else indicator_compute("share_of_voice", filters)
    step(60)
    used = ["volume", "province" if is_province else "tone", "coverage_by_country"]
    used += ["top_stories"] + ([] if is_province else ["share_of_voice"])
    return ReportData(
        scope_name=scope_name,
        is_province=is_province,
        period_start=start,
        period_end=end,
        data_end=data_end,
        bucket=bucket,
        totals=totals,
        previous_totals={"reports": previous.totals.get("reports")},
        volume=volume,
        tone_series=tone_series,
        countries=countries,
        top_stories=top,
        dimensions=dimensions,
        share_of_voice=share,
        years=_years(volume, start, data_end) if report.kind in EVALUATION_YEARS else [],
        targets=targets_for(
            organisation=report.organisation,
            last_year=end.year,
            span=EVALUATION_YEARS[ReportKind(report.kind)],
        )
        if report.kind in EVALUATION_YEARS
        else [],
        indicators=[
            (key, indicator_get(key).version, str(indicator_get(key).title)) for key in used
        ],
    )
