"""Respond → portal: a case published in Respond (answers approved in vi and en) becomes
fact-check drafts on the portal — Vietnamese, and its English translation — that nobody
reads until a portal editor publishes them (the platform publishes nothing without a
person's approval). Delivered through the core's events, as in production."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory
from ttdn.accounts.models import Organisation, Role
from ttdn.portal.models import FactCheckPage, Publication
from ttdn.portal.services import factcheck_drafts_from_case
from ttdn.respond import services
from ttdn.respond.models import CaseStatus

pytestmark = pytest.mark.django_db

CLAIM = "Viet Nam banned all coffee exports from the Central Highlands this month."


def _publish_case(author, approver, organisation):  # type: ignore[no-untyped-def]
    claim = services.claim_create(user=author, organisation=organisation, text=CLAIM)
    case = services.case_create(
        user=author, organisation=organisation, title="", claims=[claim], severity="high"
    )
    services.case_transition(user=author, case=case, status=CaseStatus.ASSESSING)
    services.case_transition(user=author, case=case, status=CaseStatus.DRAFTING)
    for language, title, body in (
        ("vi", "Không có lệnh cấm xuất khẩu cà phê", "<p>Xuất khẩu cà phê vẫn bình thường.</p>"),
        ("en", "There is no coffee export ban", "<p>Coffee exports continue as usual.</p>"),
    ):
        answer = services.answer_save(
            user=author, case=case, language=language, title=title, body=body
        )
        services.answer_approve(user=approver, answer=answer)
    services.case_transition(user=author, case=case, status=CaseStatus.IN_APPROVAL)
    services.rating_set(user=author, case=case, claim=claim, rating="false")
    return services.case_publish(user=approver, case=case)


def test_published_case_becomes_portal_drafts_awaiting_an_editor(
    portal, client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    lam_dong = Organisation.objects.get(slug="lam-dong")
    author = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=lam_dong)
    approver = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=lam_dong)
    with django_capture_on_commit_callbacks(execute=True):  # the event is sent on commit
        case = _publish_case(author, approver, lam_dong)

    drafts = FactCheckPage.objects.filter(respond_case_id=case.pk)
    by_language = {page.locale.language_code: page for page in drafts}
    assert set(by_language) == {"vi", "en"}
    vi, en = by_language["vi"], by_language["en"]
    assert vi.title == "Không có lệnh cấm xuất khẩu cà phê"
    assert en.title == "There is no coffee export ban"
    assert vi.claim == CLAIM and vi.rating == "false"
    assert en.translation_key == vi.translation_key  # one page, two languages
    assert "Coffee exports continue" in en.body
    # drafts only: not live, not public, not registered as our publication
    for page in (vi, en):
        assert not page.live and page.has_unpublished_changes
        assert client.get(page.get_url_parts()[2]).status_code == 404
    assert not Publication.objects.filter(page_id__in=[vi.pk, en.pk]).exists()

    # a second delivery of the same event (a retry) makes no second draft
    assert factcheck_drafts_from_case(case.pk) == []
    assert FactCheckPage.objects.filter(respond_case_id=case.pk).count() == 2

    # a portal editor approves: then readers see it, with its ClaimReview
    editor = UserFactory(role=Role.PORTAL_EDITOR)
    vi.get_latest_revision().publish(user=editor)
    response = client.get(vi.get_url_parts()[2])
    assert response.status_code == 200
    assert "ClaimReview" in response.content.decode()
    assert Publication.objects.filter(page_id=vi.pk, language="vi").exists()
    assert not FactCheckPage.objects.get(pk=en.pk).live  # each language is approved on its own


def test_unpublished_or_unknown_case_makes_no_draft(portal) -> None:
    lam_dong = Organisation.objects.get(slug="lam-dong")
    author = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=lam_dong)
    claim = services.claim_create(user=author, organisation=lam_dong, text=CLAIM)
    case = services.case_create(
        user=author, organisation=lam_dong, title="", claims=[claim], severity="low"
    )
    before = FactCheckPage.objects.count()
    assert factcheck_drafts_from_case(case.pk) == []  # still new: nothing to publish
    assert factcheck_drafts_from_case(10**9) == []
    assert FactCheckPage.objects.count() == before
