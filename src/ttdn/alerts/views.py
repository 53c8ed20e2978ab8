"""Thin views: parse the request, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ttdn.accounts.models import User
from ttdn.accounts.permissions import can_act_for
from ttdn.accounts.selectors import organisations_actable
from ttdn.alerts import selectors, services
from ttdn.alerts.charts import format_duration, latency_svg
from ttdn.alerts.forms import AlertRuleForm
from ttdn.alerts.models import AlertRule, Channel

LATENCY_PERIODS = (7, 30, 90)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _apply_errors(form: AlertRuleForm, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    unread_only = request.GET.get("chua-doc") == "1"
    alerts = selectors.alert_list(user=user, unread_only=unread_only)
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_count": selectors.alert_unread_count(user=user),
        },
    )


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    count = services.alerts_mark_all_read(user=user, alerts=selectors.alert_list(user=user))
    messages.success(request, _("Đã đánh dấu %(n)s cảnh báo là đã xem.") % {"n": count})
    return HttpResponseRedirect(reverse("alerts:inbox"))


@login_required
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = _user(request)
    alert = selectors.alert_get(user=user, alert_id=alert_id)
    services.alert_mark_read(user=user, alert=alert)
    return render(
        request,
        "alerts/alert_detail.html",
        {
            "alert": alert,
            "deliveries": selectors.alert_deliveries(alert=alert),
            "latency": format_duration(alert.latency_s),
        },
    )


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "alerts/rule_list.html",
        {
            "rules": selectors.alert_rule_list(user=user),
            "can_create": organisations_actable(user).exists(),
        },
    )


@login_required
def rule_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organisations = organisations_actable(user)
    if not organisations.exists():
        raise PermissionDenied
    form = AlertRuleForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.alert_rule_create(
                user=user, organisation=form.cleaned_data["organisation"], **form.rule_fields()
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            created = _("Đã tạo quy tắc cảnh báo “%(name)s”.") % {"name": rule.name}
            messages.success(request, created)
            return HttpResponseRedirect(reverse("alerts:rule_list"))
    return render(request, "alerts/rule_form.html", {"form": form, "rule": None})


def _editable_rule(request: HttpRequest, rule_id: int) -> tuple[User, AlertRule]:
    user = _user(request)
    rule = selectors.alert_rule_get(user=user, rule_id=rule_id)  # 404 outside the scope
    if not can_act_for(user, rule.organisation):
        raise PermissionDenied
    return user, rule


@login_required
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    user, rule = _editable_rule(request, rule_id)
    form = AlertRuleForm(request.POST or None, organisations=organisations_actable(user), rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_rule_update(
                user=user,
                rule=rule,
                organisation=form.cleaned_data["organisation"],
                regenerate_secret=bool(form.cleaned_data.get("regenerate_secret")),
                **form.rule_fields(),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu quy tắc cảnh báo."))
            return HttpResponseRedirect(reverse("alerts:rule_edit", args=[rule.pk]))
    recent = selectors.alert_list(user=user).filter(rule=rule)[:20]
    return render(
        request, "alerts/rule_form.html", {"form": form, "rule": rule, "recent_alerts": recent}
    )


@login_required
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    user, rule = _editable_rule(request, rule_id)
    if request.method == "POST":
        name = rule.name
        services.alert_rule_delete(user=user, rule=rule)
        messages.success(request, _("Đã xóa quy tắc “%(name)s”.") % {"name": name})
        return HttpResponseRedirect(reverse("alerts:rule_list"))
    return render(request, "alerts/rule_delete.html", {"rule": rule})


@login_required
def latency(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        days = int(request.GET.get("ngay", "30"))
    except ValueError:
        days = 30
    if days not in LATENCY_PERIODS:
        days = 30
    channel = request.GET.get("kenh") or None
    if channel not in Channel.values:
        channel = None
    series = selectors.alert_latency_series(user=user, days=days, channel=channel)
    title = _("Độ trễ cảnh báo %(days)s ngày qua") % {"days": days}
    return render(
        request,
        "alerts/latency.html",
        {
            "series": series,
            "rows": [
                {**row, "p50": format_duration(row["p50_s"]), "p95": format_duration(row["p95_s"])}
                for row in series["rows"]
            ],
            "p50": format_duration(series["p50_s"]),
            "p95": format_duration(series["p95_s"]),
            "chart": latency_svg(series["rows"], title=title),
            "title": title,
            "days": days,
            "periods": LATENCY_PERIODS,
            "channel": channel or "",
            "channels": Channel.choices,
        },
    )
