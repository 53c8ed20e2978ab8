"""Gate: tone on NewsMTSC devtest_rw (English, targeted) and the DANeS held-out fifth (vi).

Embedding is the slow part (~50 ms per view on one core), so by default the gate scores every
`EN_STRIDE`-th devtest_rw target and the whole Vietnamese held-out part (about 45 s on two
cores); floors "macro_f1_en_gate" / "macro_f1_vi" apply. With TTDN_EVAL_FULL=1 it scores all
1,146 devtest_rw targets instead and also checks "macro_f1_en" (a few minutes).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ttdn.evaluation._common import shared_data_dir
from ttdn.evaluation.tone import evaluate
from ttdn.evaluation.tone_data import (
    DANES_FILE,
    NEWSMTSC_DIR,
    danes_rows,
    newsmtsc_rows,
    write_jsonl,
)

FLOORS = Path(__file__).resolve().parents[2] / "src" / "ttdn" / "evaluation" / "floors.json"
EN_STRIDE = 4


@pytest.fixture(scope="module")
def data() -> Path:
    path = shared_data_dir()
    if not (path / DANES_FILE).exists() or not (path / NEWSMTSC_DIR).is_dir():
        pytest.skip(f"shared labelled data not found at {path} (set TTDN_SHARED_DATA)")
    return path


@pytest.fixture(scope="module")
def floors() -> dict[str, float]:
    return dict(json.loads(FLOORS.read_text(encoding="utf-8"))["tone"])


@pytest.mark.eval
def test_tone_english_devtest_rw_holds_its_floor(
    data: Path, floors: dict[str, float], tmp_path: Path
) -> None:
    rows = newsmtsc_rows(data / NEWSMTSC_DIR / "devtest_rw.jsonl")
    assert len(rows) == 1146
    full = os.environ.get("TTDN_EVAL_FULL") == "1"
    path = tmp_path / "en.jsonl"
    write_jsonl(rows if full else rows[::EN_STRIDE], path)
    result = evaluate(path)
    metric = "macro_f1_en" if full else "macro_f1_en_gate"
    assert result["macro_f1"] >= floors[metric], result


@pytest.mark.eval
def test_tone_vietnamese_heldout_holds_its_floor(
    data: Path, floors: dict[str, float], tmp_path: Path
) -> None:
    rows = danes_rows(data / DANES_FILE, "heldout")
    assert 200 <= len(rows) <= 340
    path = tmp_path / "vi.jsonl"
    write_jsonl(rows, path)
    result = evaluate(path)
    assert result["macro_f1"] >= floors["macro_f1_vi"], result
