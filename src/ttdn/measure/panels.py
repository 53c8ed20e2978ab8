"""Panels other modules add to Measure's dashboard (Respond's follow-up of its answers).

Why a registry and not an import: Measure sits below Respond in the layer order (Respond
matches reports Measure counts), so Measure may not import Respond; the module that owns the
figures registers a panel from its AppConfig.ready() and Measure only composes, as the
morning overview does with `ttdn.web.tiles`:

    from ttdn.measure.panels import DashboardPanel, panel_register
    panel_register(DashboardPanel(key="respond.followup", template="respond/_measure.html",
                                  context=followup_panel, scripts=("respond/followup.js",)))

`context(request, filters)` returns the template's variables (given to it as `data`), or
None to leave the panel out for that reader — a panel never shows a made-up zero to someone
who may not read its figures. One that raises is logged and left out: a module's panel must
not take the dashboard down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from ttdn.measure.filters import MeasureFilters

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    template: str
    context: Callable[[HttpRequest, MeasureFilters], dict[str, Any] | None]
    order: int = 100
    # static scripts the panel needs, loaded after Measure's chart library (CSP: no inline)
    scripts: tuple[str, ...] = ()


_PANELS: dict[str, DashboardPanel] = {}


def panel_register(panel: DashboardPanel) -> None:
    """Add (or replace, on a reload) the panel with this key."""
    _PANELS[panel.key] = panel


def panel_values(
    request: HttpRequest, filters: MeasureFilters
) -> list[tuple[DashboardPanel, dict[str, Any]]]:
    """The registered panels that have something to show this reader, in their order."""
    out = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        try:
            context = panel.context(request, filters)
        except Exception:  # noqa: BLE001 - one module's panel must not take the dashboard down
            logger.exception("dashboard panel %s failed", panel.key)
            continue
        if context is not None:
            out.append((panel, context))
    return out
