"""What a new user saw on every page (issue 15, "Seen"): each one, in both languages."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.conftest import login
from tests.measure.conftest import world  # noqa: F401 - the shared hand-countable world
from ttdn.collation import vi_sort_key
from ttdn.demo.corpus import FEEDS
from ttdn.demo.services import demo_feeds_follow, demo_sources_load
from ttdn.monitor.models import Feed
from ttdn.web.labels import changes_text

pytestmark = pytest.mark.django_db


def _english(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_monitor_language_filter_offers_names_not_dicts(client: Client, analyst, world) -> None:  # noqa: F811
    login(client, analyst)
    page = client.get("/theo-doi/").content.decode()
    assert "{&#x27;bidi&#x27;" not in page and "{'bidi'" not in page
    assert '<option value="fr" >tiếng Pháp</option>' in page or 'value="fr"' in page
    assert "Tiếng Pháp" in page or "tiếng Pháp" in page
    filtered = client.get("/theo-doi/", {"lang": "fr"}, HTTP_ACCEPT="application/json").json()
    assert [s["id"] for s in filtered["stories"]] == [world.stories["st2"].pk]
    # the interface language switcher still lists both interface languages
    assert 'value="en"' in page and "English" in page


def test_story_page_words_not_codes_and_real_plurals(client: Client, analyst, world) -> None:  # noqa: F811
    login(client, analyst)
    story = world.stories["st2"]
    page = client.get(f"/theo-doi/cau-chuyen/{story.pk}/").content.decode()
    assert "Tiêu cực" in page and ">negative<" not in page
    _english(client)
    page = client.get(f"/theo-doi/cau-chuyen/{story.pk}/").content.decode()
    assert "2 reports, 2 of them original" in page
    assert "Negative" in page and ">negative<" not in page
    assert "original reports)" not in page
    assert "France" in page  # the outlet's country by name


def test_collation_puts_d_stroke_after_d() -> None:
    names = ["Đồng Nai", "Điện Biên", "Cần Thơ", "Hà Nội", "Đà Nẵng", "Đắk Lắk", "Zeta", "Da"]
    assert sorted(names, key=vi_sort_key) == [
        "Cần Thơ", "Da", "Đà Nẵng", "Đắk Lắk", "Điện Biên", "Đồng Nai", "Hà Nội", "Zeta",
    ]  # fmt: skip
    # tones break ties only: a < à < ả < ã < á < ạ, then ă
    assert sorted(["bă", "bạ", "bá", "ba", "bà"], key=vi_sort_key) == ["ba", "bà", "bá", "bạ", "bă"]


def test_organisations_in_vietnamese_order_and_english_names(client: Client, analyst) -> None:
    login(client, analyst)
    page = client.get("/to-chuc/").content.decode()
    assert page.index("Đồng Tháp") < page.index("Gia Lai") < page.index("Hà Nội")
    assert page.index("Điện Biên") > page.index("Đà Nẵng")
    _english(client)
    page = client.get("/do-luong/").content.decode()
    assert ">Ho Chi Minh City<" in page or "Ho Chi Minh City" in page


def test_audit_changes_read_as_text() -> None:
    assert changes_text({"title": ["A", "B"], "status": ["open", "done"]}) == (
        "title: A → B; status: open → done"
    )
    assert changes_text({"after": {"name": "X", "note": ""}}) == "name: X"
    assert changes_text({}) == "—"


def test_audit_page_has_no_raw_dicts(client: Client, administrator, analyst) -> None:
    login(client, administrator)
    client.post("/dieu-phoi/nhiem-vu/moi/", {})  # nothing stored; the login is audited
    page = client.get("/nhat-ky/").content.decode()
    assert "{&#x27;" not in page


@override_settings(DEBUG=False)
def test_error_pages_are_branded_translated_and_navigable(client: Client, officer_lam_dong) -> None:
    login(client, officer_lam_dong)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert (
        "Không tìm thấy trang" in page and 'href="/theo-doi/"' in page and "Nền tảng TTĐN" in page
    )
    response = client.get("/nhat-ky/")  # administrators only
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()
    _english(client)
    page = client.get("/khong-co-trang-nay/").content.decode()
    assert "Page not found" in page and "Back to the overview" in page


def test_admin_is_branded_in_both_languages(client: Client, administrator) -> None:
    login(client, administrator)
    page = client.get("/quan-tri/").content.decode()
    assert "Quản trị Nền tảng TTĐN" in page and "Django" not in page.split("<body")[1][:3000]
    assert "nhật ký thu thập" in page.lower() and "lần thử đăng nhập" in page.lower()
    _english(client)
    page = client.get("/quan-tri/").content.decode()
    assert "TTĐN Platform administration" in page


def test_favicon_is_ours(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("ttdn/favicon.svg")


def test_staff_api_errors_one_format_one_language(client: Client, analyst) -> None:
    login(client, analyst)
    response = client.get("/api/measure/search")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {"q": ["Thiếu tham số bắt buộc."]}
    assert body["detail"].startswith("Tham số không hợp lệ.")
    _english(client)
    body = client.get("/api/measure/search", {"q": "x", "top": "many"}).json()
    body = client.get("/api/measure/search").json()
    assert body["errors"] == {"q": ["This parameter is required."]}


def test_open_api_errors_never_mix_languages(client: Client, db) -> None:
    body = client.get("/api/open/reports", {"bucket": "year", "limit": "many"}).json()
    text = body["detail"] + str(body["errors"])
    for english in ("Input should", "valid integer", "field required"):
        assert english not in text
    assert "bucket" in body["errors"] and "limit" in body["errors"]


def test_demo_sources_follow_the_port_and_setup_twice_adds_nothing(monkeypatch, db) -> None:
    monkeypatch.delenv("TTDN_DEMO_BASE_URL", raising=False)
    monkeypatch.setenv("TTDN_PORT", "8000")
    assert demo_sources_load() == len(FEEDS)
    assert demo_sources_load() == 0
    assert Feed.objects.count() == len(FEEDS)
    monkeypatch.setenv("TTDN_PORT", "8001")
    demo_sources_load()
    assert Feed.objects.count() == len(FEEDS)
    assert all(":8001/demo/feeds/" in f.url for f in Feed.objects.all())
    assert demo_feeds_follow(port=8123) == len(FEEDS)
    assert all(f.url.startswith("http://127.0.0.1:8123/") for f in Feed.objects.all())
    monkeypatch.setenv("TTDN_DEMO_BASE_URL", "https://ttdn.example.org/")
    demo_feeds_follow(port=8123)
    assert all(f.url.startswith("https://ttdn.example.org/demo/") for f in Feed.objects.all())


def test_server_error_page_is_branded_and_never_fails_in_turn(rf, officer_lam_dong) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    from ttdn.web.errors import server_error

    request = rf.get("/theo-doi/")
    request.user = officer_lam_dong
    response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Đã có lỗi ở máy chủ" in page and 'href="/tong-quan/"' in page
    broken = rf.get("/")  # no user, no session: the layout cannot be drawn
    broken.user = AnonymousUser()
    del broken.user
    response = server_error(broken)
    assert response.status_code == 500 and "Đã có lỗi ở máy chủ" in response.content.decode()
