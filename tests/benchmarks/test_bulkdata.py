"""The benchmark's bulk generator writes what production would: stories whose own columns
agree with their reports, mentions as the place stage stores them, no future dates, and
roll-ups (rebuilt from the rows) that give the exact queries' numbers, also after a source
moves country and a report is deleted."""

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
from ttdn.monitor.models import PlaceMention, Report, Source, Story
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
    _recount(monkeypatch)
    # and still after a source moves country and a report (with copies) is deleted: both
    # mark them stale, the indicators answer exactly meanwhile, a rebuild makes them current
    source = Source.objects.filter(name__startswith="bench ", reports__isnull=False).first()
    assert source is not None
    source.country = "ZZ" if source.country != "ZZ" else "YY"
    source.save()
    assert not rollups.rollups_current()
    rollups_rebuild()
    _recount(monkeypatch)
    copied = Report.objects.filter(copies__isnull=False, published_at__isnull=False).first()
    assert copied is not None and copied.pk != Report.objects.order_by("-id").first().pk
    copied.delete()
    assert not rollups.rollups_current()
    rollups_rebuild()
    _recount(monkeypatch)


def _recount(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every indicator the roll-ups answer, and the overview's headline query, against the
        exact queries: 90 days by week (partial first week), the overview's week by day, its
    30-day figures."""
    from ttdn.measure.overview import _headline, _headline_rollup, period_filters

    today = timezone.localdate()
    params = {"date_from": (today - dt.timedelta(days=89)).isoformat(), "bucket": "week"}
    week = {"date_from": (today - dt.timedelta(days=6)).isoformat(), "bucket": "day"}
    for key, chosen in [
        *((k, params) for k in ("volume", "tone", "share_of_voice", "coverage_by_country")),
        ("coverage_by_country", week),
        ("coverage_by_country", {**params, "language": "fr"}),
    ]:
        with_rollups = indicator_compute(key, filters_parse(chosen)).as_dict()
        with monkeypatch.context() as m:
            m.setattr(rollups, "rollups_current", lambda: False)
            exact = indicator_compute(key, filters_parse(chosen)).as_dict()
        assert _close(with_rollups, exact), (key, chosen)
        assert with_rollups["rows"] or chosen is week, (key, chosen)
    current, previous = period_filters(30, today)
    found = _headline_rollup(current, previous)
    assert found is not None
    with monkeypatch.context() as m:
        m.setattr(rollups, "rollups_current", lambda: False)
        exact_figures = (_headline(current), _headline(previous))
    assert _close(list(found), list(exact_figures))
    assert found[0]["reports"] and found[0]["stories"] and found[0]["share_pct"] is not None
