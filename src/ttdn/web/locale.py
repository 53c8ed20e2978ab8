"""Vietnamese first: the interface language is the user's explicit choice (the language
cookie set by the switch), else Vietnamese — never guessed from the browser's
Accept-Language, which on shared office machines is often English."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # the staff interface's languages; LANGUAGES also holds every portal language
        staff = getattr(settings, "STAFF_LANGUAGES", settings.LANGUAGES)
        self.supported = {code for code, _ in staff}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
