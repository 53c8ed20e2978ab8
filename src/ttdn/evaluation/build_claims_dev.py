"""Development files for `ttdn eval claims` from ../shared/data and our own translations.

    python -m ttdn.evaluation.build_claims_dev OUT_DIR

writes
* ``claims_dev_en.jsonl`` — the development part of ECB+ claim pairs: topics with
  ``topic % 3 == 0`` (9 of the 28 topics; `ttdn train claims` never reads them);
* ``claims_dev_vi_en.jsonl`` — the same pairs for 45 development claims, the claim translated
  into Vietnamese by hand (`data/claims_vi.json`), the English reports unchanged;
* ``claims_dev_vi_fr_ru.jsonl`` — 12 of those Vietnamese claims against one same-event and one
  same-kind-other-instance report each, the report's headline and lead translated into French
  and Russian by hand (`data/reports_fr_ru.json`; 48 pairs).

The translations are ours (written for this project), from ECB+ sentences (CC BY 3.0,
Cybulska & Vossen 2014); the report texts stay evaluation-only, as ../shared/data says.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ttdn.evaluation._common import read_jsonl, shared_data_dir

DATA = Path(__file__).with_name("data")
PAIRS = "ecbplus_claim_pairs/claims_dev.jsonl"


def is_dev_topic(topic: int) -> bool:
    """The split: every third ECB+ topic is development, the rest is training."""
    return int(topic) % 3 == 0


def ecb_rows(data: Path | None = None) -> list[dict[str, Any]]:
    return read_jsonl((data or shared_data_dir()) / PAIRS)


def dev_en(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    return (r for r in rows if is_dev_topic(r["topic"]))


def dev_vi_en(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    vi = json.loads((DATA / "claims_vi.json").read_text(encoding="utf-8"))
    for r in rows:
        if r["claim_doc"] in vi and is_dev_topic(r["topic"]):
            yield {**r, "claim": vi[r["claim_doc"]], "claim_lang": "vi", "claim_en": r["claim"]}


def dev_vi_fr_ru(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    vi = json.loads((DATA / "claims_vi.json").read_text(encoding="utf-8"))
    reports = json.loads((DATA / "reports_fr_ru.json").read_text(encoding="utf-8"))
    seen = set()
    for r in rows:
        key = (r["claim_doc"], r["doc_id"])
        if r["claim_doc"] not in vi or r["doc_id"] not in reports or key in seen:
            continue
        if r["kind"] == "other_topic":
            continue
        seen.add(key)
        for lang in ("fr", "ru"):
            title, text = reports[r["doc_id"]][lang]
            yield {
                "claim": vi[r["claim_doc"]],
                "claim_lang": "vi",
                "title": title,
                "text": text,
                "lang": lang,
                "label": r["label"],
                "kind": r["kind"],
                "topic": r["topic"],
                "claim_doc": r["claim_doc"],
                "doc_id": r["doc_id"],
            }


def write(path: Path, items: Iterator[dict[str, Any]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
            n += 1
    return n


def build(out: Path, data: Path | None = None) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    rows = ecb_rows(data)
    return {
        "claims_dev_en.jsonl": write(out / "claims_dev_en.jsonl", dev_en(rows)),
        "claims_dev_vi_en.jsonl": write(out / "claims_dev_vi_en.jsonl", dev_vi_en(rows)),
        "claims_dev_vi_fr_ru.jsonl": write(out / "claims_dev_vi_fr_ru.jsonl", dev_vi_fr_ru(rows)),
    }


if __name__ == "__main__":  # pragma: no cover - a development tool
    print(json.dumps(build(Path(sys.argv[1]))))
