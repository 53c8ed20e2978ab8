"""Saved searches belong to an organisation: by URL and by API, other provinces see nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import login
from tests.factories import UserFactory
from ttdn.accounts.models import Role
from ttdn.measure.models import SavedSearch
from ttdn.measure.services import saved_search_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_ha_noi(organisations):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["ha-noi"])


@pytest.fixture
def colleague_lam_dong(organisations):  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.PROVINCIAL_OFFICER, organisation=organisations["lam-dong"])


@pytest.fixture
def searches(officer_lam_dong, officer_ha_noi):  # type: ignore[no-untyped-def]
    return {
        "lam_dong": saved_search_create(
            user=officer_lam_dong, name="Đà Lạt", query="Đà Lạt", filters={"language": "en"}
        ),
        "ha_noi": saved_search_create(user=officer_ha_noi, name="Hồ Gươm", query="Ho Guom"),
    }


def test_officer_lists_only_own_organisation_by_url(client, officer_lam_dong, searches) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    html = client.get("/do-luong/tim-kiem/").content.decode()
    assert "Đà Lạt" in html and "Hồ Gươm" not in html


def test_officer_cannot_open_another_provinces_search_by_url(
    client, officer_lam_dong, searches
) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    own = client.get(f"/do-luong/tim-kiem/da-luu/{searches['lam_dong'].pk}/")
    assert own.status_code == 302 and "q=" in own["Location"] and "language=en" in own["Location"]
    assert client.get(f"/do-luong/tim-kiem/da-luu/{searches['ha_noi'].pk}/").status_code == 404
    delete = client.post(f"/do-luong/tim-kiem/da-luu/{searches['ha_noi'].pk}/xoa/")
    assert delete.status_code == 404
    assert SavedSearch.objects.filter(pk=searches["ha_noi"].pk).exists()


def test_officer_sees_only_own_organisation_by_api(client, officer_lam_dong, searches) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    listed = client.get("/api/measure/saved-searches").json()
    assert [s["name"] for s in listed] == ["Đà Lạt"]
    assert listed[0]["organisation"] == "lam-dong"
    assert client.get(f"/api/measure/saved-searches/{searches['ha_noi'].pk}").status_code == 404
    assert client.delete(f"/api/measure/saved-searches/{searches['ha_noi'].pk}").status_code == 404


def test_colleagues_share_but_only_the_author_deletes(client, colleague_lam_dong, searches) -> None:  # type: ignore[no-untyped-def]
    login(client, colleague_lam_dong)
    assert [s["name"] for s in client.get("/api/measure/saved-searches").json()] == ["Đà Lạt"]
    response = client.delete(f"/api/measure/saved-searches/{searches['lam_dong'].pk}")
    assert response.status_code == 403


def test_central_analyst_sees_all(client, analyst, searches) -> None:  # type: ignore[no-untyped-def]
    login(client, analyst)
    names = {s["name"] for s in client.get("/api/measure/saved-searches").json()}
    assert names == {"Đà Lạt", "Hồ Gươm"}
    assert client.get(f"/do-luong/tim-kiem/da-luu/{searches['ha_noi'].pk}/").status_code == 302


def test_create_by_api_and_by_form(client, officer_lam_dong) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    response = client.post(
        "/api/measure/saved-searches",
        {"name": "Cà phê", "query": "ca phe", "filters": {"country": "us"}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert (
        response.json()["filters"]
        == {"country": "US", "bucket": "week", "group_by": "country", "top": "10"}
        or response.json()["filters"]["country"] == "US"
    )
    bad = client.post(
        "/api/measure/saved-searches",
        {"name": "x", "query": "y", "filters": {"date_from": "1800-01-01"}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    form = client.post("/do-luong/tim-kiem/?q=lua+gao", {"name": "Lúa gạo", "q": "lúa gạo"})
    assert form.status_code == 302
    saved = SavedSearch.objects.get(name="Lúa gạo")
    assert saved.user == officer_lam_dong and saved.organisation.slug == "lam-dong"


def test_author_deletes_by_url(client, officer_lam_dong, searches) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    response = client.post(f"/do-luong/tim-kiem/da-luu/{searches['lam_dong'].pk}/xoa/")
    assert response.status_code == 302
    assert not SavedSearch.objects.filter(pk=searches["lam_dong"].pk).exists()


def test_saved_search_needs_a_name_and_a_query(officer_lam_dong) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        saved_search_create(user=officer_lam_dong, name="", query="x")
    with pytest.raises(ValidationError):
        saved_search_create(user=officer_lam_dong, name="x", query="  ")


def test_leader_reads_every_organisations_searches_like_the_rule_says(
    client, organisations, searches
) -> None:  # type: ignore[no-untyped-def]
    """A leader reads every organisation (`organisations_readable`), so a province's saved
    search opens for the leader as it does for the province's own viewer. It once answered
    404: the list was scoped by "is central" instead of by the one selector."""
    leader = UserFactory(role=Role.LEADER, organisation=organisations["ban-chi-dao-ttdn"])
    login(client, leader)
    names = {s["name"] for s in client.get("/api/measure/saved-searches").json()}
    assert names == {"Đà Lạt", "Hồ Gươm"}
    assert client.get(f"/api/measure/saved-searches/{searches['ha_noi'].pk}").status_code == 200
    assert client.get(f"/do-luong/tim-kiem/da-luu/{searches['ha_noi'].pk}/").status_code == 302
    # reading is not acting: only the author (or a central role) deletes
    delete = client.delete(f"/api/measure/saved-searches/{searches['ha_noi'].pk}")
    assert delete.status_code == 403
    assert SavedSearch.objects.filter(pk=searches["ha_noi"].pk).exists()


def test_a_juror_reads_no_organisation_but_keeps_own_searches(
    client, organisations, searches
) -> None:  # type: ignore[no-untyped-def]
    """A juror reads no organisation's data: a colleague's search is hidden (it was shown,
    being scoped by the user's organisation rather than by the rule); the juror's own is kept."""
    juror = UserFactory(role=Role.JUROR, organisation=organisations["lam-dong"])
    mine = saved_search_create(user=juror, name="Giải thưởng", query="giải thưởng")
    login(client, juror)
    assert [s["name"] for s in client.get("/api/measure/saved-searches").json()] == [mine.name]
    assert client.get(f"/api/measure/saved-searches/{searches['lam_dong'].pk}").status_code == 404
