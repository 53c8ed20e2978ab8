"""Respond's "open cases" tile on the morning overview: unanswered cases in the reader's
scope, with the overdue ones noted, in Vietnamese and English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import login
from tests.factories import UserFactory
from ttdn.accounts.models import Role
from ttdn.respond.models import Case, CaseStatus
from ttdn.respond.services import case_create, claim_create

pytestmark = pytest.mark.django_db


def _case(user, organisation, *, status: str = CaseStatus.NEW, late: bool = False) -> Case:  # type: ignore[no-untyped-def]
    claim = claim_create(user=user, organisation=organisation, text=f"Claim {Case.objects.count()}")
    case = case_create(user=user, organisation=organisation, title="c", claims=[claim])
    fields = {"status": status}
    if late:
        past = timezone.now() - dt.timedelta(hours=1)
        fields |= {"assess_due_at": past, "publish_due_at": past}
    Case.objects.filter(pk=case.pk).update(**fields)
    return case


def _tile(client: Client, path: str = "/tong-quan/") -> str:
    page = client.get(path).content.decode()
    match = re.search(r'<li class="kpi" data-key="respond.open_cases">(.*?)</li>', page, re.S)
    assert match, "the open-cases tile is not on the overview"
    return match.group(1)


def test_tile_counts_unanswered_cases_in_scope_and_notes_the_late_ones(organisations) -> None:  # type: ignore[no-untyped-def]
    lam_dong, other = organisations["lam-dong"], organisations["ha-noi"]
    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=lam_dong)
    elsewhere = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=other)
    _case(officer, lam_dong)
    _case(officer, lam_dong, status=CaseStatus.IN_APPROVAL, late=True)
    _case(officer, lam_dong, status=CaseStatus.PUBLISHED)  # answered: not open
    _case(officer, lam_dong, status=CaseStatus.CLOSED)
    _case(elsewhere, other)  # another province's case: not in the officer's scope

    tile = _tile(login(Client(), officer))
    assert "Hồ sơ đang mở" in tile
    assert re.search(r">\s*2\s*</a>", tile) and "1 quá hạn" in tile

    leader = UserFactory(role=Role.LEADER, organisation=organisations["ban-chi-dao-ttdn"])
    assert re.search(r">\s*3\s*</a>", _tile(login(Client(), leader)))  # the whole country


def test_tile_in_english(organisations) -> None:  # type: ignore[no-untyped-def]
    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])
    _case(officer, organisations["lam-dong"], late=True)
    client = login(Client(), officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    tile = _tile(client)
    assert "Open cases" in tile and "1 overdue" in tile
