"""Bundled demo content for the embedded default (`ttdn demo`, run by `make run`)."""

from __future__ import annotations

import os
from typing import Any

from django.db import transaction

from ttdn.accounts.services import organisations_load
from ttdn.demo.corpus import FEEDS
from ttdn.monitor.models import Feed, Source


def demo_base_url(port: int | None = None) -> str:
    """Where the platform serves its own demo feeds: TTDN_DEMO_BASE_URL if set, else the
    embedded server on 127.0.0.1 at `port` (the one `ttdn run` listens on), TTDN_PORT, 8000."""
    explicit = os.environ.get("TTDN_DEMO_BASE_URL", "").strip()
    if explicit:
        return explicit.rstrip("/")
    return f"http://127.0.0.1:{port or os.environ.get('TTDN_PORT') or 8000}"


def _feed_path(key: str) -> str:
    return f"/demo/feeds/{key}.xml"


@transaction.atomic
def demo_sources_load(*, base_url: str | None = None, poll_interval_s: int = 15) -> int:
    """Create the demo sources (one per replayed feed); idempotent, keeps user edits.

    A demo source has one demo feed, whatever the port it was first set up on: running setup
    again (or on another port) moves that feed to the current address instead of adding a
    second one."""
    base = base_url or demo_base_url()
    created = 0
    for key, meta in FEEDS.items():
        source, was_created = Source.objects.get_or_create(
            name=str(meta["name"]),
            defaults={
                "outlet": meta["outlet"],
                "country": meta["country"],
                "languages": meta["languages"],
                "kind": meta["kind"],
                "poll_interval_s": poll_interval_s,
                "allow_private": True,
            },
        )
        created += was_created
        url = f"{base}{_feed_path(key)}"
        feeds = list(source.feeds.filter(url__endswith=_feed_path(key)).order_by("id"))
        if not feeds:
            Feed.objects.create(source=source, url=url)
            continue
        keep, extra = feeds[0], feeds[1:]
        for feed in extra:  # left by earlier versions, which added one feed per port
            feed.delete()
        if keep.url != url:
            keep.url = url
            keep.etag = keep.last_modified = ""
            keep.save()
    return created


def demo_feeds_follow(*, port: int) -> int:
    """Point the demo feeds at the port the platform now runs on (unless TTDN_DEMO_BASE_URL
    names another address); returns how many feeds moved. Called by `ttdn run`, so
    `ttdn run --port 8001` fetches its demo feeds from 8001."""
    base = demo_base_url(port)
    moved = 0
    for key in FEEDS:
        url = f"{base}{_feed_path(key)}"
        for feed in Feed.objects.filter(
            source__name=str(FEEDS[key]["name"]), url__endswith=_feed_path(key)
        ).exclude(url=url):
            feed.url = url
            feed.etag = feed.last_modified = ""
            feed.save()
            moved += 1
    return moved


def demo_load() -> dict[str, Any]:
    """Load the organisations (34 units, 63 former units) and the demo sources; idempotent."""
    from ttdn.coordinate.demo import coordinate_demo_load  # after the organisations exist
    from ttdn.portal.demo import portal_demo_load  # the portal's pages (own app)
    from ttdn.respond.demo import respond_demo_load

    return {
        "organisations": organisations_load(),
        "demo_sources_created": demo_sources_load(),
        "coordinate": coordinate_demo_load(),
        "portal": portal_demo_load(),
        "respond": respond_demo_load(),
    }
