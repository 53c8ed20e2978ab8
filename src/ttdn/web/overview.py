"""The morning overview: the first page after login.

It composes what the modules registered in `ttdn.web.tiles` (Measure's figures, rising
stories and map; Alerts' latest alerts; every module's tiles) and imports none of them:
dependencies point from the modules to the shell, never back (DESIGN.md §4.8).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ttdn.web.tiles import DEFAULT_PERIOD, PERIODS, period_of, section_values, tile_values


def period_days(request: HttpRequest) -> int:
    """The period the reader chose (?ky=), one of PERIODS."""
    try:
        days = int(request.GET.get("ky") or DEFAULT_PERIOD)
    except ValueError:
        return DEFAULT_PERIOD
    return days if days in PERIODS else DEFAULT_PERIOD


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    period = period_of(period_days(request), timezone.localdate())
    sections = section_values(request, period)
    stylesheets = list(dict.fromkeys(css for s, _ in sections for css in s.stylesheets))
    context: dict[str, Any] = {
        "days": period.days,
        "periods": PERIODS,
        "period": period,
        "kpi_sections": [(s, c) for s, c in sections if s.area == "kpis"],
        "panel_sections": [(s, c) for s, c in sections if s.area == "panels"],
        "stylesheets": stylesheets,
        "tiles": tile_values(request.user),
    }
    return render(request, "web/overview.html", context)
