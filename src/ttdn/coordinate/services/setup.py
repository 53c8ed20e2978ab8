"""Writes for Coordinate's reference data: programmes (with their groups of tasks), report
templates (with their indicators), reporting periods and targets.

They used to be kept in the Django admin only; these services give them staff pages whose
rules are the module's: central roles (administrator, central analyst) manage them, for the
organisations `ttdn.accounts.selectors.organisations_actable` lets them act for; leaders
read and decide nothing here; provinces and missions read what concerns them. Nothing is
deleted: archiving keeps a programme's plans, a template's and a period's submissions and a
target's history, and takes them out of what is offered for new work. Every write is
validated whole before anything is saved (one transaction), and the models write the audit
log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ttdn.accounts.models import Organisation, User
from ttdn.coordinate.access import can_act_for, can_review
from ttdn.coordinate.models import (
    IndicatorKind,
    PeriodKind,
    Programme,
    ProgrammeGroup,
    ReportIndicator,
    ReportingPeriod,
    ReportTemplate,
    Submission,
    SubmissionValue,
    Target,
    Task,
)
from ttdn.coordinate.services.submissions import period_bounds
from ttdn.core.computed import computed_all, computed_get

KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _err(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def can_manage(user: User) -> bool:
    """Programmes, templates, periods and targets are central's (the issue's reviewers)."""
    return can_review(user)


def _ensure_manager(user: User) -> None:
    if not can_manage(user):
        raise PermissionDenied(
            _(
                "Chỉ cơ quan trung ương được quản lý chương trình, mẫu báo cáo, kỳ báo cáo "
                "và mục tiêu."
            )
        )


def _year(value: Any, field: str) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise _err(field, _("Năm không hợp lệ.")) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _err(field, _("Năm phải từ %(a)s đến %(b)s.") % {"a": FIRST_YEAR, "b": LAST_YEAR})
    return year


def _text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _err(field, message)
    return value


# --- programmes -------------------------------------------------------------------------


@transaction.atomic
def programme_save(
    *,
    user: User,
    programme: Programme | None = None,
    code: str,
    name: str,
    owner: Organisation | None,
    start_year: int,
    end_year: int,
    description: str = "",
    groups: Sequence[str] = (),
) -> Programme:
    """Create or change a programme and its numbered groups of tasks and solutions.

    Groups are given in order (group n is the n-th line); a group that tasks already use
    cannot be dropped (their grouping on the board would vanish), only renamed."""
    _ensure_manager(user)
    code = _text(code, "code", _("Cần nhập mã chương trình.")).lower()
    if not KEY.match(code):
        raise _err("code", _("Mã chỉ gồm chữ thường không dấu, số, “-” và “_”."))
    clash = Programme.objects.filter(code=code)
    if programme is not None:
        clash = clash.exclude(pk=programme.pk)
    if clash.exists():
        raise _err("code", _("Đã có chương trình mã “%(code)s”.") % {"code": code})
    name = _text(name, "name", _("Cần nhập tên chương trình."))
    if owner is None:
        raise _err("owner", _("Cần chọn cơ quan chủ trì."))
    if not can_act_for(user, owner):
        raise PermissionDenied(
            _("Bạn không được làm việc cho đơn vị %(name)s.") % {"name": owner.name}
        )
    start, end = _year(start_year, "start_year"), _year(end_year, "end_year")
    if end < start:
        raise _err("end_year", _("Năm kết thúc không được trước năm bắt đầu."))
    names = [g.strip() for g in groups if g and g.strip()]
    if not names:
        raise _err("groups", _("Cần ít nhất một nhóm nhiệm vụ, giải pháp."))
    if programme is not None:
        outside = programme.plans.exclude(year__range=(start, end))
        if outside.exists():
            raise _err(
                "start_year",
                _("Đã có kế hoạch năm %(year)s của chương trình, ngoài khoảng năm mới.")
                % {"year": outside.first().year},  # type: ignore[union-attr]
            )
        dropped = programme.groups.filter(number__gt=len(names))
        used = Task.objects.filter(group__in=dropped).values_list("group__number", flat=True)
        if used.exists():
            raise _err(
                "groups",
                _("Nhóm số %(n)s đang có nhiệm vụ, không bỏ được (có thể đổi tên).")
                % {"n": used.first()},
            )
    else:
        programme = Programme()
    programme.code, programme.name, programme.owner = code, name, owner
    programme.start_year, programme.end_year = start, end
    programme.description = (description or "").strip()
    programme.full_clean()
    programme.save()
    programme.groups.filter(number__gt=len(names)).delete()
    for number, group_name in enumerate(names, start=1):
        ProgrammeGroup.objects.update_or_create(
            programme=programme, number=number, defaults={"name": group_name[:300]}
        )
    return programme


@transaction.atomic
def programme_archive(*, user: User, programme: Programme, archived: bool = True) -> Programme:
    _ensure_manager(user)
    programme.archived = archived
    programme.save()
    return programme


# --- report templates -------------------------------------------------------------------


def _indicators(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The indicator rows checked as a whole: keys, titles, kinds, computed keys known."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        key = (row.get("key") or "").strip().lower()
        title = (row.get("title") or "").strip()
        if not key and not title:
            continue  # an empty row of the form
        if not KEY.match(key):
            raise _err(
                "indicators",
                _("Dòng %(n)s: mã chỉ tiêu chỉ gồm chữ thường không dấu, số, “-” và “_”.")
                % {"n": number},
            )
        if key in seen:
            raise _err("indicators", _("Mã chỉ tiêu “%(key)s” bị trùng.") % {"key": key})
        seen.add(key)
        if not title:
            raise _err("indicators", _("Dòng %(n)s: cần nhập tên chỉ tiêu.") % {"n": number})
        kind = row.get("kind") or IndicatorKind.ENTERED
        if kind not in IndicatorKind.values:
            raise _err("indicators", _("Dòng %(n)s: cách lấy số không hợp lệ.") % {"n": number})
        definition = (row.get("definition") or "").strip()
        unit = (row.get("unit") or "").strip()
        if kind == IndicatorKind.COMPUTED:
            known = computed_get(key)
            if known is None:
                raise _err(
                    "indicators",
                    _("Dòng %(n)s: nền tảng không tính chỉ tiêu “%(key)s”.")
                    % {"n": number, "key": key},
                )
            definition = definition or str(known.definition)
            unit = unit or str(known.unit)
        out.append({"key": key, "title": title[:300], "kind": kind, "unit": unit[:60],
                    "definition": definition, "order": len(out) + 1})  # fmt: skip
    if not out:
        raise _err("indicators", _("Mẫu báo cáo cần ít nhất một chỉ tiêu."))
    return out


@transaction.atomic
def report_template_save(
    *,
    user: User,
    template: ReportTemplate | None = None,
    name: str,
    period_kind: str,
    indicators: Sequence[dict[str, Any]],
) -> ReportTemplate:
    """Create or change a report template and its indicators (matched by key).

    Once organisations have reported on a template, its period kind stays, and an indicator
    they have figures for can be renamed but not dropped (their reports keep their meaning)."""
    _ensure_manager(user)
    name = _text(name, "name", _("Cần nhập tên mẫu báo cáo."))
    if period_kind not in PeriodKind.values:
        raise _err("period_kind", _("Kỳ báo cáo không hợp lệ."))
    rows = _indicators(indicators)
    if template is not None:
        used = Submission.objects.filter(template=template).exists()
        if used and period_kind != template.period_kind:
            raise _err(
                "period_kind", _("Đã có báo cáo theo mẫu này: không đổi được loại kỳ báo cáo.")
            )
        keep = {row["key"] for row in rows}
        dropped = template.indicators.exclude(key__in=keep)
        reported = SubmissionValue.objects.filter(indicator__in=dropped).values_list(
            "indicator__key", flat=True
        )
        if reported.exists():
            raise _err(
                "indicators",
                _("Chỉ tiêu “%(key)s” đã có số liệu trong báo cáo của các đơn vị, không bỏ được.")
                % {"key": reported.first()},
            )
        dropped.delete()
    else:
        template = ReportTemplate()
    template.name, template.period_kind = name[:300], period_kind
    template.full_clean()
    template.save()
    for row in rows:
        fields = {name: value for name, value in row.items() if name != "key"}
        ReportIndicator.objects.update_or_create(template=template, key=row["key"], defaults=fields)
    return template


@transaction.atomic
def report_template_archive(
    *, user: User, template: ReportTemplate, archived: bool = True
) -> ReportTemplate:
    _ensure_manager(user)
    template.active = not archived
    template.save()
    return template


# --- reporting periods ------------------------------------------------------------------


@transaction.atomic
def period_save(
    *,
    user: User,
    period: ReportingPeriod | None = None,
    kind: str,
    year: int,
    half: int | None,
    due_date: dt.date | None,
) -> ReportingPeriod:
    """Open a reporting period ahead of time with its due date, or move an existing one's
    due date (its kind and dates are fixed once organisations report in it)."""
    _ensure_manager(user)
    if kind not in PeriodKind.values:
        raise _err("kind", _("Kỳ báo cáo không hợp lệ."))
    year = _year(year, "year")
    half = half if kind == PeriodKind.SIX_MONTH else None
    start, end = period_bounds(kind, year, half)
    if due_date is None:
        raise _err("due_date", _("Cần nhập hạn nộp."))
    if due_date < end:
        raise _err("due_date", _("Hạn nộp không được trước ngày cuối kỳ (%(end)s).") % {
            "end": end.strftime("%d/%m/%Y")})  # fmt: skip
    clash = ReportingPeriod.objects.filter(kind=kind, year=year, half=half)
    if period is not None:
        clash = clash.exclude(pk=period.pk)
        moved = (period.kind, period.year, period.half) != (kind, year, half)
        if moved and period.submissions.exists():
            raise _err("kind", _("Đã có báo cáo trong kỳ này: chỉ đổi được hạn nộp."))
    if clash.exists():
        raise _err("year", _("Kỳ báo cáo này đã có."))
    period = period or ReportingPeriod()
    period.kind, period.year, period.half = kind, year, half
    period.start, period.end, period.due_date = start, end, due_date
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def period_archive(
    *, user: User, period: ReportingPeriod, archived: bool = True
) -> ReportingPeriod:
    """An archived period is also closed: it takes no new report."""
    _ensure_manager(user)
    period.archived = archived
    if archived:
        period.closed = True
    period.save()
    return period


# --- targets ----------------------------------------------------------------------------


def indicator_keys() -> list[tuple[str, str]]:
    """Every indicator key a target may name: the templates' and the platform's computed."""
    keys: dict[str, str] = {}
    for key, title in ReportIndicator.objects.order_by("key", "id").values_list("key", "title"):
        keys.setdefault(key, title)
    for indicator in computed_all():
        keys.setdefault(indicator.key, str(indicator.title))
    return sorted(keys.items())


@transaction.atomic
def target_save(
    *,
    user: User,
    target: Target | None = None,
    indicator_key: str,
    organisation: Organisation | None,
    year: int,
    value: float | None,
) -> Target:
    """A target for an indicator and year: the programme's for the country (no
    organisation), or one organisation's; one of each per indicator and year."""
    _ensure_manager(user)
    if indicator_key not in dict(indicator_keys()):
        raise _err("indicator_key", _("Không có chỉ tiêu mã “%(key)s”.") % {"key": indicator_key})
    if organisation is not None and not can_act_for(user, organisation):
        raise PermissionDenied(
            _("Bạn không được làm việc cho đơn vị %(name)s.") % {"name": organisation.name}
        )
    year = _year(year, "year")
    if value is None:
        raise _err("value", _("Cần nhập giá trị mục tiêu."))
    if value < 0:
        raise _err("value", _("Mục tiêu không được âm."))
    clash = Target.objects.filter(indicator_key=indicator_key, organisation=organisation, year=year)
    if target is not None:
        clash = clash.exclude(pk=target.pk)
    if clash.exists():
        raise _err(
            "year",
            _("Đã có mục tiêu cho chỉ tiêu này, đơn vị này, năm %(year)s (kể cả đã lưu trữ).")
            % {"year": year},
        )
    target = target or Target()
    target.indicator_key, target.organisation = indicator_key, organisation
    target.year, target.value = year, float(value)
    target.full_clean(validate_constraints=False)  # checked above, with a clearer message
    target.save()
    return target


@transaction.atomic
def target_archive(*, user: User, target: Target, archived: bool = True) -> Target:
    _ensure_manager(user)
    target.archived = archived
    target.save()
    return target
