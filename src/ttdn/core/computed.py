"""The registry of figures the platform computes for a periodic report.

A computed indicator is a key with a title, a definition (shown beside the figure, so a
reviewer knows what it counts) and a function (organisation, start, end) -> number | None.
Coordinate registers the figures Measure and Alerts can give; other apps register their own
from their AppConfig.ready() — e.g. Respond the median response time of its cases, Portal
its pages and pickups — so Coordinate never imports them. The registry lives in core, below
every app, because Respond and Coordinate sit side by side in the layer order and may not
import each other; Coordinate is the registry's main reader (periodic reports):

    from ttdn.core.computed import register
    register("respond_median_hours", title=_("…"), definition=_("…"), unit=_("giờ"),
             compute=lambda organisation, start, end: …)

None means "not applicable to this organisation" (e.g. a province's world coverage for a
ministry), which the form shows as such, not as zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

Compute = Callable[[Any, dt.date, dt.date], float | None]


@dataclass(frozen=True)
class ComputedIndicator:
    key: str
    title: str | Promise
    definition: str | Promise
    unit: str | Promise
    compute: Compute
    source: str  # the app that registered it
    aggregate: str = "sum"  # how the national roll-up combines organisations: sum | mean


_REGISTRY: dict[str, ComputedIndicator] = {}


def register(
    key: str,
    *,
    title: str | Promise,
    definition: str | Promise,
    unit: str | Promise = "",
    compute: Compute,
    source: str = "",
    aggregate: str = "sum",
) -> ComputedIndicator:
    """Add (or replace, on a reload) a computed indicator; returns it."""
    indicator = ComputedIndicator(key, title, definition, unit, compute, source, aggregate)
    _REGISTRY[key] = indicator
    return indicator


def computed_get(key: str) -> ComputedIndicator | None:
    return _REGISTRY.get(key)


def computed_all() -> list[ComputedIndicator]:
    return sorted(_REGISTRY.values(), key=lambda i: i.key)


def computed_value(key: str, organisation: Any, start: dt.date, end: dt.date) -> float | None:
    """The figure, or None when the indicator is unknown or does not apply."""
    indicator = _REGISTRY.get(key)
    if indicator is None:
        return None
    value = indicator.compute(organisation, start, end)
    return None if value is None else round(float(value), 3)
