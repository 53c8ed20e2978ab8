"""Thin views: parse the request, call a selector or service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from ttdn.accounts.models import Organisation, OrganisationKind, User
from ttdn.accounts.permissions import can_act_for, is_administrator
from ttdn.audit.selectors import audit_event_list
from ttdn.web.forms import AuditFilterForm, OrganisationForm
from ttdn.web.labels import sorted_by_name
from ttdn.web.navigation import module_get


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def robots_txt(request: HttpRequest) -> HttpResponse:
    """The staff interface is not for crawlers; the public portal (one prefix per
    language), its sitemap, the demo feeds and open data are."""
    lines = ["User-agent: *", "Allow: /demo/", "Allow: /api/open/"]
    lines += [f"Allow: /{code}/" for code in settings.PORTAL_LANGUAGES]
    lines += ["Allow: /media/", "Allow: /static/", "Allow: /sitemap.xml", "Disallow: /", ""]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to our static icon."""
    return HttpResponsePermanentRedirect(static("ttdn/favicon.svg"))


@login_required
def module_page(request: HttpRequest, key: str) -> HttpResponse:
    return render(request, "web/module.html", {"module": module_get(key)})


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = sorted_by_name(list(Organisation.objects.prefetch_related("aliases")))
    provincial = [
        o for o in organisations if o.kind in (OrganisationKind.PROVINCE, OrganisationKind.CITY)
    ]
    others = [o for o in organisations if o not in provincial]
    return render(
        request,
        "web/organisation_list.html",
        {
            "provincial": provincial,
            "others": others,
            "province_count": sum(o.kind == OrganisationKind.PROVINCE for o in provincial),
            "city_count": sum(o.kind == OrganisationKind.CITY for o in provincial),
            "alias_count": sum(len(o.aliases.all()) for o in provincial),
        },
    )


@login_required
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organisation = get_object_or_404(Organisation, slug=slug)
    can_edit = can_act_for(user, organisation)
    form = None
    if can_edit:
        form = OrganisationForm(request.POST or None, instance=organisation)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, _("Đã lưu thông tin tổ chức."))
            return HttpResponseRedirect(reverse("organisation_detail", args=[slug]))
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "web/organisation_detail.html",
        {"organisation": organisation, "form": form, "can_edit": can_edit},
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not is_administrator(_user(request)):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(**{k: v for k, v in filters.items() if v})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "web/audit_log.html", {"form": form, "page": page})
