"""Build the pipeline's `Analyser` for this process and restore its state from the database."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import numpy as np
from django.utils import timezone

from ttdn.monitor.models import Report
from ttdn.peers import peer_countries
from ttdn.pipeline.analyse import Analyser, StoredReport
from ttdn.pipeline.embed import E5Embedder, Embedder, HashingEmbedder
from ttdn.pipeline.relevance import HOME_COUNTRY

# Reports older than this cannot join a story any more (the clusterer's window is shorter),
# and URL/near-duplicate checks against them are left to the unique URL-hash constraint.
RESTORE_WINDOW = dt.timedelta(days=7)


def embedder_build() -> Embedder:
    """TTDN_EMBEDDER=e5 (default: multilingual-e5-small, bundled) or hashing (fast, tests)."""
    choice = os.environ.get("TTDN_EMBEDDER", "e5")
    if choice == "hashing":
        return HashingEmbedder()
    return E5Embedder()


def embedding_to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def embedding_from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if not data:
        return None
    vector = np.frombuffer(bytes(data), dtype=np.float16).astype(np.float32)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


#: Reports per process restart that rebuild the outlets' boilerplate memory (newest first).
BOILERPLATE_RESTORE = 5000


def enricher_build() -> Analyser:
    """An Analyser used only for `prepare`/`enrich`: no story state, but the outlets'
    boilerplate memory (`pipeline.boilerplate`) is rebuilt from the newest stored reports."""
    enricher = Analyser(embedder=embedder_build(), tracked=tracked_countries())
    rows = list(
        Report.objects.order_by("-published_at", "-id").values_list(
            "url_hash", "url", "title", "text", "language", "published_at", "source_id"
        )[:BOILERPLATE_RESTORE]
    )
    enricher.observe_stored(
        StoredReport(
            key=key, url=url, title=title, text=text, language=language,
            published=published.timestamp(), embedding=None, story_key="",
            outlet=str(source_id or ""),
        )
        for key, url, title, text, language, published, source_id in reversed(rows)
    )  # fmt: skip
    return enricher


def tracked_countries() -> frozenset[str]:
    """The countries whose articles get the model stages: home and the share-of-voice peers
    (`TTDN_PEER_COUNTRIES`); the others are stored as counted, searchable reports."""
    return frozenset({HOME_COUNTRY, *peer_countries()})


def analyser_build() -> Analyser:
    # story ids are unique per analysing process (see Analyser.namespace)
    analyser = Analyser(
        embedder=embedder_build(), namespace=uuid.uuid4().hex[:8], tracked=tracked_countries()
    )
    since = timezone.now() - RESTORE_WINDOW
    rows = (
        Report.objects.filter(published_at__gte=since, story__isnull=False)
        .order_by("published_at", "id")
        .values_list(
            "url_hash",
            "url",
            "title",
            "text",
            "language",
            "published_at",
            "embedding",
            "story__cluster_key",
            "source_id",
        )
    )
    analyser.restore(
        StoredReport(
            key=key,
            url=url,
            title=title,
            text=text,
            language=language,
            published=published.timestamp(),
            embedding=embedding_from_bytes(embedding),
            story_key=story_key,
            outlet=str(source_id or ""),
        )
        for key, url, title, text, language, published, embedding, story_key, source_id in rows
    )
    return analyser
