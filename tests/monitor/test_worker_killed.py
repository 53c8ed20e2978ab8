"""A poller killed mid-batch loses nothing and doubles nothing when polling resumes.

Runs the real `ttdn` command in subprocesses on its own SQLite file (no test database), with
a real HTTP server that serves each article slowly so the kill lands mid-batch.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.monitor.conftest import Site, article_html, rss

ITEMS = 12


def _ttdn(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ttdn.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,  # type: ignore[arg-type]
    )


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute(sql).fetchone()[0])


@pytest.mark.slow
def test_killed_poller_resumes_without_loss_or_duplicates(site: Site, tmp_path: Path) -> None:
    items = []
    for i in range(ITEMS):
        path = f"/story/{i}"
        title = f"Hội An lantern festival draws visitors, day {i}"
        body = [f"Visitors crowded the old town of Hội An in Vietnam on day {i} of the festival, "
                f"officials in Quảng Nam said, reporting {1000 + i} guests."] * 3  # fmt: skip
        site.add(path, article_html(title, body), delay=0.4)
        items.append((title, site.base_url + path, body[0]))
    feed_url = site.add("/feed.xml", rss(items), content_type="application/rss+xml")

    env = {k: v for k, v in os.environ.items() if k != "TTDN_DATABASE_URL"}
    # queue for the story consumer every 2 items, so the kill lands between batches
    env.update(TTDN_DATA_DIR=str(tmp_path), TTDN_EMBEDDER="hashing", TTDN_INGEST_BATCH="2")
    db = tmp_path / "ttdn.sqlite3"
    for args in (["migrate"], ["source-add", feed_url, "--name", "Slow", "--allow-private"]):
        proc = _ttdn(args, env)
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err

    poller = _ttdn(["poll", "--source", "1"], env, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if db.exists() and _count(db, "select count(*) from monitor_report") >= 3:
            break
        time.sleep(0.1)
    os.killpg(poller.pid, signal.SIGKILL)
    poller.wait(timeout=30)
    stored_at_kill = _count(db, "select count(*) from monitor_report")
    assert 3 <= stored_at_kill < ITEMS, "the kill must land mid-batch"

    resumed = _ttdn(["poll", "--source", "1"], env)
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert _count(db, "select count(*) from monitor_report") == ITEMS
    assert _count(db, "select count(distinct url_hash) from monitor_report") == ITEMS
    assert _count(db, "select count(*) from monitor_report where story_id is null") == 0
    assert _count(db, "select sum(report_count) from monitor_story") == ITEMS
    assert _count(db, "select count(*) from monitor_pendingarticle") == 0
