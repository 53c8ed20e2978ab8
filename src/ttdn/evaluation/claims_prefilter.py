"""The document-level prefilter's floor, set on the development pairs of claim matching.

    python -m ttdn.evaluation.claims_prefilter [--write]

For each development file (`build_claims_dev`: en, vi claim → en report, vi claim → fr/ru
report) the centred cosine of every claim with its report's lead vector (`claims.center`,
`claims.doc_prefilter`) is computed, and for a grid of floors the share of true matches
(label 1) that the floor would drop. The floor chosen is the highest of the grid at which no
development file loses more than `MAX_LOST` of its true matches; `--write` stores it in
`pipeline/models/claims.json` (the centring means come from the training topics, written by
`ttdn train claims`). Also printed: how many reports would skip sentence matching against N
open claims of *other* topics (the cost saved), for N = 10, 50, 200.

Only development data is read for the floor (ECB+ topics with topic % 3 == 0 and our
translations of them); the training topics are never used to set it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import numpy as np

from ttdn.evaluation import build_claims_dev
from ttdn.evaluation.claims import e5_embed, e5_lead
from ttdn.pipeline import claims

GRID = tuple(round(0.02 * i, 2) for i in range(0, 16))
MAX_LOST = 0.015


def centred_cosines(rows: list[dict[str, Any]], model: claims.Model) -> np.ndarray:
    claim_texts = [str(r["claim"]) for r in rows]
    cq = claims.center(e5_embed(claim_texts, True), model.mean_query)
    leads = np.stack([e5_lead(str(r.get("title") or ""), str(r["text"])) for r in rows])
    cp = claims.center(leads, model.mean_passage)
    return np.einsum("ij,ij->i", cq, cp)


def measure(model: claims.Model | None = None) -> dict[str, Any]:
    model = model or claims.default_model()
    rows = build_claims_dev.ecb_rows()
    files = {
        "en": list(build_claims_dev.dev_en(rows)),
        "vi_en": list(build_claims_dev.dev_vi_en(rows)),
        "vi_fr_ru": list(build_claims_dev.dev_vi_fr_ru(rows)),
    }
    lost: dict[str, dict[str, float]] = {}
    for name, items in files.items():
        cos = centred_cosines(items, model)
        pos = cos[np.array([int(r["label"]) == 1 for r in items])]
        lost[name] = {f"{f:.2f}": round(float((pos < f).mean()), 4) for f in GRID}
        lost[name]["true_matches"] = int(pos.size)
    ok = [f for f in GRID if all(lost[n][f"{f:.2f}"] <= MAX_LOST for n in files)]
    floor = max(ok)
    return {"floor": floor, "recall_lost": lost, "skipped": _skipped(rows, model, floor)}


def _skipped(rows: list[dict[str, Any]], model: claims.Model, floor: float) -> dict[str, float]:
    """Share of development reports with no claim of another topic above the floor."""
    dev = [r for r in rows if build_claims_dev.is_dev_topic(r["topic"])]
    claim_topic = {str(r["claim"]): int(r["topic"]) for r in dev}
    texts = sorted(claim_topic)
    matrix = claims.center(e5_embed(texts, True), model.mean_query)
    topics = np.array([claim_topic[t] for t in texts])
    docs = {r["doc_id"]: r for r in dev}
    rng = np.random.default_rng(0)
    out = {}
    for n in (10, 50, 200):
        skipped = []
        for row in docs.values():
            pool = np.flatnonzero(topics != int(row["topic"]))
            pick = rng.choice(pool, min(n, pool.size), replace=False)
            lead = e5_lead(str(row.get("title") or ""), str(row["text"]))
            skipped.append(not claims.doc_prefilter(matrix[pick], lead, floor=floor, model=model))
        out[str(n)] = round(float(np.mean(skipped)), 3)
    return out


def write_floor(floor: float) -> None:
    data = json.loads(claims.MODEL_FILE.read_text(encoding="utf-8"))
    data.setdefault("doc_prefilter", {})["floor"] = floor
    data["doc_prefilter"]["floor_set_on"] = (
        "development pairs (ECB+ topics % 3 == 0 and their vi/fr/ru translations): the "
        f"highest floor losing at most {MAX_LOST:.0%} of any file's true matches"
    )
    claims.MODEL_FILE.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")
    claims.default_model.cache_clear()


if __name__ == "__main__":  # pragma: no cover - a development tool
    result = measure()
    if "--write" in sys.argv[1:]:
        write_floor(result["floor"])
    print(json.dumps(result, indent=1))
