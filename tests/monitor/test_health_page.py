"""The health page (`/theo-doi/tinh-trang/`) says what happened, in both modes.

Issue 10, finding 17: scaled out, the story consumer is another worker, so the poll that
queued the articles stored none itself and its fetch showed "0 new reports" although every
item became a report. Each report is now counted to the fetch that queued it by whoever
stores it. And a source held by a dead worker's lock was invisible: the page now lists every
locked source with its holder, since when, the lease's expiry, and whether it is stuck.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from lxml import html

from tests.conftest import login
from tests.monitor.conftest import Site, article_html, rss
from ttdn.core import jobs
from ttdn.core.processes import owner
from ttdn.monitor.models import FetchLog, PendingArticle, Report, Source
from ttdn.monitor.runtime import MonitorRuntime
from ttdn.monitor.services import source_add, source_poll
from ttdn.monitor.stories_consumer import pending_assign

pytestmark = pytest.mark.django_db

PATHS = ["/a/1", "/a/2", "/a/3"]


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> MonitorRuntime:
    monkeypatch.setenv("TTDN_EMBEDDER", "hashing")
    return MonitorRuntime()


def _source(site: Site) -> Source:
    for n, path in enumerate(PATHS):
        site.add(path, article_html(f"Vietnam story {n}", [f"Officials in Hà Nội said {n}."]))
    feed = site.add(
        "/feed.xml",
        rss([(f"Vietnam story {n}", site.base_url + p, "x") for n, p in enumerate(PATHS)]),
        content_type="application/rss+xml",
    )
    return source_add(name="Example outlet", feed_url=feed, allow_private=True)


def _table(client: Client, table_id: str) -> list[list[str]]:
    page = html.fromstring(client.get("/theo-doi/tinh-trang/").content)
    return [
        [" ".join(cell.text_content().split()) for cell in row.xpath("./td")]
        for row in page.xpath(f'//table[@id="{table_id}"]/tbody/tr')
    ]


def test_embedded_a_fetch_counts_the_reports_it_stored(
    site: Site, runtime: MonitorRuntime, administrator: Any
) -> None:
    source = _source(site)
    assert source_poll(source_id=source.pk, runtime=runtime)["reports_created"] == 3
    assert FetchLog.objects.get().reports_created == 3
    (row,) = _table(login(Client(), administrator), "fetch-logs")
    assert row[1] == "Example outlet" and row[3] == "3" and row[4] == "3", row


def test_scaled_out_a_fetch_counts_the_reports_the_consumer_stored(
    site: Site, runtime: MonitorRuntime, administrator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as on a Celery fetch worker: the story consumer is another process, reached by a message
    sent: list[str] = []
    monkeypatch.setattr(jobs, "runs_here", lambda: False)
    monkeypatch.setattr(jobs, "dispatch", lambda name, **kwargs: sent.append(name))
    source = _source(site)
    assert source_poll(source_id=source.pk, runtime=runtime)["reports_created"] == 0
    assert "monitor.stories_assign" in sent
    assert PendingArticle.objects.count() == 3 and not Report.objects.exists()
    log = FetchLog.objects.get()
    assert log.items_seen == 3 and log.reports_created == 0  # nothing stored yet: right
    # the consumer's worker stores them (pending_assign is what its stories_assign job runs)
    assert pending_assign(runtime=MonitorRuntime())["reports_created"] == 3
    assert Report.objects.count() == 3
    assert FetchLog.objects.get().reports_created == 3
    (row,) = _table(login(Client(), administrator), "fetch-logs")
    assert row[4] == "3", row
    # a redelivered poll of the same feed stores nothing new and says so
    source_poll(source_id=source.pk, runtime=runtime)
    assert sorted(FetchLog.objects.values_list("reports_created", flat=True)) == [0, 3]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=60)
    return proc.pid


def test_the_health_page_shows_each_locked_source_and_whether_it_is_stuck(
    administrator: Any,
) -> None:
    now = timezone.now()
    polling = source_add(name="Polling now", feed_url="https://a.example.org/feed")
    dead = source_add(name="Dead local worker", feed_url="https://b.example.org/feed")
    remote = source_add(name="Dead remote worker", feed_url="https://c.example.org/feed")
    source_add(name="Idle", feed_url="https://d.example.org/feed")
    host = owner().split(":")[0]
    since = now - dt.timedelta(seconds=95)
    Source.objects.filter(pk=polling.pk).update(
        locked_by=owner(), locked_at=since, locked_until=now + dt.timedelta(seconds=100)
    )
    Source.objects.filter(pk=dead.pk).update(
        locked_by=f"{host}:{_dead_pid()}:0123abcd",
        locked_at=since,
        locked_until=now + dt.timedelta(seconds=100),
    )
    Source.objects.filter(pk=remote.pk).update(
        locked_by="worker-7.example.internal:4242:deadbeef",
        locked_at=since,
        locked_until=now - dt.timedelta(seconds=5),
    )
    client = login(Client(), administrator)
    rows = {row[0]: row for row in _table(client, "source-locks")}
    assert set(rows) == {"Polling now", "Dead local worker", "Dead remote worker"}
    assert rows["Polling now"][1] == owner() and rows["Polling now"][4] == "Đang thu thập"
    assert rows["Polling now"][2].startswith(timezone.localtime(since).strftime("%Y-%m-%d %H:%M"))
    held = re.search(r"\((\d+) s\)", rows["Polling now"][2])
    assert held and 95 <= int(held.group(1)) < 95 + 600  # held since, by the page's clock
    assert rows["Dead local worker"][4].startswith("Kẹt: tiến trình giữ khóa đã dừng")
    assert rows["Dead remote worker"][1] == "worker-7.example.internal:4242:deadbeef"
    assert rows["Dead remote worker"][4].startswith("Kẹt: khóa đã hết hạn")
    expiry = timezone.localtime(now - dt.timedelta(seconds=5)).strftime("%Y-%m-%d %H:%M:%S")
    assert rows["Dead remote worker"][3] == expiry
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = {row[0]: row[4] for row in _table(client, "source-locks")}
    assert english["Dead remote worker"].startswith("Stuck: the lease ran out")


def test_a_lock_records_when_it_was_taken_and_a_renewal_keeps_it(
    settings: Any,
) -> None:
    from ttdn.monitor import leases

    settings.TTDN_SOURCE_LOCK_SECONDS = 7  # TTDN_SOURCE_LOCK_SECONDS: the lease is configurable
    source = source_add(name="Held", feed_url="https://e.example.org/feed")
    assert leases.source_lock(source.pk)
    held = Source.objects.get(pk=source.pk)
    assert held.locked_at is not None and held.locked_until is not None
    assert held.locked_until - held.locked_at == dt.timedelta(seconds=7)
    assert leases.source_lock_renew(source.pk)
    assert Source.objects.get(pk=source.pk).locked_at == held.locked_at
    leases.source_unlock(held)
    assert Source.objects.get(pk=source.pk).locked_at is None


def test_a_bad_lock_lease_stops_start_up_with_one_line(tmp_path: Any) -> None:
    import os

    env = {**os.environ, "TTDN_DATA_DIR": str(tmp_path), "TTDN_SOURCE_LOCK_SECONDS": "2m"}
    result = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "migrate"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "TTDN_SOURCE_LOCK_SECONDS must be a whole number of seconds" in result.stderr
