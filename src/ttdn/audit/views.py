"""The audit log page (/nhat-ky/), for administrators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ttdn.accounts.permissions import is_administrator
from ttdn.audit.forms import AuditFilterForm
from ttdn.audit.selectors import audit_event_list


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not is_administrator(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(**{k: v for k, v in filters.items() if v})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_log.html", {"form": form, "page": page})
