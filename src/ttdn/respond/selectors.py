"""Reads for Respond, scoped by the core's `organisations_readable` (a province sees its own
claims and cases, central sees all; another organisation's ids give 404)."""

from __future__ import annotations

import datetime as dt
import html
import statistics
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.html import strip_tags

from ttdn.accounts.models import User
from ttdn.accounts.selectors import organisations_readable
from ttdn.monitor.models import Report
from ttdn.pipeline.claims import split_sentences
from ttdn.respond.matching import MATCHABLE
from ttdn.respond.models import (
    Answer,
    AnswerPickup,
    AnswerStatus,
    Case,
    CaseStatus,
    Claim,
    ClaimAppearance,
    Notification,
)


def claim_list(*, user: User, status: str = "", query: str = "") -> QuerySet[Claim]:
    qs = Claim.objects.filter(organisation__in=organisations_readable(user)).select_related(
        "organisation"
    )
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(text__icontains=query)
    return qs.annotate(n_appearances=Count("appearances"))


def claim_get(*, user: User, claim_id: int) -> Claim:
    claim = claim_list(user=user).filter(pk=claim_id).first()
    if claim is None:
        raise Http404("No such claim")
    return claim


def case_list(
    *,
    user: User,
    status: str = "",
    severity: str = "",
    organisation_id: int | None = None,
    assignee_id: int | None = None,
    query: str = "",
) -> QuerySet[Case]:
    qs = Case.objects.filter(organisation__in=organisations_readable(user)).select_related(
        "organisation", "assignee"
    )
    if status:
        qs = qs.filter(status=status)
    if severity:
        qs = qs.filter(severity=severity)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if assignee_id:
        qs = qs.filter(assignee_id=assignee_id)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(claims__text__icontains=query)).distinct()
    return qs


def case_get(*, user: User, case_id: int) -> Case:
    case = case_list(user=user).filter(pk=case_id).first()
    if case is None:
        raise Http404("No such case")
    return case


def case_board(*, user: User, **filters: Any) -> list[tuple[str, str, list[Case]]]:
    """Columns by status; in each, overdue cases first, then by the nearest deadline."""
    now = timezone.now()
    columns: dict[str, list[Case]] = defaultdict(list)
    for case in case_list(user=user, **filters):
        columns[case.status].append(case)
    out = []
    for value, label in CaseStatus.choices:
        cases = sorted(
            columns.get(value, []),
            key=lambda c: (not c.overdue(now), c.publish_due_at, c.pk),
        )
        out.append((value, str(label), cases))
    return out


def published_case_list() -> QuerySet[Case]:
    """Public: published (and later) cases, newest first. Nothing internal leaves through it."""
    return (
        Case.objects.filter(published_at__isnull=False, slug__isnull=False)
        .exclude(status=CaseStatus.CLOSED, published_at__isnull=True)
        .order_by("-published_at", "-id")
        .prefetch_related("answers", "ratings__claim", "claims")
    )


def published_case_get(slug: str) -> Case:
    case = published_case_list().filter(slug=slug).first()
    if case is None:
        raise Http404("No such fact-check")
    return case


def public_answers(case: Case) -> list[Answer]:
    return [a for a in case.answers.all() if a.status == AnswerStatus.APPROVED]


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def appearance_list(*, user: User, claim: Claim) -> QuerySet[ClaimAppearance]:
    claim_get(user=user, claim_id=claim.pk)
    return claim.appearances.select_related("report")


def reappearance_list(*, user: User, limit: int = 10) -> QuerySet[ClaimAppearance]:
    """Latest re-appearances of answered claims the user may see (the board's panel)."""
    return (
        ClaimAppearance.objects.filter(
            after_answer=True, claim__organisation__in=organisations_readable(user)
        )
        .select_related("claim")
        .order_by("-found_at", "-id")[:limit]
    )


def _minutes(a: dt.datetime | None, b: dt.datetime | None) -> float | None:
    return round((b - a).total_seconds() / 60, 1) if a and b else None


def followup(
    *,
    user: User,
    opened_since: dt.datetime | None = None,
    opened_before: dt.datetime | None = None,
) -> dict[str, Any]:
    """Figures for the follow-up page and Measure's dashboard panel: times, deadlines met,
    re-appearances, tone, pickups. The dashboard passes its period as [opened_since,
    opened_before): the cases *opened* in it, so that a case and all its figures (its
    answer may come later) fall in exactly one period."""
    scoped = case_list(user=user)
    if opened_since is not None:
        scoped = scoped.filter(created_at__gte=opened_since)
    if opened_before is not None:
        scoped = scoped.filter(created_at__lt=opened_before)
    cases = list(scoped.prefetch_related("claims__appearances", "events"))
    rows = []
    by_severity: dict[str, list[float]] = defaultdict(list)
    by_org: dict[str, list[float]] = defaultdict(list)
    assess_by_severity: dict[str, list[float]] = defaultdict(list)
    assess_by_org: dict[str, list[float]] = defaultdict(list)
    met = {"assess_met": 0, "assess_missed": 0, "publish_met": 0, "publish_missed": 0}
    for case in cases:
        assess = _minutes(case.created_at, case.first_assessed_at)
        publish = _minutes(case.created_at, case.published_at)
        if case.first_assessed_at:
            met[
                "assess_met" if case.first_assessed_at <= case.assess_due_at else "assess_missed"
            ] += 1
            assess_by_severity[case.severity].append(assess or 0)
            assess_by_org[case.organisation.name].append(assess or 0)
        if case.published_at:
            met[
                "publish_met" if case.published_at <= case.publish_due_at else "publish_missed"
            ] += 1
            by_severity[case.severity].append(publish or 0)
            by_org[case.organisation.name].append(publish or 0)
        before = after = 0
        tone_before: list[float] = []
        tone_after: list[float] = []
        report_ids = []
        for claim in case.claims.all():
            for ap in claim.appearances.all():
                if ap.after_answer:
                    after += 1
                else:
                    before += 1
                if ap.report_id:
                    report_ids.append((ap.report_id, ap.after_answer))
        # the claim's stories: the stories of the reports it appeared in
        story_ids = set(
            Report.objects.filter(
                pk__in=[r for r, _a in report_ids], story__isnull=False
            ).values_list("story_id", flat=True)
        )
        cut = case.published_at
        volume_before = volume_after = 0
        for published, tone in Report.objects.filter(story_id__in=story_ids).values_list(
            "published_at", "tone_score"
        ):
            after_answer = bool(cut and published and published >= cut)
            if after_answer:
                volume_after += 1
            else:
                volume_before += 1
            if tone is not None:
                (tone_after if after_answer else tone_before).append(float(tone))
        pickups = 0
        if case.slug:
            pickups = Report.objects.filter(_pickup_filter(case)).count()
        rows.append(
            {
                "case": case,
                "assess_min": assess,
                "publish_min": publish,
                "before": before,
                "after": after,
                "pickups": pickups,
                "volume_before": volume_before,
                "volume_after": volume_after,
                "tone_before": round(sum(tone_before) / len(tone_before), 3)
                if tone_before
                else None,
                "tone_after": round(sum(tone_after) / len(tone_after), 3) if tone_after else None,
            }
        )

    def mean(values: list[float]) -> float:
        return round(sum(values) / len(values), 1) if values else 0.0

    return {
        "rows": rows,
        "met": met,
        "publish_by_severity": {k: mean(v) for k, v in sorted(by_severity.items())},
        "publish_by_organisation": {k: mean(v) for k, v in sorted(by_org.items())},
        "assess_by_severity": {k: mean(v) for k, v in sorted(assess_by_severity.items())},
        "assess_by_organisation": {k: mean(v) for k, v in sorted(assess_by_org.items())},
        "reappear_before": sum(r["before"] for r in rows),
        "volume_before": sum(r["volume_before"] for r in rows),
        "volume_after": sum(r["volume_after"] for r in rows),
        "reappear_after": sum(r["after"] for r in rows),
    }


#: A published answer's sentence must be this long for its verbatim presence in a report to
#: count as re-use of the answer: a short one ("Thông tin này sai.", "The claim is false.")
#: could be anyone's words.
REUSE_MIN_CHARS = 60
#: The longest sentences of each answer looked for (one `icontains` term each).
REUSE_SENTENCES = 3


def answer_passages(case: Case) -> list[str]:
    """The sentences of the case's approved answers that identify them when quoted: the
    `REUSE_SENTENCES` longest of each language version, at least `REUSE_MIN_CHARS` long,
    taken from the sanitised body as plain text."""
    out: list[str] = []
    for body in case.answers.filter(status=AnswerStatus.APPROVED).values_list("body", flat=True):
        text = html.unescape(strip_tags(body.replace("</p>", "</p>\n")))
        long = [s for s in split_sentences("", text) if len(s) >= REUSE_MIN_CHARS]
        out += sorted(long, key=len, reverse=True)[:REUSE_SENTENCES]
    return out


def _pickup_filter(case: Case) -> Q:
    """Reports that pick up a published answer: they give its public address, or they quote
    one of its identifying sentences word for word (the issue's "links to it, or its text
    re-used"; a translation or a paraphrase is not counted here), or link to it from their
    HTML only (`AnswerPickup`, written when the report was stored)."""
    found = Q(text__icontains=f"/phan-hoi/cong-khai/{case.slug}")
    found |= Q(pk__in=AnswerPickup.objects.filter(case=case).values("report_id"))
    for passage in answer_passages(case):
        found |= Q(text__icontains=passage)
    return found


def case_pickup_list(case: Case, limit: int = 50) -> QuerySet[Report]:
    """The reports that picked up the case's published answer, newest first, for the case
    page: the same test as the follow-up's count (`_pickup_filter`), so the list and the
    figure never disagree. Nothing for a case not yet published."""
    if not case.slug:
        return Report.objects.none()
    return (
        Report.objects.filter(_pickup_filter(case))
        .select_related("source")
        .order_by("-published_at", "-id")[:limit]
    )


def _median(values: list[float]) -> float | None:
    return round(float(statistics.median(values)), 2) if values else None


def case_response_figures(organisation: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    """An organisation's response figures over a period, for the periodic reports
    (`ttdn.respond.computed` registers them with Coordinate).

    Why these bases: a report covers what happened in its period, so cases *opened* in it are
    counted by their opening and the speed of answers by the cases *published* in it (a case
    opened in March and published in April is April's answer). Times are medians: one case
    left open over a holiday should not hide how fast the others were answered.
    """
    cases = Case.objects.filter(organisation=organisation)
    opened = cases.filter(created_at__date__gte=start, created_at__date__lte=end)
    published = list(
        cases.filter(published_at__date__gte=start, published_at__date__lte=end).values_list(
            "created_at", "published_at", "publish_due_at"
        )
    )
    assessed = list(
        cases.filter(
            first_assessed_at__date__gte=start, first_assessed_at__date__lte=end
        ).values_list("created_at", "first_assessed_at", "assess_due_at")
    )

    def hours(rows: list[tuple[dt.datetime, dt.datetime, dt.datetime]]) -> list[float]:
        return [(done - made).total_seconds() / 3600 for made, done, _due in rows]

    def on_time(rows: list[tuple[dt.datetime, dt.datetime, dt.datetime]]) -> float | None:
        if not rows:
            return None
        return round(100 * sum(1 for _made, done, due in rows if done <= due) / len(rows), 1)

    published_cases = cases.filter(published_at__date__lte=end).exclude(slug="")
    pickup = Q(pk__in=[])
    for case in published_cases.prefetch_related("answers"):
        pickup |= _pickup_filter(case)
    return {
        "opened": opened.count(),
        "published": len(published),
        # re-appearances of the organisation's claims found in the period after their answer
        "reappeared_after_answer": ClaimAppearance.objects.filter(
            claim__organisation=organisation,
            after_answer=True,
            found_at__date__gte=start,
            found_at__date__lte=end,
        ).count(),
        # reports of the period that link to or quote one of its published answers
        "pickups": Report.objects.filter(
            pickup, published_at__date__gte=start, published_at__date__lte=end
        ).count()
        if published_cases.exists()
        else 0,
        "median_publish_hours": _median(hours(published)),
        "published_on_time_pct": on_time(published),
        "median_assess_hours": _median(hours(assessed)),
        "assessed_on_time_pct": on_time(assessed),
    }


def claims_matchable_exist() -> bool:
    """Is there a claim that stored reports are matched against (open or answered, with
    its vector)? The same rows as `matching.claim_index`, without loading them."""
    return Claim.objects.filter(status__in=MATCHABLE, embedding__isnull=False).exists()


def published_cases_exist() -> bool:
    """Is any case published (the candidates of `translated.pickups_translated_record`)?"""
    return (
        Case.objects.filter(published_at__isnull=False, slug__isnull=False)
        .exclude(slug="")
        .exists()
    )
