"""The organisations' pages (/to-chuc/): the list, and one organisation's card, which those
who may act for it edit (the rule: `accounts.permissions`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ttdn.accounts.forms import OrganisationForm
from ttdn.accounts.models import Organisation, OrganisationKind, User
from ttdn.accounts.permissions import can_act_for
from ttdn.collation import vi_sort_key


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = sorted(
        Organisation.objects.prefetch_related("aliases"), key=lambda o: vi_sort_key(o.display_name)
    )
    provincial = [
        o for o in organisations if o.kind in (OrganisationKind.PROVINCE, OrganisationKind.CITY)
    ]
    others = [o for o in organisations if o not in provincial]
    return render(
        request,
        "accounts/organisation_list.html",
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
        "accounts/organisation_detail.html",
        {"organisation": organisation, "form": form, "can_edit": can_edit},
    )
