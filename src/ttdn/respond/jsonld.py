"""schema.org ClaimReview for a published case, and the items of the open fact-check feed.

One ClaimReview per rated claim (schema.org wants one claim per review). Required by the
ClaimReview guidelines: `claimReviewed`, `reviewRating` (with `alternateName`, and numeric
`ratingValue` between `worstRating` and `bestRating`), `url`, `author`; we also give
`datePublished`, `inLanguage` and `itemReviewed` (a `Claim` with its first appearance).
Only approved answers and the rating leave the platform: no internal notes, no evidence files.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ttdn.respond.models import AnswerStatus, Case, Rating
from ttdn.respond.sanitise import plain_text

#: 1 (worst) .. 5 (best) as fact-checkers commonly map their verdicts.
RATING_VALUE = {
    Rating.FALSE: 1,
    Rating.PARTLY_FALSE: 2,
    Rating.MISLEADING: 2,
    Rating.MISSING_CONTEXT: 3,
    Rating.TRUE: 5,
}
RATING_EN = {
    Rating.FALSE: "False",
    Rating.PARTLY_FALSE: "Partly false",
    Rating.MISLEADING: "Misleading",
    Rating.MISSING_CONTEXT: "Missing context",
    Rating.TRUE: "True",
}
PUBLISHER = {"@type": "Organization", "name": "TTĐN"}


def claim_review_jsonld(case: Case, url: str) -> dict[str, Any]:
    answers = [a for a in case.answers.all() if a.status == AnswerStatus.APPROVED]
    vi = next((a for a in answers if a.language == "vi"), answers[0] if answers else None)
    reviews = []
    for rating in case.ratings.select_related("claim"):
        claim = rating.claim
        first = claim.appearances.order_by("published_at", "id").first()
        item: dict[str, Any] = {"@type": "Claim", "inLanguage": claim.language}
        if first is not None:
            if first.published_at:
                item["datePublished"] = first.published_at.date().isoformat()
            if first.url:
                item["appearance"] = {"@type": "CreativeWork", "url": first.url}
            if first.outlet:
                item["author"] = {"@type": "Organization", "name": first.outlet}
        reviews.append(
            {
                "@type": "ClaimReview",
                "url": url,
                "claimReviewed": claim.text,
                "datePublished": case.published_at.date().isoformat()
                if case.published_at
                else None,
                "inLanguage": vi.language if vi else "vi",
                "headline": vi.title if vi else case.title,
                "author": PUBLISHER,
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": RATING_VALUE[Rating(rating.rating)],
                    "bestRating": 5,
                    "worstRating": 1,
                    "alternateName": RATING_EN[Rating(rating.rating)],
                },
                "itemReviewed": item,
            }
        )
    return {"@context": "https://schema.org", "@graph": reviews}


def feed_items(cases: Any, base: str) -> list[dict[str, Any]]:
    items = []
    for case in cases:
        answers = [a for a in case.answers.all() if a.status == AnswerStatus.APPROVED]
        vi = next((a for a in answers if a.language == "vi"), answers[0] if answers else None)
        if vi is None:
            continue
        url = base + reverse("respond_public", args=[case.slug])
        items.append(
            {
                "id": url,
                "url": url,
                "title": vi.title,
                "summary": plain_text(vi.body)[:500],
                "content_html": vi.body,
                "language": vi.language,
                "date_published": case.published_at.isoformat() if case.published_at else None,
                "ratings": [
                    {
                        "claim": r.claim.text,
                        "rating": r.rating,
                        "rating_en": RATING_EN[Rating(r.rating)],
                    }
                    for r in case.ratings.all()
                ],
                "translations": {
                    a.language: {"title": a.title, "url": f"{url}?lang={a.language}"}
                    for a in answers
                },
                "_published": case.published_at,
            }
        )
    return items
