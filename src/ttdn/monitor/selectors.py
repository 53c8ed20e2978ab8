"""Reads for the monitor: stories and reports. World coverage is public to every staff role."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, QuerySet

from ttdn.monitor.models import FetchLog, Report, Source, StageCounter, Story


def story_list(*, language: str | None = None, since: datetime | None = None) -> QuerySet[Story]:
    stories = Story.objects.select_related("first_report", "first_report__source")
    if language:
        stories = stories.filter(language=language)
    if since:
        stories = stories.filter(last_seen_at__gte=since)
    return stories.order_by("-last_seen_at", "-id")


def story_get(*, story_id: int) -> Story:
    return Story.objects.select_related("first_report", "crosslingual").get(pk=story_id)


def story_reports(*, story: Story) -> QuerySet[Report]:
    return story.reports.select_related("source").order_by("published_at", "id")


def story_siblings(*, story: Story) -> QuerySet[Story]:
    if story.crosslingual_id is None:
        return Story.objects.none()
    return Story.objects.filter(crosslingual_id=story.crosslingual_id).exclude(pk=story.pk)


def monitor_overview() -> dict[str, object]:
    """Headline numbers for the monitor page."""
    return {
        "sources": Source.objects.filter(active=True).count(),
        "reports": Report.objects.count(),
        "unique_reports": Report.objects.filter(duplicate_of__isnull=True).count(),
        "stories": Story.objects.count(),
        "languages": list(
            Report.objects.values("language").annotate(n=Count("id")).order_by("-n")[:10]
        ),
    }


def fetch_log_list(*, limit: int = 50) -> QuerySet[FetchLog]:
    return FetchLog.objects.select_related("feed", "feed__source")[:limit]


def stage_counter_list() -> QuerySet[StageCounter]:
    return StageCounter.objects.order_by("-day", "stage", "reason")
