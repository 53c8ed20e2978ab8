"""Respond's services: claims, cases, answers, publication, re-appearance, deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from tests.factories import ReportFactory, UserFactory
from ttdn.accounts.models import Role
from ttdn.audit.models import AuditEvent
from ttdn.respond import selectors, services
from ttdn.respond.jsonld import claim_review_jsonld
from ttdn.respond.models import (
    Answer,
    AnswerStatus,
    Case,
    CaseEvent,
    CaseStatus,
    Claim,
    ClaimAppearance,
    ClaimStatus,
    Evidence,
    Notification,
)

CLAIM = "The Indian Navy captured 23 pirates in the Gulf of Aden on Saturday."
RESTATED = (
    "Indian navy foils pirate attack",
    "Indian naval commandos thwarted a hijack attempt on a merchant vessel in the Gulf of Aden "
    "on Saturday and captured 23 pirates, the navy said.",
)
HOSTILE = (
    '<p>Sự thật <script>alert(1)</script><img src=x onerror="alert(2)">'
    '<a href="javascript:alert(3)">x</a></p>'
)


@pytest.fixture
def officer(organisations):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])


@pytest.fixture
def colleague(organisations):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])


@pytest.fixture
def other_province(organisations):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["ha-noi"])


def _case(officer, organisations, severity: str = "high") -> Case:  # type: ignore[no-untyped-def]
    claim = services.claim_create(user=officer, organisation=organisations["lam-dong"], text=CLAIM)
    return services.case_create(
        user=officer,
        organisation=organisations["lam-dong"],
        title="",
        claims=[claim],
        severity=severity,
    )


def _ready_to_publish(case: Case, author, approver) -> Case:  # type: ignore[no-untyped-def]
    services.case_transition(user=author, case=case, status=CaseStatus.ASSESSING)
    services.case_transition(user=author, case=case, status=CaseStatus.DRAFTING)
    for lang, title in (("vi", "Đính chính về vụ bắt cướp biển"), ("en", "On the pirates")):
        answer = services.answer_save(
            user=author, case=case, language=lang, title=title, body="<p>Facts.</p>"
        )
        services.answer_approve(user=approver, answer=answer)
    services.case_transition(user=author, case=case, status=CaseStatus.IN_APPROVAL)
    return case


@pytest.mark.django_db
def test_claim_language_is_detected_and_empty_text_is_refused(officer, organisations) -> None:  # type: ignore[no-untyped-def]
    claim = services.claim_create(
        user=officer,
        organisation=organisations["lam-dong"],
        text="Hải quân Ấn Độ bắt giữ 23 tên cướp biển.",
    )
    assert claim.language == "vi" and claim.language_detected
    assert claim.embedding and len(bytes(claim.embedding)) == 384 * 4
    with pytest.raises(ValidationError) as err:
        services.claim_create(user=officer, organisation=organisations["lam-dong"], text="   ")
    assert "nội dung" in str(err.value).lower()
    assert Claim.objects.count() == 1


@pytest.mark.django_db
def test_a_claim_from_a_report_keeps_its_origin(officer, organisations) -> None:  # type: ignore[no-untyped-def]
    report = ReportFactory(title=RESTATED[0], text=RESTATED[1])
    claim = services.claim_create(
        user=officer, organisation=organisations["lam-dong"], text="", sentence=CLAIM, report=report
    )
    origin = claim.appearances.get()
    assert origin.is_origin and origin.report == report and origin.outlet == report.source.outlet
    assert origin.country == "GB" and origin.language == "en"


@pytest.mark.django_db
def test_a_province_cannot_act_for_another(officer, other_province, organisations) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.claim_create(
            user=other_province, organisation=organisations["lam-dong"], text=CLAIM
        )
    case = _case(officer, organisations)
    assert not selectors.case_list(user=other_province).filter(pk=case.pk).exists()
    with pytest.raises(PermissionDenied):
        services.note_add(user=other_province, case=case, body="x")


@pytest.mark.django_db
def test_case_moves_forward_and_back_and_refuses_jumps(officer, organisations) -> None:  # type: ignore[no-untyped-def]
    case = _case(officer, organisations)
    assert case.assess_due_at - case.created_at <= dt.timedelta(minutes=31)
    with pytest.raises(ValidationError):
        services.case_transition(user=officer, case=case, status=CaseStatus.PUBLISHED)
    services.case_transition(user=officer, case=case, status=CaseStatus.ASSESSING)
    case.refresh_from_db()
    assert case.first_assessed_at is not None
    assert case.claims.get().status == ClaimStatus.ASSESSING
    services.case_transition(user=officer, case=case, status=CaseStatus.DRAFTING)
    services.case_transition(user=officer, case=case, status=CaseStatus.ASSESSING, reason="back")
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[0] == "created" and kinds.count("status") == 3
    assert (
        AuditEvent.objects.filter(object_type="respond.Case", object_id=str(case.pk)).count() >= 4
    )


@pytest.mark.django_db
def test_hostile_html_is_cleaned_and_an_empty_result_refused(officer, organisations) -> None:  # type: ignore[no-untyped-def]
    case = _case(officer, organisations)
    note = services.note_add(user=officer, case=case, body=HOSTILE)
    assert "<script" not in note.body and "onerror" not in note.body
    assert "javascript:" not in note.body and "Sự thật" in note.body
    with pytest.raises(ValidationError):
        services.note_add(user=officer, case=case, body="<script>alert(1)</script>")
    services.case_transition(user=officer, case=case, status=CaseStatus.ASSESSING)
    services.case_transition(user=officer, case=case, status=CaseStatus.DRAFTING)
    answer = services.answer_save(
        user=officer, case=case, language="vi", title="<b>T</b>", body=HOSTILE
    )
    assert answer.title == "T" and "<script" not in answer.body


@pytest.mark.django_db
def test_the_author_never_approves_and_publication_needs_every_part(
    officer, colleague, organisations
) -> None:  # type: ignore[no-untyped-def]
    case = _case(officer, organisations)
    services.case_transition(user=officer, case=case, status=CaseStatus.ASSESSING)
    services.case_transition(user=officer, case=case, status=CaseStatus.DRAFTING)
    vi = services.answer_save(
        user=officer, case=case, language="vi", title="Đính chính", body="<p>A</p>"
    )
    with pytest.raises(ValidationError) as err:
        services.answer_approve(user=officer, answer=vi)
    assert "tự phê duyệt" in str(err.value)
    vi.refresh_from_db()
    assert vi.status == AnswerStatus.DRAFT and vi.approved_by is None
    services.answer_approve(user=colleague, answer=vi)
    with pytest.raises(ValidationError) as err:
        services.case_publish(user=colleague, case=case)
    assert "nước ngoài" in str(err.value) and "đánh giá" in str(err.value)
    en = services.answer_save(
        user=officer, case=case, language="en", title="Clarification", body="<p>B</p>"
    )
    services.answer_approve(user=colleague, answer=en)
    with pytest.raises(ValidationError) as err:  # still no rating
        services.case_publish(user=colleague, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFTING and case.published_at is None and not case.slug
    assert case.claims.get().status != ClaimStatus.ANSWERED


@pytest.mark.django_db
def test_publication_answers_the_claims_and_gives_valid_claimreview(
    officer, colleague, organisations
) -> None:  # type: ignore[no-untyped-def]
    case = _ready_to_publish(_case(officer, organisations), officer, colleague)
    services.rating_set(user=officer, case=case, claim=case.claims.get(), rating="false")
    with pytest.raises(ValidationError):  # an edit withdraws the approval
        services.answer_save(user=officer, case=case, language="xx", title="t", body="b")
    services.case_publish(user=colleague, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED and case.slug and case.published_at
    assert case.claims.get().status == ClaimStatus.ANSWERED
    data = claim_review_jsonld(case, "https://ttdn.example/phan-hoi/cong-khai/x/")
    assert data["@context"] == "https://schema.org"
    (review,) = data["@graph"]
    for prop in ("@type", "claimReviewed", "reviewRating", "url", "author", "datePublished"):
        assert review[prop], prop
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == CLAIM
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"] == "False"
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert review["author"]["name"] and review["itemReviewed"]["@type"] == "Claim"


@pytest.mark.django_db
def test_evidence_files_are_checked_by_content_and_size(officer, organisations) -> None:  # type: ignore[no-untyped-def]
    case = _case(officer, organisations)
    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    evidence = services.evidence_add(user=officer, case=case, kind="file", upload=pdf)
    assert evidence.content_type == "application/pdf" and evidence.size > 0
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(ValidationError) as err:
        services.evidence_add(user=officer, case=case, kind="file", upload=fake)
    assert "không khớp" in str(err.value)
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        services.evidence_add(user=officer, case=case, kind="file", upload=exe)
    with override_settings(TTDN_EVIDENCE_MAX_BYTES=1024):
        big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2048, content_type="application/pdf")
        with pytest.raises(ValidationError) as err:
            services.evidence_add(user=officer, case=case, kind="file", upload=big)
    assert "quá lớn" in str(err.value)
    assert Evidence.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_an_answered_claim_that_comes_back_is_recorded_and_its_owner_alerted(
    officer, colleague, organisations
) -> None:  # type: ignore[no-untyped-def]
    case = _ready_to_publish(_case(officer, organisations), officer, colleague)
    claim = case.claims.get()
    services.rating_set(user=officer, case=case, claim=claim, rating="false")
    services.case_publish(user=colleague, case=case)
    other = ReportFactory(
        title="Microsoft patches Internet Explorer",
        text="Microsoft released an emergency update for its browser.",
    )
    assert services.claims_match_report(other.pk) == []
    report = ReportFactory(title=RESTATED[0], text=RESTATED[1])
    (found,) = services.claims_match_report(report.pk)
    assert found.claim == claim and found.after_answer and found.score > 0.5
    assert "23 pirates" in found.sentence
    note = Notification.objects.get(user=officer, kind="reappeared")
    assert str(claim.pk) in note.url
    assert CaseEvent.objects.filter(case=case, kind="reappeared").exists()
    assert services.claims_match_report(report.pk) == []  # a redelivered event adds nothing
    assert ClaimAppearance.objects.filter(claim=claim).count() == 1


@pytest.mark.django_db
def test_passed_deadlines_escalate_once(officer, organisations) -> None:  # type: ignore[no-untyped-def]
    case = _case(officer, organisations)
    later = timezone.now() + dt.timedelta(minutes=31)
    assert services.deadlines_check(later) == {"assess": 1, "publish": 0}
    assert services.deadlines_check(later) == {"assess": 0, "publish": 0}
    assert Notification.objects.filter(user=officer, kind="escalated_assess").count() == 1
    assert CaseEvent.objects.filter(case=case, kind="escalated").count() == 1
    much_later = timezone.now() + dt.timedelta(hours=5)
    assert services.deadlines_check(much_later) == {"assess": 0, "publish": 1}
    case.refresh_from_db()
    assert case.overdue(much_later)


@pytest.mark.django_db
def test_hand_over_moves_the_case_and_tells_the_new_organisation(
    officer, other_province, organisations
) -> None:  # type: ignore[no-untyped-def]
    case = _case(officer, organisations)
    with pytest.raises(ValidationError):
        services.case_hand_over(
            user=officer, case=case, organisation=organisations["ha-noi"], reason=""
        )
    services.case_hand_over(
        user=officer,
        case=case,
        organisation=organisations["ha-noi"],
        reason="Thuộc thẩm quyền Hà Nội",
    )
    case.refresh_from_db()
    assert case.organisation == organisations["ha-noi"] and case.assignee is None
    assert selectors.case_list(user=other_province).filter(pk=case.pk).exists()
    assert not selectors.case_list(user=officer).filter(pk=case.pk).exists()
    assert Notification.objects.filter(user=other_province, kind="handed_over").exists()


@pytest.mark.django_db
def test_answers_exist_once_per_language(officer, organisations) -> None:  # type: ignore[no-untyped-def]
    case = _case(officer, organisations)
    services.case_transition(user=officer, case=case, status=CaseStatus.ASSESSING)
    services.case_transition(user=officer, case=case, status=CaseStatus.DRAFTING)
    services.answer_save(user=officer, case=case, language="vi", title="A", body="<p>1</p>")
    services.answer_save(user=officer, case=case, language="vi", title="B", body="<p>2</p>")
    assert Answer.objects.filter(case=case).count() == 1
    assert Answer.objects.get(case=case).title == "B"
