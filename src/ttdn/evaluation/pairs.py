"""`ttdn eval pairs FILE`: the clusterer's same-story score and decision on article pairs.

Input JSONL rows: {"a": {"title", "text", "lang"}, "b": {...}, "overall"} with overall from
1 (same story) to 4 (unrelated). Reports the Pearson correlation of `cluster.similarity`
with `overall` (negative when the score is good) and the accuracy of `cluster.same_story`,
the clusterer's own decision with its shipped threshold, on the clear pairs (overall ≤ 1.5
same, ≥ 3.0 different), for all pairs and for cross-lingual pairs alone.
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from ttdn.evaluation._common import read_jsonl
from ttdn.pipeline import cluster
from ttdn.pipeline.embed import E5Embedder, Embedder, document_text


def _doc(side: dict[str, Any], vector: np.ndarray) -> cluster.Doc:
    return cluster.Doc(
        title=str(side.get("title") or ""),
        text=str(side.get("text") or ""),
        language=str(side.get("lang") or "und"),
        embedding=vector,
    )


def evaluate(
    path: str, limit: int | None = None, embedder: Embedder | None = None
) -> dict[str, Any]:
    rows = read_jsonl(path, limit)
    model = embedder or E5Embedder()
    texts = []
    for row in rows:
        for side in (row["a"], row["b"]):
            texts.append(document_text(str(side.get("title") or ""), str(side.get("text") or "")))
    unique = sorted(set(texts))  # many pairs share a document: embed each text once
    embedded = model.embed(unique)
    row_of = {t: i for i, t in enumerate(unique)}
    vectors = embedded[[row_of[t] for t in texts]] if texts else embedded
    scores, overall, decided = [], [], []
    by_pair: dict[str, list[tuple[bool, bool, bool]]] = {}
    for i, row in enumerate(rows):
        a = _doc(row["a"], vectors[2 * i])
        b = _doc(row["b"], vectors[2 * i + 1])
        scores.append(cluster.similarity(a, b))
        overall.append(float(row["overall"]))
        cross = a.language != b.language
        if overall[-1] <= 1.5 or overall[-1] >= 3.0:
            decided.append((cluster.same_story(a, b), overall[-1] <= 1.5, cross))
            by_pair.setdefault("-".join(sorted((a.language, b.language))), []).append(decided[-1])

    def accuracy(items: list[tuple[bool, bool, bool]]) -> float | None:
        return round(sum(p == g for p, g, _ in items) / len(items), 4) if items else None

    pearson = (
        float(np.corrcoef(scores, overall)[0, 1]) if len(rows) > 1 and np.std(overall) > 0 else None
    )
    return {
        "pairs": len(rows),
        "pearson": round(pearson, 4) if pearson is not None else None,
        "accuracy": accuracy(decided),
        "cross_lingual_accuracy": accuracy([d for d in decided if d[2]]),
        "decided_pairs": len(decided),
        "cross_lingual_pairs": sum(1 for d in decided if d[2]),
        # accuracy per language pair ("en-es"), with its number of decided pairs
        "per_language_pair": {
            pair: {"accuracy": accuracy(items), "pairs": len(items)}
            for pair, items in sorted(by_pair.items())
        },
    }


def main(ns: argparse.Namespace) -> dict[str, Any]:
    return evaluate(ns.file, ns.limit)
