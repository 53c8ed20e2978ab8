"""`ttdn bench browser-latency` end to end on two stories: it runs and reports; no timing is
asserted (benchmarks measure, tests check behaviour)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_bench_browser_latency_reports_every_story(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k != "TTDN_DATABASE_URL"}
    environ["TTDN_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "bench", "browser-latency", "--limit", "2"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["items"] == 2 and result["appeared"] == 2 and result["missed"] == 0
    assert result["page_modes"] == ["stream"]  # pushed, not polled
    assert {"p50_s", "p95_s", "max_s", "waitress_threads"} <= set(result)
    assert result["p50_s"] <= result["p95_s"] <= result["max_s"]
