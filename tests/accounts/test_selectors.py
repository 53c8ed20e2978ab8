"""Each role's rule, written once (accounts/permissions.py), checked for every role: which
organisations a user may read and act for, through the one selector and `can_act_for`."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from ttdn.accounts.models import Organisation, Role
from ttdn.accounts.permissions import ROLE_RULES, can_act_for, can_read
from ttdn.accounts.selectors import organisations_actable, organisations_readable

pytestmark = pytest.mark.django_db

EVERY, OWN, NONE = "every", "own", "none"
# role → (reads, acts), for a user of Lâm Đồng (a mission officer: of a mission)
EXPECTED = {
    Role.ADMINISTRATOR: (EVERY, EVERY),
    Role.CENTRAL_ANALYST: (EVERY, EVERY),
    Role.LEADER: (EVERY, NONE),
    Role.PROVINCIAL_OFFICER: (OWN, OWN),
    Role.MISSION_OFFICER: (OWN, OWN),
    Role.PORTAL_EDITOR: (OWN, NONE),
    Role.TRANSLATOR: (OWN, NONE),
    Role.JUROR: (NONE, NONE),
    Role.VIEWER: (OWN, NONE),
}


def test_every_role_has_a_rule_and_an_expectation() -> None:
    assert set(ROLE_RULES) == set(Role) == set(EXPECTED)


def _expected(scope: str, own: Organisation) -> set[int]:
    if scope == EVERY:
        return set(Organisation.objects.values_list("pk", flat=True))
    return {own.pk} if scope == OWN else set()


@pytest.mark.parametrize("role", list(Role))
def test_readable_and_actable_organisations_per_role(role: Role, organisations) -> None:  # type: ignore[no-untyped-def]
    own = organisations["lam-dong"]
    user = UserFactory(role=role, organisation=own)
    reads, acts = EXPECTED[role]
    readable = set(organisations_readable(user).values_list("pk", flat=True))
    actable = set(organisations_actable(user).values_list("pk", flat=True))
    assert readable == _expected(reads, own)
    assert actable == _expected(acts, own)
    # the checks services use say the same as the selector, for every organisation
    for organisation in Organisation.objects.all():
        assert can_act_for(user, organisation) == (organisation.pk in actable)
        assert can_read(user, organisation) == (organisation.pk in readable)


def test_a_user_without_organisation_acts_for_none(organisations) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(role=Role.VIEWER, organisation=None)
    assert not organisations_readable(user).exists()
    assert not organisations_actable(user).exists()


def test_a_superuser_is_an_administrator(organisations) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(role=Role.VIEWER, organisation=None, is_superuser=True)
    assert organisations_actable(user).count() == Organisation.objects.count()
