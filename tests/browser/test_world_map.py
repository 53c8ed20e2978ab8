"""The coverage world map in a real Chromium draws Hoàng Sa and Trường Sa as Viet Nam's."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD
from tests.measure.conftest import world  # noqa: F401 - the hand-countable data set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the drawn chart holds: the archipelago markers' names, and whether the point of each
# archipelago falls inside the region the map draws for Vietnam (ECharts' own hit test).
DRAWN = """(el) => {
  const chart = echarts.getInstanceByDom(el);
  const markers = chart.getOption().series.find((s) => s.type === 'scatter');
  const geo = chart.getModel().getComponent('geo', 0).coordinateSystem;
  const regionAt = (coord) => {
    const hit = geo.regions.find((r) => r.contain(coord));
    return hit ? hit.name : null;
  };
  // Phú Lâm (Hoàng Sa) and Song Tử Tây (Trường Sa)
  const islands = [[112.34, 16.83], [114.33, 11.43]].map(regionAt);
  return {names: markers.data.map((d) => d.name), islands};
}"""

ZOOM = """(el) => {
  const chart = echarts.getInstanceByDom(el);
  chart.setOption({geo: {center: [110, 14], zoom: 7}});
  return true;
}"""


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("vi", ["Quần đảo Hoàng Sa (Việt Nam)", "Quần đảo Trường Sa (Việt Nam)"]),
        ("en", ["Paracel Islands (Viet Nam)", "Spratly Islands (Viet Nam)"]),
    ],
)
def test_world_map_draws_the_archipelagos_as_vietnam(  # type: ignore[no-untyped-def]
    live_server,
    page,
    analyst,
    world,  # noqa: F811
    language,
    labels,
) -> None:
    page.goto(f"{live_server.url}/dang-nhap/?next=/do-luong/")
    page.get_by_label("Tên đăng nhập").fill(analyst.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/do-luong/")
    if language == "en":
        page.locator("#lang-select").select_option("en")
        page.locator("#lang-submit").click()
        page.wait_for_load_state()
    page.goto(f"{live_server.url}/do-luong/?date_from=2025-03-03&date_to=2025-03-16")
    panel = page.locator("#panel-coverage_by_country")
    panel.locator("xpath=self::*[@data-rendered='chart']").wait_for(timeout=20_000)
    drawn = panel.locator(".chart").evaluate(DRAWN)
    assert drawn["names"] == labels
    assert drawn["islands"] == ["VN", "VN"]

    panel.locator(".chart").evaluate(ZOOM)
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"world-map-archipelagos-{language}.png"
    panel.screenshot(path=str(shot))
    assert shot.exists() and shot.stat().st_size > 10_000
