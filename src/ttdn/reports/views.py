"""Report pages: request a report, watch its progress, download it, manage schedules.

Thin: forms shape the input, services check roles and periods, selectors scope the archive.
Another organisation's report is a 404 everywhere (page, status, download), like every
organisation-owned object in the platform.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ttdn.accounts.models import User
from ttdn.reports.forms import ReportRequestForm, ScheduleForm
from ttdn.reports.models import PeriodicReport, ReportStatus
from ttdn.reports.selectors import (
    periodic_report_get,
    periodic_report_list,
    report_schedule_get,
    report_schedule_list,
)
from ttdn.reports.services import (
    report_delete,
    report_file_path,
    report_is_stuck,
    report_request,
    report_retry,
    report_schedule_create,
    report_schedule_delete,
)
from ttdn.web.navigation import module_get

ARCHIVE_SIZE = 100
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return user


def _add_errors(form: ReportRequestForm | ScheduleForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def status_json(report: PeriodicReport) -> dict[str, object]:
    done = report.status == ReportStatus.DONE
    return {
        "id": report.pk,
        "title": report.title,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "progress": report.progress,
        "error": report.error,
        "pages": report.pages,
        "pdf_url": reverse("reports:download", args=[report.pk, "pdf"]) if done else None,
        "xlsx_url": reverse("reports:download", args=[report.pk, "xlsx"]) if done else None,
    }


def _with_stuck(reports: Iterable[PeriodicReport]) -> list[PeriodicReport]:
    """Mark the reports whose job died or may have been lost: the page offers retry/delete."""
    rows = list(reports)
    for report in rows:
        report.stuck = report_is_stuck(report)  # type: ignore[attr-defined]
    return rows


@login_required
def archive(request: HttpRequest) -> HttpResponse:
    """The archive of the user's organisation (central roles: all) and the request form."""
    user = _user(request)
    form = ReportRequestForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = report_request(
                    user=user,
                    kind=data["kind"],
                    organisation=data["organisation"],
                    year=data.get("year"),
                    half=data.get("half"),
                    date_from=data.get("date_from"),
                    date_to=data.get("date_to"),
                    language=get_language(),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                if request.headers.get("Accept", "").startswith("application/json"):
                    return JsonResponse(status_json(report), status=202)
                messages.success(request, _("Đã nhận yêu cầu; báo cáo đang được tạo."))
                return redirect(reverse("reports:archive") + f"?moi={report.pk}#report-{report.pk}")
        status = 400
    context = {
        "module": module_get("measure"),
        "form": form,
        "schedule_form": ScheduleForm(user=user),
        "can_request": bool(form.fields["organisation"].choices),
        "reports": _with_stuck(periodic_report_list(user=user)[:ARCHIVE_SIZE]),
        "schedules": report_schedule_list(user=user),
        "new_id": request.GET.get("moi", ""),
    }
    return render(request, "reports/archive.html", context, status=status)


@login_required
def report_status(request: HttpRequest, report_id: int) -> JsonResponse:
    """What the page polls: queued / running x % / done (with links) / failed (with why)."""
    report = periodic_report_get(user=_user(request), report_id=report_id)
    response = JsonResponse(status_json(report), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def download(request: HttpRequest, report_id: int, fmt: str) -> FileResponse:
    report = periodic_report_get(user=_user(request), report_id=report_id)
    path = report_file_path(report, fmt)
    if path is None:
        raise Http404("No such file")
    name = f"bao-cao-{report.pk}-{report.kind}-{report.period_start}-{report.period_end}.{fmt}"
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt]
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def report_action(request: HttpRequest, report_id: int, action: str) -> HttpResponse:
    """Retry a failed report, or delete one (404 for another organisation's)."""
    user = _user(request)
    report = periodic_report_get(user=user, report_id=report_id)
    try:
        if action == "thu-lai":
            report_retry(user=user, report=report)
            messages.success(request, _("Đã xếp báo cáo vào hàng đợi để tạo lại."))
        elif action == "xoa":
            report_delete(user=user, report=report)
            messages.success(request, _("Đã xóa báo cáo."))
        else:
            raise Http404("No such action")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:
        raise Http404 from exc
    return redirect(reverse("reports:archive") + f"#report-{report_id}")


@login_required
@require_POST
def schedule_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ScheduleForm(request.POST, user=user)
    if form.is_valid():
        try:
            report_schedule_create(
                user=user,
                kind=form.cleaned_data["kind"],
                organisation=form.cleaned_data["organisation"],
                next_run_at=form.cleaned_data.get("next_run_at"),
                language=get_language(),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("Đã lập lịch báo cáo tự động."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(reverse("reports:archive") + "#schedules")


@login_required
@require_POST
def schedule_delete(request: HttpRequest, schedule_id: int) -> HttpResponse:
    user = _user(request)
    schedule = report_schedule_get(user=user, schedule_id=schedule_id)
    try:
        report_schedule_delete(user=user, schedule=schedule)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("Đã xóa lịch báo cáo."))
    return redirect(reverse("reports:archive") + "#schedules")
