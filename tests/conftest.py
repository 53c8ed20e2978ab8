from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from ttdn.accounts.models import Organisation, Role
from ttdn.accounts.services import organisations_load


@pytest.fixture
def organisations(db: None) -> dict[str, Organisation]:
    organisations_load()
    return {o.slug: o for o in Organisation.objects.all()}


@pytest.fixture
def officer_lam_dong(organisations: dict[str, Organisation]):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])


@pytest.fixture
def analyst(organisations: dict[str, Organisation]):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.CENTRAL_ANALYST, organisation=organisations["ban-chi-dao-ttdn"])


@pytest.fixture
def administrator(organisations: dict[str, Organisation]):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


def login(client: Client, user) -> Client:  # type: ignore[no-untyped-def]
    response = client.post("/dang-nhap/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client
