"""Alerts in a real headless Chromium: log in, create a rule through the form, see it listed."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD
from ttdn.alerts.models import AlertRule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_an_alert_rule_and_see_it_listed(live_server, page, officer_lam_dong) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/canh-bao/quy-tac/")
    page.get_by_label("Tên đăng nhập").fill(officer_lam_dong.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/canh-bao/quy-tac/")
    nav = page.get_by_role("navigation", name="Các phân hệ")
    assert nav.get_by_role("link", name="Cảnh báo").is_visible()
    assert page.get_by_text("Chưa có quy tắc cảnh báo nào.").is_visible()

    page.get_by_role("link", name="Tạo quy tắc mới").click()
    page.wait_for_url("**/canh-bao/quy-tac/moi/")
    page.get_by_label("Tên quy tắc").fill("Sạt lở ở Lâm Đồng")
    # the officer may only choose their own organisation
    assert page.get_by_label("Đơn vị sở hữu").locator("option").all_inner_texts()[-1] == "Lâm Đồng"
    page.get_by_label("Đơn vị sở hữu").select_option(label="Lâm Đồng")
    page.get_by_label("Từ khóa", exact=True).fill("sat lo\nLam Dong")
    page.get_by_label("Cách khớp từ khóa").select_option("all")
    page.get_by_label("Địa danh", exact=True).fill("Lâm Đồng")
    page.get_by_label("Sắc thái không quá").fill("-0.2")
    page.get_by_label("Quốc tế", exact=True).check()
    page.get_by_label("Gửi thư điện tử tới").fill("so-ttt@lamdong.example")
    page.get_by_role("button", name="Lưu quy tắc").click()
    page.wait_for_url(f"{live_server.url}/canh-bao/quy-tac/")

    assert page.get_by_role("status").inner_text().startswith("Đã tạo quy tắc cảnh báo")
    row = page.locator("#rules tbody tr")
    assert row.count() == 1
    assert row.get_by_role("link", name="Sạt lở ở Lâm Đồng").is_visible()
    assert "Lâm Đồng" in row.inner_text() and "lam-dong" in row.inner_text()
    rule = AlertRule.objects.get()
    assert rule.organisation == officer_lam_dong.organisation
    assert rule.keywords == ["sat lo", "Lam Dong"] and rule.keyword_mode == "all"
    assert rule.source_kinds == ["international"] and rule.tone_at_most == -0.2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "alert-rules.png"), full_page=True)
