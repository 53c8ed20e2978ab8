"""The analyst's cockpit in a real Chromium, in Vietnamese and English: the morning overview
(map drawn, drill-down by the map's table), the story list's filters (language included)
and sort, a story page that says why it matters, search snippets — each page checked with
axe-core (vendored, injected from tests/browser/vendor: never a CDN) for serious or critical
violations, and a screenshot of each kept in the test artifacts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, ReportFactory, SourceFactory, StoryFactory
from tests.measure.conftest import world  # noqa: F401 - the hand-countable data set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
  });
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" "))}));
}"""


def _axe(page: Any, name: str) -> list[dict[str, Any]]:
    """Serious and critical violations on the page (all of them saved as an artifact)."""
    violations = page.evaluate(AXE_RUN)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(
        json.dumps(violations, indent=1, ensure_ascii=False)
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"cockpit-{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000


@pytest.fixture
def rising(world):  # type: ignore[no-untyped-def]  # noqa: F811
    """Two stories growing now (the world itself lies in March 2025)."""
    now = timezone.now()
    stories = []
    for title, country, language, hours in (
        ("Hội An lantern festival draws record crowds", "JP", "en", (1, 2, 3, 5)),
        ("Le café vietnamien conquiert Paris", "FR", "fr", (2, 4)),
    ):
        story = StoryFactory(title=title, language=language, first_seen_at=now, last_seen_at=now)
        source = SourceFactory(country=country, name=f"Outlet {country}", languages=[language])
        for h in hours:
            ReportFactory(
                story=story,
                source=source,
                language=language,
                title=f"{title} ({h})",
                text=f"{title}. Du khách đổ về Đà Lạt và Hội An.",
                published_at=now - dt.timedelta(hours=h),
                tone_score=0.4,
                tone_label="positive",
                is_relevant=True,
            )
        story.report_count = len(hours)
        story.tone_mean = 0.4
        story.save()
        stories.append(story)
    return stories


def _login(page: Any, live_server: Any, user: Any, language: str) -> None:
    page.context.add_init_script(path=str(AXE))  # runs outside the page's CSP
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/tong-quan/")
    if language == "en":
        page.select_option("#lang-select", "en")
        page.click("#lang-submit")
        page.wait_for_selector("html[lang=en]")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_cockpit_pages_work_and_pass_axe(  # type: ignore[no-untyped-def]
    live_server,
    page,
    analyst,
    world,  # noqa: F811
    rising,
    language,
) -> None:
    words = {
        "vi": {
            "overview": "Tổng quan buổi sáng",
            "why": "Vì sao đáng chú ý",
            "french": "Tiếng Pháp",
        },
        "en": {"overview": "Morning overview", "why": "Why it matters", "french": "French"},
    }[language]
    _login(page, live_server, analyst, language)
    failures: dict[str, list[dict[str, Any]]] = {}

    # the morning overview: tiles, rising stories with sparklines, the map drawn
    page.goto(f"{live_server.url}/tong-quan/")
    assert words["overview"] in page.locator("h1").inner_text()
    assert page.locator("#kpis .kpi").count() >= 6  # five figures and the alerts tile
    rows = page.locator("#rising tbody tr")
    assert rows.count() == 2 and "Hội An lantern" in rows.first.inner_text()
    assert page.locator("#rising svg.sparkline").count() == 2
    panel = page.locator("#panel-coverage_by_country")
    panel.locator("xpath=self::*[@data-rendered='chart']").wait_for(timeout=20_000)
    # the checker itself: an image without a text alternative is caught (then removed)
    page.evaluate("() => { const i = document.createElement('img'); i.id = 'axe-probe';"
                  " i.src = 'data:,'; document.querySelector('main').append(i); }")  # fmt: skip
    assert "image-alt" in {v["id"] for v in _axe(page, f"probe-{language}")}
    page.evaluate("() => document.getElementById('axe-probe').remove()")
    failures["overview"] = _axe(page, f"overview-{language}")
    _shot(page, f"overview-{language}")
    # drill-down through the map's data table: country → outlets → stories
    panel.locator(".table-holder a", has_text="Nhật Bản" if language == "vi" else "Japan").click()
    page.wait_for_url("**/tong-quan/quoc-gia/JP/**")
    assert "Hội An lantern" in page.locator("#outlets").inner_text()
    failures["country"] = _axe(page, f"country-{language}")

    # the story list: filter by language (by its name), then sort by growth
    page.goto(f"{live_server.url}/theo-doi/")
    page.locator("#stories tbody tr").first.wait_for()
    page.select_option("#f-lang", label=words["french"])
    page.locator("#story-filters button[type=submit]").click()
    page.wait_for_url("**lang=fr**")
    titles = page.locator("#stories tbody tr .story-title").all_inner_texts()
    assert titles and all(t.startswith(("Le café", "Réforme administrative")) for t in titles), (
        titles
    )
    page.locator("#sort-growth").click()
    page.wait_for_url("**sort=growth**")
    assert page.locator("#stories tbody tr").first.inner_text().startswith("Le café")
    assert page.locator("th[aria-sort=descending] #sort-growth").count() == 1
    failures["stories"] = _axe(page, f"stories-{language}")
    _shot(page, f"stories-{language}")

    # a story page says why it matters
    page.locator("#stories tbody tr .story-title a").first.click()
    page.locator("#why").wait_for()
    assert words["why"] in page.locator("#why h2").inner_text()
    page.locator("#panel-story_tone[data-rendered]").wait_for(timeout=20_000)
    failures["story"] = _axe(page, f"story-{language}")
    _shot(page, f"story-{language}")

    # search shows why a report matched
    page.goto(f"{live_server.url}/do-luong/tim-kiem/?q=da+lat")
    marks = page.locator("#report-list .snippet mark")
    marks.first.wait_for()
    assert {m.lower() for m in marks.all_inner_texts()} >= {"đà", "lạt"}
    assert page.locator("#facets [data-facet=language] li").count() >= 2
    failures["search"] = _axe(page, f"search-{language}")
    _shot(page, f"search-{language}")

    assert not any(failures.values()), json.dumps(failures, indent=1, ensure_ascii=False)
