"""Evaluate nation-brand dimension tagging against topic labels mapped to dimensions.

No corpus is labelled with NBI/GSPI dimensions, so we borrow topic labels that stand for
them (mapping documented in docs/decisions/0003-nation-brand-dimensions.md):

- DANeS (Vietnamese headlines + descriptions, 23 multi-label topics): `DANES_TOPIC_MAP`;
- Dân trí UNC (Vietnamese full articles, 10 sections, one per article): `DANTRI_SECTION_MAP`.

A record's gold set is the union of the dimensions its topics map to; topics without a
dimension (health, lifestyle, COVID-19 ...) add nothing, so a record with only such topics is a
negative for every dimension that source can label. A dimension none of a source's topics maps
to (exports, people, people_values, media_communication anywhere; governance, investment and
sustainability on Dân trí) is not scored on that source: we report how often it was predicted.

Input: a JSONL file made by `build_input` (one record per line: id, source, title, text,
gold[], topics[]), or the shared data folder itself (records are then built in memory).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ttdn.pipeline.dimensions import ALL_DIMENSIONS, DimensionTags, build_lexicon, tag

DANES_TOPIC_MAP: dict[str, tuple[str, ...]] = {
    "Kinh tế": ("business_trade",),
    "Chứng khoán": ("business_trade", "investment_immigration"),
    "Bất động sản": ("business_trade", "investment_immigration"),
    "Chính trị": ("governance",),
    "Pháp luật": ("governance",),
    "Thế giới": ("international_relations",),
    "Văn hoá": ("culture_heritage",),
    "Phim ảnh": ("culture_heritage",),
    "Giải trí": ("culture_heritage",),
    "Thể thao": ("culture_heritage",),
    "Du lịch": ("tourism",),
    "Giáo dục": ("education_science",),
    "Khoa học": ("education_science",),
    "Công nghệ": ("education_science",),
    "Môi trường": ("sustainable_future",),
    # No dimension: Đời sống, Xã hội, Covid-19, Hóng biến, Sức khoẻ, Giao thông, Game,
    # Không xác định.
}
DANTRI_SECTION_MAP: dict[str, tuple[str, ...]] = {
    "business": ("business_trade",),
    "education": ("education_science",),
    "science": ("education_science",),
    "tech": ("education_science",),
    "entertainment": ("culture_heritage",),
    "sport": ("culture_heritage",),
    "travel": ("tourism",),
    "world": ("international_relations",),
    # No dimension: health, society.
}
DANES_FILE = Path("danes_vi_news_sentiment") / "danes_dev.jsonl"
DANTRI_FILE = Path("vi_news_unc_dantri") / "unc_dantri_docs.jsonl"


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _gold(topics: Sequence[str], mapping: dict[str, tuple[str, ...]]) -> list[str]:
    return sorted({d for t in topics for d in mapping.get(t, ())})


def build_records(data_dir: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Evaluation records from the shared data folder (DANeS first, then Dân trí).

    With `limit`, at most that many records from each source (the first ones in file order).
    """
    records: list[dict[str, Any]] = []
    danes = data_dir / DANES_FILE
    dantri = data_dir / DANTRI_FILE
    for path in (danes, dantri):
        if not path.is_file():
            raise FileNotFoundError(f"missing evaluation input {path}")
    for i, row in enumerate(_read_jsonl(danes)):
        if limit is not None and i >= limit:
            break
        topics = [str(t) for t in row.get("topics_vi") or []]
        records.append(
            {
                "id": f"danes:{row['id']}",
                "source": "danes",
                "title": row.get("title") or "",
                "text": row.get("description") or "",
                "topics": topics,
                "gold": _gold(topics, DANES_TOPIC_MAP),
            }
        )
    for i, row in enumerate(_read_jsonl(dantri)):
        if limit is not None and i >= limit:
            break
        section = str(row["category"])
        records.append(
            {
                "id": f"dantri:{row['doc_id']}",
                "source": "dantri",
                "title": row.get("title") or "",
                "text": row.get("text") or "",
                "topics": [section],
                "gold": _gold([section], DANTRI_SECTION_MAP),
            }
        )
    return records


def build_input(data_dir: Path, out: Path, limit: int | None = None) -> int:
    """Write the evaluation JSONL from the shared data folder; return the record count."""
    records = build_records(data_dir, limit)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return len(records)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "support": tp + fn,
        "predicted": tp + fp,
    }


SOURCE_DIMENSIONS: dict[str, frozenset[str]] = {
    "danes": frozenset(d for ds in DANES_TOPIC_MAP.values() for d in ds),
    "dantri": frozenset(d for ds in DANTRI_SECTION_MAP.values() for d in ds),
}


def _evaluable(records: Sequence[dict[str, Any]]) -> dict[str, frozenset[str]]:
    """Dimensions that each source's labels can confirm or deny.

    A dimension no topic of a source maps to (Dân trí has no politics section) is not
    evaluable on that source's records: a prediction there is neither right nor wrong.
    """
    out: dict[str, frozenset[str]] = {}
    for source in {str(r["source"]) for r in records}:
        known = SOURCE_DIMENSIONS.get(source)
        if known is None:
            known = frozenset(d for r in records if r["source"] == source for d in r["gold"])
        out[source] = known
    return out


def score(
    records: Sequence[dict[str, Any]], predictions: Sequence[DimensionTags]
) -> dict[str, Any]:
    """Per-dimension P/R/F1 and micro/macro averages over the evaluable dimensions."""
    evaluable_by_source = _evaluable(records)
    evaluable = sorted(set().union(*evaluable_by_source.values())) if records else []
    counts = {d: [0, 0, 0] for d in ALL_DIMENSIONS}  # tp, fp, fn
    unscored = dict.fromkeys(ALL_DIMENSIONS, 0)
    for rec, pred in zip(records, predictions, strict=True):
        gold, got = set(rec["gold"]), set(pred.labels)
        scope = evaluable_by_source[str(rec["source"])]
        for d in ALL_DIMENSIONS:
            if d not in scope:
                unscored[d] += d in got
            elif d in got and d in gold:
                counts[d][0] += 1
            elif d in got:
                counts[d][1] += 1
            elif d in gold:
                counts[d][2] += 1
    per_dim = {d: _prf(*counts[d]) for d in evaluable}
    tp = sum(counts[d][0] for d in evaluable)
    fp = sum(counts[d][1] for d in evaluable)
    fn = sum(counts[d][2] for d in evaluable)
    micro = _prf(tp, fp, fn)
    n = len(evaluable) or 1
    return {
        "records": len(records),
        "per_dimension": per_dim,
        "micro_precision": micro["precision"],
        "micro_recall": micro["recall"],
        "micro_f1": micro["f1"],
        "macro_precision": round(sum(float(v["precision"]) for v in per_dim.values()) / n, 4),
        "macro_recall": round(sum(float(v["recall"]) for v in per_dim.values()) / n, 4),
        "macro_f1": round(sum(float(v["f1"]) for v in per_dim.values()) / n, 4),
        "predicted_where_not_evaluable": {d: c for d, c in unscored.items() if c},
        "records_without_label": sum(1 for p in predictions if not p.labels),
    }


def load_records(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Records from a JSONL file, or built from the shared data folder when `path` is one."""
    if path.is_dir():
        return build_records(path, limit)
    records = list(_read_jsonl(path))
    return records[:limit] if limit is not None else records


def evaluate(path: str | Path, limit: int | None = None) -> dict[str, Any]:
    """Tag every record and report P/R per dimension, overall and per source."""
    records = load_records(Path(path), limit)
    lexicon = build_lexicon()
    preds = [tag(lexicon, title=r["title"], text=r["text"]) for r in records]
    result: dict[str, Any] = {"kind": "dimensions", "lexicon_version": lexicon.version}
    result.update(score(records, preds))
    result["by_source"] = {}
    for source in sorted({r["source"] for r in records}):
        idx = [i for i, r in enumerate(records) if r["source"] == source]
        sub = score([records[i] for i in idx], [preds[i] for i in idx])
        result["by_source"][source] = sub
    return result


def main(ns: argparse.Namespace) -> dict[str, Any]:
    """Entry point for `ttdn eval dimensions FILE [--limit N]`."""
    return evaluate(ns.file, limit=getattr(ns, "limit", None))


def _cli(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ttdn.evaluation.dimensions",
        description="Build the input JSONL from shared data, or evaluate a JSONL/data folder.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write the evaluation JSONL from the shared data folder")
    b.add_argument("data_dir", type=Path)
    b.add_argument("out", type=Path)
    b.add_argument("--limit", type=int, default=None)
    e = sub.add_parser("eval", help="evaluate; prints JSON")
    e.add_argument("file")
    e.add_argument("--limit", type=int, default=None)
    ns = parser.parse_args(argv)
    if ns.command == "build":
        print(json.dumps({"records": build_input(ns.data_dir, ns.out, ns.limit)}))
    else:
        print(json.dumps(main(ns), ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(_cli())
