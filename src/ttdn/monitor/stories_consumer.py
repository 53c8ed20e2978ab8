"""The story consumer: one process at a time assigns queued articles to stories.

The pipeline has two kinds of stage. The stateless ones (fetch, extract, language, places,
embedding, tone, dimensions) depend on the article alone; they are also the expensive ones
(the embedding model), so any number of workers run them (`articles_enqueue`) and leave the
result in `PendingArticle`. The stateful ones (near-duplicate check against what came
before, online story clustering, cross-lingual links) need the whole stream in one place
and in one order; they cost a few milliseconds per article, so ONE consumer runs them for
every language (`pending_assign`) — cross-lingual links need every language's stories in the
same state, so the shard is the whole stream.

One consumer is enforced, not assumed: `pending_assign` runs only under the "stories"
`ConsumerLease`. A consumer that takes the lease from another process rebuilds its
in-memory state from the database first, so a takeover (the old consumer died) continues
the same stories. A lease held by a dead process of this host is taken over at once;
otherwise it lapses after `LEASE_SECONDS`.

Exactly once: reports are stored and their queue rows deleted in one transaction (a chunk
of up to `STORE_CHUNK` rows: one commit per report cost more than the report on a world
stream); reports are unique by URL hash. A worker killed after enqueueing leaves rows that the next
`pending_assign` stores; a consumer killed mid-batch leaves the rows it had not committed.

Embedded default: both halves run in the worker thread, one after the other
(`stories_assign_soon` assigns inline). Scaled out (`TTDN_BROKER_URL`): it sends the
`monitor.stories_assign` job to the "stories" queue, which one Celery worker consumes, and beat
sweeps the queue every few seconds as well.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import F

from ttdn.core import jobs
from ttdn.core.processes import owner
from ttdn.monitor.counters import counter_increment
from ttdn.monitor.leases import lease_pause, lease_take
from ttdn.monitor.models import FetchLog, PendingArticle, Report, Source
from ttdn.monitor.runtime import MonitorRuntime
from ttdn.monitor.store import (
    Announcements,
    article_dated,
    own_links,
    report_save,
    report_store_analysed,
)
from ttdn.pipeline.analyse import Enrichment
from ttdn.pipeline.types import Article

logger = logging.getLogger(__name__)

LEASE = "stories"
LEASE_SECONDS = 60
#: Queue rows assigned per lease renewal.
ASSIGN_BATCH = 200
#: Queue rows stored per transaction. One commit per report cost more than storing it on a
#: world stream (issue 14); a chunk commits, or rolls back and is stored one by one.
STORE_CHUNK = 32


# --------------------------------------------------------------------------- enqueue


def _article_json(article: Article, published: dt.datetime, estimated: bool) -> dict[str, Any]:
    return {
        "url": article.url,
        "title": article.title,
        "text": article.text,
        "author": article.author,
        "canonical_url": article.canonical_url,
        "language_hint": article.language_hint,
        "published": published.isoformat(),
        "estimated": estimated,
        "links": own_links(article),
    }


def _article_from_json(data: dict[str, Any]) -> tuple[Article, dt.datetime, bool]:
    published = dt.datetime.fromisoformat(data["published"])
    article = Article(
        url=data["url"],
        title=data["title"],
        text=data["text"],
        author=data.get("author", ""),
        canonical_url=data.get("canonical_url", ""),
        language_hint=data.get("language_hint", ""),
        published=published,
        extra={"links": list(data.get("links") or [])},
    )
    return article, published, bool(data.get("estimated"))


def articles_enqueue(
    *,
    articles: list[tuple[str, Article]],
    source: Source | None,
    runtime: MonitorRuntime,
    fetch_log: FetchLog | None = None,
) -> int:
    """Run the stateless stages on `(url hash, article)` pairs, one model call for the
    batch, and queue the results. Returns how many were queued (already queued or stored
    ones are skipped)."""
    dated = []
    for key, article in articles:
        prepared = article_dated(article)
        if prepared is not None:
            dated.append((key, *prepared))
    if not dated:
        return 0
    queued = 0
    with runtime.enrich_lock:
        enricher = runtime.enricher
        try:
            enricher.prepare([article for _, article, _, _ in dated])
        except Exception:  # noqa: BLE001 - enrich() embeds one by one and reports real errors
            logger.exception("batch embedding failed; embedding one by one")
            counter_increment("embed", "batch_failed")
        keys = [key for key, *_ in dated]
        known = set(Report.objects.filter(url_hash__in=keys).values_list("url_hash", flat=True))
        known |= set(
            PendingArticle.objects.filter(url_hash__in=keys).values_list("url_hash", flat=True)
        )
        rows: dict[str, PendingArticle] = {}
        for key, article, published, estimated in dated:
            if key in known or key in rows:
                continue
            enrichment = enricher.enrich(article)
            rows[key] = PendingArticle(
                url_hash=key,
                source=source,
                fetch_log=fetch_log,
                article=_article_json(article, published, estimated),
                enrichment=enrichment.to_json(),
                embedding=np.asarray(enrichment.embedding, dtype=np.float32).tobytes(),
            )
        # one statement and one commit for the batch (a commit per row cost more than the
        # row on a world stream); a row another worker queued meanwhile is left as it is
        PendingArticle.objects.bulk_create(rows.values(), ignore_conflicts=True)
        queued += len(rows)
    return queued


def stories_assign_soon(*, runtime: MonitorRuntime) -> int:
    """Have the consumer assign what is queued: inline on the embedded default (returns the
    reports stored), or by sending `stories_assign` to its queue when scaled out (0)."""
    if jobs.runs_here():
        return pending_assign(runtime=runtime)["reports_created"]
    jobs.dispatch("monitor.stories_assign")
    return 0


# --------------------------------------------------------------------------- assign


def pending_assign(*, runtime: MonitorRuntime, limit: int = 10_000) -> dict[str, Any]:
    """Assign queued articles to stories, oldest first, if this process holds the lease."""
    summary: dict[str, Any] = {"reports_created": 0, "skipped": 0, "leased_by_other": False}
    if not PendingArticle.objects.exists():
        return summary
    previous = lease_take(LEASE, LEASE_SECONDS)
    if previous is None:
        summary["leased_by_other"] = True
        return summary
    try:
        if previous and previous != owner():
            runtime.invalidate()  # another consumer ran since: rebuild from the database
        done = 0
        while done < limit:
            ids = list(
                PendingArticle.objects.order_by("id").values_list("id", flat=True)[:ASSIGN_BATCH]
            )
            if not ids:
                break
            for start in range(0, len(ids), STORE_CHUNK):
                chunk = ids[start : start + STORE_CHUNK]
                created = _assign_chunk(chunk, runtime)
                summary["reports_created"] += created
                summary["skipped"] += len(chunk) - created
                done += len(chunk)
            # renew; lost it (we stalled past the expiry): stop
            if lease_take(LEASE, LEASE_SECONDS) is None:
                break
    finally:
        lease_pause(LEASE)
    return summary


def _assign_chunk(ids: list[int], runtime: MonitorRuntime) -> int:
    """Store the queue rows `ids` (in order) in ONE transaction; returns reports stored.

    Exactly once still holds: the reports and the deletion of their queue rows commit
    together. When the chunk fails on a URL another worker stored meanwhile, the chunk is
    rolled back, the in-memory state dropped, and its rows are stored one by one (the
    per-report path, which skips such a URL); any other failure is raised as before."""
    rows = {r.pk: r for r in PendingArticle.objects.filter(pk__in=ids).select_related("source")}
    created = 0
    per_poll: dict[int, int] = {}
    announcements = Announcements()
    try:
        with runtime.lock, transaction.atomic():
            stored = set(
                Report.objects.filter(url_hash__in=[r.url_hash for r in rows.values()])
                .values_list("url_hash", flat=True)
            )  # fmt: skip
            for pending_id in ids:
                row = rows.get(pending_id)
                if row is None:
                    continue
                if row.url_hash in stored:
                    counter_increment("dedupe", "url_already_stored")
                    continue
                article, published, estimated = _article_from_json(row.article)
                vector = np.frombuffer(bytes(row.embedding), dtype=np.float32).copy()
                enrichment = Enrichment.from_json(row.enrichment, vector)
                analysis = runtime.analyser.place(
                    article, enrichment, key=row.url_hash, published=published.timestamp()
                )
                report_save(article, row.source, row.url_hash, published, estimated, analysis,
                            announcements)  # fmt: skip
                stored.add(row.url_hash)
                created += 1
                if row.fetch_log_id is not None:
                    per_poll[row.fetch_log_id] = per_poll.get(row.fetch_log_id, 0) + 1
            # the chunk's events together, still inside its transaction (the roll-ups commit
            # with the reports; the other subscribers' jobs are queued for after the commit)
            announcements.announce()
            PendingArticle.objects.filter(pk__in=list(rows)).delete()
            # counted to the polls that queued them, in the same transaction (`_dequeue`)
            for fetch_log_id, count in per_poll.items():
                FetchLog.objects.filter(pk=fetch_log_id).update(
                    reports_created=F("reports_created") + count
                )
    except IntegrityError:
        runtime.invalidate()
        counter_increment("monitor", "chunk_stored_one_by_one")
        return sum(_assign_one(pending_id, runtime) is not None for pending_id in ids)
    except Exception:
        runtime.invalidate()
        raise
    return created


def _assign_one(pending_id: int, runtime: MonitorRuntime) -> Report | None:
    row = PendingArticle.objects.filter(pk=pending_id).select_related("source").first()
    if row is None:
        return None
    if Report.objects.filter(url_hash=row.url_hash).exists():
        PendingArticle.objects.filter(pk=pending_id).delete()
        counter_increment("dedupe", "url_already_stored")
        return None
    article, published, estimated = _article_from_json(row.article)
    vector = np.frombuffer(bytes(row.embedding), dtype=np.float32).copy()
    enrichment = Enrichment.from_json(row.enrichment, vector)
    with runtime.lock:
        analysis = runtime.analyser.place(
            article, enrichment, key=row.url_hash, published=published.timestamp()
        )
        return report_store_analysed(
            article=article, source=row.source, runtime=runtime, key=row.url_hash,
            published=published, estimated=estimated, analysis=analysis,
            also=lambda: _dequeue(pending_id, row.fetch_log_id),
        )  # fmt: skip


def _dequeue(pending_id: int, fetch_log_id: int | None) -> None:
    """In the report's own transaction: drop its queue row and count it to the poll that
    queued it (so a killed consumer neither loses nor doubles the count)."""
    PendingArticle.objects.filter(pk=pending_id).delete()
    if fetch_log_id is not None:
        FetchLog.objects.filter(pk=fetch_log_id).update(reports_created=F("reports_created") + 1)
