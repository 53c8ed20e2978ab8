"""Bundled demo content for the embedded default (`ttdn demo`, run by `make run`)."""

from __future__ import annotations

import os
from typing import Any

from django.db import transaction

from ttdn.accounts.services import organisations_load
from ttdn.demo.corpus import FEEDS
from ttdn.monitor.models import Feed, Source


def demo_base_url() -> str:
    """Where the platform serves its own demo feeds (the embedded server by default)."""
    default = f"http://127.0.0.1:{os.environ.get('TTDN_PORT', '8000')}"
    return os.environ.get("TTDN_DEMO_BASE_URL", default).rstrip("/")


@transaction.atomic
def demo_sources_load(*, base_url: str | None = None, poll_interval_s: int = 15) -> int:
    """Create the demo sources (one per replayed feed); idempotent, keeps user edits."""
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
        Feed.objects.get_or_create(source=source, url=f"{base}/demo/feeds/{key}.xml")
    return created


def demo_load() -> dict[str, Any]:
    """Load the organisations (34 units, 63 former units) and the demo sources; idempotent."""
    from ttdn.portal.demo import portal_demo_load  # the portal's pages (own app)

    return {
        "organisations": organisations_load(),
        "demo_sources_created": demo_sources_load(),
        "portal": portal_demo_load(),
    }
