"""The API keys page: a key is shown once, kept hashed, scoped to the organisation."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.factories import UserFactory
from ttdn.accounts.models import Role
from ttdn.measure.models import ApiKey
from ttdn.measure.services import api_key_create

pytestmark = pytest.mark.django_db


def test_officer_creates_and_revokes_a_key_for_own_province(
    client, officer_lam_dong, analyst, organisations
) -> None:  # type: ignore[no-untyped-def]
    other, _raw = api_key_create(
        user=analyst, organisation=organisations["ha-noi"], name="Khóa của Hà Nội"
    )
    login(client, officer_lam_dong)
    response = client.post(
        "/do-luong/khoa-api/", {"name": "Cổng tỉnh", "organisation": "lam-dong", "rate_limit": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    key = ApiKey.objects.get(name="Cổng tỉnh")
    shown = html.split('id="new-key"')[1].split("<code>")[1].split("</code>")[0]
    assert shown.startswith(key.prefix) and shown not in key.key_hash
    assert "Khóa của Hà Nội" not in html  # another province's key is not listed
    assert client.get("/api/open/indicators", HTTP_X_API_KEY=shown).status_code == 200
    # another organisation: refused; another organisation's key: 404
    assert (
        client.post("/do-luong/khoa-api/", {"name": "x", "organisation": "ha-noi"}).status_code
        == 403
    )
    assert client.post(f"/do-luong/khoa-api/{other.pk}/thu-hoi/").status_code == 404
    assert client.post(f"/do-luong/khoa-api/{key.pk}/thu-hoi/").status_code == 302
    key.refresh_from_db()
    assert not key.active
    assert client.get("/api/open/indicators", HTTP_X_API_KEY=shown).status_code == 401


def test_bad_rate_limit_is_refused_with_a_message(client, officer_lam_dong) -> None:  # type: ignore[no-untyped-def]
    login(client, officer_lam_dong)
    response = client.post(
        "/do-luong/khoa-api/",
        {"name": "x", "organisation": "lam-dong", "rate_limit": "lots"},
        follow=True,
    )
    assert response.status_code == 200
    assert not ApiKey.objects.exists()
    assert "600/min" in response.content.decode()


def test_only_administrators_raise_a_key_above_the_default_rate(
    client, officer_lam_dong, administrator, organisations
) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    province = organisations["lam-dong"]
    with pytest.raises(ValidationError) as caught:
        api_key_create(user=officer_lam_dong, organisation=province, name="x",
                       rate_limit="9999999/s")  # fmt: skip
    assert "rate_limit" in caught.value.message_dict
    # through the page: the officer sees the message, no key is made
    login(client, officer_lam_dong)
    form = {"name": "Nhanh", "organisation": "lam-dong", "rate_limit": "1000/s"}
    page = client.post("/do-luong/khoa-api/", form)
    assert page.status_code in (200, 400) and not ApiKey.objects.filter(name="Nhanh").exists()
    # at or below the default: allowed; an administrator may go above it
    low, _raw = api_key_create(user=officer_lam_dong, organisation=province, name="chậm",
                               rate_limit="1/min")  # fmt: skip
    high, _raw = api_key_create(user=administrator, organisation=province, name="cổng quốc gia",
                                rate_limit="100/s")  # fmt: skip
    assert (low.rate_limit, high.rate_limit) == ("1/min", "100/s")


def test_a_leader_sees_every_organisations_keys_but_revokes_none(
    client, analyst, organisations
) -> None:  # type: ignore[no-untyped-def]
    """Keys are listed by `organisations_readable` and revoked by `can_act_for`: a leader
    (reads all, acts for none) sees them without a revoke button, and a revoke is refused."""
    key, _raw = api_key_create(user=analyst, organisation=organisations["ha-noi"], name="Hà Nội")
    leader = UserFactory(role=Role.LEADER, organisation=organisations["ban-chi-dao-ttdn"])
    login(client, leader)
    html = client.get("/do-luong/khoa-api/").content.decode()
    assert "Hà Nội" in html and f"/do-luong/khoa-api/{key.pk}/thu-hoi/" not in html
    assert client.post(f"/do-luong/khoa-api/{key.pk}/thu-hoi/").status_code == 403
    key.refresh_from_db()
    assert key.active
