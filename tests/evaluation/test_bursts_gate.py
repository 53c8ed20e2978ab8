"""Gate: burst detection against the key dates of the ML-Crisis human timelines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ttdn.evaluation._common import shared_data_dir
from ttdn.evaluation.bursts import evaluate

FLOORS = Path(__file__).resolve().parents[2] / "src" / "ttdn" / "evaluation" / "floors.json"


@pytest.mark.eval
def test_bursts_hold_their_floors_against_timeline_key_dates() -> None:
    data = shared_data_dir()
    if not (data / "ml_crisis_multilingual_timelines" / "reference_timelines").is_dir():
        pytest.skip(f"shared labelled data not found at {data} (set TTDN_SHARED_DATA)")
    result = evaluate(data)
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["bursts"]
    for metric, floor in floors.items():
        assert result[metric] >= floor, (metric, result[metric], floor)
    assert set(result["topics"]) == {"egypt", "libya", "syria", "yemen"}
    # Better than picking days at random, in every window.
    for n in (0, 1, 2, 3):
        assert result[f"precision_pm{n}"] > result[f"chance_precision_pm{n}"]
