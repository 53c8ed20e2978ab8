"""Gate: language identification on the development set built from the shared data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ttdn.evaluation import build_language_dev
from ttdn.evaluation._common import shared_data_dir
from ttdn.evaluation.language import evaluate

FLOORS = Path(__file__).resolve().parents[2] / "src" / "ttdn" / "evaluation" / "floors.json"


@pytest.mark.eval
def test_language_accuracy_holds_its_floor(tmp_path: Path) -> None:
    data = shared_data_dir()
    if not (data / "vi_news_unc_dantri").is_dir():
        pytest.skip(f"shared labelled data not found at {data} (set TTDN_SHARED_DATA)")
    dev = tmp_path / "language_dev.jsonl"
    counts = build_language_dev.build(data, dev)
    assert sum(counts.values()) >= 2000, counts
    result = evaluate(dev)
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["language"]
    for metric, floor in floors.items():
        assert result[metric] >= floor, (metric, result[metric], floor, result["confusions"])
