"""Writes for periodic reports: request one, generate it (the background job), schedule them.

How a report is made: `report_request` checks the role and the period, stores a queued
`PeriodicReport` and, once the transaction has committed, dispatches the job
"reports.generate" (`report_dispatch`; on the report lane: where that runs, embedded or on
Celery, is `ttdn.core.jobs`'s business).
`report_generate(report_id=…)` is idempotent: a report already done is left alone, any
other is (re)made from scratch, so a redelivered task doubles nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ttdn.accounts.models import Organisation, User
from ttdn.accounts.permissions import can_act_for, is_central
from ttdn.core import jobs
from ttdn.core.processes import STARTED_AT, owner, owner_is_dead

# modules, not names: tests (and operators debugging) replace a stage in its module
from ttdn.reports import pdf, selectors, xlsx
from ttdn.reports.models import PeriodicReport, ReportSchedule, ReportStatus
from ttdn.reports.periods import (
    EVALUATION_YEARS,
    SCHEDULABLE,
    ReportKind,
    next_boundary,
    period_before,
    period_label,
    period_resolve,
)

logger = logging.getLogger(__name__)

#: A report still running after this long was interrupted (the process died): it is marked
#: failed (`reports_recover`), and this is also the Celery time limit of its job.
REPORT_TIME_LIMIT_S = 1800
#: A report queued this long ago (or before this process started) whose job may have been
#: lost with a process is handed to the worker again; the claim in `report_generate` makes a
#: second copy of the job harmless.
REQUEUE_AFTER_S = 600
SCHEDULE_HOUR = 6  # scheduled reports are made at 06:00 local time on the first free day


def reports_dir() -> Path:
    """Where report files live: under the data dir, never under static or media."""
    path = Path(settings.DATA_DIR) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _ensure_can_report_for(user: User, organisation: Organisation | None) -> None:
    """National reports are for central roles; an organisation's, for those who may act for
    it (central roles, and a provincial officer for their own province)."""
    allowed = is_central(user) if organisation is None else can_act_for(user, organisation)
    if not allowed:
        raise PermissionDenied("You may not make reports for this organisation.")


def report_title(kind: str, organisation: Organisation | None, start: dt.date, end: dt.date) -> str:
    """ "Báo cáo 6 tháng đầu năm 2025 — Lâm Đồng", "Đánh giá 5 năm 2021–2025 — Toàn quốc"."""
    scope = organisation.name if organisation is not None else _("Toàn quốc")
    period = period_label(kind, start, end)
    if kind in EVALUATION_YEARS:
        what = _("Đánh giá %(n)s năm %(period)s") % {
            "n": EVALUATION_YEARS[ReportKind(kind)],
            "period": period,
        }
    elif kind == ReportKind.ANNUAL:
        what = _("Báo cáo năm %(y)s") % {"y": start.year}
    elif kind == ReportKind.CUSTOM:
        what = _("Báo cáo kỳ %(period)s") % {"period": period}
    else:
        what = _("Báo cáo %(period)s") % {"period": period}
    return f"{what} — {scope}"


def report_subtitle(organisation: Organisation | None, *, is_province: bool) -> str:
    if organisation is None:
        return _("Toàn quốc")
    if is_province:
        return _("Tỉnh, thành phố: %(name)s (gồm cả các đơn vị cũ đã sáp nhập)") % {
            "name": organisation.name
        }
    return _("Tổ chức: %(name)s (số liệu toàn quốc)") % {"name": organisation.name}


def report_request(
    *,
    user: User,
    kind: str,
    organisation: Organisation | None,
    year: int | None = None,
    half: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    language: str | None = None,
) -> PeriodicReport:
    """Queue a report; raises ValidationError (bad period) or PermissionDenied."""
    _ensure_can_report_for(user, organisation)
    start, end = period_resolve(
        kind,
        year=year,
        half=half,
        date_from=date_from,
        date_to=date_to,
        today=timezone.localdate(),
    )
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):  # the title is written in the report's language
        title = report_title(kind, organisation, start, end)
    with transaction.atomic():
        report = PeriodicReport.objects.create(
            kind=kind,
            organisation=organisation,
            period_start=start,
            period_end=end,
            language=language,
            title=title,
            requested_by=user,
        )
        report_dispatch(report.pk)
    return report


def report_dispatch(report_id: int) -> None:
    """Make the report in the background once the transaction commits: the
    "reports.generate" job, on the report lane (`ttdn.core.jobs`), never on the pipeline
    thread, so a long report does not hold up polling and story assignment."""
    PeriodicReport.objects.filter(pk=report_id).update(queued_at=timezone.now())
    jobs.dispatch("reports.generate", report_id=report_id)


def _progress(report_id: int, percent: int) -> None:
    # update(): no signals, so the audit log is not filled with progress ticks
    PeriodicReport.objects.filter(pk=report_id).update(progress=percent)


def _readable(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return _("Không tạo được báo cáo (%(kind)s: %(msg)s). Hãy thử lại hoặc báo quản trị viên.") % {
        "kind": type(exc).__name__,
        "msg": str(exc)[:300],
    }


def _report_fail(report: PeriodicReport, message: str) -> None:
    report.refresh_from_db()
    report.status, report.error = ReportStatus.FAILED, message
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "error", "finished_at"])


def report_generate(*, report_id: int) -> PeriodicReport | None:
    """Make the PDF and XLSX of a queued report (the background job); None when it was
    deleted meanwhile. Never raises for a problem of the report itself: it ends `failed`
    with a message the page shows."""
    report = PeriodicReport.objects.select_related("organisation").filter(pk=report_id).first()
    if report is None or report.status != ReportStatus.QUEUED:
        return report  # deleted, done, failed, or being made by another job: not again
    # claimed by one conditional UPDATE: of two copies of the job, one makes the report
    claimed = jobs.busy_retry(
        lambda: PeriodicReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
            status=ReportStatus.RUNNING,
            progress=1,
            error="",
            started_at=timezone.now(),
            worker=owner(),
        )
    )
    if not claimed:
        report.refresh_from_db()
        return report
    began = time.perf_counter()
    try:
        with translation.override(report.language):
            # checked again here: a schedule or an old queued row may hold a period that is
            # no longer valid, and that must end as a readable failure
            if report.period_end < report.period_start:
                raise ValidationError(_("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
            data = selectors.report_data_collect(report, progress=lambda p: _progress(report_id, p))
            title = report.title or report_title(
                report.kind, report.organisation, report.period_start, report.period_end
            )
            subtitle = report_subtitle(report.organisation, is_province=data.is_province)
            folder = reports_dir() / (
                report.organisation.slug if report.organisation else "toan-quoc"
            )
            folder.mkdir(parents=True, exist_ok=True)
            stem = f"{report.pk}-{slugify(report.kind)}-{report.period_start}-{report.period_end}"
            pdf_path, xlsx_path = folder / f"{stem}.pdf", folder / f"{stem}.xlsx"
            pages = pdf.render_pdf(data, title=title, subtitle=subtitle, path=pdf_path)
            _progress(report_id, 85)
            xlsx.render_xlsx(data, title=title, subtitle=subtitle, path=xlsx_path)
            _progress(report_id, 95)
    except Exception as exc:  # noqa: BLE001 - any failure becomes a readable status
        logger.exception("report %s failed", report_id)
        message = _readable(exc)
        # recorded even while SQLite is busy (another thread writing): a failure that is not
        # written would leave the report "running" until the recovery job finds it
        jobs.busy_retry(lambda: _report_fail(report, message))
        return report
    report.refresh_from_db()
    base = reports_dir()
    report.status, report.progress, report.error = ReportStatus.DONE, 100, ""
    report.pdf_file = str(pdf_path.relative_to(base))
    report.xlsx_file = str(xlsx_path.relative_to(base))
    report.pdf_bytes, report.xlsx_bytes = pdf_path.stat().st_size, xlsx_path.stat().st_size
    report.pages = pages
    report.render_seconds = round(time.perf_counter() - began, 3)
    report.finished_at = timezone.now()
    jobs.busy_retry(report.save)
    logger.info("report %s done: %s pages in %.2f s", report_id, pages, report.render_seconds)
    return report


def report_file_path(report: PeriodicReport, fmt: str) -> Path | None:
    """The file of a finished report, or None; never a path outside the reports dir."""
    name = report.pdf_file if fmt == "pdf" else report.xlsx_file if fmt == "xlsx" else ""
    if report.status != ReportStatus.DONE or not name:
        return None
    base = reports_dir().resolve()
    path = (base / name).resolve()
    if base not in path.parents or not path.is_file():
        return None
    return path


def report_is_stuck(report: PeriodicReport, now: dt.datetime | None = None) -> bool:
    """Running in a process that is gone or for longer than its time limit, or queued for
    long enough that its job may have been lost (a restart): the user may retry or delete
    it, and `reports_recover` does what it can by itself."""
    now = now or timezone.now()
    if report.status == ReportStatus.RUNNING:
        started = report.started_at or report.created_at
        return bool(report.worker and owner_is_dead(report.worker)) or (
            started < now - dt.timedelta(seconds=REPORT_TIME_LIMIT_S)
        )
    if report.status == ReportStatus.QUEUED:
        queued = report.queued_at or report.created_at
        # queued before this process started: in the embedded mode its job died with the
        # previous process; a second copy of a job that still exists is harmless (the claim)
        return queued < STARTED_AT or queued < now - dt.timedelta(seconds=REQUEUE_AFTER_S)
    return False


def report_retry(*, user: User, report: PeriodicReport) -> PeriodicReport:
    """Queue a failed or stuck report again (after the cause, e.g. a full disk, was fixed)."""
    _ensure_can_report_for(user, report.organisation)
    if report.status != ReportStatus.FAILED and not report_is_stuck(report):
        raise ValidationError(_("Chỉ thử lại được báo cáo bị lỗi hoặc bị treo."))
    with transaction.atomic():
        report.status, report.progress, report.error = ReportStatus.QUEUED, 0, ""
        report.finished_at, report.worker = None, ""
        report.save(update_fields=["status", "progress", "error", "finished_at", "worker"])
        report_dispatch(report.pk)
    return report


def report_delete(*, user: User, report: PeriodicReport) -> None:
    """Remove a report and its files; a report being made (running, in a live process) is
    left alone. A queued one may go: its job finds nothing to claim."""
    _ensure_can_report_for(user, report.organisation)
    if report.status == ReportStatus.RUNNING and not report_is_stuck(report):
        raise ValidationError(_("Báo cáo đang được tạo; hãy xóa sau khi xong."))
    for fmt in ("pdf", "xlsx"):
        path = report_file_path(report, fmt)
        if path is not None:
            path.unlink(missing_ok=True)
    report.delete()


def reports_recover(now: dt.datetime | None = None) -> dict[str, int]:
    """Nothing stays "running" or "queued" after its process died (the periodic
    "reports.recover" job; its first run is at start, in both modes): a running report
    whose process is gone or that ran past its time limit is marked failed with the reason
    (the user may retry it); a queued one whose job may have been lost is handed to the
    worker again."""
    now = now or timezone.now()
    counts = {"failed": 0, "requeued": 0}
    candidates = PeriodicReport.objects.filter(
        status__in=[ReportStatus.RUNNING, ReportStatus.QUEUED]
    )
    for report in candidates:
        if not report_is_stuck(report, now):
            continue
        if report.status == ReportStatus.RUNNING:
            message = _(
                "Việc tạo báo cáo bị gián đoạn (tiến trình dừng hoặc quá %(min)s phút). "
                "Hãy thử lại."
            ) % {"min": REPORT_TIME_LIMIT_S // 60}
            failed = jobs.busy_retry(
                lambda r=report, m=message: PeriodicReport.objects.filter(  # type: ignore[misc]
                    pk=r.pk, status=ReportStatus.RUNNING, worker=r.worker
                ).update(status=ReportStatus.FAILED, error=m, finished_at=now)
            )
            counts["failed"] += failed
        else:
            report_dispatch(report.pk)
            counts["requeued"] += 1
    return counts


# --- schedules --------------------------------------------------------------------------------


def _at_local(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(SCHEDULE_HOUR), tzinfo=timezone.get_current_timezone())


def report_schedule_create(
    *,
    user: User,
    kind: str,
    organisation: Organisation | None,
    next_run_at: dt.datetime | None = None,
    language: str | None = None,
) -> ReportSchedule:
    """Schedule a report of `kind`; the first run defaults to the end of the current period
    (e.g. 1 July 06:00 for a six-month report created in March)."""
    _ensure_can_report_for(user, organisation)
    if kind not in SCHEDULABLE:
        raise ValidationError({"kind": _("Loại báo cáo này không thể lập lịch tự động.")})
    if next_run_at is None:
        next_run_at = _at_local(next_boundary(kind, timezone.localdate()))
    schedule = ReportSchedule(
        kind=kind,
        organisation=organisation,
        next_run_at=next_run_at,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        created_by=user,
    )
    schedule.full_clean()
    schedule.save()
    return schedule


def report_schedule_delete(*, user: User, schedule: ReportSchedule) -> None:
    _ensure_can_report_for(user, schedule.organisation)
    schedule.delete()


def report_schedules_run_due(*, now: dt.datetime | None = None) -> list[int]:
    """Make the reports of every schedule that is due; returns the ids of reports made.

    Safe to run from several schedulers at once and to repeat: each schedule is claimed by
    one conditional UPDATE that moves `next_run_at` on (only one caller can win it), and a
    schedule has at most one report per period (a unique constraint)."""
    now = now or timezone.now()
    made: list[int] = []
    due = ReportSchedule.objects.filter(active=True, next_run_at__lte=now).select_related(
        "organisation"
    )
    for schedule in due:
        due_day = timezone.localtime(schedule.next_run_at).date()
        start, end = period_before(schedule.kind, due_day)
        following = next_boundary(schedule.kind, due_day)
        while _at_local(following) <= now:  # the machine was off: skip to the future
            following = next_boundary(schedule.kind, following)
        claimed = ReportSchedule.objects.filter(
            pk=schedule.pk, next_run_at=schedule.next_run_at, active=True
        ).update(next_run_at=_at_local(following), last_run_at=now)
        if not claimed:
            continue  # another scheduler took it
        try:
            with transaction.atomic(), translation.override(schedule.language):
                report = PeriodicReport.objects.create(
                    kind=schedule.kind,
                    organisation=schedule.organisation,
                    period_start=start,
                    period_end=end,
                    language=schedule.language,
                    title=report_title(schedule.kind, schedule.organisation, start, end),
                    schedule=schedule,
                    requested_by=schedule.created_by,
                )
        except IntegrityError:
            logger.info("schedule %s: report for %s–%s exists already", schedule.pk, start, end)
            continue
        report_generate(report_id=report.pk)
        made.append(report.pk)
    return made
