"""Writes for periodic reports: open a submission, fill it, submit, review, close periods.

draft → submitted → approved (locked), or → returned (with comments) → submitted again.
Computed figures are filled by the platform; changing one needs a reason, kept beside it.
A closed period takes no submission; a submitted or approved report cannot be submitted
again. Every write is validated whole before anything is saved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.accounts.models import Organisation, OrganisationAlias, User
from ttdn.coordinate.access import can_review, ensure_can_act_for
from ttdn.coordinate.models import (
    IndicatorKind,
    PeriodKind,
    ReportingPeriod,
    ReportTemplate,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
    SubmissionValue,
)
from ttdn.coordinate.services.notifications import notify, organisation_officers
from ttdn.core.computed import computed_value
from ttdn.core.events import announce

REPORT_APPROVED = "coordinate.report_approved"  # payload {"submission_id": int}
DUE_AFTER_DAYS = 15


def _err(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def period_bounds(kind: str, year: int, half: int | None) -> tuple[dt.date, dt.date]:
    if kind == PeriodKind.ANNUAL:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if half not in (1, 2):
        raise _err("half", _("Kỳ sáu tháng phải là 1 hoặc 2."))
    return (
        (dt.date(year, 1, 1), dt.date(year, 6, 30))
        if half == 1
        else (dt.date(year, 7, 1), dt.date(year, 12, 31))
    )


def period_get_or_create(*, kind: str, year: int, half: int | None = None) -> ReportingPeriod:
    if kind not in PeriodKind.values:
        raise _err("kind", _("Kỳ báo cáo không hợp lệ."))
    half = half if kind == PeriodKind.SIX_MONTH else None
    start, end = period_bounds(kind, year, half)
    period, _created = ReportingPeriod.objects.get_or_create(
        kind=kind,
        year=year,
        half=half,
        defaults={"start": start, "end": end, "due_date": end + dt.timedelta(DUE_AFTER_DAYS)},
    )
    return period


@transaction.atomic
def period_close(*, user: User, period: ReportingPeriod, closed: bool = True) -> ReportingPeriod:
    if not can_review(user):
        raise PermissionDenied(_("Chỉ cơ quan trung ương được khóa kỳ báo cáo."))
    period.closed = closed
    period.save()
    return period


def _event(submission: Submission, user: User | None, action: str, comment: str = "") -> None:
    SubmissionEvent.objects.create(
        submission=submission, actor=user, action=action, comment=comment
    )


def _fill_computed(submission: Submission, *, keep_overrides: bool = True) -> None:
    start, end = submission.period.start, submission.period.end
    for value in submission.values.select_related("indicator"):
        if value.indicator.kind != IndicatorKind.COMPUTED:
            continue
        figure = computed_value(value.indicator.key, submission.organisation, start, end)
        value.computed_value = figure
        if not (keep_overrides and value.override_reason):
            value.value = figure
        value.save()


@transaction.atomic
def submission_open(
    *,
    user: User,
    template: ReportTemplate,
    period: ReportingPeriod,
    organisation: Organisation,
    former_unit: OrganisationAlias | None = None,
) -> Submission:
    """The organisation's report for the period (a draft with the computed figures filled),
    or the one it already has: one per organisation, template and period."""
    ensure_can_act_for(user, organisation)
    if template.period_kind != period.kind:
        raise _err("period", _("Mẫu báo cáo này dành cho kỳ khác."))
    if former_unit is not None and former_unit.organisation_id != organisation.pk:
        raise _err("former_unit", _("Đơn vị cũ này không thuộc đơn vị đã chọn."))
    existing = Submission.objects.filter(
        template=template, period=period, organisation=organisation, former_unit=former_unit
    ).first()
    if existing is not None:
        return existing
    if period.closed:
        raise _err("period", _("Kỳ báo cáo %(p)s đã khóa, không nhận báo cáo.") % {"p": period})
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                template=template, period=period, organisation=organisation,
                former_unit=former_unit,
            )  # fmt: skip
    except IntegrityError:  # opened at the same moment by a colleague: theirs is ours
        return Submission.objects.get(
            template=template, period=period, organisation=organisation, former_unit=former_unit
        )
    SubmissionValue.objects.bulk_create(
        [SubmissionValue(submission=submission, indicator=i) for i in template.indicators.all()]
    )
    _fill_computed(submission)
    _event(submission, user, "open")
    return submission


def _editable(submission: Submission) -> None:
    if submission.status == SubmissionStatus.APPROVED:
        raise _err("status", _("Báo cáo đã được duyệt và khóa, không sửa được."))
    if submission.status == SubmissionStatus.SUBMITTED:
        raise _err("status", _("Báo cáo đã nộp, đang chờ duyệt; không sửa được."))
    if submission.period.closed:
        raise _err(
            "period", _("Kỳ báo cáo %(p)s đã khóa, không nhận báo cáo.") % {"p": submission.period}
        )


def _number(raw: Any, title: str) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(str(raw).replace(",", ".").replace(" ", ""))
    except ValueError as exc:
        raise ValidationError(_("“%(t)s”: phải là một số.") % {"t": title}) from exc
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError(_("“%(t)s”: phải là một số.") % {"t": title})
    return value


@transaction.atomic
def submission_save(
    *,
    user: User,
    submission: Submission,
    values: dict[str, Any],
    reasons: dict[str, str] | None = None,
    notes: str | None = None,
) -> Submission:
    """Entered figures by indicator key; a computed figure that differs from the platform's
    needs a reason in `reasons` (else it is refused, with every problem listed at once)."""
    ensure_can_act_for(user, submission.organisation)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _editable(submission)
    reasons = reasons or {}
    errors: dict[str, list[str]] = {}
    rows = {v.indicator.key: v for v in submission.values.select_related("indicator")}
    for key in values:
        if key not in rows:
            errors.setdefault(key, []).append(_("Không có chỉ tiêu này trong mẫu báo cáo."))
    changes: list[SubmissionValue] = []
    for key, row in rows.items():
        if key not in values:
            continue
        try:
            number = _number(values[key], row.indicator.title)
        except ValidationError as exc:
            errors.setdefault(key, []).extend(exc.messages)
            continue
        if number is not None and number < 0:
            errors.setdefault(key, []).append(_("Không được là số âm."))
            continue
        if row.indicator.kind == IndicatorKind.COMPUTED:
            reason = (reasons.get(key) or "").strip()
            if number == row.computed_value or (number is None and row.computed_value is None):
                row.value, row.override_reason = row.computed_value, ""
            elif not reason:
                errors.setdefault(key, []).append(
                    _("“%(t)s” do nền tảng tính (%(v)s); muốn sửa phải ghi lý do.")
                    % {"t": row.indicator.title, "v": row.computed_value}
                )
                continue
            else:
                row.value, row.override_reason = number, reason
        else:
            row.value = number
        changes.append(row)
    if errors:
        raise ValidationError(errors)
    for row in changes:
        row.save()
    if notes is not None:
        submission.notes = notes
        submission.save()
    _event(submission, user, "save")
    return submission


@transaction.atomic
def submission_submit(*, user: User, submission: Submission) -> Submission:
    ensure_can_act_for(user, submission.organisation)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status == SubmissionStatus.SUBMITTED:
        raise _err("status", _("Báo cáo đã được nộp rồi, đang chờ duyệt."))
    _editable(submission)
    missing = [
        v.indicator.title
        for v in submission.values.select_related("indicator")
        if v.indicator.kind == IndicatorKind.ENTERED and v.value is None
    ]
    if missing:
        raise _err("values", _("Chưa nhập: %(list)s.") % {"list": "; ".join(missing)})
    _fill_computed(submission)
    submission.status = SubmissionStatus.SUBMITTED
    submission.version += 1
    submission.submitted_at = timezone.now()
    submission.submitted_by = user
    submission.save()
    _event(submission, user, "submit")
    return submission


@transaction.atomic
def submission_review(
    *, user: User, submission: Submission, approve: bool, comment: str = ""
) -> Submission:
    if not can_review(user):
        raise PermissionDenied(_("Chỉ cơ quan trung ương được duyệt báo cáo định kỳ."))
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise _err("status", _("Chỉ duyệt hoặc trả lại được báo cáo đang chờ duyệt."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise _err("comment", _("Cần ghi ý kiến khi trả lại báo cáo."))
    submission.status = SubmissionStatus.APPROVED if approve else SubmissionStatus.RETURNED
    submission.review_comment = comment
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = user
    submission.save()
    _event(submission, user, "approve" if approve else "return", comment)
    url = f"/dieu-phoi/bao-cao/{submission.pk}/"
    text = (
        _("Báo cáo đã được duyệt: %(s)s") % {"s": submission}
        if approve
        else _("Báo cáo bị trả lại: %(s)s — %(c)s") % {"s": submission, "c": comment}
    )
    notify([submission.submitted_by, *organisation_officers(submission.organisation)],
           kind=f"report_{'approved' if approve else 'returned'}", text=text, url=url)  # fmt: skip
    if approve:
        announce(REPORT_APPROVED, {"submission_id": submission.pk})
    return submission
