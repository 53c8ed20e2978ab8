"""Thin views: parse the request, call a selector or service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ttdn.accounts.models import Organisation, OrganisationKind, User
from ttdn.accounts.permissions import can_act_for, is_administrator, is_central
from ttdn.audit.selectors import audit_event_list
from ttdn.coordinate.models import Task
from ttdn.coordinate.selectors import task_get, task_list
from ttdn.coordinate.services import task_create, task_update
from ttdn.web.forms import AuditFilterForm, OrganisationForm, TaskForm
from ttdn.web.navigation import MODULES, module_get


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


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"modules": MODULES})


@login_required
def module_page(request: HttpRequest, key: str) -> HttpResponse:
    context: dict[str, object] = {"module": module_get(key)}
    if key == "coordinate":
        context["tasks"] = task_list(user=_user(request))[:50]
    return render(request, "web/module.html", context)


def _writable_organisations(user: User):  # type: ignore[no-untyped-def]
    queryset = Organisation.objects.all()
    if is_central(user):
        return queryset
    return queryset.filter(pk=user.organisation_id)


@login_required
def task_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TaskForm(request.POST or None, organisations=_writable_organisations(user))
    if request.method == "POST" and form.is_valid():
        try:
            task = task_create(
                user=user,
                organisation=form.cleaned_data["organisation"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã tạo nhiệm vụ."))
            return HttpResponseRedirect(reverse("task_detail", args=[task.pk]))
    return render(request, "web/task_form.html", {"form": form, "task": None})


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    user = _user(request)
    task = task_get(user=user, task_id=task_id)
    return render(
        request,
        "web/task_detail.html",
        {"task": task, "can_edit": can_act_for(user, task.organisation)},
    )


@login_required
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    user = _user(request)
    task: Task = task_get(user=user, task_id=task_id)
    if not can_act_for(user, task.organisation):
        raise PermissionDenied
    initial = {
        "title": task.title,
        "description": task.description,
        "due_date": task.due_date,
        "status": task.status,
        "organisation": task.organisation,
    }
    form = TaskForm(
        request.POST or None, initial=initial, organisations=_writable_organisations(user)
    )
    if request.method == "POST" and form.is_valid():
        task_update(
            user=user,
            task=task,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            due_date=form.cleaned_data["due_date"],
            status=form.cleaned_data["status"] or None,
        )
        messages.success(request, _("Đã lưu nhiệm vụ."))
        return HttpResponseRedirect(reverse("task_detail", args=[task.pk]))
    return render(request, "web/task_form.html", {"form": form, "task": task})


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.prefetch_related("aliases")
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
