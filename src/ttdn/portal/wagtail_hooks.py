"""Wagtail admin integration: the way back to the platform, the status board, and the
province rule applied to every create, edit and delete (not only to what menus show)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ttdn.portal.permissions import page_actable


@hooks.register("insert_global_admin_js")
def widget_initialiser() -> str:
    # starts the widgets whose inline scripts ttdn.portal.admin_csp turned into data
    return format_html('<script src="{}"></script>', static("portal/admin-init.js"))


@hooks.register("register_admin_menu_item")
def platform_menu_item() -> MenuItem:
    return MenuItem(_("Về Nền tảng TTĐN"), "/nen-tang/", icon_name="home", order=10)


@hooks.register("register_admin_menu_item")
def board_menu_item() -> MenuItem:
    return MenuItem(
        _("Bản dịch và lượt dẫn lại"), reverse("portal_board"), icon_name="table", order=20
    )


def _guard(request: Any, page: Any) -> None:
    user = request.user
    if getattr(user, "role", "") == "provincial_officer" and not page_actable(user, page.specific):
        raise PermissionDenied


@hooks.register("before_edit_page")
def guard_edit(request: Any, page: Any) -> None:
    _guard(request, page)


@hooks.register("before_delete_page")
def guard_delete(request: Any, page: Any) -> None:
    _guard(request, page)


@hooks.register("before_create_page")
def guard_create(request: Any, parent_page: Any, page_class: Any) -> None:
    # the province is checked by PortalPageForm on submit; here only the page types an
    # officer may start (not homes or sections)
    from ttdn.portal.models import HomePage, TopicIndexPage

    user = request.user
    if getattr(user, "role", "") == "provincial_officer" and issubclass(
        page_class, HomePage | TopicIndexPage
    ):
        raise PermissionDenied
