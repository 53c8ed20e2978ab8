"""The story page in a real Chromium: tone over time drawn, CSV downloaded, places listed."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import INK
from tests.factories import PASSWORD
from tests.monitor.test_story_page import story  # noqa: F401 - four reports, places, dimensions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_story_page_draws_tone_over_time_and_lists_places(  # type: ignore[no-untyped-def]
    live_server,
    page,
    analyst,
    story,  # noqa: F811
) -> None:
    page.goto(f"{live_server.url}/dang-nhap/?next=/theo-doi/cau-chuyen/{story.pk}/")
    page.get_by_label("Tên đăng nhập").fill(analyst.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**/theo-doi/cau-chuyen/{story.pk}/")

    panel = page.locator("#panel-story_tone")
    panel.locator("xpath=self::*[@data-rendered='chart']").wait_for(timeout=20_000)
    assert panel.locator(".chart canvas").first.evaluate(INK) > 500
    panel.locator("summary").click()
    assert panel.locator("table tbody tr").count() == 4

    with page.expect_download() as download:
        panel.get_by_role("link", name="Tải dữ liệu CSV").click()
    assert download.value.suggested_filename == f"story-{story.pk}-tone-by-hour.csv"
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        assert handle.readline().strip() == "bucket,reports,mean_tone,pct_positive,pct_negative"

    provinces = page.locator("#story-provinces")
    assert provinces.get_by_role("row").nth(1).inner_text().startswith("Lâm Đồng\t3")
    assert "Đắk Nông" in provinces.inner_text()
    assert "Quản trị" in page.locator("#story-dimensions").inner_text()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "story-page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.exists() and shot.stat().st_size > 30_000
