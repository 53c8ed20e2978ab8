"""Pickups of a published answer on the follow-up page: a report that gives the answer's
address, links to it from its HTML, or quotes one of its identifying sentences word for word
(issue 11, "links to it, or its text re-used"); a short stock phrase of the answer, a
paraphrase or an unrelated report is not a pickup."""

from __future__ import annotations

import pytest

from tests.factories import ReportFactory, UserFactory
from ttdn.accounts.models import Role
from ttdn.respond import selectors, services, subscribers
from ttdn.respond.models import AnswerPickup, Case, CaseStatus

pytestmark = pytest.mark.django_db

CLAIM = "The Indian Navy captured 23 pirates in the Gulf of Aden on Saturday."
LONG_EN = (
    "The navy's own statement of 14 December lists nine detained men, not twenty-three, "
    "and none of them was handed over to the coast guard."
)
BODY_EN = f"<p>The claim is false.</p><p>{LONG_EN} <b>Photos</b> show the boat.</p>"
LONG_VI = (
    "Thông cáo của hải quân ngày 14 tháng 12 nêu chín người bị bắt giữ, không phải hai mươi "
    "ba người, và không ai bị bàn giao cho cảnh sát biển."
)


def _published(organisations) -> Case:  # type: ignore[no-untyped-def]
    lam_dong = organisations["lam-dong"]
    author = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=lam_dong)
    approver = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=lam_dong)
    claim = services.claim_create(user=author, organisation=lam_dong, text=CLAIM)
    case = services.case_create(
        user=author, organisation=lam_dong, title="Cướp biển", claims=[claim], severity="high"
    )
    services.case_transition(user=author, case=case, status=CaseStatus.ASSESSING)
    services.case_transition(user=author, case=case, status=CaseStatus.DRAFTING)
    for lang, title, body in (
        ("vi", "Đính chính", f"<p>Thông tin này sai.</p><p>{LONG_VI}</p>"),
        ("en", "On the pirates", BODY_EN),
    ):
        answer = services.answer_save(user=author, case=case, language=lang, title=title, body=body)
        services.answer_approve(user=approver, answer=answer)
    services.case_transition(user=author, case=case, status=CaseStatus.IN_APPROVAL)
    services.rating_set(user=author, case=case, claim=claim, rating="false")
    return services.case_publish(user=approver, case=case)


def test_identifying_sentences_are_the_long_ones_as_plain_text(organisations) -> None:  # type: ignore[no-untyped-def]
    case = _published(organisations)
    passages = selectors.answer_passages(case)
    assert LONG_EN in passages and LONG_VI in passages
    assert "The claim is false." not in passages and "Thông tin này sai." not in passages
    assert not any("<" in p for p in passages)


def test_a_quote_or_the_address_is_a_pickup_a_stock_phrase_or_paraphrase_is_not(  # type: ignore[no-untyped-def]
    organisations,
) -> None:
    case = _published(organisations)
    ReportFactory(text=f"Hanoi answered: {LONG_EN} Shipping agents were not surprised.")
    ReportFactory(text=f"Báo chí dẫn lại: {LONG_VI}")
    ReportFactory(text=f"See https://ttdn.example/phan-hoi/cong-khai/{case.slug}/ for more.")
    ReportFactory(text="The claim is false. Thông tin này sai. Nothing else is quoted.")
    ReportFactory(text="The navy said it had detained nine men, fewer than first reported.")
    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])
    rows = {r["case"].pk: r for r in selectors.followup(user=officer)["rows"]}
    assert rows[case.pk]["pickups"] == 3


def test_a_link_from_the_html_only_is_a_pickup_once(organisations) -> None:  # type: ignore[no-untyped-def]
    """The monitor passes a report's links to our own hosts in REPORT_STORED's `links`; the
    address is in no text, so the subscriber writes the pickup down. A link to no published
    answer, a report without links and a repeated delivery add nothing."""
    case = _published(organisations)
    linking = ReportFactory(text="Hanoi disputes the figure (see the ministry's note).")
    links = [
        f"https://ttdn.example/en/phan-hoi/cong-khai/{case.slug}/",
        "https://ttdn.example/phan-hoi/cong-khai/no-such-answer/",
        "https://ttdn.example/tin-tuc/",
    ]
    subscribers.record_pickups({"report_id": linking.pk, "story_id": None, "links": links})
    subscribers.record_pickups({"report_id": linking.pk, "story_id": None, "links": links})
    quiet = ReportFactory(text="A report with no link to us.")
    subscribers.record_pickups({"report_id": quiet.pk, "story_id": None})
    assert list(AnswerPickup.objects.values_list("case_id", "report_id")) == [(case.pk, linking.pk)]
    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])
    rows = {r["case"].pk: r for r in selectors.followup(user=officer)["rows"]}
    assert rows[case.pk]["pickups"] == 1
