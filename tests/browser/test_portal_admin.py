"""The portal's staff in the Wagtail admin, in a real headless Chromium, under the platform's
Content-Security-Policy: a provincial officer (Vietnamese interface) writes a page for their
province and submits it for review; a translator (English interface) translates it into
English with wagtail-localize's editor; a central editor approves the Vietnamese page and
publishes the English translation. Readers see nothing before the approval and both
languages after it.

WHY the care with browser contexts and the live server: the earlier version of this test
failed now and then with a foreign-key IntegrityError or with "no such page". The admin's
edit view pings the server every few seconds (Wagtail's concurrent-editing sessions, rows
pointing at the user and the page's content type), and the test left its tabs open: after
the test, the transactional test case empties every table and recreates the content
types, and a ping landing in the middle wrote a row pointing at a user or content type that
no longer existed. The second failure came from reading the database right after a click,
before the browser had even sent the form. Now every tab is closed and the live server has
finished every request before the test ends (`admin_session`, `server_idle`), and the test
waits for what the user would see (the admin's message, the page's URL) before it reads the
database, with generous time limits for a busy machine.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect
from wagtail_localize.models import StringTranslation

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, UserFactory
from tests.servers import ClosingBody
from ttdn.accounts.models import Organisation, Role
from ttdn.accounts.services import organisations_load
from ttdn.portal.demo import portal_demo_load
from ttdn.portal.models import ArticlePage, Publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 60_000  # a busy two-core machine renders a Wagtail edit view in seconds
expect.set_options(timeout=TIMEOUT_MS)
TITLE_VI = "Chè Cầu Đất vào vụ"
TITLE_EN = "Cau Dat tea comes into season"
SUMMARY_VI = "Vụ chè mới trên đồi Cầu Đất."
SUMMARY_EN = "A new tea season on the Cau Dat hills."
BODY_VI = "Nông dân Cầu Đất bắt đầu hái chè."
BODY_EN = "Farmers in Cau Dat have started picking tea."


def _until(predicate: Callable[[], Any], what: str, timeout_s: float = 60.0) -> Any:
    """Poll `predicate` until it returns something truthy (a condition, not a sleep)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for: {what}")
        time.sleep(0.1)


class _InFlight:
    """Counts the live server's requests in flight (the WSGI call and its body, until the
    server closes it). WSGI middleware that passes `close()` on: the earlier generator
    wrapper swallowed it, so Django's responses were never closed and `request_finished`
    (which closes the request's database connection) was never sent, unlike under a real
    server."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.count = 0
        self.lock = threading.Lock()

    def _done(self) -> None:
        with self.lock:
            self.count -= 1

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with self.lock:
            self.count += 1
        try:
            response = self.app(environ, start_response)
        except BaseException:
            self._done()
            raise
        return ClosingBody(response, after=self._done)  # counted until the server closes it


@pytest.fixture
def server_idle(live_server) -> Iterator[Callable[[], None]]:  # type: ignore[no-untyped-def]
    """Wraps the live server's application to count requests in flight; at the end of the
    test (after every browser context is closed, so nothing new can arrive) waits until the
    server has finished them, so no request writes while the test database is emptied."""
    httpd = live_server.thread.httpd
    counting = _InFlight(httpd.get_app())
    httpd.set_app(counting)

    def wait() -> None:
        _until(lambda: counting.count == 0, "the live server to finish its requests")

    yield wait
    wait()
    httpd.set_app(counting.app)


@pytest.fixture
def portal_site(transactional_db: None) -> None:
    organisations_load()
    portal_demo_load(all_languages=False)  # vi, en, fr: what these tests need
    cache.clear()  # the page cache and Wagtail's site paths live in this process, not the DB


@pytest.fixture
def admin_session(browser, live_server, server_idle) -> Iterator[Callable[..., Any]]:  # type: ignore[no-untyped-def]
    """Opens a signed-in tab for a user in a staff language; every context it opened is
    closed (its tabs first sent to a blank page, so the admin's own scripts stop) before the
    server is waited on and the test's data are removed."""
    contexts: list[Any] = []
    problems: list[str] = []

    def open_session(user: Any, language: str) -> Any:
        context = browser.new_context(locale="vi-VN" if language == "vi" else "en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        tab = context.new_page()
        tab.on(
            "console",
            lambda m: problems.append(f"{m.location}: {m.text}")
            if "Content Security Policy" in m.text
            else None,
        )
        tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        tab.goto(f"{live_server.url}/dang-nhap/?next=/quang-ba/quan-tri/")
        tab.locator("input[name=username]").fill(user.username)
        tab.locator("input[name=password]").fill(PASSWORD)
        with tab.expect_navigation():
            tab.locator("input[name=password]").press("Enter")
        tab.wait_for_url("**/quang-ba/quan-tri/")
        return tab

    yield open_session
    for context in contexts:
        for tab in context.pages:
            tab.goto("about:blank")
        context.close()
    server_idle()
    assert not problems, f"CSP violations or script errors in the admin: {problems}"


def _public_status(live_server, path: str) -> int:  # type: ignore[no-untyped-def]
    """What an anonymous reader gets for a path (a plain client, no cookies)."""
    import urllib.error
    import urllib.parse
    import urllib.request

    url = f"{live_server.url}{urllib.parse.quote(path, safe='/%')}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _success_message(tab: Any) -> None:
    expect(tab.locator(".messages .success").first).to_be_visible(timeout=TIMEOUT_MS)


def test_officer_writes_translator_translates_editor_approves(
    live_server, portal_site, admin_session
) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    lam_dong = Organisation.objects.get(slug="lam-dong")
    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=lam_dong)
    translator = UserFactory(role=Role.TRANSLATOR)
    editor = UserFactory(role=Role.PORTAL_EDITOR)
    news = ArticlePage.objects.get(
        locale__language_code="vi", slug="ca-phe-lam-dong-mua-thu-hoach"
    ).get_parent()

    # 1. the provincial officer (Vietnamese) writes a page for Lam Dong and submits it
    tab = admin_session(officer, "vi")
    tab.goto(f"{base}/quang-ba/quan-tri/pages/add/portal/articlepage/{news.pk}/")
    tab.locator("#id_title").fill(TITLE_VI)
    tab.locator("#id_summary").fill(SUMMARY_VI)
    tab.locator("#id_body").locator("xpath=..").locator("[contenteditable=true]").first.click()
    tab.keyboard.type(BODY_VI)
    # the rich-text editor writes its hidden field a moment after the typing: wait for it
    # (submitting before it did was the earlier "page not created" failure)
    expect(tab.locator("#id_body")).to_have_value(re.compile(re.escape(BODY_VI)))
    # the date picker starts although the admin runs without 'unsafe-inline'
    # (ttdn.portal.admin_csp); leaving the field closes it
    tab.locator("#id_date").fill("2026-12-01")
    open_pickers = tab.locator(".xdsoft_datetimepicker:visible")
    expect(open_pickers).to_have_count(1)
    tab.locator("#id_date").press("Tab")
    expect(open_pickers).to_have_count(0)
    # an officer may only pick their own province (the accounts selector)
    assert tab.locator("#id_province option").all_inner_texts() == ["Lâm Đồng"]
    tab.locator("nav.actions--primary [data-w-dropdown-target=toggle]").click()
    submit = tab.locator("button[name=action-submit]")
    expect(submit).to_be_visible()
    with tab.expect_navigation():
        submit.click()
    _success_message(tab)
    page = _until(
        lambda: ArticlePage.objects.filter(title=TITLE_VI).first(), "the officer's page saved"
    )
    assert not page.live and page.province_id == lam_dong.pk
    assert page.current_workflow_state is not None, "not submitted for review"
    assert page.owner_id == officer.pk
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "portal-admin-officer-submitted-vi.png"), full_page=True)
    vi_path = page.get_url_parts()[2]
    assert vi_path.startswith("/vi/")
    assert _public_status(live_server, vi_path) == 404  # not public before approval

    # 2. the translator (English interface) translates it into English with wagtail-localize
    tab = admin_session(translator, "en")
    tab.goto(f"{base}/quang-ba/quan-tri/localize/submit/page/{page.pk}/")
    tab.get_by_label("English", exact=True).check()
    with tab.expect_navigation():
        tab.get_by_role("button", name="Submit", exact=True).click()
    _success_message(tab)
    english = _until(
        lambda: ArticlePage.objects.filter(
            translation_key=page.translation_key, locale__language_code="en"
        ).first(),
        "the English translation created",
    )
    assert not english.live  # the source is a draft, so is its translation
    assert tab.url.endswith(f"/quang-ba/quan-tri/pages/{english.pk}/edit/")
    translations = {TITLE_VI: TITLE_EN, SUMMARY_VI: SUMMARY_EN, BODY_VI: BODY_EN}
    for source, target in translations.items():
        segment = tab.locator("li").filter(has=tab.locator(":scope > p", has_text=source)).last
        segment.get_by_role("button", name="Translate").click()
        segment.locator("textarea").fill(target)
        segment.get_by_role("button", name="Save").click()
        expect(segment.get_by_role("button", name="Edit")).to_be_visible()
    _until(
        lambda: (
            StringTranslation.objects.filter(
                locale__language_code="en", data__in=list(translations.values())
            ).count()
            == len(translations)
        ),
        "the translator's strings stored",
    )
    # a translator cannot publish: the editor's "Publish in English" is not offered
    expect(tab.get_by_role("button", name="Publish in English")).to_have_count(0)
    tab.screenshot(path=str(ARTIFACTS / "portal-admin-translator-en.png"), full_page=True)
    en_path = english.get_url_parts()[2]
    assert en_path.startswith("/en/")
    assert _public_status(live_server, vi_path) == 404
    assert _public_status(live_server, en_path) == 404
    assert not Publication.objects.filter(page_id__in=[page.pk, english.pk]).exists()

    # 3. a central editor (English interface) approves the Vietnamese page ...
    tab = admin_session(editor, "en")
    tab.goto(f"{base}/quang-ba/quan-tri/pages/{page.pk}/edit/")
    tab.locator("nav.actions--primary [data-w-dropdown-target=toggle]").click()
    approve = tab.locator(
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    expect(approve).to_be_visible()
    with tab.expect_navigation():
        approve.click()
    _success_message(tab)
    _until(lambda: ArticlePage.objects.get(pk=page.pk).live, "the Vietnamese page live")
    assert _public_status(live_server, en_path) == 404  # the translation is not yet approved
    # ... and publishes the English translation from the translation editor
    tab.goto(f"{base}/quang-ba/quan-tri/pages/{english.pk}/edit/")
    with tab.expect_navigation():
        tab.get_by_role("button", name="Publish in English").click()
    _until(lambda: ArticlePage.objects.get(pk=english.pk).live, "the English page live")
    english.refresh_from_db()
    assert english.title == TITLE_EN

    # 4. both languages are on the portal, registered as the platform's publications
    assert _public_status(live_server, vi_path) == 200
    assert _public_status(live_server, en_path) == 200
    reader = tab.context.browser.new_context(locale="en-GB").new_page()
    try:
        reader.goto(f"{base}{en_path}")
        expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE_EN)
        expect(reader.locator("main")).to_contain_text(BODY_EN)
        reader.goto(f"{base}{vi_path}")
        expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE_VI)
    finally:
        reader.context.close()
    assert set(
        Publication.objects.filter(page_id__in=[page.pk, english.pk]).values_list(
            "language", flat=True
        )
    ) == {"vi", "en"}
