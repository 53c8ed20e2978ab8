"""`ttdn bench durable-queue [--limit N]`: what the durable embedded queue costs (issue 9).

Why: since the embedded worker writes each queued job down (`core.PendingJob`, inserted in
the transaction that queued it and deleted once it has run, so a crash loses no event),
every stored report pays about three inserts and three deletes: one per subscriber of
"report stored" that runs after commit (alerts, respond, portal). This measures that price
on the embedded default — the same worker threads as `ttdn run`, its own temporary SQLite
database in WAL mode, as users run it.

How: one real analysis of an article about no tracked country (no story, no model stage:
the cheapest report to store, so the queue's share is the largest it gets) is stored N
times under new URLs through the monitor's own `report_store_analysed`, with the app's real
subscribers, once with the queue durable and once with the rows switched off (jobs still
queued on the same worker, only not written down). Rounds alternate the two modes so that
a machine's changing load weighs on both. Per mode: stored reports/s counting until every
queued job has run, and the storing transactions alone; then the difference per job.

Since the app's subscribers name the reports they have work for (`subscribe(select=...)`),
a report about no tracked country, in a database with no alert rule, open claim or
published page, queues no job at all: the app's own subscribers would measure nothing.
The bench therefore adds three subscribers that do nothing (`bench.queue_*`, in this bench
process only), so what it measures is the queue's own price per job: the row inserted in
the storing transaction and deleted once the job has run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ttdn.benchmarks._site import bench_environment

ROUNDS = 3
WORLD_TEXT = (
    "The central bank of Norway kept its policy rate unchanged on Thursday, saying that "
    "inflation had eased but remained above target. Economists in Oslo expect a first cut "
    "in the spring, while the krone weakened slightly against the euro after the decision.\n"
    "The bank's governor told reporters that wage growth and energy prices would decide the "
    "pace of any easing, and that the outlook for the petroleum sector had improved."
)


BENCH_SUBSCRIBERS = ("bench.queue_a", "bench.queue_b", "bench.queue_c")


def _nothing(payload: dict[str, Any]) -> None:
    """A subscriber with no work of its own: what its job costs is the queue's."""


@contextmanager
def _rows(durable: bool, written: list[int]) -> Iterator[None]:
    """The queue with or without its rows; `written` counts the rows written. The bench's
    only switch: production always writes them on the embedded worker (`jobs._durable`)."""
    from ttdn.core import jobs

    durable_now, pending_write = jobs._durable, jobs._pending_write

    def counted(name: str, kwargs: dict[str, Any], attempt: int = 1) -> int:
        written.append(1)
        return pending_write(name, kwargs, attempt)

    jobs._pending_write = counted
    if not durable:
        jobs._durable = lambda: False
    try:
        yield
    finally:
        jobs._durable, jobs._pending_write = durable_now, pending_write


def _drained(worker: Any, timeout_s: float = 300.0) -> None:
    """Wait until the worker has run every job queued so far (never a fixed sleep)."""
    deadline = time.monotonic() + timeout_s
    while worker.jobs.unfinished_tasks and time.monotonic() < deadline:
        time.sleep(0.01)
    if worker.jobs.unfinished_tasks:
        raise RuntimeError("the embedded worker did not drain its queue in time")


def _round(store: Callable[[int], object], first: int, count: int, worker: Any) -> dict[str, float]:
    started = time.perf_counter()
    for i in range(first, first + count):
        store(i)
    stored = time.perf_counter()
    _drained(worker)
    done = time.perf_counter()
    return {"store_s": stored - started, "all_s": done - started}


def main(ns: argparse.Namespace) -> dict[str, Any]:
    per_round = ns.limit or 200
    bench_environment("ttdn-bench-queue-")
    from ttdn.core import jobs
    from ttdn.core.events import REPORT_STORED, subscribe, subscribers
    from ttdn.core.models import PendingJob
    from ttdn.monitor.models import Report
    from ttdn.monitor.runtime import runtime_get
    from ttdn.monitor.store import article_dated, report_store_analysed, url_hash
    from ttdn.pipeline.types import Article

    monitor = runtime_get()
    sample = Article(url="https://news.example.no/bank/0", title="Norway holds rates",
                     text=WORLD_TEXT)  # fmt: skip
    dated = article_dated(sample)
    assert dated is not None
    _article, published, estimated = dated
    with monitor.lock:
        analysis = monitor.analyser.analyse(sample, key=url_hash(sample.url),
                                            published=published.timestamp())  # fmt: skip
    if analysis.story_key:
        raise RuntimeError("the bench's article was taken for one about a tracked country")
    for name in BENCH_SUBSCRIBERS:
        subscribe(REPORT_STORED, name=name)(_nothing)
    after_commit = [s.name for s in subscribers(REPORT_STORED) if not s.in_transaction]

    def store(i: int) -> object:
        url = f"https://news.example.no/bank/{i + 1}"
        article = Article(url=url, title=f"Norway holds rates ({i})", text=WORLD_TEXT)
        with monitor.lock:
            return report_store_analysed(
                article=article, source=None, runtime=monitor, key=url_hash(url),
                published=published, estimated=estimated, analysis=analysis,
            )  # fmt: skip

    worker = jobs.embedded_worker()
    worker.start()
    try:
        store(-1)  # warm: first queries, the subscribers' imports
        _drained(worker)
        times: dict[str, list[dict[str, float]]] = {"durable": [], "no_rows": []}
        written: dict[str, list[int]] = {"durable": [], "no_rows": []}
        next_index = 0
        for _ in range(ROUNDS):
            for mode in ("durable", "no_rows"):
                with _rows(durable=mode == "durable", written=written[mode]):
                    times[mode].append(_round(store, next_index, per_round, worker))
                next_index += per_round
        left = PendingJob.objects.count()
    finally:
        worker.stop()
    stored = Report.objects.count()
    durable_reports = ROUNDS * per_round
    jobs_per_report = len(written["durable"]) // durable_reports if durable_reports else 0

    def summary(mode: str) -> dict[str, float]:
        all_s = statistics.median(t["all_s"] for t in times[mode])
        store_s = statistics.median(t["store_s"] for t in times[mode])
        return {
            "reports_per_s": round(per_round / all_s, 1),
            "ms_per_report": round(1000 * all_s / per_round, 3),
            "store_only_ms_per_report": round(1000 * store_s / per_round, 3),
        }

    durable, plain = summary("durable"), summary("no_rows")
    extra_ms = durable["ms_per_report"] - plain["ms_per_report"]
    extra_store_ms = durable["store_only_ms_per_report"] - plain["store_only_ms_per_report"]
    return {
        "reports_per_round": per_round,
        "rounds": ROUNDS,
        "reports_stored": stored,
        "jobs_per_report": jobs_per_report,
        "after_commit_subscribers": after_commit,
        "pending_rows_written": {mode: len(rows) for mode, rows in written.items()},
        "pending_rows_left": left,
        "durable": durable,
        "no_rows": plain,
        "queue_ms_per_report": round(extra_ms, 3),
        "queue_ms_per_job": round(extra_ms / jobs_per_report, 3) if jobs_per_report else None,
        "queue_ms_per_report_in_store_transaction": round(extra_store_ms, 3),
        "queue_share_of_report": round(extra_ms / durable["ms_per_report"], 3),
        "note": (
            "embedded worker, temporary SQLite (WAL); a report about no tracked country "
            "(the cheapest to store), with three subscribers that do nothing (the app's "
            "own select no such report); medians of the rounds; reports/s count until every "
            "queued job has run"
        ),
    }
