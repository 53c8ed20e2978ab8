"""`ttdn eval claims FILE`: the claim matcher's own decision on claim/report pairs.

Input JSONL rows: {"claim", "text", "title"?, "lang"?, "claim_lang"?, "label": 0|1}. `lang`
is the report's language and `claim_lang` the claim's; a missing one is detected
(`ttdn.pipeline.language`). The decision is the system's: the document-level prefilter
(`claims.doc_prefilter`: the claim against the report's lead vector, below the shipped floor
the pair is "not the same" whatever follows) and `claims.decide` with the shipped weights and
threshold (`pipeline/models/claims.json`): nothing is tuned on the file. ROC-AUC is of the
decision's score alone. Prints pairs,
accuracy, precision, recall, F1 and ROC-AUC of the score; with a `kind` column also the
accuracy on the hard negatives ("same_topic": same kind of event, another instance) and the
figures without the easy "other_topic" rows.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from ttdn.evaluation._common import read_jsonl
from ttdn.pipeline import claims
from ttdn.pipeline.analyse import TONE_LEAD_CHARS
from ttdn.pipeline.embed import document_text, encode_e5
from ttdn.pipeline.language import detect

_MEMO: dict[tuple[str, bool], np.ndarray] = {}


def e5_embed(texts: list[str], query: bool) -> claims.FloatMatrix:
    """The matcher's embedding: multilingual-e5 with "query: " for claims, "passage: " else.

    Memoised per process: several evaluation files share their reports (the gate scores the
    same reports with English and with Vietnamese claims)."""
    todo = sorted({t for t in texts if (t, query) not in _MEMO})
    if todo:
        clipped = [t[: claims.MAX_SENTENCE_CHARS] or " " for t in todo]
        for text, vec in zip(todo, encode_e5(clipped, is_query=query), strict=True):
            _MEMO[(text, query)] = vec
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([_MEMO[(t, query)] for t in texts]).astype(np.float32)


_LEADS: dict[str, np.ndarray] = {}


def e5_lead(title: str, text: str) -> claims.FloatMatrix:
    """A report's document vector as the pipeline stores it: e5 "passage: " of the lead
    (headline and the first `TONE_LEAD_CHARS` characters, not clipped to a sentence's 400)."""
    lead = document_text(title, text, TONE_LEAD_CHARS)
    if lead not in _LEADS:
        _LEADS[lead] = encode_e5([lead], is_query=False)[0]
    return _LEADS[lead]


def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    """Mann-Whitney form (ties count half); None when one class is missing."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels)
    pos, neg = s[y == 1], s[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        return None
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


def scores_for(
    predicted: Sequence[bool], scores: Sequence[float], labels: Sequence[int]
) -> dict[str, Any]:
    p = np.asarray(predicted, dtype=bool)
    y = np.asarray(labels, dtype=int) == 1
    tp = int((p & y).sum())
    precision = tp / int(p.sum()) if p.sum() else 0.0
    recall = tp / int(y.sum()) if y.sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    auc = roc_auc(scores, [int(v) for v in y])
    return {
        "pairs": len(labels),
        "accuracy": round(float((p == y).mean()), 4) if len(labels) else None,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "roc_auc": round(auc, 4) if auc is not None else None,
    }


def _language(value: Any, text: str) -> str:
    return str(value) if value else detect(text).code


def decide_rows(rows: list[dict[str, Any]], embed: claims.EmbedFn = e5_embed) -> list[claims.Match]:
    """The matcher's decision for each row (claims and reports embedded once each)."""
    claim_texts = sorted({str(r["claim"]) for r in rows})
    vectors = embed(claim_texts, True) if claim_texts else np.zeros((0, 384), np.float32)
    claim_vec = dict(zip(claim_texts, vectors, strict=True))
    views: dict[tuple[str, str, str], claims.ReportView] = {}
    leads: dict[tuple[str, str, str], claims.FloatMatrix] = {}
    out = []
    for row in rows:
        title, text = str(row.get("title") or ""), str(row.get("text") or "")
        lang = _language(row.get("lang"), f"{title}\n{text}")
        key = (title, text, lang)
        if key not in views:
            views[key] = claims.report_view(title, text, lang, embed)
        if key not in leads:
            leads[key] = e5_lead(title, text)
        claim = str(row["claim"])
        claim_lang = _language(row.get("claim_lang"), claim)
        found = claims.decide(claim, claim_lang, claim_vec[claim], views[key])
        centered = claims.center(claim_vec[claim][None, :], claims.default_model().mean_query)
        if found.same and not claims.doc_prefilter(centered, leads[key], k=1):
            # the system never gets this far: the report's document vector is below the floor
            found = dataclasses.replace(found, same=False)
        out.append(found)
    return out


def evaluate(path: str, limit: int | None = None) -> dict[str, Any]:
    rows = read_jsonl(path, limit)
    matches = decide_rows(rows)
    labels = [int(r["label"]) for r in rows]
    result = scores_for([m.same for m in matches], [m.score for m in matches], labels)
    kinds = [str(r.get("kind") or "") for r in rows]
    if "same_topic" in kinds:
        hard = [i for i, k in enumerate(kinds) if k != "other_topic"]
        sub = scores_for(
            [matches[i].same for i in hard],
            [matches[i].score for i in hard],
            [labels[i] for i in hard],
        )
        result["without_other_topic"] = sub
        neg = [i for i, k in enumerate(kinds) if k == "same_topic"]
        result["same_topic_rejected"] = round(sum(not matches[i].same for i in neg) / len(neg), 4)
    return result


def main(ns: argparse.Namespace) -> dict[str, Any]:
    return evaluate(ns.file, ns.limit)
