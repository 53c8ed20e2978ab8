"""The award's winners reach the national portal (issue 13), only through people: central
publishes the results in Coordinate, which announces it; the portal makes Vietnamese and
English news drafts from Coordinate's selector; readers see them only once a portal editor
publishes them, under /vi/ and /en/ (decision 0016)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory
from ttdn.accounts.models import Organisation, Role
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
