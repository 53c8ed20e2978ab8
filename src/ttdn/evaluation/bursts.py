"""Evaluate burst detection against the key dates of human crisis timelines (ML-Crisis).

For each topic (egypt, libya, syria, yemen) the dated es/fr/it articles are counted per day
(exact duplicate texts counted once: syndicated copy is one report), bursts are detected over
the daily series, and compared with the union of the dates in that topic's four reference
timelines (en, es, fr, it), restricted to the span of the topic's articles (a date outside it
cannot be detected):

- recall@±N: share of key dates with a burst day within N days;
- precision@±N: share of burst days within N days of a key date;
- chance_precision@±N: the same share for a day drawn at random from the topic's span, i.e.
  what precision a detector with no skill gets; `lift` = precision / chance;
- top_volume_*: precision/recall when the same number of days is picked by raw volume (the
  busiest days, chosen in hindsight over the whole series, so not possible online): the
  obvious alternative a burst detector must match;
- min_count_days_*: flagging every day with at least `min_count` articles: its recall is the
  most any detector with that floor can reach on this sparse sample.

Input: the shared data folder, the `ml_crisis_multilingual_timelines` folder, or its
`ml_crisis_docs.jsonl` (the reference timelines are read from beside it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ttdn.pipeline.bursts import BurstParams, detect

DATASET = "ml_crisis_multilingual_timelines"
DOCS = "ml_crisis_docs.jsonl"
TIMELINES = "reference_timelines"
WINDOWS = (0, 1, 2, 3)
_DATE_LINE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\s*$")


def _locate(path: Path) -> tuple[Path, Path]:
    if path.is_file():
        return path, path.parent / TIMELINES
    for base in (path, path / DATASET):
        if (base / DOCS).is_file():
            return base / DOCS, base / TIMELINES
    raise FileNotFoundError(f"no {DOCS} under {path}")


def read_key_dates(timeline_dir: Path) -> dict[str, set[int]]:
    """Topic → key dates (as day ordinals) from `<lang>_<topic>.txt` timeline files."""
    out: dict[str, set[int]] = {}
    for f in sorted(timeline_dir.glob("*_*.txt")):
        topic = f.stem.split("_", 1)[1]
        for line in f.read_text(encoding="utf-8").splitlines():
            m = _DATE_LINE.match(line)
            if m:
                y, mo, d = (int(g) for g in m.groups())
                out.setdefault(topic, set()).add(date(y, mo, d).toordinal())
    return out


def read_daily_counts(docs: Path, limit: int | None = None) -> dict[str, Counter[int]]:
    """Topic → Counter(day ordinal → number of distinct texts)."""
    counts: dict[str, Counter[int]] = {}
    seen: set[str] = set()
    with docs.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            row = json.loads(line)
            digest = hashlib.blake2b(row["text"].strip().encode(), digest_size=16).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            day = date.fromisoformat(row["date"]).toordinal()
            counts.setdefault(row["topic"], Counter())[day] += 1
    return counts


def _near(days: Iterable[int], targets: set[int], n: int) -> list[bool]:
    return [any(d + k in targets for k in range(-n, n + 1)) for d in days]


def _pr(detected: Sequence[int], keys: set[int], n: int) -> tuple[int, int]:
    """(burst days near a key date, key dates near a burst day)."""
    det = set(detected)
    hits = sum(_near(detected, keys, n))
    covered = sum(_near(sorted(keys), det, n))
    return hits, covered


def evaluate(
    path_or_dir: str | Path, limit: int | None = None, params: BurstParams | None = None
) -> dict[str, Any]:
    """Run the detector per topic and score it against the timeline key dates."""
    docs, timeline_dir = _locate(Path(path_or_dir))
    counts = read_daily_counts(docs, limit)
    key_dates = read_key_dates(timeline_dir)
    p = params or BurstParams()
    topics: dict[str, Any] = {}
    totals: Counter[str] = Counter()
    for topic in sorted(counts):
        series = counts[topic]
        first, last = min(series), max(series)
        keys = {d for d in key_dates.get(topic, set()) if first <= d <= last}
        bursts = detect(dict(series), p, key=topic)
        burst_days = sorted(b.bucket for b in bursts)
        busiest = [d for d, _ in sorted(series.items(), key=lambda kv: (-kv[1], kv[0]))]
        top = busiest[: len(burst_days)]
        floor_days = sorted(d for d, c in series.items() if c >= p.min_count)
        span = last - first + 1
        entry: dict[str, Any] = {
            "days_span": span,
            "days_with_articles": len(series),
            "articles": sum(series.values()),
            "key_dates": len(keys),
            "burst_days": len(burst_days),
        }
        totals["key_dates"] += len(keys)
        totals["burst_days"] += len(burst_days)
        totals["span"] += span
        for n in WINDOWS:
            hits, covered = _pr(burst_days, keys, n)
            t_hits, t_cov = _pr(top, keys, n)
            f_hits, f_cov = _pr(floor_days, keys, n)
            near_key_days = sum(_near(range(first, last + 1), keys, n))
            entry[f"precision_pm{n}"] = round(hits / len(burst_days), 4) if burst_days else 0.0
            entry[f"recall_pm{n}"] = round(covered / len(keys), 4) if keys else 0.0
            entry[f"chance_precision_pm{n}"] = round(near_key_days / span, 4)
            entry[f"top_volume_precision_pm{n}"] = round(t_hits / len(top), 4) if top else 0.0
            entry[f"top_volume_recall_pm{n}"] = round(t_cov / len(keys), 4) if keys else 0.0
            totals[f"hits{n}"] += hits
            totals[f"covered{n}"] += covered
            totals[f"near{n}"] += near_key_days
            totals[f"t_hits{n}"] += t_hits
            totals[f"t_cov{n}"] += t_cov
            totals[f"f_hits{n}"] += f_hits
            totals[f"f_cov{n}"] += f_cov
        totals["floor_days"] += len(floor_days)
        topics[topic] = entry
    result: dict[str, Any] = {
        "kind": "bursts",
        "params": {k: getattr(p, k) for k in p.__dataclass_fields__},
        "topics": topics,
        "key_dates": totals["key_dates"],
        "burst_days": totals["burst_days"],
        "min_count_days": totals["floor_days"],
    }
    for n in WINDOWS:
        bd, kd = totals["burst_days"], totals["key_dates"]
        prec = totals[f"hits{n}"] / bd if bd else 0.0
        chance = totals[f"near{n}"] / totals["span"] if totals["span"] else 0.0
        result[f"precision_pm{n}"] = round(prec, 4)
        result[f"recall_pm{n}"] = round(totals[f"covered{n}"] / kd, 4) if kd else 0.0
        result[f"chance_precision_pm{n}"] = round(chance, 4)
        result[f"lift_pm{n}"] = round(prec / chance, 3) if chance else 0.0
        result[f"top_volume_precision_pm{n}"] = round(totals[f"t_hits{n}"] / bd, 4) if bd else 0.0
        result[f"top_volume_recall_pm{n}"] = round(totals[f"t_cov{n}"] / kd, 4) if kd else 0.0
        fd = totals["floor_days"]
        result[f"min_count_days_precision_pm{n}"] = (
            round(totals[f"f_hits{n}"] / fd, 4) if fd else 0.0
        )
        result[f"min_count_days_recall_pm{n}"] = round(totals[f"f_cov{n}"] / kd, 4) if kd else 0.0
    return result


def main(ns: argparse.Namespace) -> dict[str, Any]:
    """Entry point for `ttdn eval bursts PATH [--limit N]`."""
    return evaluate(ns.file, limit=getattr(ns, "limit", None))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m ttdn.evaluation.bursts")
    parser.add_argument("file")
    parser.add_argument("--limit", type=int, default=None)
    print(json.dumps(main(parser.parse_args()), ensure_ascii=False, sort_keys=True))
    sys.exit(0)
