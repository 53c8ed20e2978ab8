"""Build a development pairs file (`ttdn eval pairs` format) from the shared data.

ECB+ (English): two documents of the same event cluster → overall 1; same topic but another
event (the ECB+ "plus" twin events) → 3; different topics → 4. ML-Crisis (es/fr/it): the
exact-duplicate texts across files → 1 (same story, possibly cross-lingual copies are rare),
documents of different crisis topics in different languages → 4 (cross-lingual negatives).
Global Voices posts translated into two of es/fr/it → 1 (cross-lingual positives): found
*without* embeddings, as mutual best matches within 4 days on shared names (capitalised
words of 4+ letters) and numbers, Jaccard ≥ 0.3 (55 pairs, checked by eye: translations).
Other cross-lingual documents of the same crisis within 3 days → 2.5 (related, not counted
in accuracy, only in the correlation).
Harder cross-lingual pairs (`hard_crosslingual`, a file of their own with `--hard`): the
ML-Crisis human reference timelines in en/es/fr/it — two entries of one crisis dated the
same day in two languages → 1 (one event, summarised independently: not translations); two
entries of one crisis more than 30 days apart in two languages → 3 (same topic, another
event: the pairs a topic-level model gets wrong); a crisis article (es/fr/it) against an
English entry of its crisis dated more than 30 days away → 3.
Deterministic (seeded). Usage: python -m ttdn.evaluation.build_pairs_dev OUT [SHARED_DATA]
[--hard]
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

from ttdn.evaluation._common import shared_data_dir

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
    translations = gv_translations(crisis)
    for a, b in translations:
        pairs.append({"a": side(a, str(a["lang"])), "b": side(b, str(b["lang"])),
                      "overall": 1, "source": "crisis_gv_translation"})  # fmt: skip
    paired = {(str(a["doc_id"]), str(b["doc_id"])) for a, b in translations}
    dated = sorted(crisis, key=lambda d: (str(d["date"]), str(d["doc_id"])))
    related = 0
    for _ in range(per_kind * 20):
        if related >= per_kind // 2:
            break
        a = rng.choice(dated)
        close = [
            d
            for d in dated
            if d["topic"] == a["topic"]
            and d["lang"] != a["lang"]
            and abs(_day(d) - _day(a)) <= 3
            and (str(a["doc_id"]), str(d["doc_id"])) not in paired
            and (str(d["doc_id"]), str(a["doc_id"])) not in paired
        ]
        if close:
            b = rng.choice(close)
            pairs.append({"a": side(a, str(a["lang"])), "b": side(b, str(b["lang"])),
                          "overall": 2.5, "source": "crisis_cross_lingual_same_topic"})  # fmt: skip
            related += 1
    return pairs


TIMELINE_LANGS = ("en", "es", "fr", "it")
TOPICS = ("egypt", "libya", "syria", "yemen")
OTHER_EVENT_DAYS = 30


def timeline_entries(shared: Path) -> list[dict[str, object]]:
    """Entries of the reference timelines: {lang, topic, date, text} (a date line, its
    sentences, a dashed separator; the files are tokenised: " , " is put back as ", ")."""
    folder = shared / "ml_crisis_multilingual_timelines" / "reference_timelines"
    entries: list[dict[str, object]] = []
    for lang in TIMELINE_LANGS:
        for topic in TOPICS:
            path = folder / f"{lang}_{topic}.txt"
            if not path.exists():
                continue
            for block in path.read_text(encoding="utf-8").split("--------------------------------"):
                lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
                if len(lines) < 2 or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", lines[0]):
                    continue
                text = re.sub(r" ([,.;:!?)'])", r"\1", " ".join(lines[1:])).replace("( ", "(")
                entries.append({"lang": lang, "topic": topic, "date": lines[0], "text": text})
    return entries


def hard_crosslingual(shared: Path, per_kind: int = 150) -> list[dict[str, object]]:
    """Cross-lingual pairs of the same crisis: same day (1) or another event (3)."""
    rng = random.Random(SEED + 1)
    entries = timeline_entries(shared)
    if not entries:
        return []

    def side(entry: dict[str, object]) -> dict[str, object]:
        return {"title": "", "text": str(entry["text"])[:2000], "lang": entry["lang"]}

    pairs: list[dict[str, object]] = []
    for i, a in enumerate(entries):
        for b in entries[i + 1 :]:
            if a["topic"] == b["topic"] and a["lang"] != b["lang"] and a["date"] == b["date"]:
                pairs.append({"a": side(a), "b": side(b), "overall": 1,
                              "source": "timeline_same_day"})  # fmt: skip
    far = [
        (a, b)
        for i, a in enumerate(entries)
        for b in entries[i + 1 :]
        if a["topic"] == b["topic"] and a["lang"] != b["lang"]
        and abs(_day(a) - _day(b)) > OTHER_EVENT_DAYS
    ]  # fmt: skip
    for a, b in rng.sample(far, min(len(far), 3 * per_kind)):
        pairs.append({"a": side(a), "b": side(b), "overall": 3,
                      "source": "timeline_same_topic_other_event"})  # fmt: skip
    crisis_file = shared / "ml_crisis_multilingual_timelines" / "ml_crisis_docs.jsonl"
    if crisis_file.exists():
        docs = [json.loads(x) for x in crisis_file.open(encoding="utf-8")]
        english = [e for e in entries if e["lang"] == "en"]
        made = 0
        for _ in range(per_kind * 20):
            if made >= per_kind:
                break
            doc = rng.choice(docs)
            options = [e for e in english if e["topic"] == doc["topic"]
                       and abs(_day(e) - _day(doc)) > OTHER_EVENT_DAYS]  # fmt: skip
            if options:
                entry = rng.choice(options)
                pairs.append({"a": {"title": "", "text": str(doc["text"])[:2000],
                                    "lang": doc["lang"]}, "b": side(entry), "overall": 3,
                              "source": "crisis_doc_vs_timeline_other_event"})  # fmt: skip
                made += 1
    return pairs


def _day(doc: dict[str, object]) -> int:
    return dt.date.fromisoformat(str(doc["date"])).toordinal()


_NAME = re.compile(r"\b(?:[A-Z][\w'-]{3,}|\d{2,})\b")


def gv_translations(
    crisis: list[dict[str, object]],
) -> list[tuple[dict[str, object], dict[str, object]]]:
    """Global Voices posts that are translations of each other in two languages."""
    gv = [d for d in crisis if d.get("source_kind") == "globalvoices"]
    names = [
        {w.casefold() for w in _NAME.findall(unicodedata.normalize("NFC", str(d["text"])))}
        for d in gv
    ]
    days = [_day(d) for d in gv]
    best: dict[tuple[int, str], tuple[float, int]] = {}
    for i in range(len(gv)):
        for j in range(len(gv)):
            if gv[i]["lang"] == gv[j]["lang"] or abs(days[i] - days[j]) > 4:
                continue
            union = len(names[i] | names[j])
            score = len(names[i] & names[j]) / union if union else 0.0
            key = (i, str(gv[j]["lang"]))
            if score > best.get(key, (0.0, -1))[0]:
                best[key] = (score, j)
    out = []
    for (i, _lang), (score, j) in sorted(best.items()):
        if score >= 0.3 and i < j and best.get((j, str(gv[i]["lang"])), (0.0, -1))[1] == i:
            out.append((gv[i], gv[j]))
    return out


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--hard"]
    out = Path(args[0])
    shared = Path(args[1]) if len(args) > 1 else shared_data_dir()
    rows = hard_crosslingual(shared) if "--hard" in sys.argv else build(shared)
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(json.dumps({"pairs": len(rows)}))
