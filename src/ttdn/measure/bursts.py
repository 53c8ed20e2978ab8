"""Bursts in production: the detector of `ttdn.pipeline.bursts` run on stories, places and
topics as reports arrive (docs/decisions/0004 for the method).

Every few minutes (`measure.bursts_detect`) each complete hour since the last one processed
is counted — reports that arrived in it per story, relevant reports per place (province or
city) and per nation-brand topic — and fed to the detector, whose baselines are kept in
`BurstDetectorState` between runs. Each burst is stored (`BurstEvent`, shown on the Measure
dashboard) and announced ("measure.burst_detected"), so alert rules can raise "breaking"
alerts (`ttdn.alerts.subscribers`) without Measure importing alerts.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from ttdn.core import events
from ttdn.measure.models import BurstDetectorState, BurstEvent, BurstScale
from ttdn.monitor.models import PlaceMention, Report, Story
from ttdn.pipeline import bursts as detector
from ttdn.web.labels import dimension_label

logger = logging.getLogger(__name__)

#: {"burst_id": int}
BURST_DETECTED = "measure.burst_detected"
HOUR = dt.timedelta(hours=1)
#: Hours a first run learns from before it reports bursts, and the most a run catches up.
LEARN_HOURS = 7 * 24
#: Hourly buckets: a new key starts from a low prior; three reports in an hour is the floor.
PARAMS = detector.BurstParams(alpha=0.05, prior_rate=0.1, min_count=3, min_var=0.25)
PLACE_KINDS = ("unit",)  # the 34 provinces and cities (and former units)


def _hour(moment: dt.datetime) -> int:
    return int(moment.timestamp() // 3600)


def _hour_start(bucket: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(bucket * 3600, tz=dt.UTC)


def _arrived(bucket: int) -> QuerySet[Report]:
    start = _hour_start(bucket)
    return Report.objects.filter(fetched_at__gte=start, fetched_at__lt=start + HOUR)


def hour_counts(bucket: int) -> dict[str, dict[str, int]]:
    """Reports that arrived in hour `bucket`, per story, per place and per topic."""
    arrived = _arrived(bucket)
    stories = {
        str(row["story_id"]): row["n"]
        for row in arrived.exclude(story=None).values("story_id").annotate(n=Count("id"))
    }
    relevant = arrived.filter(is_relevant=True)
    places = {
        row["key"]: row["n"]
        for row in PlaceMention.objects.filter(report__in=relevant, kind__in=PLACE_KINDS)
        .values("key")
        .annotate(n=Count("report", distinct=True))
    }
    topics: dict[str, int] = {}
    for dimensions in relevant.values_list("dimensions", flat=True):
        for name, score in (dimensions or {}).items():
            if float(score or 0) > 0:
                topics[name] = topics.get(name, 0) + 1
    return {BurstScale.STORY: stories, BurstScale.PLACE: places, BurstScale.TOPIC: topics}


def _state_load(row: BurstDetectorState) -> detector.BurstState:
    keys = {k: detector.KeyState(*v) for k, v in row.keys.items()}
    return detector.BurstState(keys=keys, bucket=row.bucket)


def _state_save(row: BurstDetectorState, state: detector.BurstState) -> None:
    state = detector.prune(state, params=PARAMS)
    row.bucket = int(state.bucket or row.bucket)
    row.keys = {k: [s.mean, s.var, s.last, s.seen] for k, s in state.keys.items()}
    row.save(update_fields=["bucket", "keys"])


def bursts_detect(now: dt.datetime | None = None) -> list[int]:
    """Process every complete hour not processed yet; returns the ids of new bursts.
    Safe to repeat: an hour is processed once per scale (the state row moves on in the
    same transaction as the bursts it found), and a burst is stored once. A first run
    learns the baselines from the last week and reports nothing for it."""
    now = now or timezone.now()
    last_complete = _hour(now) - 1
    counted: dict[int, dict[str, dict[str, int]]] = {}
    made: list[int] = []
    for scale in BurstScale.values:
        with transaction.atomic():
            row, learning = BurstDetectorState.objects.select_for_update().get_or_create(
                scale=scale, defaults={"bucket": last_complete - LEARN_HOURS, "keys": {}}
            )
            state = _state_load(row)
            for bucket in range(max(row.bucket + 1, last_complete - LEARN_HOURS + 1),
                                last_complete + 1):  # fmt: skip
                if bucket not in counted:
                    counted[bucket] = hour_counts(bucket)
                state, found = detector.update(state, bucket, counted[bucket][scale], PARAMS)
                if not learning:
                    made += _store(scale, found)
            if state.bucket is not None and state.bucket != row.bucket:
                _state_save(row, state)
    return made


def _store(scale: str, found: list[detector.Burst]) -> list[int]:
    ids = []
    for burst in found:
        try:
            with transaction.atomic():
                event = BurstEvent.objects.create(
                    scale=scale,
                    key=burst.key[:200],
                    bucket_start=_hour_start(burst.bucket),
                    count=burst.count,
                    expected=round(burst.expected, 3),
                    z=round(burst.z, 3),
                    p_value=burst.p_value,
                )
        except IntegrityError:
            continue  # stored by another run
        events.announce(BURST_DETECTED, {"burst_id": event.pk})
        ids.append(event.pk)
    return ids


def burst_list(limit: int = 10) -> list[dict[str, object]]:
    """The latest bursts, for the dashboard: what rose, how much against its usual level."""
    events_ = list(BurstEvent.objects.order_by("-bucket_start", "-z")[:limit])
    story_ids = [int(e.key) for e in events_ if e.scale == BurstScale.STORY and e.key.isdigit()]
    titles = dict(Story.objects.filter(pk__in=story_ids).values_list("pk", "title"))
    rows: list[dict[str, object]] = []
    for event in events_:
        label, url = event.key, ""
        if event.scale == BurstScale.STORY and event.key.isdigit():
            label = titles.get(int(event.key), event.key)
            url = reverse("story_detail", args=[int(event.key)])
        elif event.scale == BurstScale.TOPIC:
            label = dimension_label(event.key)
        rows.append({"event": event, "label": label, "url": url})
    return rows


def burst_report(burst: BurstEvent) -> Report | None:
    """The newest report behind a burst (what a breaking alert points to)."""
    arrived = Report.objects.filter(
        fetched_at__gte=burst.bucket_start, fetched_at__lt=burst.bucket_start + HOUR
    )
    if burst.scale == BurstScale.STORY:
        arrived = arrived.filter(story_id=int(burst.key))
    elif burst.scale == BurstScale.PLACE:
        arrived = arrived.filter(is_relevant=True, places__key=burst.key)
    else:
        arrived = arrived.filter(is_relevant=True, dimensions__has_key=burst.key)
    return arrived.order_by("-fetched_at", "-pk").first()
