"""Search in a real headless Chromium: an accent-free query finds Vietnamese text, a filter
narrows it, the search is saved for the organisation, and the page reads right in English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, ReportFactory, SourceFactory
from ttdn.measure.models import SavedSearch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_filter_save_and_switch_language(live_server, page, officer_lam_dong) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    vn = SourceFactory(name="Báo Lâm Đồng", country="VN", kind="domestic")
    gb = SourceFactory(name="The Traveller", country="GB")
    ReportFactory(source=vn, language="vi", title="Đà Lạt đón mùa hoa dã quỳ",
                  text="Thành phố Đà Lạt rực vàng hoa dã quỳ.", published_at=now)  # fmt: skip
    ReportFactory(source=gb, language="en", title="Why Da Lat is Vietnam's favourite escape",
                  text="Pine forests draw visitors to Dalat.",
                  published_at=now - dt.timedelta(hours=2))  # fmt: skip
    ReportFactory(source=gb, language="en", title="Hue hosts its festival", text="Old capital.")

    page.goto(f"{live_server.url}/do-luong/tim-kiem/")
    page.get_by_label("Tên đăng nhập").fill(officer_lam_dong.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/do-luong/tim-kiem/")

    # no accents typed; both the Vietnamese and the English report are found, newest first
    page.get_by_label("Từ khóa", exact=True).fill("da lat")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_url("**q=da+lat**")
    results = page.locator("#report-list li")
    assert results.count() == 2
    assert results.nth(0).inner_text().startswith("Đà Lạt đón mùa hoa dã quỳ")
    assert "Why Da Lat" in results.nth(1).inner_text()
    assert page.locator("#report-count").inner_text() == "2 bài báo khớp."

    # a filter: only reports in Vietnamese
    language = page.get_by_label("Ngôn ngữ bài báo")
    if not language.is_visible():  # the filters fold away until opened
        page.locator("#search-form summary").click()
    language.fill("vi")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_url("**language=vi**")
    assert page.locator("#report-list li").count() == 1
    assert page.locator("#report-count").inner_text() == "1 bài báo khớp."

    # saved for the organisation, with its filter
    page.get_by_label("Lưu tìm kiếm này với tên").fill("Đà Lạt, tiếng Việt")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_load_state()
    saved = page.locator("#saved-searches tbody tr")
    assert saved.count() == 1 and "Đà Lạt, tiếng Việt" in saved.inner_text()
    stored = SavedSearch.objects.get()
    assert stored.organisation == officer_lam_dong.organisation
    assert stored.query == "da lat" and stored.filters.get("language") == "vi"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)

    # the same search in English
    page.goto(f"{live_server.url}/do-luong/tim-kiem/?q=da+lat")
    page.get_by_label("Ngôn ngữ", exact=True).select_option("en")
    page.get_by_role("button", name="Đổi").click()
    page.wait_for_load_state()
    assert page.locator("#report-count").inner_text() == "2 matching reports."
    assert page.get_by_role("heading", name="Reports", exact=True).is_visible()
