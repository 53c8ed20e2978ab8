"""Near-duplicate detection (`ttdn.pipeline.dedupe`) measured on real articles.

`evaluate(path)` takes a folder holding the shared data (or any JSONL of rows with
`doc_id`, `text` and optionally `date`) and streams the documents through `dedupe.check`
in date order (file order when there are no dates).

Ground truth is *not* the detector's own measure (whole-text word 5-shingles): two
documents are duplicates when at least 80 % of the sentences of the shorter one (3 or
more, page furniture excluded) reappear in the longer one verbatim or lightly edited (70 %
of the sentence's word trigrams), or when their texts are identical. That labels syndicated
wire copy and shortened republications as duplicates and independently written reports of
one event (most of ECB+) as not.

Per document: a *hit* is a document flagged as a duplicate of a document it truly
duplicates; a *false alarm* is a flag pointing at a document it does not duplicate;
a *miss* is a document with an earlier true duplicate that was called new.
precision = hits / (hits + false alarms); recall = hits / documents with an earlier duplicate.

Besides ECB+ (en) and ML-Crisis (es/fr/it), a synthetic check edits real Dân trí articles
the way syndication does (new headline, last paragraph cut, source line added, Unicode
decomposed as some CMSs emit Vietnamese) and measures the share still caught.
"""

from __future__ import annotations

import argparse
import re
import time
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

from ttdn.evaluation._common import read_jsonl
from ttdn.pipeline import dedupe

SETS = {
    "ecbplus": "ecbplus_event_clusters/ecbplus_dev.jsonl",
    "ml_crisis": "ml_crisis_multilingual_timelines/ml_crisis_docs.jsonl",
}
SYNTHETIC = "vi_news_unc_dantri/unc_dantri_docs.jsonl"
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"\w+", re.UNICODE)


def _sentences(text: str) -> list[tuple[str, ...]]:
    out = []
    for raw in _SENTENCE_SPLIT.split(unicodedata.normalize("NFC", text)):
        words = tuple(_WORD.findall(raw.casefold()))
        if len(words) >= 4:
            out.append(words)
    return out


def _trigrams(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    return {words[i : i + 3] for i in range(len(words) - 2)}


def _copied(shorter: list[tuple[str, ...]], longer: list[tuple[str, ...]]) -> bool:
    """≥ 80 % of the shorter text's sentences (3 or more) reappear in the longer one, each
    verbatim or lightly edited (≥ 70 % of its word trigrams present)."""
    if len(shorter) < 3:
        return False
    pool = set().union(*(_trigrams(s) for s in longer)) if longer else set()
    copied = 0
    for sentence in shorter:
        grams = _trigrams(sentence)
        if grams and len(grams & pool) / len(grams) >= 0.7:
            copied += 1
    return copied / len(shorter) >= 0.8


def true_duplicates(rows: list[dict[str, Any]]) -> dict[int, set[int]]:
    """For each document index, the earlier indices it duplicates (sentence criterion).

    Sentences found in 5 or more documents are page furniture (navigation, copyright
    lines) and are ignored; candidate pairs share at least one other sentence verbatim.
    """
    sents = [[s for s in _sentences(str(r["text"]))] for r in rows]
    spread: dict[tuple[str, ...], int] = defaultdict(int)
    for doc in sents:
        for sentence in set(doc):
            spread[sentence] += 1
    sents = [[s for s in doc if spread[s] < 5] for doc in sents]
    texts = [" ".join(_WORD.findall(str(r["text"]).casefold())) for r in rows]
    by_sentence: dict[tuple[str, ...], list[int]] = defaultdict(list)
    truth: dict[int, set[int]] = defaultdict(set)
    for i, doc in enumerate(sents):
        candidates = {j for sentence in doc for j in by_sentence[sentence]}
        for j in candidates:
            a, b = (doc, sents[j]) if len(doc) <= len(sents[j]) else (sents[j], doc)
            if _copied(a, b):
                truth[i].add(j)
        for j in range(i):
            if texts[j] == texts[i] and texts[i]:
                truth[i].add(j)
        for sentence in set(doc):
            by_sentence[sentence].append(i)
    return truth


def _stream(rows: list[dict[str, Any]]) -> dict[str, Any]:
    truth = true_duplicates(rows)
    index = dedupe.DedupeIndex()
    position = {str(r["doc_id"]): i for i, r in enumerate(rows)}
    hits = false_alarms = misses = 0
    started = time.perf_counter()
    for i, row in enumerate(rows):
        result = dedupe.check(index, report_id=str(row["doc_id"]), text=str(row["text"]))
        expected = truth.get(i, set())
        if result.status == "duplicate":
            if position[str(result.duplicate_of)] in expected:
                hits += 1
            else:
                false_alarms += 1
        elif expected:
            misses += 1
    seconds = time.perf_counter() - started
    flagged = hits + false_alarms
    positives = sum(1 for i in range(len(rows)) if truth.get(i))
    return {
        "docs": len(rows),
        "true_duplicates": positives,
        "flagged": flagged,
        "precision": round(hits / flagged, 4) if flagged else None,
        "recall": round(hits / positives, 4) if positives else None,
        "false_alarms": false_alarms,
        "misses": misses,
        "docs_per_s": round(len(rows) / seconds, 1) if seconds > 0 else None,
    }


def _syndicate(row: dict[str, Any]) -> str:
    """A plausible syndicated copy: other headline, last paragraph cut, a source line, NFD."""
    lines = [x for x in str(row["text"]).split("\n") if x.strip()]
    body = lines[1:-1] if len(lines) > 3 else lines
    copy = "\n".join(["(Tin tổng hợp) " + str(row.get("title") or ""), *body, "Theo Dân trí"])
    return unicodedata.normalize("NFD", copy)


def _synthetic(rows: list[dict[str, Any]]) -> dict[str, Any]:
    index = dedupe.DedupeIndex()
    for row in rows:
        dedupe.check(index, report_id=str(row["doc_id"]), text=str(row["text"]))
    caught = 0
    for row in rows:
        result = dedupe.check(index, report_id=f"copy-{row['doc_id']}", text=_syndicate(row))
        caught += result.status == "duplicate" and result.duplicate_of == str(row["doc_id"])
    return {"docs": len(rows), "recall": round(caught / len(rows), 4) if rows else None}


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if all(r.get("date") for r in rows):
        return sorted(rows, key=lambda r: str(r["date"]))  # stable: file order breaks ties
    return rows


def evaluate(path: str, limit: int | None = None) -> dict[str, Any]:
    root = Path(path)
    if root.is_file():
        return _stream(_ordered(read_jsonl(root, limit)))
    result: dict[str, Any] = {}
    for name, rel in SETS.items():
        if (root / rel).exists():
            result[name] = _stream(_ordered(read_jsonl(root / rel, limit)))
    if (root / SYNTHETIC).exists():
        result["synthetic_vi"] = _synthetic(read_jsonl(root / SYNTHETIC, limit or 300))
    flagged = sum(int(v.get("flagged", 0)) for v in result.values())
    false_alarms = sum(int(v.get("false_alarms", 0)) for v in result.values())
    positives = sum(int(v.get("true_duplicates", 0)) for v in result.values())
    misses = sum(int(v.get("misses", 0)) for v in result.values())
    if flagged:
        result["precision"] = round((flagged - false_alarms) / flagged, 4)
    if positives:
        result["recall"] = round((flagged - false_alarms) / positives, 4)
        result["misses"] = misses
    return result


def main(ns: argparse.Namespace) -> dict[str, Any]:
    return evaluate(ns.file, ns.limit)
