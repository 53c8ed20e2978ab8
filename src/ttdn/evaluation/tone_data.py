"""Turn the shared tone data sets into `ttdn eval tone` input.

    python -m ttdn.evaluation.tone_data OUT_DIR [--data DIR]

writes OUT_DIR/tone_en_devtest_rw.jsonl and OUT_DIR/tone_vi_heldout.jsonl, rows
`{"text", "label", "lang", "id"}` plus `"target": {"from", "to"}` for NewsMTSC.

- NewsMTSC (`newsmtsc_en_news_sentiment/*.jsonl`): one row per target of each sentence;
  text = `sentence_normalized`, target = the mention's `from`/`to` (end exclusive), label from
  `polarity` (2 = negative, 4 = neutral, 6 = positive).
- DANeS (`danes_vi_news_sentiment/danes_dev.jsonl`, 1,368 records, 1,356 with a label):
  text = title, a line break, then the description (when there is one); label = `sentiment`.
  The held-out part is every record whose `danes_is_heldout(id)` is true (a fifth, by a hash
  of the record id, so it does not depend on file order); training never reads it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from ttdn.evaluation._common import shared_data_dir

POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
DANES_FILE = Path("danes_vi_news_sentiment") / "danes_dev.jsonl"
NEWSMTSC_DIR = Path("newsmtsc_en_news_sentiment")


def default_data_dir() -> Path:
    return shared_data_dir()


def danes_is_heldout(record_id: object) -> bool:
    """True for the fifth of DANeS records kept out of training (stable hash of the id)."""
    digest = hashlib.sha1(str(record_id).encode("utf-8"), usedforsecurity=False).hexdigest()
    return int(digest, 16) % 5 == 0


def danes_rows(path: Path, part: str = "heldout") -> list[dict[str, object]]:
    """Labelled DANeS records of `part` ("heldout", "train" or "all")."""
    if part not in ("heldout", "train", "all"):
        raise ValueError(part)
    rows: list[dict[str, object]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("sentiment") not in POLARITY.values():
                continue
            held = danes_is_heldout(r["id"])
            if (part == "heldout" and not held) or (part == "train" and held):
                continue
            text = str(r.get("title") or "").strip()
            description = str(r.get("description") or "").strip()
            if description:
                text = f"{text}\n{description}" if text else description
            if text:
                rows.append({"text": text, "label": r["sentiment"], "lang": "vi", "id": r["id"]})
    return rows


def newsmtsc_rows(path: Path) -> list[dict[str, object]]:
    """One row per target mention of a NewsMTSC split."""
    rows: list[dict[str, object]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            text = r["sentence_normalized"]
            for t in r["targets"]:
                rows.append(
                    {
                        "text": text,
                        "label": POLARITY[float(t["polarity"])],
                        "target": {"from": int(t["from"]), "to": int(t["to"])},
                        "lang": "en",
                        "id": t["Input.gid"],
                    }
                )
    return rows


def write_jsonl(rows: Iterable[dict[str, object]], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def build(data: Path, out: Path) -> dict[str, str]:
    """Write both evaluation files; returns {name: path}."""
    en = out / "tone_en_devtest_rw.jsonl"
    vi = out / "tone_vi_heldout.jsonl"
    write_jsonl(newsmtsc_rows(data / NEWSMTSC_DIR / "devtest_rw.jsonl"), en)
    write_jsonl(danes_rows(data / DANES_FILE, "heldout"), vi)
    return {"en_devtest_rw": str(en), "vi_heldout": str(vi)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--data", type=Path, default=None)
    ns = parser.parse_args(argv)
    print(json.dumps(build(ns.data or default_data_dir(), ns.out), sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
