"""What the coordinate sub-navigation shows for this user (board link, unread notices)."""

from __future__ import annotations

from typing import Any

from django import template

from ttdn.coordinate.access import is_juror, sees_everything
from ttdn.coordinate.selectors.tasks import notification_unread_count

register = template.Library()


@register.simple_tag
def coordinate_nav(user: Any) -> dict[str, Any]:
    if not getattr(user, "is_authenticated", False):
        return {"board": False, "unread": 0, "juror": False}
    return {
        "board": sees_everything(user),
        "unread": notification_unread_count(user=user),
        "juror": is_juror(user),
    }


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """`{{ values|get_item:key }}`: one lookup instead of a loop over the dict per cell."""
    return mapping.get(key) if mapping else None
