"""The benchmark's bulk generator writes what production would: stories whose own columns
agree with their reports, mentions as the place stage stores them, no future dates, and
roll-ups (rebuilt from the rows) that give the exact queries' numbers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.db.models import Avg, Count, Max, Min, Q
from django.utils import timezone

from ttdn.benchmarks.bulkdata import BENCH_HOST, generate
from ttdn.measure import rollups
from ttdn.measure.filters import filters_parse
from ttdn.measure.indicators import indicator_compute
from ttdn.measure.services import rollups_rebuild
from ttdn.monitor.models import PlaceMention, Report, Story
from ttdn.monitor.services import story_facets_refresh

pytestmark = pytest.mark.django_db


def _close(a: Any, b: Any) -> bool:
    """Equal, floats within 1e-3: the indicators round tones to 4 places, and sums taken in
    another order can land either side of a rounding edge (0.22725)."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, int | float) and isinstance(b, int | float) and abs(a - b) <= 1e-3
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def test_generated_stories_agree_with_their_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    generate(1500)
    assert Report.objects.filter(url__startswith=BENCH_HOST).count() == 1500
    assert not Report.objects.filter(published_at__gt=timezone.now()).exists()
    # skewed but varied: many languages and countries, every tone, two years
    assert len(set(Report.objects.values_list("language", flat=True))) >= 6
    assert set(Report.objects.values_list("tone_label", flat=True)) == {
        "positive",
        "neutral",
        "negative",
    }
    oldest = Report.objects.aggregate(m=Min("published_at"))["m"]
    assert timezone.now() - oldest > dt.timedelta(days=300)
    stories = Story.objects.annotate(
        n=Count("reports"),
        unique=Count("reports", filter=Q(reports__duplicate_of=None)),
        first=Min("reports__published_at"),
        last=Max("reports__published_at"),
        tone=Avg("reports__tone_score"),
    )
    for story in stories:
        assert (story.report_count, story.unique_report_count) == (story.n, story.unique)
        assert (story.first_seen_at, story.last_seen_at) == (story.first, story.last)
        assert story.first_report.published_at == story.first
        assert story.tone_mean == pytest.approx(story.tone)
        summed: Counter[str] = Counter()
        for dims in story.reports.values_list("dimensions", flat=True):
            summed.update(dims)
        assert story.dimensions == pytest.approx(dict(summed))
    # the facets equal a recount from the reports and mentions
    kept = dict(Story.objects.values_list("id", "countries"))
    places = dict(Story.objects.values_list("id", "places"))
    story_facets_refresh()
    assert dict(Story.objects.values_list("id", "countries")) == kept
    assert dict(Story.objects.values_list("id", "places")) == places
    # a former unit is stored under today's key, as the place stage stores it
    former = PlaceMention.objects.filter(is_former_name=True)
    assert set(former.values_list("key", flat=True)) <= {"lam-dong", "ho-chi-minh", "khanh-hoa"}
    # the roll-ups rebuilt from these rows answer exactly what the reports say
    rollups_rebuild()
    assert rollups.rollups_current()
    today = timezone.localdate()
    params = {"date_from": (today - dt.timedelta(days=89)).isoformat(), "bucket": "week"}
    for key in ("volume", "tone", "share_of_voice"):
        with_rollups = indicator_compute(key, filters_parse(params)).as_dict()
        with monkeypatch.context() as m:
            m.setattr(rollups, "rollups_current", lambda: False)
            exact = indicator_compute(key, filters_parse(params)).as_dict()
        assert _close(with_rollups, exact), key
    assert with_rollups["totals"]
