"""Time to first assessment on the follow-up page, by severity and by organisation (issue 11:
"time to first assessment and to publication per case, severity and organisation"), as
figures and as charts."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client

from tests.conftest import login
from tests.factories import UserFactory
from tests.respond.test_followup_pickups import _published
from ttdn.accounts.models import Role
from ttdn.respond import selectors
from ttdn.respond.models import Case

pytestmark = pytest.mark.django_db


def test_time_to_first_assessment_by_severity_and_organisation(organisations) -> None:  # type: ignore[no-untyped-def]
    case = _published(organisations)
    Case.objects.filter(pk=case.pk).update(
        first_assessed_at=case.created_at + dt.timedelta(minutes=30)
    )
    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])
    data = selectors.followup(user=officer)
    name = organisations["lam-dong"].name
    assert data["assess_by_severity"] == {"high": 30.0}
    assert data["assess_by_organisation"] == {name: 30.0}

    client = login(Client(), officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/phan-hoi/theo-doi-hieu-qua/").content.decode()
    assert "Time to first assessment, by severity (minutes)" in page
    assert 'id="chart-assess-organisation"' in page
    raw = re.search(r'<script id="followup-data" type="application/json"[^>]*>(.*?)</script>', page)
    assert raw is not None
    chart = json.loads(raw.group(1))
    assert chart["assess_severity"] == {"High": 30.0}
    assert chart["assess_organisation"] == {name: 30.0}
