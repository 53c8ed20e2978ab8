"""What every portal page shows around its content: the language's home and sections,
the language switcher (landing on this page's translation, or saying there is none), the
canonical URL and hreflang alternates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from ttdn.portal import selectors
from ttdn.portal.conf import LOCAL_NAMES


@dataclass(frozen=True)
class Switch:
    language: str
    name: str
    url: str
    translated: bool
    current: bool


def chrome_context(request: HttpRequest, page: Any = None) -> dict[str, Any]:
    language = get_language()
    home, topics = selectors.chrome_pages(language)
    rest = request.path.split("/", 2)[2] if request.path.count("/") >= 2 else ""
    if page is not None:
        alternates = {a.language: a.url for a in selectors.alternates_list(page, request)}
    else:  # a view (search, privacy, for you): the same path exists in every language
        alternates = {code: f"/{code}/{rest}" for code in settings.PORTAL_LANGUAGES}
    switches = [
        Switch(
            code,
            LOCAL_NAMES[code],
            alternates.get(code) or f"/{code}/?no-translation=1",
            code in alternates,
            code == language,
        )
        for code in settings.PORTAL_LANGUAGES
    ]
    canonical = request.build_absolute_uri(alternates.get(language) or request.path)
    return {
        "portal_language": language,
        "portal_home": home,
        "portal_topics": topics,
        "portal_switches": switches,
        "portal_alternates": [
            (code, request.build_absolute_uri(url)) for code, url in alternates.items()
        ],
        "portal_canonical": canonical,
        "portal_no_translation": request.GET.get("no-translation") == "1",
        "portal_text_direction": "ltr",
    }
