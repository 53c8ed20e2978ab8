"""Respond's demo: a case at each status, a published fact-check, and the demo feed item that
restates the answered claim is matched to it when the pipeline stores it."""

from __future__ import annotations

import pytest

from tests.factories import ReportFactory
from ttdn.demo.corpus import feed_items
from ttdn.respond import services
from ttdn.respond.demo import ANSWERED, respond_demo_load
from ttdn.respond.models import Case, CaseStatus, Claim, ClaimStatus


@pytest.mark.django_db
def test_demo_has_every_status_a_published_fact_check_and_a_reappearing_item(organisations) -> None:  # type: ignore[no-untyped-def]
    assert respond_demo_load()["created"] == 7
    assert respond_demo_load()["created"] == 0  # idempotent
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    answered = Claim.objects.get(text=ANSWERED)
    assert answered.status == ClaimStatus.ANSWERED
    published = answered.cases.get()
    assert published.slug and published.answers.filter(status="approved").count() == 2
    item = feed_items("respond-demo")[-1]
    report = ReportFactory(title=item.title, text=item.text)
    (found,) = services.claims_match_report(report.pk)
    assert found.claim == answered and found.after_answer
