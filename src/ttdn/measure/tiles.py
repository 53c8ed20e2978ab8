"""Measure's part of the morning overview (registered in `ttdn.web.tiles`): the headline
figures against the previous period, the stories rising in the last 24 hours, and the map of
where coverage comes from, which drills down to one country (`views.overview_country`).

Why registered and not imported by the overview: the shell sits below Measure in the layer
order; it composes what each module gives it (DESIGN.md §4.8, decision 0014).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from ttdn.measure.overview import overview_figures, story_rising_list
from ttdn.web.charts import chart_context
from ttdn.web.tiles import Period, Section, section_register

STYLES = ("measure/measure.css",)


def _figures(request: HttpRequest, period: Period) -> dict[str, Any]:
    return {"figures": overview_figures(days=period.days, today=period.date_to)}


def _rising(request: HttpRequest, period: Period) -> dict[str, Any]:
    return {"rising": story_rising_list()}


def _coverage_map(request: HttpRequest, period: Period) -> dict[str, Any]:
    params = {"date_from": period.date_from, "date_to": period.date_to, "bucket": "day"}
    drill = reverse("overview_country", args=["ZZ"]).replace("ZZ", "__CC__")
    return {
        "map_src": reverse("measure_data", args=["coverage_by_country"]) + "?" + urlencode(params),
        "drill_url": f"{drill}?ky={period.days}",
        **chart_context(),
    }


def register() -> None:
    for section in (
        Section("measure.figures", "measure/overview/_figures.html", _figures, "kpis", 10, STYLES),
        Section("measure.rising", "measure/overview/_rising.html", _rising, "panels", 10, STYLES),
        Section(
            "measure.coverage_map",
            "measure/overview/_coverage_map.html",
            _coverage_map,
            "panels",
            20,
            STYLES,
        ),
    ):
        section_register(section)
