"""Gate: near-duplicate detection on the shared data (ECB+, ML-Crisis, synthetic Dân trí copies)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ttdn.evaluation import dedupe
from ttdn.evaluation._common import shared_data_dir

FLOORS = Path(__file__).resolve().parents[2] / "src" / "ttdn" / "evaluation" / "floors.json"


@pytest.mark.eval
def test_dedupe_holds_its_floors() -> None:
    data = shared_data_dir()
    if not (data / "ecbplus_event_clusters" / "ecbplus_dev.jsonl").exists():
        pytest.skip(f"shared labelled data not found at {data} (set TTDN_SHARED_DATA)")
    result = dedupe.evaluate(str(data))
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["dedupe"]
    for metric, floor in floors.items():
        section, _, name = metric.rpartition(".")
        value = result[section][name] if section else result[name]
        assert value >= floor, (metric, value, result)
