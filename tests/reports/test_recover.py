"""Nothing stays "running" or "queued" forever: a report whose process died is marked failed
with the reason (and may be retried or deleted), a queued one whose job was lost is handed
to the worker again, and a second copy of a job makes nothing twice."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import login
from ttdn.core.processes import STARTED_AT, owner
from ttdn.reports.models import PeriodicReport, ReportStatus
from ttdn.reports.services import (
    REPORT_TIME_LIMIT_S,
    report_generate,
    report_request,
    reports_recover,
)

pytestmark = pytest.mark.django_db
URL = "/do-luong/bao-cao/"


def _dead_owner() -> str:
    """The owner string of a process of this host that has ended."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    return f"{socket.gethostname()}:{child.stdout.strip()}:deadbeef"


def _queued(user, django_capture_on_commit_callbacks) -> PeriodicReport:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False):
        return report_request(
            user=user, kind="six_month", organisation=user.organisation, year=2025, half=1
        )


def test_a_report_whose_process_died_is_failed_and_can_be_retried(
    officer_lam_dong, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    report = _queued(officer_lam_dong, django_capture_on_commit_callbacks)
    PeriodicReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, worker=_dead_owner(), started_at=timezone.now()
    )
    client = login(Client(), officer_lam_dong)
    page = client.get(URL).content.decode()
    assert "Có vẻ bị treo" in page and "Thử lại" in page  # before the recovery job ran

    assert reports_recover() == {"failed": 1, "requeued": 0}
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "gián đoạn" in report.error
    assert "Thử lại" in client.get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(f"{URL}{report.pk}/thu-lai/").status_code == 302
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and report.worker == ""


def test_a_live_report_is_left_alone_until_its_time_limit(
    officer_lam_dong, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    report = _queued(officer_lam_dong, django_capture_on_commit_callbacks)
    PeriodicReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, worker=owner(), started_at=timezone.now()
    )
    assert reports_recover() == {"failed": 0, "requeued": 0}
    client = login(Client(), officer_lam_dong)
    client.post(f"{URL}{report.pk}/xoa/")  # refused: it is being made
    assert PeriodicReport.objects.filter(pk=report.pk).exists()

    later = timezone.now() + dt.timedelta(seconds=REPORT_TIME_LIMIT_S + 60)
    assert reports_recover(now=later) == {"failed": 1, "requeued": 0}
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED


def test_a_report_queued_before_a_restart_is_handed_over_again(
    officer_lam_dong, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    report = _queued(officer_lam_dong, django_capture_on_commit_callbacks)
    assert reports_recover() == {"failed": 0, "requeued": 0}  # queued by this process
    before_start = STARTED_AT - dt.timedelta(minutes=1)
    PeriodicReport.objects.filter(pk=report.pk).update(queued_at=before_start)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert reports_recover() == {"failed": 0, "requeued": 1}
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert report.queued_at is not None and report.queued_at > before_start
    assert reports_recover() == {"failed": 0, "requeued": 0}  # not again at once


def test_a_stuck_queued_report_can_be_deleted_and_its_job_then_does_nothing(
    officer_lam_dong, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    report = _queued(officer_lam_dong, django_capture_on_commit_callbacks)
    client = login(Client(), officer_lam_dong)
    assert client.post(f"{URL}{report.pk}/xoa/").status_code == 302
    assert not PeriodicReport.objects.filter(pk=report.pk).exists()
    assert report_generate(report_id=report.pk) is None


def test_a_second_copy_of_the_job_makes_nothing(
    officer_lam_dong, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    report = _queued(officer_lam_dong, django_capture_on_commit_callbacks)
    PeriodicReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, worker=owner(), started_at=timezone.now(), progress=40
    )
    again = report_generate(report_id=report.pk)
    assert again is not None and again.status == ReportStatus.RUNNING and again.progress == 40
