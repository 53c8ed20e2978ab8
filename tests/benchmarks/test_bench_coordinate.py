"""`ttdn bench coordinate` end to end on a tiny volume (2 tasks per plan), in its own data
directory: it prints the JSON the issue asks for, with every page answered."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_bench_coordinate_prints_p95_organisations_years() -> None:
    environ = {k: v for k, v in os.environ.items() if k not in ("TTDN_DATABASE_URL",)}
    done = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "bench", "coordinate", "--limit", "2"],
        env=environ, capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in result, result
    assert (result["organisations"], result["years"]) == (34, 10)
    assert result["tasks"] == 34 * 10 * 2 and result["submissions"] == 34 * 10 * 3
    assert result["p95_ms"] > 0
    assert set(result["pages_p95_ms"]) == {"board", "board_this_year", "rollup_six_month",
                                           "rollup_annual"}  # fmt: skip
