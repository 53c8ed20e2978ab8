"""Who may see and change what. Services and views both call these; menus only mirror them.

Rule of thumb: central roles (administrator, central analyst) act on every organisation;
everyone else acts only on their own organisation's data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from ttdn.accounts.models import Role

if TYPE_CHECKING:
    from ttdn.accounts.models import Organisation, User

CENTRAL_ROLES = {Role.ADMINISTRATOR, Role.CENTRAL_ANALYST}
WRITER_ROLES = {Role.ADMINISTRATOR, Role.CENTRAL_ANALYST, Role.PROVINCIAL_OFFICER}


def is_central(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in CENTRAL_ROLES))


def is_administrator(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMINISTRATOR))


def scope_to_organisation(user: User, queryset: QuerySet, field: str = "organisation") -> QuerySet:
    """Restrict `queryset` to rows of the user's organisation unless the user is central."""
    if is_central(user):
        return queryset
    if user.organisation_id is None:
        return queryset.none()
    return queryset.filter(**{f"{field}_id": user.organisation_id})


def can_act_for(user: User, organisation: Organisation | None) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    if is_central(user):
        return True
    return user.role in WRITER_ROLES and user.organisation_id == organisation.pk


def ensure_can_act_for(user: User, organisation: Organisation | None) -> None:
    if not can_act_for(user, organisation):
        raise PermissionDenied("You may not act for this organisation.")
