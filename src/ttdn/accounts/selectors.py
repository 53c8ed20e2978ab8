"""Reads for accounts: the ONE answer to "which organisations may this user read / act
for", from the role rules of `permissions.py`. Every form, view and API endpoint that
offers or checks an organisation uses these (no hand-written copies)."""

from __future__ import annotations

from django.db.models import QuerySet

from ttdn.accounts.models import Organisation, User
from ttdn.accounts.permissions import Scope, role_rule


def _organisations(user: User, scope: Scope) -> QuerySet[Organisation]:
    organisations = Organisation.objects.order_by("kind", "name")
    if scope == "all":
        return organisations
    if scope == "own" and user.organisation_id is not None:
        return organisations.filter(pk=user.organisation_id)
    return organisations.none()


def organisations_readable(user: User) -> QuerySet[Organisation]:
    """The organisations whose data the user may see."""
    return _organisations(user, role_rule(user).reads)


def organisations_actable(user: User) -> QuerySet[Organisation]:
    """The organisations the user may act for (create and change their data)."""
    return _organisations(user, role_rule(user).acts)
