"""Reads for Coordinate's reference data pages (programmes, report templates, reporting
periods, targets): current or archived, and for targets only the organisations the user
may read (`organisations_readable`) besides the country's own."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from ttdn.accounts.models import User
from ttdn.coordinate.access import organisations_readable
from ttdn.coordinate.models import Programme, ReportingPeriod, ReportTemplate, Target


def programme_setup_list(*, archived: bool = False) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(archived=archived)
        .select_related("owner")
        .prefetch_related("groups")
        .annotate(plan_count=Count("plans", distinct=True))
    )


def report_template_setup_list(*, archived: bool = False) -> QuerySet[ReportTemplate]:
    return ReportTemplate.objects.filter(active=not archived).prefetch_related("indicators")


def period_setup_list(*, archived: bool = False) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(archived=archived).annotate(
        submission_count=Count("submissions")
    )


def target_setup_list(*, user: User, archived: bool = False) -> QuerySet[Target]:
    """The country's targets and those of the organisations the user may read."""
    return (
        Target.objects.filter(archived=archived)
        .filter(Q(organisation__isnull=True) | Q(organisation__in=organisations_readable(user)))
        .select_related("organisation")
        .order_by("indicator_key", "organisation__name", "year")
    )
