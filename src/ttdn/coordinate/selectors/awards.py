"""Reads of the national foreign-information award that other modules may show.

`award_winners_get` is what the portal publishes as its winners pages (decision 0017): only
a season central has published (a person's decision), only the prize winners, and only
public facts — the entry, its authors as they signed it and their organisation; never the
jurors or their scores.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ttdn.coordinate.models import AwardPortalArticle, AwardResult, AwardSeason, SeasonStatus

PRIZE_LETTERS = {1: "A", 2: "B", 3: "C"}


@dataclass(frozen=True)
class Winner:
    category: str
    category_en: str  # the English name, else the Vietnamese one
    rank: int
    prize: str  # the prize's letter (A, B, C): each reader's language words it
    title: str
    authors: str
    organisation_vi: str
    organisation_en: str
    url: str


@dataclass(frozen=True)
class AwardWinners:
    season_id: int
    name: str
    name_en: str  # the English name, else the Vietnamese one
    year: int
    published_on: dt.date
    winners: list[Winner]


def award_winners_get(season_id: int) -> AwardWinners | None:
    """The published season's prize winners by category and rank; None before publication."""
    season = AwardSeason.objects.filter(
        pk=season_id, status=SeasonStatus.PUBLISHED, published_at__isnull=False
    ).first()
    if season is None:
        return None
    results = (
        AwardResult.objects.filter(entry__season=season, rank__in=PRIZE_LETTERS)
        .select_related("entry", "entry__category", "entry__organisation")
        .order_by("entry__category_id", "rank", "entry_id")
    )
    winners = [
        Winner(
            category=r.entry.category.name,
            category_en=r.entry.category.name_in("en"),
            rank=r.rank,
            prize=PRIZE_LETTERS[r.rank],
            title=r.entry.title,
            authors=r.entry.authors,
            organisation_vi=r.entry.organisation.name,
            organisation_en=r.entry.organisation.name_en or r.entry.organisation.name,
            url=r.entry.url,
        )
        for r in results
    ]
    return AwardWinners(
        season_id=season.pk,
        name=season.name,
        name_en=season.name_en or season.name,
        year=season.year,
        published_on=timezone.localdate(season.published_at),
        winners=winners,
    )


def award_portal_url(season: AwardSeason, language: str) -> str | None:
    """The published portal article of the season's winners in `language`, if an editor
    published one (the one public place for the winners); else None."""
    article = AwardPortalArticle.objects.filter(season=season, language=language[:2]).first()
    return article.url if article is not None else None


def award_portal_urls(season: AwardSeason) -> dict[str, str]:
    """Every published language of the season's portal article: {language: path}."""
    return dict(AwardPortalArticle.objects.filter(season=season).values_list("language", "url"))
