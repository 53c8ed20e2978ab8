"""Staff pages for Coordinate's reference data, under /dieu-phoi/thiet-lap/: programmes,
report templates, reporting periods and targets — list (current or archived), create, edit
and archive. Every role may read the lists (targets only for the organisations it may read);
only central roles change anything (`services.setup.can_manage`). Thin: one small `Section`
per kind of data says how to list it, fill its form and call its services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ttdn.accounts.models import User
from ttdn.coordinate.models import Programme, ReportingPeriod, ReportTemplate, Target
from ttdn.coordinate.selectors.setup import (
    period_setup_list,
    programme_setup_list,
    report_template_setup_list,
    target_setup_list,
)
from ttdn.coordinate.services.setup import (
    can_manage,
    indicator_keys,
    period_archive,
    period_save,
    programme_archive,
    programme_save,
    report_template_archive,
    report_template_save,
    target_archive,
    target_save,
)
from ttdn.coordinate.setup_forms import (
    IndicatorFormSet,
    PeriodForm,
    ProgrammeForm,
    ReportTemplateForm,
    TargetForm,
)
from ttdn.coordinate.views.tasks import add_errors, user_of


@dataclass(frozen=True)
class Section:
    slug: str
    title: Any  # lazy text
    new_label: Any
    headers: tuple[Any, ...]
    rows: Callable[[User, bool], QuerySet[Any]]
    cells: Callable[[Any, dict[str, Any]], list[Any]]
    form: Callable[..., Form]
    initial: Callable[[Any], dict[str, Any]]
    save: Callable[[User, Any, dict[str, Any], list[dict[str, Any]]], Model]
    archive: Callable[[User, Any, bool], Model]
    with_indicators: bool = False
    # what every row's cells share, read once per page (e.g. the indicators' titles)
    shared: Callable[[], dict[str, Any]] = dict


def _programme_cells(p: Programme, _shared: dict[str, Any]) -> list[Any]:
    groups = "; ".join(f"{g.number}. {g.name}" for g in p.groups.all())
    return [p.code, p.name, p.owner.display_name, f"{p.start_year}–{p.end_year}", groups,
            p.plan_count]  # type: ignore[attr-defined]  # fmt: skip


def _template_cells(t: ReportTemplate, _shared: dict[str, Any]) -> list[Any]:
    indicators = ", ".join(
        f"{i.title} ({i.get_kind_display()})"
        for i in t.indicators.all()  # type: ignore[attr-defined]
    )
    return [t.name, t.get_period_kind_display(), indicators]  # type: ignore[attr-defined]


def _period_cells(p: ReportingPeriod, _shared: dict[str, Any]) -> list[Any]:
    return [str(p), date_format(p.start, "SHORT_DATE_FORMAT"),
            date_format(p.end, "SHORT_DATE_FORMAT"), date_format(p.due_date, "SHORT_DATE_FORMAT"),
            _("Đã khóa") if p.closed else _("Đang mở"), p.submission_count]  # type: ignore[attr-defined]  # fmt: skip


def _target_cells(t: Target, shared: dict[str, Any]) -> list[Any]:
    titles = shared["titles"]
    return [f"{titles.get(t.indicator_key, t.indicator_key)} ({t.indicator_key})",
            t.organisation.display_name if t.organisation_id else _("Cả nước"),  # type: ignore[union-attr]
            t.year, f"{t.value:g}"]  # fmt: skip


def _programme_save(user: User, obj: Programme | None, data: dict[str, Any], _rows: Any) -> Model:
    return programme_save(
        user=user, programme=obj, code=data["code"], name=data["name"], owner=data["owner"],
        start_year=data["start_year"], end_year=data["end_year"],
        description=data["description"], groups=data["groups"].splitlines(),
    )  # fmt: skip


def _template_save(user: User, obj: ReportTemplate | None, data: dict[str, Any],
                   rows: list[dict[str, Any]]) -> Model:  # fmt: skip
    return report_template_save(user=user, template=obj, name=data["name"],
                                period_kind=data["period_kind"], indicators=rows)  # fmt: skip


def _period_save(
    user: User, obj: ReportingPeriod | None, data: dict[str, Any], _rows: Any
) -> Model:
    return period_save(user=user, period=obj, kind=data["kind"], year=data["year"],
                       half=data["half"], due_date=data["due_date"])  # fmt: skip


def _target_save(user: User, obj: Target | None, data: dict[str, Any], _rows: Any) -> Model:
    return target_save(user=user, target=obj, indicator_key=data["indicator_key"],
                       organisation=data["organisation"], year=data["year"],
                       value=data["value"])  # fmt: skip


SECTIONS: dict[str, Section] = {
    s.slug: s
    for s in (
        Section(
            slug="chuong-trinh",
            title=gettext_lazy("Các chương trình"),
            new_label=gettext_lazy("Thêm chương trình"),
            headers=(
                gettext_lazy("Mã"),
                gettext_lazy("Tên chương trình"),
                gettext_lazy("Cơ quan chủ trì"),
                gettext_lazy("Thời gian"),
                gettext_lazy("Nhóm nhiệm vụ, giải pháp"),
                gettext_lazy("Kế hoạch năm"),
            ),  # fmt: skip
            rows=lambda user, archived: programme_setup_list(archived=archived),
            cells=_programme_cells,
            form=lambda data, user, initial: ProgrammeForm(data, user=user, initial=initial),
            initial=lambda p: {
                "code": p.code,
                "name": p.name,
                "owner": p.owner_id,
                "start_year": p.start_year,
                "end_year": p.end_year,
                "description": p.description,
                "groups": "\n".join(g.name for g in p.groups.all()),
            },  # fmt: skip
            save=_programme_save,
            archive=lambda user, obj, archived: programme_archive(
                user=user, programme=obj, archived=archived
            ),
        ),
        Section(
            slug="mau-bao-cao",
            title=gettext_lazy("Mẫu báo cáo định kỳ"),
            new_label=gettext_lazy("Thêm mẫu báo cáo"),
            headers=(
                gettext_lazy("Tên mẫu báo cáo"),
                gettext_lazy("Kỳ báo cáo"),
                gettext_lazy("Chỉ tiêu"),
            ),  # fmt: skip
            rows=lambda user, archived: report_template_setup_list(archived=archived),
            cells=_template_cells,
            form=lambda data, user, initial: ReportTemplateForm(data, initial=initial),
            initial=lambda t: {"name": t.name, "period_kind": t.period_kind},
            save=_template_save,
            archive=lambda user, obj, archived: report_template_archive(
                user=user, template=obj, archived=archived
            ),
            with_indicators=True,
        ),
        Section(
            slug="ky-bao-cao",
            title=gettext_lazy("Các kỳ báo cáo"),
            new_label=gettext_lazy("Mở kỳ báo cáo"),
            headers=(
                gettext_lazy("Kỳ"),
                gettext_lazy("Từ ngày"),
                gettext_lazy("Đến ngày"),
                gettext_lazy("Hạn nộp"),
                gettext_lazy("Trạng thái"),
                gettext_lazy("Báo cáo"),
            ),  # fmt: skip
            rows=lambda user, archived: period_setup_list(archived=archived),
            cells=_period_cells,
            form=lambda data, user, initial: PeriodForm(data, initial=initial),
            initial=lambda p: {
                "kind": p.kind,
                "year": p.year,
                "half": p.half,
                "due_date": p.due_date,
            },  # fmt: skip
            save=_period_save,
            archive=lambda user, obj, archived: period_archive(
                user=user, period=obj, archived=archived
            ),
        ),
        Section(
            slug="muc-tieu",
            title=gettext_lazy("Các mục tiêu"),
            new_label=gettext_lazy("Thêm mục tiêu"),
            headers=(
                gettext_lazy("Chỉ tiêu"),
                gettext_lazy("Đơn vị"),
                gettext_lazy("Năm"),
                gettext_lazy("Mục tiêu"),
            ),  # fmt: skip
            rows=lambda user, archived: target_setup_list(user=user, archived=archived),
            cells=_target_cells,
            form=lambda data, user, initial: TargetForm(data, user=user, initial=initial),
            initial=lambda t: {
                "indicator_key": t.indicator_key,
                "organisation": t.organisation_id,
                "year": t.year,
                "value": t.value,
            },  # fmt: skip
            save=_target_save,
            archive=lambda user, obj, archived: target_archive(
                user=user, target=obj, archived=archived
            ),
            shared=lambda: {"titles": dict(indicator_keys())},
        ),
    )
}


def _section(slug: str) -> Section:
    section = SECTIONS.get(slug)
    if section is None:
        raise Http404
    return section


def _object(section: Section, user: User, pk: int) -> Any:
    """One row the user may read (current or archived), else 404."""
    found = (
        section.rows(user, False).filter(pk=pk).first()
        or section.rows(user, True).filter(pk=pk).first()
    )
    if found is None:
        raise Http404
    return found


@login_required
def setup_index(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("coordinate_setup", args=["chuong-trinh"]))


@login_required
def setup_list(request: HttpRequest, section: str) -> HttpResponse:
    user = user_of(request)
    current = _section(section)
    archived = request.GET.get("archived") == "1"
    shared = current.shared()
    rows = [
        {"pk": obj.pk, "cells": current.cells(obj, shared)}
        for obj in current.rows(user, archived)[:500]
    ]
    return render(
        request,
        "coordinate/setup_list.html",
        {
            "section": current,
            "sections": SECTIONS.values(),
            "rows": rows,
            "archived": archived,
            "can_manage": can_manage(user),
        },
    )


def _indicator_rows(formset: Any) -> list[dict[str, Any]]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data]


@login_required
def setup_edit(request: HttpRequest, section: str, pk: int | None = None) -> HttpResponse:
    user = user_of(request)
    current = _section(section)
    obj = _object(current, user, pk) if pk is not None else None
    if not can_manage(user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = current.form(data, user, current.initial(obj) if obj is not None else None)
    formset = None
    if current.with_indicators:
        initial = (
            [
                {
                    "key": i.key,
                    "title": i.title,
                    "kind": i.kind,
                    "unit": i.unit,
                    "definition": i.definition,
                }
                for i in obj.indicators.all()
            ]  # fmt: skip
            if obj is not None
            else None
        )
        formset = IndicatorFormSet(data, initial=initial, prefix="indicators")
    if data is not None and form.is_valid() and (formset is None or formset.is_valid()):
        rows = _indicator_rows(formset) if formset is not None else []
        try:
            saved = current.save(user, obj, form.cleaned_data, rows)
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu: %(name)s.") % {"name": saved})
            return HttpResponseRedirect(reverse("coordinate_setup", args=[current.slug]))
    return render(
        request,
        "coordinate/setup_form.html",
        {"section": current, "sections": SECTIONS.values(), "form": form, "formset": formset,
         "object": obj},
    )  # fmt: skip


@require_POST
@login_required
def setup_archive(request: HttpRequest, section: str, pk: int) -> HttpResponse:
    user = user_of(request)
    current = _section(section)
    obj = _object(current, user, pk)
    archived = request.POST.get("archived", "1") == "1"
    current.archive(user, obj, archived)  # refused (403) for anyone but central
    messages.success(
        request,
        (_("Đã lưu trữ: %(name)s.") if archived else _("Đã dùng lại: %(name)s.")) % {"name": obj},
    )
    target = reverse("coordinate_setup", args=[current.slug])
    return HttpResponseRedirect(target + ("" if archived else "?archived=1"))
