"""Finding 7: Content-Security-Policy on every page (scripts only from this site, nonce for
inline ones), HSTS once HTTPS is on, plus the headers that were already there."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import login
from tests.factories import ReportFactory, StoryFactory

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize(
    "path", ["/", "/dang-nhap/", "/theo-doi/", "/do-luong/", "/canh-bao/", "/api/open/docs"]
)
def test_every_page_has_a_strict_script_policy(client: Client, analyst, path: str) -> None:  # type: ignore[no-untyped-def]
    response = login(client, analyst).get(path)
    assert response.status_code in (200, 302), (path, response.status_code)
    policy = _csp(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_inline_scripts_carry_the_nonce_of_their_response(client: Client, analyst) -> None:  # type: ignore[no-untyped-def]
    from django.template import engines

    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">1</script>')
    from csp.middleware import CSPMiddleware
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    middleware = CSPMiddleware(lambda r: None)  # type: ignore[arg-type, return-value]
    middleware.process_request(request)
    html = template.render({}, request)
    nonce = html.split('nonce="')[1].split('"')[0]
    from django.http import HttpResponse

    response = middleware.process_response(request, HttpResponse(html))
    assert f"'nonce-{nonce}'" in _csp(response)["script-src"]


def test_hsts_is_sent_over_https_when_https_is_on(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SECURE_HSTS_SECONDS = 31536000
    secure = client.get("/dang-nhap/", secure=True)
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    plain = client.get("/dang-nhap/")
    assert "Strict-Transport-Security" not in plain.headers


def test_hsts_setting_follows_ttdn_https(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from ttdn import settings as ttdn_settings

    monkeypatch.setenv("TTDN_HTTPS", "1")
    try:
        assert importlib.reload(ttdn_settings).SECURE_HSTS_SECONDS == 31536000
        monkeypatch.setenv("TTDN_HTTPS", "0")
        assert importlib.reload(ttdn_settings).SECURE_HSTS_SECONDS == 0
    finally:
        monkeypatch.delenv("TTDN_HTTPS")
        importlib.reload(ttdn_settings)


def test_a_stored_script_in_a_title_is_escaped_and_would_not_run(client: Client, analyst) -> None:  # type: ignore[no-untyped-def]
    story = StoryFactory(title="<script>alert(1)</script>")
    ReportFactory(story=story)
    page = login(client, analyst).get(f"/theo-doi/cau-chuyen/{story.pk}/")
    assert b"<script>alert(1)</script>" not in page.content
    assert "'unsafe-inline'" not in _csp(page)["script-src"]
