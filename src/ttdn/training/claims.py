"""Rebuild the claim matcher's weights: `ttdn train claims [--data DIR]`.

Reads only the *training* part of `ecbplus_claim_pairs` (topics with ``topic % 3 != 0``; the
rest is development, see `ttdn.evaluation.build_claims_dev`), our own Vietnamese translations
of one claim per training topic (`claims_vi_train.json`), and for the background word
frequencies the training reports plus the other-language corpora of ../shared/data
(ML-Crisis es/fr/it, Dân trí vi, RuSentNE ru).

Writes `pipeline/models/claims.json` (weights, bias, threshold) and `claims_df.json` (document
frequencies of the 20,000 most frequent folded words; anything rarer counts as rare).

How the weights are chosen (no development data involved):
* C of the logistic regression by 5-fold GroupKFold over training *topics* (a fold never sees
  the topic it is scored on, as the hidden topics are unseen), mean accuracy;
* the threshold stays at 0.5 (the logistic model's own; balanced training classes);
* the cross-language weights: the same fitting on the English rows with the three cosine
  features lowered by the mean drop measured between each training claim in English and in
  Vietnamese against the same reports (`cos_shift`), because a Vietnamese claim's cosine to an
  English sentence is lower than the English claim's, and a model fitted on English cosines
  alone would reject most cross-language re-appearances.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from ttdn.evaluation._common import read_jsonl, shared_data_dir
from ttdn.evaluation.build_claims_dev import PAIRS, is_dev_topic
from ttdn.pipeline import claims
from ttdn.pipeline.analyse import TONE_LEAD_CHARS
from ttdn.pipeline.embed import document_text, encode_e5

HERE = Path(__file__).resolve().parent
VI_TRAIN = HERE / "claims_vi_train.json"
C_GRID = (0.1, 0.3, 1.0, 3.0)
DF_WORDS = 20000
COSINES = ("cos_best", "cos_top3", "cos_title")


class _Embedder:
    """e5 with a per-run memo (and an optional on-disk memo for repeated development runs:
    TTDN_CLAIMS_E5_CACHE=file.npz, keyed by text and prefix)."""

    def __init__(self) -> None:
        self.memo: dict[tuple[str, bool], np.ndarray] = {}
        self.path = os.environ.get("TTDN_CLAIMS_E5_CACHE", "")
        if self.path and Path(self.path).exists():
            data = np.load(self.path, allow_pickle=False)
            for text, query, vec in zip(data["texts"], data["query"], data["vectors"], strict=True):
                self.memo[(str(text), bool(query))] = vec

    def __call__(self, texts: list[str], query: bool) -> claims.FloatMatrix:
        todo = sorted({t for t in texts if (t, query) not in self.memo})
        if todo:
            clipped = [t[: claims.MAX_SENTENCE_CHARS] or " " for t in todo]
            for text, vec in zip(todo, encode_e5(clipped, is_query=query), strict=True):
                self.memo[(text, query)] = vec
        return np.stack([self.memo[(t, query)] for t in texts]).astype(np.float32)

    def save(self) -> None:
        if not self.path:
            return
        keys = list(self.memo)
        np.savez(
            self.path,
            texts=np.array([k[0] for k in keys]),
            query=np.array([k[1] for k in keys]),
            vectors=np.stack([self.memo[k] for k in keys]),
        )


def _background_docs(data: Path, train_rows: list[dict[str, Any]]) -> list[str]:
    docs = {r["doc_id"]: f"{r['title']}\n{r['text']}" for r in train_rows}
    texts = list(docs.values())
    for rel, fields in (
        ("ml_crisis_multilingual_timelines/ml_crisis_docs.jsonl", ("text",)),
        ("vi_news_unc_dantri/unc_dantri_docs.jsonl", ("title", "text")),
        ("rusentne_ru_targeted_sentiment/train.jsonl", ("text",)),
    ):
        path = data / rel
        if path.exists():
            texts += ["\n".join(str(row.get(f) or "") for f in fields) for row in read_jsonl(path)]
    return texts


def doc_freq(texts: list[str]) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for text in texts:
        for word in set(claims.content_words(text)) | {w for w in claims.names(text)}:
            counts[word] = counts.get(word, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:DF_WORDS]
    return {"n_docs": len(texts), "df": dict(sorted(top))}


def _sentences(row: dict[str, Any]) -> list[str]:
    return claims.split_sentences(str(row.get("title") or ""), str(row.get("text") or ""))


def feature_rows(
    rows: list[dict[str, Any]],
    embed: _Embedder,
    df: claims.DocFreq,
    claim_key: str = "claim",
    cross: bool = False,
    claim_language: str = "en",
) -> list[dict[str, float]]:
    views: dict[str, claims.ReportView] = {}
    out = []
    for row in rows:
        if row["doc_id"] not in views:
            views[row["doc_id"]] = claims.report_view(
                str(row.get("title") or ""), str(row.get("text") or ""), "en", embed
            )
        text = str(row[claim_key])
        vector = embed([text], True)[0]
        values, _best = claims.features(
            text, vector, views[row["doc_id"]], df, cross=cross, claim_language=claim_language
        )
        out.append(values)
    return out


def _prefilter_means(rows: list[dict[str, Any]], embed: _Embedder) -> dict[str, Any]:
    """The centring means of the document-level prefilter (`claims.center`): the mean e5
    vector of the training claims ("query: ") and of the training reports' leads ("passage: ",
    as the pipeline stores them). The floor is set on development data apart
    (`python -m ttdn.evaluation.claims_prefilter --write`) and kept here."""
    docs = {r["doc_id"]: r for r in rows}
    leads = [
        document_text(str(r.get("title") or ""), str(r["text"]), TONE_LEAD_CHARS)
        for r in docs.values()
    ]
    mean_query = embed(sorted({str(r["claim"]) for r in rows}), True).mean(axis=0)
    mean_passage = encode_e5(leads, is_query=False).mean(axis=0)
    old = {}
    if claims.MODEL_FILE.exists():
        old = json.loads(claims.MODEL_FILE.read_text(encoding="utf-8")).get("doc_prefilter", {})
    return {
        **{k: v for k, v in old.items() if k in ("floor", "floor_set_on")},
        "mean_query": [round(float(x), 6) for x in mean_query],
        "mean_passage": [round(float(x), 6) for x in mean_passage],
        "means_from": "e5 vectors of the training topics' claims (query) and report leads",
    }


def _fit(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray
) -> tuple[LogisticRegression, float, dict[str, float]]:
    """C by GroupKFold over topics (mean accuracy); the model refitted on all rows."""
    folds = list(GroupKFold(n_splits=5).split(x, y, groups))
    best_c, best_acc = C_GRID[0], -1.0
    per_c = {}
    for c in C_GRID:
        oof = np.zeros(len(y))
        for train, test in folds:
            model = LogisticRegression(C=c, max_iter=5000).fit(x[train], y[train])
            oof[test] = model.predict_proba(x[test])[:, 1]
        acc = float(((oof >= 0.5) == (y == 1)).mean())
        per_c[str(c)] = round(acc, 4)
        if acc > best_acc + 1e-9:
            best_c, best_acc = c, acc
    return LogisticRegression(C=best_c, max_iter=5000).fit(x, y), best_c, per_c


def train(data: Path) -> dict[str, Any]:
    rows = [r for r in read_jsonl(data / PAIRS) if not is_dev_topic(r["topic"])]
    df_data = doc_freq(_background_docs(data, rows))
    df = claims.DocFreq.from_dict(df_data)
    embed = _Embedder()
    feats = feature_rows(rows, embed, df)
    y = np.array([int(r["label"]) for r in rows])
    groups = np.array([int(r["topic"]) for r in rows])

    # Cosine drop from an English claim to its Vietnamese translation, same reports.
    vi = json.loads(VI_TRAIN.read_text(encoding="utf-8"))
    vi_rows = [{**r, "claim_vi": vi[r["claim_doc"]]} for r in rows if r["claim_doc"] in vi]
    en_f = feature_rows(vi_rows, embed, df)
    vi_f = feature_rows(vi_rows, embed, df, claim_key="claim_vi", cross=True, claim_language="vi")
    shift = {
        k: round(float(np.mean([a[k] - b[k] for a, b in zip(en_f, vi_f, strict=True)])), 4)
        for k in COSINES
    }
    prefilter = _prefilter_means(rows, embed)
    embed.save()

    out: dict[str, Any] = {"weights": {}, "bias": {}, "cv": {}, "cos_shift": shift}
    out["doc_prefilter"] = prefilter
    for key, names in (
        ("same_language", claims.FEATURES_SAME),
        ("cross_language", claims.FEATURES_CROSS),
    ):
        shifted = [
            {
                k: (v - shift[k] if key == "cross_language" and k in shift else v)
                for k, v in f.items()
            }
            for f in feats
        ]
        x = claims.feature_matrix(shifted, names)
        model, c, per_c = _fit(x, y, groups)
        out["weights"][key] = {
            n: round(float(w), 5) for n, w in zip(names, model.coef_[0], strict=True)
        }
        out["bias"][key] = round(float(model.intercept_[0]), 5)
        out["cv"][key] = {"C": c, "accuracy_by_C": per_c}
    out["threshold"] = 0.5
    out["training"] = {
        "pairs": len(rows),
        "topics": sorted({int(t) for t in groups}),
        "split": "ECB+ topics with topic % 3 != 0 (development: topic % 3 == 0)",
        "vi_claims_for_shift": len(vi),
    }
    claims.MODEL_FILE.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    claims.DF_FILE.write_text(
        json.dumps(df_data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    claims.default_model.cache_clear()
    claims.default_df.cache_clear()
    return {
        "model": str(claims.MODEL_FILE),
        "cv": out["cv"],
        "cos_shift": shift,
        "df_words": len(df_data["df"]),
    }


def main(ns: argparse.Namespace) -> dict[str, Any]:
    return train(Path(ns.data) if ns.data else shared_data_dir())
