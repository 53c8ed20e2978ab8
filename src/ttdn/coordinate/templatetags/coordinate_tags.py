"""What the coordinate sub-navigation shows for this user (board link, unread notices)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from ttdn.coordinate.access import is_juror, sees_everything
from ttdn.coordinate.models import TaskStatus
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


ACTION_LABELS = {
    "create": _("Tạo nhiệm vụ"),
    "update": _("Sửa nhiệm vụ"),
    "accept": _("Nhận nhiệm vụ"),
    "start": _("Bắt đầu thực hiện"),
    "submit": _("Nộp kết quả"),
    "return": _("Trả lại"),
    "close": _("Duyệt hoàn thành"),
    "comment": _("Ý kiến"),
    "evidence": _("Thêm minh chứng"),
    "open": _("Mở báo cáo"),
    "save": _("Lưu báo cáo"),
    "approve": _("Duyệt"),
}


@register.filter
def action_label(action: str) -> str:
    """A history entry's action in words (the stored code is for the machine)."""
    return str(ACTION_LABELS.get(action, action))


@register.filter
def task_status_label(status: str) -> str:
    return str(TaskStatus(status).label) if status in TaskStatus.values else status


@register.filter
def category_name(category: Any, language: str) -> str:
    """An award category's name for the reader: English when given, else the Vietnamese."""
    return str(category.name_in(language or "vi"))
