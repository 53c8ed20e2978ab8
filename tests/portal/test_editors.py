"""Editors, translators, provincial officers: roles mapped to Wagtail groups, the province
rule, the review workflow in which the author never approves, the status board, PO
export/import."""

from __future__ import annotations

import polib
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from wagtail.models import Locale, Page

from tests.conftest import login
from tests.factories import UserFactory
from ttdn.accounts.models import Organisation, Role
from ttdn.portal.models import ArticlePage, NotAuthorApprovalTask, TopicIndexPage
from ttdn.portal.permissions import GROUP_EDITORS, GROUP_PROVINCIAL, GROUP_TRANSLATORS, page_actable
from ttdn.portal.selectors import translation_board
from ttdn.portal.services import workflow_ensure

pytestmark = pytest.mark.django_db


def _news() -> TopicIndexPage:
    return TopicIndexPage.objects.get(locale__language_code="vi", slug="tin-tuc")


def test_roles_land_in_their_wagtail_group_and_move_with_the_role(portal) -> None:
    editor = UserFactory(role=Role.PORTAL_EDITOR)
    assert [g.name for g in editor.groups.all()] == [GROUP_EDITORS]
    translator = UserFactory(role=Role.TRANSLATOR)
    assert [g.name for g in translator.groups.all()] == [GROUP_TRANSLATORS]
    translator.role = Role.VIEWER
    translator.save()
    assert not translator.groups.exists()
    officer = UserFactory(
        role=Role.PROVINCIAL_OFFICER, organisation=Organisation.objects.get(slug="hue")
    )
    assert [g.name for g in officer.groups.all()] == [GROUP_PROVINCIAL]
    assert editor.has_perm("wagtailadmin.access_admin")


def test_officer_acts_only_on_own_province_pages(portal, officer_lam_dong) -> None:
    lam_dong_article = ArticlePage.objects.get(
        locale__language_code="vi", slug="ca-phe-lam-dong-mua-thu-hoach"
    )
    hue_article = ArticlePage.objects.get(
        locale__language_code="vi", slug="hue-mo-lai-tuyen-di-bo-song-huong"
    )
    assert page_actable(officer_lam_dong, lam_dong_article)
    assert not page_actable(officer_lam_dong, hue_article)
    assert not page_actable(officer_lam_dong, _news())  # a central section


def test_officer_cannot_open_another_province_page_in_the_admin(
    portal, client: Client, officer_lam_dong
) -> None:
    login(client, officer_lam_dong)
    own = ArticlePage.objects.get(locale__language_code="vi", slug="ca-phe-lam-dong-mua-thu-hoach")
    other = ArticlePage.objects.get(
        locale__language_code="vi", slug="hue-mo-lai-tuyen-di-bo-song-huong"
    )
    assert client.get(f"/quang-ba/quan-tri/pages/{own.pk}/edit/").status_code == 200
    assert client.get(f"/quang-ba/quan-tri/pages/{other.pk}/edit/").status_code in {302, 403}


def test_officer_form_only_offers_own_province(portal, client: Client, officer_lam_dong) -> None:
    login(client, officer_lam_dong)
    news = _news()
    html = client.get(
        f"/quang-ba/quan-tri/pages/add/portal/articlepage/{news.pk}/"
    ).content.decode()
    assert "Lâm Đồng" in html
    assert ">Huế<" not in html and ">Hà Nội<" not in html


def test_author_never_approves_own_page(portal) -> None:
    officer = UserFactory(
        role=Role.PROVINCIAL_OFFICER, organisation=Organisation.objects.get(slug="lam-dong")
    )
    editor = UserFactory(role=Role.PORTAL_EDITOR)
    other_editor = UserFactory(role=Role.PORTAL_EDITOR)
    workflow = workflow_ensure()
    news = _news()
    # an editor writes a page and submits it: they may not approve it, another editor may
    page = ArticlePage(
        title="Bài của biên tập viên",
        slug="bai-bien-tap",
        date="2026-12-01",
        body="<p>x</p>",
        owner=editor,
        live=False,
    )
    news.add_child(instance=page)
    page.save_revision(user=editor)
    state = workflow.start(page, editor)
    task = NotAuthorApprovalTask.objects.get()
    page.refresh_from_db()
    assert task.get_actions(page, editor) == []
    with pytest.raises(PermissionDenied):
        task.on_action(state.current_task_state, editor, "approve")
    assert "approve" in [action[0] for action in task.get_actions(page, other_editor)]
    state.current_task_state.task.specific.on_action(
        state.current_task_state, other_editor, "approve"
    )
    page.refresh_from_db()
    assert page.live
    # the officer's demo page awaits approval and the officer cannot approve it either
    pending = ArticlePage.objects.get(slug="lam-dong-chuan-bi-festival-hoa")
    assert not pending.live
    assert pending.current_workflow_state is not None
    assert task.get_actions(pending, officer) == []


def test_status_board_counts_each_language(portal, client: Client, analyst) -> None:
    board = translation_board()
    assert board["counts"]["en"]["missing"] >= 2  # the untranslated and the pending article
    assert board["counts"]["en"]["live"] >= 10
    assert board["counts"]["de"]["live"] == 0
    assert board["counts"]["fr"]["review"] == 0
    login(client, analyst)
    html = client.get("/quang-ba/bang-theo-doi/").content.decode()
    assert 'data-language="en"' in html and 'data-language="lo"' in html


def test_po_export_and_import_round_trip(portal) -> None:
    from wagtail_localize.models import Translation, TranslationSource

    source_page = ArticlePage.objects.get(
        locale__language_code="vi", slug="hue-mo-lai-tuyen-di-bo-song-huong"
    )
    source, _ = TranslationSource.get_or_create_from_instance(source_page)
    translation = Translation.objects.create(
        source=source, target_locale=Locale.objects.get(language_code="de")
    )
    po = polib.pofile(str(translation.export_po()))
    assert any(e.msgid == source_page.title for e in po)
    for entry in po:
        entry.msgstr = f"[de] {entry.msgid}" if entry.msgctxt != "slug" else "hue-flussweg"
    warnings = translation.import_po(po)
    assert warnings == []
    translation.save_target(publish=False)
    german = source_page.get_translation(Locale.objects.get(language_code="de"))
    assert german.title == f"[de] {source_page.title}"
    assert not german.live
    assert Page.objects.filter(pk=german.pk, live=False).exists()
