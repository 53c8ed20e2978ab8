"""Reads for the monitor: stories and reports. World coverage is public to every staff role."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Any

from django.db.models import Avg, Count, Max, Q, QuerySet
from django.utils import timezone

from ttdn.accounts.models import Organisation, OrganisationAlias
from ttdn.core.processes import owner_is_dead
from ttdn.monitor.models import FetchLog, PlaceMention, Report, Source, StageCounter, Story


def story_list(*, language: str | None = None, since: datetime | None = None) -> QuerySet[Story]:
    stories = Story.objects.select_related("first_report", "first_report__source")
    if language:
        stories = stories.filter(language=language)
    if since:
        stories = stories.filter(last_seen_at__gte=since)
    return stories.order_by("-last_seen_at", "-id")


def story_change_token() -> tuple[int | None, int | None]:
    """Changes whenever a report is stored (a new story, or an existing one growing): the
    newest report and story ids, two primary-key index lookups, cheap enough to read every
    half second per open live page. Both are written in one transaction per report."""
    return (
        Report.objects.aggregate(m=Max("id"))["m"],
        Story.objects.aggregate(m=Max("id"))["m"],
    )


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


def source_lock_list(*, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every source held by a poll now: who holds it, since when, until when, and whether it
    is stuck — its holder is a dead process of this host (the next poll takes it over) or
    its lease ran out without a release (the next poll takes it). A live poll renews its
    lease before each feed and article, so a held source whose lease passed is a worker
    that died, on this host or another."""
    now = now or timezone.now()
    rows = []
    for source in Source.objects.exclude(locked_by="", locked_until__isnull=True).order_by(
        "locked_at", "pk"
    ):
        expired = source.locked_until is None or source.locked_until < now
        dead = bool(source.locked_by) and owner_is_dead(source.locked_by)
        since = source.locked_at
        rows.append(
            {
                "source": source,
                "holder": source.locked_by,
                "since": since,
                "until": source.locked_until,
                "held_s": int((now - since).total_seconds()) if since else None,
                "holder_dead": dead,
                "expired": expired,
                "stuck": dead or expired,
            }
        )
    return rows


def stage_counter_list() -> QuerySet[StageCounter]:
    return StageCounter.objects.order_by("-day", "stage", "reason")


# --- one story: tone over time, places, nation-brand dimensions -----------------------------

# A story younger than this is charted by hour (a breaking story lives within a day or two);
# older ones by day, so the chart stays readable.
HOURLY_SPAN = dt.timedelta(hours=72)


def _tone_row(bucket: dt.datetime, tones: list[tuple[float | None, str]]) -> dict[str, Any]:
    scores = [s for s, _label in tones if s is not None]
    labelled = [label for _s, label in tones if label]
    return {
        "bucket": bucket.isoformat(),
        "reports": len(tones),
        "mean_tone": round(sum(scores) / len(scores), 4) if scores else None,
        "pct_positive": round(100.0 * labelled.count("positive") / len(labelled), 2)
        if labelled
        else None,
        "pct_negative": round(100.0 * labelled.count("negative") / len(labelled), 2)
        if labelled
        else None,
    }


def story_tone_series(*, story: Story) -> dict[str, Any]:
    """The tone of a story's reports per hour (young stories) or per day, in local time.

    Computed in Python from the story's own reports: a story holds tens to a few thousand
    reports, and bucketing here gives the same hours on SQLite and PostgreSQL. Empty buckets
    between the first and last report are kept (0 reports, no tone) so the time axis is true.
    Columns and totals follow the Measure indicators, so dashboard.js draws and tabulates it.
    """
    rows = list(
        story.reports.exclude(published_at=None)
        .order_by("published_at", "id")
        .values_list("published_at", "tone_score", "tone_label")
    )
    columns = ["bucket", "reports", "mean_tone", "pct_positive", "pct_negative"]
    if not rows:
        return {"columns": columns, "rows": [], "totals": {"bucket": "hour", "reports": 0}}
    first, last = timezone.localtime(rows[0][0]), timezone.localtime(rows[-1][0])
    hourly = last - first <= HOURLY_SPAN
    step = dt.timedelta(hours=1) if hourly else dt.timedelta(days=1)

    def start(moment: dt.datetime) -> dt.datetime:
        local = timezone.localtime(moment)
        if hourly:
            return local.replace(minute=0, second=0, microsecond=0)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)

    groups: dict[dt.datetime, list[tuple[float | None, str]]] = {}
    for published, score, label in rows:
        groups.setdefault(start(published), []).append((score, label))
    out = []
    current = start(first)
    while current <= start(last):
        out.append(_tone_row(current, groups.get(current, [])))
        # step in local wall time: Viet Nam has no daylight saving, elsewhere an hour may repeat
        current = timezone.localtime(current + step).replace(minute=0)
        if not hourly:
            current = current.replace(hour=0)
    total = _tone_row(start(first), [(s, label) for _p, s, label in rows])
    return {
        "columns": columns,
        "rows": out,
        "totals": {
            "bucket": "hour" if hourly else "day",
            "reports": total["reports"],
            "mean_tone": total["mean_tone"],
            "pct_positive": total["pct_positive"],
            "pct_negative": total["pct_negative"],
        },
    }


def story_places(*, story: Story) -> dict[str, list[dict[str, Any]]]:
    """Where a story happens: provinces (today's 34 units; a mention of one of the 63 former
    units, by its old name or an old slug in older data, counts for the unit it is now part
    of), countries and other places, each with the number of the story's reports naming it.

    Counts are reports, not mentions: one article naming Huế five times is one report.
    """
    mentions = list(
        PlaceMention.objects.filter(report__story=story).values_list(
            "kind", "key", "alias", "is_former_name", "report_id"
        )
    )
    unit_keys = {key for kind, key, *_ in mentions if kind == "unit"}
    current: dict[str, Organisation] = {
        o.slug: o for o in Organisation.objects.filter(slug__in=unit_keys)
    }
    for alias in OrganisationAlias.objects.filter(slug__in=unit_keys - set(current)).select_related(
        "organisation"
    ):
        current[alias.slug] = alias.organisation

    provinces: dict[str, dict[str, Any]] = {}
    others: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, key, alias, is_former, report_id in mentions:
        if kind == "unit":
            organisation = current.get(key)
            slug = organisation.slug if organisation else key
            entry = provinces.setdefault(
                slug,
                {
                    "slug": slug,
                    "name": organisation.name if organisation else key,
                    "name_en": (organisation.name_en or organisation.name) if organisation else key,
                    "reports": set(),
                    "former_names": set(),
                },
            )
            entry["reports"].add(report_id)
            if is_former or (organisation is not None and key != organisation.slug):
                entry["former_names"].add(alias)
        else:
            entry = others.setdefault(
                (kind, key), {"kind": kind, "key": key, "names": set(), "reports": set()}
            )
            entry["reports"].add(report_id)
            entry["names"].add(alias)

    def finish(entry: dict[str, Any]) -> dict[str, Any]:
        entry = dict(entry, reports=len(entry["reports"]))
        for field in ("former_names", "names"):
            if field in entry:
                entry[field] = sorted(entry[field])
        return entry

    def order(entry: dict[str, Any]) -> tuple[int, str]:
        return (-entry["reports"], str(entry.get("name") or entry.get("key")))

    rows = [finish(e) for e in others.values()]
    return {
        "provinces": sorted((finish(e) for e in provinces.values()), key=order),
        "countries": sorted((r for r in rows if r["kind"] == "country"), key=order),
        "places": sorted((r for r in rows if r["kind"] not in ("country", "person")), key=order),
    }


def story_dimensions(*, story: Story) -> list[dict[str, Any]]:
    """The nation-brand dimensions a story touches: for each, how many of its reports the
    dimensions stage tagged with it and the summed score (what `Story.dimensions` keeps),
    strongest first."""
    tagged: dict[str, int] = {}
    for dims in story.reports.values_list("dimensions", flat=True):
        for key in dims or {}:
            tagged[key] = tagged.get(key, 0) + 1
    scores = {k: float(v) for k, v in (story.dimensions or {}).items()}
    keys = set(tagged) | set(scores)
    return sorted(
        (
            {"key": k, "reports": tagged.get(k, 0), "score": round(scores.get(k, 0.0), 3)}
            for k in keys
        ),
        key=lambda d: (-d["reports"], -d["score"], d["key"]),
    )


# --- why a story matters -------------------------------------------------------------------


def story_significance(*, story: Story, now: datetime | None = None) -> dict[str, Any]:
    """What the story page says first: how fast it grows, how far it reaches, its tone
    toward Viet Nam, its first and latest reports, and its family in other languages.

    Reach counts distinct outlets, outlet countries and languages over the whole
    cross-lingual family (a story told in five languages reaches further than its own rows
    show); tone toward the country is the tone stage's score of the sentences naming Viet
    Nam (`country_tone_score`), averaged over the story's reports that have one."""
    now = now or timezone.now()
    since = now - dt.timedelta(hours=24)
    before = since - dt.timedelta(hours=24)
    reports = story.reports.all()
    growth = reports.aggregate(
        recent=Count("id", filter=Q(published_at__gte=since, published_at__lt=now)),
        earlier=Count("id", filter=Q(published_at__gte=before, published_at__lt=since)),
        toward=Avg("country_tone_score"),
        toward_n=Count("id", filter=Q(country_tone_score__isnull=False)),
    )
    family = (
        Report.objects.filter(story__crosslingual_id=story.crosslingual_id)
        if story.crosslingual_id
        else reports
    )
    reach = family.aggregate(
        outlets=Count("source_id", distinct=True),
        countries=Count("source__country", distinct=True),
        languages=Count("language", distinct=True),
        reports=Count("id"),
    )
    dated = reports.exclude(published_at=None).select_related("source")
    return {
        "recent": growth["recent"],
        "earlier": growth["earlier"],
        "growth": growth["recent"] - growth["earlier"],
        "toward": growth["toward"],
        "toward_reports": growth["toward_n"],
        "reach": reach,
        "family_size": (
            Story.objects.filter(crosslingual_id=story.crosslingual_id).count()
            if story.crosslingual_id
            else 1
        ),
        "first": dated.order_by("published_at", "id").first(),
        "latest": dated.order_by("-published_at", "-id").first(),
    }
