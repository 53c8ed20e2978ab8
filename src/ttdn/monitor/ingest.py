"""Ingest: poll a source's feeds, fetch and extract each new item, normalise it and queue
it for the story consumer (`stories_consumer`); the same path replays a JSONL import.

One report per transaction downstream, and a feed's conditional-GET validators are saved
only after every item was handled, so a worker killed mid-batch loses nothing (the feed is
polled again) and doubles nothing (reports are unique by URL hash). Per-item failures are
counted under their reason (`counters`), never raised.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.utils import timezone
from tqdm import tqdm

from ttdn.core import jobs
from ttdn.monitor import stories_consumer
from ttdn.monitor.counters import counter_increment
from ttdn.monitor.leases import source_lock, source_lock_renew, source_unlock
from ttdn.monitor.models import Feed, FetchLog, Report, Source
from ttdn.monitor.runtime import MonitorRuntime, runtime_get
from ttdn.monitor.store import url_hash
from ttdn.pipeline import extract as extract_stage
from ttdn.pipeline import feeds as feeds_stage
from ttdn.pipeline.errors import ExtractionError, PipelineError
from ttdn.pipeline.fetch import fetch
from ttdn.pipeline.types import Article, FeedItem
from ttdn.pipeline.urls import safe_http_url


def source_poll(*, source_id: int, runtime: MonitorRuntime | None = None) -> dict[str, Any]:
    """Poll every feed of one source. Idempotent; a second concurrent call returns at once."""
    if not source_lock(source_id):
        return {"source": source_id, "skipped": "locked"}
    source = Source.objects.get(pk=source_id)
    runtime = runtime or runtime_get()
    summary: dict[str, Any] = {"source": source_id, "feeds": 0, "reports_created": 0}
    waits: list[float] = []
    try:
        for feed in source.feeds.all():
            source_lock_renew(source.pk)
            log = feed_poll(feed=feed, source=source, runtime=runtime, waits=waits)
            summary["feeds"] += 1
            summary["reports_created"] += log.reports_created
    finally:
        source_unlock(source, wait_at_least_s=max(waits, default=0.0))
    return summary


def feed_poll(
    *, feed: Feed, source: Source, runtime: MonitorRuntime, waits: list[float] | None = None
) -> FetchLog:
    """Poll one feed. A failed fetch is retried by the next poll; when the server said how
    long to wait (`retry_after` of a transient error), that is appended to `waits`."""
    started = time.monotonic()
    log = FetchLog(feed=feed)
    errors: list[str] = []
    try:
        result = fetch(
            feed.url,
            clients=runtime.clients,
            state=runtime.fetch_state,
            policy=runtime.policy_for(source),
            etag=feed.etag,
            last_modified=feed.last_modified,
            allow_private=source.allow_private,
        )
    except PipelineError as exc:
        counter_increment("fetch_feed", exc.reason)
        errors.append(f"{exc.reason}: {exc}")
        if waits is not None and getattr(exc, "retry_after", None):
            waits.append(float(exc.retry_after))  # type: ignore[attr-defined]
        feed.last_error = str(exc)[:2000]
        feed.last_fetched_at = timezone.now()
        feed.save(update_fields=["last_error", "last_fetched_at"])
        log.errors = errors
        log.duration_ms = int((time.monotonic() - started) * 1000)
        log.save()
        return log
    log.status = result.status
    if not result.not_modified:
        parsed = feeds_stage.parse(
            result.body, url=result.final_url, content_type=result.content_type
        )
        for problem in parsed.errors:
            counter_increment("parse_feed", "feed_error")
            errors.append(problem)
        log.items_seen = len(parsed.items)
        # saved before the items: each report is counted to this fetch by whoever stores it
        # (this thread when embedded, the story consumer's worker when scaled out)
        log.save()
        items_ingest(
            items=parsed.items, source=source, runtime=runtime, errors=errors, fetch_log=log
        )
        if parsed.hub_url or result.hub_url:
            feed.hub_url = (parsed.hub_url or result.hub_url)[:1000]
    # validators are saved only now: a worker killed above re-reads the whole feed next time
    feed.etag = result.etag[:300]
    feed.last_modified = result.last_modified[:100]
    feed.last_status = result.status
    feed.last_error = "\n".join(errors)[:2000]
    feed.last_fetched_at = timezone.now()
    feed.save(
        update_fields=[
            "etag",
            "last_modified",
            "last_status",
            "last_error",
            "last_fetched_at",
            "hub_url",
        ]
    )
    log.errors = errors[:50]
    log.duration_ms = int((time.monotonic() - started) * 1000)
    if log.pk is None:
        log.save()
    else:  # reports_created is the consumer's to count (an F() update per stored report)
        log.save(update_fields=["status", "items_seen", "errors", "duration_ms"])
        log.refresh_from_db(fields=["reports_created"])
    return log


def _article_from_item(item: FeedItem, source: Source, runtime: MonitorRuntime) -> Article:
    """Fetch and extract the article page; fall back to the feed's own text when it fails.

    The page is read first with the fast extractor (`extract(fast=True)`); only when the
    cheap stages say the article will be modelled (about a tracked country: a tenth of a
    world stream) is it read again in full, so that what is embedded, toned and clustered
    is what the extraction gates measure. The others are stored from the fast reading:
    counted and searchable, at about half the extraction cost."""
    try:
        page = fetch(
            item.url,
            clients=runtime.clients,
            state=runtime.fetch_state,
            policy=runtime.policy_for(source),
            allow_private=source.allow_private,
        )
        # a feed date wins over the page's (below): no extensive date search then
        try:
            quick: Article | None = extract_stage.extract(
                page.body, url=page.final_url, http_charset=page.encoding,
                date_search=item.published is None, fast=True,
            )  # fmt: skip
        except ExtractionError:
            quick = None  # the full reading's fallbacks may still find the text
        if quick is not None:
            article = _item_completed(quick, item, source)
            with runtime.enrich_lock:
                modelled = runtime.enricher.screen(article)
            if not modelled:
                return article
        article = extract_stage.extract(page.body, url=page.final_url, http_charset=page.encoding,
                                        date_search=item.published is None)  # fmt: skip
    except PipelineError as exc:
        if not (item.summary or item.title):
            raise
        counter_increment("extract", f"fallback_to_feed_text:{exc.reason}")
        article = Article(url=item.url, title=item.title, text=item.summary)
    return _item_completed(article, item, source)


def _item_completed(article: Article, item: FeedItem, source: Source) -> Article:
    """The extracted article with what the feed item knows (title, summary, date, language)."""
    if not article.title:
        article.title = item.title
    if not article.text.strip():
        counter_increment("extract", "empty_text_used_feed_summary")
        article.text = item.summary
    article.url = item.url
    article.source_id = str(source.pk)  # whose boilerplate it shares (pipeline.boilerplate)
    if item.published is not None:
        article.published = item.published
    if not article.language_hint:
        article.language_hint = item.language_hint
    return article


#: Items fetched and embedded together before they are stored one by one. Bigger batches
#: keep both cores on the model longer; smaller ones store the first report sooner (a batch
#: of 32 leads embeds in about 4 s on two cores) and redo less after a crash.
INGEST_BATCH = max(1, int(os.environ.get("TTDN_INGEST_BATCH", "32") or 32))


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def items_ingest(
    *,
    items: list[FeedItem],
    source: Source | None,
    runtime: MonitorRuntime,
    errors: list[str] | None = None,
    fetch_log: FetchLog | None = None,
) -> int:
    """Feed items → reports, in batches: fetch and extract each new item, run the stateless
    stages on the whole batch (one model call), queue the results for the story consumer,
    then hand them to it (`ttdn.monitor.stories_consumer`). Returns the number of reports
    this call stored (in the scaled-out mode the consumer is another worker: 0; each report
    is counted to `fetch_log` by whoever stores it); per-item failures are counted and
    appended to `errors`, never raised."""
    created = 0
    for batch in _batches(items, INGEST_BATCH):
        ready: list[tuple[str, Article]] = []
        # which of the batch's URLs are stored already: one query for the batch
        keys = {item.url: url_hash(safe) for item in batch if (safe := safe_http_url(item.url))}
        stored = set(
            Report.objects.filter(url_hash__in=set(keys.values())).values_list(
                "url_hash", flat=True
            )
        )
        for item in batch:
            if source is not None:
                source_lock_renew(source.pk)  # heartbeat: each article fetch ends within a minute
            if not (safe := safe_http_url(item.url)):
                counter_increment("article", "refused_scheme")
                if errors is not None:
                    errors.append(f"{item.url[:200]!r}: refused_scheme: not an http(s) URL")
                continue
            key = keys[item.url]
            item.url = safe
            if key in stored:
                counter_increment("dedupe", "url_already_stored")
                continue
            try:
                article = _item_article(item, source, runtime)
            except PipelineError as exc:
                counter_increment("article", exc.reason)
                if errors is not None:
                    errors.append(f"{item.url}: {exc.reason}: {exc}")
                _item_park(item, source, exc)
                continue
            ready.append((key, article))
        stories_consumer.articles_enqueue(
            articles=ready, source=source, runtime=runtime, fetch_log=fetch_log
        )
        created += stories_consumer.stories_assign_soon(runtime=runtime)
    return created


def _item_park(item: FeedItem, source: Source | None, exc: PipelineError) -> None:
    """Hand a failed item to the failure contract (`ttdn.core.jobs`): a transient failure
    is retried later by the "monitor.item_ingest" job (backoff, at least its retry_after),
    a permanent one is quarantined with its reason for the health page."""
    if source is None:
        return  # an imported row: nothing to fetch again (counted and reported above)
    jobs.failure_park("monitor.item_ingest", exc, source_id=source.pk, item=item_to_json(item))


def item_to_json(item: FeedItem) -> dict[str, str]:
    return {
        "url": item.url,
        "title": item.title,
        "summary": item.summary,
        "published": item.published.isoformat() if item.published else "",
        "language_hint": item.language_hint,
    }


def item_ingest_again(*, source_id: int, item: dict[str, str]) -> int:
    """Fetch one parked item again (the "monitor.item_ingest" job). A pipeline failure
    raises, so the job's failure is recorded as its next attempt; returns reports stored."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return 0
    feed_item = FeedItem(
        url=item["url"],
        title=item.get("title", ""),
        summary=item.get("summary", ""),
        published=dt.datetime.fromisoformat(item["published"]) if item.get("published") else None,
        language_hint=item.get("language_hint", ""),
    )
    key = url_hash(feed_item.url)
    if Report.objects.filter(url_hash=key).exists():
        return 0
    runtime = runtime_get()
    article = _item_article(feed_item, source, runtime)
    stories_consumer.articles_enqueue(articles=[(key, article)], source=source, runtime=runtime)
    return stories_consumer.stories_assign_soon(runtime=runtime)


def _item_article(item: FeedItem, source: Source | None, runtime: MonitorRuntime) -> Article:
    if source is not None:
        return _article_from_item(item, source, runtime)
    return Article(
        url=item.url,
        title=item.title,
        text=item.summary,
        published=item.published,
        language_hint=item.language_hint,
    )


def _jsonl_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSONL file (gzip when it ends in .gz); a bad line becomes an `_error` row
    (not JSON, not an object, not UTF-8) so one broken line never stops an import."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:  # type: ignore[operator]
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield {"_error": f"line {number}: not UTF-8 ({exc.reason} at byte {exc.start})"}
                continue
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield {"_error": f"line {number}: not JSON ({exc.msg})"}
                continue
            yield row if isinstance(row, dict) else {"_error": f"line {number}: not an object"}


def _parse_date(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def reports_import_jsonl(*, path: str, progress: bool = False) -> dict[str, Any]:
    """`ttdn import FILE.jsonl`: rows {url, title?, text, published?/date?, lang?} through the
    same pipeline as polled items; bad rows are counted and reported, never fatal."""
    runtime = runtime_get()
    rows: Iterable[dict[str, Any]] = _jsonl_rows(Path(path))
    if progress:
        rows = tqdm(rows, unit=" rows", desc="import")
    created = skipped = 0
    errors: list[str] = []
    batch: list[tuple[str, Article]] = []

    def flush() -> int:
        stories_consumer.articles_enqueue(articles=batch, source=None, runtime=runtime)
        batch.clear()
        return stories_consumer.stories_assign_soon(runtime=runtime)

    for number, row in enumerate(rows, 1):
        if "_error" in row:
            errors.append(str(row["_error"]))
            counter_increment("import", "bad_row")
            continue
        given = row.get("url")
        if given and not safe_http_url(given):
            errors.append(f"row {number}: url {str(given)[:100]!r} is not an http(s) URL")
            counter_increment("import", "refused_scheme")
            continue
        fallback = f"urn:ttdn:import:{row.get('doc_id') or row.get('id') or number}"
        url = safe_http_url(given) or fallback
        text = str(row.get("text") or "")
        if not text.strip() and not row.get("title"):
            errors.append(f"row {number}: no text")
            counter_increment("import", "no_text")
            continue
        key = url_hash(url)
        if Report.objects.filter(url_hash=key).exists() or any(k == key for k, _ in batch):
            skipped += 1
            counter_increment("dedupe", "url_already_stored")
            continue
        article = Article(
            url=url,
            title=str(row.get("title") or ""),
            text=text,
            published=_parse_date(row.get("published") or row.get("date")),
            language_hint=str(row.get("lang") or ""),
        )
        batch.append((key, article))
        if len(batch) >= INGEST_BATCH:
            created += flush()
    created += flush()
    return {
        "created": created,
        "skipped_existing": skipped,
        "errors": errors[:20],
        "error_count": len(errors),
    }
