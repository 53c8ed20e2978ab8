"""Where a requested report runs: on the embedded runtime's report lane when `ttdn run` has
one, never on the pipeline thread that polls feeds and assigns stories."""

from __future__ import annotations

import threading
import time

import pytest

from tests.conftest import db_sessions_settle, other_db_sessions
from ttdn.reports import services
from ttdn.reports.models import PeriodicReport, ReportStatus
from ttdn.reports.services import report_request
from ttdn.runtime import EmbeddedWorker

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_finished(report: PeriodicReport, timeout_s: float = 60) -> None:
    """Poll the report until it is done or failed (or `timeout_s` passes)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in (ReportStatus.DONE, ReportStatus.FAILED):
            return
        time.sleep(0.2)


def test_report_runs_on_the_embedded_worker(world, analyst, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = other_db_sessions()
    worker = EmbeddedWorker()
    monkeypatch.setattr("ttdn.runtime.worker", worker)
    threads = worker.start()
    try:
        report = report_request(user=analyst, kind="annual", organisation=None, year=2025)
        _wait_finished(report)
    finally:
        worker.stop()
        for thread in threads:
            thread.join(timeout=5)
    assert report.status == ReportStatus.DONE, report.error
    assert worker.completed == 1  # it went through the worker's queue, not a thread of its own
    assert PeriodicReport.objects.count() == 1
    # the stopped threads closed their (persistent) database connections
    assert db_sessions_settle(before) <= before


def test_a_report_on_a_thread_of_its_own_closes_its_connection(world, analyst) -> None:  # type: ignore[no-untyped-def]
    """No embedded worker (a web process without one): the report gets a thread of its own,
    which must not leave its database connection open when it ends."""
    before = other_db_sessions()
    report = report_request(user=analyst, kind="annual", organisation=None, year=2025)
    _wait_finished(report)
    assert report.status == ReportStatus.DONE, report.error
    for thread in threading.enumerate():
        if thread.name == "ttdn-job-reports.generate":
            thread.join(timeout=10)
    assert db_sessions_settle(before) <= before


def test_a_long_report_does_not_hold_up_the_pipeline(world, analyst, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """While a requested report is still rendering (blocked here on an event the test
    holds), a pipeline job submitted after it runs to the end."""
    worker = EmbeddedWorker()
    monkeypatch.setattr("ttdn.runtime.worker", worker)
    rendering, release = threading.Event(), threading.Event()
    where: list[str] = []

    def blocked_generate(*, report_id: int) -> None:
        where.append(threading.current_thread().name)
        rendering.set()
        assert release.wait(30), "the test never released the report"

    monkeypatch.setattr(services, "report_generate", blocked_generate)
    threads = worker.start()
    try:
        report_request(user=analyst, kind="eval_10y", organisation=None, year=2025)
        assert rendering.wait(10), "the report never started"
        polled = threading.Event()
        worker.submit("monitor_poll_due", polled.set)
        assert polled.wait(10), "a pipeline job waited behind the report"
        assert worker.report_jobs.unfinished_tasks == 1  # while the report still renders
    finally:
        release.set()
        worker.stop()
        for thread in threads:
            thread.join(timeout=5)
    assert where == ["ttdn-reports"]


def test_celery_sends_reports_to_their_own_queue() -> None:
    from ttdn.celery import app

    router = app.amqp.router
    assert router.route({}, "reports.generate")["queue"].name == "reports"
    assert router.route({}, "reports.run_due")["queue"].name == "reports"
    assert router.route({}, "monitor.stories_assign")["queue"].name == "stories"
    assert router.route({}, "monitor.source_poll")["queue"].name == "celery"
