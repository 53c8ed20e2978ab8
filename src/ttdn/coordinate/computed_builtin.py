"""The computed indicators Coordinate registers itself: Measure's figures for a province
(with its former units) and the alerts an organisation received. Registered from
CoordinateConfig.ready(); Respond and Portal register theirs the same way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from ttdn.core.computed import register


def _province_totals(organisation: Any, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    """Measure's "province" indicator over the period, former units counted on today's unit;
    None for an organisation that is not a province or city."""
    if organisation is None or not organisation.is_provincial:
        return None
    # Measure is read through its public indicator functions, as the periodic reports do
    from ttdn.measure.filters import MeasureFilters
    from ttdn.measure.indicators import indicator_compute

    filters = MeasureFilters(date_from=start, date_to=end, bucket="month").with_province(
        organisation.slug
    )
    return indicator_compute("province", filters).totals


def world_coverage(organisation: Any, start: dt.date, end: dt.date) -> float | None:
    totals = _province_totals(organisation, start, end)
    return None if totals is None else float(totals.get("reports") or 0)


def world_stories(organisation: Any, start: dt.date, end: dt.date) -> float | None:
    totals = _province_totals(organisation, start, end)
    return None if totals is None else float(totals.get("stories") or 0)


def world_tone(organisation: Any, start: dt.date, end: dt.date) -> float | None:
    totals = _province_totals(organisation, start, end)
    if totals is None or totals.get("mean_tone") is None:
        return None
    return float(totals["mean_tone"])


def alerts_received(organisation: Any, start: dt.date, end: dt.date) -> float | None:
    from ttdn.alerts.models import Alert

    if organisation is None:
        return None
    return float(
        Alert.objects.filter(
            organisation=organisation,
            created_at__date__gte=start,
            created_at__date__lte=end,
        ).count()
    )


def register_builtin() -> None:
    register(
        "world_coverage",
        title=_("Bài báo quốc tế nhắc đến tỉnh, thành phố"),
        definition=_(
            "Chỉ số “Thế giới nói gì về một tỉnh” của phân hệ Đo lường: số bài báo nước "
            "ngoài về Việt Nam nhắc đến tỉnh trong kỳ, tính cả tên các tỉnh cũ đã sáp nhập."
        ),
        unit=_("bài báo"),
        compute=world_coverage,
        source="measure",
    )
    register(
        "world_stories",
        title=_("Câu chuyện quốc tế nhắc đến tỉnh, thành phố"),
        definition=_("Số câu chuyện khác nhau mà các bài báo nói trên thuộc về."),
        unit=_("câu chuyện"),
        compute=world_stories,
        source="measure",
    )
    register(
        "world_tone",
        title=_("Sắc thái trung bình của báo chí quốc tế về tỉnh"),
        definition=_("Điểm sắc thái trung bình (−1 đến 1) của các bài báo nói trên."),
        unit=_("điểm (−1…1)"),
        compute=world_tone,
        source="measure",
        aggregate="mean",
    )
    register(
        "alerts_received",
        title=_("Cảnh báo đã nhận"),
        definition=_("Số cảnh báo mà các quy tắc cảnh báo của đơn vị đã phát ra trong kỳ."),
        unit=_("cảnh báo"),
        compute=alerts_received,
        source="alerts",
    )
