from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_switch_language_and_see_navigation(live_server, page, officer_lam_dong) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/nen-tang/")
    assert "/dang-nhap/" in page.url
    page.get_by_label("Tên đăng nhập").fill(officer_lam_dong.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/nen-tang/")

    nav = page.get_by_role("navigation", name="Các phân hệ")
    for label in ["Theo dõi", "Đo lường", "Phản hồi", "Quảng bá", "Điều phối"]:
        assert nav.get_by_role("link", name=label).is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-vi.png"))

    # keyboard only: the language switch is reachable and usable without a mouse
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi").press("Enter")
    page.wait_for_load_state()
    nav = page.get_by_role("navigation", name="Modules")
    for label in ["Monitor", "Measure", "Respond", "Publish", "Coordinate"]:
        assert nav.get_by_role("link", name=label).is_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=str(ARTIFACTS / "home-en.png"))

    # the choice persists across pages and into the organisations list
    page.get_by_role("link", name="Organisations").click()
    assert page.get_by_role("heading", name="Organisations").is_visible()
    assert "34 provincial-level units" in page.content()
    assert page.locator("#units tbody tr").count() == 34
