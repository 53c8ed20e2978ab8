"""Where a requested report runs: on the embedded worker thread when `ttdn run` has one."""

from __future__ import annotations

import time

import pytest

from ttdn.reports.models import PeriodicReport, ReportStatus
from ttdn.reports.services import report_request
from ttdn.runtime import EmbeddedWorker

pytestmark = pytest.mark.django_db(transaction=True)


def test_report_runs_on_the_embedded_worker(world, analyst, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    worker = EmbeddedWorker()
    monkeypatch.setattr("ttdn.runtime.worker", worker)
    threads = worker.start()
    try:
        report = report_request(user=analyst, kind="annual", organisation=None, year=2025)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if report.status in (ReportStatus.DONE, ReportStatus.FAILED):
                break
            time.sleep(0.2)
    finally:
        worker.stop()
        for thread in threads:
            thread.join(timeout=5)
    assert report.status == ReportStatus.DONE, report.error
    assert worker.completed == 1  # it went through the worker's queue, not a thread of its own
    assert PeriodicReport.objects.count() == 1
