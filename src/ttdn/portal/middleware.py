"""The portal's language comes from its URL prefix (/en/, /zh-hans/, …).

WHY not Django's LocaleMiddleware: the staff interface deliberately ignores the browser's
Accept-Language (ttdn.web.locale); only portal URLs carry a language, and for them the URL is
the whole truth, so a shared link shows every reader the same page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def path_language(path: str) -> str | None:
    """The portal language a path starts with, or None."""
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in settings.PORTAL_LANGUAGES else None


class PortalLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = path_language(request.path_info)
        if language is None:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response
