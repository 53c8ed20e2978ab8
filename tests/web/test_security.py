from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_wrong_password_gives_a_clear_message(client: Client, officer_lam_dong) -> None:
    response = client.post(
        "/dang-nhap/", {"username": officer_lam_dong.username, "password": "nope"}
    )
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_account_locks_after_repeated_failures(client: Client, officer_lam_dong, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/dang-nhap/", {"username": officer_lam_dong.username, "password": "nope"})
    # the right password no longer works from the address that kept failing...
    response = client.post(
        "/dang-nhap/", {"username": officer_lam_dong.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Tài khoản tạm khóa" in response.content.decode()
    # ...but the account's owner elsewhere is not locked out by someone else's guessing
    # (issue 10, finding 12: anyone could lock any account, the administrator's included)
    elsewhere = Client().post(
        "/dang-nhap/",
        {"username": officer_lam_dong.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.99",
    )
    assert elsewhere.status_code == 302


def test_one_address_spraying_many_accounts_is_stopped(
    officer_lam_dong, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TTDN_LOGIN_ADDRESS_LIMIT", "6")
    sprayer = Client(REMOTE_ADDR="198.51.100.7")
    # one guess at each of six accounts: no account reaches its own limit
    for n in range(6):
        answer = sprayer.post("/dang-nhap/", {"username": f"user{n}", "password": "Summer2026"})
        assert answer.status_code == 200
    # the address is now refused, even with a real account's right password
    refused = sprayer.post(
        "/dang-nhap/", {"username": officer_lam_dong.username, "password": PASSWORD}
    )
    assert refused.status_code == 429
    # other addresses are not affected
    other = Client(REMOTE_ADDR="198.51.100.8").post(
        "/dang-nhap/", {"username": officer_lam_dong.username, "password": PASSWORD}
    )
    assert other.status_code == 302


def test_forms_require_csrf(officer_lam_dong) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/dang-nhap/", {"username": officer_lam_dong.username, "password": PASSWORD}
    )
    assert response.status_code == 403


def test_session_cookie_is_secure_over_https(client: Client, officer_lam_dong) -> None:
    response = client.post(
        "/dang-nhap/", {"username": officer_lam_dong.username, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True


def test_session_cookie_over_plain_http_is_not_marked_secure(
    client: Client, officer_lam_dong
) -> None:
    response = client.post(
        "/dang-nhap/", {"username": officer_lam_dong.username, "password": PASSWORD}
    )
    assert not response.cookies["sessionid"]["secure"]


def test_debug_is_off_by_default(settings) -> None:
    assert settings.DEBUG is False


def test_robots_txt_keeps_crawlers_out_of_the_staff_interface(client: Client) -> None:
    import urllib.robotparser

    response = client.get("/robots.txt")
    assert response.status_code == 200
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(response.content.decode().splitlines())
    assert robots.can_fetch("ttdn", "http://h/demo/feeds/danes-vi.xml")
    assert robots.can_fetch("ttdn", "http://h/api/open/stories")
    assert not robots.can_fetch("ttdn", "http://h/theo-doi/")
