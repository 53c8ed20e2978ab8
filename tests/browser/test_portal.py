"""The public portal in a real Chromium: a reader browses, switches language, searches,
finds the feeds and sets preferences (Vietnamese and English); every page type passes
axe-core (vendored, tests/browser/vendor) with no serious or critical violation in vi, en,
zh-hans and lo. (Editors, officers and translators are tested through the Django client in
tests/portal/test_editors.py.)"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_cockpit import AXE, AXE_RUN
from ttdn.accounts.services import organisations_load
from ttdn.portal.demo import portal_demo_load, translate
from ttdn.portal.models import ArticlePage, EventPage, FactCheckPage, FactSheetPage, GalleryPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe_serious(page: Any, name: str) -> list[dict[str, Any]]:
    violations = page.evaluate(AXE_RUN)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-portal-{name}.json").write_text(
        json.dumps(violations, indent=1, ensure_ascii=False)
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.fixture
def portal_site(db: None) -> None:
    organisations_load()
    portal_demo_load(all_languages=False)  # vi, en, fr: what these tests need


def _translate_samples(language: str, prefix: str) -> None:
    """A few pages in Chinese or Lao (the demo has vi, en, fr), to test those scripts."""
    from ttdn.portal.models import HomePage, TopicIndexPage

    pages = [HomePage.objects.get(locale__language_code="vi")]
    pages += list(TopicIndexPage.objects.filter(locale__language_code="vi"))
    for model in (ArticlePage, FactSheetPage, FactCheckPage, EventPage, GalleryPage):
        pages.append(model.objects.filter(locale__language_code="vi", live=True).first())
    for page in pages:
        from wagtail_localize.models import TranslationSource

        source, _ = TranslationSource.get_or_create_from_instance(page)
        strings = {}
        for segment in source.stringsegment_set.select_related("string"):
            text = segment.string.data
            strings[text] = text if segment.context.path == "slug" else f"{prefix} {text}"
        translate(page, language, strings)


def test_reader_browses_switches_searches_and_sets_preferences(
    live_server, browser, portal_site
) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    page = browser.new_context(locale="en-GB").new_page()  # Accept-Language: en-GB
    page.goto(f"{base}/")
    assert page.url == f"{base}/en/"
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="News").click()
    page.get_by_role("link", name="Lam Dong coffee at harvest time").first.click()
    page.wait_for_url("**/en/news/lam-dong-coffee-harvest/")
    # switch language: lands on the same page's French translation
    page.locator("summary", has_text="Language").click()
    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/actualites/cafe-lam-dong-recolte/")
    assert page.get_by_role("heading", level=1).inner_text() == "Le café de Lam Dong à la récolte"
    # and to German, which has no translation: said so on the German home
    page.locator("summary", has_text="Langue").click()
    page.get_by_role("link", name="Deutsch").click()
    page.wait_for_url("**/de/?no-translation=1")
    assert "noch nicht übersetzt" in page.get_by_role("status").first.inner_text()
    # search in Vietnamese, keyboard only
    page.goto(f"{base}/vi/")
    page.get_by_label("Tìm kiếm").fill("cà phê")
    page.get_by_label("Tìm kiếm").press("Enter")
    page.wait_for_url("**/vi/search/?q=*")
    assert page.get_by_role("link", name="Cà phê Lâm Đồng vào mùa thu hoạch").is_visible()
    # subscribe: the section's feeds are linked and valid
    page.goto(f"{base}/vi/tin-tuc/")
    rss = page.get_by_role("link", name="RSS").first.get_attribute("href")
    response = page.request.get(f"{base}{rss}")
    assert response.ok and b"<rss" in response.body()
    # preferences: kept in this browser only, used for suggestions
    page.goto(f"{base}/en/for-you/")
    page.get_by_label("Provinces", exact=True).check()  # a topic
    page.get_by_label("Which country").fill("fr")
    page.get_by_label("Provinces you follow").select_option("lam-dong")
    page.get_by_role("button", name="Save").click()
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('ttdn-portal-prefs'))")
    assert stored == {"country": "FR", "topics": ["provinces"], "provinces": ["lam-dong"]}
    suggestions = page.locator(".p-recommended li a")
    suggestions.first.wait_for()
    assert suggestions.count() >= 1
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("ttdn_portal_language") == "en"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "portal-for-you-en.png"), full_page=True)


def test_every_page_type_passes_axe_in_four_languages(live_server, page, portal_site) -> None:  # type: ignore[no-untyped-def]
    page.context.add_init_script(path=str(AXE))  # runs outside the page's CSP
    _translate_samples("zh-hans", "中文")
    _translate_samples("lo", "ລາວ")
    from django.core.cache import cache

    cache.clear()
    found: dict[str, list[dict[str, Any]]] = {}
    for language in ("vi", "en", "zh-hans", "lo"):
        urls = [f"/{language}/", f"/{language}/search/?q=a", f"/{language}/privacy/"]
        for model in (ArticlePage, FactSheetPage, FactCheckPage, EventPage, GalleryPage):
            item = model.objects.filter(locale__language_code=language, live=True).first()
            assert item is not None, (language, model)
            urls.append(item.url)
            urls.append(item.get_parent().url)
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            assert page.locator("html").get_attribute("lang") == language
            serious = _axe_serious(page, f"{language}-{url.strip('/').replace('/', '_')[:60]}")
            if serious:
                found[url] = serious
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)[:3000]
