"""Scheduled reports: each due schedule makes its report once, however often it is run."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from tests.conftest import login
from ttdn.core.jobs import embedded_schedule
from ttdn.reports.models import PeriodicReport, ReportSchedule, ReportStatus
from ttdn.reports.services import report_schedule_create, report_schedules_run_due
from ttdn.runtime import PIPELINE, REPORTS, EmbeddedWorker

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, h: int = 6) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=VN)


def test_due_schedule_runs_once(world, officer_lam_dong, organisations) -> None:  # type: ignore[no-untyped-def]
    schedule = report_schedule_create(
        user=officer_lam_dong,
        kind="six_month",
        organisation=organisations["lam-dong"],
        next_run_at=at(2025, 7, 1),
    )
    assert report_schedules_run_due(now=at(2025, 6, 30, 23)) == []  # not due yet
    made = report_schedules_run_due(now=at(2025, 7, 1, 7))
    assert len(made) == 1
    report = PeriodicReport.objects.get(pk=made[0])
    assert report.status == ReportStatus.DONE, report.error
    assert (report.period_start, report.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert report.schedule == schedule and report.organisation.slug == "lam-dong"
    # run again (a second scheduler, a retry): nothing more
    assert report_schedules_run_due(now=at(2025, 7, 1, 7)) == []
    assert report_schedules_run_due(now=at(2025, 12, 31, 23)) == []
    schedule.refresh_from_db()
    assert schedule.next_run_at == at(2026, 1, 1) and schedule.last_run_at is not None
    assert PeriodicReport.objects.count() == 1
    # and the database refuses a second report of the same schedule and period
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodicReport.objects.create(
            kind="six_month", organisation=report.organisation, schedule=schedule,
            period_start=report.period_start, period_end=report.period_end,
        )  # fmt: skip


def test_stale_claim_loses(world, analyst) -> None:  # type: ignore[no-untyped-def]
    """Two schedulers read the same due row; only the first UPDATE wins it."""
    schedule = report_schedule_create(
        user=analyst, kind="annual", organisation=None, next_run_at=at(2025, 1, 1)
    )
    stale = ReportSchedule.objects.get(pk=schedule.pk)
    assert len(report_schedules_run_due(now=at(2025, 1, 2))) == 1
    claimed = ReportSchedule.objects.filter(pk=stale.pk, next_run_at=stale.next_run_at).update(
        next_run_at=at(2026, 1, 1)
    )
    assert claimed == 0


def test_missed_runs_skip_to_the_future(world, analyst) -> None:  # type: ignore[no-untyped-def]
    schedule = report_schedule_create(
        user=analyst, kind="six_month", organisation=None, next_run_at=at(2024, 1, 1)
    )
    made = report_schedules_run_due(now=at(2025, 7, 1, 7))
    assert len(made) == 1  # one report (for the period the run was due for), not three
    report = PeriodicReport.objects.get(pk=made[0])
    assert (report.period_start, report.period_end) == (dt.date(2023, 7, 1), dt.date(2023, 12, 31))
    schedule.refresh_from_db()
    assert schedule.next_run_at == at(2026, 1, 1)


def test_schedule_rules(organisations, officer_lam_dong, analyst) -> None:  # type: ignore[no-untyped-def]
    default = report_schedule_create(
        user=analyst, kind="annual", organisation=organisations["ha-noi"]
    )
    today = timezone.localdate()
    assert default.next_run_at == at(today.year + 1, 1, 1)
    with pytest.raises(ValidationError):
        report_schedule_create(user=analyst, kind="custom", organisation=None)
    with pytest.raises(PermissionDenied):
        report_schedule_create(
            user=officer_lam_dong, kind="annual", organisation=organisations["ha-noi"]
        )
    with pytest.raises(PermissionDenied):  # national schedules are for central roles
        report_schedule_create(user=officer_lam_dong, kind="annual", organisation=None)


def test_schedule_pages(organisations, officer_lam_dong, analyst) -> None:  # type: ignore[no-untyped-def]
    client = login(Client(), officer_lam_dong)
    response = client.post(
        "/do-luong/bao-cao/lich/", {"kind": "six_month", "organisation": "lam-dong"}
    )
    assert response.status_code == 302
    schedule = ReportSchedule.objects.get()
    assert schedule.organisation.slug == "lam-dong" and schedule.created_by == officer_lam_dong
    other = report_schedule_create(user=analyst, kind="annual", organisation=organisations["hue"])
    # another organisation's schedule is not theirs to see or delete
    assert "Huế" not in client.get("/do-luong/bao-cao/").content.decode()
    assert client.post(f"/do-luong/bao-cao/lich/{other.pk}/xoa/").status_code == 404
    assert client.post(f"/do-luong/bao-cao/lich/{schedule.pk}/xoa/").status_code == 302
    assert list(ReportSchedule.objects.all()) == [other]


def test_embedded_scheduler_runs_reports() -> None:
    worker = EmbeddedWorker()
    embedded_schedule(worker)
    lanes = {job.name: job.lane for job in worker.periodic}
    # scheduled reports render on the report lane; the monitor keeps the pipeline lane
    assert lanes["reports.run_due"] == REPORTS
    assert lanes["monitor.poll_due"] == lanes["monitor.websub"] == PIPELINE
