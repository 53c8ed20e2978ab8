"""The morning overview: the first page after login (thin view over measure.overview)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from ttdn.alerts.selectors import alert_list
from ttdn.measure.overview import (
    DEFAULT_PERIOD,
    PERIODS,
    country_outlet_list,
    overview_figures,
    period_filters,
    story_rising_list,
)
from ttdn.measure.views import chart_context
from ttdn.web.labels import country_name
from ttdn.web.tiles import tile_values

LATEST_ALERTS = 5


def _days(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("ky") or DEFAULT_PERIOD)
    except ValueError:
        return DEFAULT_PERIOD
    return days if days in PERIODS else DEFAULT_PERIOD


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    days = _days(request)
    current, previous = period_filters(days, timezone.localdate())
    params = {"date_from": current.date_from, "date_to": current.date_to, "bucket": "day"}
    context: dict[str, Any] = {
        "days": days,
        "periods": PERIODS,
        "current": current,
        "previous": previous,
        "figures": overview_figures(days=days),
        "tiles": tile_values(request.user),
        "rising": story_rising_list(),
        "alerts": list(alert_list(user=request.user)[:LATEST_ALERTS]),  # type: ignore[arg-type]
        "map_src": reverse("measure_data", args=["coverage_by_country"]) + "?" + urlencode(params),
        "drill_url": reverse("overview_country", args=["ZZ"]).replace("ZZ", "__CC__")
        + f"?ky={days}",
        **chart_context(),
    }
    return render(request, "web/overview.html", context)


@login_required
def overview_country(request: HttpRequest, country: str) -> HttpResponse:
    """Drill-down from the map: one country's outlets and their stories in the period."""
    days = _days(request)
    current, _previous = period_filters(days, timezone.localdate())
    code = country.upper()[:2]
    return render(
        request,
        "web/overview_country.html",
        {
            "days": days,
            "current": current,
            "country": code,
            "country_label": country_name(code),
            "outlets": country_outlet_list(country=code, filters=current),
        },
    )
