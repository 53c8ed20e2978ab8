from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

import ttdn
from tests.conftest import login

pytestmark = pytest.mark.django_db

VI_NAV = ["Theo dõi", "Đo lường", "Phản hồi", "Quảng bá", "Điều phối"]
EN_NAV = ["Monitor", "Measure", "Respond", "Publish", "Coordinate"]


def test_vietnamese_first_then_english_after_switch(client: Client, officer_lam_dong) -> None:
    login(client, officer_lam_dong)
    page = client.get("/nen-tang/").content.decode()
    assert all(label in page for label in VI_NAV)
    assert 'lang="vi"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/nen-tang/"})
    assert response.status_code == 302
    page = client.get("/nen-tang/").content.decode()
    assert all(label in page for label in EN_NAV), page[:2000]
    assert 'lang="en"' in page
    # the choice persists in a long-lived cookie, so it survives a new session
    assert client.cookies["django_language"]["max-age"] >= 30 * 24 * 3600


def test_empty_states_say_what_will_appear(client: Client, officer_lam_dong) -> None:
    login(client, officer_lam_dong)
    page = client.get("/theo-doi/").content.decode()
    assert "Chưa có bài báo nào" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/theo-doi/").content.decode()
    assert "No articles yet" in page


def test_organisations_page_lists_units_and_former_units(client: Client, officer_lam_dong) -> None:
    login(client, officer_lam_dong)
    page = client.get("/to-chuc/").content.decode()
    assert "34 đơn vị hành chính cấp tỉnh" in page
    assert "28 tỉnh, 6 thành phố" in page
    assert "Đắk Nông" in page and "Bình Thuận" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/to-chuc/").content.decode()
    assert "34 provincial-level units" in page


def test_browser_language_does_not_override_vietnamese_first(
    client: Client, officer_lam_dong
) -> None:
    login(client, officer_lam_dong)
    page = client.get("/nen-tang/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Theo dõi" in page and 'lang="vi"' in page


# --- "Bảng số liệu" is a data table, the dashboard is "Bảng điều khiển" --------------------

CATALOGUES = sorted(Path(ttdn.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po"))
TABLE_VI = "bảng số liệu"  # a table of numbers (under each chart, on a story's page)


def _english_messages() -> list[tuple[str, str, str]]:
    """(catalogue, Vietnamese msgid, English) for every translated message."""
    out = []
    for path in CATALOGUES:
        with path.open("rb") as handle:
            for message in read_po(handle, locale="en"):
                if not message.id or not message.string:
                    continue
                vi = message.id if isinstance(message.id, str) else message.id[0]
                en = message.string if isinstance(message.string, str) else message.string[0]
                out.append((path.parts[-5], vi, en))
    return out


def test_data_table_strings_are_tables_in_english() -> None:
    with translation.override("en"):
        assert gettext("Bảng số liệu") == "Data table"
        assert gettext("Bảng số liệu chi tiết") == "Detailed data table"
        assert gettext("Bảng điều khiển") == "Dashboard"
        assert "dashboard" in gettext("Xem biểu đồ trên bảng điều khiển")
        no_chart = gettext("Không tải được thư viện biểu đồ; xem bảng số liệu bên dưới.")
        assert "data table" in no_chart


def test_no_table_is_called_a_dashboard_in_any_catalogue() -> None:
    messages = _english_messages()
    assert {app for app, _vi, _en in messages} >= {"ttdn", "reports"}
    for app, vi, en in messages:
        if TABLE_VI in vi.lower():
            assert "dashboard" not in en.lower(), (app, vi, en)
            assert "table" in en.lower(), (app, vi, en)
    # one Vietnamese string (or its sentences) for the dashboard, never a table's words
    dashboards = {vi for _app, vi, en in messages if en.strip().lower() == "dashboard"}
    assert dashboards == {"Bảng điều khiển"}
    for app, vi, en in messages:
        if "dashboard" in en.lower():
            assert TABLE_VI not in vi.lower(), (app, vi, en)


def test_dashboard_nav_and_data_tables_in_both_languages(client: Client, analyst) -> None:
    login(client, analyst)
    period = {"date_from": "2025-03-03", "date_to": "2025-03-16"}
    page = client.get("/do-luong/", period).content.decode()
    assert "Bảng điều khiển</a>" in page
    assert "<summary>Bảng số liệu</summary>" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/do-luong/", period).content.decode()
    assert "Dashboard</a>" in page
    assert "<summary>Data table</summary>" in page
    assert "<summary>Dashboard</summary>" not in page
