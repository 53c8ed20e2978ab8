"""The award's winners reach the national portal (issue 13), only through people: central
publishes the results in Coordinate, which announces it; the portal makes Vietnamese and
English news drafts from Coordinate's selector; readers see them only once a portal editor
publishes them, under /vi/ and /en/ (decision 0016)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory
from ttdn.accounts.models import Organisation, Role
from ttdn.coordinate.models import AwardEntry, AwardResult
from ttdn.coordinate.services import awards as award_services
from ttdn.coordinate.services.awards import (
    AWARD_PUBLISHED,
    award_entry_submit,
    award_results_compute,
    award_scores_set,
    award_season_advance,
    award_season_create,
)
from ttdn.core import events
from ttdn.portal import subscribers
from ttdn.portal.awards import award_winners_drafts
from ttdn.portal.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(portal):  # type: ignore[no-untyped-def]
    organisations = {o.slug: o for o in Organisation.objects.all()}
    analyst = UserFactory(role=Role.CENTRAL_ANALYST,
                          organisation=organisations["ban-chi-dao-ttdn"])  # fmt: skip
    season = award_season_create(user=analyst, name="Giải thưởng thông tin đối ngoại 2026",
                                 year=2026, categories=["Ảnh"],
                                 criteria=[("Nội dung", 10)])  # fmt: skip
    category = season.categories.get()
    first = award_entry_submit(user=analyst, season=season, category=category,
                               organisation=organisations["lam-dong"], title="Đà Lạt mộng mơ",
                               authors="Nguyễn Văn A",
                               url="https://lamdong.gov.vn/da-lat")  # fmt: skip
    second = award_entry_submit(user=analyst, season=season, category=category,
                                organisation=organisations["gia-lai"], title="Phố núi",
                                authors="Trần Thị B", url="https://gialai.vn/pho-nui")  # fmt: skip
    award_season_advance(user=analyst, season=season, status="judging")
    juror = UserFactory(role=Role.JUROR, organisation=organisations["ha-noi"],
                        first_name="Giám", last_name="Khảo Bí Mật")  # fmt: skip
    criterion = season.criteria.get()
    award_scores_set(user=juror, entry=first, scores={criterion.pk: 9})
    award_scores_set(user=juror, entry=second, scores={criterion.pk: 7})
    award_results_compute(user=analyst, season=season)
    return {"season": season, "analyst": analyst, "juror": juror}


def test_winners_become_portal_drafts_only_after_central_publishes_then_an_editor(
    season, monkeypatch
) -> None:
    heard: list[tuple[str, dict[str, object]]] = []
    monkeypatch.setattr(award_services, "announce", lambda e, p: heard.append((e, p)))
    the_season = season["season"]
    # in review, not yet published by central: nothing for the portal
    assert award_winners_drafts(the_season.pk) == []
    assert heard == []
    award_season_advance(user=season["analyst"], season=the_season, status="published")
    assert heard == [(AWARD_PUBLISHED, {"season_id": the_season.pk})]
    assert "portal.award_winners_drafts" in {s.name for s in events.subscribers(AWARD_PUBLISHED)}

    subscribers.award_published({"season_id": the_season.pk})  # what the event delivers
    vi = ArticlePage.objects.get(slug=f"ket-qua-giai-thuong-2026-{the_season.pk}")
    en = ArticlePage.objects.get(slug=f"award-winners-2026-{the_season.pk}")
    assert (vi.locale.language_code, en.locale.language_code) == ("vi", "en")
    assert not vi.live and not en.live  # drafts: a portal editor decides
    assert en.translation_key == vi.translation_key
    assert vi.get_parent().slug == "tin-tuc" and en.get_parent().slug == "news"
    assert "Giải A" in vi.body and "Đà Lạt mộng mơ" in vi.body and "Lâm Đồng" in vi.body
    assert "Giải B" in vi.body and "Phố núi" in vi.body
    assert "Prize A" in en.body and "Lam Dong" in en.body and "Winners of" in en.title
    for page in (vi, en):  # public facts only: no juror, no score
        assert "Khảo Bí Mật" not in page.body and "9.0" not in page.body
    # a redelivered event makes nothing twice
    assert award_winners_drafts(the_season.pk) == []
    assert ArticlePage.objects.filter(slug__contains=f"-2026-{the_season.pk}").count() == 2

    reader = Client()
    vi_url = f"/vi/tin-tuc/ket-qua-giai-thuong-2026-{the_season.pk}/"
    en_url = f"/en/news/award-winners-2026-{the_season.pk}/"
    assert reader.get(vi_url).status_code == 404
    assert reader.get(en_url).status_code == 404
    # the editor approves (publishes) both languages; readers then see them
    vi.save_revision().publish()
    ArticlePage.objects.get(pk=en.pk).save_revision().publish()
    page = reader.get(vi_url)
    assert page.status_code == 200 and "Đà Lạt mộng mơ" in page.content.decode()
    page = reader.get(en_url)
    assert page.status_code == 200 and "Prize A" in page.content.decode()


def _publish(season) -> tuple[ArticlePage, ArticlePage]:  # type: ignore[no-untyped-def]
    award_season_advance(user=season["analyst"], season=season["season"], status="published")
    award_winners_drafts(season["season"].pk)
    pk = season["season"].pk
    return (ArticlePage.objects.get(slug=f"ket-qua-giai-thuong-2026-{pk}"),
            ArticlePage.objects.get(slug=f"award-winners-2026-{pk}"))  # fmt: skip


def test_english_article_uses_english_names_with_vietnamese_fallback(season) -> None:
    the_season = season["season"]
    the_season.name_en = "National Foreign Information Award 2026"
    the_season.save()
    photo = the_season.categories.get()
    photo.name_en = "Photography"
    photo.save()
    # a second category with no English name: its Vietnamese name is the fallback
    video = the_season.categories.create(name="Phim tài liệu")
    AwardResult.objects.filter(entry__title="Phố núi").update(rank=1)
    AwardEntry.objects.filter(title="Phố núi").update(category=video)
    vi, en = _publish(season)
    assert "<h2>Ảnh</h2>" in vi.body and "Photography" not in vi.body
    assert "<h2>Photography</h2>" in en.body and "<h2>Ảnh</h2>" not in en.body
    assert "<h2>Phim tài liệu</h2>" in en.body  # fallback
    assert en.title == "Winners of the National Foreign Information Award 2026"
    assert "Giải thưởng thông tin đối ngoại 2026" in vi.title


def test_coordinate_winners_page_sends_readers_to_the_published_portal_article(season) -> None:
    vi, en = _publish(season)
    own = f"/dieu-phoi/giai-thuong/{season['season'].pk}/ket-qua/"
    reader = Client()
    # drafts only: Coordinate's own page still shows the winners, no portal link
    page = reader.get(own)
    assert page.status_code == 200 and "Đà Lạt mộng mơ" in page.content.decode()
    assert 'id="portal-articles"' not in page.content.decode()
    # the editor publishes the Vietnamese article: Vietnamese readers go there
    vi.save_revision().publish()
    page = reader.get(own)
    assert page.status_code == 302 and page["Location"] == vi.url
    assert reader.get(page["Location"]).status_code == 200
    # English readers: no English article yet, so the page, linking the Vietnamese one
    english = Client()
    english.cookies["django_language"] = "en"  # the platform's language choice
    page = english.get(own)
    assert page.status_code == 200 and f'href="{vi.url}"' in page.content.decode()
    ArticlePage.objects.get(pk=en.pk).save_revision().publish()
    page = english.get(own)
    assert page.status_code == 302 and page["Location"] == "/en/news/" + en.slug + "/"
    assert "Prize A" in english.get(page["Location"]).content.decode()
    # unpublished again: the English readers see Coordinate's own page once more
    ArticlePage.objects.get(pk=en.pk).unpublish()
    assert english.get(own).status_code == 200
    assert reader.get(own).status_code == 302


def test_a_page_that_is_no_award_article_is_ignored(season) -> None:
    assert not award_services.award_portal_article_published(
        key="00000000-0000-0000-0000-000000000000", language="vi", url="/vi/x/"
    )
