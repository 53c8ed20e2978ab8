"""`ttdn bench durable-queue` end to end on a few reports: it runs, every stored report
wrote one queue row per subscriber that selected it (the bench's three do-nothing ones; the
switched-off mode none), and no row is left once the jobs have run. No timing is asserted
(benchmarks measure)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_bench_durable_queue_writes_and_clears_one_row_per_job(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "TTDN_DATABASE_URL"}
    environ["TTDN_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "bench", "durable-queue", "--limit", "4"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    rounds, per_round = result["rounds"], result["reports_per_round"]
    assert per_round == 4
    assert result["reports_stored"] == 1 + 2 * rounds * per_round  # and the warm-up report
    # the app's subscribers select no such report (no rule, claim or published page):
    # only the bench's three do-nothing subscribers queue a job, one row each
    assert result["jobs_per_report"] == 3
    assert {"bench.queue_a", "bench.queue_b", "bench.queue_c"} <= set(
        result["after_commit_subscribers"]
    )
    assert result["pending_rows_written"] == {
        "durable": rounds * per_round * result["jobs_per_report"],
        "no_rows": 0,
    }
    assert result["pending_rows_left"] == 0
    assert {"reports_per_s", "ms_per_report", "store_only_ms_per_report"} <= set(result["durable"])
