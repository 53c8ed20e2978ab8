"""Build the bundled demo corpus (src/ttdn/data/demo/corpus.jsonl.gz) from ../shared/data.

Only openly licensed text is bundled, with attribution on every row:
- Global Voices documents of the ML-Crisis set (source_kind == "globalvoices"; CC BY 3.0),
- DANeS headlines and descriptions from the unlabelled batch 8 (CC BY 4.0), which the tone
  model never trains or evaluates on.
Run: python scripts/build_demo_corpus.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

DANES_LIMIT = 800


def main(shared: Path, out: Path) -> dict[str, int]:
    rows: list[dict[str, str]] = []
    crisis = shared / "ml_crisis_multilingual_timelines" / "ml_crisis_docs.jsonl"
    for line in crisis.open(encoding="utf-8"):
        doc = json.loads(line)
        if doc["source_kind"] != "globalvoices":
            continue
        text = doc["text"].strip()
        title = text.splitlines()[0][:200]
        rows.append(
            {
                "id": f"gv-{doc['doc_id'].replace('/', '-')}",
                "feed": f"globalvoices-{doc['lang']}",
                "lang": doc["lang"],
                "title": title,
                "text": text,
                "date": doc["date"],
                "licence": "CC BY 3.0",
                "attribution": "Global Voices (via ML-Crisis, La Quatra et al. 2021)",
            }
        )
    batch = shared / "danes_vi_news_sentiment" / "raw_unlabelled_batch_8.original.json"
    taken = 0
    for record in json.loads(batch.read_text(encoding="utf-8")):
        description = (record.get("meta") or {}).get("description", "").strip()
        uri = (record.get("meta") or {}).get("uri", "")
        if not description or not uri or taken >= DANES_LIMIT:
            continue
        taken += 1
        rows.append(
            {
                "id": f"danes-{taken}",
                "feed": "danes-vi",
                "outlet": (urlsplit(uri).hostname or "").removeprefix("www."),
                "lang": "vi",
                "title": record["text"].strip(),
                "text": description,
                "date": "",
                "licence": "CC BY 4.0",
                "attribution": "DANeS, https://github.com/dataset-vn/DANeS",
                "original_url": uri,
            }
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return {"rows": len(rows), "danes": taken, "globalvoices": len(rows) - taken}


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    shared_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "data"
    print(json.dumps(main(shared_dir, root / "src/ttdn/data/demo/corpus.jsonl.gz")))
