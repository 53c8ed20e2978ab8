"""Writes for the monitor: poll a source, turn feed items into stored reports and stories.

The analysis itself is the framework-free `ttdn.pipeline`; this module only moves data in
and out of the database, one report per transaction, so a worker killed mid-batch loses
nothing (the feed is polled again, its conditional-GET validators are saved only after every
item was handled) and doubles nothing (reports are unique by the hash of their canonical URL).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from ttdn.monitor.analysis import embedding_to_bytes
from ttdn.monitor.models import (
    CrossLingualStory,
    Feed,
    FetchLog,
    PlaceMention,
    Report,
    Source,
    StageCounter,
    Story,
)
from ttdn.monitor.runtime import MonitorRuntime, runtime_get
from ttdn.pipeline import extract as extract_stage
from ttdn.pipeline import feeds as feeds_stage
from ttdn.pipeline.errors import PipelineError
from ttdn.pipeline.fetch import fetch
from ttdn.pipeline.normalize import canonical_url, normalize_article
from ttdn.pipeline.types import Article, FeedItem
from ttdn.pipeline.urls import safe_http_url

logger = logging.getLogger(__name__)

LOCK_SECONDS = 600


def url_hash(url: str) -> str:
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()


def counter_increment(stage: str, reason: str, by: int = 1) -> None:
    """Count a dropped or skipped item under a stable name (never silently lost)."""
    day = timezone.localdate()
    updated = StageCounter.objects.filter(day=day, stage=stage, reason=reason).update(
        count=F("count") + by
    )
    if not updated:
        try:
            with transaction.atomic():
                StageCounter.objects.create(day=day, stage=stage, reason=reason, count=by)
        except IntegrityError:
            StageCounter.objects.filter(day=day, stage=stage, reason=reason).update(
                count=F("count") + by
            )


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


# A token per process start: a container restarted in place keeps its hostname and often
# its pid, and must not mistake the dead predecessor's lock for its own.
_PROCESS_TOKEN = uuid.uuid4().hex[:8]


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{_PROCESS_TOKEN}"


def _owner_is_dead(owner: str) -> bool:
    """True when `owner` ran on this host and that process (this start of it) is gone."""
    host, _, rest = owner.partition(":")
    pid, _, token = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return token != _PROCESS_TOKEN
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def source_lock(source_id: int, seconds: int = LOCK_SECONDS) -> bool:
    """Take the per-source lock with one atomic UPDATE (works on SQLite and PostgreSQL).

    The lock expires after `seconds` (a poller on another machine that died); a lock held
    by a process of this host that no longer exists is taken over at once, so a worker
    killed mid-batch is followed without waiting for the expiry.
    """
    now = timezone.now()
    until = now + dt.timedelta(seconds=seconds)
    free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    taken = (
        Source.objects.filter(pk=source_id)
        .filter(free)
        .update(locked_until=until, locked_by=_owner())
    )
    if taken:
        return True
    holder = Source.objects.filter(pk=source_id).values_list("locked_by", flat=True).first()
    if holder and _owner_is_dead(holder):
        taken = Source.objects.filter(pk=source_id, locked_by=holder).update(
            locked_until=until, locked_by=_owner()
        )
        if taken:
            counter_increment("poll", "lock_taken_over_from_dead_worker")
    return taken == 1


def source_unlock(source: Source) -> None:
    now = timezone.now()
    Source.objects.filter(pk=source.pk, locked_by=_owner()).update(
        locked_until=None,
        locked_by="",
        next_poll_at=now + dt.timedelta(seconds=source.poll_interval_s),
    )


def sources_due(now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Source.objects.filter(active=True)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))  # not being polled
        .values_list("pk", flat=True)
    )


def source_poll(*, source_id: int, runtime: MonitorRuntime | None = None) -> dict[str, Any]:
    """Poll every feed of one source. Idempotent; a second concurrent call returns at once."""
    if not source_lock(source_id):
        return {"source": source_id, "skipped": "locked"}
    source = Source.objects.get(pk=source_id)
    runtime = runtime or runtime_get()
    summary: dict[str, Any] = {"source": source_id, "feeds": 0, "reports_created": 0}
    try:
        for feed in source.feeds.all():
            log = feed_poll(feed=feed, source=source, runtime=runtime)
            summary["feeds"] += 1
            summary["reports_created"] += log.reports_created
    finally:
        source_unlock(source)
    return summary


def feed_poll(*, feed: Feed, source: Source, runtime: MonitorRuntime) -> FetchLog:
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
        log.reports_created += items_ingest(
            items=parsed.items, source=source, runtime=runtime, errors=errors
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
    log.save()
    return log


def _article_from_item(item: FeedItem, source: Source, runtime: MonitorRuntime) -> Article:
    """Fetch and extract the article page; fall back to the feed's own text when it fails."""
    try:
        page = fetch(
            item.url,
            clients=runtime.clients,
            state=runtime.fetch_state,
            policy=runtime.policy_for(source),
            allow_private=source.allow_private,
        )
        article = extract_stage.extract(page.body, url=page.final_url, http_charset=page.encoding)
    except PipelineError as exc:
        if not (item.summary or item.title):
            raise
        counter_increment("extract", f"fallback_to_feed_text:{exc.reason}")
        article = Article(url=item.url, title=item.title, text=item.summary)
    if not article.title:
        article.title = item.title
    if not article.text.strip():
        counter_increment("extract", "empty_text_used_feed_summary")
        article.text = item.summary
    article.url = item.url
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
) -> int:
    """Feed items → reports, in batches: fetch and extract each new item, run the stateless
    stages on the whole batch (one model call), queue the results for the story consumer,
    then hand them to it (`ttdn.monitor.stories_consumer`). Returns the number of reports
    this call stored (in the scaled-out mode the consumer is another worker: 0); per-item
    failures are counted and appended to `errors`, never raised."""
    from ttdn.monitor import stories_consumer

    created = 0
    for batch in _batches(items, INGEST_BATCH):
        ready: list[tuple[str, Article]] = []
        for item in batch:
            if not (safe := safe_http_url(item.url)):
                counter_increment("article", "refused_scheme")
                if errors is not None:
                    errors.append(f"{item.url[:200]!r}: refused_scheme: not an http(s) URL")
                continue
            item.url = safe
            key = url_hash(item.url)
            if Report.objects.filter(url_hash=key).exists():
                counter_increment("dedupe", "url_already_stored")
                continue
            try:
                article = _item_article(item, source, runtime)
            except PipelineError as exc:
                counter_increment("article", exc.reason)
                if errors is not None:
                    errors.append(f"{item.url}: {exc.reason}: {exc}")
                continue
            ready.append((key, article))
        stories_consumer.articles_enqueue(articles=ready, source=source, runtime=runtime)
        created += stories_consumer.stories_assign_soon(runtime=runtime)
    return created


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


def article_dated(article: Article) -> tuple[Article, dt.datetime, bool] | None:
    """The normalised article, its publication time and whether that was estimated; None
    (counted) for an article with neither title nor text. A missing date becomes "now"
    (estimated), a date more than five minutes ahead is clamped to now (counted)."""
    article = normalize_article(article)
    now = timezone.now()
    published = article.published
    estimated = published is None
    if published is None or published > now + dt.timedelta(minutes=5):
        if published is not None:
            counter_increment("normalize", "date_in_future_clamped")
        published = now
    if not article.text.strip() and not article.title.strip():
        counter_increment("extract", "no_text")
        return None
    return article, published, estimated


def article_store(
    *, article: Article, source: Source | None, runtime: MonitorRuntime, key: str | None = None
) -> Report | None:
    """Analyse one article with the pipeline and store it with its story, in one transaction.

    The one-article path (tests, benchmarks, single pushes); polls and imports go through
    `items_ingest` / the story consumer, which batch the model calls.
    """
    dated = article_dated(article)
    if dated is None:
        return None
    article, published, estimated = dated
    key = key or url_hash(article.url)
    with runtime.lock:
        analysis = runtime.analyser.analyse(article, key=key, published=published.timestamp())
        report = report_store_analysed(
            article=article, source=source, runtime=runtime, key=key, published=published,
            estimated=estimated, analysis=analysis,
        )  # fmt: skip
    if report is not None:
        alerts_evaluate(report)
    return report


def report_store_analysed(
    *,
    article: Article,
    source: Source | None,
    runtime: MonitorRuntime,
    key: str,
    published: dt.datetime,
    estimated: bool,
    analysis: Any,
    also: Callable[[], object] | None = None,
) -> Report | None:
    """Store an analysed article, its places and its story update in one transaction (with
    `also()` run inside it, e.g. deleting the queue row). The caller holds `runtime.lock`
    and evaluates alerts after releasing it (`alerts_evaluate`); on any failure the
    in-memory state is dropped so it is rebuilt from the database."""
    try:
        with transaction.atomic():
            report = _report_save(article, source, key, published, estimated, analysis)
            if also is not None:
                also()
    except IntegrityError:
        # another worker stored the same URL first: forget our in-memory decision
        runtime.invalidate()
        counter_increment("dedupe", "url_stored_concurrently")
        return None
    except Exception:
        runtime.invalidate()
        raise
    return report


def alerts_evaluate(report: Report) -> None:
    """Evaluate alert rules on the stored report; a failure there never loses the report."""
    from ttdn.alerts.services import alerts_evaluate_for_report

    try:
        alerts_evaluate_for_report(report.pk)
    except Exception:  # noqa: BLE001 - the report is stored; the retry job redelivers alerts
        logger.exception("alert evaluation failed for report %s", report.pk)
        counter_increment("alerts", "evaluation_failed")


def _report_save(
    article: Article,
    source: Source | None,
    key: str,
    published: dt.datetime,
    estimated: bool,
    analysis: Any,
) -> Report:
    duplicate_of = None
    if analysis.duplicate_of:
        duplicate_of = Report.objects.filter(url_hash=analysis.duplicate_of).first()
    report = Report.objects.create(
        source=source,
        url=article.url[:2000],
        canonical_url=(article.canonical_url or canonical_url(article.url))[:2000],
        url_hash=key,
        title=article.title[:1000],
        text=article.text,
        author=article.author[:300],
        published_at=published,
        published_at_estimated=estimated,
        language=analysis.language,
        language_confidence=analysis.language_confidence,
        duplicate_of=duplicate_of,
        is_relevant=analysis.is_relevant,
        relevance_score=analysis.relevance_score,
        tone_score=analysis.tone_score,
        tone_label=analysis.tone_label,
        tone_confidence=analysis.tone_confidence,
        country_tone_score=analysis.country_tone_score,
        country_tone_label=analysis.country_tone_label,
        dimensions=analysis.dimensions,
        embedding=embedding_to_bytes(analysis.embedding),
    )
    PlaceMention.objects.bulk_create(
        PlaceMention(
            report=report,
            kind=m.kind,
            key=m.key,
            alias=m.alias[:200],
            is_former_name=m.is_former,
            start=m.start,
            end=m.end,
        )
        for m in analysis.mentions
    )
    story = _story_attach(report, analysis, published)
    report.story = story
    report.save(update_fields=["story"])
    from ttdn.measure.services import rollups_add_report  # same transaction; no import cycle

    rollups_add_report(report)
    return report


def _story_attach(report: Report, analysis: Any, published: dt.datetime) -> Story:
    story, created = Story.objects.get_or_create(
        cluster_key=analysis.story_key,
        defaults={
            "language": analysis.language or "und",
            "title": report.title[:500] or report.url[:500],
            "first_report": report,
            "first_seen_at": published,
            "last_seen_at": published,
        },
    )
    unique = report.duplicate_of_id is None
    Story.objects.filter(pk=story.pk).update(
        report_count=F("report_count") + 1,
        unique_report_count=F("unique_report_count") + int(unique),
    )
    story.refresh_from_db()
    if published > story.last_seen_at:
        story.last_seen_at = published
    if published < story.first_seen_at:
        story.first_seen_at = published
        story.first_report = report
    tones = list(story.reports.exclude(tone_score=None).values_list("tone_score", flat=True))
    if report.tone_score is not None:
        tones.append(report.tone_score)
    story.tone_mean = sum(tones) / len(tones) if tones else None
    dims = dict(story.dimensions)
    for name, score in analysis.dimensions.items():
        dims[name] = dims.get(name, 0) + float(score)
    story.dimensions = dims
    if analysis.crosslingual_key:
        group = _crosslingual_group(analysis.crosslingual_key, story)
        story.crosslingual = group
    story.save()
    return story


def _crosslingual_group(key: str, story: Story) -> CrossLingualStory:
    """Link stories the clusterer says are one event in several languages."""
    linked = Story.objects.filter(cluster_key__in=[key]).exclude(crosslingual=None).first()
    if linked is not None and linked.crosslingual is not None:
        return linked.crosslingual
    group = CrossLingualStory.objects.create(title=story.title)
    Story.objects.filter(cluster_key=key).update(crosslingual=group)
    return group


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
    from tqdm import tqdm

    runtime = runtime_get()
    rows: Iterable[dict[str, Any]] = _jsonl_rows(Path(path))
    if progress:
        rows = tqdm(rows, unit=" rows", desc="import")
    created = skipped = 0
    errors: list[str] = []
    batch: list[tuple[str, Article]] = []

    def flush() -> int:
        from ttdn.monitor import stories_consumer

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
