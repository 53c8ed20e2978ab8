from __future__ import annotations

import pytest

from tests.factories import UserFactory
from ttdn.accounts.models import Role
from ttdn.coordinate.models import Programme, ProgrammeGroup


@pytest.fixture
def programme(organisations):  # type: ignore[no-untyped-def]
    programme = Programme.objects.create(
        code="ctr-2030", name="Chương trình hành động đến 2030",
        owner=organisations["ban-chi-dao-ttdn"], start_year=2024, end_year=2030,
    )  # fmt: skip
    for n in range(1, 6):
        ProgrammeGroup.objects.create(programme=programme, number=n, name=f"Nhóm {n}")
    return programme


@pytest.fixture
def central(organisations):  # type: ignore[no-untyped-def]
    return organisations["ban-chi-dao-ttdn"]


@pytest.fixture
def officer_gia_lai(organisations):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["gia-lai"])


@pytest.fixture
def leader(organisations):  # type: ignore[no-untyped-def]
    return UserFactory(role="leader", organisation=organisations["ban-chi-dao-ttdn"])
