"""The embedded runtime: web server, background worker and scheduler in one process.

Web requests are served by waitress threads. Background jobs run on in-process queues, and
periodic jobs are enqueued by a scheduler thread; this keeps the embedded default a single
process with no broker. The multilingual embedding model must not be used across fork(),
and threads avoid fork entirely. Scaled out, the same jobs run on Celery workers instead
(see README, "Scaled out"). This module only runs callables: which jobs exist, their
schedule and where each one goes is `ttdn.core.jobs`, the only module that uses `worker`.

Two queues ("lanes"), each with its own threads:

- `PIPELINE`: one thread, `ttdn-worker` — feed polling, WebSub, story assignment, alert
  retries, housekeeping. One thread because the pipeline's stateful half (story assignment)
  must run in arrival order, and the embedding model serialises anyway.
- `REPORTS`: `report_threads` threads (default 1), `ttdn-reports` — periodic report
  rendering, on demand and scheduled. A ten-year evaluation computes for a while; on the
  pipeline thread it would hold every poll and story behind it, so the live monitor would
  stall for as long as a report renders. Its own lane keeps the monitor live, and its small
  limit keeps a burst of report requests from taking the machine's cores (the rest wait in
  the queue, shown as "queued" on the report page). Celery mode does the same with its
  `reports` queue (`ttdn.core.jobs.QUEUES`).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

Job = Callable[[], object]

PIPELINE = "pipeline"
REPORTS = "reports"
REPORT_THREADS = 1


@dataclass
class PeriodicJob:
    name: str
    interval_s: float
    func: Job
    lane: str = PIPELINE
    next_run: float = 0.0
    # set while queued or running, so a slow job is never queued twice
    pending: threading.Event = field(default_factory=threading.Event)


@dataclass
class EmbeddedWorker:
    """The pipeline worker thread, the report thread(s) and a scheduler thread; jobs are
    plain callables, submitted to a lane (see the module docstring for why two)."""

    periodic: list[PeriodicJob] = field(default_factory=list)
    jobs: queue.Queue[tuple[str, Job]] = field(default_factory=queue.Queue)  # PIPELINE
    report_jobs: queue.Queue[tuple[str, Job]] = field(default_factory=queue.Queue)  # REPORTS
    report_threads: int = REPORT_THREADS
    stop_event: threading.Event = field(default_factory=threading.Event)
    completed: int = 0
    failed: int = 0
    _threads: list[threading.Thread] = field(default_factory=list, repr=False)
    _count_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _queue(self, lane: str) -> queue.Queue[tuple[str, Job]]:
        if lane == PIPELINE:
            return self.jobs
        if lane == REPORTS:
            return self.report_jobs
        raise ValueError(f"unknown lane {lane!r}")

    def submit(self, name: str, func: Job, *, lane: str = PIPELINE) -> None:
        self._queue(lane).put((name, func))

    def every(self, name: str, interval_s: float, func: Job, *, lane: str = PIPELINE) -> None:
        self._queue(lane)  # an unknown lane fails here, not later in the scheduler thread
        self.periodic.append(PeriodicJob(name=name, interval_s=interval_s, func=func, lane=lane))

    def is_running(self) -> bool:
        """Started and not stopped: jobs submitted now will run."""
        return not self.stop_event.is_set() and any(t.is_alive() for t in self._threads)

    def _work(self, jobs: queue.Queue[tuple[str, Job]]) -> None:
        try:
            self._drain(jobs, close_old_connections)
        finally:
            # persistent connections (CONN_MAX_AGE) are kept between jobs, and a thread's
            # own would outlive the thread: close them when it stops
            connections.close_all()

    def _drain(self, jobs: queue.Queue[tuple[str, Job]], close_old: Callable[[], None]) -> None:
        while not self.stop_event.is_set():
            try:
                name, func = jobs.get(timeout=0.5)
            except queue.Empty:
                continue
            close_old()
            try:
                func()
                with self._count_lock:
                    self.completed += 1
            except Exception:  # noqa: BLE001 - a failing job must not kill the worker thread
                with self._count_lock:
                    self.failed += 1
                logger.exception("background job %s failed", name)
            finally:
                close_old()
                jobs.task_done()

    @staticmethod
    def _periodic_body(job: PeriodicJob) -> Job:
        def body() -> object:
            try:
                return job.func()
            finally:
                job.pending.clear()

        return body

    def _schedule(self) -> None:
        while not self.stop_event.is_set():
            now = time.monotonic()
            for job in self.periodic:
                if now >= job.next_run and not job.pending.is_set():
                    job.next_run = now + job.interval_s
                    job.pending.set()
                    self.submit(job.name, self._periodic_body(job), lane=job.lane)
            self.stop_event.wait(0.5)

    def start(self) -> list[threading.Thread]:
        threads = [
            threading.Thread(target=self._work, args=(self.jobs,), name="ttdn-worker", daemon=True),
            threading.Thread(target=self._schedule, name="ttdn-scheduler", daemon=True),
        ]
        for i in range(max(1, self.report_threads)):
            name = "ttdn-reports" if self.report_threads <= 1 else f"ttdn-reports-{i + 1}"
            threads.append(
                threading.Thread(
                    target=self._work, args=(self.report_jobs,), name=name, daemon=True
                )
            )
        for thread in threads:
            thread.start()
        self._threads.extend(threads)
        return threads

    def stop(self) -> None:
        self.stop_event.set()


worker = EmbeddedWorker()
