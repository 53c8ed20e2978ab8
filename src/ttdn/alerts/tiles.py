"""Alerts on the morning overview: the unread tile and the latest alerts of the reader's
scope (registered in `ttdn.web.tiles`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ttdn.alerts.selectors import alert_list, alert_unread_count
from ttdn.web.tiles import Period, Section, Tile, TileValue, section_register, tile_register

LATEST_ALERTS = 5


def _unread(user: Any) -> TileValue | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return TileValue(value=alert_unread_count(user=user), url=reverse("alerts:inbox"))


def _latest(request: HttpRequest, period: Period) -> dict[str, Any] | None:
    if not getattr(request.user, "is_authenticated", False):
        return None
    return {"alerts": list(alert_list(user=request.user)[:LATEST_ALERTS])}  # type: ignore[arg-type]


def register() -> None:
    tile_register(Tile(key="alerts.unread", title=_("Cảnh báo chưa xem"), value=_unread, order=50))
    section_register(
        Section("alerts.latest", "alerts/_overview_latest.html", _latest, "panels", 30)
    )
