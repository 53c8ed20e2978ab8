"""A foreign reader browses, searches, subscribes and sets preferences in every configured
portal language (eleven by default): the home page, a section and the demo article in that
language, a search for a word of the article in its own script, the language's RSS feed, and
the "for you" preferences page in the reader's language."""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import translation

from ttdn.accounts.services import organisations_load
from ttdn.portal import demo_content as C
from ttdn.portal.demo import portal_demo_load
from ttdn.portal.demo_languages import EXTRA
from ttdn.portal.models import ArticlePage, HomePage

# a word of the article's title, in each language's own script
WORDS = {
    "vi": "cà phê", "en": "coffee", "fr": "café", "zh-hans": "咖啡", "ru": "кофе",
    "es": "café", "ja": "コーヒー", "ko": "커피", "de": "Kaffee", "lo": "ກາເຟ", "km": "កាហ្វេ",
}  # fmt: skip


@pytest.fixture(scope="module")
def every_language(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), transaction.atomic():
        organisations_load()
        portal_demo_load()  # all languages, as `make run` loads it
        yield
        transaction.set_rollback(True)
    cache.clear()


def _fields(language: str) -> tuple[dict[str, str], dict[str, object]]:
    if language in EXTRA:
        return EXTRA[language]["home"], EXTRA[language]["article"]
    return C.HOME[language], C.ARTICLE[language]


def test_at_least_eleven_languages_are_configured() -> None:
    assert len(settings.PORTAL_LANGUAGES) >= 11
    assert set(settings.PORTAL_LANGUAGES) <= {"vi", "en", "fr", *EXTRA}


@pytest.mark.parametrize("language", settings.PORTAL_LANGUAGES)
def test_reader_browses_searches_subscribes_and_sets_preferences(
    language: str, every_language: None, db: None, client: Client
) -> None:
    home_fields, article_fields = _fields(language)
    home = client.get(f"/{language}/")
    html = unescape(home.content.decode())
    assert home.status_code == 200 and f'<html lang="{language}"' in html
    assert home_fields["title"] in html
    page = HomePage.objects.live().get(locale__language_code=language)
    section = page.get_children().live().first()
    assert section is not None and client.get(section.url).status_code == 200

    article = ArticlePage.objects.live().get(
        locale__language_code=language, slug=article_fields["slug"]
    )
    body = unescape(client.get(article.url).content.decode())
    assert str(article_fields["title"]) in body
    assert str(article_fields["body"][0]) in body  # type: ignore[index]

    found = unescape(client.get(f"/{language}/search/", {"q": WORDS[language]}).content.decode())
    assert article.url in found, f"{language}: searching {WORDS[language]!r} misses the article"

    feed = client.get(f"/{language}/feeds/rss.xml")
    assert feed.status_code == 200
    assert str(article_fields["title"]) in unescape(feed.content.decode())

    preferences = unescape(client.get(f"/{language}/for-you/").content.decode())
    with translation.override(language):
        heading = translation.gettext("Dành cho bạn")
    assert heading in preferences
    assert language == "vi" or heading != "Dành cho bạn", f"{language}: interface not translated"


# a word of the article's BODY only (not its title or summary), in scripts written without spaces
BODY_WORDS = {"zh-hans": "合作社", "ja": "協同組合", "ko": "협동조합"}


@pytest.mark.parametrize("language", list(BODY_WORDS))
def test_search_without_spaces_finds_a_word_of_the_body(
    language: str, every_language: None, db: None, client: Client
) -> None:
    _home, fields = _fields(language)
    word = BODY_WORDS[language]
    assert word not in f"{fields['title']} {fields['summary']}"
    assert word in "".join(fields["body"])  # type: ignore[arg-type]
    article = ArticlePage.objects.live().get(locale__language_code=language, slug=fields["slug"])
    found = unescape(client.get(f"/{language}/search/", {"q": word}).content.decode())
    assert article.url in found, f"{language}: searching {word!r} misses the article's body"
    absent = unescape(client.get(f"/{language}/search/", {"q": f"{word}火星"}).content.decode())
    assert article.url not in absent  # a substring, not any word of the query
