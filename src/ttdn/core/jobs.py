"""Background work, one way: one registry, one dispatcher, one schedule, both modes.

Each app declares its jobs in `<app>/jobs.py` (imported from its AppConfig.ready()):

    @job("reports.generate", lane=REPORTS, time_limit_s=600, max_retries=2)
    def report_generate_job(*, report_id: int) -> None: ...

A job takes keyword arguments of plain JSON values (ids, not objects): the same call goes
through a Celery message when scaled out. `dispatch(name, **kwargs)` queues it once the
current transaction commits (never when it rolls back). A job with `every_s` is periodic;
`schedule()` is the one list both the embedded scheduler and Celery beat are built from.

Where a job runs (this module is the only one that knows):
- scaled out (`TTDN_BROKER_URL` set, so `CELERY_TASK_ALWAYS_EAGER` is false): a Celery
  message on the lane's queue (`QUEUES`);
- the embedded worker of `ttdn run` (`ttdn.runtime.worker`) when it is running: its lane;
- otherwise (tests, the command line, a web process without a worker): a report-lane job
  on a thread of its own (a long report must not hold the caller), any other inline.

A job that raises has its failure recorded (`JobFailure`): a transient one (pipeline
`retryable` errors, SQLite busy/locked, any unexpected exception) is retried with
exponential backoff that waits at least the failure's `retry_after`, by the periodic
`core.failures_retry` job, in both modes; a permanent one, or one out of retries, is
quarantined for an administrator. A periodic job is not retried this way: its schedule is
its retry; while its scheduled runs fail it keeps one `periodic` row (failed runs in a row,
the last error), removed by its next success. See
docs/decisions/0014-background-jobs-and-events.md.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from celery import Celery
from django.conf import settings
from django.db import OperationalError, connections, models, transaction
from django.utils import timezone

from ttdn import runtime
from ttdn.core import processes
from ttdn.core.models import FailureStatus, JobFailure, PendingJob

logger = logging.getLogger(__name__)

PIPELINE = "pipeline"
REPORTS = "reports"
#: The single story consumer: the pipeline thread when embedded, a queue of its own (one
#: worker with --pool=solo) when scaled out.
STORIES = "stories"
#: The Celery queue of each lane.
QUEUES = {PIPELINE: "celery", REPORTS: "reports", STORIES: "stories"}
_EMBEDDED_LANES = {PIPELINE: runtime.PIPELINE, REPORTS: runtime.REPORTS, STORIES: runtime.PIPELINE}

#: Backoff of the first retry; doubled for each later one, capped at BACKOFF_MAX_S.
BACKOFF_S = 10.0
BACKOFF_MAX_S = 3600.0

F = TypeVar("F", bound=Callable[..., object])


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable[..., object]
    lane: str
    time_limit_s: int
    max_retries: int
    every_s: float | None


_registry: dict[str, JobSpec] = {}


def job(
    name: str,
    *,
    lane: str = PIPELINE,
    time_limit_s: int = 600,
    max_retries: int = 3,
    every_s: float | None = None,
) -> Callable[[F], F]:
    """Register `func(**kwargs)` as the job `name` (see the module docstring)."""
    if lane not in QUEUES:
        raise ValueError(f"unknown lane {lane!r} (one of {sorted(QUEUES)})")

    def register(func: F) -> F:
        existing = _registry.get(name)
        # the same function imported again (a reload) may re-register; another one never
        if existing is not None and _qualname(existing.func) != _qualname(func):
            raise ValueError(f"job {name!r} is registered twice")
        _registry[name] = JobSpec(name, func, lane, time_limit_s, max_retries, every_s)
        return func

    return register


def _qualname(func: Callable[..., object]) -> str:
    return f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', '')}"


def job_get(name: str) -> JobSpec:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"no job named {name!r} (is its app's jobs.py imported?)") from None


def jobs_registered() -> dict[str, JobSpec]:
    return dict(_registry)


def schedule() -> list[JobSpec]:
    """The periodic jobs: the one schedule of both modes."""
    return sorted((s for s in _registry.values() if s.every_s), key=lambda s: s.name)


def scaled_out() -> bool:
    """True when jobs go to Celery (a broker is configured)."""
    return not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True)


def runs_here() -> bool:
    """True when jobs run in this process (embedded, tests, the command line): a caller
    already on a worker may then do the work inline instead of queueing it."""
    return not scaled_out()


def check_json(name: str, kwargs: dict[str, Any]) -> None:
    """Raise TypeError unless `kwargs` are plain JSON values (what a Celery message carries)."""
    try:
        json.dumps(kwargs)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"job {name!r}: arguments must be plain JSON values ({exc})") from None


def dispatch(name: str, **kwargs: Any) -> None:
    """Queue job `name` once the current transaction commits (at once outside one).

    On the embedded worker the job is also written down (`PendingJob`) in the current
    transaction, so it commits with the fact that queued it and survives a crash."""
    spec = job_get(name)
    check_json(name, kwargs)
    pending_id = _pending_write(spec.name, kwargs) if _durable() else None
    transaction.on_commit(lambda: send(spec.name, kwargs, pending_id=pending_id), robust=True)


def _durable() -> bool:
    """Jobs go to the in-memory queues of this process's embedded worker."""
    return not scaled_out() and runtime.worker.is_running()


def _pending_write(name: str, kwargs: dict[str, Any], attempt: int = 1) -> int:
    return PendingJob.objects.create(
        name=name, kwargs=kwargs, attempt=attempt, owner=processes.owner()
    ).pk


def send(
    name: str, kwargs: dict[str, Any], *, attempt: int = 1, pending_id: int | None = None
) -> None:
    """Hand the job to where it runs now (no transaction hook; see `dispatch`).
    `pending_id`: its `PendingJob` row, deleted once it has run."""
    spec = job_get(name)
    if scaled_out():
        celery_app().send_task(
            name, kwargs={**kwargs, "_attempt": attempt}, queue=QUEUES[spec.lane]
        )
        return

    def body() -> None:
        try:
            execute(name, kwargs, attempt=attempt)
        finally:
            if pending_id is not None:
                _pending_done(pending_id)

    worker = runtime.worker
    if worker.is_running():
        worker.submit(name, body, lane=_EMBEDDED_LANES[spec.lane])
    elif spec.lane == REPORTS:
        threading.Thread(target=_own_thread(body), name=f"ttdn-job-{name}", daemon=True).start()
    else:
        body()


def _pending_done(pending_id: int) -> None:
    try:
        busy_retry(lambda: PendingJob.objects.filter(pk=pending_id).delete())
    except Exception:  # noqa: BLE001 - the job ran; at worst it runs again after a restart
        logger.exception("could not clear pending job %s", pending_id)


def pending_requeue() -> int:
    """Queue again, on this process's embedded worker, the jobs that a process now gone
    left queued or running (`PendingJob` rows); returns how many. Run at start. A job that
    was running when its process died runs again: handlers are idempotent (events.py)."""
    me = processes.owner()
    host = me.partition(":")[0]
    requeued = 0
    for row in PendingJob.objects.exclude(owner=me).order_by("pk"):
        other_host = row.owner.partition(":")[0] != host
        gone = processes.owner_is_dead(row.owner) or (
            # a single embedded process per database: one from another host (a container
            # recreated under a new name) that queued before we started is not coming back
            other_host and row.queued_at < processes.STARTED_AT
        )
        if not gone or row.name not in _registry:
            continue
        claimed = busy_retry(
            lambda r=row: PendingJob.objects.filter(pk=r.pk, owner=r.owner).update(owner=me)  # type: ignore[misc]
        )
        if claimed:
            send(row.name, row.kwargs, attempt=row.attempt, pending_id=row.pk)
            requeued += 1
    if requeued:
        logger.info("re-queued %d jobs left by a process that is gone", requeued)
    return requeued


def _own_thread(body: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            body()
        finally:
            # a persistent connection (CONN_MAX_AGE) would outlive this thread
            connections.close_all()

    return run


def execute(name: str, kwargs: dict[str, Any], *, attempt: int = 1) -> bool:
    """Run one job now; a failure is recorded (never raised). True when it succeeded."""
    spec = job_get(name)
    # no close_old_connections() here: inline, this is the caller's thread and connection
    # (maybe inside its transaction); the worker threads and Celery do it around each job
    try:
        spec.func(**kwargs)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded; the caller goes on
        logger.exception("job %s failed (attempt %s)", name, attempt)
        failure_record(spec, kwargs, exc, attempt=attempt)
        return False
    if spec.every_s:
        _periodic_recovered(spec.name)
    return True


# --------------------------------------------------------------------------- failures


def is_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" (SQLITE_BUSY, another connection writes) or "database
    table is locked" (SQLITE_LOCKED): the same write may succeed a moment later."""
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and ("locked" in text or "busy" in text)


def is_transient(exc: BaseException) -> bool:
    """Pipeline errors say so themselves (`retryable`); a busy database is transient; any
    other exception (a bug, a full disk) is retried too, then quarantined."""
    retryable = getattr(exc, "retryable", None)
    if retryable is not None:
        return bool(retryable)
    return True


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Seconds before retry number `attempt` (1 = the first retry): doubling from
    BACKOFF_S, capped, and never less than what the failure asked for."""
    delay = min(BACKOFF_S * 2 ** max(0, attempt - 1), BACKOFF_MAX_S)
    return max(delay, float(retry_after or 0.0))


T = TypeVar("T")


def busy_retry(write: Callable[[], T], *, attempts: int = 8, first_wait_s: float = 0.05) -> T:
    """Run `write`, again after a short wait while SQLite says the database is busy or
    locked (a writer on another thread holds it). The waits double: about 6 s in all, on top
    of the connection's own busy timeout; then the error is raised."""
    for n in range(attempts):
        try:
            return write()
        except OperationalError as exc:
            if not is_busy(exc) or n == attempts - 1:
                raise
            time.sleep(first_wait_s * 2**n)
    raise AssertionError("unreachable")


def failure_record(
    spec: JobSpec, kwargs: dict[str, Any], exc: BaseException, *, attempt: int
) -> JobFailure | None:
    """Record a failed run: retrying (with its next attempt) or quarantined; a periodic
    job's in its one `periodic` row."""
    if spec.every_s:
        return _periodic_failure_record(spec, exc)
    transient = is_transient(exc) or is_busy(exc)
    reason = str(getattr(exc, "reason", "") or type(exc).__name__)[:100]
    retries_left = transient and attempt <= spec.max_retries
    now = timezone.now()
    fields: dict[str, Any] = {
        "name": spec.name,
        "kwargs": kwargs,
        "reason": reason,
        "error": f"{type(exc).__name__}: {exc}"[:4000],
        "attempts": attempt,
    }
    if retries_left:
        delay = backoff(attempt, getattr(exc, "retry_after", None))
        fields |= {
            "status": FailureStatus.RETRYING,
            "next_attempt_at": now + dt.timedelta(seconds=delay),
        }
    else:
        fields |= {"status": FailureStatus.QUARANTINED, "next_attempt_at": None}
    try:
        return busy_retry(lambda: JobFailure.objects.create(**fields))
    except Exception:  # noqa: BLE001 - the log is then the only record; never hide the job's error
        logger.exception("could not record the failure of job %s %s", spec.name, kwargs)
        return None


# periodic jobs that have (or may have, after a restart: None) a `periodic` failure row;
# a success clears the row only then, so the runs every few seconds write nothing
_periodic_failing: set[str] | None = None
_periodic_lock = threading.Lock()


def _periodic_failure_record(spec: JobSpec, exc: BaseException) -> JobFailure | None:
    """Count one more failed run of a periodic job in its one row (made on the first)."""
    global _periodic_failing
    fields = {
        "reason": str(getattr(exc, "reason", "") or type(exc).__name__)[:100],
        "error": f"{type(exc).__name__}: {exc}"[:4000],
    }

    def write() -> JobFailure:
        with transaction.atomic():
            row = (
                JobFailure.objects.select_for_update()
                .filter(name=spec.name, status=FailureStatus.PERIODIC)
                .first()
            )
            if row is None:
                return JobFailure.objects.create(
                    name=spec.name, kwargs={}, status=FailureStatus.PERIODIC, **fields
                )
            JobFailure.objects.filter(pk=row.pk).update(
                attempts=models.F("attempts") + 1, last_failed_at=timezone.now(), **fields
            )
            row.refresh_from_db()
            return row

    try:
        row = busy_retry(write)
    except Exception:  # noqa: BLE001 - the log is then the only record; never hide the job's error
        logger.exception("could not record the failure of periodic job %s", spec.name)
        return None
    with _periodic_lock:
        if _periodic_failing is not None:
            _periodic_failing.add(spec.name)
    return row


def _periodic_recovered(name: str) -> None:
    """A periodic job succeeded: its `periodic` row, if any, goes (read once per process
    start, then only after a failure, so a healthy schedule writes nothing)."""
    global _periodic_failing
    try:
        with _periodic_lock:
            if _periodic_failing is None:
                _periodic_failing = set(
                    JobFailure.objects.filter(status=FailureStatus.PERIODIC).values_list(
                        "name", flat=True
                    )
                )
            if name not in _periodic_failing:
                return
        busy_retry(
            lambda: JobFailure.objects.filter(name=name, status=FailureStatus.PERIODIC).delete()
        )
        with _periodic_lock:
            _periodic_failing.discard(name)
    except Exception:  # noqa: BLE001 - the job did its work; the row stays until next time
        logger.exception("could not clear the failure of periodic job %s", name)


def failure_park(name: str, exc: BaseException, **kwargs: Any) -> JobFailure | None:
    """Record a failure of work done inside a larger job (one feed item of a poll) as a
    failed run of job `name` with `kwargs`: retried later by that job, or quarantined,
    exactly like a job of its own that failed."""
    spec = job_get(name)
    check_json(name, kwargs)
    return failure_record(spec, kwargs, exc, attempt=1)


def failures_retry_due(now: dt.datetime | None = None) -> int:
    """Send again every failed job whose backoff has passed; returns how many. A failure
    is claimed by deleting its row (one caller wins), and a new row is written if the next
    attempt fails too."""
    now = now or timezone.now()
    due = list(
        JobFailure.objects.filter(status=FailureStatus.RETRYING, next_attempt_at__lte=now).order_by(
            "next_attempt_at"
        )[:200]
    )
    sent = 0
    for failure in due:
        if failure.name not in _registry:
            JobFailure.objects.filter(pk=failure.pk).update(
                status=FailureStatus.QUARANTINED, reason="unknown_job", next_attempt_at=None
            )
            continue
        retry = failure.attempts + 1
        if _failure_resend(failure, attempt=retry, status=FailureStatus.RETRYING, now=True):
            sent += 1
    return sent


def _failure_resend(
    failure: JobFailure, *, attempt: int, status: str | None = None, now: bool = False
) -> bool:
    """Claim a failure by deleting its row (one caller wins) and send its job again (`now`,
    or once the caller's transaction commits); on the embedded worker its `PendingJob` row
    is written in the claiming transaction, so a crash between the two loses nothing."""
    durable = _durable()

    def claim() -> tuple[bool, int | None]:
        with transaction.atomic():
            rows = JobFailure.objects.filter(pk=failure.pk)
            if status is not None:
                rows = rows.filter(status=status)
            deleted, _ = rows.delete()
            if not deleted:
                return False, None
            pending = _pending_write(failure.name, failure.kwargs, attempt) if durable else None
            return True, pending

    claimed, pending_id = busy_retry(claim)
    if claimed:
        name, kwargs = failure.name, failure.kwargs
        if now:
            send(name, kwargs, attempt=attempt, pending_id=pending_id)
        else:
            transaction.on_commit(
                lambda: send(name, kwargs, attempt=attempt, pending_id=pending_id), robust=True
            )
    return claimed


def failure_requeue(failure_id: int) -> bool:
    """An administrator sends a failed (quarantined) job again, with a fresh retry budget."""
    failure = JobFailure.objects.filter(pk=failure_id).first()
    if failure is None or failure.name not in _registry:
        return False
    return _failure_resend(failure, attempt=1)


# --------------------------------------------------------------------------- the two modes


def embedded_start(worker: runtime.EmbeddedWorker | None = None) -> runtime.EmbeddedWorker:
    """Put the schedule on the embedded worker and start it (`ttdn run`)."""
    worker = embedded_schedule(worker or runtime.worker)
    worker.start()
    if worker is runtime.worker:
        try:
            pending_requeue()
        except Exception:  # noqa: BLE001 - e.g. not migrated yet; the worker runs regardless
            logger.exception("could not re-queue the jobs left by a previous process")
    return worker


def embedded_worker() -> runtime.EmbeddedWorker:
    """This process's embedded worker, bare: for a measurement that must start and stop it
    without the periodic schedule (`ttdn bench durable-queue`). Everything else queues work
    through `dispatch` and starts the worker with `embedded_start`, so that this module stays
    the one place that decides where jobs run."""
    return runtime.worker


def embedded_schedule(worker: runtime.EmbeddedWorker) -> runtime.EmbeddedWorker:
    """Put the one schedule on an embedded worker (not started)."""
    for spec in schedule():
        assert spec.every_s is not None
        worker.every(
            spec.name,
            spec.every_s,
            _periodic_body(spec.name),
            lane=_EMBEDDED_LANES[spec.lane],
        )
    return worker


def _periodic_body(name: str) -> Callable[[], object]:
    def body() -> object:
        return execute(name, {})

    return body


_celery: Celery | None = None
_celery_lock = threading.Lock()


def celery_app() -> Celery:
    """The Celery application of the scaled-out mode, with a task per registered job, its
    lane's queue, its time limit, and beat's schedule (the same `schedule()`)."""
    global _celery
    with _celery_lock:
        if _celery is None:
            _celery = _celery_build()
        return _celery


def _celery_build() -> Celery:
    app = Celery("ttdn")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        task_acks_late=True,  # a worker killed mid-task leaves the message for another
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        task_routes={name: {"queue": QUEUES[s.lane]} for name, s in _registry.items()},
        beat_schedule={s.name: {"task": s.name, "schedule": s.every_s} for s in schedule()},
    )
    for spec in _registry.values():
        app.task(
            name=spec.name,
            time_limit=spec.time_limit_s,
            soft_time_limit=max(1, int(spec.time_limit_s * 0.9)),
        )(_celery_body(spec.name))
    return app


def _celery_body(name: str) -> Callable[..., bool]:
    def run(**kwargs: Any) -> bool:
        attempt = int(kwargs.pop("_attempt", 1))
        return execute(name, kwargs, attempt=attempt)

    run.__name__ = run.__qualname__ = name.replace(".", "_")
    return run
