"""The national foreign-information award's winners on the portal (issue 13).

When central publishes a season's results in Coordinate, Coordinate announces
"coordinate.award_published"; the portal turns the winners into news-article DRAFTS — the
Vietnamese page first, then its English translation — under each language's news section.
Nothing goes live here: a portal editor reviews and publishes them through the usual
workflow (the platform publishes nothing without a person's approval), after which they are
publications like any other page (announced, in the sitemap and feeds). Idempotent per season
and language, so a redelivered event makes nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from wagtail.models import Locale

from ttdn.coordinate.selectors.awards import AwardWinners, Winner, award_winners_get
from ttdn.coordinate.services.awards import (
    award_portal_article_link,
    award_portal_article_published,
    award_portal_article_withdrawn,
)
from ttdn.portal.models import ArticlePage, TopicIndexPage

NEWS_SLUGS = {"vi": "tin-tuc", "en": "news"}

WORDS = {
    "vi": {
        "title": "Công bố kết quả {name}",
        "summary": "Danh sách tác phẩm đoạt giải {name}, công bố ngày {date}.",
        "lead": "Ban tổ chức công bố các tác phẩm đoạt giải {name} (năm {year}), ngày {date}.",
        "prize": "Giải {letter}",
        "none": "Không có tác phẩm đoạt giải.",
        "date": "%d/%m/%Y",
    },
    "en": {
        "title": "Winners of the {name}",
        "summary": "The winning entries of the {name}, announced on {date}.",
        "lead": "The organisers announce the winning entries of the {name} ({year}) on {date}.",
        "prize": "Prize {letter}",
        "none": "No entry won a prize.",
        "date": "%d %B %Y",
    },
}


def _slug(data: AwardWinners, language: str) -> str:
    if language == "vi":
        return f"ket-qua-giai-thuong-{data.year}-{data.season_id}"
    return f"award-winners-{data.year}-{data.season_id}"


def _winner_html(winner: Winner, language: str) -> Any:
    words = WORDS[language]
    organisation = winner.organisation_en if language == "en" else winner.organisation_vi
    title = (
        format_html('<a href="{}">{}</a>', winner.url, winner.title)
        if winner.url.startswith(("https://", "http://"))
        else winner.title
    )
    return format_html(
        "<li><b>{}</b>: “{}” — {} ({})</li>",
        words["prize"].format(letter=winner.prize),
        title,
        winner.authors,
        organisation,
    )


def winners_body(data: AwardWinners, language: str) -> str:
    """The page's rich text: a lead, then one list of prizes per category."""
    words = WORDS[language]
    day = data.published_on.strftime(words["date"])
    name = data.name_en if language == "en" else data.name
    parts = [format_html("<p>{}</p>", words["lead"].format(name=name, year=data.year,
                                                          date=day))]  # fmt: skip
    categories: dict[str, list[Winner]] = {}
    for winner in data.winners:
        category = winner.category_en if language == "en" else winner.category
        categories.setdefault(category, []).append(winner)
    for category, winners in categories.items():
        items = format_html_join("", "{}", ((_winner_html(w, language),) for w in winners))
        parts.append(format_html("<h2>{}</h2><ol>{}</ol>", category, items))
    if not categories:
        parts.append(format_html("<p>{}</p>", words["none"]))
    return "".join(str(p) for p in parts)


def _news_section(language: str) -> Any:
    sections = TopicIndexPage.objects.filter(locale__language_code=language)
    named = sections.filter(slug=NEWS_SLUGS.get(language, "")).first()
    if named is not None:
        return named
    for section in sections:
        if ArticlePage in section.specific_class.allowed_subpage_models():
            return section
    return None


def award_winners_drafts(season_id: int) -> list[Any]:
    """Draft news articles of a published season's winners, in Vietnamese and English."""
    data = award_winners_get(season_id)
    if data is None:
        return []  # not published (or withdrawn): nothing to show readers
    created: list[Any] = []
    vi_page = ArticlePage.objects.filter(slug=_slug(data, "vi"), locale__language_code="vi").first()
    if vi_page is None:
        section = _news_section("vi")
        if section is None:
            return []
        day = data.published_on.strftime(WORDS["vi"]["date"])
        vi_page = ArticlePage(
            title=WORDS["vi"]["title"].format(name=data.name)[:255],
            slug=_slug(data, "vi"),
            summary=WORDS["vi"]["summary"].format(name=data.name, date=day)[:480],
            date=data.published_on or timezone.localdate(),
            body=winners_body(data, "vi"),
            live=False,
        )
        section.add_child(instance=vi_page)
        vi_page.save_revision()
        created.append(vi_page)
    award_portal_article_link(season_id=data.season_id, key=str(vi_page.translation_key))
    locale = Locale.objects.filter(language_code="en").first()
    if (
        locale is not None
        and vi_page.get_translation_or_none(locale) is None
        and _news_section("en") is not None
    ):
        page = vi_page.copy_for_translation(locale).specific
        day = data.published_on.strftime(WORDS["en"]["date"])
        page.title = WORDS["en"]["title"].format(name=data.name_en)[:255]
        page.slug = _slug(data, "en")
        page.summary = WORDS["en"]["summary"].format(name=data.name_en, date=day)[:480]
        page.body = winners_body(data, "en")
        page.live = False
        page.save()
        page.save_revision()
        created.append(page)
    return created


def award_article_published(page: Any, language: str) -> None:
    """A published page that is a season's winners article becomes the one public place of
    those winners in its language: Coordinate's winners page sends that language's readers
    there. Any other page is ignored (Coordinate knows only the keys it was given)."""
    parts = page.get_url_parts()
    if parts and parts[2]:
        award_portal_article_published(key=str(page.translation_key), language=language,
                                       url=parts[2])  # fmt: skip


def award_article_withdrawn(page: Any) -> None:
    """Unpublished or deleted: Coordinate's own winners page shows them again."""
    # by id: in a cascade (a locale deleted) the page's locale may already be gone
    language = Locale.objects.filter(pk=page.locale_id).values_list("language_code", flat=True)
    if language:
        award_portal_article_withdrawn(key=str(page.translation_key), language=language[0])
