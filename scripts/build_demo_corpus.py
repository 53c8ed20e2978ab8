"""Build the bundled demo corpus (src/ttdn/data/demo/corpus.jsonl.gz) from ../shared/data.

Only openly licensed text is bundled, with attribution on every row (and in
src/ttdn/data/demo/SOURCE.md, which also gives each licence):
- Global Voices documents of the ML-Crisis set (source_kind == "globalvoices"; CC BY 3.0),
- DANeS headlines and descriptions from the unlabelled batch 8 (CC BY 4.0), which the tone
  model never trains or evaluates on,
- Wikipedia "Portal:Current events" items that name Viet Nam (English, CC BY-SA 4.0): short
  summaries by Wikipedia's editors. The outlets they cite did not write them, so a row's
  outlet is Wikipedia and the cited outlets are kept apart (`cited`), shown only as
  "cited by Wikipedia's editors" on the demo page, never as the text's author,
- Japanese Wikinews articles that mention Viet Nam (CC BY 2.5), with the site's trailing
  related-news list and its citation block cut off (see `_wikinews_body`).
Run: python scripts/build_demo_corpus.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

DANES_LIMIT = 800
TITLE_CHARS = 120

# Wikinews appends "2016年8月16日(火):<headline>" related-article lines (the same ones under
# every typhoon article) and then its sources as 『title』。outlet、date。 — not the article.
_WIKINEWS_RELATED = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日\([月火水木金土日]\):")
_WIKINEWS_CITATION = re.compile(
    r"[『\"][^』\"]{1,200}[』\"]。[^。]{1,60}、\d{4}年\d{1,2}月\d{1,2}日。"
)


def headline_from(text: str, limit: int = TITLE_CHARS) -> str:
    """The first sentence, or its first words up to `limit` characters and "…" (never mid-word)."""
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'“])", text.strip(), maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[: limit + 1].rsplit(" ", 1)[0].rstrip(",;: ")
    return cut + "…"


def _wikinews_body(text: str) -> str:
    for pattern in (_WIKINEWS_RELATED, _WIKINEWS_CITATION):
        match = pattern.search(text)
        if match:
            text = text[: match.start()]
    text = text.strip()
    # one paragraph per three sentences (the dataset lost the article's line breaks)
    sentences = [s for s in re.split(r"(?<=。)", text) if s.strip()]
    return "\n".join("".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


def wikipedia_rows(shared: Path) -> list[dict[str, object]]:
    path = shared / "wikipedia_current_events_vietnam" / "items.jsonl"
    items = [json.loads(line) for line in path.open(encoding="utf-8")]
    rows: list[dict[str, object]] = []
    # newest first: the demo opens on this decade's coverage
    for number, item in sorted(enumerate(items, 1), key=lambda pair: pair[1]["date"], reverse=True):
        text = item["text"].strip()
        rows.append(
            {
                "id": f"wpce-{number}",
                "feed": "wikipedia-en",
                "outlet": "Wikipedia (Portal:Current events)",
                "lang": "en",
                "title": headline_from(text),
                "text": text,
                "date": item["date"],
                "licence": "CC BY-SA 4.0",
                "attribution": (
                    "Wikipedia contributors, Portal:Current events "
                    "(adapted: one item of the day page)"
                ),
                "original_url": item["source_uri"],
                "cited": item.get("cited_outlets") or [],
            }
        )
    return rows


def wikinews_rows(shared: Path) -> list[dict[str, object]]:
    path = shared / "wikinews_ja_vietnam" / "items.jsonl"
    rows: list[dict[str, object]] = []
    for line in path.open(encoding="utf-8"):
        item = json.loads(line)
        body = _wikinews_body(item["text"])
        if len(body) < 80:
            continue
        rows.append(
            {
                "id": f"wnja-{item['id']}",
                "feed": "wikinews-ja",
                "outlet": "ウィキニュース (Wikinews, Japanese)",
                "lang": "ja",
                "title": item["headline"].strip(),
                "text": body,
                "date": "",
                "licence": "CC BY 2.5",
                "attribution": (
                    "Japanese Wikinews contributors (via the jawikinews-headline-dataset; "
                    "normalised and de-tokenised, related-news list and citations removed)"
                ),
                "original_url": "https://ja.wikinews.org/",
            }
        )
    return rows


def main(shared: Path, out: Path) -> dict[str, int]:
    rows: list[dict[str, object]] = []
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
    wikipedia = wikipedia_rows(shared)
    wikinews = wikinews_rows(shared)
    rows += wikipedia + wikinews
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return {
        "rows": len(rows),
        "danes": taken,
        "globalvoices": len(rows) - taken - len(wikipedia) - len(wikinews),
        "wikipedia": len(wikipedia),
        "wikinews": len(wikinews),
    }


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    shared_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "data"
    print(json.dumps(main(shared_dir, root / "src/ttdn/data/demo/corpus.jsonl.gz")))
