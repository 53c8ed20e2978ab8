"""Reads for periodic reports: an organisation's submissions, the national roll-up of one
period, and the evaluation of an indicator against its targets over 3, 5 or 10 years.

The roll-up counts a former unit's submission (history before the July 2025 merger) on
today's organisation, so the 63 former provinces' figures appear on the 34 of today.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum
from django.http import Http404

from ttdn.accounts.models import Organisation, OrganisationKind, User
from ttdn.coordinate.access import organisations_readable
from ttdn.coordinate.models import (
    IndicatorKind,
    PeriodKind,
    ReportIndicator,
    ReportingPeriod,
    ReportTemplate,
    Submission,
    SubmissionStatus,
    SubmissionValue,
    Target,
)
from ttdn.core.computed import computed_get


def submission_list(
    *, user: User, period_id: int | None = None, template_id: int | None = None
) -> QuerySet[Submission]:
    queryset = Submission.objects.select_related(
        "template", "period", "organisation", "former_unit"
    ).filter(organisation__in=organisations_readable(user))
    if period_id:
        queryset = queryset.filter(period_id=period_id)
    if template_id:
        queryset = queryset.filter(template_id=template_id)
    return queryset


def submission_get(*, user: User, submission_id: int) -> Submission:
    submission = submission_list(user=user).filter(pk=submission_id).first()
    if submission is None:
        raise Http404("No such submission")
    return submission


def submission_rows(submission: Submission) -> list[dict[str, Any]]:
    """Each indicator with its value, the platform's figure and definition, for the page
    and the exports."""
    rows = []
    for value in submission.values.select_related("indicator"):
        indicator = value.indicator
        computed = computed_get(indicator.key) if indicator.kind == IndicatorKind.COMPUTED else None
        rows.append(
            {
                "key": indicator.key,
                "title": indicator.title,
                "kind": indicator.kind,
                "unit": indicator.unit or (computed.unit if computed else ""),
                "definition": indicator.definition or (computed.definition if computed else ""),
                "value": value.value,
                "computed_value": value.computed_value,
                "override_reason": value.override_reason,
            }
        )
    return rows


@dataclass
class RollupRow:
    organisation: Organisation
    status: str  # a SubmissionStatus value, or "missing"
    submission_id: int | None
    values: dict[str, float | None] = field(default_factory=dict)
    former_units: list[str] = field(default_factory=list)


@dataclass
class Rollup:
    period: ReportingPeriod
    template: ReportTemplate
    indicators: list[ReportIndicator]
    rows: list[RollupRow]
    status_counts: dict[str, int]
    totals: dict[str, float | None]  # approved submissions only


def _aggregate(indicator: ReportIndicator) -> str:
    computed = computed_get(indicator.key) if indicator.kind == IndicatorKind.COMPUTED else None
    return computed.aggregate if computed else "sum"


def rollup_get(*, period: ReportingPeriod, template: ReportTemplate) -> Rollup:
    """Every province and city (and any other organisation that submitted) with its status
    and figures for one period — three queries whatever the number of organisations."""
    indicators = list(template.indicators.all())
    submissions = list(
        Submission.objects.filter(period=period, template=template).select_related("former_unit")
    )
    values: dict[int, dict[str, float | None]] = defaultdict(dict)
    for row in SubmissionValue.objects.filter(
        submission__period=period, submission__template=template
    ).values_list("submission_id", "indicator__key", "value"):
        values[row[0]][row[1]] = row[2]
    organisations = {
        o.pk: o
        for o in Organisation.objects.filter(
            kind__in=(OrganisationKind.PROVINCE, OrganisationKind.CITY)
        )
    }
    for o in Organisation.objects.filter(pk__in={s.organisation_id for s in submissions}):
        organisations.setdefault(o.pk, o)
    rows = {pk: RollupRow(o, "missing", None) for pk, o in organisations.items()}
    for submission in sorted(submissions, key=lambda s: s.former_unit_id is not None):
        row = rows[submission.organisation_id]
        own = values.get(submission.pk, {})
        if submission.former_unit_id is None:
            row.status, row.submission_id = submission.status, submission.pk
        else:  # history of a former unit, counted on today's organisation
            row.former_units.append(submission.former_unit.name)  # type: ignore[union-attr]
            if row.status == "missing":
                row.status, row.submission_id = submission.status, submission.pk
        for key, number in own.items():
            if number is None:
                continue
            row.values[key] = (row.values.get(key) or 0.0) + number
    ordered = sorted(rows.values(), key=lambda r: r.organisation.name)
    counts: dict[str, int] = defaultdict(int)
    for row in ordered:
        counts[row.status] += 1
    totals: dict[str, float | None] = {}
    approved = [r for r in ordered if r.status == SubmissionStatus.APPROVED]
    for indicator in indicators:
        numbers = [
            r.values[indicator.key] for r in approved if r.values.get(indicator.key) is not None
        ]
        if not numbers:
            totals[indicator.key] = None
        elif _aggregate(indicator) == "mean":
            totals[indicator.key] = round(sum(numbers) / len(numbers), 3)  # type: ignore[arg-type]
        else:
            totals[indicator.key] = round(sum(numbers), 3)  # type: ignore[arg-type]
    return Rollup(period, template, indicators, ordered, dict(counts), totals)


@dataclass
class Evaluation:
    indicator_key: str
    title: str
    organisation: Organisation | None
    years: list[int]
    actual: list[float | None]
    target: list[float | None]

    @property
    def rows(self) -> list[tuple[int, float | None, float | None, float | None]]:
        """(year, actual, target, % of target)."""
        out = []
        for year, actual, target in zip(self.years, self.actual, self.target, strict=True):
            pct = round(100.0 * actual / target, 1) if actual is not None and target else None
            out.append((year, actual, target, pct))
        return out


def evaluation_get(
    *, indicator_key: str, last_year: int, span: int, organisation: Organisation | None = None
) -> Evaluation:
    """Approved figures per year against targets: an annual report's figure where there is
    one, else the sum of the year's two six-month reports; for the programme (organisation
    None) every organisation summed, with the national targets."""
    years = list(range(last_year - span + 1, last_year + 1))
    queryset = SubmissionValue.objects.filter(
        indicator__key=indicator_key,
        submission__status=SubmissionStatus.APPROVED,
        submission__period__year__in=years,
        value__isnull=False,
    )
    if organisation is not None:
        queryset = queryset.filter(submission__organisation=organisation)
    per: dict[tuple[int, str], float] = {}
    for row in queryset.values("submission__period__year", "submission__period__kind").annotate(
        total=Sum("value")
    ):
        per[(row["submission__period__year"], row["submission__period__kind"])] = row["total"]
    actual: list[float | None] = []
    for year in years:
        figure = per.get((year, PeriodKind.ANNUAL), per.get((year, PeriodKind.SIX_MONTH)))
        actual.append(None if figure is None else round(float(figure), 3))
    targets = {
        t.year: t.value
        for t in Target.objects.filter(
            indicator_key=indicator_key, organisation=organisation, year__in=years, archived=False
        )
    }
    indicator = ReportIndicator.objects.filter(key=indicator_key).first()
    return Evaluation(
        indicator_key=indicator_key,
        title=indicator.title if indicator else indicator_key,
        organisation=organisation,
        years=years,
        actual=actual,
        target=[targets.get(y) for y in years],
    )


def evaluations_with_targets(
    *, organisation: Organisation | None, last_year: int, span: int
) -> list[Evaluation]:
    """Every indicator that has a target in the span — the organisation's own targets, or
    the programme's for the country (organisation None) — evaluated against it. What the
    3/5/10-year evaluation reports of `ttdn.reports` add as their "against targets" part."""
    years = range(last_year - span + 1, last_year + 1)
    keys = (
        Target.objects.filter(organisation=organisation, year__in=years, archived=False)
        .order_by("indicator_key")
        .values_list("indicator_key", flat=True)
        .distinct()
    )
    return [
        evaluation_get(indicator_key=key, last_year=last_year, span=span, organisation=organisation)
        for key in keys
    ]
