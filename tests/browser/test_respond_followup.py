"""Respond's follow-up page in a real headless Chromium, Vietnamese and English: the tone of a
claim's stories before and after the answer, and the pickups of the answer, drawn as charts
(SVG by ECharts from the site's static files; the page fixture fails on any CSP violation)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, ReportFactory, StoryFactory, UserFactory
from ttdn.accounts.models import Role
from ttdn.respond import services
from ttdn.respond.models import Case, CaseStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAIM = "The Indian Navy captured 23 pirates in the Gulf of Aden on Saturday."
TITLE = "Cướp biển vịnh Aden"
WORDS = {
    "vi": {
        "before": "Trước khi phản hồi",
        "after": "Sau khi phản hồi",
        "pickups": "Bài dẫn lại bài phản hồi",
        "heading": "Bài dẫn lại bài phản hồi, theo hồ sơ",
    },
    "en": {
        "before": "Before the answer",
        "after": "After the answer",
        "pickups": "Reports picking up the answer",
        "heading": "Pickups of the answer, by case",
    },
}


def _published_case(organisations) -> Case:  # type: ignore[no-untyped-def]
    """A claim taken from a negative report of a story, answered and published; the story
    goes on after the answer in a milder tone, and two reports pick the answer up."""
    lam_dong = organisations["lam-dong"]
    author = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=lam_dong)
    approver = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=lam_dong)
    story = StoryFactory()
    earlier = timezone.now() - dt.timedelta(days=2)
    origin = ReportFactory(story=story, published_at=earlier, tone_score=-0.6, title=CLAIM)
    ReportFactory(story=story, published_at=earlier, tone_score=-0.2)
    claim = services.claim_create(
        user=author, organisation=lam_dong, text="", sentence=CLAIM, report=origin
    )
    case = services.case_create(
        user=author, organisation=lam_dong, title=TITLE, claims=[claim], severity="high"
    )
    services.case_transition(user=author, case=case, status=CaseStatus.ASSESSING)
    services.case_transition(user=author, case=case, status=CaseStatus.DRAFTING)
    for lang, title in (("vi", "Đính chính về cướp biển"), ("en", "On the pirates")):
        answer = services.answer_save(
            user=author, case=case, language=lang, title=title, body="<p>Facts.</p>"
        )
        services.answer_approve(user=approver, answer=answer)
    services.case_transition(user=author, case=case, status=CaseStatus.IN_APPROVAL)
    services.rating_set(user=author, case=case, claim=claim, rating="false")
    case = services.case_publish(user=approver, case=case)
    later = timezone.now() + dt.timedelta(minutes=5)
    ReportFactory(story=story, published_at=later, tone_score=0.4)
    for n in range(2):
        ReportFactory(
            published_at=later,
            text=f"The fact-check https://ttdn.example/phan-hoi/cong-khai/{case.slug}/ ({n})",
        )
    ReportFactory(published_at=later, text="A report that does not link the answer.")
    return case


def _session(browser, live_server, user, language: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{live_server.url}/dang-nhap/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/dang-nhap/" not in page.url, page.url
    if language == "en":
        page.select_option("#lang-select", "en")
        page.locator("#lang-submit").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
    return page, violations


@pytest.mark.parametrize("language", ["vi", "en"])
def test_tone_and_pickups_are_charts(  # type: ignore[no-untyped-def]
    browser, live_server, organisations, analyst, language
) -> None:
    case = _published_case(organisations)
    words = WORDS[language]
    page, violations = _session(browser, live_server, analyst, language)
    page.goto(f"{live_server.url}/phan-hoi/theo-doi-hieu-qua/")
    assert page.get_by_role("heading", name=words["heading"]).is_visible()
    for chart in ("#chart-tone", "#chart-pickups"):
        page.wait_for_selector(f"{chart}[data-ready='1'] svg", timeout=60_000)
    tone_svg = page.locator("#chart-tone svg").inner_html()
    assert words["before"] in tone_svg and words["after"] in tone_svg
    assert TITLE in tone_svg  # the case is a category of the chart
    assert words["pickups"] in page.locator("#chart-pickups svg").inner_html()
    drawn = json.loads(page.locator("#followup-data").text_content() or "{}")
    assert drawn["tone"]["cases"] == [TITLE]
    assert drawn["tone"]["before"] == [pytest.approx(-0.4)]  # mean of -0.6 and -0.2
    assert drawn["tone"]["after"] == [pytest.approx(0.4)]
    assert drawn["pickups"] == {"cases": [TITLE], "values": [2], "label": words["pickups"]}
    assert case.slug
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"respond-followup-{language}.png"), full_page=True)
    assert not violations, violations
    page.context.close()


def test_no_published_case_says_so_instead_of_an_empty_chart(  # type: ignore[no-untyped-def]
    browser, live_server, analyst
) -> None:
    page, violations = _session(browser, live_server, analyst, "vi")
    page.goto(f"{live_server.url}/phan-hoi/theo-doi-hieu-qua/")
    assert page.locator("#chart-pickups-empty").is_visible()
    assert page.locator("#chart-tone-empty").is_visible()
    assert page.locator("#chart-pickups").count() == 0
    assert not violations, violations
    page.context.close()
