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
its retry. See docs/decisions/0014-background-jobs-and-events.md.
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
from django.db import OperationalError, connections, transaction
from django.utils import timezone

from ttdn import runtime
from ttdn.core.models import FailureStatus, JobFailure

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


def _check_json(name: str, kwargs: dict[str, Any]) -> None:
    try:
        json.dumps(kwargs)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"job {name!r}: arguments must be plain JSON values ({exc})") from None


def dispatch(name: str, **kwargs: Any) -> None:
    """Queue job `name` once the current transaction commits (at once outside one)."""
    spec = job_get(name)
    _check_json(name, kwargs)
    transaction.on_commit(lambda: send(spec.name, kwargs), robust=True)


def send(name: str, kwargs: dict[str, Any], *, attempt: int = 1) -> None:
    """Hand the job to where it runs now (no transaction hook; see `dispatch`)."""
    spec = job_get(name)
    if scaled_out():
        celery_app().send_task(
            name, kwargs={**kwargs, "_attempt": attempt}, queue=QUEUES[spec.lane]
        )
        return

    def body() -> None:
        execute(name, kwargs, attempt=attempt)

    worker = runtime.worker
    if worker.is_running():
        worker.submit(name, body, lane=_EMBEDDED_LANES[spec.lane])
    elif spec.lane == REPORTS:
        threading.Thread(target=_own_thread(body), name=f"ttdn-job-{name}", daemon=True).start()
    else:
        body()


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
        return True
    except Exception as exc:  # noqa: BLE001 - every failure is recorded; the caller goes on
        logger.exception("job %s failed (attempt %s)", name, attempt)
        failure_record(spec, kwargs, exc, attempt=attempt)
        return False


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
    """Record a failed run: retrying (with its next attempt) or quarantined."""
    if spec.every_s:
        return None  # the schedule runs it again; logged by `execute`
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


def failure_park(name: str, exc: BaseException, **kwargs: Any) -> JobFailure | None:
    """Record a failure of work done inside a larger job (one feed item of a poll) as a
    failed run of job `name` with `kwargs`: retried later by that job, or quarantined,
    exactly like a job of its own that failed."""
    spec = job_get(name)
    _check_json(name, kwargs)
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
        claimed, _ = busy_retry(
            lambda f=failure: JobFailure.objects.filter(  # type: ignore[misc]
                pk=f.pk, status=FailureStatus.RETRYING
            ).delete()
        )
        if claimed:
            send(failure.name, failure.kwargs, attempt=failure.attempts + 1)
            sent += 1
    return sent


def failure_requeue(failure_id: int) -> bool:
    """An administrator sends a failed (quarantined) job again, with a fresh retry budget."""
    failure = JobFailure.objects.filter(pk=failure_id).first()
    if failure is None or failure.name not in _registry:
        return False
    claimed, _ = JobFailure.objects.filter(pk=failure.pk).delete()
    if claimed:
        name, kwargs = failure.name, failure.kwargs
        transaction.on_commit(lambda: send(name, kwargs), robust=True)
    return bool(claimed)


# --------------------------------------------------------------------------- the two modes


def embedded_start(worker: runtime.EmbeddedWorker | None = None) -> runtime.EmbeddedWorker:
    """Put the schedule on the embedded worker and start it (`ttdn run`)."""
    worker = embedded_schedule(worker or runtime.worker)
    worker.start()
    return worker


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
