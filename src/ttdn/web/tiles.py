"""What the modules show on the morning overview: small tiles (one number) and sections
(a template and its context), both registered by the module that owns the figures.

The overview page (`ttdn.web.overview`) only composes: Measure registers its headline
figures, rising stories and coverage map as sections (`ttdn.measure.tiles`), Alerts its
unread tile and latest alerts (`ttdn.alerts.tiles`), Respond its open cases, Coordinate its
overdue tasks. A module registers from its AppConfig.ready():

    from ttdn.web.tiles import Tile, TileValue, tile_register
    tile_register(Tile(key="respond.open_cases", title=_("Hồ sơ đang mở"), order=60,
                       value=lambda user: TileValue(value=case_open_count(user=user),
                                                    url=reverse("respond"))))

A section is `Section(key, template, context, area, order)`: `context(request, period)`
returns the template's variables, or None to leave the section out; `area` is "kpis" (items
of the headline list, `<li>`s) or "panels" (the grid below it).

A tile or section is drawn only when its function returns a value for that reader (None:
not shown), so a slot never shows a made-up zero; one that raises is logged and left out,
never taking the overview down. Why a registry here and not imports from web: dependencies
point from the modules to the web layer, never back (DESIGN.md §4.8).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise

logger = logging.getLogger(__name__)

# the periods the overview compares (days), the first one a reader sees
PERIODS = (1, 7, 30)
DEFAULT_PERIOD = 7

# the slots the overview keeps for modules still to come (documented, never drawn empty)
SLOTS = ("respond.open_cases", "coordinate.overdue_tasks")


@dataclass(frozen=True)
class TileValue:
    value: int | float
    previous: int | float | None = None  # the same figure for the previous period, if known
    note: str = ""
    url: str = ""
    # True when a rise is bad news (overdue tasks, open cases): the arrow turns red
    rise_is_bad: bool = True


@dataclass(frozen=True)
class Tile:
    key: str
    title: Promise | str
    value: Callable[[Any], TileValue | None]
    order: int = 100


_TILES: dict[str, Tile] = {}


def tile_register(tile: Tile) -> None:
    """Add (or replace, on a reload) the tile with this key."""
    _TILES[tile.key] = tile


def tile_values(user: Any) -> list[tuple[Tile, TileValue]]:
    """The registered tiles that have a value for `user`, in their order."""
    out = []
    for tile in sorted(_TILES.values(), key=lambda t: (t.order, t.key)):
        try:
            value = tile.value(user)
        except Exception:  # noqa: BLE001 - one module's tile must not take the overview down
            logger.exception("overview tile %s failed", tile.key)
            continue
        if value is not None:
            out.append((tile, value))
    return out


# --- sections ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The overview's period (the last `days` local days up to `date_to`) and the `days`
    before it, which every figure is compared with."""

    days: int
    date_from: dt.date
    date_to: dt.date
    previous_from: dt.date
    previous_to: dt.date


def period_of(days: int, today: dt.date) -> Period:
    start = today - dt.timedelta(days=days - 1)
    before_end = start - dt.timedelta(days=1)
    return Period(days, start, today, before_end - dt.timedelta(days=days - 1), before_end)


AREAS = ("kpis", "panels")


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable[[HttpRequest, Period], dict[str, Any] | None]
    area: str = "panels"
    order: int = 100
    stylesheets: tuple[str, ...] = ()  # static paths the section's markup needs


_SECTIONS: dict[str, Section] = {}


def section_register(section: Section) -> None:
    """Add (or replace, on a reload) the section with this key."""
    if section.area not in AREAS:
        raise ValueError(f"unknown overview area {section.area!r}; one of {AREAS}")
    _SECTIONS[section.key] = section


def section_values(request: HttpRequest, period: Period) -> list[tuple[Section, dict[str, Any]]]:
    """The registered sections that have something to show, in their order."""
    out = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        try:
            context = section.context(request, period)
        except Exception:  # noqa: BLE001 - one module's section must not take the overview down
            logger.exception("overview section %s failed", section.key)
            continue
        if context is not None:
            out.append((section, context))
    return out
