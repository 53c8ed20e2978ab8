from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecureCookiesOverHttpsMiddleware:
    """Mark session, CSRF and language cookies Secure whenever the request came over HTTPS.

    Django's SESSION_COOKIE_SECURE is global; a self-hosted install is often reached both on
    http://127.0.0.1 (setup) and behind HTTPS (production), so the flag follows the request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.is_secure():
            for name in (
                settings.SESSION_COOKIE_NAME,
                settings.CSRF_COOKIE_NAME,
                settings.LANGUAGE_COOKIE_NAME,
            ):
                if name in response.cookies:
                    response.cookies[name]["secure"] = True
        return response
