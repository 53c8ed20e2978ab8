from __future__ import annotations

import threading
import time

import pytest

from ttdn.runtime import REPORTS, EmbeddedWorker


def test_jobs_run_on_the_worker_thread_and_failures_do_not_stop_it() -> None:
    worker = EmbeddedWorker()
    seen: list[str] = []
    done = threading.Event()

    def boom() -> None:
        raise RuntimeError("job failed")

    worker.submit("boom", boom)
    worker.submit("record", lambda: seen.append(threading.current_thread().name))
    worker.submit("done", done.set)
    worker.start()
    try:
        assert done.wait(10)
        assert seen == ["ttdn-worker"]
        assert worker.failed == 1 and worker.completed == 2
    finally:
        worker.stop()


def test_a_slow_periodic_job_is_never_queued_twice() -> None:
    worker = EmbeddedWorker()
    running = 0
    overlaps = 0
    calls = 0
    release = threading.Event()

    def slow() -> None:
        nonlocal running, overlaps, calls
        running += 1
        calls += 1
        overlaps = max(overlaps, running)
        release.wait(2.0)
        running -= 1

    worker.every("slow", 0.01, slow)
    worker.start()
    try:
        time.sleep(1.5)  # the scheduler ticks ~3 times while the first call blocks
        assert worker.jobs.qsize() == 0
        release.set()
    finally:
        worker.stop()
    assert calls >= 1 and overlaps == 1


def test_a_blocked_report_job_does_not_block_the_pipeline_lane() -> None:
    """Reports have a lane of their own with a limit of one at a time: a second report waits
    for the first, pipeline jobs submitted afterwards do not."""
    worker = EmbeddedWorker()
    first_running, second_running = threading.Event(), threading.Event()
    release_first, release_second = threading.Event(), threading.Event()
    pipeline_done = threading.Event()
    names: list[str] = []

    def report(running: threading.Event, release: threading.Event) -> None:
        names.append(threading.current_thread().name)
        running.set()
        assert release.wait(30)

    worker.submit("report 1", lambda: report(first_running, release_first), lane=REPORTS)
    worker.submit("report 2", lambda: report(second_running, release_second), lane=REPORTS)
    worker.start()
    try:
        assert first_running.wait(10)
        worker.submit("poll", lambda: names.append(threading.current_thread().name))
        worker.submit("assign", pipeline_done.set)
        assert pipeline_done.wait(10), "pipeline jobs waited behind a report"
        assert not second_running.is_set()  # one report at a time
        release_first.set()
        assert second_running.wait(10)
        release_second.set()
        deadline = time.monotonic() + 10
        while worker.completed < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.completed == 4 and worker.failed == 0
        assert names == ["ttdn-reports", "ttdn-worker", "ttdn-reports"]
    finally:
        release_first.set()
        release_second.set()
        worker.stop()
    assert not worker.is_running()


def test_an_unknown_lane_is_refused() -> None:
    worker = EmbeddedWorker()
    with pytest.raises(ValueError):
        worker.submit("x", lambda: None, lane="celery")
    with pytest.raises(ValueError):
        worker.every("x", 1.0, lambda: None, lane="celery")
