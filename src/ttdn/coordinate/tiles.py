"""The "overdue tasks" tile of the morning overview: open tasks past their due date in the
reader's scope (a province sees its own; central and leaders see the country)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ttdn.coordinate.access import sees_everything
from ttdn.coordinate.selectors.tasks import task_list
from ttdn.web.tiles import Tile, TileValue, tile_register


def _overdue(user: Any) -> TileValue | None:
    if not getattr(user, "is_authenticated", False):
        return None
    url = reverse("coordinate_board") if sees_everything(user) else reverse("coordinate_tasks")
    return TileValue(
        value=task_list(user=user, state="late").count(), url=url + "?state=late"
        if not sees_everything(user) else url,
    )  # fmt: skip


def register() -> None:
    tile_register(
        Tile(key="coordinate.overdue_tasks", title=_("Nhiệm vụ quá hạn"), value=_overdue, order=70)
    )
