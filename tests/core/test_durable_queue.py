"""Embedded mode: jobs queued when the process is killed are not lost.

Reports are stored by a real child process whose embedded worker is running but busy, so the
event deliveries wait in its in-memory queue; the child is killed with SIGKILL; a new process
starts the embedded worker, which re-queues them from their `PendingJob` rows: each
subscriber gets each report exactly once. Own SQLite file, no test database.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

CHILD = Path(__file__).with_name("durable_child.py")
ROOT = Path(__file__).resolve().parents[2]
REPORTS = 3


def _child(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


@pytest.mark.slow
def test_deliveries_survive_a_kill_exactly_once_per_subscriber(tmp_path: Path) -> None:
    rows = [
        {
            "url": f"https://news.example.org/hoi-an-{i}",
            "title": f"Hội An lantern festival draws visitors, day {i}",
            "text": f"Visitors crowded the old town of Hội An in Vietnam on day {i} of the "
            f"festival, officials in Quảng Nam said, reporting {1000 + i} guests. " * 3,
            "published": "2026-12-01T08:00:00Z",
        }
        for i in range(REPORTS)
    ]
    jsonl = tmp_path / "reports.jsonl"
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    log = tmp_path / "deliveries.log"
    env = {k: v for k, v in os.environ.items() if k != "TTDN_DATABASE_URL"}
    pythonpath = [str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")]
    env.update(
        TTDN_DATA_DIR=str(tmp_path / "data"),
        TTDN_EMBEDDER="hashing",
        PYTHONPATH=os.pathsep.join(p for p in pythonpath if p),
    )
    migrate = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "migrate"], env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr

    store = _child(["store", str(jsonl), str(log)], env)
    try:
        assert store.stdout is not None
        line = store.stdout.readline()  # blocks until the reports are stored
        assert line.startswith("STORED"), store.stderr.read() if store.stderr else line
    finally:
        os.killpg(store.pid, signal.SIGKILL)
        store.wait(timeout=60)
    _, created, pending = line.split()
    assert int(created) == REPORTS
    assert int(pending) == 2 * REPORTS  # written with the reports, not yet delivered
    assert not log.exists()  # the kill landed before any delivery

    resume = _child(["resume", str(log), str(REPORTS)], env)
    try:
        out, err = resume.communicate(timeout=300)
    finally:
        if resume.poll() is None:
            os.killpg(resume.pid, signal.SIGKILL)
    assert resume.returncode == 0 and "DONE" in out, err[-3000:]

    with sqlite3.connect(tmp_path / "data" / "ttdn.sqlite3", timeout=30) as conn:
        report_ids = {r for (r,) in conn.execute("select id from monitor_report")}
        left = conn.execute("select count(*) from core_pendingjob").fetchone()[0]
    deliveries = Counter(log.read_text(encoding="utf-8").splitlines())
    expected = {
        f"{name} {rid}" for name in ("tests.durable_a", "tests.durable_b") for rid in report_ids
    }
    assert len(report_ids) == REPORTS
    assert set(deliveries) == expected and set(deliveries.values()) == {1}  # exactly once
    assert left == 0
