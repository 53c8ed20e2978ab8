"""A language-prefix URL pattern over the portal languages (not the staff's LANGUAGES).

Wagtail builds page URLs by reversing `wagtail_serve` inside `translation.override(lang)`,
so the prefix must follow the active language, as Django's LocalePrefixPattern does; every
language, Vietnamese included, gets its prefix, so no portal URL collides with a staff one.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import URLResolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils.translation import get_language


class PortalPrefixPattern(LocalePrefixPattern):
    @property
    def language_prefix(self) -> str:
        code = get_language() or settings.LANGUAGE_CODE
        if code not in settings.PORTAL_LANGUAGES:
            code = settings.PORTAL_LANGUAGES[0]
        return f"{code}/"


def portal_patterns(*urls: object) -> list[URLResolver]:
    return [URLResolver(PortalPrefixPattern(prefix_default_language=True), list(urls))]
