"""Thin views for what is not a Wagtail page: the root, search, privacy, recommendations,
feeds, the sitemap, media files, unknown language prefixes and the editors' board."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views

from ttdn.portal import routing, selectors
from ttdn.portal.chrome import chrome_context
from ttdn.portal.conf import LOCAL_NAMES
from ttdn.portal.feeds import feed_response
from ttdn.portal.sitemap import sitemap_xml

LANGUAGE_COOKIE = "ttdn_portal_language"


def render_portal(
    request: HttpRequest, template: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    """A portal view's page: its own context plus the header, switcher and alternates."""
    return render(
        request,
        template,
        {"page": None, **chrome_context(request), **context},
        status=status,
    )


def likely_language(request: HttpRequest) -> str:
    """The reader's own earlier choice (a first-party cookie set by the switcher), else
    their browser's Accept-Language among the portal languages, else Vietnamese. No IP
    geolocation."""
    languages = settings.PORTAL_LANGUAGES
    chosen = request.COOKIES.get(LANGUAGE_COOKIE, "")
    if chosen in languages:
        return chosen
    for accepted, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        code = accepted.lower()
        if code in languages:
            return code
        if (
            code.startswith("zh")
            and "zh-hans" in languages
            and not code.startswith(("zh-tw", "zh-hk", "zh-hant"))
        ):
            return "zh-hans"
        base = code.split("-")[0]
        if base in languages:
            return base
    return languages[0]


def root(request: HttpRequest) -> HttpResponse:
    """`/`: signed-in staff go on to the platform (old bookmarks keep working); everyone
    else lands on the portal home in their likely language."""
    if request.user.is_authenticated:
        response: HttpResponse = HttpResponseRedirect(reverse("home"))
    else:
        response = HttpResponseRedirect(f"/{likely_language(request)}/")
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def unknown_language(request: HttpRequest, code: str, rest: str = "") -> HttpResponse:
    """A prefix that is no portal language: 404, worded in the reader's likely language,
    with links to the languages there are."""
    language = likely_language(request)
    with translation.override(language):
        response = render(
            request,
            "portal/404.html",
            {
                "portal_language": language,
                "languages": [(c, LOCAL_NAMES[c]) for c in settings.PORTAL_LANGUAGES],
                "unknown_code": code[:16],
            },
            status=404,
        )
    response.headers["Content-Language"] = language
    return response


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page view (cached for readers by ttdn.portal.cache.PortalCacheMiddleware),
    with its routing remembered (`routing.route_remembered`)."""
    routing.route_remembered(request, path)
    return wagtail_views.serve(request, path)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    locale = selectors.locale_active()
    results = selectors.page_search(query, locale)
    return render_portal(
        request,
        "portal/search.html",
        {"query": query, "results": results, "portal_language": translation.get_language()},
    )


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render_portal(request, "portal/privacy.html", {})


@require_GET
def for_you(request: HttpRequest) -> HttpResponse:
    language = translation.get_language()
    home = selectors.home_get(language)
    locale = selectors.locale_active()
    return render_portal(
        request,
        "portal/for_you.html",
        {
            "portal_language": language,
            "topics": selectors.topics_list(locale) if locale else [],
            "provinces": _provinces(),
            "home": home,
        },
    )


def _provinces() -> list[tuple[str, str]]:
    from ttdn.accounts.models import Organisation
    from ttdn.portal.models import PROVINCIAL_KINDS

    rows = Organisation.objects.filter(kind__in=PROVINCIAL_KINDS).order_by("name")
    if translation.get_language() == "vi":
        return [(o.slug, o.name) for o in rows]
    return [(o.slug, o.name_en or o.name) for o in rows]


def _ints(raw: str, limit: int) -> list[int]:
    return [int(x) for x in raw.split(",")[:limit] if x.strip().isdigit()]


def _slugs(raw: str, limit: int) -> list[str]:
    return [x.strip()[:80] for x in raw.split(",")[:limit] if x.strip()]


def _country(raw: str) -> str:
    """A two-letter country code as the reader declared it, or "" for anything else."""
    raw = raw.strip().upper()
    return raw if len(raw) == 2 and raw.isascii() and raw.isalpha() else ""


@require_GET
def recommend(request: HttpRequest) -> JsonResponse:
    """Recommendations from what the reader's browser sends now (country, provinces,
    topics, pages read this visit); nothing is stored or logged with it."""
    language = translation.get_language()
    pages = selectors.recommendations_list(
        language=language,
        provinces=_slugs(request.GET.get("provinces", ""), 40),
        topics=_slugs(request.GET.get("topics", ""), 20),
        read=_ints(request.GET.get("read", ""), 200),
        country=_country(request.GET.get("country", "")),
    )
    response = JsonResponse(
        {
            "language": language,
            "pages": [
                {"id": p.pk, "title": p.title, "url": p.get_url(request), "summary": p.summary}
                for p in pages
            ],
        }
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@require_GET
def feed(request: HttpRequest, kind: str) -> HttpResponse:
    return feed_response(request, kind=kind, topic=None)


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    return HttpResponse(sitemap_xml(request), content_type="application/xml; charset=utf-8")


@require_GET
def media(request: HttpRequest, path: str) -> FileResponse:
    """Uploaded images and their renditions for the embedded server (a proxy serves
    MEDIA_ROOT directly in production)."""
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404
    response = FileResponse(target.open("rb"))
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Staff overview: translations per language, pickups of our pages (all public
    titles and aggregate counts, so every signed-in role may read it)."""
    return render(
        request,
        "portal/board.html",
        {"board": selectors.translation_board(), "pickups": selectors.pickup_summary()},
    )


@login_required
def pickups(request: HttpRequest) -> HttpResponse:
    """Measure: foreign reports picking up portal pages, per page, language, outlet and
    country, with their tone (aggregates of public pages and stored reports)."""
    return render(request, "portal/pickups.html", {"pickups": selectors.pickup_summary()})


@login_required
def publish_home(request: HttpRequest) -> HttpResponse:
    """The platform's Publish module: the way into the portal's editor, its boards and the
    portal itself, with what waits for the signed-in person."""
    from ttdn.web.navigation import module_get

    return render(
        request,
        "portal/publish.html",
        {
            "module": module_get("publish"),
            "board": selectors.translation_board(),
            "awaiting": selectors.awaiting_review_list(),
            "languages": [(c, LOCAL_NAMES[c]) for c in settings.PORTAL_LANGUAGES],
        },
    )
