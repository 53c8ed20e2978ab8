"""Who may write, approve and translate portal pages: the platform's roles, mapped onto
Wagtail groups, and the accounts selector deciding which province's pages a user may act on.
"""

from __future__ import annotations

from typing import Any

from ttdn.accounts.models import Organisation, OrganisationKind, Role

# the one answer to "which organisations may this user act for", as everywhere else
from ttdn.accounts.selectors import organisations_actable

# Wagtail group per platform role; the group holds the Wagtail page permissions
GROUP_EDITORS = "Biên tập trung ương"
GROUP_PROVINCIAL = "Cán bộ địa phương"
GROUP_TRANSLATORS = "Biên dịch viên"
ROLE_GROUPS: dict[str, str] = {
    Role.ADMINISTRATOR: GROUP_EDITORS,
    Role.PORTAL_EDITOR: GROUP_EDITORS,
    Role.PROVINCIAL_OFFICER: GROUP_PROVINCIAL,
    Role.TRANSLATOR: GROUP_TRANSLATORS,
}
# page permissions each group holds on the whole portal tree (every language's home)
GROUP_PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    GROUP_EDITORS: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    GROUP_PROVINCIAL: ("add_page", "change_page"),
    GROUP_TRANSLATORS: ("change_page",),
}


def is_central_editor(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.role in {Role.ADMINISTRATOR, Role.PORTAL_EDITOR})
    )


def page_actable(user: Any, page: Any) -> bool:
    """A central editor or translator acts on any page; a provincial officer only on pages of
    a province the accounts selector lets them act for (never on central pages)."""
    if not user.is_authenticated:
        return False
    if is_central_editor(user) or user.role == Role.TRANSLATOR:
        return True
    if user.role != Role.PROVINCIAL_OFFICER:
        return False
    province_id = getattr(page, "province_id", None)
    return province_id is not None and organisations_actable(user).filter(pk=province_id).exists()


def provinces_for(user: Any) -> Any:
    """The provinces a user may pick on a page form."""
    # the 34 provinces and cities (the same kinds as portal.models.PROVINCIAL_KINDS; not
    # imported from there: the models import the page form, which imports this module)
    queryset = Organisation.objects.filter(
        kind__in=(OrganisationKind.PROVINCE, OrganisationKind.CITY)
    )
    if is_central_editor(user) or getattr(user, "role", None) == Role.TRANSLATOR:
        return queryset
    return queryset.filter(pk__in=organisations_actable(user).values("pk"))
