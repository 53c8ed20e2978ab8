"""The portal in the open-data API (/api/open/portal/...): metadata of live public pages
and fact sheets — titles, languages, addresses, dates, translations; never page bodies of
anyone else, and nothing of drafts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema
from wagtail.models import Page

from ttdn.portal.models import FactSheetPage
from ttdn.portal.selectors import READER_TYPES, figures_get
from ttdn.web.api_errors import ERRORS

router = Router(tags=["portal"])
MAX_LIMIT = 500


class PortalPageOut(Schema):
    id: int
    type: str
    language: str
    title: str
    summary: str
    url: str
    province: str | None
    first_published_at: dt.datetime | None
    last_published_at: dt.datetime | None
    translation_key: str
    translations: list[str]


class PortalPageList(Schema):
    count: int
    results: list[PortalPageOut]


class FactSheetOut(PortalPageOut):
    figures: dict[str, Any]


def _row(request: HttpRequest, page: Any, languages: dict[Any, list[str]]) -> dict[str, Any]:
    return {
        "id": page.pk,
        "type": page._meta.model_name,
        "language": page.locale.language_code,
        "title": page.title,
        "summary": getattr(page, "summary", ""),
        "url": request.build_absolute_uri(page.get_url(request) or ""),
        "province": page.province.slug if getattr(page, "province", None) else None,
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
        "translation_key": str(page.translation_key),
        "translations": sorted(languages.get(page.translation_key, [])),
    }


def _languages(pages: list[Any]) -> dict[Any, list[str]]:
    keys = [p.translation_key for p in pages]
    out: dict[Any, list[str]] = {}
    for key, code in (
        Page.objects.live()
        .public()
        .filter(translation_key__in=keys)
        .values_list("translation_key", "locale__language_code")
    ):
        out.setdefault(key, []).append(code)
    return out


# ERRORS: a bad parameter gets the open API's documented 400, as on every open endpoint
@router.get("/pages", response={200: PortalPageList, **ERRORS}, url_name="portal_page_list")
def page_list(
    request: HttpRequest,
    language: str = "",
    type: str = "",
    limit: int = 100,
    offset: int = 0,  # noqa: A002
) -> dict[str, Any]:
    """Live public portal pages (articles, fact sheets, fact-checks, events, galleries),
    newest first; filter by `language` (e.g. `en`) and `type` (e.g. `articlepage`)."""
    queryset = Page.objects.live().public().type(*READER_TYPES)
    if language:
        queryset = queryset.filter(locale__language_code=language)
    if type:
        queryset = queryset.filter(
            content_type__model=type.lower(), content_type__app_label="portal"
        )
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    total = queryset.count()
    pages = list(
        queryset.select_related("locale")
        .specific()
        .order_by("-first_published_at", "-pk")[offset : offset + limit]
    )
    languages = _languages(pages)
    return {"count": total, "results": [_row(request, p, languages) for p in pages]}


@router.get(
    "/fact-sheets", response={200: list[FactSheetOut], **ERRORS}, url_name="portal_fact_sheets"
)
def fact_sheets(request: HttpRequest, language: str = "vi") -> list[dict[str, Any]]:
    """Fact sheets in one language, each with its live figures from Measure (cached)."""
    if language not in settings.PORTAL_LANGUAGES:
        language = settings.PORTAL_LANGUAGES[0]
    pages = list(
        FactSheetPage.objects.live()
        .public()
        .filter(locale__language_code=language)
        .select_related("locale", "province")
    )
    languages = _languages(pages)
    return [
        {
            **_row(request, p, languages),
            "figures": figures_get(p.province.slug if p.province else None),
        }
        for p in pages
    ]
