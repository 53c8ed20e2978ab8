"""Periodic reports in a real headless Chromium: request one, watch it finish, download it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD
from tests.measure.conftest import world  # noqa: F401 - the hand-countable data set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reports_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path


def test_request_progress_and_download(  # type: ignore[no-untyped-def]
    live_server,
    page,
    officer_lam_dong,
    world,  # noqa: F811
    tmp_path,
) -> None:
    page.goto(f"{live_server.url}/do-luong/bao-cao/")
    page.get_by_label("Tên đăng nhập").fill(officer_lam_dong.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/do-luong/bao-cao/")
    assert page.get_by_role("heading", name="Báo cáo định kỳ", exact=True).is_visible()

    # a period that has not started is refused on the page, with the reason
    page.get_by_label("Loại báo cáo").first.select_option("annual")
    page.get_by_label("Năm", exact=True).fill("2099")
    page.locator("#report-submit").click()
    page.wait_for_load_state()
    assert "Kỳ báo cáo chưa bắt đầu" in page.get_by_role("alert").first.inner_text()

    page.get_by_label("Loại báo cáo").first.select_option("six_month")
    page.get_by_label("Năm", exact=True).fill("2025")
    page.get_by_label("Nửa năm").select_option("1")
    page.locator("#report-submit").click()
    page.wait_for_url("**/do-luong/bao-cao/?moi=*")
    row = page.locator("tr.report-row.is-new")
    assert "Báo cáo 6 tháng đầu năm 2025 — Lâm Đồng" in row.inner_text()
    # the page polls the job until it is done, then shows the links
    row.locator("a.dl-pdf").wait_for(timeout=90_000)
    assert row.locator(".status-label").inner_text() == "Hoàn thành"

    with page.expect_download() as download:
        row.locator("a.dl-pdf").click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(saved).read_bytes().startswith(b"%PDF")
    with page.expect_download() as download:
        row.locator("a.dl-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reports-archive.png"), full_page=True)
