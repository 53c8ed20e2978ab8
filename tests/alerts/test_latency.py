"""Latency figures: percentiles, what is left out, and the server-drawn chart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.alerts.conftest import AlertRuleFactory
from ttdn.alerts.charts import latency_svg
from ttdn.alerts.models import Alert
from ttdn.alerts.selectors import alert_latency_stats, percentile


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([], 50) is None
    assert percentile([7.0], 95) == 7.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert percentile([10, 1, 5], 50) == 5  # order of input does not matter


@pytest.mark.django_db
def test_stats_leave_out_estimated_and_count_undelivered(organisations) -> None:  # type: ignore[no-untyped-def]
    rule = AlertRuleFactory(organisation=organisations["lam-dong"])
    now = timezone.now()

    def alert(latency: float | None, *, estimated: bool = False, org: str = "lam-dong") -> None:
        Alert.objects.create(
            rule=rule,
            organisation=organisations[org],
            rule_name=rule.name,
            trigger="match",
            created_at=now,
            reference_at=now - dt.timedelta(seconds=latency or 0),
            reference_estimated=estimated,
            delivered_at=now if latency is not None else None,
            latency_s=latency,
        )

    for value in (10, 20, 30, 40, 1000):
        alert(value)
    alert(1, estimated=True)  # would flatter the figures
    alert(None)  # not delivered yet
    alert(5, org="ha-noi")
    stats = alert_latency_stats(organisations["lam-dong"])
    assert stats == {
        "p50_s": 30.0,
        "p95_s": pytest.approx(808.0),
        "count": 5,
        "estimated_left_out": 1,
        "undelivered": 1,
    }
    assert alert_latency_stats()["count"] == 6
    later = alert_latency_stats(since=now + dt.timedelta(seconds=1))
    assert later["count"] == 0 and later["p50_s"] is None


def test_chart_escapes_text_and_breaks_lines_at_empty_days() -> None:
    day = dt.date(2026, 11, 1)
    rows = [
        {"day": day + dt.timedelta(days=i), "count": c, "p50_s": v, "p95_s": v and v * 2}
        for i, (c, v) in enumerate([(2, 60.0), (1, 120.0), (0, None), (3, 90.0), (1, 30.0)])
    ]
    svg = str(latency_svg(rows, title="<script>alert(1)</script>"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<polyline") == 4  # two series, each split by the empty day
    assert svg.count("<circle") == 8
    empty = str(latency_svg([{"day": day, "count": 0, "p50_s": None, "p95_s": None}], title="x"))
    assert "<polyline" not in empty and "<circle" not in empty
