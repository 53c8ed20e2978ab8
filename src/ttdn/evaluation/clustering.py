"""`ttdn eval clustering FILE`: the monitor's online story clusterer on labelled documents,
beside a batch TF-IDF agglomerative baseline.

Input JSONL rows: {"doc_id", "text", "title"?, "lang"?, "date"?, "cluster_id"}. Documents are
fed in date order when dates exist (stable: file order breaks ties), else in file order.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import Any

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from ttdn.evaluation._common import bcubed, read_jsonl
from ttdn.pipeline import cluster
from ttdn.pipeline.embed import E5Embedder, Embedder, document_text

# The baseline's distance threshold (average linkage over tf-idf cosine distances): a
# textbook setting, not tuned on the evaluation file.
BASELINE_DISTANCE = 0.85


def _timestamp(value: object) -> float | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()


def _scores(predicted: list[str], gold: list[str], seconds: float) -> dict[str, Any]:
    precision, recall, f1 = bcubed(predicted, gold)
    return {
        "bcubed_precision": round(precision, 4),
        "bcubed_recall": round(recall, 4),
        "bcubed_f1": round(f1, 4),
        "clusters": len(set(predicted)),
        "docs": len(predicted),
        "docs_per_s": round(len(predicted) / seconds, 2) if seconds > 0 else None,
    }


def baseline(rows: list[dict[str, Any]]) -> list[str]:
    texts = [f"{r.get('title') or ''}\n{r['text']}" for r in rows]
    matrix = TfidfVectorizer(sublinear_tf=True, min_df=1).fit_transform(texts).toarray()
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=BASELINE_DISTANCE
    )
    return [str(label) for label in model.fit_predict(matrix)]


def evaluate(
    path: str, limit: int | None = None, embedder: Embedder | None = None
) -> dict[str, Any]:
    rows = read_jsonl(path, limit)
    times = [_timestamp(r.get("date")) for r in rows]
    if any(t is not None for t in times):
        order = sorted(range(len(rows)), key=lambda i: (times[i] is None, times[i] or 0.0, i))
    else:
        order = list(range(len(rows)))
    rows = [rows[i] for i in order]
    times = [times[i] for i in order]
    gold = [str(r["cluster_id"]) for r in rows]
    model = embedder or E5Embedder()

    started = time.perf_counter()
    vectors = model.embed([document_text(r.get("title") or "", r["text"]) for r in rows])
    state = cluster.ClusterState()
    predicted = [
        cluster.assign(
            state,
            report_id=str(r.get("doc_id", i)),
            language=str(r.get("lang") or "und"),
            embedding=np.asarray(vectors[i]),
            title=r.get("title") or "",
            text=r["text"],
            time=times[i] or 0.0,
        ).story_id
        for i, r in enumerate(rows)
    ]
    online = _scores(predicted, gold, time.perf_counter() - started)

    started = time.perf_counter()
    batch = baseline(rows)
    result = online
    result["baseline"] = _scores(batch, gold, time.perf_counter() - started)
    result["embedder"] = getattr(model, "name", type(model).__name__)
    return result


def main(ns: argparse.Namespace) -> dict[str, Any]:
    return evaluate(ns.file, ns.limit)
