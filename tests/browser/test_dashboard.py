"""The Measure dashboard in a real headless Chromium: log in, filter, see charts drawn."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD
from tests.measure.conftest import world  # noqa: F401 - the hand-countable data set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# non-white pixels on a chart's canvas: an empty canvas has none
INK = """(canvas) => {
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) ink++;
  }
  return ink;
}"""


def test_dashboard_filters_and_draws_charts(live_server, page, officer_lam_dong, world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(f"{live_server.url}/do-luong/")
    page.get_by_label("Tên đăng nhập").fill(officer_lam_dong.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/do-luong/")
    assert page.get_by_role("heading", name="Đo lường", exact=True).is_visible()

    # an absurd period is refused with a message, not an error page
    page.get_by_label("Từ ngày").fill("2025-03-16")
    page.get_by_label("Đến ngày").fill("2025-03-03")
    page.get_by_role("button", name="Áp dụng bộ lọc").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    assert "Đến ngày" in page.get_by_role("alert").inner_text()

    page.get_by_label("Từ ngày").fill("2025-03-03")
    page.get_by_label("Đến ngày").fill("2025-03-16")
    page.get_by_label("Gộp theo").select_option("day")
    page.get_by_role("button", name="Áp dụng bộ lọc").click()
    page.wait_for_url("**date_from=2025-03-03**")

    volume = page.locator("#panel-volume")
    volume.locator("xpath=self::*[@data-rendered='chart']").wait_for(timeout=20_000)
    canvas = volume.locator(".chart canvas").first
    assert canvas.is_visible()
    assert canvas.evaluate(INK) > 500
    for key in ["share_of_voice", "tone", "top_stories", "coverage_by_country", "province"]:
        panel = page.locator(f"#panel-{key}")
        panel.locator("xpath=self::*[@data-rendered='chart']").wait_for(timeout=20_000)
        assert panel.locator(".chart canvas").first.evaluate(INK) > 200, key
    # the province panel opened on the officer's own province
    assert page.locator("#panel-province .province-name").inner_text() == "Lâm Đồng"
    # the data table behind the chart, for screen readers and for checking numbers
    volume.locator("summary").click()
    assert volume.locator("table tbody tr").count() == 14

    # SVG download works in the browser
    with page.expect_download() as download:
        volume.get_by_role("button", name="Tải ảnh SVG").click()
    assert download.value.suggested_filename == "volume.svg"

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "measure-dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.exists() and shot.stat().st_size > 30_000
