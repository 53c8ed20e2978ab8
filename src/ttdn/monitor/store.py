"""Store analysed articles: one report with its places and its story update per
transaction, so a worker killed mid-batch loses nothing and doubles nothing (reports are
unique by the hash of their canonical URL). The analysis is the framework-free pipeline's
`ReportAnalysis`; this module only moves it into the database and announces the result."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ttdn.core import events
from ttdn.monitor.analysis import embedding_to_bytes
from ttdn.monitor.counters import counter_increment
from ttdn.monitor.models import CrossLingualStory, PlaceMention, Report, Source, Story
from ttdn.monitor.runtime import MonitorRuntime
from ttdn.monitor.story_facets import facets_add
from ttdn.pipeline.analyse import ReportAnalysis
from ttdn.pipeline.normalize import canonical_url, normalize_article
from ttdn.pipeline.types import Article


def url_hash(url: str) -> str:
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()


def own_links(article: Article) -> list[str]:
    """The article's outgoing links (`extract` keeps them in `extra["links"]`) that point at
    the platform's own hosts (`settings.OWN_PUBLICATION_HOSTS`, host[:port]). Only these
    travel on: a report that links to one of our publications is a pickup, and the rest of
    a page's links would only weigh on the queue and the event payloads."""
    hosts = {h.lower() for h in getattr(settings, "OWN_PUBLICATION_HOSTS", ())}
    links = article.extra.get("links") if hosts else None
    if not isinstance(links, list):
        return []
    return [link for link in links if isinstance(link, str) and _host(link) in hosts]


def _host(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


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
    return report


def report_store_analysed(
    *,
    article: Article,
    source: Source | None,
    runtime: MonitorRuntime,
    key: str,
    published: dt.datetime,
    estimated: bool,
    analysis: ReportAnalysis,
    also: Callable[[], object] | None = None,
) -> Report | None:
    """Store an analysed article, its places and its story update in one transaction (with
    `also()` run inside it, e.g. deleting the queue row), and announce it: REPORT_STORED
    and STORY_CHANGED reach their subscribers once this commits (alerts, measure, ...). The
    caller holds `runtime.lock`; on any failure the in-memory state is dropped so it is
    rebuilt from the database."""
    try:
        with transaction.atomic():
            report = report_save(article, source, key, published, estimated, analysis)
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


@dataclass
class Announcements:
    """What the reports saved in one transaction announce, gathered so that the story
    consumer announces a chunk's reports together (`events.announce_many`: one roll-up
    statement per table and one `select` per subscriber for the chunk, not per report)."""

    reports: list[dict[str, object]] = field(default_factory=list)
    stories: dict[int, dict[str, object]] = field(default_factory=dict)  # one per story

    def add(self, payload: dict[str, object], story_id: int | None) -> None:
        self.reports.append(payload)
        if story_id is not None:
            self.stories.setdefault(story_id, {"story_id": story_id})

    def announce(self) -> None:
        """In the transaction that saved the reports (in-transaction subscribers run now)."""
        events.announce_many(events.REPORT_STORED, self.reports)
        events.announce_many(events.STORY_CHANGED, list(self.stories.values()))
        self.reports, self.stories = [], {}


def report_save(
    article: Article,
    source: Source | None,
    key: str,
    published: dt.datetime,
    estimated: bool,
    analysis: ReportAnalysis,
    announcements: Announcements | None = None,
) -> Report:
    """Write the report, its places and its story update inside the caller's transaction
    (`report_store_analysed` for one report, the story consumer for a chunk of them). Its
    events are announced now, or added to `announcements` for the caller to announce before
    its transaction ends."""
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
    story = None
    if analysis.story_key:  # "" : not about a tracked country, no model stage, no story
        story = _story_attach(report, analysis, published)
        report.story = story
        report.save(update_fields=["story"])
    # subscribers that must commit with the report (the roll-ups) run here; the others
    # once the transaction has committed (ttdn.core.events)
    story_id = story.pk if story is not None else None
    payload: dict[str, object] = {"report_id": report.pk, "story_id": story_id}
    if links := own_links(article):
        payload["links"] = links  # links to our own publications (pickups), when there are any
    if announcements is not None:
        announcements.add(payload, story_id)
    else:
        now = Announcements()
        now.add(payload, story_id)
        now.announce()
    return report


def _story_attach(report: Report, analysis: ReportAnalysis, published: dt.datetime) -> Story:
    story, created = Story.objects.get_or_create(
        cluster_key=analysis.story_key,
        defaults={
            "language": analysis.language or "und",
            "title": (analysis.story_title or report.title)[:500] or report.url[:500],
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
    countries, places = dict(story.countries), dict(story.places)
    source_country = report.source.country if report.source_id and report.source else ""
    facets_add(countries, places, source_country, [(m.kind, m.key) for m in analysis.mentions])
    story.countries, story.places = countries, places
    # the headline of its most central report (pipeline.headline), never a boilerplate line
    if analysis.story_title:
        story.title = analysis.story_title[:500]
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
