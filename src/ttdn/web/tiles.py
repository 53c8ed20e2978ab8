"""Overview tiles that other modules add to the morning overview.

Measure's tiles (volume, stories, share of voice, tone, alerts) are built in
`ttdn.measure.overview`. Modules that come later — Respond's open cases, Coordinate's
overdue tasks — register a tile from their AppConfig.ready():

    from ttdn.web.tiles import Tile, TileValue, tile_register
    tile_register(Tile(key="respond.open_cases", title=_("Hồ sơ đang mở"), order=60,
                       value=lambda user: TileValue(value=case_open_count(user=user),
                                                    url=reverse("respond"))))

A tile is drawn only when its function returns a value for that user (None: not shown), so
a slot never shows a made-up zero; one that raises is logged and left out, never taking the
overview down. Why a registry here and not imports from web: dependencies point from the
modules to the web layer, never back (DESIGN.md §4.8).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

logger = logging.getLogger(__name__)

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
