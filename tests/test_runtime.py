from __future__ import annotations

import threading
import time

from ttdn.runtime import EmbeddedWorker


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
