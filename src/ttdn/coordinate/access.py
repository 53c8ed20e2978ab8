"""Who may do what in Coordinate, in one place, on top of the accounts selectors.

"Which organisations may this user read / act for" is answered only by
`ttdn.accounts.selectors` (the core's contract); the rules here add what is Coordinate's
own: central roles review and assign, leaders read everything and act on nothing, jurors
score the award.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ttdn.accounts.models import Organisation, Role, User
from ttdn.accounts.permissions import is_administrator, is_central
from ttdn.accounts.selectors import organisations_actable, organisations_readable

LEADER = Role.LEADER
JUROR = Role.JUROR

__all__ = [
    "can_act_for",
    "can_read",
    "can_review",
    "ensure_can_act_for",
    "is_juror",
    "is_leader",
    "organisations_actable",
    "organisations_readable",
    "sees_everything",
]


def is_leader(user: User) -> bool:
    return bool(user.is_authenticated and user.role == LEADER)


def is_juror(user: User) -> bool:
    return bool(user.is_authenticated and (user.role == JUROR or is_administrator(user)))


def sees_everything(user: User) -> bool:
    """Central roles and leaders: the national roll-up and the overdue board."""
    return bool(user.is_authenticated and (is_central(user) or is_leader(user)))


def can_read(user: User, organisation: Organisation | None) -> bool:
    return (
        organisation is not None
        and organisations_readable(user).filter(pk=organisation.pk).exists()
    )


def can_act_for(user: User, organisation: Organisation | None) -> bool:
    return (
        organisation is not None and organisations_actable(user).filter(pk=organisation.pk).exists()
    )


def ensure_can_act_for(user: User, organisation: Organisation | None) -> None:
    if not can_act_for(user, organisation):
        raise PermissionDenied("You may not act for this organisation.")


def can_review(user: User) -> bool:
    """Reviewing periodic reports (approve / return) is central's job."""
    return is_central(user)
