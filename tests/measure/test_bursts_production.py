"""Bursts in production: the detector runs on the stories, places and topics of arriving
reports, hour by hour, stores what bursts (shown on the dashboard) and announces it, and
matching alert rules raise "breaking" alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.alerts.conftest import AlertRuleFactory
from tests.conftest import login
from tests.factories import ReportFactory, StoryFactory
from ttdn.alerts.models import Alert, AlertTrigger
from ttdn.measure.bursts import bursts_detect
from ttdn.measure.models import BurstEvent, BurstScale
from ttdn.monitor.models import PlaceMention, Report

pytestmark = pytest.mark.django_db


def _arrive(story, at: dt.datetime, n: int, place: str = "") -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        report = ReportFactory(story=story, title="Lantern festival in Hội An draws crowds")
        Report.objects.filter(pk=report.pk).update(fetched_at=at)
        if place:
            PlaceMention.objects.create(report=report, kind="unit", key=place, alias=place,
                                        start=0, end=1)  # fmt: skip


def test_a_story_that_suddenly_grows_bursts_raises_a_breaking_alert_and_shows(
    organisations, analyst, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now().replace(minute=30, second=0, microsecond=0)
    quiet, loud = StoryFactory(), StoryFactory(title="Hội An lantern festival")
    for hours_ago in range(2, 30, 3):  # a quiet baseline: one report now and then
        _arrive(quiet, now - dt.timedelta(hours=hours_ago), 1)
    assert bursts_detect(now=now) == []  # the first run only learns the baselines
    assert BurstEvent.objects.count() == 0

    rule = AlertRuleFactory(
        organisation=organisations["lam-dong"], keywords=["lantern"], relevant_only=False
    )
    _arrive(loud, now + dt.timedelta(minutes=10), 8, place="da-nang")
    _arrive(quiet, now + dt.timedelta(minutes=10), 1)
    with django_capture_on_commit_callbacks(execute=True):
        made = bursts_detect(now=now + dt.timedelta(hours=1))
    bursting = {(e.scale, e.key) for e in BurstEvent.objects.filter(pk__in=made)}
    assert (BurstScale.STORY, str(loud.pk)) in bursting
    assert (BurstScale.PLACE, "da-nang") in bursting
    assert (BurstScale.STORY, str(quiet.pk)) not in bursting
    assert bursts_detect(now=now + dt.timedelta(hours=1)) == []  # an hour is done once

    breaking = Alert.objects.filter(rule=rule, trigger=AlertTrigger.BURST)
    assert breaking.count() == 1  # one alert per rule and report, however many bursts
    assert breaking.get().story_id == loud.pk and "breaking" in breaking.get().matched

    page = login(Client(), analyst).get("/do-luong/").content.decode()
    assert 'id="bursts"' in page and "Hội An lantern festival" in page
