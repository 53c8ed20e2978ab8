"""Respond's figures reach Coordinate's periodic reports through the computed-figure registry
(registered by Respond's own AppConfig.ready; Coordinate never imports Respond), computed from
cases made through Respond's services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import ReportFactory, UserFactory
from ttdn.accounts.models import Role
from ttdn.coordinate.models import IndicatorKind, PeriodKind, ReportIndicator, ReportTemplate
from ttdn.coordinate.selectors.submissions import submission_rows
from ttdn.coordinate.services.submissions import period_get_or_create, submission_open
from ttdn.core.computed import computed_all, computed_get
from ttdn.respond import services
from ttdn.respond.models import Case, CaseStatus, ClaimAppearance

CLAIM = "The Indian Navy captured 23 pirates in the Gulf of Aden on Saturday."
KEYS = (
    "respond_cases_opened",
    "respond_cases_published",
    "respond_median_publish_hours",
    "respond_published_on_time_pct",
    "respond_median_assess_hours",
    "respond_assessed_on_time_pct",
    "respond_reappeared_after_answer",
    "respond_pickups",
)


def _published_case(author, approver, organisation, claim_text: str) -> Case:  # type: ignore[no-untyped-def]
    claim = services.claim_create(user=author, organisation=organisation, text=claim_text)
    case = services.case_create(
        user=author, organisation=organisation, title="", claims=[claim], severity="high"
    )
    services.case_transition(user=author, case=case, status=CaseStatus.ASSESSING)
    services.case_transition(user=author, case=case, status=CaseStatus.DRAFTING)
    for lang, title in (("vi", "Đính chính"), ("en", "Clarification")):
        answer = services.answer_save(
            user=author, case=case, language=lang, title=title, body="<p>Facts.</p>"
        )
        services.answer_approve(user=approver, answer=answer)
    services.case_transition(user=author, case=case, status=CaseStatus.IN_APPROVAL)
    services.rating_set(user=author, case=case, claim=claim, rating="false")
    return services.case_publish(user=approver, case=case)


def _opened_earlier(case: Case, hours: float) -> None:
    """Put the case's opening (and the deadlines counted from it) `hours` before its
    publication: the services stamp "now", and a test cannot wait hours."""
    case.refresh_from_db()
    shift = case.published_at - dt.timedelta(hours=hours) - case.created_at
    Case.objects.filter(pk=case.pk).update(
        created_at=case.created_at + shift,
        assess_due_at=case.assess_due_at + shift,
        publish_due_at=case.publish_due_at + shift,
        first_assessed_at=case.first_assessed_at + shift + dt.timedelta(minutes=20),
    )


def test_respond_registers_its_figures_itself() -> None:
    respond = {i.key for i in computed_all() if i.source == "respond"}
    assert set(KEYS) <= respond
    assert computed_get("respond_median_publish_hours").aggregate == "mean"


@pytest.mark.django_db
def test_response_figures_appear_in_a_coordinate_report(officer_lam_dong, organisations) -> None:  # type: ignore[no-untyped-def]
    lam_dong = organisations["lam-dong"]
    approver = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=lam_dong)
    fast = _published_case(officer_lam_dong, approver, lam_dong, CLAIM)
    slow = _published_case(
        officer_lam_dong, approver, lam_dong, "Hải quân Ấn Độ bắt giữ 23 tên cướp biển."
    )
    _opened_earlier(fast, 2)  # high severity: 4 hours to publish, met
    _opened_earlier(slow, 6)  # missed
    still_open = services.case_create(
        user=officer_lam_dong,
        organisation=lam_dong,
        title="",
        claims=[services.claim_create(user=officer_lam_dong, organisation=lam_dong, text="X y z")],
        severity="low",
    )
    assert still_open.published_at is None
    # another organisation's case never counts for Lâm Đồng
    hanoi = organisations["ha-noi"]
    hanoi_officer = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=hanoi)
    hanoi_case = _published_case(
        hanoi_officer,
        UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=hanoi),
        hanoi,
        "Hanoi claim about 40 boats",
    )
    # follow-up: the answered claim comes back once (and once before its answer), one report
    # links to Lâm Đồng's answer, one to Hà Nội's, one to nothing
    claim = fast.claims.get()
    ClaimAppearance.objects.create(claim=claim, after_answer=True)
    ClaimAppearance.objects.create(claim=claim, after_answer=False)
    ClaimAppearance.objects.create(claim=hanoi_case.claims.get(), after_answer=True)
    now = timezone.now()
    for slug in (fast.slug, hanoi_case.slug):
        ReportFactory(published_at=now, text=f"See https://ttdn.example/phan-hoi/cong-khai/{slug}/")
    ReportFactory(published_at=now, text="A report that links to no answer.")

    template = ReportTemplate.objects.create(
        name="Báo cáo 6 tháng", period_kind=PeriodKind.SIX_MONTH
    )
    for order, key in enumerate(KEYS):
        ReportIndicator.objects.create(
            template=template, key=key, title=key, kind=IndicatorKind.COMPUTED, order=order
        )
    today = timezone.localdate()
    period = period_get_or_create(
        kind=PeriodKind.SIX_MONTH, year=today.year, half=1 if today.month <= 6 else 2
    )
    submission = submission_open(
        user=officer_lam_dong, template=template, period=period, organisation=lam_dong
    )
    rows = {r["key"]: r for r in submission_rows(submission)}
    assert rows["respond_cases_opened"]["computed_value"] == 3
    assert rows["respond_cases_published"]["computed_value"] == 2
    assert rows["respond_median_publish_hours"]["computed_value"] == pytest.approx(4.0, abs=0.01)
    assert rows["respond_published_on_time_pct"]["computed_value"] == 50.0
    assert rows["respond_assessed_on_time_pct"]["computed_value"] == 100.0
    assert rows["respond_reappeared_after_answer"]["computed_value"] == 1
    assert rows["respond_pickups"]["computed_value"] == 1
    assert rows["respond_median_publish_hours"]["unit"] == "giờ"
    assert "trung vị" in str(rows["respond_median_publish_hours"]["definition"]).lower()
    # filled as the proposed value, so the officer sees it without typing it
    assert rows["respond_cases_published"]["value"] == 2


@pytest.mark.django_db
def test_no_published_case_is_not_applicable_not_zero(organisations) -> None:  # type: ignore[no-untyped-def]
    figure = computed_get("respond_median_publish_hours")
    start, end = dt.date(2020, 1, 1), dt.date(2020, 6, 30)
    assert figure.compute(organisations["lam-dong"], start, end) is None
    assert computed_get("respond_cases_opened").compute(organisations["lam-dong"], start, end) == 0
    assert figure.compute(None, start, end) is None
