"""The bundled demo corpus, replayed as live feeds so the monitor fills up while one watches.

Item i of a feed "appears" at replay_start + i × interval (a few are visible at once), with
that moment as its publication time, so latency from appearance to stored story is real.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources

INITIAL_VISIBLE = 5

FEEDS: dict[str, dict[str, object]] = {
    "globalvoices-es": {
        "name": "Global Voices en Español",
        "outlet": "Global Voices",
        "country": "NL",
        "languages": ["es"],
        "kind": "international",
    },
    "globalvoices-fr": {
        "name": "Global Voices en Français",
        "outlet": "Global Voices",
        "country": "NL",
        "languages": ["fr"],
        "kind": "international",
    },
    "globalvoices-it": {
        "name": "Global Voices in Italiano",
        "outlet": "Global Voices",
        "country": "NL",
        "languages": ["it"],
        "kind": "international",
    },
    "danes-vi": {
        "name": "Báo điện tử Việt Nam (DANeS)",
        "outlet": "DANeS",
        "country": "VN",
        "languages": ["vi"],
        "kind": "domestic",
    },
    # Wikipedia's own summaries (its editors wrote them; the outlets they cite did not)
    "wikipedia-en": {
        "name": "Wikipedia: Current events (Việt Nam)",
        "outlet": "Wikipedia",
        "country": "US",
        "languages": ["en"],
        "kind": "international",
    },
    "wikinews-ja": {
        "name": "ウィキニュース (Wikinews tiếng Nhật)",
        "outlet": "Wikinews",
        "country": "US",
        "languages": ["ja"],
        "kind": "international",
    },
    # Respond's demo (our own text): its last item restates the demo's answered claim
    "respond-demo": {
        "name": "Demo: tin phản hồi (TTĐN)",
        "outlet": "TTĐN demo",
        "country": "SG",
        "languages": ["en"],
        "kind": "international",
    },
}


@dataclass(frozen=True, slots=True)
class DemoItem:
    id: str
    feed: str
    lang: str
    title: str
    text: str
    licence: str
    attribution: str
    outlet: str
    original_url: str = ""
    # outlets a summary's editors cited (Wikipedia): shown as such, never as the text's author
    cited: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def corpus() -> tuple[DemoItem, ...]:
    """All bundled items, in file order (read once: the file is immutable package data)."""
    path = resources.files("ttdn.data").joinpath("demo/corpus.jsonl.gz")
    items = []
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            items.append(
                DemoItem(
                    id=row["id"],
                    feed=row["feed"],
                    lang=row["lang"],
                    title=row["title"],
                    text=row["text"],
                    licence=row["licence"],
                    attribution=row["attribution"],
                    outlet=row.get("outlet", ""),
                    original_url=row.get("original_url", ""),
                    cited=tuple(row.get("cited", ())),
                )
            )
    extra = resources.files("ttdn.data").joinpath("demo/respond_feed.json")
    for index, row in enumerate(json.loads(extra.read_text(encoding="utf-8"))["items"]):
        items.append(
            DemoItem(
                id=f"respond-demo-{index}",
                feed="respond-demo",
                lang="en",
                title=row["title"],
                text=row["text"],
                licence="CC0 1.0",
                attribution="TTĐN demo (written for it)",
                outlet="TTĐN demo",
            )
        )
    return tuple(items)


def feed_items(feed: str) -> list[DemoItem]:
    return [item for item in corpus() if item.feed == feed]


def item_get(item_id: str) -> DemoItem | None:
    for item in corpus():
        if item.id == item_id:
            return item
    return None


def appeared_at(index: int, *, start: datetime, interval_s: float) -> datetime:
    return start + timedelta(seconds=max(0, index - INITIAL_VISIBLE + 1) * interval_s)


def visible(
    feed: str, *, start: datetime, interval_s: float, now: datetime | None = None, window: int = 30
) -> list[tuple[DemoItem, datetime]]:
    """The newest `window` items of `feed` that have appeared by `now`, newest first."""
    now = now or datetime.now(UTC)
    shown = []
    for index, item in enumerate(feed_items(feed)):
        at = appeared_at(index, start=start, interval_s=interval_s)
        if at > now:
            break
        shown.append((item, at))
    return list(reversed(shown[-window:]))
