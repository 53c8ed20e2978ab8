"""schema.org JSON-LD for each page type: NewsArticle, ClaimReview, Event, Organization."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

ORGANIZATION_NAME = "Cổng thông tin đối ngoại Việt Nam"


def organization(request: HttpRequest) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": ORGANIZATION_NAME,
        "url": request.build_absolute_uri(f"/{get_language()}/"),
    }


def jsonld_for(request: HttpRequest, page: Any) -> dict[str, Any]:
    from ttdn.portal.models import ArticlePage, EventPage, FactCheckPage

    base: dict[str, Any] = {"@context": "https://schema.org"}
    if page is None:
        return {**base, **organization(request)}
    url = request.build_absolute_uri(page.get_url(request))
    language = page.locale.language_code
    image = None
    if getattr(page, "cover_image", None):
        image = request.build_absolute_uri(page.cover_image.get_rendition("fill-1200x630").url)
    if isinstance(page, ArticlePage):
        data = {
            "@type": "NewsArticle",
            "headline": page.title[:110],
            "description": page.summary,
            "datePublished": (page.first_published_at or page.last_published_at).isoformat()
            if (page.first_published_at or page.last_published_at)
            else page.date.isoformat(),
            "inLanguage": language,
            "mainEntityOfPage": url,
            "publisher": organization(request),
            "author": organization(request),
        }
        if image:
            data["image"] = [image]
        return {**base, **data}
    if isinstance(page, FactCheckPage):
        return {
            **base,
            "@type": "ClaimReview",
            "url": url,
            "datePublished": page.date.isoformat(),
            "inLanguage": language,
            "claimReviewed": page.claim,
            "author": organization(request),
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@type": "Organization", "name": page.claim_source or "—"},
                **({"appearance": page.claim_url} if page.claim_url else {}),
            },
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": {
                    "false": 1,
                    "partly_false": 2,
                    "misleading": 2,
                    "missing_context": 3,
                    "true": 5,
                }[page.rating],
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": page.get_rating_display(),
            },
        }
    if isinstance(page, EventPage):
        data = {
            "@type": "Event",
            "name": page.title,
            "description": page.summary,
            "startDate": page.start.isoformat(),
            "location": {"@type": "Place", "name": page.venue, "address": page.venue},
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "eventStatus": "https://schema.org/EventScheduled",
            "organizer": organization(request),
            "url": url,
            "inLanguage": language,
        }
        if page.end:
            data["endDate"] = page.end.isoformat()
        if image:
            data["image"] = [image]
        return {**base, **data}
    return {
        **base,
        "@type": "WebPage",
        "name": page.title,
        "url": url,
        "inLanguage": language,
        "publisher": organization(request),
    }
