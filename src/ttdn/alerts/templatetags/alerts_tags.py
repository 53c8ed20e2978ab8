"""Template helpers: the unread badge in the navigation, durations, matched conditions."""

from __future__ import annotations

from typing import Any

from django import template

from ttdn.alerts import channels
from ttdn.alerts.charts import format_duration
from ttdn.alerts.selectors import alert_unread_count

register = template.Library()


@register.simple_tag
def alerts_unread_count(user: Any) -> int:
    """Unread in-app alerts of `user`; 0 for anonymous users or on any database error,
    so a broken alerts table can never take every page down with it."""
    if not getattr(user, "is_authenticated", False):
        return 0
    try:
        return alert_unread_count(user=user)
    except Exception:  # noqa: BLE001 - the badge is decoration
        return 0


@register.filter
def duration(seconds: float | None) -> str:
    return format_duration(seconds)


@register.filter
def matched_items(matched: dict[str, Any]) -> list[tuple[str, str]]:
    return channels.matched_items(matched)
