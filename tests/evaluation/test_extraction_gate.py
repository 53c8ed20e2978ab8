"""Gate: article extraction on the shared HTML benchmarks holds its pinned floors.

Runs `ttdn.evaluation.extraction.evaluate` on ``../shared/data/html_extraction_benchmarks``
(overridable with TTDN_SHARED_DATA) with LIMIT pages from each benchmark (the first LIMIT
in sorted order, so always the same pages): 100 Scrapinghub AEB pages and 100 trafilatura
evaluation pages, about 15-25 s on two shared cores. The floors in
``src/ttdn/evaluation/floors.json`` under "extraction" were measured with this same limit
(see the module docstring of ttdn.evaluation.extraction for the metrics); run
``ttdn eval extraction ../shared/data/html_extraction_benchmarks`` for full-set numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ttdn.evaluation._common import shared_data_dir
from ttdn.evaluation.extraction import evaluate

FLOORS = Path(__file__).resolve().parents[2] / "src" / "ttdn" / "evaluation" / "floors.json"
LIMIT = 100


@pytest.mark.eval
def test_extraction_holds_its_floors() -> None:
    bench = shared_data_dir() / "html_extraction_benchmarks"
    if not (bench / "scrapinghub_aeb" / "ground-truth.json").is_file():
        pytest.skip(
            f"shared data not present: {bench}/scrapinghub_aeb/ground-truth.json not found "
            "(set TTDN_SHARED_DATA to the folder holding html_extraction_benchmarks/)"
        )
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["extraction"]
    assert floors, "no extraction floors pinned"
    result = evaluate(str(bench), limit=LIMIT)
    assert result["aeb_pages"] == LIMIT
    if any(k.startswith("traf_") for k in floors):
        assert result.get("traf_pages") == LIMIT, "trafilatura_eval subset missing"
    below = {
        metric: (result.get(metric), floor)
        for metric, floor in floors.items()
        if not isinstance(result.get(metric), int | float) or result[metric] < floor
    }
    assert not below, f"below floor (measured, floor): {below}; full result: {result}"
