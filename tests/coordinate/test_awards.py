"""The award: entries with file limits, jurors score per criterion but never their own
organisation's entries, results computed, reviewed, published as a public winners page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import login
from tests.factories import UserFactory
from ttdn.coordinate.models import AwardEntry, AwardScore
from ttdn.coordinate.services.awards import (
    award_entry_submit,
    award_results_compute,
    award_scores_set,
    award_season_advance,
    award_season_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(analyst):  # type: ignore[no-untyped-def]
    return award_season_create(
        user=analyst,
        name="Giải 2026",
        year=2026,
        categories=["Báo in", "Ảnh"],
        criteria=[("Nội dung", 10), ("Hình thức", 5)],
    )


def test_entries_scores_results_and_winners(
    season, analyst, officer_lam_dong, organisations, client: Client, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    category = season.categories.first()
    bad = SimpleUploadedFile("x.exe", b"MZ")
    with pytest.raises(ValidationError):
        award_entry_submit(
            user=officer_lam_dong,
            season=season,
            category=category,
            organisation=organisations["lam-dong"],
            title="T",
            authors="A",
            file=bad,
        )
    with pytest.raises(ValidationError):
        award_entry_submit(
            user=officer_lam_dong,
            season=season,
            category=category,
            organisation=organisations["lam-dong"],
            title="T",
            authors="A",
        )
    with pytest.raises(PermissionDenied):
        award_entry_submit(
            user=officer_lam_dong,
            season=season,
            category=category,
            organisation=organisations["gia-lai"],
            title="T",
            authors="A",
            url="https://example.vn/a",
        )
    mine = award_entry_submit(
        user=officer_lam_dong,
        season=season,
        category=category,
        organisation=organisations["lam-dong"],
        title="Đà Lạt mộng mơ",
        authors="Nguyễn A",
        file=SimpleUploadedFile("a.pdf", b"%PDF"),
    )
    other = award_entry_submit(
        user=analyst,
        season=season,
        category=category,
        organisation=organisations["gia-lai"],
        title="Phố núi",
        authors="Trần B",
        url="https://gialai.vn/pho-nui",
    )
    assert AwardEntry.objects.count() == 2
    juror_ld = UserFactory(role="juror", organisation=organisations["lam-dong"])
    juror_gl = UserFactory(role="juror", organisation=organisations["gia-lai"])
    criteria = list(season.criteria.all())
    with pytest.raises(ValidationError):  # not judging yet
        award_scores_set(user=juror_gl, entry=mine, scores={c.pk: 5 for c in criteria})
    award_season_advance(user=analyst, season=season, status="judging")
    mine.refresh_from_db()
    other.refresh_from_db()
    with pytest.raises(PermissionDenied):  # own organisation's entry
        award_scores_set(user=juror_ld, entry=mine, scores={c.pk: 5 for c in criteria})
    with pytest.raises(PermissionDenied):  # not a juror
        award_scores_set(user=officer_lam_dong, entry=other, scores={c.pk: 5 for c in criteria})
    with pytest.raises(ValidationError):  # out of range, nothing saved
        award_scores_set(user=juror_gl, entry=mine, scores={criteria[0].pk: 11, criteria[1].pk: 3})
    assert not AwardScore.objects.exists()
    award_scores_set(user=juror_gl, entry=mine, scores={criteria[0].pk: 9, criteria[1].pk: 4})
    award_scores_set(user=juror_ld, entry=other, scores={criteria[0].pk: 7, criteria[1].pk: 5})
    with pytest.raises(ValidationError):  # nothing to publish before results
        award_season_advance(user=analyst, season=season, status="published")
    results = award_results_compute(user=analyst, season=season)
    assert [(r.entry.title, r.total, r.rank, r.prize) for r in results] == [
        ("Đà Lạt mộng mơ", 13.0, 1, "Giải A"),
        ("Phố núi", 12.0, 2, "Giải B"),
    ]
    assert client.get(f"/dieu-phoi/giai-thuong/{season.pk}/ket-qua/").status_code == 404
    award_season_advance(user=analyst, season=season, status="published")
    page = client.get(f"/dieu-phoi/giai-thuong/{season.pk}/ket-qua/")  # public, no login
    assert page.status_code == 200 and "Đà Lạt mộng mơ" in page.content.decode()


def test_juror_page_refuses_own_organisation(
    season, analyst, organisations, client: Client
) -> None:
    category = season.categories.first()
    entry = award_entry_submit(
        user=analyst,
        season=season,
        category=category,
        organisation=organisations["lam-dong"],
        title="T",
        authors="A",
        url="https://x.vn/t",
    )
    award_season_advance(user=analyst, season=season, status="judging")
    juror = UserFactory(role="juror", organisation=organisations["lam-dong"])
    login(client, juror)
    page = client.get(f"/dieu-phoi/giai-thuong/{season.pk}/").content.decode()
    assert "own-entry" in page and "score-link" not in page
    c = season.criteria.first()
    response = client.post(
        f"/dieu-phoi/giai-thuong/{season.pk}/tac-pham/{entry.pk}/cham/", {f"criterion-{c.pk}": "5"}
    )
    assert response.status_code == 200 and not AwardScore.objects.exists()


def test_admin_edits_english_names_of_season_and_categories(client: Client, organisations,
                                                            season) -> None:  # fmt: skip
    """Central edits the English names in the Django admin (the award has no setup page of
    its own); the English winners article and pages use them, else the Vietnamese name."""
    admin = UserFactory(role="administrator", is_staff=True, is_superuser=True,
                        organisation=organisations["ban-chi-dao-ttdn"])  # fmt: skip
    login(client, admin)
    url = f"/quan-tri/coordinate/awardseason/{season.pk}/change/"
    form = client.get(url).content.decode()
    assert 'name="name_en"' in form and 'name="categories-0-name_en"' in form
    category = season.categories.first()
    assert category.name_in("en") == category.name  # no English name yet: the fallback
    data = {"name": season.name, "name_en": "Award 2026", "year": season.year,
            "status": season.status,
            "categories-TOTAL_FORMS": 0, "categories-INITIAL_FORMS": 0,
            "categories-MIN_NUM_FORMS": 0, "categories-MAX_NUM_FORMS": 1000,
            "criteria-TOTAL_FORMS": 0, "criteria-INITIAL_FORMS": 0,
            "criteria-MIN_NUM_FORMS": 0, "criteria-MAX_NUM_FORMS": 1000}  # fmt: skip
    for n, each in enumerate(season.categories.all()):
        data.update(
            {
                f"categories-{n}-id": each.pk,
                f"categories-{n}-season": season.pk,
                f"categories-{n}-name": each.name,
                f"categories-{n}-name_en": "Photography" if each == category else "",
            }
        )
        data["categories-TOTAL_FORMS"] = data["categories-INITIAL_FORMS"] = n + 1
    for criterion in season.criteria.all():
        n = data["criteria-TOTAL_FORMS"]
        data.update({f"criteria-{n}-id": criterion.pk, f"criteria-{n}-season": season.pk,
                     f"criteria-{n}-name": criterion.name,
                     f"criteria-{n}-max_score": criterion.max_score})  # fmt: skip
        data["criteria-TOTAL_FORMS"] = data["criteria-INITIAL_FORMS"] = n + 1
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    category.refresh_from_db()
    season.refresh_from_db()
    assert (category.name_in("en"), category.name_in("vi")) == ("Photography", category.name)
    assert season.name_en == "Award 2026"
