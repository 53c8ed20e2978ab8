"""Respond's follow-up panel on Measure's dashboard in a real headless Chromium: central sees
every organisation's cases, a province only its own; the charts are drawn (SVG, by the same
script as the follow-up page) in Vietnamese and English, under the CSP."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_respond_followup import TITLE, WORDS, _published_case, _session
from tests.factories import UserFactory
from ttdn.accounts.models import Role
from ttdn.respond import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OTHER = "Tin đồn cây cầu ở Hà Nội"
# generous: the machine may be very busy; the waits end as soon as the charts are drawn
WAIT_MS = 120_000


def _other_province_case(organisations) -> None:  # type: ignore[no-untyped-def]
    hanoi = organisations["ha-noi"]
    author = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=hanoi)
    claim = services.claim_create(
        user=author, organisation=hanoi, text="A bridge in Hanoi collapsed on Monday."
    )
    services.case_create(
        user=author, organisation=hanoi, title=OTHER, claims=[claim], severity="low"
    )


def _panel(page):  # type: ignore[no-untyped-def]
    panel = page.locator("#panel-respond-followup")
    panel.wait_for(timeout=WAIT_MS)
    return panel


@pytest.mark.parametrize("language", ["vi", "en"])
def test_central_sees_every_case_a_province_its_own(  # type: ignore[no-untyped-def]
    browser, live_server, organisations, analyst, language
) -> None:
    _published_case(organisations)
    _other_province_case(organisations)
    words = WORDS[language]

    page, violations = _session(browser, live_server, analyst, language)
    page.goto(f"{live_server.url}/do-luong/")
    panel = _panel(page)
    for chart in ("#respond-chart-pickups", "#respond-chart-tone", "#respond-chart-met"):
        page.wait_for_selector(f"{chart}[data-ready='1'] svg", timeout=WAIT_MS)
    assert words["pickups"] in page.locator("#respond-chart-pickups svg").inner_html()
    assert TITLE in page.locator("#respond-chart-tone svg").inner_html()
    drawn = json.loads(page.locator("#respond-followup-data").text_content() or "{}")
    assert drawn["pickups"] == {"cases": [TITLE], "values": [2], "label": words["pickups"]}
    count = panel.locator("#respond-followup-count").inner_text()
    assert count.startswith("2 ")
    panel.locator("details.data-table summary").click()
    table = panel.locator("#respond-followup-table").inner_text()
    assert TITLE in table and OTHER in table
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"respond-dashboard-{language}.png"), full_page=True)
    page.context.close()
    assert not violations, violations

    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["ha-noi"])
    page, violations = _session(browser, live_server, officer, language)
    page.goto(f"{live_server.url}/do-luong/")
    panel = _panel(page)
    page.wait_for_selector("#respond-chart-met[data-ready='1'] svg", timeout=WAIT_MS)
    assert panel.locator("#respond-followup-count").inner_text().startswith("1 ")
    assert panel.locator("#respond-chart-pickups-empty").is_visible()
    panel.locator("details.data-table summary").click()
    table = panel.locator("#respond-followup-table").inner_text()
    assert OTHER in table and TITLE not in table
    assert TITLE not in page.content()
    page.context.close()
    assert not violations, violations
