"""The alerts tile of the morning overview: unread in-app alerts of the reader's scope."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ttdn.alerts.selectors import alert_unread_count
from ttdn.web.tiles import Tile, TileValue, tile_register


def _unread(user: Any) -> TileValue | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return TileValue(value=alert_unread_count(user=user), url=reverse("alerts:inbox"))


def register() -> None:
    tile_register(Tile(key="alerts.unread", title=_("Cảnh báo chưa xem"), value=_unread, order=50))
