"""Finding 5: `ttdn run` behind an https reverse proxy (TTDN_BEHIND_PROXY=1).

The real Django application is served by a real waitress server with the options `ttdn run`
uses; the test plays the proxy (it adds X-Forwarded-* as nginx would). Login must work
(no CSRF 403), cookies must be Secure, and the audit log and rate limits must see the
address the proxy saw, not what the client wrote into X-Forwarded-For.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.factories import PASSWORD, UserFactory
from tests.servers import waitress_serving
from ttdn.audit.models import AuditAction, AuditEvent
from ttdn.server import proxy_options

pytestmark = pytest.mark.django_db(transaction=True)

HOST = "ttdn.example.org"
CLIENT = "203.0.113.9"


@pytest.fixture
def proxied(monkeypatch: pytest.MonkeyPatch, settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TTDN_BEHIND_PROXY", "1")
    monkeypatch.setenv("TTDN_TRUSTED_PROXY", "127.0.0.1")
    settings.ALLOWED_HOSTS = [HOST, "127.0.0.1"]
    # stopped so that no waitress thread keeps a database session (tests/servers.py)
    with waitress_serving(threads=2, **proxy_options()) as port:
        yield f"http://127.0.0.1:{port}"


def _as_proxy(spoofed: str = "") -> dict[str, str]:
    """What the proxy sends: it appends the peer it saw to whatever the client wrote."""
    chain = f"{spoofed}, {CLIENT}" if spoofed else CLIENT
    return {"X-Forwarded-For": chain, "X-Forwarded-Proto": "https", "X-Forwarded-Host": HOST}


def test_login_behind_an_https_proxy_works_with_secure_cookies(proxied: str) -> None:
    user = UserFactory(username="proxied-user")
    with httpx.Client(base_url=proxied, headers=_as_proxy("6.6.6.6")) as client:
        form = client.get("/dang-nhap/")
        assert form.status_code == 200
        assert "secure" in form.headers["set-cookie"].lower()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert token is not None
        # the cookie jar keeps Secure cookies off this plain-http hop; the browser, on https,
        # would send it: so does the test
        cookie = form.headers["set-cookie"].split(";", 1)[0]
        client.cookies.clear()
        answer = client.post(
            "/dang-nhap/",
            data={"username": user.username, "password": PASSWORD,
                  "csrfmiddlewaretoken": token.group(1)},
            headers={"Origin": f"https://{HOST}", "Referer": f"https://{HOST}/dang-nhap/",
                     "Cookie": cookie},
        )  # fmt: skip
        assert answer.status_code == 302, answer.text[:300]
        session = [c for c in answer.headers.get_list("set-cookie") if c.startswith("sessionid")]
        assert session and "secure" in session[0].lower()
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN).latest("pk")
    assert event.ip_address == CLIENT  # the trusted hop, not the spoofed 6.6.6.6


def test_proxy_headers_from_an_untrusted_peer_are_ignored(
    proxied: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = {**proxy_options(), "trusted_proxy": "192.0.2.1"}
    with (
        waitress_serving(threads=1, **options) as port,
        httpx.Client(base_url=f"http://127.0.0.1:{port}") as client,
    ):
        page = client.get("/dang-nhap/", headers={**_as_proxy(), "Host": "127.0.0.1"})
    assert page.status_code == 200
    assert "secure" not in page.headers["set-cookie"].lower()


def test_without_the_setting_waitress_gets_no_proxy_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TTDN_BEHIND_PROXY", raising=False)
    assert proxy_options() == {}


def test_audit_address_is_never_the_client_written_forwarded_for(settings) -> None:  # type: ignore[no-untyped-def]
    from ttdn.audit.context import client_ip

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    meta = {"REMOTE_ADDR": CLIENT, "HTTP_X_FORWARDED_FOR": "6.6.6.6, " + CLIENT}
    assert client_ip(meta) == CLIENT
