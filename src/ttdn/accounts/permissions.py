"""Who may see and change what: each role's rule, written once (`ROLE_RULES`).

A rule says which organisations a role may READ (their data: tasks, alerts, reports) and
which it may ACT FOR (create and change that data): every organisation ("all"), the user's
own ("own") or none. `ttdn.accounts.selectors.organisations_readable/actable` turn a rule
into the queryset every form, view and API endpoint uses; services check the same rule
with `can_act_for`, so a rule holds the same way by URL, by API and from the command line.
A module with a narrower rule of its own (approving a submission, scoring an entry, editing
the portal) checks the role there, on top of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from ttdn.accounts.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ttdn.accounts.models import Organisation, User

Scope = Literal["all", "own", "none"]


@dataclass(frozen=True)
class RoleRule:
    reads: Scope
    acts: Scope


ROLE_RULES: dict[str, RoleRule] = {
    # the platform's operators and the central analysts work for every organisation
    Role.ADMINISTRATOR: RoleRule(reads="all", acts="all"),
    Role.CENTRAL_ANALYST: RoleRule(reads="all", acts="all"),
    # a steering-committee leader follows every organisation and directs; the data is
    # entered by the organisations themselves (Coordinate adds what leaders decide there)
    Role.LEADER: RoleRule(reads="all", acts="none"),
    # a province's or a mission's officer: their own organisation only
    Role.PROVINCIAL_OFFICER: RoleRule(reads="own", acts="own"),
    Role.MISSION_OFFICER: RoleRule(reads="own", acts="own"),
    # portal and contest roles act in their own modules, never for an organisation's data
    Role.PORTAL_EDITOR: RoleRule(reads="own", acts="none"),
    Role.TRANSLATOR: RoleRule(reads="own", acts="none"),
    Role.JUROR: RoleRule(reads="none", acts="none"),
    Role.VIEWER: RoleRule(reads="own", acts="none"),
}
NOBODY = RoleRule(reads="none", acts="none")

CENTRAL_ROLES = {Role.ADMINISTRATOR, Role.CENTRAL_ANALYST}
#: Roles that may act for some organisation (derived from the rules, not a second list).
WRITER_ROLES = {role for role, rule in ROLE_RULES.items() if rule.acts != "none"}


def role_rule(user: User | AnonymousUser) -> RoleRule:
    if not user.is_authenticated:
        return NOBODY
    if user.is_superuser:
        return ROLE_RULES[Role.ADMINISTRATOR]
    return ROLE_RULES.get(user.role, NOBODY)


def is_central(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in CENTRAL_ROLES))


def is_administrator(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMINISTRATOR))


def _in_scope(scope: Scope, user: User, organisation_id: int | None) -> bool:
    if scope == "all":
        return True
    own = organisation_id is not None and user.organisation_id == organisation_id
    return scope == "own" and own


def can_read(user: User, organisation: Organisation | None) -> bool:
    if organisation is None:
        return False
    return _in_scope(role_rule(user).reads, user, organisation.pk)


def can_act_for(user: User, organisation: Organisation | None) -> bool:
    if organisation is None:
        return False
    return _in_scope(role_rule(user).acts, user, organisation.pk)


def ensure_can_act_for(user: User, organisation: Organisation | None) -> None:
    if not can_act_for(user, organisation):
        raise PermissionDenied("You may not act for this organisation.")


def scope_to_organisation(user: User, queryset: QuerySet, field: str = "organisation") -> QuerySet:
    """Restrict `queryset` to the rows of organisations the user may read."""
    scope = role_rule(user).reads
    if scope == "all":
        return queryset
    if scope == "none" or user.organisation_id is None:
        return queryset.none()
    return queryset.filter(**{f"{field}_id": user.organisation_id})
