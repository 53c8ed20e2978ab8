"""Writes for the monitor, the app's public door: add a source, poll it, import a file,
store an article. The work lives in modules with one job each, re-exported here:

- `ingest`: poll → fetch → extract → normalise → queue (and the JSONL import);
- `stories_consumer`: the single consumer that assigns queued articles to stories;
- `store`: one report, its places and its story per transaction, then announced;
- `counters`: named counters of everything dropped; `leases`: the poll lock, the
  consumer lease.
"""

from __future__ import annotations

from django.db import transaction

from ttdn.monitor.counters import counter_increment
from ttdn.monitor.ingest import (
    INGEST_BATCH,
    feed_poll,
    items_ingest,
    reports_import_jsonl,
    source_poll,
)
from ttdn.monitor.leases import (
    LOCK_SECONDS,
    source_lock,
    source_unlock,
    sources_claim_due,
    sources_due,
)
from ttdn.monitor.models import Feed, PlaceMention, Report, Source, Story
from ttdn.monitor.store import article_dated, article_store, report_store_analysed, url_hash
from ttdn.monitor.story_facets import facets_fill

__all__ = [
    "INGEST_BATCH",
    "LOCK_SECONDS",
    "article_dated",
    "article_store",
    "counter_increment",
    "feed_poll",
    "items_ingest",
    "report_store_analysed",
    "reports_import_jsonl",
    "source_add",
    "source_lock",
    "source_poll",
    "source_unlock",
    "sources_claim_due",
    "sources_due",
    "story_facets_refresh",
    "url_hash",
]


@transaction.atomic
def source_add(
    *,
    name: str,
    feed_url: str,
    country: str = "",
    languages: list[str] | None = None,
    kind: str = "international",
    poll_interval_s: int = 900,
    allow_private: bool = False,
) -> Source:
    """Create a source with one feed (or add the feed to the source of that name)."""
    source, _ = Source.objects.get_or_create(
        name=name,
        defaults={
            "country": country.upper()[:2],
            "languages": languages or [],
            "kind": kind,
            "poll_interval_s": poll_interval_s,
            "allow_private": allow_private,
        },
    )
    feed = Feed(source=source, url=feed_url)
    feed.full_clean(exclude=["source"], validate_unique=False)
    Feed.objects.get_or_create(source=source, url=feed_url)
    return source


def story_facets_refresh(*, ids: list[int] | None = None) -> int:
    """Recount the outlet countries and places of the given stories (all when None) from
    their reports: after a source changes country or is deleted, or after reports were
    written around the pipeline (fixtures, bulk loads). Returns the stories written."""
    return facets_fill(Story, Report, PlaceMention, ids=ids)
