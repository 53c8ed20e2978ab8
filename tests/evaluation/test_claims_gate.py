"""Gate: claim re-appearance decisions on the development part of the ECB+ claim pairs
(45 development claims, 192 pairs: each claim in English and, translated by hand, in
Vietnamese against the same English reports) and on the Vietnamese claims against
French and Russian reports (hand-translated leads). The full development file
(`python -m ttdn.evaluation.build_claims_dev DIR`, then `ttdn eval claims`) takes longer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ttdn.evaluation import build_claims_dev, claims
from ttdn.evaluation._common import shared_data_dir

FLOORS = Path(__file__).resolve().parents[2] / "src" / "ttdn" / "evaluation" / "floors.json"


@pytest.mark.eval
def test_claim_matching_holds_its_floors(tmp_path: Path) -> None:
    data = shared_data_dir()
    if not (data / build_claims_dev.PAIRS).exists():
        pytest.skip(f"shared labelled data not found at {data} (set TTDN_SHARED_DATA)")
    rows = build_claims_dev.ecb_rows(data)
    vi_en = list(build_claims_dev.dev_vi_en(rows))
    en = [{**r, "claim": r["claim_en"], "claim_lang": "en"} for r in vi_en]
    files = {"en": en, "vi_en": vi_en, "vi_fr_ru": list(build_claims_dev.dev_vi_fr_ru(rows))}
    results = {}
    for name, items in files.items():
        path = tmp_path / f"{name}.jsonl"
        build_claims_dev.write(path, iter(items))
        results[name] = claims.evaluate(str(path))
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["claims"]
    assert results["en"]["pairs"] == results["vi_en"]["pairs"] > 150, results
    for name, result in results.items():
        for metric in ("accuracy", "f1", "roc_auc"):
            assert result[metric] >= floors[f"{name}.{metric}"], (name, metric, result)
