"""Scaled-out mode end to end: a real Redis broker, real Celery workers, a worker killed
mid-batch, and nothing lost or doubled.

Every piece is real and runs in its own process: `redis-server` on a free port of
127.0.0.1 (no persistence, in the test's tmp dir), `celery -A ttdn.celery worker
--pool=threads`, the `ttdn` command for migrate and source-add, and the `site` HTTP server
serving the feeds and (slowly) the article pages. All processes share one SQLite file in the
tmp data dir (TTDN_DATABASE_URL is dropped, so on the PostgreSQL CI run this test still uses
its own SQLite file and never touches the test database).

What recovers the killed worker's messages is acks_late redelivery, not a re-enqueue from
the test: with TTDN_BROKER_TRANSPORT_OPTIONS the test lowers Redis' visibility_timeout to
10 s and makes kombu sweep the unacked messages every second, so the second worker gets the
messages the first one held when it died. The test checks that none of them was acked (all
are still in Redis at the kill: unacked, or already put back on the queue), that the second
worker completes those very messages (same task ids), and that it took over the dead
worker's per-source locks instead of waiting for them to expire.
A poll here can outlast the 10 s visibility_timeout, so Redis may also hand out a second copy
of a message whose task is still running: that copy finds the source locked and returns, or
polls again after the first finished and stores nothing — the assertions hold either way.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.integration.processes import free_ports, rss, tail, wait_for
from tests.monitor.conftest import Site, article_html

pytestmark = pytest.mark.slow

SOURCES = 3
ITEMS_PER_SOURCE = 8
TOTAL = SOURCES * ITEMS_PER_SOURCE
ARTICLE_DELAY_S = 0.4  # per article page, so the kill lands mid-batch
KILL_AT_REPORTS = 4
QUEUE = "celery"
STORIES = "stories"  # the single story consumer's queue
TASK = "monitor.source_poll"
# Redis redelivers an unacked message after visibility_timeout; kombu looks for such messages
# every unacked_restore_interval × unacked_restore_throttle seconds (100 s by default).
TRANSPORT_OPTIONS = {
    "visibility_timeout": 10,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
RECEIVED = re.compile(re.escape(TASK) + r"\[([0-9a-f-]+)\] received")
SUCCEEDED = re.compile(re.escape(TASK) + r"\[([0-9a-f-]+)\] succeeded")
TOPICS = [
    ("Hội An lantern festival draws visitors", "Visitors crowded the old town of Hội An"),
    ("Mekong delta rice exports rise", "Farmers in Cần Thơ shipped more rice abroad"),
    ("Hà Nội opens new metro line", "Commuters in Hà Nội rode the new elevated line"),
    ("Đà Nẵng hosts international fireworks", "Teams from abroad lit the sky over Đà Nẵng"),
]


def _redis_module() -> Any:
    try:
        import redis
    except ImportError:  # pragma: no cover - a missing test dependency
        pytest.fail("the `redis` Python client is missing: pip install 'redis>=6.4,<7'")
    return redis


def _no_task_error(log: Path) -> None:
    """Fail at once, with the traceback, when a worker reports that a task raised."""
    output = log.read_text(errors="replace") if log.exists() else ""
    at = output.find("raised unexpected")
    if at >= 0:
        pytest.fail(f"a task failed in {log.name}:\n{output[max(0, at - 300) : at + 4000]}")


def _unacked(broker: Any, task: str) -> int:
    """Messages of `task` that Redis holds as delivered but not acknowledged."""
    count = 0
    for raw in broker.hvals("unacked"):
        message = json.loads(raw)[0]
        count += message.get("headers", {}).get("task") == task
    return count


def _queued(broker: Any, queue: str, task: str) -> int:
    """Messages of `task` waiting in `queue` (the queue also carries other jobs, e.g. the
    deliveries of "report stored" events to their subscribers, which are not polls)."""
    return sum(
        json.loads(raw).get("headers", {}).get("task") == task
        for raw in broker.lrange(queue, 0, -1)
    )


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A real redis-server on a free port of 127.0.0.1, stopped at teardown."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        pytest.fail("redis-server is not installed (Debian package `redis-server`)")
    redis = _redis_module()
    workdir = tmp_path / "redis"
    workdir.mkdir()
    log = workdir / "redis.log"
    for _attempt in range(3):  # the port may be taken between the probe and redis' bind
        port = free_ports(1)[0]
        with log.open("ab") as output:  # the child keeps its own copy of the descriptor
            proc = subprocess.Popen(
                [
                    binary,
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(workdir),
                    "--daemonize",
                    "no",
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if client.ping():
                    break
            except redis.ConnectionError:
                time.sleep(0.05)
        if proc.poll() is None:
            break
        client.close()
    else:
        pytest.fail(f"redis-server did not start\n{tail(log)}")
    try:
        assert client.ping(), f"redis-server does not answer\n{tail(log)}"
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


class Workers:
    """Celery worker processes, each in its own process group; all stopped at teardown."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.running: list[subprocess.Popen[bytes]] = []

    def start(
        self, name: str, queue: str = QUEUE, pool: str = "threads"
    ) -> tuple[subprocess.Popen[bytes], Path]:
        log = self.logs / f"{name}.log"
        with log.open("ab") as output:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "ttdn.celery",
                    "worker",
                    f"--pool={pool}",
                    "--concurrency=2",
                    "-Q",
                    queue,
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-n",
                    f"{name}@%h",
                    "-l",
                    "info",
                ],
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.running.append(proc)

        def ready() -> bool:
            if proc.poll() is not None:
                pytest.fail(f"worker {name} exited with {proc.returncode}\n{tail(log)}")
            return log.exists() and " ready." in log.read_text(errors="replace")

        wait_for(f"worker {name} to be ready", ready, 60, lambda: tail(log))
        return proc, log

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker's whole process group: no cleanup, no acks, no unlock."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        for proc in self.running:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=15)
                except ProcessLookupError:
                    pass


def _ttdn(args: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # migrate takes minutes on a busy shared machine
    )
    assert proc.returncode == 0, f"ttdn {' '.join(args)} failed:\n{proc.stderr[-3000:]}"
    return proc.stdout


def _scalar(db: Path, sql: str, params: tuple[object, ...] = ()) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db, timeout=30) as conn:
        value = conn.execute(sql, params).fetchone()[0]
    return int(value or 0)


def _serve_sources(site: Site) -> list[str]:
    """SOURCES feeds of ITEMS_PER_SOURCE slow article pages each; returns the feed URLs."""
    now = datetime.now(UTC).replace(microsecond=0)
    feeds = []
    for s in range(SOURCES):
        items = []
        for i in range(ITEMS_PER_SOURCE):
            headline, lead = TOPICS[(s + i) % len(TOPICS)]
            title = f"{headline} (outlet {s}, report {i})"
            text = (
                f"{lead} on Sunday, officials in Vietnam said, counting {1000 + 37 * i + s} "
                f"people. Outlet {s} filed report {i} from its correspondent."
            )
            path = f"/s{s}/article/{i}"
            site.add(path, article_html(title, [text] * 3), delay=ARTICLE_DELAY_S)
            items.append((title, site.base_url + path, text, now - timedelta(minutes=5 * i)))
        feeds.append(site.add(f"/s{s}/feed.xml", rss(items), content_type="application/rss+xml"))
    return feeds


def test_killed_celery_worker_loses_and_doubles_nothing(
    site: Site, redis_url: str, tmp_path: Path
) -> None:
    from celery import Celery

    redis = _redis_module()
    broker = redis.Redis.from_url(redis_url)
    data = tmp_path / "data"
    data.mkdir()
    db = data / "ttdn.sqlite3"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"TTDN_DATABASE_URL", "TTDN_BROKER_TRANSPORT_OPTIONS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ttdn.settings",
        TTDN_DATA_DIR=str(data),
        TTDN_EMBEDDER="hashing",
        TTDN_BROKER_URL=redis_url,
        TTDN_BROKER_TRANSPORT_OPTIONS=json.dumps(TRANSPORT_OPTIONS),
        TTDN_INGEST_BATCH="2",  # queue for the story consumer every 2 items: kill mid-source
        PYTHONUNBUFFERED="1",
    )

    _ttdn(["migrate"], env)
    source_ids = []
    for n, feed_url in enumerate(_serve_sources(site)):
        out = _ttdn(["source-add", feed_url, "--name", f"Outlet {n}", "--allow-private"], env)
        source_ids.append(int(json.loads(out.strip().splitlines()[-1])["source"]))

    def reports() -> int:
        return _scalar(db, "select count(*) from monitor_report")

    def pending() -> int:
        return _scalar(db, "select count(*) from monitor_pendingarticle")

    def locked() -> int:
        return _scalar(
            db,
            "select count(*) from monitor_source where locked_until is not null or locked_by != ''",
        )

    workers = Workers(env, tmp_path)
    client = Celery("ttdn-test-client", broker=redis_url)
    client.conf.broker_connection_retry_on_startup = True
    try:
        consumer, consumer_log = workers.start("c1", queue=STORIES, pool="solo")
        first, first_log = workers.start("w1")
        for source_id in source_ids:
            client.send_task(TASK, kwargs={"source_id": source_id}, queue=QUEUE)

        def kill_point() -> bool:
            _no_task_error(first_log)
            _no_task_error(consumer_log)
            return reports() >= KILL_AT_REPORTS

        wait_for(
            f"the first worker to store {KILL_AT_REPORTS} reports",
            kill_point,
            60,
            lambda: f"reports: {reports()}\n{tail(first_log)}\n{tail(consumer_log)}",
        )
        workers.kill(first)
        workers.kill(consumer)  # the story consumer dies too, maybe mid-transaction
        # Let the site finish the requests the dead worker left: each ends in a BrokenPipe
        # traceback printed from a server thread, and on Python 3.11.7 that printing (which
        # calls ast.parse) racing pytest's own ast.parse of a failing assertion crashes the
        # report with "AST constructor recursion depth mismatch" (fixed in 3.11.8).
        time.sleep(2 * ARTICLE_DELAY_S)
        stored_at_kill = reports()
        in_redis_at_kill = _unacked(broker, TASK) + _queued(broker, QUEUE, TASK)
        locked_at_kill = locked()
        first_output = first_log.read_text(errors="replace")
        finished_by_dead = set(SUCCEEDED.findall(first_output))
        held_by_dead = set(RECEIVED.findall(first_output)) - finished_by_dead
        assert KILL_AT_REPORTS <= stored_at_kill < TOTAL, (
            f"the kill must land mid-batch: {stored_at_kill} of {TOTAL} stored"
        )
        assert held_by_dead, "the killed worker must have died holding messages"
        # acks_late: nothing unfinished was acked, so every such message is still in Redis —
        # unacked, or already put back on the queue when it outlived the visibility timeout.
        assert in_redis_at_kill == SOURCES - len(finished_by_dead), (
            f"{in_redis_at_kill} messages left in Redis; expected "
            f"{SOURCES - len(finished_by_dead)} (acks_late must keep unfinished ones)"
        )
        assert locked_at_kill >= 1, "the killed worker must have died holding a source lock"

        second, second_log = workers.start("w2")
        _, second_consumer_log = workers.start("c2", queue=STORIES, pool="solo")

        def settled() -> bool:
            _no_task_error(second_log)
            _no_task_error(second_consumer_log)
            return (
                reports() == TOTAL
                and pending() == 0
                and locked() == 0
                and broker.llen(QUEUE) == 0
                and broker.llen(STORIES) == 0
                and broker.hlen("unacked") == 0
            )

        wait_for(
            "the second worker to finish every source (redelivered after visibility_timeout)",
            settled,
            60,
            lambda: (
                f"reports: {reports()}/{TOTAL}, locked sources: {locked()}, "
                f"pending: {pending()}, queued: {broker.llen(QUEUE)}/{broker.llen(STORIES)}, "
                f"unacked: {broker.hlen('unacked')}\n"
                f"{tail(first_log)}\n{tail(second_log)}\n{tail(second_consumer_log)}"
            ),
        )
        # The very messages the dead worker held were redelivered (same task ids) and done.
        done_by_second = set(SUCCEEDED.findall(second_log.read_text(errors="replace")))
        assert held_by_dead <= done_by_second, (
            f"not redelivered: {held_by_dead - done_by_second}\n{tail(second_log)}"
        )
    finally:
        workers.stop_all()
        client.close()
        broker.close()

    # Every item is exactly one report …
    assert reports() == TOTAL
    assert _scalar(db, "select count(distinct url_hash) from monitor_report") == TOTAL
    for source_id in source_ids:
        per_source = _scalar(
            db, "select count(*) from monitor_report where source_id = ?", (source_id,)
        )
        assert per_source == ITEMS_PER_SOURCE, f"source {source_id}: {per_source} reports"
    # … in exactly one story, whose counters agree with its reports …
    assert _scalar(db, "select count(*) from monitor_report where story_id is null") == 0
    assert _scalar(db, "select sum(report_count) from monitor_story") == TOTAL
    assert (
        _scalar(
            db,
            "select count(*) from monitor_story s where s.report_count != "
            "(select count(*) from monitor_report r where r.story_id = s.id)",
        )
        == 0
    ), "a story's report_count disagrees with its reports"
    # … no source stays locked, the dead worker's locks were taken over (not waited out), and
    # every feed finished with its validators saved.
    assert locked() == 0
    assert (
        _scalar(
            db,
            "select sum(count) from monitor_stagecounter "
            "where reason = 'lock_taken_over_from_dead_worker'",
        )
        >= 1
    ), "the second worker must take over the dead worker's per-source lock"
    assert _scalar(db, "select count(*) from monitor_feed where last_fetched_at is null") == 0
