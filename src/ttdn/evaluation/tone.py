"""Evaluate tone scoring: `ttdn eval tone FILE [--limit N]`.

FILE is JSONL with rows `{"text", "label": "negative|neutral|positive", "target"?: {"from",
"to"}, "lang"?}` (`ttdn.evaluation.tone_data` converts the shared data sets). A row without
"lang" is taken as English. "unknown" predictions count as wrong.
Output: `{"items", "accuracy", "macro_f1", "per_class": {label: f1}, "per_language": {lang:
{"items", "accuracy", "macro_f1"}}, "confusions": {"gold->predicted": n}}`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from ttdn.pipeline.tone import LABELS, Embedder, ToneModel, ToneRequest, score_many


def read_rows(path: str | Path, limit: int | None = None) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            if limit is not None and len(rows) >= limit:
                break
            rows.append(json.loads(line))
    return rows


def f1_per_class(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    out = {}
    for label in LABELS:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        out[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out


def metrics(gold: Sequence[str], pred: Sequence[str]) -> dict[str, object]:
    n = len(gold)
    per_class = f1_per_class(gold, pred)
    return {
        "items": n,
        "accuracy": round(sum(g == p for g, p in zip(gold, pred, strict=True)) / n, 4)
        if n
        else 0.0,
        "macro_f1": round(sum(per_class.values()) / len(LABELS), 4) if n else 0.0,
        "per_class": {k: round(v, 4) for k, v in per_class.items()},
    }


def evaluate(
    path: str | Path,
    limit: int | None = None,
    *,
    embedder: Embedder | None = None,
    models: Mapping[str, ToneModel] | None = None,
) -> dict[str, object]:
    rows = read_rows(path, limit)
    requests = []
    for n, row in enumerate(rows, 1):
        if "text" not in row or row.get("label") not in LABELS:
            raise ValueError(
                f"{path}:{n}: need 'text' and 'label' in {LABELS} (convert the shared data "
                "with `python -m ttdn.evaluation.tone_data OUT_DIR`)"
            )
        target = row.get("target")
        span = (int(target["from"]), int(target["to"])) if isinstance(target, dict) else None
        requests.append(ToneRequest(str(row["text"]), str(row.get("lang") or "en"), span))
    tones = score_many(requests, embedder=embedder, models=models)
    gold = [str(r["label"]) for r in rows]
    pred = [t.label for t in tones]
    result = metrics(gold, pred)
    per_language: dict[str, dict[str, object]] = {}
    for lang in sorted({req.lang for req in requests}):
        idx = [i for i, req in enumerate(requests) if req.lang == lang]
        m = metrics([gold[i] for i in idx], [pred[i] for i in idx])
        per_language[lang] = {k: m[k] for k in ("items", "accuracy", "macro_f1", "per_class")}
    confusions: dict[str, int] = {}
    for g, p in zip(gold, pred, strict=True):
        if g != p:
            confusions[f"{g}->{p}"] = confusions.get(f"{g}->{p}", 0) + 1
    result["per_language"] = per_language
    result["confusions"] = dict(sorted(confusions.items()))
    return result


def main(ns: argparse.Namespace) -> dict[str, object]:
    return evaluate(ns.file, limit=getattr(ns, "limit", None))
