from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import login

pytestmark = pytest.mark.django_db

VI_NAV = ["Theo dõi", "Đo lường", "Phản hồi", "Quảng bá", "Điều phối"]
EN_NAV = ["Monitor", "Measure", "Respond", "Publish", "Coordinate"]


def test_vietnamese_first_then_english_after_switch(client: Client, officer_lam_dong) -> None:
    login(client, officer_lam_dong)
    page = client.get("/").content.decode()
    assert all(label in page for label in VI_NAV)
    assert 'lang="vi"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
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
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Theo dõi" in page and 'lang="vi"' in page
