"""Report kinds and their periods: plain date arithmetic, no database.

One place decides what "the six-month report for 2025-H1" or "the 5-year evaluation ending
2025" covers, so the request form, the scheduler and the report itself always agree. A bad
period is a `ValidationError` with a message a person can act on, never a 500.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ttdn.measure.filters import EARLIEST, MAX_SPAN_DAYS


class ReportKind(models.TextChoices):
    SIX_MONTH = "six_month", _("Báo cáo sáu tháng")
    ANNUAL = "annual", _("Báo cáo năm")
    CUSTOM = "custom", _("Báo cáo theo kỳ tùy chọn")
    EVAL_3Y = "eval_3y", _("Đánh giá 3 năm")
    EVAL_5Y = "eval_5y", _("Đánh giá 5 năm")
    EVAL_10Y = "eval_10y", _("Đánh giá 10 năm")


EVALUATION_YEARS = {ReportKind.EVAL_3Y: 3, ReportKind.EVAL_5Y: 5, ReportKind.EVAL_10Y: 10}
# kinds that repeat on a calendar and can therefore be scheduled
SCHEDULABLE = (
    ReportKind.SIX_MONTH,
    ReportKind.ANNUAL,
    ReportKind.EVAL_3Y,
    ReportKind.EVAL_5Y,
    ReportKind.EVAL_10Y,
)

Period = tuple[dt.date, dt.date]


def _year(year: int | None) -> int:
    if year is None:
        raise ValidationError({"year": _("Hãy chọn năm của kỳ báo cáo.")})
    if not EARLIEST.year <= year <= 9999:
        raise ValidationError({"year": _("Năm phải từ %(y)s trở đi.") % {"y": EARLIEST.year}})
    return year


def period_resolve(
    kind: str,
    *,
    year: int | None = None,
    half: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    today: dt.date,
) -> Period:
    """The inclusive [start, end] dates a report of `kind` covers.

    A period still in progress is allowed (the report says up to which day it counts); one
    that has not started yet is refused, since it could only ever be empty."""
    if kind == ReportKind.SIX_MONTH:
        y = _year(year)
        if half not in (1, 2):
            raise ValidationError({"half": _("Hãy chọn sáu tháng đầu năm hoặc cuối năm.")})
        start, end = (
            (dt.date(y, 1, 1), dt.date(y, 6, 30))
            if half == 1
            else (dt.date(y, 7, 1), dt.date(y, 12, 31))
        )
    elif kind == ReportKind.ANNUAL:
        y = _year(year)
        start, end = dt.date(y, 1, 1), dt.date(y, 12, 31)
    elif kind in EVALUATION_YEARS:
        y = _year(year)
        span = EVALUATION_YEARS[ReportKind(kind)]
        start, end = dt.date(y - span + 1, 1, 1), dt.date(y, 12, 31)
    elif kind == ReportKind.CUSTOM:
        if date_from is None or date_to is None:
            raise ValidationError(
                {"date_from": _("Báo cáo theo kỳ tùy chọn cần cả “Từ ngày” và “Đến ngày”.")}
            )
        if date_to < date_from:
            raise ValidationError({"date_to": _("“Đến ngày” phải sau hoặc bằng “Từ ngày”.")})
        if (date_to - date_from).days > MAX_SPAN_DAYS:
            raise ValidationError({"date_from": _("Khoảng thời gian quá dài: tối đa 10 năm.")})
        start, end = date_from, date_to
    else:
        raise ValidationError({"kind": _("Không có loại báo cáo này.")})
    if start < EARLIEST:
        raise ValidationError(
            {"year": _("Kỳ báo cáo phải bắt đầu từ %(d)s trở đi.")
             % {"d": EARLIEST.strftime("%d/%m/%Y")}}
        )  # fmt: skip
    if start > today:
        raise ValidationError(
            {"year": _("Kỳ báo cáo chưa bắt đầu (bắt đầu ngày %(d)s).")
             % {"d": start.strftime("%d/%m/%Y")}}
        )  # fmt: skip
    return start, end


def period_label(kind: str, start: dt.date, end: dt.date) -> str:
    """How people name the period: "6 tháng đầu năm 2025", "Năm 2025", "2021–2025"."""
    if kind == ReportKind.SIX_MONTH:
        if start.month == 1:
            return str(_("6 tháng đầu năm %(y)s") % {"y": start.year})
        return str(_("6 tháng cuối năm %(y)s") % {"y": start.year})
    if kind == ReportKind.ANNUAL:
        return str(_("Năm %(y)s") % {"y": start.year})
    if kind in EVALUATION_YEARS:
        return f"{start.year}–{end.year}"
    return f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"


def period_before(kind: str, when: dt.date) -> Period:
    """The latest whole period of `kind` that ended before `when` (what a schedule due on
    `when` reports on: the run on 1 July 2025 makes the report for 2025-H1)."""
    if kind == ReportKind.SIX_MONTH:
        if when.month >= 7:
            return dt.date(when.year, 1, 1), dt.date(when.year, 6, 30)
        return dt.date(when.year - 1, 7, 1), dt.date(when.year - 1, 12, 31)
    if kind == ReportKind.ANNUAL:
        return dt.date(when.year - 1, 1, 1), dt.date(when.year - 1, 12, 31)
    if kind in EVALUATION_YEARS:
        span = EVALUATION_YEARS[ReportKind(kind)]
        return dt.date(when.year - span, 1, 1), dt.date(when.year - 1, 12, 31)
    raise ValidationError({"kind": _("Loại báo cáo này không thể lập lịch tự động.")})


def next_boundary(kind: str, after: dt.date) -> dt.date:
    """The first day strictly after `after` on which a period of `kind` has just ended:
    1 January or 1 July for six-month reports, 1 January for annual ones, and for an
    N-year evaluation 1 January N years on (one evaluation per programme span)."""
    if kind == ReportKind.SIX_MONTH:
        if after < dt.date(after.year, 7, 1):
            return dt.date(after.year, 7, 1)
        return dt.date(after.year + 1, 1, 1)
    if kind == ReportKind.ANNUAL:
        return dt.date(after.year + 1, 1, 1)
    if kind in EVALUATION_YEARS:
        return dt.date(after.year + EVALUATION_YEARS[ReportKind(kind)], 1, 1)
    raise ValidationError({"kind": _("Loại báo cáo này không thể lập lịch tự động.")})


def bucket_for(start: dt.date, end: dt.date) -> str:
    """Chart granularity: days for a month or so, weeks up to about seven months (a
    six-month report gets ~26 points), months beyond (a 10-year evaluation gets 120)."""
    days = (end - start).days + 1
    if days <= 45:
        return "day"
    if days <= 215:
        return "week"
    return "month"
