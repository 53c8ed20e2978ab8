"""The embedded runtime: web server, background worker and scheduler in one process.

Web requests are served by waitress threads. Background jobs run on one worker thread fed
by an in-process queue, and periodic jobs are enqueued by a scheduler thread; this keeps the
embedded default a single process with no broker. The multilingual embedding model must not
be used across fork(), and threads avoid fork entirely. Scaled out, the same task functions
run on Celery workers instead (see README, "Scaled out").
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

Job = Callable[[], object]


@dataclass
class PeriodicJob:
    name: str
    interval_s: float
    func: Job
    next_run: float = 0.0
    # set while queued or running, so a slow job is never queued twice
    pending: threading.Event = field(default_factory=threading.Event)


@dataclass
class EmbeddedWorker:
    """One worker thread plus a scheduler thread; jobs are plain callables."""

    periodic: list[PeriodicJob] = field(default_factory=list)
    jobs: queue.Queue[tuple[str, Job]] = field(default_factory=queue.Queue)
    stop_event: threading.Event = field(default_factory=threading.Event)
    completed: int = 0
    failed: int = 0

    def submit(self, name: str, func: Job) -> None:
        self.jobs.put((name, func))

    def every(self, name: str, interval_s: float, func: Job) -> None:
        self.periodic.append(PeriodicJob(name=name, interval_s=interval_s, func=func))

    def _work(self) -> None:
        from django.db import close_old_connections

        while not self.stop_event.is_set():
            try:
                name, func = self.jobs.get(timeout=0.5)
            except queue.Empty:
                continue
            close_old_connections()
            try:
                func()
                self.completed += 1
            except Exception:  # noqa: BLE001 - a failing job must not kill the worker thread
                self.failed += 1
                logger.exception("background job %s failed", name)
            finally:
                close_old_connections()
                self.jobs.task_done()

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
                    self.submit(job.name, self._periodic_body(job))
            self.stop_event.wait(0.5)

    def start(self) -> list[threading.Thread]:
        threads = [
            threading.Thread(target=self._work, name="ttdn-worker", daemon=True),
            threading.Thread(target=self._schedule, name="ttdn-scheduler", daemon=True),
        ]
        for thread in threads:
            thread.start()
        return threads

    def stop(self) -> None:
        self.stop_event.set()


worker = EmbeddedWorker()


WEB_THREADS = 8


def serve(*, host: str, port: int, with_worker: bool = True) -> None:
    """Serve the platform until interrupted."""
    from waitress import serve as waitress_serve

    from ttdn.monitor.stream import slot_limit
    from ttdn.wsgi import application

    if with_worker:
        from ttdn.jobs import register_periodic_jobs

        register_periodic_jobs(worker)
        worker.start()
        logger.info(
            "embedded worker and scheduler started (%d periodic jobs)", len(worker.periodic)
        )
    print(f"TTĐN Platform: http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    try:
        # live-page event streams each hold a thread for up to a minute: they get their own
        # threads on top of the 8 for pages, so open streams never starve ordinary requests
        waitress_serve(
            application, host=host, port=port, threads=WEB_THREADS + slot_limit(), ident="ttdn"
        )
    finally:
        worker.stop()
