"""Respond's pages through the Django test client: the loop, feeds, permissions, bad input."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import login
from tests.factories import ReportFactory, UserFactory
from ttdn.accounts.models import Role
from ttdn.respond.models import Answer, Case, CaseStatus, Claim, Evidence

SENTENCE = "The Indian Navy captured 23 pirates in the Gulf of Aden on Saturday."


@pytest.fixture
def officer(organisations):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])


@pytest.fixture
def colleague(organisations):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])


def _messages(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.mark.django_db
def test_the_whole_loop_through_the_pages(officer, colleague, organisations) -> None:  # type: ignore[no-untyped-def]
    author, approver = login(Client(), officer), login(Client(), colleague)
    report = ReportFactory(title="Pirates", text=f"Intro line.\n{SENTENCE}\nMore text.")
    page = author.get(f"/phan-hoi/thong-tin/moi/?bai={report.pk}")
    assert page.status_code == 200 and SENTENCE in page.content.decode()
    org = organisations["lam-dong"].pk
    response = author.post(
        "/phan-hoi/thong-tin/moi/",
        {"report_id": report.pk, "text": SENTENCE, "organisation": org},
        follow=True,
    )
    claim = Claim.objects.get()
    assert claim.language == "en" and claim.appearances.get().is_origin
    assert "Đã ghi nhận" in _messages(response)
    response = author.post(
        "/phan-hoi/ho-so/moi/",
        {"claim": claim.pk, "title": "Cướp biển", "severity": "high", "organisation": org},
    )
    case = Case.objects.get()
    assert response.url == f"/phan-hoi/ho-so/{case.pk}/"
    for status in ("assessing", "drafting"):
        author.post(f"/phan-hoi/ho-so/{case.pk}/trang-thai/", {"status": status})
    for lang in ("vi", "en"):
        author.post(
            f"/phan-hoi/ho-so/{case.pk}/bai/",
            {
                "answer-language": lang,
                "answer-title": f"Tiêu đề {lang}",
                "answer-body": "<p>Sự thật.</p>",
            },
        )
    answers = list(Answer.objects.filter(case=case))
    response = author.post(f"/phan-hoi/ho-so/{case.pk}/bai/{answers[0].pk}/duyet/", follow=True)
    assert "tự phê duyệt" in _messages(response)
    for answer in answers:
        approver.post(f"/phan-hoi/ho-so/{case.pk}/bai/{answer.pk}/duyet/")
    response = approver.post(f"/phan-hoi/ho-so/{case.pk}/cong-bo/", follow=True)
    assert "chưa có đánh giá" in _messages(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFTING and not case.slug
    author.post(f"/phan-hoi/ho-so/{case.pk}/danh-gia/{claim.pk}/", {"rating": "false"})
    approver.post(f"/phan-hoi/ho-so/{case.pk}/trang-thai/", {"status": "in_approval"})
    approver.post(f"/phan-hoi/ho-so/{case.pk}/cong-bo/")
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED and case.slug

    public = Client().get(f"/phan-hoi/cong-khai/{case.slug}/")
    assert public.status_code == 200
    html = public.content.decode()
    pattern = r'<script type="application/ld\+json" id="claimreview">(.*?)</script>'
    block = re.search(pattern, html, re.S)
    assert block, html[:500]
    (review,) = json.loads(block.group(1))["@graph"]
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == SENTENCE
    assert review["reviewRating"]["alternateName"] == "False"
    assert "Sự thật" in html

    feed = Client().get("/phan-hoi/cong-khai/feed.json").json()
    assert feed["items"][0]["ratings"][0]["rating"] == "false"
    assert set(feed["items"][0]["translations"]) == {"vi", "en"}
    rss = ET.fromstring(Client().get("/phan-hoi/cong-khai/rss.xml").content)  # noqa: S314 - our own feed
    assert rss.find("channel/item/title").text == "Tiêu đề vi"
    atom = ET.fromstring(Client().get("/phan-hoi/cong-khai/atom.xml").content)  # noqa: S314
    assert atom.find("{http://www.w3.org/2005/Atom}entry") is not None

    board = author.get("/phan-hoi/")
    assert board.status_code == 200 and "Cướp biển" in board.content.decode()
    followup = author.get("/phan-hoi/theo-doi-hieu-qua/")
    assert followup.status_code == 200 and "chart-severity" in followup.content.decode()
    page = author.get(f"/phan-hoi/ho-so/{case.pk}/")
    assert "Diễn biến" in page.content.decode()


@pytest.mark.django_db
def test_other_provinces_get_404_and_anonymous_users_the_login(officer, organisations) -> None:  # type: ignore[no-untyped-def]
    author = login(Client(), officer)
    author.post(
        "/phan-hoi/thong-tin/moi/",
        {"text": SENTENCE, "organisation": organisations["lam-dong"].pk},
    )
    claim = Claim.objects.get()
    stranger = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["ha-noi"])
    assert login(Client(), stranger).get(f"/phan-hoi/thong-tin/{claim.pk}/").status_code == 404
    assert Client().get("/phan-hoi/").status_code == 302
    # a province cannot record a claim for another organisation: the form refuses the choice
    response = login(Client(), stranger).post(
        "/phan-hoi/thong-tin/moi/", {"text": SENTENCE, "organisation": organisations["lam-dong"].pk}
    )
    assert response.status_code == 200 and Claim.objects.count() == 1


@pytest.mark.django_db
def test_bad_evidence_and_hostile_notes_give_messages(officer, organisations) -> None:  # type: ignore[no-untyped-def]
    author = login(Client(), officer)
    org = organisations["lam-dong"].pk
    author.post("/phan-hoi/thong-tin/moi/", {"text": SENTENCE, "organisation": org})
    claim = Claim.objects.get()
    author.post("/phan-hoi/ho-so/moi/", {"claim": claim.pk, "severity": "low", "organisation": org})
    case = Case.objects.get()
    exe = SimpleUploadedFile("x.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    response = author.post(
        f"/phan-hoi/ho-so/{case.pk}/bang-chung/",
        {"evidence-kind": "file", "evidence-file": exe},
        follow=True,
    )
    assert "không khớp" in _messages(response)
    assert Evidence.objects.count() == 0
    response = author.post(
        f"/phan-hoi/ho-so/{case.pk}/ghi-chu/",
        {"note-body": '<b>ok</b><script>alert("x")</script>'},
        follow=True,
    )
    html = response.content.decode()
    assert '<script>alert("x")' not in html and "<b>ok</b>" in html


@pytest.mark.django_db
def test_published_fact_checks_are_in_the_open_data_api(officer, colleague, organisations) -> None:  # type: ignore[no-untyped-def]
    from tests.respond.test_services import _case, _ready_to_publish
    from ttdn.respond import services

    case = _ready_to_publish(_case(officer, organisations), officer, colleague)
    services.rating_set(user=officer, case=case, claim=case.claims.get(), rating="misleading")
    assert Client().get("/api/open/fact-checks/").json() == []
    services.case_publish(user=colleague, case=case)
    (item,) = Client().get("/api/open/fact-checks/").json()
    assert item["ratings"][0]["rating"] == "misleading" and item["url"].endswith(f"/{case.slug}/")
    assert "Facts." in item["content_html"] and "notes" not in item
