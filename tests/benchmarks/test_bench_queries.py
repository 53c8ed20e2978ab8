"""`ttdn bench queries` end to end on a tiny volume, in its own data directory."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def bench(data_dir: Path, limit: int, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "TTDN_DATABASE_URL"}
    environ.update(TTDN_DATA_DIR=str(data_dir), TTDN_BENCH_REPEAT="1", **env)
    return subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "bench", "queries", "--limit", str(limit)],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_bench_queries_generates_times_and_reuses(tmp_path: Path) -> None:
    first = bench(tmp_path, 400)
    assert first.returncode == 0, first.stderr[-2000:]
    result = json.loads(first.stdout)
    assert result["reports"] == 400 and 20 <= result["stories"] <= 80
    assert result["database"].startswith("sqlite")
    assert set(result) >= {"reports", "stories", "database", "p50_ms", "p95_ms", "queries"}
    assert {
        "overview",
        "overview_http_page",
        "overview_http_map",
        "volume_90d",
        "share_of_voice_90d",
        "search_common_first_page",
    } <= set(result["queries"])
    # the benchmark database is separate from the platform's own
    assert (tmp_path / "bench-queries" / "ttdn.sqlite3").exists()
    assert not (tmp_path / "ttdn.sqlite3").exists()
    # a different volume replaces the benchmark data
    second = bench(tmp_path, 250)
    assert second.returncode == 0, second.stderr[-2000:]
    assert json.loads(second.stdout)["reports"] == 250


def test_bench_refuses_a_database_with_real_data(tmp_path: Path) -> None:
    assert bench(tmp_path, 50).returncode == 0
    db = sqlite3.connect(tmp_path / "bench-queries" / "ttdn.sqlite3")
    # a copy of one row under a non-benchmark URL (column-agnostic, so schema changes in
    # monitor do not break this test)
    db.executescript(
        "CREATE TEMP TABLE one AS SELECT * FROM monitor_report LIMIT 1;"
        "UPDATE one SET id = id + 1000000, url = 'https://real.example/1', url_hash = 'real';"
        "INSERT INTO monitor_report SELECT * FROM one;"
    )
    db.commit()
    db.close()
    refused = bench(tmp_path, 50)
    assert refused.returncode != 0
    assert "not benchmark data" in refused.stderr
    allowed = bench(tmp_path, 50, TTDN_BENCH_ALLOW_EXISTING="1")
    assert allowed.returncode == 0, allowed.stderr[-2000:]
