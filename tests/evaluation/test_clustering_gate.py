"""Gate: the online story clusterer on ECB+ (topics 1-30) and same-story decisions on pairs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ttdn.evaluation import build_pairs_dev, clustering, pairs

FLOORS = Path(__file__).resolve().parents[2] / "src" / "ttdn" / "evaluation" / "floors.json"


def _shared_data() -> Path:
    env = os.environ.get("TTDN_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared" / "data"


def _floors(kind: str) -> dict[str, float]:
    return json.loads(FLOORS.read_text(encoding="utf-8"))[kind]


@pytest.mark.eval
def test_online_clustering_holds_its_floor_and_beats_the_batch_baseline() -> None:
    ecb = _shared_data() / "ecbplus_event_clusters" / "ecbplus_dev.jsonl"
    if not ecb.exists():
        pytest.skip(f"shared labelled data not found at {ecb} (set TTDN_SHARED_DATA)")
    result = clustering.evaluate(str(ecb))
    floors = _floors("clustering")
    assert result["docs"] == 663
    assert result["bcubed_f1"] >= floors["bcubed_f1"], result
    assert result["bcubed_f1"] > result["baseline"]["bcubed_f1"], result


@pytest.mark.eval
def test_same_story_decisions_hold_their_floors(tmp_path: Path) -> None:
    data = _shared_data()
    if not (data / "ecbplus_event_clusters").is_dir():
        pytest.skip(f"shared labelled data not found at {data} (set TTDN_SHARED_DATA)")
    path = tmp_path / "pairs.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for row in build_pairs_dev.build(data):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    result = pairs.evaluate(str(path))
    floors = _floors("pairs")
    assert result["accuracy"] >= floors["accuracy"], result
    assert -result["pearson"] >= floors["neg_pearson"], result
    assert result["cross_lingual_accuracy"] >= floors["cross_lingual_accuracy"], result
