"""The award's winners on the portal, in a real headless Chromium (issue 13): central
publishes a season's results in Coordinate, the portal drafts the winners article in
Vietnamese and English, a portal editor publishes both in the Wagtail admin, and then a
reader sees them at /vi/… and /en/… — with the English category names — while Coordinate's
own winners page sends each language's readers to that one public place."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_portal_admin import (  # noqa: F401  (fixtures used by name)
    TIMEOUT_MS,
    _public_status,
    _until,
    admin_session,
    portal_site,
    server_idle,
)
from tests.factories import PASSWORD, UserFactory
from ttdn.accounts.models import Organisation, Role
from ttdn.coordinate.models import AwardCriterion
from ttdn.coordinate.services.awards import (
    award_entry_submit,
    award_results_compute,
    award_scores_set,
    award_season_advance,
    award_season_create,
)
from ttdn.portal.models import ArticlePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _season_in_review() -> tuple[int, Any]:
    """A season whose results central has computed and now reviews (not yet published)."""
    central = Organisation.objects.get(slug="ban-chi-dao-ttdn")
    analyst = UserFactory(role=Role.CENTRAL_ANALYST, organisation=central)
    season = award_season_create(
        user=analyst, name="Giải thưởng thông tin đối ngoại 2026", year=2026,
        name_en="National Foreign Information Award 2026",
        categories=[("Ảnh", "Photography")], criteria=[("Nội dung", 10)],
    )  # fmt: skip
    entry = award_entry_submit(
        user=analyst, season=season, category=season.categories.get(),
        organisation=Organisation.objects.get(slug="lam-dong"), title="Đà Lạt mộng mơ",
        authors="Nguyễn Văn A", url="https://lamdong.gov.vn/da-lat",
    )  # fmt: skip
    award_season_advance(user=analyst, season=season, status="judging")
    juror = UserFactory(role=Role.JUROR, organisation=Organisation.objects.get(slug="ha-noi"))
    criterion = AwardCriterion.objects.get(season=season)
    award_scores_set(user=juror, entry=entry, scores={criterion.pk: 9})
    award_results_compute(user=analyst, season=season)
    return season.pk, analyst


def _publish_in_admin(tab, base: str, page_id: int) -> None:  # type: ignore[no-untyped-def]
    """Publish from the page editor: Wagtail's "Publish" in the actions menu, or, where
    wagtail-localize shows its translation editor, its "Publish in English"."""
    tab.goto(f"{base}/quang-ba/quan-tri/pages/{page_id}/edit/")
    toggle = tab.locator("nav.actions--primary [data-w-dropdown-target=toggle]")
    localized = tab.get_by_role("button", name="Publish in English")
    expect(toggle.or_(localized).first).to_be_visible()
    try:
        if localized.count():
            with tab.expect_navigation():
                localized.click()
        else:
            toggle.click()
            publish = tab.locator("button[name=action-publish]")
            expect(publish).to_be_visible()
            with tab.expect_navigation():
                publish.click()
        _until(lambda: ArticlePage.objects.get(pk=page_id).live, f"page {page_id} live")
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"winners-admin-{page_id}.png"), full_page=True)
        raise


@pytest.mark.usefixtures("portal_site")
def test_central_publishes_editor_approves_reader_sees_winners_in_both_languages(
    browser, live_server, request
) -> None:  # type: ignore[no-untyped-def]
    open_admin = request.getfixturevalue("admin_session")  # from test_portal_admin
    base = live_server.url
    season_id, analyst = _season_in_review()

    # 1. central publishes the results in Coordinate (Vietnamese interface)
    context = browser.new_context(locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    central = context.new_page()
    central.goto(f"{base}/dang-nhap/")
    central.locator("#id_username").fill(analyst.username)
    central.locator("#id_password").fill(PASSWORD)
    central.locator("main form button[type=submit]").click()
    central.wait_for_load_state()
    central.goto(f"{base}/dieu-phoi/giai-thuong/{season_id}/")
    with central.expect_navigation():
        central.locator("#publish-results").click()
    central.goto("about:blank")
    context.close()

    # 2. the portal drafted the article in both languages; readers see nothing yet
    vi = _until(
        lambda: ArticlePage.objects.filter(slug=f"ket-qua-giai-thuong-2026-{season_id}").first(),
        "the Vietnamese draft",
    )
    en = _until(
        lambda: ArticlePage.objects.filter(slug=f"award-winners-2026-{season_id}").first(),
        "the English draft",
    )
    vi_path = f"/vi/tin-tuc/{vi.slug}/"
    en_path = f"/en/news/{en.slug}/"
    assert _public_status(live_server, vi_path) == 404
    assert _public_status(live_server, en_path) == 404
    own = f"/dieu-phoi/giai-thuong/{season_id}/ket-qua/"
    assert _public_status(live_server, own) == 200  # Coordinate's page until then

    # 3. a portal editor publishes both drafts in the admin
    editor = UserFactory(role=Role.PORTAL_EDITOR)
    tab = open_admin(editor, "en")
    _publish_in_admin(tab, base, vi.pk)
    _publish_in_admin(tab, base, en.pk)

    # 4. a reader sees the winners at /vi/… and /en/…, English names on the English page
    reader_context = browser.new_context(locale="en-GB")
    reader_context.set_default_timeout(TIMEOUT_MS)
    reader = reader_context.new_page()
    try:
        reader.goto(f"{base}{vi_path}")
        expect(reader.get_by_role("heading", level=1)).to_contain_text(
            "Giải thưởng thông tin đối ngoại 2026"
        )
        expect(reader.locator("main")).to_contain_text("Đà Lạt mộng mơ")
        expect(reader.locator("main")).to_contain_text("Giải A")
        expect(reader.locator("main h2", has_text="Ảnh")).to_be_visible()
        reader.goto(f"{base}{en_path}")
        expect(reader.get_by_role("heading", level=1)).to_have_text(
            "Winners of the National Foreign Information Award 2026"
        )
        expect(reader.locator("main")).to_contain_text("Prize A")
        expect(reader.locator("main h2", has_text="Photography")).to_be_visible()
        # Coordinate's own winners page now sends readers to the portal article
        reader_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
        reader.goto(f"{base}{own}")
        reader.wait_for_url(f"**{en_path}")
        reader_context.add_cookies([{"name": "django_language", "value": "vi", "url": base}])
        reader.goto(f"{base}{own}")
        reader.wait_for_url(f"**{vi_path}")
    finally:
        reader.goto("about:blank")
        reader_context.close()
