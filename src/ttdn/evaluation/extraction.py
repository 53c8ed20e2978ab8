"""Evaluate article extraction (`ttdn.pipeline.extract`) on labelled HTML benchmarks.

Two external gold sets (see ``../shared/data/html_extraction_benchmarks/SOURCE.txt``):

* **Scrapinghub Article Extraction Benchmark** (``scrapinghub_aeb``: ``ground-truth.json``
  mapping id -> {url, articleBody}, pages in ``html/<id>.html``). Scored like upstream's
  ``evaluate.py``: tokens are ``\\w+`` runs, counts compared as multisets per page, each
  page's tp/fp/fn normalised so long articles do not dominate, precision averaged over pages
  with a prediction, recall over pages with gold, F1 from the two means. We report this on
  single tokens (``aeb_token_*``, the metric we pin) and on 4-token shingles
  (``aeb_shingle_*``, comparable with the upstream leaderboard). ``aeb_token_f1_page_mean``
  is the plain mean of per-page F1, failures counted as 0.
* **trafilatura evaluation set** (``trafilatura_eval``: ``evaldata_subset.json``, pages in
  ``html/``): per page, snippets that must appear ("with") and must not ("without"); scored
  like upstream's comparison script: a found "with" is a true positive, a missing one a false
  negative, a found "without" a false positive; precision/recall/F1/accuracy over all
  snippets (``traf_*``).

A page the extractor refuses (no text, bomb) counts as an empty prediction. Pages are taken
in sorted id/file order, so ``limit`` always selects the same pages. ``*_pages_per_s`` is
wall-clock throughput of `extract` on this machine (reading files excluded); it is reported,
not pinned.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from argparse import Namespace
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ttdn.pipeline.errors import PipelineError
from ttdn.pipeline.extract import extract

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)

Counts = tuple[float, float, float]


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def _ngrams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    if n == 1:
        return [(t,) for t in tokens]
    return [
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    ]


def match_counts(gold: str, predicted: str, n: int = 1) -> Counts:
    """Normalised (tp, fp, fn) of n-gram multisets, as in the upstream AEB evaluate.py."""
    gold_counts = Counter(_ngrams(_tokens(gold), n))
    pred_counts = Counter(_ngrams(_tokens(predicted), n))
    tp = fp = fn = 0.0
    for key in gold_counts.keys() | pred_counts.keys():
        g, p = gold_counts.get(key, 0), pred_counts.get(key, 0)
        tp += min(g, p)
        fp += max(0, p - g)
        fn += max(0, g - p)
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return 0.0, 0.0, 0.0


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def aggregate(counts: Iterable[Counts]) -> dict[str, float]:
    """Upstream aggregation: mean precision over pages with a prediction, mean recall over
    pages with gold, F1 of the two means; plus the mean of per-page F1."""
    rows = list(counts)
    precisions = [_precision(*c) for c in rows if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in rows if c[0] + c[2] > 0]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    page_f1 = []
    for c in rows:
        p, r = _precision(*c), _recall(*c)
        page_f1.append(2 * p * r / (p + r) if p + r else 0.0)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "f1_page_mean": statistics.fmean(page_f1) if page_f1 else 0.0,
    }


def _extract_text(html: bytes, url: str) -> str:
    try:
        return extract(html, url=url).text
    except PipelineError:
        return ""


def evaluate_aeb(directory: Path, limit: int | None = None) -> dict[str, float | int]:
    gold = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(gold)[:limit] if limit else sorted(gold)
    token_counts: list[Counts] = []
    shingle_counts: list[Counts] = []
    failures = 0
    elapsed = 0.0
    for page_id in ids:
        html = (directory / "html" / f"{page_id}.html").read_bytes()
        started = time.perf_counter()
        predicted = _extract_text(html, gold[page_id].get("url", ""))
        elapsed += time.perf_counter() - started
        failures += not predicted
        body = gold[page_id].get("articleBody", "")
        token_counts.append(match_counts(body, predicted, 1))
        shingle_counts.append(match_counts(body, predicted, 4))
    result: dict[str, float | int] = {"aeb_pages": len(ids), "aeb_failures": failures}
    for prefix, counts in (("aeb_token_", token_counts), ("aeb_shingle_", shingle_counts)):
        for name, value in aggregate(counts).items():
            result[prefix + name] = round(value, 4)
    result["aeb_pages_per_s"] = round(len(ids) / elapsed, 2) if elapsed else 0.0
    return result


def evaluate_trafilatura(directory: Path, limit: int | None = None) -> dict[str, float | int]:
    name = "evaldata_subset.json"
    if not (directory / name).exists():
        name = "evaldata_full.json"
    entries = json.loads((directory / name).read_text(encoding="utf-8"))
    available = sorted(
        (url, entry)
        for url, entry in entries.items()
        if (directory / "html" / entry["file"]).exists()
    )
    if limit:
        available = available[:limit]
    tp = fp = fn = tn = 0
    failures = 0
    elapsed = 0.0
    for url, entry in available:
        html = (directory / "html" / entry["file"]).read_bytes()
        started = time.perf_counter()
        text = _extract_text(html, url if url.startswith("http") else "")
        elapsed += time.perf_counter() - started
        failures += not text
        for snippet in entry.get("with", []):
            if snippet in text:
                tp += 1
            else:
                fn += 1
        for snippet in entry.get("without", []):
            if snippet in text:
                fp += 1
            else:
                tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    total = tp + fp + fn + tn
    return {
        "traf_pages": len(available),
        "traf_failures": failures,
        "traf_precision": round(precision, 4),
        "traf_recall": round(recall, 4),
        "traf_f1": round(2 * precision * recall / (precision + recall), 4)
        if precision + recall
        else 0.0,
        "traf_accuracy": round((tp + tn) / total, 4) if total else 0.0,
        "traf_pages_per_s": round(len(available) / elapsed, 2) if elapsed else 0.0,
    }


def evaluate(path: str, limit: int | None = None) -> dict[str, float | int]:
    """Run the benchmarks found at `path` and return flat metrics.

    `path` is a benchmark folder (``scrapinghub_aeb`` or ``trafilatura_eval``) or the
    folder holding both (``html_extraction_benchmarks``), in which case both run, each with
    `limit` pages at most.
    """
    root = Path(path)
    result: dict[str, float | int] = {}
    candidates = [root, root / "scrapinghub_aeb", root / "trafilatura_eval"]
    for directory in candidates:
        if (directory / "ground-truth.json").exists():
            result.update(evaluate_aeb(directory, limit))
        elif any((directory / n).exists() for n in ("evaldata_subset.json", "evaldata_full.json")):
            result.update(evaluate_trafilatura(directory, limit))
    if not result:
        raise FileNotFoundError(
            f"{path}: no extraction benchmark here (expected ground-truth.json or "
            "evaldata_subset.json, or a folder holding scrapinghub_aeb/ and trafilatura_eval/)"
        )
    return result


def main(ns: Namespace) -> dict[str, float | int]:
    """CLI entry: ``ttdn eval extraction DIR [--limit N]``."""
    return evaluate(ns.file, getattr(ns, "limit", None))
