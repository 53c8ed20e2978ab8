"""Periodic-report pages: open and fill an organisation's report, submit, review, the
national roll-up with charts, exports (PDF, XLSX) and the 3/5/10-year evaluation."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ttdn.coordinate.access import (
    can_act_for,
    can_review,
    organisations_actable,
    organisations_readable,
    sees_everything,
)
from ttdn.coordinate.exports import (
    evaluation_pdf,
    rollup_pdf,
    rollup_xlsx,
    status_label,
    submission_pdf,
    submission_xlsx,
)
from ttdn.coordinate.models import (
    PeriodKind,
    ReportIndicator,
    ReportingPeriod,
    ReportTemplate,
    SubmissionStatus,
)
from ttdn.coordinate.selectors.submissions import (
    evaluation_get,
    rollup_get,
    submission_get,
    submission_list,
    submission_rows,
)
from ttdn.coordinate.services.submissions import (
    period_close,
    period_get_or_create,
    submission_open,
    submission_review,
    submission_save,
    submission_submit,
)
from ttdn.coordinate.views.tasks import user_of

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _file(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)[:80]}.{fmt}"'
    return response


def _flash(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, ValidationError):
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.error(request, str(exc) or _("Bạn không có quyền làm việc này."))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    today = timezone.localdate()
    return render(
        request,
        "coordinate/reports.html",
        {
            "submissions": submission_list(user=user)[:100],
            "templates": ReportTemplate.objects.filter(active=True),
            "periods": ReportingPeriod.objects.filter(archived=False)[:12],
            "organisations": organisations_actable(user),
            "sees_everything": sees_everything(user),
            "years": list(range(today.year, today.year - 11, -1)),
        },
    )


@require_POST
@login_required
def open_report(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    template = ReportTemplate.objects.filter(pk=_int(request.POST.get("template"))).first()
    organisation = organisations_actable(user).filter(pk=_int(request.POST.get("organisation")))
    year, half = _int(request.POST.get("year")), _int(request.POST.get("half"))
    if template is None or not organisation.exists() or year is None:
        messages.error(request, _("Cần chọn mẫu báo cáo, đơn vị và năm."))
        return HttpResponseRedirect(reverse("coordinate_reports"))
    try:
        period = period_get_or_create(kind=template.period_kind, year=year, half=half)
        submission = submission_open(
            user=user, template=template, period=period, organisation=organisation.get()
        )
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
        return HttpResponseRedirect(reverse("coordinate_reports"))
    return HttpResponseRedirect(reverse("coordinate_report", args=[submission.pk]))


@login_required
def report_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    user = user_of(request)
    submission = submission_get(user=user, submission_id=submission_id)
    editable = (
        can_act_for(user, submission.organisation)
        and submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
        and not submission.period.closed
    )
    return render(
        request,
        "coordinate/report_detail.html",
        {
            "submission": submission,
            "rows": submission_rows(submission),
            "editable": editable,
            "can_review": can_review(user) and submission.status == SubmissionStatus.SUBMITTED,
            "events": submission.events.select_related("actor"),
            "status_label": status_label(submission.status),
        },
    )


@require_POST
@login_required
def report_action(request: HttpRequest, submission_id: int, action: str) -> HttpResponse:
    user = user_of(request)
    submission = submission_get(user=user, submission_id=submission_id)
    post = request.POST
    try:
        if action in ("save", "submit") and submission.status in (
            SubmissionStatus.DRAFT,
            SubmissionStatus.RETURNED,
        ):
            keys = [r["key"] for r in submission_rows(submission)]
            submission_save(
                user=user,
                submission=submission,
                values={k: post.get(f"value-{k}", "") for k in keys if f"value-{k}" in post},
                reasons={k: post.get(f"reason-{k}", "") for k in keys},
                notes=post.get("notes"),
            )
        if action == "submit":
            submission_submit(user=user, submission=submission)
            messages.success(request, _("Đã nộp báo cáo."))
        elif action in ("approve", "return"):
            submission_review(
                user=user,
                submission=submission,
                approve=action == "approve",
                comment=post.get("comment", ""),
            )
            messages.success(request, _("Đã ghi kết quả thẩm định."))
        elif action == "save":
            messages.success(request, _("Đã lưu báo cáo."))
        elif action != "save":
            raise Http404("No such action")
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    return HttpResponseRedirect(reverse("coordinate_report", args=[submission.pk]))


@login_required
def report_download(request: HttpRequest, submission_id: int, fmt: str) -> HttpResponse:
    submission = submission_get(user=user_of(request), submission_id=submission_id)
    if fmt == "pdf":
        return _file(submission_pdf(submission), fmt, str(submission))
    if fmt == "xlsx":
        return _file(submission_xlsx(submission), fmt, str(submission))
    raise Http404("No such format")


def _rollup_from(request: HttpRequest):  # type: ignore[no-untyped-def]
    if not sees_everything(user_of(request)):
        raise PermissionDenied
    template = ReportTemplate.objects.filter(pk=_int(request.GET.get("template"))).first()
    template = template or ReportTemplate.objects.filter(active=True).first()
    period = ReportingPeriod.objects.filter(pk=_int(request.GET.get("period"))).first()
    if period is None and template is not None:
        period = ReportingPeriod.objects.filter(kind=template.period_kind).first()
    if template is None or period is None:
        return None
    return rollup_get(period=period, template=template)


@login_required
def rollup(request: HttpRequest) -> HttpResponse:
    data = _rollup_from(request)
    chart: dict[str, object] = {}
    if data is not None:
        chart["status"] = [
            {"name": status_label(k), "value": v} for k, v in sorted(data.status_counts.items())
        ]
        first = next(iter(data.indicators), None)
        key = request.GET.get("indicator") or (first.key if first else "")
        ranked = sorted(
            (
                (r.organisation.display_name, r.values.get(key))
                for r in data.rows
                if r.values.get(key)
            ),
            key=lambda kv: -float(kv[1] or 0),
        )
        chart["indicator"] = {"key": key, "names": [n for n, _v in ranked],
                              "values": [v for _n, v in ranked]}  # fmt: skip
    return render(
        request,
        "coordinate/rollup.html",
        {
            "rollup": data,
            "chart_json": json.dumps(chart, ensure_ascii=False),
            "templates": ReportTemplate.objects.all(),
            "periods": ReportingPeriod.objects.all()[:40],
            "query": request.GET.urlencode(),
            "can_review": can_review(user_of(request)),
        },
    )


@login_required
def rollup_download(request: HttpRequest, fmt: str) -> HttpResponse:
    data = _rollup_from(request)
    if data is None or fmt not in CONTENT_TYPES:
        raise Http404("Nothing to export")
    name = f"tong-hop-{data.template.name}-{data.period}"
    return _file(rollup_pdf(data) if fmt == "pdf" else rollup_xlsx(data), fmt, name)


@login_required
def evaluation(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    span = _int(request.GET.get("span")) or 5
    if span not in (3, 5, 10):
        span = 5
    last_year = _int(request.GET.get("last_year")) or timezone.localdate().year
    organisation = None
    organisation_id = _int(request.GET.get("organisation"))
    if organisation_id:
        organisation = organisations_readable(user).filter(pk=organisation_id).first()
        if organisation is None:
            raise Http404("No such organisation")
    elif not sees_everything(user):
        organisation = user.organisation  # the programme's figures are central's to read
    titles = dict(ReportIndicator.objects.order_by("-order").values_list("key", "title"))
    keys = sorted(titles.items(), key=lambda kv: kv[1])  # (key, title), by title
    key = request.GET.get("key") or (keys[0][0] if keys else "")
    data = evaluation_get(
        indicator_key=key, last_year=last_year, span=span, organisation=organisation
    )
    if request.GET.get("format") == "pdf":
        title = _("Đánh giá %(n)s năm (%(a)s–%(b)s)") % {
            "n": span, "a": data.years[0], "b": data.years[-1],
        }  # fmt: skip
        return _file(evaluation_pdf([data], title=title), "pdf", f"danh-gia-{span}-{key}")
    chart = {
        "years": data.years,
        "actual": data.actual,
        "target": data.target,
        "labels": {"actual": _("Thực hiện"), "target": _("Mục tiêu")},
    }
    return render(
        request,
        "coordinate/evaluation.html",
        {
            "evaluation": data,
            "keys": keys,
            "key": key,
            "span": span,
            "last_year": last_year,
            "chart_json": json.dumps(chart),
            "query": request.GET.urlencode(),
            "kinds": PeriodKind.choices,
        },
    )


@require_POST
@login_required
def period_toggle(request: HttpRequest, period_id: int) -> HttpResponse:
    """Close a period (no more submissions) or open it again: central only."""
    period = ReportingPeriod.objects.filter(pk=period_id).first()
    if period is None:
        raise Http404("No such period")
    period_close(user=user_of(request), period=period, closed=not period.closed)  # or 403
    messages.success(
        request, _("Đã khóa kỳ báo cáo.") if period.closed else _("Đã mở lại kỳ báo cáo.")
    )
    return HttpResponseRedirect(reverse("coordinate_rollup") + f"?period={period.pk}")
