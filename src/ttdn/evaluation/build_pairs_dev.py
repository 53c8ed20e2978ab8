"""Build a development pairs file (`ttdn eval pairs` format) from the shared data.

ECB+ (English): two documents of the same event cluster → overall 1; same topic but another
event (the ECB+ "plus" twin events) → 3; different topics → 4. ML-Crisis (es/fr/it): the
exact-duplicate texts across files → 1 (same story, possibly cross-lingual copies are rare),
documents of different crisis topics in different languages → 4 (cross-lingual negatives).
Deterministic (seeded). Usage: python -m ttdn.evaluation.build_pairs_dev OUT [SHARED_DATA]
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

SEED = 20261122


def build(shared: Path, per_kind: int = 150) -> list[dict[str, object]]:
    rng = random.Random(SEED)
    ecb = [json.loads(x) for x in (shared / "ecbplus_event_clusters/ecbplus_dev.jsonl").open()]
    by_cluster: dict[str, list[dict[str, object]]] = defaultdict(list)
    for doc in ecb:
        by_cluster[str(doc["cluster_id"])].append(doc)

    def side(doc: dict[str, object], lang: str = "en") -> dict[str, object]:
        return {"title": doc.get("title") or "", "text": str(doc["text"])[:2000], "lang": lang}

    pairs: list[dict[str, object]] = []
    clusters = sorted(c for c, docs in by_cluster.items() if len(docs) >= 2)
    for _ in range(per_kind):
        docs = by_cluster[rng.choice(clusters)]
        a, b = rng.sample(docs, 2)
        pairs.append({"a": side(a), "b": side(b), "overall": 1, "source": "ecb_same_event"})
    for _ in range(per_kind):
        a = rng.choice(ecb)
        twins = [d for d in ecb if d["topic"] == a["topic"] and d["cluster_id"] != a["cluster_id"]]
        if twins:
            b = rng.choice(twins)
            pairs.append({"a": side(a), "b": side(b), "overall": 3, "source": "ecb_same_topic"})
    for _ in range(per_kind):
        a, b = rng.sample(ecb, 2)
        if a["topic"] != b["topic"]:
            pairs.append({"a": side(a), "b": side(b), "overall": 4, "source": "ecb_other_topic"})
    crisis_file = shared / "ml_crisis_multilingual_timelines/ml_crisis_docs.jsonl"
    crisis = [json.loads(x) for x in crisis_file.open()]
    by_text: dict[str, list[dict[str, object]]] = defaultdict(list)
    for doc in crisis:
        by_text[str(doc["text"]).strip()].append(doc)
    for docs in by_text.values():
        if len(docs) >= 2:
            a, b = docs[0], docs[1]
            pairs.append({"a": side(a, str(a["lang"])), "b": side(b, str(b["lang"])),
                          "overall": 1, "source": "crisis_duplicate"})  # fmt: skip
    for _ in range(per_kind):
        a, b = rng.sample(crisis, 2)
        if a["lang"] != b["lang"] and a["topic"] != b["topic"]:
            pairs.append({"a": side(a, str(a["lang"])), "b": side(b, str(b["lang"])),
                          "overall": 4, "source": "crisis_cross_lingual_other_topic"})  # fmt: skip
    return pairs


if __name__ == "__main__":
    out = Path(sys.argv[1])
    default = Path(__file__).resolve().parents[3].parent / "shared" / "data"
    shared = Path(sys.argv[2]) if len(sys.argv) > 2 else default
    rows = build(shared)
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(json.dumps({"pairs": len(rows)}))
