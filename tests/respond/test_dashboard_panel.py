"""Respond's panel on Measure's dashboard (issue 11: the follow-up figures "on the
dashboards"): the same figures as the follow-up page, for the cases the reader may read
(`organisations_readable`: a province its own, central all) opened in the dashboard's period,
in Vietnamese and English; left out for a reader who may read no organisation."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import login
from tests.factories import ReportFactory, UserFactory
from tests.respond.test_followup_pickups import _published
from ttdn.accounts.models import Role
from ttdn.respond import services
from ttdn.respond.models import Case

pytestmark = pytest.mark.django_db

OTHER = "Tin đồn ở Hà Nội"


def _panel_data(page: str) -> dict:  # type: ignore[type-arg]
    raw = re.search(
        r'<script id="respond-followup-data" type="application/json"[^>]*>(.*?)</script>', page
    )
    assert raw is not None, "no follow-up data on the dashboard"
    return json.loads(raw.group(1))


def _cases(organisations) -> tuple[Case, Case]:  # type: ignore[no-untyped-def]
    """A published case of Lâm Đồng (picked up once) and an open case of another province."""
    mine = _published(organisations)
    ReportFactory(text=f"See https://ttdn.example/phan-hoi/cong-khai/{mine.slug}/ for more.")
    other_org = organisations["ha-noi"]
    author = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=other_org)
    claim = services.claim_create(
        user=author, organisation=other_org, text="A bridge in Hanoi collapsed on Monday."
    )
    other = services.case_create(
        user=author, organisation=other_org, title=OTHER, claims=[claim], severity="low"
    )
    return mine, other


def _dashboard(client: Client, **params: str) -> str:
    response = client.get("/do-luong/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_province_sees_its_own_cases_central_sees_all(organisations, analyst) -> None:  # type: ignore[no-untyped-def]
    mine, other = _cases(organisations)
    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])
    page = _dashboard(login(Client(), officer))
    assert 'id="panel-respond-followup"' in page
    assert "1 hồ sơ mở trong kỳ" in page
    assert mine.title in page and OTHER not in page
    data = _panel_data(page)
    assert data["pickups"]["cases"] == [mine.title] and data["pickups"]["values"] == [1]
    assert list(data["organisation"]) == [organisations["lam-dong"].name]
    assert data["met"]["Công bố đúng hạn"] == 1
    assert 'src="/static/respond/followup.js"' in page

    page = _dashboard(login(Client(), analyst))
    assert "2 hồ sơ mở trong kỳ" in page
    assert mine.title in page and OTHER in page
    data = _panel_data(page)
    assert data["pickups"]["values"] == [1]  # the open case has no answer to pick up


def test_english_and_the_dashboard_period(organisations, analyst) -> None:  # type: ignore[no-untyped-def]
    mine, _other = _cases(organisations)
    client = login(Client(), analyst)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = _dashboard(client)
    assert "Answering false information: follow-up" in page
    assert "2 cases opened in the period" in page
    assert set(_panel_data(page)["reappear"]) == {"Before the answer", "After the answer"}

    # a period that ends before the cases were opened: the panel says so, no charts
    Case.objects.filter(pk=mine.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    today = timezone.localdate()
    page = _dashboard(
        client,
        date_from=(today - dt.timedelta(days=45)).isoformat(),
        date_to=(today - dt.timedelta(days=20)).isoformat(),
    )
    assert "1 case opened in the period" in page
    assert mine.title in page and OTHER not in page
    page = _dashboard(
        client,
        date_from=(today - dt.timedelta(days=90)).isoformat(),
        date_to=(today - dt.timedelta(days=60)).isoformat(),
    )
    assert 'id="respond-followup-empty"' in page
    assert "No case was opened in this period." in page


def test_left_out_for_a_reader_of_no_organisation(organisations) -> None:  # type: ignore[no-untyped-def]
    _cases(organisations)
    juror = UserFactory(role=Role.JUROR, organisation=organisations["lam-dong"])
    page = _dashboard(login(Client(), juror))
    assert 'id="panel-respond-followup"' not in page
