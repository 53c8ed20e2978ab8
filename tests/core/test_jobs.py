"""One registry, one dispatcher, one schedule: jobs queued after commit, on the embedded
worker or inline, failures recorded (transient: retried with backoff honouring
retry_after; permanent or out of retries: quarantined), SQLite busy handled on purpose."""

from __future__ import annotations

import datetime as dt
import re
import threading
from pathlib import Path

import pytest
from django.db import OperationalError, transaction
from django.utils import timezone

from tests.conftest import login
from ttdn.core import jobs
from ttdn.core.models import FailureStatus, JobFailure
from ttdn.pipeline.errors import RefusedURLError, TransientError
from ttdn.runtime import REPORTS, EmbeddedWorker

SRC = Path(__file__).resolve().parents[2] / "src" / "ttdn"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("registry")
def test_dispatch_waits_for_the_commit_and_forgets_a_rollback() -> None:
    ran: list[int] = []

    @jobs.job("tests.record")
    def record(*, n: int) -> None:
        ran.append(n)

    with transaction.atomic():
        jobs.dispatch("tests.record", n=1)
        assert ran == []
    assert ran == [1]
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.dispatch("tests.record", n=2)
        raise RuntimeError
    assert ran == [1]


@pytest.mark.usefixtures("registry")
def test_unknown_jobs_lanes_and_arguments_are_refused() -> None:
    with pytest.raises(LookupError, match="no job named"):
        jobs.dispatch("tests.nothing")
    with pytest.raises(ValueError, match="unknown lane"):
        jobs.job("tests.x", lane="celery")
    jobs.job("tests.x")(lambda **kw: None)
    with pytest.raises(TypeError, match="plain JSON"):
        jobs.dispatch("tests.x", when=object())

    def other(**kw: object) -> None: ...

    with pytest.raises(ValueError, match="registered twice"):
        jobs.job("tests.x")(other)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("registry")
def test_a_dispatched_job_runs_on_the_running_embedded_worker(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    where: list[str] = []
    done = threading.Event()

    @jobs.job("tests.where", lane=jobs.REPORTS)
    def here() -> None:
        where.append(threading.current_thread().name)
        done.set()

    worker = EmbeddedWorker()
    monkeypatch.setattr("ttdn.runtime.worker", worker)
    threads = worker.start()
    try:
        jobs.dispatch("tests.where")
        assert done.wait(30)
    finally:
        worker.stop()
        for thread in threads:
            thread.join(timeout=5)
    assert where == ["ttdn-reports"]


def test_both_modes_run_the_same_schedule() -> None:
    worker = jobs.embedded_schedule(EmbeddedWorker())
    embedded = {job.name: job.interval_s for job in worker.periodic}
    beat = {name: entry["schedule"] for name, entry in jobs.celery_app().conf.beat_schedule.items()}
    assert embedded == beat
    assert {"monitor.poll_due", "monitor.websub", "monitor.stories_assign"} <= set(beat)
    assert {"alerts.retry_failed", "reports.run_due", "core.sessions_clear"} <= set(beat)
    assert {"core.failures_retry"} <= set(beat)
    assert next(j for j in worker.periodic if j.name == "reports.run_due").lane == REPORTS


def test_celery_tasks_carry_each_jobs_time_limit_and_queue() -> None:
    app = jobs.celery_app()
    for name, spec in jobs.jobs_registered().items():
        task = app.tasks[name]
        assert task.time_limit == spec.time_limit_s
        assert app.amqp.router.route({}, name)["queue"].name == jobs.QUEUES[spec.lane]


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize(
    ("error", "attempt", "status", "at_least_s"),
    [
        (TransientError("slow down", reason="http_429", retry_after=900), 1, "retrying", 900),
        (TransientError("timeout", reason="timeout"), 2, "retrying", jobs.BACKOFF_S * 2),
        (OperationalError("database is locked"), 1, "retrying", jobs.BACKOFF_S),
        (RefusedURLError("private address", reason="refused_address"), 1, "quarantined", None),
        (TransientError("still down", reason="timeout"), 3, "quarantined", None),  # out of retries
    ],
)
def test_a_failure_is_retried_with_backoff_or_quarantined(
    error: Exception, attempt: int, status: str, at_least_s: float | None
) -> None:
    @jobs.job("tests.fails", max_retries=2)
    def fails(*, item: int) -> None:
        raise error

    before = timezone.now()
    assert jobs.execute("tests.fails", {"item": 5}, attempt=attempt) is False
    failure = JobFailure.objects.get()
    assert failure.status == status and failure.attempts == attempt
    assert failure.kwargs == {"item": 5}
    assert failure.reason == getattr(error, "reason", type(error).__name__)
    if at_least_s is None:
        assert failure.next_attempt_at is None
    else:
        assert failure.next_attempt_at is not None
        assert failure.next_attempt_at >= before + dt.timedelta(seconds=at_least_s)


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
def test_an_administrator_requeues_a_quarantined_job(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    outcome = {"fail": True}
    ran: list[int] = []

    @jobs.job("tests.once")
    def once(*, item: int) -> None:
        if outcome["fail"]:
            raise RefusedURLError("refused", reason="refused_address")
        ran.append(item)

    jobs.execute("tests.once", {"item": 3})
    failure = JobFailure.objects.get(status=FailureStatus.QUARANTINED)
    assert jobs.failures_retry_due(now=timezone.now() + dt.timedelta(days=1)) == 0
    outcome["fail"] = False  # the cause was fixed
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.failure_requeue(failure.pk)
    assert ran == [3] and not JobFailure.objects.exists()


def test_busy_writes_are_tried_again_then_raised() -> None:
    calls = {"n": 0}

    def busy_twice() -> str:
        calls["n"] += 1
        if calls["n"] < 3:
            raise OperationalError("database is locked")
        return "written"

    assert jobs.busy_retry(busy_twice, first_wait_s=0.001) == "written"
    assert calls["n"] == 3

    def broken() -> None:
        raise OperationalError("no such table: x")

    with pytest.raises(OperationalError, match="no such table"):
        jobs.busy_retry(broken, first_wait_s=0.001)

    def always_busy() -> None:
        raise OperationalError("database table is locked")

    calls["n"] = 0

    def always_busy_counted() -> None:
        calls["n"] += 1
        always_busy()

    with pytest.raises(OperationalError, match="locked"):
        jobs.busy_retry(always_busy_counted, attempts=3, first_wait_s=0.001)
    assert calls["n"] == 3  # gives up instead of waiting forever


def test_only_the_core_decides_where_jobs_run() -> None:
    """No module outside ttdn.core.jobs reads the Celery switch or the embedded worker."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path == SRC / "core" / "jobs.py" or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "CELERY_TASK_ALWAYS_EAGER" in text and path != SRC / "settings.py":
            offenders.append(str(path))
        if re.search(r"runtime\.worker\b|from ttdn\.runtime import [^\n]*\bworker\b", text):
            offenders.append(str(path))
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
def test_a_failing_periodic_job_is_stored_and_shown_until_it_succeeds(client, administrator):  # type: ignore[no-untyped-def]  # noqa: E501
    outcome = {"fail": True}

    @jobs.job("tests.every_minute", every_s=60)
    def every_minute() -> None:
        if outcome["fail"]:
            raise TransientError("feed host down", reason="timeout")

    run = jobs._periodic_body("tests.every_minute")  # what both schedules call
    assert run() is False and run() is False
    failure = JobFailure.objects.get()  # one row per periodic job, not one per run
    assert (failure.name, failure.status, failure.reason) == (
        "tests.every_minute",
        FailureStatus.PERIODIC,
        "timeout",
    )
    assert failure.attempts == 2 and "feed host down" in failure.error
    # its schedule is its retry: the retry job leaves it alone
    assert jobs.failures_retry_due(now=timezone.now() + dt.timedelta(days=1)) == 0
    page = login(client, administrator).get("/theo-doi/tinh-trang/").content.decode()
    assert "tests.every_minute" in page and "Định kỳ, đang lỗi" in page
    outcome["fail"] = False
    assert run() is True
    assert not JobFailure.objects.exists()  # recovered: gone from the health page
