"""Gate: the same-story decision across languages on the harder development pairs (same
crisis, same day vs. another event; ML-Crisis reference timelines en/es/fr/it and crisis
articles), per language pair (`build_pairs_dev.hard_crosslingual`, decision 0015)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ttdn.evaluation import build_pairs_dev, pairs
from ttdn.evaluation._common import shared_data_dir

FLOORS = Path(__file__).resolve().parents[2] / "src" / "ttdn" / "evaluation" / "floors.json"


@pytest.mark.eval
def test_hard_cross_lingual_decisions_hold_their_floor(tmp_path: Path) -> None:
    data = shared_data_dir()
    if not (data / "ml_crisis_multilingual_timelines" / "reference_timelines").is_dir():
        pytest.skip(f"ML-Crisis timelines not found under {data} (set TTDN_SHARED_DATA)")
    path = tmp_path / "hard.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for row in build_pairs_dev.hard_crosslingual(data):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    result = pairs.evaluate(str(path))
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["pairs_hard"]
    assert result["cross_lingual_pairs"] > 800, result
    assert result["cross_lingual_accuracy"] >= floors["cross_lingual_accuracy"], result
    for pair, scores in result["per_language_pair"].items():
        assert scores["accuracy"] >= floors["per_language_pair"], (pair, result)
