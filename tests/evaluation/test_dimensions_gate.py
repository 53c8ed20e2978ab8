"""Gate: nation-brand dimension tagging against DANeS topics and Dân trí sections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ttdn.evaluation._common import shared_data_dir
from ttdn.evaluation.dimensions import build_input, evaluate

FLOORS = Path(__file__).resolve().parents[2] / "src" / "ttdn" / "evaluation" / "floors.json"


@pytest.mark.eval
def test_dimension_tagging_holds_its_floors(tmp_path: Path) -> None:
    data = shared_data_dir()
    needed = [data / "danes_vi_news_sentiment", data / "vi_news_unc_dantri"]
    if not all(p.is_dir() for p in needed):
        pytest.skip(f"shared labelled data not found at {data} (set TTDN_SHARED_DATA)")
    dev = tmp_path / "dimensions_dev.jsonl"
    assert build_input(data, dev) >= 4000
    result = evaluate(dev)
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["dimensions"]
    for metric, floor in floors.items():
        assert result[metric] >= floor, (metric, result[metric], floor, result["per_dimension"])
    # Every dimension the labels can score is exercised, and no source is ignored.
    assert set(result["by_source"]) == {"danes", "dantri"}
    assert len(result["per_dimension"]) == 8
