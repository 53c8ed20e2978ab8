"""Reads for alerts, always scoped to what the user may see.

A provincial officer (or any non-central user) sees only their organisation's rules and
alerts; other ids give 404 so they learn nothing. Central roles see every organisation's.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ttdn.accounts.models import Organisation, User
from ttdn.accounts.permissions import scope_to_organisation
from ttdn.alerts.models import Alert, AlertRule, Channel, Delivery, DeliveryStatus


def alert_rule_list(*, user: User) -> QuerySet[AlertRule]:
    rules = AlertRule.objects.select_related("organisation", "created_by").annotate(
        alert_count=Count("alerts")
    )
    return scope_to_organisation(user, rules).order_by("organisation__name", "name", "pk")


def alert_rule_get(*, user: User, rule_id: int) -> AlertRule:
    """The rule if the user may see it; otherwise 404, so other provinces' ids leak nothing."""
    rule = (
        scope_to_organisation(user, AlertRule.objects.select_related("organisation"))
        .filter(pk=rule_id)
        .first()
    )
    if rule is None:
        raise Http404("No such alert rule")
    return rule


def _in_app() -> Exists:
    return Exists(Delivery.objects.filter(alert=OuterRef("pk"), channel=Channel.IN_APP))


def alert_list(*, user: User, unread_only: bool = False) -> QuerySet[Alert]:
    """Every alert of the user's scope, newest first, with `is_read` for this user."""
    alerts = scope_to_organisation(
        user,
        Alert.objects.select_related("organisation", "story", "rule").annotate(
            is_read=Exists(Alert.read_by.through.objects.filter(alert=OuterRef("pk"), user=user))
        ),
    )
    if unread_only:
        alerts = alerts.filter(is_read=False)
    return alerts.order_by("-created_at", "-id")


def alert_get(*, user: User, alert_id: int) -> Alert:
    alert = alert_list(user=user).filter(pk=alert_id).first()
    if alert is None:
        raise Http404("No such alert")
    return alert


def alert_unread_count(*, user: User) -> int:
    """Unread in-app alerts: the number on the navigation badge."""
    if not user.is_authenticated:
        return 0
    return alert_list(user=user, unread_only=True).filter(_in_app()).count()


def alert_deliveries(*, alert: Alert) -> QuerySet[Delivery]:
    return alert.deliveries.order_by("channel")


# --- latency -------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100) with linear interpolation between ranks (numpy's
    default), or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return float(ordered[low] + (ordered[high] - ordered[low]) * (rank - low))


def _latencies(
    alerts: QuerySet[Alert], channel: str | None
) -> tuple[list[tuple[dt.datetime, float]], int]:
    """(delivered_at, latency seconds) pairs, and how many were left out as estimated."""
    estimated = Q(reference_estimated=True)
    if channel is None:
        rows = alerts.filter(latency_s__isnull=False)
        left_out = rows.filter(estimated).count()
        pairs = [
            (at, float(lat))
            for at, lat in rows.exclude(estimated).values_list("delivered_at", "latency_s")
        ]
        return pairs, left_out
    deliveries = Delivery.objects.filter(
        alert__in=alerts, channel=channel, status=DeliveryStatus.DELIVERED
    )
    left_out = deliveries.filter(alert__reference_estimated=True).count()
    pairs = [
        (at, max(0.0, (at - ref).total_seconds()))
        for at, ref in deliveries.filter(alert__reference_estimated=False).values_list(
            "delivered_at", "alert__reference_at"
        )
    ]
    return pairs, left_out


def _alerts_in(
    organisation: Organisation | None, since: dt.datetime | None, until: dt.datetime | None
) -> QuerySet[Alert]:
    alerts = Alert.objects.all()
    if organisation is not None:
        alerts = alerts.filter(organisation=organisation)
    if since is not None:
        alerts = alerts.filter(created_at__gte=since)
    if until is not None:
        alerts = alerts.filter(created_at__lt=until)
    return alerts


def alert_latency_stats(
    organisation: Organisation | None = None,
    *,
    channel: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> dict[str, Any]:
    """p50/p95 of alert latency in seconds: first publication → first delivery.

    With `channel` ("in_app", "email", "webhook") the delivery on that channel is used
    instead of the first on any. Alerts whose reference time was estimated (the feed gave
    no publication time, so the pipeline used its own fetch time) are left out — their
    latency would look better than it was — and counted in `estimated_left_out`.
    Undelivered alerts have no latency and are counted in `undelivered`.
    """
    alerts = _alerts_in(organisation, since, until)
    pairs, left_out = _latencies(alerts, channel)
    values = [lat for _, lat in pairs]
    if channel is None:
        undelivered = alerts.filter(latency_s__isnull=True).count()
    else:
        undelivered = (
            Delivery.objects.filter(alert__in=alerts, channel=channel)
            .exclude(status=DeliveryStatus.DELIVERED)
            .count()
        )
    return {
        "p50_s": percentile(values, 50),
        "p95_s": percentile(values, 95),
        "count": len(values),
        "estimated_left_out": left_out,
        "undelivered": undelivered,
    }


def alert_latency_series(
    *, user: User, days: int = 30, channel: str | None = None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Per-day p50/p95 latency over the last `days` days, in the user's scope.

    Days are local calendar days (TIME_ZONE) of delivery; days without a delivered alert
    are kept with count 0 so the chart's time axis is honest.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    first_day = today - dt.timedelta(days=days - 1)
    start = timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))
    scoped = scope_to_organisation(user, Alert.objects.all()).filter(delivered_at__gte=start)
    pairs, left_out = _latencies(scoped, channel)
    by_day: dict[dt.date, list[float]] = defaultdict(list)
    for at, latency in pairs:
        by_day[timezone.localdate(at)].append(latency)
    rows = []
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        values = by_day.get(day, [])
        rows.append(
            {
                "day": day,
                "count": len(values),
                "p50_s": percentile(values, 50),
                "p95_s": percentile(values, 95),
            }
        )
    values = [lat for _, lat in pairs]
    return {
        "rows": rows,
        "p50_s": percentile(values, 50),
        "p95_s": percentile(values, 95),
        "count": len(values),
        "estimated_left_out": left_out,
    }


def alert_rules_active_exist() -> bool:
    """Is any rule active? (Without one, a stored report has nothing to be evaluated for.)"""
    return AlertRule.objects.filter(active=True).exists()
