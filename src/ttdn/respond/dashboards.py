"""Respond's follow-up as charts: the data the follow-up page draws, and the same charts as a
panel of Measure's dashboard (issue 11: the follow-up figures "on the dashboards").

Why one module for both: the page and the panel show the same figures from the same selector
(`selectors.followup`) through the same template (`respond/_followup_charts.html`) and script
(`respond/followup.js`); only the scope differs (the panel takes the dashboard's period).
Measure sits below Respond, so Respond registers the panel (`ttdn.measure.panels`).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from ttdn.accounts.selectors import organisations_readable
from ttdn.measure.filters import MeasureFilters
from ttdn.measure.panels import DashboardPanel, panel_register
from ttdn.respond import selectors
from ttdn.respond.models import Severity


def _case_label(case: Any) -> str:
    return str(case.title)[:40] or f"#{case.pk}"


def _tone_chart(rows: list[dict[str, Any]], before: str, after: str) -> dict[str, Any]:
    """Mean tone of each case's stories before and after its answer (cases with a tone on
    either side only; a side without reports is a gap, not a neutral 0)."""
    kept = [r for r in rows if r["tone_before"] is not None or r["tone_after"] is not None]
    return {
        "cases": [_case_label(r["case"]) for r in kept],
        "before": [r["tone_before"] for r in kept],
        "after": [r["tone_after"] for r in kept],
        "labels": {"before": before, "after": after},
    }


def _pickups_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Reports that link to or re-use each published answer."""
    kept = [r for r in rows if r["case"].slug]
    return {
        "cases": [_case_label(r["case"]) for r in kept],
        "values": [r["pickups"] for r in kept],
        "label": str(_("Bài dẫn lại bài phản hồi")),
    }


def followup_chart_data(data: dict[str, Any]) -> dict[str, Any]:
    """What `respond/followup.js` draws, from `selectors.followup`'s figures, with labels
    already translated (the script has no catalogue)."""
    before, after = _("Trước khi phản hồi"), _("Sau khi phản hồi")
    met = data["met"]
    return {
        "severity": {str(Severity(k).label): v for k, v in data["publish_by_severity"].items()},
        "organisation": data["publish_by_organisation"],
        "assess_severity": {
            str(Severity(k).label): v for k, v in data["assess_by_severity"].items()
        },
        "assess_organisation": data["assess_by_organisation"],
        "met": {
            _("Đánh giá đúng hạn"): met["assess_met"],
            _("Đánh giá trễ hạn"): met["assess_missed"],
            _("Công bố đúng hạn"): met["publish_met"],
            _("Công bố trễ hạn"): met["publish_missed"],
        },
        "reappear": {before: data["reappear_before"], after: data["reappear_after"]},
        "volume": {before: data["volume_before"], after: data["volume_after"]},
        "tone": _tone_chart(data["rows"], before, after),
        "pickups": _pickups_chart(data["rows"]),
    }


def followup_panel(request: HttpRequest, filters: MeasureFilters) -> dict[str, Any] | None:
    """The dashboard panel's figures: the reader's cases (a province its own, central all,
    through `organisations_readable`) opened in the dashboard's period. Left out for a
    reader who may read no organisation's cases."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    if not organisations_readable(user).exists():  # type: ignore[arg-type]
        return None
    since, before = filters.period()
    data = selectors.followup(user=user, opened_since=since, opened_before=before)  # type: ignore[arg-type]
    chart = followup_chart_data(data)
    return {
        "data": data,
        "chart_json": json.dumps(chart, default=str),
        "has_tone": bool(chart["tone"]["cases"]),
        "has_pickups": bool(chart["pickups"]["cases"]),
        "prefix": "respond-",
        "filters": filters,
    }


def register() -> None:
    panel_register(
        DashboardPanel(
            key="respond.followup",
            template="respond/_measure_panel.html",
            context=followup_panel,
            order=50,
            scripts=("respond/followup.js",),
        )
    )
